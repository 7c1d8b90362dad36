//! `/api/v1/absences`, `/api/v1/attendance`, `/api/v1/cases`, `/api/v1/tasks`: pupils who do not
//! come to school, their days out, and the cases that follow them until they are back.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::NaiveDate;
use domain::attendance::{AbsenceReason, Thresholds};
use domain::{ErrorCode, Invalid, OrgUnitId};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::wire::{
    AbsenceBody, AbsenceDto, AbsencePage, CaseDto, CloseBody, ReasonsDto, RollBody, SignBody, StepBody, StepDto,
    TaskDto, TaskPage, ThresholdsDto,
};
use crate::AppState;
use crate::error::{ApiError, Localize};
use crate::extract::{ApiJson, ApiUser};

/// `12.345` → the days out and id a page of pupils ends with.
pub(super) fn parse_after(s: &str) -> Option<(i32, i64)> {
    let (days, id) = s.split_once('.')?;
    Some((days.parse().ok()?, id.parse().ok()?))
}

/// `2026-09-10.42` → the due day and id a page of tasks ends with.
pub(super) fn parse_task_after(s: &str) -> Option<(NaiveDate, i64)> {
    let (day, id) = s.split_once('.')?;
    Some((NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?, id.parse().ok()?))
}

/// A page of pupils out.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
pub struct ListQuery {
    /// One reason's pupils only (a reason code).
    reason: Option<String>,
    /// The `next_after` of the page before.
    after: Option<String>,
}

/// The pupils out in the caller's scope, most days out first, 30 a page.
#[utoipa::path(get, path = "/api/v1/absences", tag = "attendance", params(ListQuery),
    responses((status = 200, body = AbsencePage)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ListQuery>,
) -> Result<Json<AbsencePage>, ApiError> {
    let after = match q.after.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(parse_after(s).ok_or_else(|| user.fail(Invalid::one("after", ErrorCode::StaleCursor)))?),
        None => None,
    };
    let reason = match q.reason.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(r) => {
            Some(AbsenceReason::parse(r).ok_or_else(|| user.fail(Invalid::one("reason", ErrorCode::InvalidChoice)))?)
        }
        None => None,
    };
    let c = app::campaigns::chosen(&state.core, None).await.api(&user.t)?;
    let (rows, next) = app::attendance::list(&state.core, &user.actor, &c, reason, after).await.api(&user.t)?;
    Ok(Json(AbsencePage {
        rows: rows.into_iter().map(AbsenceDto::from).collect(),
        next_after: next.map(|(d, id)| format!("{d}.{id}")),
    }))
}

/// The pupils out in the caller's scope by reason, back and still out.
#[utoipa::path(get, path = "/api/v1/absences/reasons", tag = "attendance", responses((status = 200, body = ReasonsDto)))]
pub async fn reasons(State(state): State<AppState>, user: ApiUser) -> Result<Json<ReasonsDto>, ApiError> {
    let c = app::campaigns::chosen(&state.core, None).await.api(&user.t)?;
    let r = app::attendance::reasons(&state.core, &user.actor, &c).await.api(&user.t)?;
    Ok(Json(ReasonsDto { total: r.total(), back: r.back(), out: r.total() - r.back(), by_reason: r.by_reason }))
}

/// Records a pupil who did not come (any pupil of the school, in the aid registry or not) and
/// opens its case: 201 for a new one, 200 for the same pupil sent again (changed, never doubled).
#[utoipa::path(post, path = "/api/v1/absences", tag = "attendance", request_body = AbsenceBody,
    responses((status = 201, body = AbsenceDto), (status = 200, body = AbsenceDto),
        (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn record(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(b): ApiJson<AbsenceBody>,
) -> Result<(StatusCode, Json<AbsenceDto>), ApiError> {
    let c = app::campaigns::chosen(&state.core, None).await.api(&user.t)?;
    let school = OrgUnitId(b.school_id.unwrap_or(user.actor.scope.unit().0));
    let today = domain::calendar::today();
    let r = app::attendance::record(&state.core, &user.actor, &c, school, &b.absence, today).await.api(&user.t)?;
    let status = if r.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(AbsenceDto::new(r.absence, Some((r.case_id, "open".into()))))))
}

/// One pupil out.
#[utoipa::path(get, path = "/api/v1/absences/{id}", tag = "attendance", responses((status = 200, body = AbsenceDto)))]
pub async fn one(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<AbsenceDto>, ApiError> {
    Ok(Json(app::attendance::get(&state.core, &user.actor, id).await.api(&user.t)?.into()))
}

/// The day's roll of a school: of its pupils out, who is still out and who came back.
#[utoipa::path(post, path = "/api/v1/attendance/roll", tag = "attendance", request_body = RollBody,
    responses((status = 200, body = usize), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn roll(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(b): ApiJson<RollBody>,
) -> Result<Json<usize>, ApiError> {
    let day =
        domain::child::parse_date(&b.day).ok_or_else(|| user.fail(Invalid::one("day", ErrorCode::InvalidDate)))?;
    let c = app::campaigns::chosen(&state.core, None).await.api(&user.t)?;
    let school = OrgUnitId(b.school_id.unwrap_or(user.actor.scope.unit().0));
    let today = domain::calendar::today();
    let n = app::attendance::roll(
        &state.core,
        &user.actor,
        &c,
        school,
        app::attendance::Roll { day, out: &b.out, back: &b.back },
        today,
    )
    .await
    .api(&user.t)?;
    Ok(Json(n))
}

/// Reads a school's e-journal file of days out (multipart: `school_id`, `file`; XLSX or CSV with
/// the columns ИИН, Фамилия, Имя, Класс, Дата, Причина): all of it, or nothing with every bad row.
#[utoipa::path(post, path = "/api/v1/attendance/journal", tag = "attendance",
    responses((status = 200, body = Object), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn journal(
    State(state): State<AppState>,
    user: ApiUser,
    multipart: Multipart,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (school, _, path) =
        crate::sheets::receive(multipart, state.config.import_limit, &state.config.upload_dir).await.api(&user.t)?;
    let c = app::campaigns::chosen(&state.core, None).await.api(&user.t)?;
    let school = OrgUnitId(school.unwrap_or(user.actor.scope.unit().0));
    let today = domain::calendar::today();
    let s =
        app::attendance::import(&state.core, &user.actor, &c, school, path.to_path_buf(), today).await.api(&user.t)?;
    drop(path);
    Ok(Json(serde_json::json!(s)))
}

/// A case with its pupil and steps (overdue ones flagged).
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "attendance", responses((status = 200, body = CaseDto)))]
pub async fn case(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<CaseDto>, ApiError> {
    let today = domain::calendar::today();
    Ok(Json(app::attendance::case(&state.core, &user.actor, id, today).await.api(&user.t)?.into()))
}

/// Adds a step to an open case (201); the same `client_id` again is the same step (200).
#[utoipa::path(post, path = "/api/v1/cases/{id}/steps", tag = "attendance", request_body = StepBody,
    responses((status = 201, body = StepDto), (status = 200, body = StepDto),
        (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn add_step(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<StepBody>,
) -> Result<(StatusCode, Json<StepDto>), ApiError> {
    let today = domain::calendar::today();
    let added = app::attendance::add_step(&state.core, &user.actor, id, &b.step, today).await.api(&user.t)?;
    Ok(match added {
        app::attendance::Added::Created(s) => (StatusCode::CREATED, Json(StepDto::new(s, None, false))),
        app::attendance::Added::Same(s) => (StatusCode::OK, Json(StepDto::new(s, None, false))),
    })
}

/// Changes a step (done, with its outcome); `version` is the one read.
#[utoipa::path(put, path = "/api/v1/steps/{id}", tag = "attendance", request_body = StepBody,
    responses((status = 200, body = StepDto),
        (status = 409, description = "made offline on a version changed since: kept for a coordinator",
            body = super::conflicts::StepConflictDto),
        (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn update_step(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<StepBody>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let version = b.version.ok_or_else(|| user.fail(Invalid::one("version", ErrorCode::Required)))?;
    let today = domain::calendar::today();
    let change = app::attendance::update_step(&state.core, &user.actor, id, version, &b.step, today, b.offline)
        .await
        .api(&user.t)?;
    Ok(match change {
        app::attendance::StepChange::Updated(s) => Json(StepDto::new(s, None, false)).into_response(),
        app::attendance::StepChange::Conflict { conflict, server } => {
            let kept = app::attendance::StepConflict {
                conflict,
                proposed: b.step,
                proposed_by: user.actor.login.clone(),
                server,
            };
            (StatusCode::CONFLICT, Json(super::conflicts::StepConflictDto::from(kept))).into_response()
        }
    })
}

/// Closes a case: back at school, or a reason that awaits the district's second signature.
#[utoipa::path(post, path = "/api/v1/cases/{id}/close", tag = "attendance", request_body = CloseBody,
    responses((status = 200, body = CaseDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn close(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<CloseBody>,
) -> Result<Json<CaseDto>, ApiError> {
    let today = domain::calendar::today();
    app::attendance::close(&state.core, &user.actor, id, &b.closing, today).await.api(&user.t)?;
    Ok(Json(app::attendance::case(&state.core, &user.actor, id, today).await.api(&user.t)?.into()))
}

/// The district's second signature on a case closed without the pupil back, or its refusal.
#[utoipa::path(post, path = "/api/v1/cases/{id}/signature", tag = "attendance", request_body = SignBody,
    responses((status = 200, body = CaseDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn sign(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<SignBody>,
) -> Result<Json<CaseDto>, ApiError> {
    let today = domain::calendar::today();
    app::attendance::sign(&state.core, &user.actor, id, b.agree).await.api(&user.t)?;
    Ok(Json(app::attendance::case(&state.core, &user.actor, id, today).await.api(&user.t)?.into()))
}

/// A page of the task list.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
pub struct TaskQuery {
    /// Only the caller's own steps.
    #[serde(default)]
    mine: bool,
    /// The `next_after` of the page before.
    after: Option<String>,
}

/// The steps still to do in the caller's scope (or its own), soonest due first, 50 a page.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "attendance", params(TaskQuery), responses((status = 200, body = TaskPage)))]
pub async fn tasks(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<TaskQuery>,
) -> Result<Json<TaskPage>, ApiError> {
    let after = match q.after.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(parse_task_after(s).ok_or_else(|| user.fail(Invalid::one("after", ErrorCode::StaleCursor)))?),
        None => None,
    };
    let c = app::campaigns::chosen(&state.core, None).await.api(&user.t)?;
    let today = domain::calendar::today();
    let rows = app::attendance::tasks(&state.core, &user.actor, &c, q.mine, after, today).await.api(&user.t)?;
    let next = (rows.len() as u64 == app::attendance::TASKS_PAGE)
        .then(|| rows.last().map(|t| format!("{}.{}", t.step.due_on.format("%Y-%m-%d"), t.step.id)))
        .flatten();
    Ok(Json(TaskPage { rows: rows.into_iter().map(TaskDto::from).collect(), next_after: next }))
}

/// A region's early-warning thresholds (7 days and 33 % unless the region set its own).
#[utoipa::path(get, path = "/api/v1/regions/{id}/warning-thresholds", tag = "attendance",
    responses((status = 200, body = ThresholdsDto)))]
pub async fn thresholds(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ThresholdsDto>, ApiError> {
    let t = app::attendance::thresholds(&state.core, &user.actor, OrgUnitId(id)).await.api(&user.t)?;
    Ok(Json(ThresholdsDto { streak: t.streak, share_permille: t.share_permille }))
}

/// Sets a region's thresholds (its coordinator, or the republic's).
#[utoipa::path(put, path = "/api/v1/regions/{id}/warning-thresholds", tag = "attendance", request_body = ThresholdsDto,
    responses((status = 200, body = ThresholdsDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn set_thresholds(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ThresholdsDto>,
) -> Result<Json<ThresholdsDto>, ApiError> {
    let t = Thresholds { streak: b.streak, share_permille: b.share_permille };
    app::attendance::set_thresholds(&state.core, &user.actor, OrgUnitId(id), t).await.api(&user.t)?;
    Ok(Json(b))
}

/// A stretch of the school calendar.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
pub struct CalendarQuery {
    /// First day, `01.09.2026`.
    from: String,
    /// Last day (at most 400 days on).
    to: String,
}

/// The school days of a stretch (weekdays less the days off, plus weekend days worked).
#[utoipa::path(get, path = "/api/v1/calendar", tag = "attendance", params(CalendarQuery),
    responses((status = 200, body = [NaiveDate]), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn calendar(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<CalendarQuery>,
) -> Result<Json<Vec<NaiveDate>>, ApiError> {
    let day = |field: &str, text: &str| {
        domain::child::parse_date(text).ok_or_else(|| user.fail(Invalid::one(field, ErrorCode::InvalidDate)))
    };
    let (from, to) = (day("from", &q.from)?, day("to", &q.to)?);
    Ok(Json(app::attendance::school_days(&state.core, from, to).await.api(&user.t)?))
}

/// A day of the calendar as the republic sets it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DayBody {
    /// Pupils are expected (true) or it is a day off (false).
    pub school_day: bool,
}

/// Marks a day (`2026-10-26`) as a school day or a day off for every school (the republic's
/// coordinator): a decree's move, a break.
#[utoipa::path(put, path = "/api/v1/calendar/{day}", tag = "attendance", request_body = DayBody,
    responses((status = 204), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn set_day(
    State(state): State<AppState>,
    user: ApiUser,
    Path(day): Path<String>,
    ApiJson(b): ApiJson<DayBody>,
) -> Result<StatusCode, ApiError> {
    let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
        .map_err(|_| user.fail(Invalid::one("day", ErrorCode::InvalidDate)))?;
    let today = domain::calendar::today();
    app::attendance::set_day(&state.core, &user.actor, day, b.school_day, today).await.api(&user.t)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Routes.
pub fn router(import_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/absences", get(list).post(record))
        .route("/absences/reasons", get(reasons))
        .route("/absences/{id}", get(one))
        .route("/attendance/roll", post(roll))
        .route("/attendance/journal", post(journal).layer(axum::extract::DefaultBodyLimit::max(import_limit)))
        .route("/cases/{id}", get(case))
        .route("/cases/{id}/steps", post(add_step))
        .route("/cases/{id}/close", post(close))
        .route("/cases/{id}/signature", post(sign))
        .route("/steps/{id}", put(update_step))
        .route("/tasks", get(tasks))
        .route("/regions/{id}/warning-thresholds", get(thresholds).put(set_thresholds))
        .route("/calendar", get(calendar))
        .route("/calendar/{day}", put(set_day))
}
