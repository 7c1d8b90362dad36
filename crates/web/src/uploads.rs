//! Proof-of-purchase files: streamed from the request to the upload directory (never whole in
//! memory), hashed on the way, their type read from the first bytes (the name and the browser's
//! word for it are not trusted), refused beyond the size limit. Only images and PDF are kept.

use std::path::Path;

use app::proofs::StoredFile;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use domain::{EntryId, ErrorCode, FieldError, Invalid, ProofId};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::error::AppError;

/// The types a proof may have: photos of receipts (JPEG, PNG, WebP, HEIC from phones) and PDF.
pub const ALLOWED: [&str; 5] = ["image/jpeg", "image/png", "image/webp", "image/heif", "application/pdf"];

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

fn refused(code: ErrorCode) -> AppError {
    AppError::Invalid(Invalid::one("file", code))
}

/// The type of a file from its first bytes, if it is one a proof may have.
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    let found = infer::get(head)?.mime_type();
    let found = if found == "image/heic" { "image/heif" } else { found };
    ALLOWED.iter().find(|a| **a == found).copied()
}

fn extension(mime: &str) -> &'static str {
    match mime {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "image/heif" => "heic",
        _ => "pdf",
    }
}

/// What a kind of upload may be: its folder, types, and the codes of its refusals.
pub struct Kind {
    /// The folder under the upload directory.
    pub folder: &'static str,
    /// The types kept.
    pub types: &'static [&'static str],
    /// A file of another type.
    pub wrong_type: ErrorCode,
    /// A file over the limit.
    pub over: ErrorCode,
}

/// A proof of purchase: a photo of a receipt or a PDF.
pub const PROOF: Kind =
    Kind { folder: "proofs", types: &ALLOWED, wrong_type: ErrorCode::FileType, over: ErrorCode::ProofTooLarge };

/// A photo of a raid's finding: a picture only.
pub const PHOTO: Kind = Kind {
    folder: "photos",
    types: &["image/jpeg", "image/png", "image/webp", "image/heif"],
    wrong_type: ErrorCode::PhotoType,
    over: ErrorCode::PhotoTooLarge,
};

/// Reads the `file` field of a multipart request into the upload directory. The file is kept
/// only if it is an image or a PDF within `limit` bytes; the caller removes it with [`remove`]
/// if the database refuses the record.
pub async fn receive(dir: &Path, limit: usize, multipart: Multipart) -> Result<StoredFile, AppError> {
    receive_as(&PROOF, dir, limit, multipart).await
}

/// [`receive`] for a kind of upload.
pub async fn receive_as(
    kind: &Kind,
    dir: &Path,
    limit: usize,
    mut multipart: Multipart,
) -> Result<StoredFile, AppError> {
    let too_large = |limit: usize| {
        AppError::Invalid(Invalid(vec![FieldError::new("file", kind.over).with_limit((limit / (1024 * 1024)) as i64)]))
    };
    let failed = |e: MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            too_large(limit)
        } else {
            refused(ErrorCode::FileRequired)
        }
    };
    while let Some(mut field) = multipart.next_field().await.map_err(failed)? {
        if field.name() != Some("file") {
            continue;
        }
        let file_name = field.file_name().unwrap_or("file").trim().to_owned();
        let month = chrono::Utc::now().format("%Y-%m").to_string();
        let folder = dir.join(kind.folder).join(&month);
        tokio::fs::create_dir_all(&folder).await.map_err(internal)?;
        let temp = tempfile::NamedTempFile::new_in(&folder).map_err(internal)?;
        let (file, temp_path) = temp.into_parts();
        let mut file = tokio::fs::File::from_std(file);
        let (mut size, mut head, mut hash) = (0usize, Vec::with_capacity(64), Sha256::new());
        while let Some(chunk) = field.chunk().await.map_err(failed)? {
            size += chunk.len();
            if size > limit {
                return Err(too_large(limit));
            }
            if head.len() < 64 {
                head.extend_from_slice(&chunk[..chunk.len().min(64 - head.len())]);
            }
            hash.update(&chunk);
            file.write_all(&chunk).await.map_err(internal)?;
        }
        if size == 0 {
            return Err(refused(ErrorCode::FileEmpty));
        }
        let content_type = sniff(&head).filter(|t| kind.types.contains(t)).ok_or_else(|| refused(kind.wrong_type))?;
        file.sync_all().await.map_err(internal)?;
        let random = domain::token::generate();
        let name = format!("{}.{}", random.trim_start_matches(domain::token::PREFIX), extension(content_type));
        let key = format!("{}/{month}/{name}", kind.folder);
        temp_path.persist(dir.join(&key)).map_err(internal)?;
        return Ok(StoredFile {
            file_name: if file_name.is_empty() { "file".into() } else { file_name },
            content_type: content_type.to_owned(),
            size: size as i64,
            sha256: hex::encode(hash.finalize()),
            storage_key: key,
        });
    }
    Err(refused(ErrorCode::FileRequired))
}

/// Receives a proof for a ledger entry and records it; a file whose record the database
/// refuses is removed again.
pub async fn store_proof(
    state: &crate::AppState,
    actor: &domain::Actor,
    entry_id: i64,
    multipart: Multipart,
) -> Result<app::entity::proof::Model, AppError> {
    let config = &state.config;
    let file = receive(&config.upload_dir, config.proof_limit, multipart).await?;
    Ok(app::proofs::add(&state.core, actor, &config.upload_dir, EntryId(entry_id), &file).await?)
}

/// A proof's file for someone whose scope covers the child; the opening is logged.
pub async fn serve_proof(
    state: &crate::AppState,
    actor: &domain::Actor,
    id: i64,
) -> Result<axum::response::Response, AppError> {
    let (p, bytes) = app::proofs::open(&state.core, actor, &state.config.upload_dir, ProofId(id)).await?;
    Ok(download(&p, bytes))
}

/// A proof's file as a download: its checked type, a name that cannot break the header, and no
/// chance for the browser to run it as a page.
pub fn download(p: &app::entity::proof::Model, bytes: Vec<u8>) -> axum::response::Response {
    file_response(&p.content_type, &p.file_name, bytes)
}

/// A stored file as a response: its checked type, a name that cannot break the header, kept out
/// of every cache, never run as a page.
pub fn file_response(content_type: &str, file_name: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let ascii: String =
        file_name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let disposition = format!("inline; filename=\"{ascii}\"");
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("image/png"));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), Some("image/jpeg"));
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), None, "an executable is refused");
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"PK\x03\x04"), None, "a zip (or docx) is refused");
    }
}
