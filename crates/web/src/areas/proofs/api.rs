//! `/api/v1/proofs`: proofs of purchase uploaded for cash help, opened in scope, decided.

use app::entity::proof;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use domain::{ErrorCode, Invalid, ProofId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, Localize};
use crate::extract::{ApiJson, ApiUser};

/// A proof of purchase.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProofDto {
    /// Id.
    id: i64,
    /// The cash entry it proves.
    entry_id: i64,
    /// The name it was uploaded with.
    file_name: String,
    /// Type found from its bytes.
    content_type: String,
    /// Bytes.
    size: i64,
    /// SHA-256, hex.
    sha256: String,
    /// `uploaded`, `confirmed`, `rejected`.
    status: String,
    /// Why it was rejected.
    reason: Option<String>,
    /// Who uploaded it, when.
    uploaded_login: String,
    /// When.
    uploaded_at: DateTime<Utc>,
    /// Who decided.
    decided_login: Option<String>,
}

impl From<&proof::Model> for ProofDto {
    fn from(p: &proof::Model) -> Self {
        ProofDto {
            id: p.id,
            entry_id: p.entry_id,
            file_name: p.file_name.clone(),
            content_type: p.content_type.clone(),
            size: p.size,
            sha256: p.sha256.clone(),
            status: p.status.clone(),
            reason: p.reason.clone(),
            uploaded_login: p.uploaded_login.clone(),
            uploaded_at: p.uploaded_at,
            decided_login: p.decided_login.clone(),
        }
    }
}

/// Uploads a proof for a paid cash entry: multipart with a `file` field (JPEG, PNG, WebP, HEIC
/// or PDF, checked by its bytes, within the size limit).
#[utoipa::path(post, path = "/api/v1/aid/{id}/proofs", tag = "proofs",
    request_body(content_type = "multipart/form-data", content = String),
    responses((status = 201, body = ProofDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn upload(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<(StatusCode, Json<ProofDto>), ApiError> {
    let p = crate::uploads::store_proof(&state, &user.actor, id, multipart).await.api(&user.t)?;
    Ok((StatusCode::CREATED, Json(ProofDto::from(&p))))
}

/// A proof's record.
#[utoipa::path(get, path = "/api/v1/proofs/{id}", tag = "proofs", responses((status = 200, body = ProofDto)))]
pub async fn get_one(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ProofDto>, ApiError> {
    let p = app::proofs::get(&state.core, &user.actor, ProofId(id)).await.api(&user.t)?;
    Ok(Json(ProofDto::from(&p)))
}

/// A proof's file (its opening is logged).
#[utoipa::path(get, path = "/api/v1/proofs/{id}/file", tag = "proofs", responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>)))]
pub async fn file(State(state): State<AppState>, user: ApiUser, Path(id): Path<i64>) -> Result<Response, ApiError> {
    crate::uploads::serve_proof(&state, &user.actor, id).await.api(&user.t)
}

/// A decision on a proof.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionBody {
    /// `confirm` or `reject`.
    decision: String,
    /// Why, when rejected.
    #[serde(default)]
    reason: String,
}

/// Confirms (the payment becomes confirmed) or rejects a proof.
#[utoipa::path(post, path = "/api/v1/proofs/{id}/decision", tag = "proofs", request_body = DecisionBody,
    responses((status = 200, body = ProofDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn decide(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<DecisionBody>,
) -> Result<Json<ProofDto>, ApiError> {
    let decision = match b.decision.as_str() {
        "confirm" => app::proofs::Decision::Confirm,
        "reject" => app::proofs::Decision::Reject(b.reason),
        _ => return Err(user.fail(Invalid::one("decision", ErrorCode::InvalidChoice))),
    };
    let p = app::proofs::decide(&state.core, &user.actor, ProofId(id), &decision).await.api(&user.t)?;
    Ok(Json(ProofDto::from(&p)))
}

/// Routes, with the proof's size limit on the upload.
pub fn router(proof_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/aid/{id}/proofs", post(upload).layer(axum::extract::DefaultBodyLimit::max(proof_limit + 64 * 1024)))
        .route("/proofs/{id}", get(get_one))
        .route("/proofs/{id}/file", get(file))
        .route("/proofs/{id}/decision", post(decide))
}
