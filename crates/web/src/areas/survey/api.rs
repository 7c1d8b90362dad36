//! `/api/v1/public/survey`, `/api/v1/public/survey/totals`, `/api/v1/survey-leads`: the survey's
//! answers, its public figures, and the leads a school works.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use domain::survey::SurveyInput;
use domain::{ErrorCode, Invalid};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::client::ClientAddr;
use crate::error::{ApiError, Localize};
use crate::extract::{ApiJson, ApiUser, Visitor};

/// An answer and its form's key (a UUID: the same key sent again is the same answer).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerBody {
    /// The form's key.
    #[serde(default)]
    pub client_key: String,
    /// The answer.
    #[serde(flatten)]
    pub answer: SurveyInput,
}

/// What the public is told of its answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnsweredDto {
    /// The answer asked for help: the school will call.
    pub lead: bool,
}

/// Answers the survey (no sign-in; 20 an hour from one client).
#[utoipa::path(post, path = "/api/v1/public/survey", tag = "survey", security(()), request_body = AnswerBody,
    responses((status = 201, body = AnsweredDto), (status = 422, body = crate::error::ApiErrorEnvelope),
        (status = 429, body = crate::error::ApiErrorEnvelope)))]
pub async fn answer(
    State(state): State<AppState>,
    v: Visitor,
    ClientAddr(client): ClientAddr,
    ApiJson(b): ApiJson<AnswerBody>,
) -> Result<(StatusCode, Json<AnsweredDto>), ApiError> {
    let a = app::survey::answer(&state.core, &b.answer, &b.client_key, &client, v.t.locale.code()).await.api(&v.t)?;
    Ok((StatusCode::CREATED, Json(AnsweredDto { lead: a.lead_status.is_some() })))
}

/// A period of the survey's figures.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
pub struct TotalsQuery {
    /// A region (its districts' figures); none: the regions of the country.
    region: Option<i64>,
    /// First day, `2026-08-01` (1 January of this year by default).
    from: Option<NaiveDate>,
    /// Last day (today by default).
    to: Option<NaiveDate>,
}

/// The survey's figures for a period, by district of a region or by region (no sign-in; no
/// answer is named).
#[utoipa::path(get, path = "/api/v1/public/survey/totals", tag = "survey", security(()), params(TotalsQuery),
    responses((status = 200, body = Object), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn totals(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<TotalsQuery>,
) -> Result<Json<Vec<app::survey::Figures>>, ApiError> {
    use chrono::Datelike;
    let today = app::appeals::today();
    let from = q.from.unwrap_or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today));
    let to = q.to.unwrap_or(today);
    Ok(Json(app::survey::totals(&state.core, q.region, from, to).await.api(&v.t)?))
}

/// A lead.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadDto {
    /// Id.
    pub id: i64,
    /// The school (or district) it is with.
    pub unit_id: i64,
    /// The day it came.
    pub created_on: NaiveDate,
    /// Ready for school.
    pub ready: bool,
    /// The children's grades.
    pub grades: Vec<String>,
    /// What is missing (codes).
    pub missing: Vec<String>,
    /// The family's situation (category codes).
    pub situation: Vec<String>,
    /// The settlement.
    pub settlement: Option<String>,
    /// Whom to call.
    pub contact_name: Option<String>,
    /// The phone.
    pub phone: Option<String>,
    /// `open`, `registered`, `closed`.
    pub status: Option<String>,
    /// The registry record it became.
    pub child_id: Option<i64>,
}

impl From<&app::entity::survey_answer::Model> for LeadDto {
    fn from(a: &app::entity::survey_answer::Model) -> Self {
        let list = |s: &str| s.split(',').filter(|x| !x.is_empty()).map(str::to_owned).collect();
        LeadDto {
            id: a.id,
            unit_id: a.unit_id,
            created_on: a.created_on,
            ready: a.ready == 1,
            grades: list(&a.grades),
            missing: list(&a.missing),
            situation: list(&a.situation),
            settlement: a.settlement.clone(),
            contact_name: a.contact_name.clone(),
            phone: a.phone.clone(),
            status: a.lead_status.clone(),
            child_id: a.lead_child_id,
        }
    }
}

/// A page of leads.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadPage {
    /// The leads, oldest first.
    pub rows: Vec<LeadDto>,
    /// Send as `after` for the next page.
    pub next_after: Option<i64>,
}

/// A page after a lead.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
pub struct AfterQuery {
    /// The `next_after` of the page before.
    after: Option<i64>,
}

/// The open leads of the caller's scope (coordinators and auditors).
#[utoipa::path(get, path = "/api/v1/survey-leads", tag = "survey", params(AfterQuery), responses((status = 200, body = LeadPage)))]
pub async fn leads(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<AfterQuery>,
) -> Result<Json<LeadPage>, ApiError> {
    let (rows, next) = app::survey::leads(&state.core, &user.actor, q.after).await.api(&user.t)?;
    Ok(Json(LeadPage { rows: rows.iter().map(LeadDto::from).collect(), next_after: next }))
}

/// One lead with its contact (the opening is logged).
#[utoipa::path(get, path = "/api/v1/survey-leads/{id}", tag = "survey", responses((status = 200, body = LeadDto)))]
pub async fn lead(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<LeadDto>, ApiError> {
    Ok(Json(LeadDto::from(&app::survey::lead(&state.core, &user.actor, id).await.api(&user.t)?)))
}

/// Why a lead closes.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CloseBody {
    /// The reason.
    #[serde(default)]
    pub reason: String,
}

/// Closes a lead with a reason.
#[utoipa::path(post, path = "/api/v1/survey-leads/{id}/close", tag = "survey", request_body = CloseBody,
    responses((status = 200, body = LeadDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn close(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<CloseBody>,
) -> Result<Json<LeadDto>, ApiError> {
    Ok(Json(LeadDto::from(&app::survey::close(&state.core, &user.actor, id, &b.reason).await.api(&user.t)?)))
}

/// The registry record a lead became.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisteredBody {
    /// A registry record in the caller's scope.
    pub child_id: Option<i64>,
}

/// Marks a lead turned into a registry record (made with `POST /api/v1/children`, source `survey`).
#[utoipa::path(post, path = "/api/v1/survey-leads/{id}/registered", tag = "survey", request_body = RegisteredBody,
    responses((status = 200, body = LeadDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn registered(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<RegisteredBody>,
) -> Result<Json<LeadDto>, ApiError> {
    let child = b.child_id.ok_or_else(|| user.fail(Invalid::one("child_id", ErrorCode::Required)))?;
    Ok(Json(LeadDto::from(&app::survey::registered(&state.core, &user.actor, id, child).await.api(&user.t)?)))
}

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/public/survey", post(answer))
        .route("/public/survey/totals", get(totals))
        .route("/survey-leads", get(leads))
        .route("/survey-leads/{id}", get(lead))
        .route("/survey-leads/{id}/close", post(close))
        .route("/survey-leads/{id}/registered", post(registered))
}
