//! `/api/v1/public`: the transparency figures, no sign-in, no personal data.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use crate::AppState;
use crate::error::{ApiError, Localize};

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

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/public", get(public))
}
