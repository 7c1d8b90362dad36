//! A step's change made offline on a version changed since, kept for a coordinator: shown on the
//! case's page with both sides, listed and decided over the API.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Json, Router, routing::get, routing::post};
use axum_extra::extract::Form;
use domain::attendance::StepInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::wire::StepDto;
use crate::error::{ApiError, Localize, PageError};
use crate::extract::{ApiUser, PageUser};
use crate::{AppState, I18n};

/// A step's conflict.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepConflictDto {
    id: i64,
    step_id: i64,
    /// The version the phone's change was made on.
    base_version: i32,
    /// The version the server held when it came.
    server_version: i32,
    /// The phone's change, as typed.
    proposed: StepInput,
    /// Who made it (login).
    proposed_by: String,
    /// `applied` or `kept` once decided.
    resolution: Option<String>,
    /// The step as the server holds it.
    server: StepDto,
}

impl From<app::attendance::StepConflict> for StepConflictDto {
    fn from(c: app::attendance::StepConflict) -> Self {
        StepConflictDto {
            id: c.conflict.id,
            step_id: c.conflict.record_id,
            base_version: c.conflict.base_version,
            server_version: c.conflict.server_version,
            proposed: c.proposed,
            proposed_by: c.proposed_by,
            resolution: c.conflict.resolution,
            server: StepDto::new(c.server, None, false),
        }
    }
}

/// A step's conflict as the case's page shows it.
pub(super) struct ConflictRow {
    pub(super) id: i64,
    pub(super) kind: String,
    pub(super) server: String,
    pub(super) proposed: String,
    pub(super) by: String,
}

/// What a step says: its kind, done on, outcome.
fn says(t: &I18n, kind: &str, done: &str, outcome: &str) -> String {
    [t.label("case-step", kind), done.to_owned(), outcome.to_owned()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The rows of a case's undecided conflicts (for a coordinator).
pub(super) async fn rows(state: &AppState, user: &PageUser, case_id: i64) -> Result<Vec<ConflictRow>, PageError> {
    let t = &user.t;
    let list = app::attendance::step_conflicts(&state.core, &user.actor, case_id).await.page(t)?;
    Ok(list
        .into_iter()
        .map(|c| {
            let s = &c.server;
            let done = s.done_on.map(|d| t.date(&d)).unwrap_or_default();
            ConflictRow {
                id: c.conflict.id,
                kind: t.label("case-step", &s.kind),
                server: says(t, &s.kind, &done, s.outcome.as_deref().unwrap_or("")),
                proposed: says(t, &c.proposed.kind, &c.proposed.done_on, &c.proposed.outcome),
                by: c.proposed_by,
            }
        })
        .collect())
}

/// The undecided conflicts over a case's steps.
#[utoipa::path(get, path = "/api/v1/cases/{id}/conflicts", tag = "attendance",
    responses((status = 200, body = [StepConflictDto])))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<StepConflictDto>>, ApiError> {
    let list = app::attendance::step_conflicts(&state.core, &user.actor, id).await.api(&user.t)?;
    Ok(Json(list.into_iter().map(StepConflictDto::from).collect()))
}

/// How a conflict is decided.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecideBody {
    /// Write the phone's change over the step (true) or keep the server's (false).
    pub apply: bool,
}

/// Decides a step's conflict (a coordinator over the open case); a second decision is refused
/// (`conflict_resolved`).
#[utoipa::path(post, path = "/api/v1/step-conflicts/{id}", tag = "attendance", request_body = DecideBody,
    responses((status = 200, body = StepConflictDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn decide(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    crate::extract::ApiJson(b): crate::extract::ApiJson<DecideBody>,
) -> Result<Json<StepConflictDto>, ApiError> {
    let today = domain::calendar::today();
    let c = app::attendance::resolve_step(&state.core, &user.actor, id, b.apply, today).await.api(&user.t)?;
    Ok(Json(c.into()))
}

/// The API's routes.
pub fn api() -> Router<AppState> {
    Router::new().route("/cases/{id}/conflicts", get(list)).route("/step-conflicts/{id}", post(decide))
}

/// The case page's decision.
#[derive(Debug, Default, Deserialize)]
pub(super) struct DecideForm {
    #[serde(default)]
    apply: String,
    #[serde(default)]
    case_id: i64,
}

pub(super) async fn decide_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<DecideForm>,
) -> Result<Response, PageError> {
    let today = domain::calendar::today();
    app::attendance::resolve_step(&state.core, &user.actor, id, f.apply == "yes", today).await.page(&user.t)?;
    Ok(Redirect::to(&format!("/attendance/cases/{}?saved=1#steps", f.case_id)).into_response())
}
