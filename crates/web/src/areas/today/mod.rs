//! The start page: a visitor's is the public front door (`front`), a coordinator's today's work,
//! a sponsor's the portal, anyone else's their own unit.

mod front;
mod pages;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The pages' routes.
pub fn pages() -> Router<AppState> {
    Router::new().route("/", get(pages::home))
}
