//! The org hierarchy: units, their import, and a school's fund on its page.

pub(crate) mod api;
pub(crate) mod contacts;
pub(crate) mod details;
mod import;
mod pages;
pub(crate) mod poster;

use axum::Router;

use crate::AppState;

/// The pages' routes.
pub fn pages() -> Router<AppState> {
    pages::router().merge(import::router()).merge(details::router()).merge(contacts::router()).merge(poster::router())
}

/// The API's routes (nested under `/api/v1`).
pub fn api() -> Router<AppState> {
    api::router().merge(details::api_router()).merge(contacts::api_router()).merge(poster::api_router())
}
