//! The account: signing in and out, one's own password, language and API tokens.

pub(crate) mod api;
mod pages;
mod tokens;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/login", get(pages::login_page).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/password", get(pages::password_page).post(pages::change_password))
        .route("/lang", post(pages::set_lang))
        .route("/account/email", post(pages::set_email))
        .merge(tokens::router())
}

/// The API's routes (nested under `/api/v1`).
pub fn api() -> Router<AppState> {
    Router::new().route("/me", get(api::me)).merge(api::router())
}
