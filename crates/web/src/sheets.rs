//! A spreadsheet a user sends (the children's list, the e-journal's days out): streamed from a
//! multipart form to a private temporary file, never whole in memory, refused beyond the limit.

use axum::extract::Multipart;
use domain::ErrorCode;
use tokio::io::AsyncWriteExt;

use crate::error::AppError;

/// Streams the upload to a temporary file (never whole in memory) and reads the school.
pub async fn receive(
    mut multipart: Multipart,
    limit: usize,
    base: &std::path::Path,
) -> Result<(Option<i64>, String, tempfile::TempPath), AppError> {
    let mut school = None;
    let too_large = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::Invalid(domain::Invalid::one("file", ErrorCode::NotSpreadsheet))
        }
    };
    while let Some(mut field) = multipart.next_field().await.map_err(too_large)? {
        match field.name() {
            Some("school_id") => school = field.text().await.map_err(too_large)?.trim().parse().ok(),
            Some("file") => {
                let name = field.file_name().unwrap_or("file").to_owned();
                // In the data directory's private folder, never the system's temporary one.
                let temp = app::child_import::new_upload(base).map_err(|e| AppError::Internal(e.to_string()))?;
                let (file, path) = temp.into_parts();
                let mut file = tokio::fs::File::from_std(file);
                let mut size = 0usize;
                while let Some(chunk) = field.chunk().await.map_err(too_large)? {
                    size += chunk.len();
                    if size > limit {
                        return Err(AppError::TooLarge);
                    }
                    file.write_all(&chunk).await.map_err(|e| AppError::Internal(e.to_string()))?;
                }
                file.flush().await.map_err(|e| AppError::Internal(e.to_string()))?;
                if size == 0 {
                    return Err(AppError::Invalid(domain::Invalid::one("file", ErrorCode::FileEmpty)));
                }
                return Ok((school, name, path));
            }
            _ => {}
        }
    }
    Err(AppError::Invalid(domain::Invalid::one("file", ErrorCode::Required)))
}
