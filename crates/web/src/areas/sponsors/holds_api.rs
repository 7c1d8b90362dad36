//! `/api/v1/sponsor/holds`, `/api/v1/holds`: a sponsor's holds with where to bring the goods,
//! deliveries announced by the sponsor and confirmed (or declined) by the school.

use app::entity::reservation;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use domain::{HoldId, NeedId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, Localize};
use crate::extract::{ApiJson, ApiUser};

/// A hold on a need.
#[derive(Debug, Serialize, ToSchema)]
pub struct HoldDto {
    /// Id.
    id: i64,
    /// The need.
    need_id: i64,
    /// `active` (held), `awaiting` (delivered by the sponsor, not yet confirmed by the school),
    /// `delivered` (confirmed: counted as help), `declined` (the school did not receive it),
    /// `expired`.
    status: String,
    /// Held until.
    expires_at: DateTime<Utc>,
    /// The day the sponsor delivered.
    delivered_on: Option<NaiveDate>,
    /// The ledger entry, once the school confirmed.
    entry_id: Option<i64>,
}

impl From<&reservation::Model> for HoldDto {
    fn from(r: &reservation::Model) -> Self {
        HoldDto {
            id: r.id,
            need_id: r.need_id,
            status: r.status.clone(),
            expires_at: r.expires_at,
            delivered_on: r.delivered_on,
            entry_id: r.entry_id,
        }
    }
}

/// A sponsor's hold with what to bring, for whom (by code) and where.
#[derive(Debug, Serialize, ToSchema)]
pub struct HeldDto {
    /// The hold.
    hold: HoldDto,
    /// The child's anonymous code.
    code: String,
    /// `male` or `female`.
    sex: String,
    /// Grade.
    grade: i16,
    /// Item code.
    item: String,
    /// Size.
    size: Option<String>,
    /// How many.
    quantity: i32,
    /// Tiyn.
    cost: i64,
    /// The school (Russian name).
    school: String,
    /// The school (Kazakh name).
    school_kk: String,
    /// Settlement.
    settlement: Option<String>,
    /// The school's address, as it filled it in.
    address: Option<String>,
    /// The school's coordinator.
    coordinator: Option<String>,
    /// The coordinator's work phone.
    phone: Option<String>,
}

/// A need to hold.
#[derive(Debug, Deserialize, ToSchema)]
pub struct HoldBody {
    /// The need.
    need_id: i64,
}

/// Holds a need for 48 hours (the sponsor).
#[utoipa::path(post, path = "/api/v1/sponsor/holds", tag = "aid", request_body = HoldBody,
    responses((status = 201, body = HoldDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn hold(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(b): ApiJson<HoldBody>,
) -> Result<(StatusCode, Json<HoldDto>), ApiError> {
    let r = app::sponsors::reserve(&state.core, &user.actor, NeedId(b.need_id)).await.api(&user.t)?;
    Ok((StatusCode::CREATED, Json(HoldDto::from(&r))))
}

/// The sponsor's holds, newest first (at most 100), with where to bring each need.
#[utoipa::path(get, path = "/api/v1/sponsor/holds", tag = "aid", responses((status = 200, body = [HeldDto])))]
pub async fn holds(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<HeldDto>>, ApiError> {
    let list = app::sponsors::mine(&state.core, &user.actor).await.api(&user.t)?;
    Ok(Json(
        list.into_iter()
            .map(|h| HeldDto {
                hold: HoldDto::from(&h.hold),
                code: h.code,
                sex: h.sex,
                grade: h.grade,
                item: h.need.item,
                size: h.need.size,
                quantity: h.need.quantity,
                cost: h.need.cost,
                school: h.school.name_ru,
                school_kk: h.school.name_kk,
                settlement: h.school.settlement,
                address: h.details.address,
                coordinator: h.details.coordinator,
                phone: h.details.phone,
            })
            .collect(),
    ))
}

/// Records the delivery of a held need: by the holding sponsor it waits for the school
/// (`awaiting`); by the child's school it is confirmed help at once (`delivered`).
#[utoipa::path(post, path = "/api/v1/holds/{id}/deliver", tag = "aid",
    responses((status = 200, body = HoldDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn deliver(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<HoldDto>, ApiError> {
    let today = domain::calendar::today();
    let r = app::sponsors::deliver(&state.core, &user.actor, HoldId(id), today).await.api(&user.t)?;
    Ok(Json(HoldDto::from(&r)))
}

/// The school's answer to a delivery.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConfirmBody {
    /// The goods arrived (true) or did not (false: the need is free again).
    received: bool,
}

/// The child's school confirms or declines a sponsor's delivery.
#[utoipa::path(post, path = "/api/v1/holds/{id}/confirm", tag = "aid", request_body = ConfirmBody,
    responses((status = 200, body = HoldDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn confirm(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ConfirmBody>,
) -> Result<Json<HoldDto>, ApiError> {
    let r = app::sponsors::confirm(&state.core, &user.actor, HoldId(id), b.received).await.api(&user.t)?;
    Ok(Json(HoldDto::from(&r)))
}

/// A delivery waiting for a school.
#[derive(Debug, Serialize, ToSchema)]
pub struct AwaitingDto {
    /// The hold (to confirm).
    hold_id: i64,
    /// The child.
    child_id: i64,
    /// The child's school.
    school_id: i64,
    /// The sponsor.
    sponsor: String,
    /// Item code.
    item: String,
    /// Tiyn.
    cost: i64,
    /// The day the sponsor delivered.
    delivered_on: Option<NaiveDate>,
}

/// Sponsors' deliveries waiting for the schools in scope, oldest first (at most 500).
#[utoipa::path(get, path = "/api/v1/holds/awaiting", tag = "aid", responses((status = 200, body = [AwaitingDto])))]
pub async fn awaiting(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<AwaitingDto>>, ApiError> {
    let list = app::sponsors::awaiting(&state.core, &user.actor, 500).await.api(&user.t)?;
    Ok(Json(
        list.into_iter()
            .map(|a| AwaitingDto {
                hold_id: a.hold_id,
                child_id: a.child_id,
                school_id: a.school_id,
                sponsor: a.sponsor,
                item: a.item,
                cost: a.cost,
                delivered_on: a.delivered_on,
            })
            .collect(),
    ))
}

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sponsor/holds", get(holds).post(hold))
        .route("/holds/awaiting", get(awaiting))
        .route("/holds/{id}/deliver", post(deliver))
        .route("/holds/{id}/confirm", post(confirm))
}
