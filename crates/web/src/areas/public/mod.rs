//! The transparency page and its figures: no sign-in, no personal data.

pub(crate) mod api;
pub(crate) mod pages;

use axum::Router;

use crate::AppState;

pub(crate) use pages::PublicCache;

/// The pages' routes.
pub fn pages() -> Router<AppState> {
    pages::router()
}

/// The API's routes (nested under `/api/v1`).
pub fn api() -> Router<AppState> {
    api::router()
}
