//! `/api/v1/appeals`, `/api/v1/public/appeals`, `/api/v1/work-days`, `/api/v1/appeal-terms`:
//! appeals as staff register and work them, as the public files and follows them, and the
//! calendar and terms their deadlines count on.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::{NaiveDate, Utc};
use domain::appeal::{AppealInput, Channel, Topic};
use domain::{ErrorCode, Invalid, OrgUnitId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::wire::{
    AnswerBody, AppealDto, AppealLineDto, AppealPage, AssignBody, ExtendBody, FeedbackBody, ForwardBody,
    PublicAppealBody, ReceiptDto, TrackDto,
};
use crate::AppState;
use crate::client::ClientAddr;
use crate::error::{ApiError, Localize};
use crate::extract::{ApiJson, ApiUser, Visitor};

pub(super) use crate::dto::{day_cursor as cursor, parse_day_cursor as parse_after};

/// A list of appeals.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
pub struct ListQuery {
    /// `open` (still to answer, soonest due first; the default), `due` (due within three working
    /// days), `overdue`, `mine` (assigned to the caller), `all` (newest first).
    view: Option<String>,
    /// The `next_after` of the page before.
    after: Option<String>,
}

/// The appeals of the caller's scope, 20 a page (coordinators and auditors).
#[utoipa::path(get, path = "/api/v1/appeals", tag = "appeals", params(ListQuery),
    responses((status = 200, body = AppealPage), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ListQuery>,
) -> Result<Json<AppealPage>, ApiError> {
    let today = app::appeals::today();
    let view = app::appeals::view(&state.core, q.view.as_deref().unwrap_or("").trim(), today).await.api(&user.t)?;
    let after = match q.after.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(parse_after(s).ok_or_else(|| user.fail(Invalid::one("after", ErrorCode::StaleCursor)))?),
        None => None,
    };
    let page = app::appeals::list(&state.core, &user.actor, view, after, today).await.api(&user.t)?;
    let line = |a: &app::entity::appeal::Model| AppealLineDto {
        likely_duplicate: page.likely_duplicates.contains(&a.id),
        ..AppealLineDto::from(a)
    };
    Ok(Json(AppealPage { rows: page.rows.iter().map(line).collect(), next_after: page.next.map(cursor) }))
}

/// Registers an appeal received by phone, at a reception, from 111, a messenger or a letter
/// (coordinators); the child by IIN within the caller's scope.
#[utoipa::path(post, path = "/api/v1/appeals", tag = "appeals", request_body = AppealInput,
    responses((status = 201, body = ReceiptDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn register(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(b): ApiJson<AppealInput>,
) -> Result<(StatusCode, Json<ReceiptDto>), ApiError> {
    let a = app::appeals::register(&state.core, &user.actor, &b).await.api(&user.t)?;
    Ok((StatusCode::CREATED, Json(ReceiptDto::of(&a, true))))
}

async fn card(state: &AppState, user: &ApiUser, id: i64) -> Result<Json<AppealDto>, ApiError> {
    let v = app::appeals::get(&state.core, &user.actor, id).await.api(&user.t)?;
    Ok(Json(AppealDto::from(&v)))
}

/// One appeal with its history (the opening is logged).
#[utoipa::path(get, path = "/api/v1/appeals/{id}", tag = "appeals", responses((status = 200, body = AppealDto)))]
pub async fn one(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<AppealDto>, ApiError> {
    card(&state, &user, id).await
}

/// Takes the appeal into work (a coordinator over it).
#[utoipa::path(post, path = "/api/v1/appeals/{id}/take", tag = "appeals",
    responses((status = 200, body = AppealDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn take(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<AppealDto>, ApiError> {
    app::appeals::take(&state.core, &user.actor, id).await.api(&user.t)?;
    card(&state, &user, id).await
}

/// Assigns the appeal to a coordinator of the unit in charge.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/assign", tag = "appeals", request_body = AssignBody,
    responses((status = 200, body = AppealDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn assign(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<AssignBody>,
) -> Result<Json<AppealDto>, ApiError> {
    app::appeals::assign(&state.core, &user.actor, id, UserId(b.assignee_id)).await.api(&user.t)?;
    card(&state, &user, id).await
}

/// Forwards the appeal to the unit whose competence it is; its term starts again there. The
/// answer is the appeal's line as sent (the forwarding unit may no longer see its card).
#[utoipa::path(post, path = "/api/v1/appeals/{id}/forward", tag = "appeals", request_body = ForwardBody,
    responses((status = 200, body = AppealLineDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn forward(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ForwardBody>,
) -> Result<Json<AppealLineDto>, ApiError> {
    let to = OrgUnitId(b.unit_id);
    let a = app::appeals::forward(&state.core, &user.actor, id, to, &b.note, Utc::now()).await.api(&user.t)?;
    Ok(Json(AppealLineDto::from(&a)))
}

/// Extends the term once, with a reason, up to two months from the appeal's arrival.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/extend", tag = "appeals", request_body = ExtendBody,
    responses((status = 200, body = AppealDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn extend(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ExtendBody>,
) -> Result<Json<AppealDto>, ApiError> {
    app::appeals::extend(&state.core, &user.actor, id, &b, Utc::now()).await.api(&user.t)?;
    card(&state, &user, id).await
}

/// Answers the appeal.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/answer", tag = "appeals", request_body = AnswerBody,
    responses((status = 200, body = AppealDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn answer(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<AnswerBody>,
) -> Result<Json<AppealDto>, ApiError> {
    app::appeals::answer(&state.core, &user.actor, id, &b.answer, Utc::now()).await.api(&user.t)?;
    card(&state, &user, id).await
}

/// Closes an answered appeal.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/close", tag = "appeals",
    responses((status = 200, body = AppealDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn close(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<AppealDto>, ApiError> {
    app::appeals::close(&state.core, &user.actor, id, Utc::now()).await.api(&user.t)?;
    card(&state, &user, id).await
}

/// Files an appeal through the public form (no sign-in); `client_key` is the form's UUID, the
/// same key sent again is the same appeal. At most 10 an hour from one client (429).
#[utoipa::path(post, path = "/api/v1/public/appeals", tag = "appeals", security(()), request_body = PublicAppealBody,
    responses((status = 201, body = ReceiptDto), (status = 422, body = crate::error::ApiErrorEnvelope),
        (status = 429, body = crate::error::ApiErrorEnvelope)))]
pub async fn file(
    State(state): State<AppState>,
    v: Visitor,
    ClientAddr(client): ClientAddr,
    ApiJson(b): ApiJson<PublicAppealBody>,
) -> Result<(StatusCode, Json<ReceiptDto>), ApiError> {
    let channel = if b.qr { Channel::Qr } else { Channel::Web };
    let a = app::appeals::file(&state.core, &b.appeal, channel, &b.client_key, &client, v.t.locale.code())
        .await
        .api(&v.t)?;
    Ok((StatusCode::CREATED, Json(ReceiptDto::of(&a, false))))
}

/// Where an appeal stands, by its code (no sign-in; look-ups are throttled per client).
#[utoipa::path(get, path = "/api/v1/public/appeals/{code}", tag = "appeals", security(()),
    responses((status = 200, body = TrackDto), (status = 404, body = crate::error::ApiErrorEnvelope),
        (status = 429, body = crate::error::ApiErrorEnvelope)))]
pub async fn track(
    State(state): State<AppState>,
    v: Visitor,
    ClientAddr(client): ClientAddr,
    Path(code): Path<String>,
) -> Result<Json<TrackDto>, ApiError> {
    Ok(Json(app::appeals::track(&state.core, &code, &client).await.api(&v.t)?.into()))
}

/// The applicant's "was the problem solved?", once the appeal is answered.
#[utoipa::path(post, path = "/api/v1/public/appeals/{code}/feedback", tag = "appeals", security(()),
    request_body = FeedbackBody, responses((status = 200, body = TrackDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn feedback(
    State(state): State<AppState>,
    v: Visitor,
    ClientAddr(client): ClientAddr,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<FeedbackBody>,
) -> Result<Json<TrackDto>, ApiError> {
    Ok(Json(app::appeals::feedback(&state.core, &code, b.solved, &client).await.api(&v.t)?.into()))
}

/// A year of the working-day calendar.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
pub struct YearQuery {
    /// The year (this year by default).
    year: Option<i32>,
}

/// A day of the working-day calendar that is not as the week has it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WorkDayDto {
    /// The day.
    #[serde(default)]
    pub day: Option<NaiveDate>,
    /// Worked (a weekend day worked instead), or off (a holiday, a moved day); none: as the week.
    pub working: Option<bool>,
    /// Why: a holiday's code, `moved`, or the republic's words.
    #[serde(default)]
    pub note: Option<String>,
}

/// The working-day calendar's exceptions of a year (what appeals' terms count on).
#[utoipa::path(get, path = "/api/v1/work-days", tag = "appeals", params(YearQuery), responses((status = 200, body = [WorkDayDto])))]
pub async fn work_days(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<YearQuery>,
) -> Result<Json<Vec<WorkDayDto>>, ApiError> {
    use chrono::Datelike;
    let year = q.year.unwrap_or_else(|| app::appeals::today().year());
    let rows = app::appeals::work_days(&state.core, year).await.api(&user.t)?;
    Ok(Json(
        rows.into_iter()
            .map(|r| WorkDayDto { day: Some(r.day), working: Some(r.working == 1), note: r.note })
            .collect(),
    ))
}

/// Sets a day (`2027-05-17`) worked, off, or as the week has it (`working: null`): the republic's
/// coordinator, from the government's decree.
#[utoipa::path(put, path = "/api/v1/work-days/{day}", tag = "appeals", request_body = WorkDayDto,
    responses((status = 204), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn set_work_day(
    State(state): State<AppState>,
    user: ApiUser,
    Path(day): Path<String>,
    ApiJson(b): ApiJson<WorkDayDto>,
) -> Result<StatusCode, ApiError> {
    let day = domain::child::parse_date(&day).ok_or_else(|| user.fail(Invalid::one("day", ErrorCode::InvalidDate)))?;
    let note = b.note.unwrap_or_default();
    app::appeals::set_work_day(&state.core, &user.actor, day, b.working, &note).await.api(&user.t)?;
    Ok(StatusCode::NO_CONTENT)
}

/// A topic's term.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TermDto {
    /// A topic code.
    #[serde(default)]
    pub topic: String,
    /// Working days (1–30).
    pub days: u32,
}

/// Each topic's term in working days.
#[utoipa::path(get, path = "/api/v1/appeal-terms", tag = "appeals", responses((status = 200, body = [TermDto])))]
pub async fn terms(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<TermDto>>, ApiError> {
    let rows = app::appeals::terms(&state.core).await.api(&user.t)?;
    Ok(Json(rows.into_iter().map(|(t, days)| TermDto { topic: t.as_str().to_owned(), days }).collect()))
}

/// Sets a topic's term (the republic's coordinator); appeals registered after it count on it.
#[utoipa::path(put, path = "/api/v1/appeal-terms/{topic}", tag = "appeals", request_body = TermDto,
    responses((status = 200, body = TermDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn set_term(
    State(state): State<AppState>,
    user: ApiUser,
    Path(topic): Path<String>,
    ApiJson(b): ApiJson<TermDto>,
) -> Result<Json<TermDto>, ApiError> {
    let t = Topic::parse(&topic).ok_or_else(|| user.fail(Invalid::one("topic", ErrorCode::InvalidChoice)))?;
    app::appeals::set_term(&state.core, &user.actor, t, &b.days.to_string()).await.api(&user.t)?;
    Ok(Json(TermDto { topic: t.as_str().to_owned(), days: b.days }))
}

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/appeals", get(list).post(register))
        .route("/appeals/{id}", get(one))
        .route("/appeals/{id}/take", post(take))
        .route("/appeals/{id}/assign", post(assign))
        .route("/appeals/{id}/forward", post(forward))
        .route("/appeals/{id}/extend", post(extend))
        .route("/appeals/{id}/answer", post(answer))
        .route("/appeals/{id}/close", post(close))
        .route("/public/appeals", post(file))
        .route("/public/appeals/{code}", get(track))
        .route("/public/appeals/{code}/feedback", post(feedback))
        .route("/work-days", get(work_days))
        .route("/work-days/{day}", put(set_work_day))
        .route("/appeal-terms", get(terms))
        .route("/appeal-terms/{topic}", put(set_term))
}
