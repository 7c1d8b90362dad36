//! Citizens' appeals (обращения): the staff's lists, form and card, the public form and the
//! following of an appeal by its code, and their API.

pub(crate) mod api;
mod card;
mod pages;
mod public;
mod receipt;
pub(crate) mod wire;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/appeals", get(pages::list))
        .route("/appeals/new", get(pages::new).post(pages::create))
        .route("/appeals/{id}", get(card::show))
        .route("/appeals/{id}/take", post(card::take))
        .route("/appeals/{id}/assign", post(card::assign))
        .route("/appeals/{id}/forward", post(card::forward))
        .route("/appeals/{id}/extend", post(card::extend))
        .route("/appeals/{id}/answer", post(card::answer))
        .route("/appeals/{id}/close", post(card::close))
        .route("/appeal", get(public::show).post(public::send))
        .route("/track", get(public::track))
        .route("/track/feedback", post(public::feedback))
        .route("/track/receipt", get(public::receipt))
}

/// The API's routes (nested under `/api/v1`).
pub fn api() -> Router<AppState> {
    api::router()
}
