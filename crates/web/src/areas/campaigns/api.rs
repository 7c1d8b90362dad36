//! `/api/v1/campaigns`: campaign years, the regions' cash norms and the deadlines for proofs
//! and pledges.

use app::entity::campaign;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use chrono::NaiveDate;
use domain::child::CampaignInput;
use domain::{CampaignId, ErrorCode, Invalid, OrgUnitId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, Localize};
use crate::extract::{ApiJson, ApiUser};

/// A campaign.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignDto {
    /// Id.
    id: i64,
    /// Year.
    year: i32,
    /// First day.
    starts_on: NaiveDate,
    /// Last day.
    ends_on: NaiveDate,
    /// Motto in Russian.
    motto_ru: String,
    /// Motto in Kazakh.
    motto_kk: String,
    /// The current one?
    is_current: bool,
    /// The cash norm for regions without their own, tiyn.
    default_norm: i64,
}

impl From<&campaign::Model> for CampaignDto {
    fn from(c: &campaign::Model) -> Self {
        CampaignDto {
            id: c.id,
            year: c.year,
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            motto_ru: c.motto_ru.clone(),
            motto_kk: c.motto_kk.clone(),
            is_current: c.is_current,
            default_norm: c.default_norm,
        }
    }
}

/// Every campaign, newest first.
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "registry", responses((status = 200, body = [CampaignDto])))]
pub async fn campaigns(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<CampaignDto>>, ApiError> {
    let list = app::campaigns::list(&state.core).await.api(&user.t)?;
    Ok(Json(list.iter().map(CampaignDto::from).collect()))
}

/// Creates a campaign and makes it current (the republic coordinator).
#[utoipa::path(post, path = "/api/v1/campaigns", tag = "registry", request_body = CampaignInput,
    responses((status = 201, body = CampaignDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn create_campaign(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(input): ApiJson<CampaignInput>,
) -> Result<(StatusCode, Json<CampaignDto>), ApiError> {
    let created = app::campaigns::open(&state.core, &user.actor, &input).await.api(&user.t)?;
    Ok((StatusCode::CREATED, Json(CampaignDto::from(&created))))
}

/// A region's cash norm.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NormBody {
    /// Whole tenge, e.g. `"47 300"`.
    cash_norm: String,
}

/// Sets a region's cash norm for a campaign (the republic, or that region's coordinator).
#[utoipa::path(put, path = "/api/v1/campaigns/{id}/norms/{region_id}", tag = "registry", request_body = NormBody,
    responses((status = 204), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn set_norm(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, region)): Path<(i64, i64)>,
    ApiJson(b): ApiJson<NormBody>,
) -> Result<StatusCode, ApiError> {
    let norm = domain::child::parse_tenge(&b.cash_norm)
        .ok_or_else(|| user.fail(Invalid::one("cash_norm", ErrorCode::AmountFormat)))?;
    app::campaigns::set_norm(&state.core, &user.actor, CampaignId(id), OrgUnitId(region), norm).await.api(&user.t)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The campaign's deadlines.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DeadlinesBody {
    /// Days after a cash payment by which its proof is due (1–365).
    proof_days: i32,
    /// Days a plan or pledge may wait for delivery (1–365).
    pledge_days: i32,
}

/// Sets a campaign's deadlines (the republic coordinator).
#[utoipa::path(put, path = "/api/v1/campaigns/{id}/deadlines", tag = "proofs", request_body = DeadlinesBody,
    responses((status = 200, body = Object), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn deadlines(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<DeadlinesBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let c = app::campaigns::set_deadlines(&state.core, &user.actor, CampaignId(id), b.proof_days, b.pledge_days)
        .await
        .api(&user.t)?;
    Ok(Json(serde_json::json!({ "year": c.year, "proof_days": c.proof_days, "pledge_days": c.pledge_days })))
}

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns", get(campaigns).post(create_campaign))
        .route("/campaigns/{id}/norms/{region_id}", put(set_norm))
        .route("/campaigns/{id}/deadlines", put(deadlines))
}
