//! `/api/v1/children/transfer-requests`: asking for a child's record and deciding.

use app::entity::transfer_request;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::{CampaignId, Invalid, OrgUnitId, TransferId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, AppError, Localize};
use crate::extract::{ApiJson, ApiUser};

/// A transfer request.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferDto {
    /// Id.
    id: i64,
    /// The child's anonymous code.
    child_code: String,
    /// From school.
    from_school_id: i64,
    /// To school.
    to_school_id: i64,
    /// `pending`, `accepted`, `declined`.
    status: String,
}

impl From<&transfer_request::Model> for TransferDto {
    fn from(t: &transfer_request::Model) -> Self {
        TransferDto {
            id: t.id,
            child_code: app::children::code(t.child_id),
            from_school_id: t.from_school_id,
            to_school_id: t.to_school_id,
            status: t.status.clone(),
        }
    }
}

/// Asks for a child registered at another school, by IIN.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TransferBody {
    /// The child's IIN.
    iin: String,
    /// The school asking (in the caller's scope).
    school_id: i64,
    /// A note for the other school.
    #[serde(default)]
    note: String,
}

/// Asks the school holding a child's record to hand it over.
#[utoipa::path(post, path = "/api/v1/children/transfer-requests", tag = "registry", request_body = TransferBody,
    responses((status = 201, body = TransferDto), (status = 404, body = crate::error::ApiErrorEnvelope)))]
pub async fn request_transfer(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<TransferBody>,
) -> Result<(StatusCode, Json<TransferDto>), ApiError> {
    let campaign = app::campaigns::chosen(&state.core, None).await.api(&user.t)?;
    let iin = domain::iin::Iin::parse(&body.iin).map_err(|e| user.fail(Invalid::one("iin", e.code())))?;
    let t = app::children::request_transfer(
        &state.core,
        &user.actor,
        CampaignId(campaign.id),
        &iin,
        OrgUnitId(body.school_id),
        &body.note,
    )
    .await
    .api(&user.t)?;
    Ok((StatusCode::CREATED, Json(TransferDto::from(&t))))
}

/// Pending transfers the caller decides or asked for.
#[utoipa::path(get, path = "/api/v1/children/transfer-requests", tag = "registry", responses((status = 200, body = [TransferDto])))]
pub async fn transfers(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<TransferDto>>, ApiError> {
    let list = app::children::pending_transfers(&state.core, &user.actor).await.api(&user.t)?;
    Ok(Json(list.iter().map(TransferDto::from).collect()))
}

/// Accepts (`accept`) or declines (`decline`) a transfer of a child the caller holds.
#[utoipa::path(post, path = "/api/v1/children/transfer-requests/{id}/{decision}", tag = "registry",
    responses((status = 200, body = TransferDto), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn decide(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, decision)): Path<(i64, String)>,
) -> Result<Json<TransferDto>, ApiError> {
    let accept = match decision.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return Err(user.fail(AppError::NotFound)),
    };
    let t = app::children::decide_transfer(&state.core, &user.actor, TransferId(id), accept).await.api(&user.t)?;
    Ok(Json(TransferDto::from(&t)))
}
