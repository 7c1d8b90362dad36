//! `/api/v1/audit`: read-only; there is no route that changes the log.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::pages::AuditQuery;
use crate::AppState;
use crate::error::{ApiError, Localize};
use crate::extract::ApiUser;

/// One audit entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryDto {
    /// Id.
    id: i64,
    /// When.
    at: DateTime<Utc>,
    /// Who.
    actor_login: String,
    /// What.
    action: String,
    /// On what kind of record.
    entity: String,
    /// Which record.
    entity_id: Option<i64>,
    /// The record before (JSON text).
    before: Option<String>,
    /// The record after (JSON text).
    after: Option<String>,
}

/// The newest 100 entries in the caller's scope matching the filter; page with `before_id`.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = [AuditEntryDto]), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<AuditEntryDto>>, ApiError> {
    let filter = q.filter().api(&user.t)?;
    let entries = app::audit::list(&state.core, &user.actor, &filter, super::pages::PAGE_SIZE).await.api(&user.t)?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| AuditEntryDto {
                id: e.id,
                at: e.at,
                actor_login: e.actor_login,
                action: e.action,
                entity: e.entity,
                entity_id: e.entity_id,
                before: e.before,
                after: e.after,
            })
            .collect(),
    ))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(list))
}
