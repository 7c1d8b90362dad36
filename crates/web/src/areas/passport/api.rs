//! `/api/v1/passport`: the social passport of a unit.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use axum_extra::extract::Query;
use domain::{CampaignId, OrgUnitId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::{ApiError, Localize};
use crate::extract::ApiUser;

/// The social passport of a unit and its sub-units.
#[derive(Debug, Serialize, ToSchema)]
pub struct PassportDto {
    /// Campaign year.
    year: i32,
    /// The unit.
    unit_id: i64,
    /// Its passport.
    #[schema(value_type = Object)]
    total: app::passport::Passport,
    /// One row per sub-unit.
    #[schema(value_type = Vec<Object>)]
    rows: Vec<app::passport::Row>,
}

/// Year of a passport.
#[derive(Debug, Deserialize, IntoParams)]
pub struct YearQuery {
    /// Campaign year (default: current).
    year: Option<i32>,
}

/// The social passport of a unit in scope, with its roll-up.
#[utoipa::path(get, path = "/api/v1/passport/{unit_id}", tag = "registry", params(YearQuery),
    responses((status = 200, body = PassportDto), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn passport(
    State(state): State<AppState>,
    user: ApiUser,
    Path(unit): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Json<PassportDto>, ApiError> {
    let campaign = app::campaigns::chosen(&state.core, q.year).await.api(&user.t)?;
    let (unit, total, rows) =
        app::passport::compute(&state.core, &user.actor, CampaignId(campaign.id), OrgUnitId(unit))
            .await
            .api(&user.t)?;
    Ok(Json(PassportDto { year: campaign.year, unit_id: unit.id, total, rows }))
}

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/passport/{unit_id}", get(passport))
}
