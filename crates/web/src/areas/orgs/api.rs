//! `/api/v1/org-units`.

use app::orgs::{ImportSummary, ListFilter};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::org::OrgUnitInput;
use domain::{ErrorCode, OrgKind, OrgUnitId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::dto::OrgUnitDto;
use crate::error::Localize;
use crate::extract::{ApiJson, ApiUser};

/// Filters for the list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Only direct children of this unit.
    parent: Option<i64>,
    /// `region`, `district` or `school`.
    kind: Option<String>,
    /// Text in the code, names or settlement.
    q: Option<String>,
    /// Include deactivated units.
    #[serde(default)]
    include_inactive: bool,
    /// At most this many (default 500, at most 5000).
    limit: Option<u64>,
}

/// Org units in the caller's scope.
#[utoipa::path(get, path = "/api/v1/org-units", tag = "org units", params(ListQuery),
    responses((status = 200, body = [OrgUnitDto]), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<OrgUnitDto>>, crate::error::ApiError> {
    let kind = match q.kind.as_deref() {
        None | Some("") => None,
        Some(k) => {
            Some(OrgKind::parse(k).ok_or_else(|| user.fail(domain::Invalid::one("kind", ErrorCode::InvalidChoice)))?)
        }
    };
    let filter = ListFilter { parent: q.parent.map(OrgUnitId), kind, q: q.q, include_inactive: q.include_inactive };
    let units =
        app::orgs::list(&state.core, &user.actor, &filter, q.limit.unwrap_or(500).min(5000)).await.api(&user.t)?;
    Ok(Json(units.iter().map(OrgUnitDto::from).collect()))
}

/// One org unit (refused, and logged, outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/org-units/{id}", tag = "org units",
    responses((status = 200, body = OrgUnitDto), (status = 403, body = crate::error::ApiErrorEnvelope), (status = 404, body = crate::error::ApiErrorEnvelope)))]
pub async fn get_one(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<OrgUnitDto>, crate::error::ApiError> {
    let unit = app::orgs::view(&state.core, &user.actor, OrgUnitId(id)).await.api(&user.t)?;
    Ok(Json(OrgUnitDto::from(&unit)))
}

/// A new unit under a parent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewOrgUnitBody {
    /// The parent unit (a region for a district, a district for a school).
    parent_id: i64,
    /// The fields.
    #[serde(flatten)]
    fields: OrgUnitInput,
}

/// Creates a unit under `parent_id`.
#[utoipa::path(post, path = "/api/v1/org-units", tag = "org units", request_body = NewOrgUnitBody,
    responses((status = 201, body = OrgUnitDto), (status = 422, body = crate::error::ApiErrorEnvelope), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<NewOrgUnitBody>,
) -> Result<(StatusCode, Json<OrgUnitDto>), crate::error::ApiError> {
    let unit = app::orgs::add(&state.core, &user.actor, OrgUnitId(body.parent_id), &body.fields).await.api(&user.t)?;
    Ok((StatusCode::CREATED, Json(OrgUnitDto::from(&unit))))
}

/// Replaces a unit's fields.
#[utoipa::path(put, path = "/api/v1/org-units/{id}", tag = "org units", request_body = OrgUnitInput,
    responses((status = 200, body = OrgUnitDto), (status = 422, body = crate::error::ApiErrorEnvelope), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<OrgUnitInput>,
) -> Result<Json<OrgUnitDto>, crate::error::ApiError> {
    let unit = app::orgs::change(&state.core, &user.actor, OrgUnitId(id), &body).await.api(&user.t)?;
    Ok(Json(OrgUnitDto::from(&unit)))
}

/// Deactivates a unit below the caller's own (it must have no active units below it).
#[utoipa::path(post, path = "/api/v1/org-units/{id}/deactivate", tag = "org units",
    responses((status = 200, body = OrgUnitDto), (status = 422, body = crate::error::ApiErrorEnvelope), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn deactivate(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<OrgUnitDto>, crate::error::ApiError> {
    let unit = app::orgs::set_active(&state.core, &user.actor, OrgUnitId(id), false).await.api(&user.t)?;
    Ok(Json(OrgUnitDto::from(&unit)))
}

/// Reactivates a unit.
#[utoipa::path(post, path = "/api/v1/org-units/{id}/activate", tag = "org units",
    responses((status = 200, body = OrgUnitDto), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn activate(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<OrgUnitDto>, crate::error::ApiError> {
    let unit = app::orgs::set_active(&state.core, &user.actor, OrgUnitId(id), true).await.api(&user.t)?;
    Ok(Json(OrgUnitDto::from(&unit)))
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    /// Districts created.
    districts_created: usize,
    /// Schools created.
    schools_created: usize,
    /// Schools updated (matched by number).
    schools_updated: usize,
}

impl From<ImportSummary> for ImportResult {
    fn from(s: ImportSummary) -> Self {
        ImportResult {
            districts_created: s.districts_created,
            schools_created: s.schools_created,
            schools_updated: s.schools_updated,
        }
    }
}

/// Imports districts and schools from an XLSX or CSV file (multipart field `file`): the whole
/// file or nothing; every bad row and field is listed in the error.
#[utoipa::path(post, path = "/api/v1/org-units/{id}/import", tag = "org units",
    request_body(content_type = "multipart/form-data", description = "field `file`: .xlsx or .csv"),
    responses((status = 200, body = ImportResult), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn import(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Json<ImportResult>, crate::error::ApiError> {
    let unit = app::orgs::get(&state.core, &user.actor, OrgUnitId(id)).await.api(&user.t)?;
    let bytes = super::import::read_upload(multipart).await.api(&user.t)?;
    let summary = app::org_import::run(&state.core, &user.actor, &unit, &bytes).await.api(&user.t)?;
    Ok(Json(summary.into()))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/org-units", get(list).post(create))
        .route("/org-units/{id}", get(get_one).put(update))
        .route("/org-units/{id}/deactivate", post(deactivate))
        .route("/org-units/{id}/activate", post(activate))
        .route("/org-units/{id}/import", post(import))
}
