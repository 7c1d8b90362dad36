//! `/api/v1/children/{id}/aid`, `/api/v1/aid`, `/api/v1/funds`: the ledger and the schools'
//! funds (the pages act on them from the child's card and the school's page).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::aid::{EntryInput, EntryStatus};
use domain::{ChildId, EntryId, ErrorCode, Invalid, OrgUnitId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::dto::EntryDto;
use crate::error::{ApiError, Localize};
use crate::extract::{ApiJson, ApiUser};

/// A child's aid, oldest first.
#[utoipa::path(get, path = "/api/v1/children/{id}/aid", tag = "aid", responses((status = 200, body = [EntryDto]), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<EntryDto>>, ApiError> {
    let entries = app::ledger::for_child(&state.core, &user.actor, ChildId(id)).await.api(&user.t)?;
    Ok(Json(entries.iter().map(EntryDto::from).collect()))
}

/// An act of help as sent: the entry's fields (amounts in whole tenge as text, `"46 228"`;
/// dates as `dd.mm.yyyy` or ISO) and whether it is delivered already.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct EntryBody {
    /// The entry.
    #[serde(flatten)]
    entry: EntryInput,
    /// Already delivered (otherwise planned or pledged).
    #[serde(default)]
    delivered: bool,
}

/// Records an act of help for a child.
#[utoipa::path(post, path = "/api/v1/children/{id}/aid", tag = "aid", request_body = EntryBody,
    responses((status = 201, body = EntryDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn record(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<EntryBody>,
) -> Result<(StatusCode, Json<EntryDto>), ApiError> {
    let entry = app::ledger::give(&state.core, &user.actor, ChildId(id), &b.entry, b.delivered).await.api(&user.t)?;
    Ok((StatusCode::CREATED, Json(EntryDto::from(&entry))))
}

/// A status move.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MoveBody {
    /// `delivered` or `confirmed`.
    to: String,
}

/// Moves an entry's status forward.
#[utoipa::path(post, path = "/api/v1/aid/{id}/status", tag = "aid", request_body = MoveBody,
    responses((status = 200, body = EntryDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn set_status(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<MoveBody>,
) -> Result<Json<EntryDto>, ApiError> {
    let to = EntryStatus::parse(&b.to).ok_or_else(|| user.fail(Invalid::one("to", ErrorCode::InvalidChoice)))?;
    let entry = app::ledger::set_status(&state.core, &user.actor, EntryId(id), to).await.api(&user.t)?;
    Ok(Json(EntryDto::from(&entry)))
}

/// A reversal's reason.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReverseBody {
    #[serde(default)]
    reason: String,
}

/// Reverses an entry (a new entry of the opposite amount).
#[utoipa::path(post, path = "/api/v1/aid/{id}/reverse", tag = "aid", request_body = ReverseBody,
    responses((status = 201, body = EntryDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn reverse(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ReverseBody>,
) -> Result<(StatusCode, Json<EntryDto>), ApiError> {
    let entry = app::ledger::reverse(&state.core, &user.actor, EntryId(id), &b.reason).await.api(&user.t)?;
    Ok((StatusCode::CREATED, Json(EntryDto::from(&entry))))
}

/// A school's fund in the current campaign.
#[derive(Debug, Serialize, ToSchema)]
pub struct FundDto {
    /// School.
    school_id: i64,
    /// Campaign year.
    year: i32,
    /// Tiyn.
    allocation: i64,
    /// Delivered fund aid, tiyn.
    spent: i64,
    /// What is left, tiyn; never negative.
    balance: i64,
}

async fn fund_dto(state: &AppState, user: &ApiUser, school: i64) -> Result<FundDto, ApiError> {
    let unit = app::orgs::get(&state.core, &user.actor, OrgUnitId(school)).await.api(&user.t)?;
    let c = app::campaigns::chosen(&state.core, None).await.api(&user.t)?;
    let fund = app::ledger::fund_of(&state.core, &user.actor, OrgUnitId(unit.id), &c).await.api(&user.t)?;
    let (allocation, spent) = fund.map_or((0, 0), |f| (f.allocation, f.spent));
    Ok(FundDto { school_id: unit.id, year: c.year, allocation, spent, balance: allocation - spent })
}

/// The fund of a school in scope.
#[utoipa::path(get, path = "/api/v1/funds/{school_id}", tag = "aid", responses((status = 200, body = FundDto)))]
pub async fn fund(
    State(state): State<AppState>,
    user: ApiUser,
    Path(school): Path<i64>,
) -> Result<Json<FundDto>, ApiError> {
    Ok(Json(fund_dto(&state, &user, school).await?))
}

/// A fund allocation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AllocationBody {
    /// Whole tenge.
    allocation: String,
}

/// Sets a school's fund allocation for the current campaign (district and above).
#[utoipa::path(put, path = "/api/v1/funds/{school_id}", tag = "aid", request_body = AllocationBody,
    responses((status = 200, body = FundDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn set_fund(
    State(state): State<AppState>,
    user: ApiUser,
    Path(school): Path<i64>,
    ApiJson(b): ApiJson<AllocationBody>,
) -> Result<Json<FundDto>, ApiError> {
    let c = app::campaigns::chosen(&state.core, None).await.api(&user.t)?;
    let amount = domain::child::parse_tenge(&b.allocation)
        .ok_or_else(|| user.fail(Invalid::one("allocation", ErrorCode::AmountFormat)))?;
    app::ledger::set_allocation(&state.core, &user.actor, OrgUnitId(school), &c, amount).await.api(&user.t)?;
    Ok(Json(fund_dto(&state, &user, school).await?))
}

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/children/{id}/aid", get(list).post(record))
        .route("/aid/{id}/status", post(set_status))
        .route("/aid/{id}/reverse", post(reverse))
        .route("/funds/{school_id}", get(fund).put(set_fund))
}
