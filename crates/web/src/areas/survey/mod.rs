//! The survey «Готов ли Ваш ребёнок к школе?»: the public form, the leads a school works, and
//! their API with the survey's public figures.

pub(crate) mod api;
mod leads;
mod public;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/survey", get(public::show).post(public::send))
        .route("/survey-leads", get(leads::list))
        .route("/survey-leads/{id}", get(leads::show))
        .route("/survey-leads/{id}/close", post(leads::close))
}

/// The API's routes (nested under `/api/v1`).
pub fn api() -> Router<AppState> {
    api::router()
}
