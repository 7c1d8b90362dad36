//! `/api/v1/sponsors`, `/api/v1/sponsor`, `/api/v1/holds`: sponsors registered and approved,
//! the sponsor's anonymised needs, holds, deliveries, help report and letter.

use app::entity::sponsor;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::aid::{SponsorApplication, SponsorInput};
use domain::{OrgUnitId, SponsorId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::client::ClientAddr;
use crate::error::{ApiError, Localize};
use crate::extract::{ApiJson, ApiUser, Visitor};

/// A sponsor.
#[derive(Debug, Serialize, ToSchema)]
pub struct SponsorDto {
    /// Id.
    id: i64,
    /// Kind code.
    kind: String,
    /// Name.
    name: String,
    /// BIN or IIN.
    bin_iin: Option<String>,
    /// Region.
    region_id: i64,
    /// Why a pending application looks like another sponsor (`bin_iin`, `name`, `phone`,
    /// `address`); empty otherwise.
    likely_duplicate: Vec<&'static str>,
}

impl From<&sponsor::Model> for SponsorDto {
    fn from(s: &sponsor::Model) -> Self {
        SponsorDto {
            id: s.id,
            kind: s.kind.clone(),
            name: s.name.clone(),
            bin_iin: s.bin_iin.clone(),
            region_id: s.region_id,
            likely_duplicate: Vec::new(),
        }
    }
}

/// An application as sent: the same answer whatever was sent (a BIN already registered is not
/// told apart), with the login the account was given.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationDto {
    /// The application (the sponsor, not yet approved).
    id: i64,
    /// The region.
    region_id: i64,
    /// The login to sign in with once the region approves.
    login: String,
}

/// Sponsors of the regions in scope.
#[utoipa::path(get, path = "/api/v1/sponsors", tag = "aid", responses((status = 200, body = [SponsorDto])))]
pub async fn sponsors(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<SponsorDto>>, ApiError> {
    let list = app::sponsors::list(&state.core, &user.actor).await.api(&user.t)?;
    let likely = app::sponsors::likely_duplicates(&list);
    let dto = |s: &sponsor::Model| SponsorDto {
        likely_duplicate: likely.get(&s.id).map(|why| why.iter().map(|w| w.as_str()).collect()).unwrap_or_default(),
        ..SponsorDto::from(s)
    };
    Ok(Json(list.iter().map(dto).collect()))
}

/// A new sponsor.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SponsorBody {
    /// The sponsor.
    #[serde(flatten)]
    sponsor: SponsorInput,
    /// Region in scope.
    region_id: i64,
}

/// Registers a sponsor (region and republic coordinators); BIN or IIN checked.
#[utoipa::path(post, path = "/api/v1/sponsors", tag = "aid", request_body = SponsorBody,
    responses((status = 201, body = SponsorDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn create_sponsor(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(b): ApiJson<SponsorBody>,
) -> Result<(StatusCode, Json<SponsorDto>), ApiError> {
    let fields = b.sponsor.parse().api(&user.t)?;
    let s = app::sponsors::create(&state.core, &user.actor, OrgUnitId(b.region_id), &fields).await.api(&user.t)?;
    Ok((StatusCode::CREATED, Json(SponsorDto::from(&s))))
}

/// A need as a sponsor sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct NeedDto {
    /// Id, to reserve it.
    need_id: i64,
    /// The child's anonymous code.
    code: String,
    /// `male` or `female`.
    sex: String,
    /// Grade.
    grade: i16,
    /// School (Russian name).
    school: String,
    /// Settlement.
    settlement: String,
    /// Item code.
    item: String,
    /// Size.
    size: Option<String>,
    /// How many.
    quantity: i32,
    /// Tiyn.
    cost: i64,
}

/// One page of open needs, in the order they were recorded; follow `next_after` (as `after`).
#[derive(Debug, Serialize, ToSchema)]
pub struct NeedPage {
    /// Needs per page.
    per_page: u64,
    /// The need to pass as `after` for the next page; none on the last.
    next_after: Option<i64>,
    /// The needs.
    rows: Vec<NeedDto>,
}

/// Filters of the open needs.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct NeedQuery {
    /// Grade.
    grade: Option<i16>,
    /// `male` or `female`.
    sex: Option<String>,
    /// Item code.
    item: Option<String>,
    /// A district of the sponsor's region.
    district_id: Option<i64>,
    /// A school of the sponsor's region (of the district, when one is given).
    school_id: Option<i64>,
    /// At most this cost, tiyn.
    max_cost: Option<i64>,
    /// The page starts after this need (the `next_after` of the page before).
    after: Option<i64>,
}

/// Needs on a page of the API.
const NEEDS_PER_PAGE: u64 = 100;

/// Open needs in the sponsor's region, a page at a time (sponsors only; never a name or an IIN).
#[utoipa::path(get, path = "/api/v1/sponsor/needs", tag = "aid", params(NeedQuery),
    responses((status = 200, body = NeedPage), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn needs(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<NeedQuery>,
) -> Result<Json<NeedPage>, ApiError> {
    let c = app::campaigns::chosen(&state.core, None).await.api(&user.t)?;
    let f = app::sponsors::NeedFilter {
        grade: q.grade,
        sex: q.sex,
        item: q.item,
        max_cost: q.max_cost,
        district: q.district_id,
        school: q.school_id,
        after: q.after,
    };
    let mut list =
        app::sponsors::open_needs(&state.core, &user.actor, &c, &f, NEEDS_PER_PAGE + 1).await.api(&user.t)?;
    let more = list.len() > usize::try_from(NEEDS_PER_PAGE).unwrap_or(100);
    list.truncate(usize::try_from(NEEDS_PER_PAGE).unwrap_or(100));
    let next_after = list.last().filter(|_| more).map(|n| n.need_id);
    let rows = list
        .into_iter()
        .map(|n| NeedDto {
            need_id: n.need_id,
            code: n.code,
            sex: n.sex,
            grade: n.grade,
            school: n.school_ru,
            settlement: n.settlement,
            item: n.item,
            size: n.size,
            quantity: n.quantity,
            cost: n.cost,
        })
        .collect();
    Ok(Json(NeedPage { per_page: NEEDS_PER_PAGE, next_after, rows }))
}

/// A sponsor registers itself (no sign-in); it can sign in once the region approves it.
#[utoipa::path(post, path = "/api/v1/sponsors/apply", tag = "aid", security(()), request_body = SponsorApplication,
    responses((status = 201, body = ApplicationDto), (status = 422, body = crate::error::ApiErrorEnvelope),
        (status = 429, body = crate::error::ApiErrorEnvelope)))]
pub async fn apply(
    State(state): State<AppState>,
    v: Visitor,
    ClientAddr(client): ClientAddr,
    ApiJson(b): ApiJson<SponsorApplication>,
) -> Result<(StatusCode, Json<ApplicationDto>), ApiError> {
    let (s, login) = app::sponsors::apply(&state.core, &b, &client).await.api(&v.t)?;
    Ok((StatusCode::CREATED, Json(ApplicationDto { id: s.id, region_id: s.region_id, login })))
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
    let s = app::sponsors::decide(&state.core, &user.actor, SponsorId(id), b.approve).await.api(&user.t)?;
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
    Ok(crate::render::pdf_download("letter.pdf", bytes))
}

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sponsors", get(sponsors).post(create_sponsor))
        .route("/sponsor/needs", get(needs))
        .route("/sponsors/apply", post(apply))
        .route("/sponsors/{id}/decision", post(decide_sponsor))
        .route("/sponsor/report", get(report))
        .route("/sponsor/letter.pdf", get(letter))
}
