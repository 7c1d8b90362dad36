//! Raids (рейды) and the children they find: the list, a raid's page and form, the field page
//! that works without a connection, and their API (with the sync of what a phone kept offline).

pub(crate) mod api;
mod field;
mod pages;
pub(crate) mod photos;
mod show;
pub(crate) mod wire;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes (`photo_limit`: a finding's photo's size limit).
pub fn pages(photo_limit: usize) -> Router<AppState> {
    let limit = axum::extract::DefaultBodyLimit::max(photo_limit + 64 * 1024);
    Router::new()
        .route("/raids", get(pages::list))
        .route("/raids/new", get(pages::new).post(pages::create))
        .route("/raids/{id}", get(show::show))
        .route("/raids/{id}/edit", get(pages::edit).post(pages::update))
        .route("/raids/{id}/field", get(field::show))
        .route("/raids/{id}/findings", post(field::send))
        .route("/raids/conflicts/{id}", post(pages::resolve))
        .route("/raids/{id}/findings/{client_id}/photo", post(photos::add_page).layer(limit))
        .route("/raids/photos/{id}", get(photos::file_page))
}

/// The API's routes (nested under `/api/v1`).
pub fn api(photo_limit: usize) -> Router<AppState> {
    api::router().merge(photos::api(photo_limit))
}
