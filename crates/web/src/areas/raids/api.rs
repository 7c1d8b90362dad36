//! `/api/v1/raids`, `/api/v1/sync`, `/api/v1/sync-conflicts`: raids, the children they find, and
//! what a phone kept while it had no connection.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::{ConflictId, ErrorCode, Invalid, OrgUnitId, RaidId, UserId};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::wire::{
    ConflictDto, FindingBody, FindingDto, RaidBody, RaidDto, RaidLineDto, RaidPage, ResolveBody, SyncAnswer, SyncBody,
    SyncResult,
};
use crate::AppState;
use crate::error::{ApiError, ApiErrorBody, AppError, Localize};
use crate::extract::{ApiJson, ApiUser};

pub(super) use crate::dto::{day_cursor as cursor, parse_day_cursor as parse_after};

/// A page of raids.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
pub struct ListQuery {
    /// The `next_after` of the page before.
    after: Option<String>,
}

/// The caller's raids, newest first, 20 a page: a coordinator's scope, a raid member's own.
#[utoipa::path(get, path = "/api/v1/raids", tag = "raids", params(ListQuery), responses((status = 200, body = RaidPage)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ListQuery>,
) -> Result<Json<RaidPage>, ApiError> {
    let after = match q.after.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(parse_after(s).ok_or_else(|| user.fail(Invalid::one("after", ErrorCode::StaleCursor)))?),
        None => None,
    };
    let c = app::campaigns::chosen(&state.core, None).await.api(&user.t)?;
    let (rows, next) = app::raids::list(&state.core, &user.actor, &c, after).await.api(&user.t)?;
    Ok(Json(RaidPage { rows: rows.into_iter().map(RaidLineDto::from).collect(), next_after: next.map(cursor) }))
}

/// Plans or records a raid (coordinators).
#[utoipa::path(post, path = "/api/v1/raids", tag = "raids", request_body = RaidBody,
    responses((status = 201, body = RaidDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(b): ApiJson<RaidBody>,
) -> Result<(StatusCode, Json<RaidDto>), ApiError> {
    let c = app::campaigns::chosen(&state.core, None).await.api(&user.t)?;
    let unit = OrgUnitId(b.unit_id.unwrap_or(user.actor.scope.unit().0));
    let members: Vec<UserId> = b.members.iter().copied().map(UserId).collect();
    let r = app::raids::create(&state.core, &user.actor, &c, unit, &b.raid, &members).await.api(&user.t)?;
    let view = app::raids::get(&state.core, &user.actor, RaidId(r.id)).await.api(&user.t)?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// One raid.
#[utoipa::path(get, path = "/api/v1/raids/{id}", tag = "raids", responses((status = 200, body = RaidDto)))]
pub async fn one(State(state): State<AppState>, user: ApiUser, Path(id): Path<i64>) -> Result<Json<RaidDto>, ApiError> {
    Ok(Json(app::raids::get(&state.core, &user.actor, RaidId(id)).await.api(&user.t)?.into()))
}

/// Changes a raid; `version` is the one read (a raid changed since is refused, `stale_version`).
#[utoipa::path(put, path = "/api/v1/raids/{id}", tag = "raids", request_body = RaidBody,
    responses((status = 200, body = RaidDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<RaidBody>,
) -> Result<Json<RaidDto>, ApiError> {
    let version = b.version.ok_or_else(|| user.fail(Invalid::one("version", ErrorCode::Required)))?;
    let members: Vec<UserId> = b.members.iter().copied().map(UserId).collect();
    app::raids::update(&state.core, &user.actor, RaidId(id), version, &b.raid, &members).await.api(&user.t)?;
    Ok(Json(app::raids::get(&state.core, &user.actor, RaidId(id)).await.api(&user.t)?.into()))
}

/// A raid's findings as the caller may see them.
#[utoipa::path(get, path = "/api/v1/raids/{id}/findings", tag = "raids", responses((status = 200, body = [FindingDto])))]
pub async fn findings(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<FindingDto>>, ApiError> {
    let list = app::raids::findings(&state.core, &user.actor, RaidId(id)).await.api(&user.t)?;
    Ok(Json(list.into_iter().map(FindingDto::from).collect()))
}

/// Records a child found (201), or answers a retry of the same (200, nothing doubled) or a change
/// made on `base_version` (200); a change to a finding changed meanwhile is kept as a conflict for
/// a coordinator (409, with the conflict).
#[utoipa::path(post, path = "/api/v1/raids/{id}/findings", tag = "raids", request_body = FindingBody,
    responses((status = 201, body = FindingDto), (status = 200, body = FindingDto), (status = 409, body = ConflictDto),
        (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn send(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<FindingBody>,
) -> Result<Response, ApiError> {
    let today = domain::calendar::today();
    let sent =
        app::raids::send(&state.core, &user.actor, RaidId(id), &b.finding, b.base_version, today).await.api(&user.t)?;
    Ok(match sent {
        app::raids::Sent::Created(v) => (StatusCode::CREATED, Json(FindingDto::from(v))).into_response(),
        app::raids::Sent::Same(v) | app::raids::Sent::Updated(v) => Json(FindingDto::from(v)).into_response(),
        app::raids::Sent::Conflict { conflict, server } => {
            let dto = ConflictDto {
                id: conflict.id,
                base_version: conflict.base_version,
                server_version: conflict.server_version,
                proposed_by: user.actor.login.clone(),
                proposed_at: conflict.proposed_at,
                proposed: b.finding,
                server: server.into(),
                resolution: conflict.resolution,
            };
            (StatusCode::CONFLICT, Json(dto)).into_response()
        }
    })
}

/// Sends what a phone kept while offline: each record on its own (one refused does not hold back
/// the others), each by the id the phone made for it, so the same batch sent again changes
/// nothing. One result per record, in the order sent.
#[utoipa::path(post, path = "/api/v1/sync", tag = "raids", request_body = SyncBody,
    responses((status = 200, body = SyncAnswer), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn sync(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(b): ApiJson<SyncBody>,
) -> Result<Json<SyncAnswer>, ApiError> {
    let today = domain::calendar::today();
    let items: Vec<app::raids::SyncItem> = b
        .items
        .into_iter()
        .map(|i| app::raids::SyncItem { raid_id: i.raid_id, base_version: i.base_version, finding: i.finding })
        .collect();
    let done = app::raids::sync(&state.core, &user.actor, &items, today).await.api(&user.t)?;
    let results = items
        .iter()
        .zip(done)
        .map(|(item, result)| {
            let client_id = item.finding.client_id.trim().to_lowercase();
            match result {
                app::raids::Synced::Saved(v) => SyncResult {
                    client_id,
                    state: "saved",
                    finding: Some((*v).into()),
                    conflict_id: None,
                    resolution: None,
                    error: None,
                },
                app::raids::Synced::Conflict(c) => {
                    let (id, resolution, server) = *c;
                    SyncResult {
                        client_id,
                        state: "conflict",
                        finding: Some(server.into()),
                        conflict_id: Some(id.0),
                        resolution,
                        error: None,
                    }
                }
                app::raids::Synced::Refused(e) => {
                    let err = match AppError::from(e) {
                        // Another's raid is simply not there for the phone.
                        AppError::NotInScope(_) => AppError::NotFound,
                        other => other,
                    };
                    err.log();
                    SyncResult {
                        client_id,
                        state: "refused",
                        finding: None,
                        conflict_id: None,
                        resolution: None,
                        error: Some(ApiErrorBody::new(&user.t, &err)),
                    }
                }
            }
        })
        .collect();
    Ok(Json(SyncAnswer { results }))
}

/// The conflicts waiting over the coordinator's scope, oldest first (at most 100).
#[utoipa::path(get, path = "/api/v1/sync-conflicts", tag = "raids", responses((status = 200, body = [ConflictDto])))]
pub async fn conflicts(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<ConflictDto>>, ApiError> {
    let list = app::raids::conflicts(&state.core, &user.actor, None).await.api(&user.t)?;
    Ok(Json(list.into_iter().map(ConflictDto::from).collect()))
}

/// Decides a conflict (a coordinator over the raid): apply the phone's change or keep the
/// server's; a second decision is refused (`conflict_resolved`).
#[utoipa::path(post, path = "/api/v1/sync-conflicts/{id}", tag = "raids", request_body = ResolveBody,
    responses((status = 200, body = ConflictDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn resolve(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ResolveBody>,
) -> Result<Json<ConflictDto>, ApiError> {
    let today = domain::calendar::today();
    let c = app::raids::resolve(&state.core, &user.actor, ConflictId(id), b.apply, today).await.api(&user.t)?;
    Ok(Json(c.into()))
}

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/raids", get(list).post(create))
        .route("/raids/{id}", get(one).put(update))
        .route("/raids/{id}/findings", get(findings).post(send))
        .route("/sync", post(sync))
        .route("/sync-conflicts", get(conflicts))
        .route("/sync-conflicts/{id}", post(resolve))
}
