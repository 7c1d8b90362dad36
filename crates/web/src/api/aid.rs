//! `/api/v1` for aid: the ledger of a child, funds, sponsors and their holds, public totals.

use app::entity::{ledger_entry, reservation, sponsor};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use domain::aid::{EntryInput, EntryStatus, ItemInput, SponsorInput};
use domain::{Invalid, OrgUnitId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, Localize};

/// A ledger entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryDto {
    /// Id.
    id: i64,
    /// Child.
    child_id: i64,
    /// `fund`, `sponsor`, `fair`, `programme`.
    source: String,
    /// The sponsor, for sponsor help.
    sponsor_id: Option<i64>,
    /// `cash`, `goods`, `certificate`, `service`.
    form: String,
    /// Tiyn; negative on a reversing entry.
    amount: i64,
    /// `planned`, `delivered`, `confirmed`.
    status: String,
    /// Date of the help.
    date: NaiveDate,
    /// Soft credit.
    organised_by: Option<String>,
    /// The entry this one reverses.
    reverses_id: Option<i64>,
    /// Why (reversals).
    reason: Option<String>,
    /// Who recorded it.
    recorded_login: String,
    /// When.
    created_at: DateTime<Utc>,
}

impl From<&ledger_entry::Model> for EntryDto {
    fn from(e: &ledger_entry::Model) -> Self {
        EntryDto {
            id: e.id,
            child_id: e.child_id,
            source: e.source.clone(),
            sponsor_id: e.sponsor_id,
            form: e.form.clone(),
            amount: e.amount,
            status: e.status.clone(),
            date: e.entry_date,
            organised_by: e.organised_by.clone(),
            reverses_id: e.reverses_id,
            reason: e.reason.clone(),
            recorded_login: e.recorded_login.clone(),
            created_at: e.created_at,
        }
    }
}

/// A child's aid, oldest first.
#[utoipa::path(get, path = "/api/v1/children/{id}/aid", tag = "aid", responses((status = 200, body = [EntryDto]), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<EntryDto>>, ApiError> {
    let entries = app::ledger::for_child(&state.core, &user.actor, id).await.api(&user.t)?;
    Ok(Json(entries.iter().map(EntryDto::from).collect()))
}

/// An item of an entry as sent.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ItemBody {
    #[serde(default)]
    item: String,
    #[serde(default)]
    quantity: String,
    /// Whole tenge.
    #[serde(default)]
    value: String,
}

/// An act of help as sent; amounts in whole tenge as text (`"46 228"`).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct EntryBody {
    #[serde(default)]
    source: String,
    #[serde(default)]
    form: String,
    #[serde(default)]
    amount: String,
    /// `dd.mm.yyyy` or ISO.
    #[serde(default)]
    date: String,
    #[serde(default)]
    organised_by: String,
    #[serde(default)]
    note: String,
    /// Why the child gets more than the need (required only then).
    #[serde(default)]
    above_need_reason: String,
    #[serde(default)]
    items: Vec<ItemBody>,
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
    let campaign = app::campaigns::chosen(&state.core, None).await.api(&user.t)?;
    let input = EntryInput {
        source: b.source,
        form: b.form,
        amount: b.amount,
        date: b.date,
        organised_by: b.organised_by,
        note: b.note,
        above_need_reason: b.above_need_reason,
        items: b.items.into_iter().map(|i| ItemInput { item: i.item, quantity: i.quantity, value: i.value }).collect(),
    };
    let fields = input.parse().api(&user.t)?;
    let status = if b.delivered { EntryStatus::Delivered } else { EntryStatus::Planned };
    let entry = app::ledger::record(&state.core, &user.actor, &campaign, id, &fields, status).await.api(&user.t)?;
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
    let to = EntryStatus::parse(&b.to).ok_or_else(|| user.fail(Invalid::one("to", "invalid_choice")))?;
    let entry = app::ledger::set_status(&state.core, &user.actor, id, to).await.api(&user.t)?;
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
    let entry = app::ledger::reverse(&state.core, &user.actor, id, &b.reason).await.api(&user.t)?;
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
        .ok_or_else(|| user.fail(Invalid::one("allocation", "amount_format")))?;
    app::ledger::set_allocation(&state.core, &user.actor, OrgUnitId(school), &c, amount).await.api(&user.t)?;
    Ok(Json(fund_dto(&state, &user, school).await?))
}

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
}

impl From<&sponsor::Model> for SponsorDto {
    fn from(s: &sponsor::Model) -> Self {
        SponsorDto {
            id: s.id,
            kind: s.kind.clone(),
            name: s.name.clone(),
            bin_iin: s.bin_iin.clone(),
            region_id: s.region_id,
        }
    }
}

/// Sponsors of the regions in scope.
#[utoipa::path(get, path = "/api/v1/sponsors", tag = "aid", responses((status = 200, body = [SponsorDto])))]
pub async fn sponsors(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<SponsorDto>>, ApiError> {
    let list = app::sponsors::list(&state.core, &user.actor).await.api(&user.t)?;
    Ok(Json(list.iter().map(SponsorDto::from).collect()))
}

/// A new sponsor.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SponsorBody {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    bin_iin: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    phone: String,
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
    let fields = SponsorInput { kind: b.kind, name: b.name, bin_iin: b.bin_iin, contact: b.contact, phone: b.phone }
        .parse()
        .api(&user.t)?;
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
    /// Tiyn.
    cost: i64,
}

/// Open needs in the sponsor's region (sponsors only; never a name or an IIN).
#[utoipa::path(get, path = "/api/v1/sponsor/needs", tag = "aid", responses((status = 200, body = [NeedDto])))]
pub async fn needs(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<NeedDto>>, ApiError> {
    let c = app::campaigns::chosen(&state.core, None).await.api(&user.t)?;
    let list = app::sponsors::open_needs(&state.core, &user.actor, &c, &Default::default(), 500).await.api(&user.t)?;
    Ok(Json(
        list.into_iter()
            .map(|n| NeedDto {
                need_id: n.need_id,
                code: n.code,
                sex: n.sex,
                grade: n.grade,
                school: n.school_ru,
                settlement: n.settlement,
                item: n.item,
                size: n.size,
                cost: n.cost,
            })
            .collect(),
    ))
}

/// A hold on a need.
#[derive(Debug, Serialize, ToSchema)]
pub struct HoldDto {
    /// Id.
    id: i64,
    /// The need.
    need_id: i64,
    /// `active`, `delivered`, `expired`.
    status: String,
    /// Until.
    expires_at: DateTime<Utc>,
    /// The ledger entry, once delivered.
    entry_id: Option<i64>,
}

impl From<&reservation::Model> for HoldDto {
    fn from(r: &reservation::Model) -> Self {
        HoldDto {
            id: r.id,
            need_id: r.need_id,
            status: r.status.clone(),
            expires_at: r.expires_at,
            entry_id: r.entry_id,
        }
    }
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
    let r = app::sponsors::reserve(&state.core, &user.actor, b.need_id).await.api(&user.t)?;
    Ok((StatusCode::CREATED, Json(HoldDto::from(&r))))
}

/// The sponsor's holds.
#[utoipa::path(get, path = "/api/v1/sponsor/holds", tag = "aid", responses((status = 200, body = [HoldDto])))]
pub async fn holds(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<HoldDto>>, ApiError> {
    let list = app::sponsors::mine(&state.core, &user.actor).await.api(&user.t)?;
    Ok(Json(list.iter().map(|(r, _)| HoldDto::from(r)).collect()))
}

/// Records the delivery of a held need (the holding sponsor or the child's school).
#[utoipa::path(post, path = "/api/v1/holds/{id}/deliver", tag = "aid",
    responses((status = 201, body = EntryDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn deliver(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<(StatusCode, Json<EntryDto>), ApiError> {
    let entry = app::sponsors::deliver(&state.core, &user.actor, id, Utc::now().date_naive()).await.api(&user.t)?;
    Ok((StatusCode::CREATED, Json(EntryDto::from(&entry))))
}

/// Public totals of the current campaign, per region (no sign-in, no personal data).
#[utoipa::path(get, path = "/api/v1/public", tag = "aid", security(()), responses((status = 200, body = Object)))]
pub async fn public(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let t = state.i18n(domain::Locale::Ru);
    let app::public::Public { campaign: c, total, rows, .. } = app::public::figures(&state.core, None).await.api(&t)?;
    let rows: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|r| serde_json::json!({ "region_id": r.unit.id, "code": r.unit.code, "name_ru": r.unit.name_ru, "name_kk": r.unit.name_kk, "totals": r.totals }))
        .collect();
    Ok(Json(serde_json::json!({ "year": c.year, "total": total, "regions": rows })))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/children/{id}/aid", get(list).post(record))
        .route("/aid/{id}/status", post(set_status))
        .route("/aid/{id}/reverse", post(reverse))
        .route("/funds/{school_id}", get(fund).put(set_fund))
        .route("/sponsors", get(sponsors).post(create_sponsor))
        .route("/sponsor/needs", get(needs))
        .route("/sponsor/holds", get(holds).post(hold))
        .route("/holds/{id}/deliver", post(deliver))
        .route("/public", get(public))
}
