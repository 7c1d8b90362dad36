//! Import of a school's children list: the upload, the job's progress and outcome, the template.

use app::child_import::Progress;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use domain::ImportJobId;

use super::form::school_choices;
use crate::error::{AppError, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render};
use crate::{AppState, I18n};

#[derive(Template)]
#[template(path = "children/import.html")]
pub(super) struct UploadPage {
    t: I18n,
    l: Layout,
    schools: Vec<(i64, String)>,
    columns: Vec<String>,
    error: String,
}

pub async fn upload_page(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    if !user.actor.role.can_edit_children() {
        return Err(user.fail(AppError::Forbidden));
    }
    let columns = app::child_import::COLUMNS
        .iter()
        .map(|c| app::child_import::header(state.core.catalog(), user.t.locale, c))
        .collect();
    let schools = school_choices(&state, &user).await?;
    Ok(render(&UploadPage {
        l: user.layout(user.t.t("child-import-title")),
        schools,
        columns,
        error: String::new(),
        t: user.t.clone(),
    }))
}

pub async fn upload(
    State(state): State<AppState>,
    user: PageUser,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let (school, name, path) =
        crate::sheets::receive(multipart, state.config.import_limit, &state.config.upload_dir).await.page(&user.t)?;
    let job = app::child_import::start(&state.core, &user.actor, school, &name, path).await.page(&user.t)?;
    Ok(Redirect::to(&format!("/children/import/{job}")).into_response())
}

#[derive(Template)]
#[template(path = "children/import_job.html")]
pub(super) struct JobPage {
    t: I18n,
    l: Layout,
    status: JobStatus,
}

#[derive(Template)]
#[template(path = "children/import_status.html")]
pub(super) struct JobFragment {
    t: I18n,
    status: JobStatus,
}

/// A job as shown: progress while it runs, the outcome after.
pub struct JobStatus {
    pub id: i64,
    pub running: bool,
    pub progress: Option<Progress>,
    pub percent: u64,
    pub summary: Option<app::child_import::Summary>,
    pub errors: Vec<(usize, String, String)>,
    pub error_count: i64,
}

/// Reads a job's status for its page, its fragment or the API.
pub fn status_of(t: &I18n, view: &app::child_import::JobView) -> JobStatus {
    JobStatus {
        id: view.job.id,
        running: view.running(),
        progress: view.progress,
        percent: view.percent(),
        summary: view.summary,
        errors: view.errors.iter().map(|e| (e.row.unwrap_or(0), t.field(&e.field), t.field_error(e))).collect(),
        error_count: view.job.error_count,
    }
}

pub async fn job_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let view = app::child_import::job(&state.core, &user.actor, ImportJobId(id)).await.page(&user.t)?;
    let status = status_of(&user.t, &view);
    Ok(render(&JobPage {
        l: user.layout(user.t.t1("child-import-job", "file", &view.job.file_name)),
        status,
        t: user.t.clone(),
    }))
}

pub async fn job_fragment(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let view = app::child_import::job(&state.core, &user.actor, ImportJobId(id)).await.page(&user.t)?;
    let status = status_of(&user.t, &view);
    Ok(render(&JobFragment { status, t: user.t.clone() }))
}

pub async fn template(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let bytes = app::child_import::template(state.core.catalog(), user.t.locale)
        .map_err(|e| user.fail(AppError::Internal(e.to_string())))?;
    Ok(crate::render::xlsx_download("doroga-children-template.xlsx", bytes))
}

/// The import routes, with the larger body limit of imports.
pub fn import_router(limit: usize) -> Router<AppState> {
    Router::new()
        .route("/children/import", get(upload_page).post(upload))
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .route("/children/import/template.xlsx", get(template))
        .route("/children/import/{id}", get(job_page))
        .route("/children/import/{id}/status", get(job_fragment))
}
