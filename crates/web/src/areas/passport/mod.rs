//! The social passport of a school, rolled up per district, region and republic.

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
