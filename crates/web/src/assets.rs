//! The stylesheet and htmx, served from our own `/static` (no CDN) under names that carry a
//! digest of their content (`/static/app.3f2a9c1e.css`): browsers keep them for a year without
//! asking again, and a new release names new files. Compression is the router's (gzip, brotli).

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::AppState;

const APP_CSS: &str = include_str!("../static/app.css");

const HTMX: &str = include_str!("../static/htmx-2.0.11.min.js");

/// One static file: its versioned path, content type and content.
#[derive(Debug)]
pub struct Asset {
    /// `/static/<stem>.<digest>.<ext>`.
    pub path: String,
    content_type: &'static str,
    body: &'static str,
}

impl Asset {
    fn new(stem: &str, ext: &str, content_type: &'static str, body: &'static str) -> Self {
        let digest = hex::encode(&Sha256::digest(body.as_bytes())[..5]);
        Asset { path: format!("/static/{stem}.{digest}.{ext}"), content_type, body }
    }
}

/// The stylesheet.
pub static CSS: LazyLock<Asset> = LazyLock::new(|| Asset::new("app", "css", "text/css; charset=utf-8", APP_CSS));

/// htmx (the pinned 2.0.11).
pub static HTMX_JS: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("htmx-2.0.11.min", "js", "text/javascript; charset=utf-8", HTMX));

/// A year, and never revalidated: the name changes when the content does.
const FOREVER: &str = "public, max-age=31536000, immutable";

async fn serve(Path(name): Path<String>) -> Response {
    let wanted = format!("/static/{name}");
    match [&*CSS, &*HTMX_JS].into_iter().find(|a| a.path == wanted) {
        Some(a) => ([(header::CONTENT_TYPE, a.content_type), (header::CACHE_CONTROL, FOREVER)], a.body).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The static files' routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/static/{name}", get(serve))
}
