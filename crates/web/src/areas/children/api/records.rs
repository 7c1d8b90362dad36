//! `/api/v1/children`: the registry's records through the same scope and audit rules as the
//! pages.

use app::entity::{child, child_need, child_status};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum_extra::extract::Query;
use chrono::{DateTime, NaiveDate, Utc};
use domain::child::{ChildInput, Status};
use domain::{CampaignId, ChildId, ErrorCode, Invalid};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::super::pages::list::{ListQuery, PER_PAGE};
use crate::AppState;
use crate::error::{ApiError, Localize};
use crate::extract::{ApiJson, ApiUser};

/// A child's record. Personal fields are empty for roles without the right to them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChildDto {
    /// Id.
    id: i64,
    /// Anonymous code (`D-000123`).
    code: String,
    /// Campaign id.
    campaign_id: i64,
    /// IIN (empty when anonymised).
    iin: String,
    /// Surname (the code when anonymised).
    surname: String,
    /// Name.
    first_name: String,
    /// Patronymic.
    patronymic: Option<String>,
    /// Birth date (1 January of the year when anonymised).
    birth_date: NaiveDate,
    /// `male` or `female`.
    sex: String,
    /// School.
    school_id: i64,
    /// Grade 0–11.
    grade: i16,
    /// `kk`, `ru`, `other`.
    study_language: String,
    /// Category codes.
    categories: Vec<String>,
    /// Guardian.
    guardian_name: String,
    /// Guardian's phone.
    guardian_phone: Option<String>,
    /// Status code.
    status: String,
    /// Why (not attending, closed).
    status_reason: Option<String>,
    /// The estimated cost of all needs, in tiyn.
    needs_cost: i64,
}

impl From<&child::Model> for ChildDto {
    fn from(c: &child::Model) -> Self {
        ChildDto {
            id: c.id,
            code: app::children::code(c.id),
            campaign_id: c.campaign_id,
            iin: c.iin.clone(),
            surname: c.surname.clone(),
            first_name: c.first_name.clone(),
            patronymic: c.patronymic.clone(),
            birth_date: c.birth_date,
            sex: c.sex.clone(),
            school_id: c.school_id,
            grade: c.grade,
            study_language: c.study_language.clone(),
            categories: c.categories.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            guardian_name: c.guardian_name.clone(),
            guardian_phone: c.guardian_phone.clone(),
            status: c.status.clone(),
            status_reason: c.status_reason.clone(),
            needs_cost: c.needs_cost,
        }
    }
}

/// One page of the list. A page starts after (or ends before) a row of the list, so every
/// page costs the same; follow `next_after` (as `after`) or `prev_before` (as `before`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ChildPage {
    /// All matching (at most 10,000 counted for a filtered list; then `more` is set).
    total: u64,
    /// More rows match than `total`.
    more: bool,
    /// Rows per page.
    per_page: u64,
    /// The id to pass as `after` for the next page; none on the last.
    next_after: Option<i64>,
    /// The id to pass as `before` for the page before; none on the first.
    prev_before: Option<i64>,
    /// The rows.
    rows: Vec<ChildDto>,
}

/// Filters of the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ChildQuery {
    /// Campaign year (default: the current campaign).
    year: Option<i32>,
    /// An IIN (12 digits), its first digits (at least 4), or the start of the surname (at least
    /// 2 letters, at most 100).
    #[serde(default)]
    q: String,
    /// Category code.
    #[serde(default)]
    category: String,
    /// Grade.
    #[serde(default)]
    grade: String,
    /// Status code.
    #[serde(default)]
    status: String,
    /// Need item code.
    #[serde(default)]
    need: String,
    /// A unit in scope (school, district…), by id.
    unit: Option<String>,
    /// `surname`, `grade`, `status`, `school`, `newest`.
    #[serde(default)]
    sort: String,
    /// The page starts after this child (the `next_after` of the page before), by id.
    after: Option<String>,
    /// The page ends before this child (the `prev_before` of the page after), by id.
    before: Option<String>,
}

impl ChildQuery {
    fn list(&self) -> ListQuery {
        ListQuery {
            year: self.year,
            q: self.q.clone(),
            category: self.category.clone(),
            grade: self.grade.clone(),
            status: self.status.clone(),
            need: self.need.clone(),
            unit: self.unit.clone(),
            sort: self.sort.clone(),
            after: self.after.clone(),
            before: self.before.clone(),
            page: None,
        }
    }
}

/// Children in the caller's scope, filtered, sorted, one page at a time.
#[utoipa::path(get, path = "/api/v1/children", tag = "registry", params(ChildQuery),
    responses((status = 200, body = ChildPage), (status = 403, body = crate::error::ApiErrorEnvelope), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ChildQuery>,
) -> Result<Json<ChildPage>, ApiError> {
    let campaign = app::campaigns::chosen(&state.core, q.year).await.api(&user.t)?;
    let list = q.list();
    let (filter, cursor) = list.filter().and_then(|f| Ok((f, list.cursor()?))).api(&user.t)?;
    let result = app::children::list(&state.core, &user.actor, CampaignId(campaign.id), &filter, cursor, PER_PAGE)
        .await
        .api(&user.t)?;
    let id = |c: Option<app::children::Cursor>| match c {
        Some(app::children::Cursor::After(id) | app::children::Cursor::Before(id)) => Some(id),
        _ => None,
    };
    Ok(Json(ChildPage {
        total: result.total,
        more: result.more,
        per_page: PER_PAGE,
        next_after: id(result.next),
        prev_before: id(result.prev),
        rows: result.rows.iter().map(ChildDto::from).collect(),
    }))
}

/// The filtered list as XLSX; written to the audit log as an export of personal data.
#[utoipa::path(get, path = "/api/v1/children/export.xlsx", tag = "registry", params(ChildQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn export(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ChildQuery>,
) -> Result<axum::response::Response, ApiError> {
    let campaign = app::campaigns::chosen(&state.core, q.year).await.api(&user.t)?;
    let filter = q.list().filter().api(&user.t)?;
    let bytes = app::export::children_xlsx(&state.core, &user.actor, &user.t, &campaign, &filter).await.api(&user.t)?;
    Ok(crate::render::xlsx_download(&format!("doroga-children-{}.xlsx", campaign.year), bytes))
}

/// A new child's record: the school and the record's fields (dates as `dd.mm.yyyy` or ISO).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct NewChild {
    /// The school.
    school_id: Option<i64>,
    /// The record.
    #[serde(flatten)]
    child: ChildInput,
}

/// Adds a child to a school's list in the current campaign.
#[utoipa::path(post, path = "/api/v1/children", tag = "registry", request_body = NewChild,
    responses((status = 201, body = ChildDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<NewChild>,
) -> Result<(StatusCode, Json<ChildDto>), ApiError> {
    let created = app::children::register(&state.core, &user.actor, body.school_id, &body.child).await.api(&user.t)?;
    Ok((StatusCode::CREATED, Json(ChildDto::from(&created))))
}

/// A child's card: record, needs, history. Each call is written to the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct CardDto {
    /// The record.
    child: ChildDto,
    /// Needs.
    needs: Vec<NeedDto>,
    /// Status history, oldest first.
    history: Vec<HistoryDto>,
    /// Whether personal fields are included.
    personal: bool,
}

/// A need.
#[derive(Debug, Serialize, ToSchema)]
pub struct NeedDto {
    /// Item code.
    item: String,
    /// Size.
    size: Option<String>,
    /// Quantity.
    quantity: i32,
    /// Estimated cost, tiyn.
    cost: i64,
}

impl From<&child_need::Model> for NeedDto {
    fn from(n: &child_need::Model) -> Self {
        NeedDto { item: n.item.clone(), size: n.size.clone(), quantity: n.quantity, cost: n.cost }
    }
}

/// A status change.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryDto {
    /// From.
    from_status: Option<String>,
    /// To.
    to_status: String,
    /// Why.
    reason: Option<String>,
    /// Who.
    actor_login: String,
    /// When.
    at: DateTime<Utc>,
}

impl From<&child_status::Model> for HistoryDto {
    fn from(h: &child_status::Model) -> Self {
        HistoryDto {
            from_status: h.from_status.clone(),
            to_status: h.to_status.clone(),
            reason: h.reason.clone(),
            actor_login: h.actor_login.clone(),
            at: h.at,
        }
    }
}

/// Opens a child's card (refused and logged outside scope).
#[utoipa::path(get, path = "/api/v1/children/{id}", tag = "registry",
    responses((status = 200, body = CardDto), (status = 403, body = crate::error::ApiErrorEnvelope), (status = 404, body = crate::error::ApiErrorEnvelope)))]
pub async fn card(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<CardDto>, ApiError> {
    let card = app::children::card(&state.core, &user.actor, ChildId(id)).await.api(&user.t)?;
    Ok(Json(CardDto {
        child: ChildDto::from(&card.child),
        needs: card.needs.iter().map(NeedDto::from).collect(),
        history: card.history.iter().map(HistoryDto::from).collect(),
        personal: card.personal,
    }))
}

/// Replaces a child's record.
#[utoipa::path(put, path = "/api/v1/children/{id}", tag = "registry", request_body = ChildInput,
    responses((status = 200, body = ChildDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ChildInput>,
) -> Result<Json<ChildDto>, ApiError> {
    let updated = app::children::change(&state.core, &user.actor, ChildId(id), &body).await.api(&user.t)?;
    Ok(Json(ChildDto::from(&updated)))
}

/// A status change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusBody {
    /// `identified`, `verified`, `aid_planned`, `aid_delivered`, `attending`, `not_attending`, `closed`.
    status: String,
    /// Required for `not_attending` and `closed`.
    #[serde(default)]
    reason: String,
}

/// Moves a child to another status.
#[utoipa::path(post, path = "/api/v1/children/{id}/status", tag = "registry", request_body = StatusBody,
    responses((status = 200, body = ChildDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn set_status(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<StatusBody>,
) -> Result<Json<ChildDto>, ApiError> {
    let status =
        Status::parse(&body.status).ok_or_else(|| user.fail(Invalid::one("status", ErrorCode::InvalidChoice)))?;
    let updated =
        app::children::set_status(&state.core, &user.actor, ChildId(id), status, &body.reason).await.api(&user.t)?;
    Ok(Json(ChildDto::from(&updated)))
}
