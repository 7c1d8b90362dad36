//! The stylesheet and htmx, served from our own `/static` (no CDN), cached for a day.

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

const APP_CSS: &str = include_str!("../static/app.css");

const HTMX: &str = include_str!("../static/htmx-2.0.11.min.js");

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=86400")], body).into_response()
}

/// The static files' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(|| async { asset("text/css; charset=utf-8", APP_CSS) }))
        .route("/static/htmx-2.0.11.min.js", get(|| async { asset("text/javascript; charset=utf-8", HTMX) }))
}
