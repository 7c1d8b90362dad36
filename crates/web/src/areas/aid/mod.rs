//! The aid ledger and the schools' funds over the API (the pages act on them from the child's
//! card and the school's page).

pub(crate) mod api;

use axum::Router;

use crate::AppState;

/// The API's routes (nested under `/api/v1`).
pub fn api() -> Router<AppState> {
    api::router()
}
