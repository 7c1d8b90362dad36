//! `/api/v1/checks`: what the checks flag in the caller's scope.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::{ApiError, Localize};
use crate::extract::ApiUser;

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
    let found = app::checks::run(&state.core, &user.actor, &c, domain::calendar::today()).await.api(&user.t)?;
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

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/checks", get(checks))
}
