//! Reports and the dashboard.

pub(crate) mod api;
mod dashboard;
mod pages;

use axum::Router;

use crate::AppState;

/// The pages' routes.
pub fn pages() -> Router<AppState> {
    pages::router().merge(dashboard::router())
}

/// The API's routes (nested under `/api/v1`).
pub fn api() -> Router<AppState> {
    api::router()
}
