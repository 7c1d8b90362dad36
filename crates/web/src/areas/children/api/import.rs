//! `/api/v1/children/import`: a school's list imported, and the job polled.

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use domain::ImportJobId;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, Localize};
use crate::extract::ApiUser;

/// An import job.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportJobDto {
    /// Id.
    id: i64,
    /// `queued`, `running`, `done` or `failed` (an interrupted job is failed, its error saying so).
    status: String,
    /// Still running?
    running: bool,
    /// Rows checked or written so far (while running, on the server that runs it).
    done: u64,
    /// Rows in the file.
    total: u64,
    /// New records (when done).
    created: Option<usize>,
    /// Updated records (when done).
    updated: Option<usize>,
    /// How many errors the file had.
    error_count: i64,
    /// The errors (the first thousand), each naming its row and field.
    errors: Vec<crate::error::ApiFieldError>,
}

/// Starts an import of a school's list (multipart: `school_id`, `file`); poll the job.
#[utoipa::path(post, path = "/api/v1/children/import", tag = "registry",
    request_body(content_type = "multipart/form-data", description = "fields `school_id` and `file` (.xlsx or .csv)"),
    responses((status = 202, body = ImportJobDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn import(
    State(state): State<AppState>,
    user: ApiUser,
    multipart: Multipart,
) -> Result<(StatusCode, Json<ImportJobDto>), ApiError> {
    let (school, name, path) =
        crate::sheets::receive(multipart, state.config.import_limit, &state.config.upload_dir).await.api(&user.t)?;
    let id = app::child_import::start(&state.core, &user.actor, school, &name, path).await.api(&user.t)?;
    let job = app::child_import::job(&state.core, &user.actor, id).await.api(&user.t)?;
    Ok((StatusCode::ACCEPTED, Json(job_dto(&user, &job))))
}

fn job_dto(user: &ApiUser, view: &app::child_import::JobView) -> ImportJobDto {
    let job = &view.job;
    ImportJobDto {
        id: job.id,
        status: job.status.clone(),
        running: view.running(),
        done: view.progress.map_or(0, |p| p.done),
        total: view.progress.map_or(job.total_rows.max(0) as u64, |p| p.total),
        created: view.summary.map(|s| s.created),
        updated: view.summary.map(|s| s.updated),
        error_count: job.error_count,
        errors: view
            .errors
            .iter()
            .map(|e| crate::error::ApiFieldError {
                field: e.field.clone(),
                code: e.code.as_str().to_owned(),
                message: user.t.field_error(e),
                row: e.row,
            })
            .collect(),
    }
}

/// An import job's progress or outcome.
#[utoipa::path(get, path = "/api/v1/children/import/{id}", tag = "registry", responses((status = 200, body = ImportJobDto)))]
pub async fn job(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ImportJobDto>, ApiError> {
    let job = app::child_import::job(&state.core, &user.actor, ImportJobId(id)).await.api(&user.t)?;
    Ok(Json(job_dto(&user, &job)))
}
