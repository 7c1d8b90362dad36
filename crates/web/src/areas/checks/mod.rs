//! The checks: cash without a proof, plans and pledges late, help above need.

pub(crate) mod api;
mod pages;

use axum::Router;

use crate::AppState;

/// The pages' routes.
pub fn pages() -> Router<AppState> {
    pages::router()
}

/// The API's routes (nested under `/api/v1`).
pub fn api() -> Router<AppState> {
    api::router()
}
