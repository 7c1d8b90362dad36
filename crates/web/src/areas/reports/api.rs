//! Reports over the API: the consolidated figures and the school's report as JSON, the same
//! reports as Word, PDF or Excel, and the school's hand-written part.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, put};
use axum::{Json, Router};
use domain::OrgUnitId;
use serde::Deserialize;
use utoipa::ToSchema;

use super::pages::ReportQuery;
use crate::AppState;
use crate::error::{ApiError, Localize};
use crate::extract::{ApiJson, ApiUser};

/// The consolidated report of a unit (the caller's own by default): a row per sub-unit, the
/// totals and the previous campaign's totals. `year`, `from`, `to` (`2022-08-01` or
/// `01.08.2022`) are optional.
#[utoipa::path(get, path = "/api/v1/reports/consolidated", tag = "reports",
    params(("unit" = Option<i64>, Query), ("year" = Option<i32>, Query), ("from" = Option<String>, Query), ("to" = Option<String>, Query)),
    responses((status = 200, body = Object), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn consolidated(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ReportQuery>,
) -> Result<Json<app::reports::Consolidated>, ApiError> {
    let asked = q.check(&state).await.api(&user.t)?;
    let r = app::reports::consolidated(&state.core, &user.actor, &asked).await.api(&user.t)?;
    Ok(Json(r))
}

/// A school's campaign report: fund help by month, sponsors, the hand-written part, figures.
#[utoipa::path(get, path = "/api/v1/reports/school", tag = "reports",
    params(("unit" = Option<i64>, Query), ("year" = Option<i32>, Query), ("from" = Option<String>, Query), ("to" = Option<String>, Query)),
    responses((status = 200, body = Object), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn school(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ReportQuery>,
) -> Result<Json<app::reports::SchoolReport>, ApiError> {
    let asked = q.check(&state).await.api(&user.t)?;
    let r = app::reports::school(&state.core, &user.actor, &asked).await.api(&user.t)?;
    Ok(Json(r))
}

/// The report of a unit (a school's own report for a school) as `docx`, `pdf` or `xlsx`.
#[utoipa::path(get, path = "/api/v1/reports/file/{format}", tag = "reports",
    params(("format" = String, Path), ("unit" = Option<i64>, Query), ("year" = Option<i32>, Query), ("from" = Option<String>, Query), ("to" = Option<String>, Query)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>)))]
pub async fn file(
    State(state): State<AppState>,
    user: ApiUser,
    Path(format): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, ApiError> {
    let (report, unit, _) = super::pages::build(&state, &user.actor, &user.t, &q).await.api(&user.t)?;
    super::pages::download(&user.t, &report, &unit, &format).await.api(&user.t)
}

/// What a school writes into its report by hand.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NotesBody {
    /// The school.
    unit: i64,
    /// The campaign year (the current campaign if left out).
    #[serde(default)]
    year: Option<i32>,
    /// Measures taken, one per line (the raids come from their own records, `/api/v1/raids`).
    #[serde(default)]
    measures: String,
}

/// Saves the school's hand-written part.
#[utoipa::path(put, path = "/api/v1/reports/school/notes", tag = "reports", request_body = NotesBody,
    responses((status = 204), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn notes(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(b): ApiJson<NotesBody>,
) -> Result<axum::http::StatusCode, ApiError> {
    let c = app::campaigns::chosen(&state.core, b.year).await.api(&user.t)?;
    app::reports::save_notes(&state.core, &user.actor, &c, OrgUnitId(b.unit), &b.measures).await.api(&user.t)?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports/consolidated", get(consolidated))
        .route("/reports/school", get(school))
        .route("/reports/file/{format}", get(file))
        .route("/reports/school/notes", put(notes))
}
