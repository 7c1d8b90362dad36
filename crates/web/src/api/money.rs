//! `/api/v1` for what protects the money and what sponsors get back: proofs of purchase, the
//! checks, the campaign's deadlines, sponsor self-registration and its decision, the sponsor's
//! help report and thank-you letter.

use app::entity::proof;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use domain::Invalid;
use domain::aid::SponsorInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiJson;
use super::aid::SponsorDto;
use crate::AppState;
use crate::auth::{ApiUser, Visitor};
use crate::error::{ApiError, Localize};

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
    let p = app::proofs::get(&state.core, &user.actor, id).await.api(&user.t)?;
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
        _ => return Err(user.fail(Invalid::one("decision", "invalid_choice"))),
    };
    let p = app::proofs::decide(&state.core, &user.actor, id, &decision).await.api(&user.t)?;
    Ok(Json(ProofDto::from(&p)))
}

/// A flagged entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlagDto {
    /// The entry.
    entry_id: i64,
    /// The child (its card needs the scope and is logged).
    child_id: i64,
    /// The child's anonymous code.
    code: String,
    /// The school.
    school_id: i64,
    /// Source.
    source: String,
    /// Tiyn.
    amount: i64,
    /// Date of the entry.
    date: NaiveDate,
    /// Days past the deadline.
    days_over: i64,
    /// The latest proof's status, if any.
    proof: Option<String>,
}

/// A child above the need.
#[derive(Debug, Serialize, ToSchema)]
pub struct AboveNeedDto {
    /// The child.
    child_id: i64,
    /// Code.
    code: String,
    /// Need, tiyn (recorded needs, never below the region's norm).
    need: i64,
    /// Given and promised, tiyn.
    given: i64,
    /// Reasons written on the entries.
    reasons: Vec<String>,
}

/// The checks over the caller's scope.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecksDto {
    /// Campaign year.
    year: i32,
    /// Cash without a confirmed proof past the deadline.
    unproven_cash: Vec<FlagDto>,
    /// Plans and pledges not delivered in time.
    undelivered: Vec<FlagDto>,
    /// Children given more than their need.
    above_need: Vec<AboveNeedDto>,
}

/// The year to check.
#[derive(Debug, Deserialize, IntoParams)]
pub struct YearQuery {
    /// Campaign year (the current one if absent).
    year: Option<i32>,
}

fn flag(f: &app::checks::Flagged) -> FlagDto {
    FlagDto {
        entry_id: f.entry.id,
        child_id: f.entry.child_id,
        code: f.code.clone(),
        school_id: f.entry.school_id,
        source: f.entry.source.clone(),
        amount: f.entry.amount,
        date: f.entry.entry_date,
        days_over: f.days_over,
        proof: f.proof.clone(),
    }
}

/// The checks that protect the money, over the caller's scope.
#[utoipa::path(get, path = "/api/v1/checks", tag = "proofs", params(YearQuery), responses((status = 200, body = ChecksDto)))]
pub async fn checks(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<YearQuery>,
) -> Result<Json<ChecksDto>, ApiError> {
    let c = app::campaigns::chosen(&state.core, q.year).await.api(&user.t)?;
    let found = app::checks::run(&state.core, &user.actor, &c, Utc::now().date_naive()).await.api(&user.t)?;
    Ok(Json(ChecksDto {
        year: c.year,
        unproven_cash: found.unproven_cash.iter().map(flag).collect(),
        undelivered: found.undelivered.iter().map(flag).collect(),
        above_need: found
            .above_need
            .into_iter()
            .map(|a| AboveNeedDto {
                child_id: a.child_id,
                code: a.code,
                need: a.need,
                given: a.given,
                reasons: a.reasons,
            })
            .collect(),
    }))
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
    let c =
        app::campaigns::set_deadlines(&state.core, &user.actor, id, b.proof_days, b.pledge_days).await.api(&user.t)?;
    Ok(Json(serde_json::json!({ "year": c.year, "proof_days": c.proof_days, "pledge_days": c.pledge_days })))
}

/// A sponsor's application.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplyBody {
    /// Sponsor kind code.
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    /// BIN or IIN (checked).
    #[serde(default)]
    bin_iin: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    phone: String,
    /// The region.
    region_id: Option<i64>,
    /// The account's login, name and password.
    #[serde(default)]
    login: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    password: String,
}

/// A sponsor registers itself (no sign-in); it can sign in once the region approves it.
#[utoipa::path(post, path = "/api/v1/sponsors/apply", tag = "aid", security(()), request_body = ApplyBody,
    responses((status = 201, body = SponsorDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn apply(
    State(state): State<AppState>,
    v: Visitor,
    ApiJson(b): ApiJson<ApplyBody>,
) -> Result<(StatusCode, Json<SponsorDto>), ApiError> {
    let t = v.t.clone();
    let input = SponsorInput { kind: b.kind, name: b.name, bin_iin: b.bin_iin, contact: b.contact, phone: b.phone };
    let application = app::sponsors::Application {
        sponsor: &input,
        login: &b.login,
        full_name: &b.full_name,
        password: &b.password,
        region: b.region_id,
    };
    let s = app::sponsors::apply(&state.core, &application).await.api(&t)?;
    Ok((StatusCode::CREATED, Json(SponsorDto::from(&s))))
}

/// A decision on a sponsor.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SponsorDecisionBody {
    /// Approve (true) or refuse (false).
    approve: bool,
}

/// The region coordinator approves or refuses a self-registered sponsor.
#[utoipa::path(post, path = "/api/v1/sponsors/{id}/decision", tag = "aid", request_body = SponsorDecisionBody,
    responses((status = 200, body = SponsorDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn decide_sponsor(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<SponsorDecisionBody>,
) -> Result<Json<SponsorDto>, ApiError> {
    let s = app::sponsors::decide(&state.core, &user.actor, id, b.approve).await.api(&user.t)?;
    Ok(Json(SponsorDto::from(&s)))
}

/// The sponsor's help report (anonymised): every line and the totals.
#[utoipa::path(get, path = "/api/v1/sponsor/report", tag = "aid", responses((status = 200, body = Object)))]
pub async fn report(State(state): State<AppState>, user: ApiUser) -> Result<Json<serde_json::Value>, ApiError> {
    let (sponsor, lines) = app::sponsors::help_report(&state.core, &user.actor).await.api(&user.t)?;
    let (children, total) = app::sponsors::summary(&lines);
    Ok(Json(serde_json::json!({
        "sponsor": sponsor.name, "children": children, "total": total, "lines": lines,
    })))
}

/// The thank-you letter as PDF.
#[utoipa::path(get, path = "/api/v1/sponsor/letter.pdf", tag = "aid", responses((status = 200, content_type = "application/pdf", body = Vec<u8>)))]
pub async fn letter(State(state): State<AppState>, user: ApiUser) -> Result<Response, ApiError> {
    let bytes = app::export::letter_pdf(&state.core, &user.actor, &user.t).await.api(&user.t)?;
    Ok(crate::pages::pdf_download("letter.pdf", bytes))
}

/// Routes; the upload carries the proof size limit.
pub fn router(proof_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/aid/{id}/proofs", post(upload).layer(axum::extract::DefaultBodyLimit::max(proof_limit + 64 * 1024)))
        .route("/proofs/{id}", get(get_one))
        .route("/proofs/{id}/file", get(file))
        .route("/proofs/{id}/decision", post(decide))
        .route("/checks", get(checks))
        .route("/campaigns/{id}/deadlines", put(deadlines))
        .route("/sponsors/apply", post(apply))
        .route("/sponsors/{id}/decision", post(decide_sponsor))
        .route("/sponsor/report", get(report))
        .route("/sponsor/letter.pdf", get(letter))
}
