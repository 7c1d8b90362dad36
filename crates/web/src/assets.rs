//! The stylesheet, htmx and the field pages' script, served from our own `/static` (no CDN) under names that carry a
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

const FIELD: &str = include_str!("../static/field.js");
/// A case's steps kept on the phone while offline.
const STEPS: &str = include_str!("../static/steps.js");

const ICON: &str = include_str!("../static/icon.svg");

const SERVICE_WORKER: &str = include_str!("../static/sw.js");

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

/// The field pages' script: findings kept on the phone and sent when the connection is there.
pub static FIELD_JS: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("field", "js", "text/javascript; charset=utf-8", FIELD));

/// The case page's script: steps kept on the phone and sent when the connection is there.
pub static STEPS_JS: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("steps", "js", "text/javascript; charset=utf-8", STEPS));

/// The installed app's icon.
pub static ICON_SVG: LazyLock<Asset> = LazyLock::new(|| Asset::new("icon", "svg", "image/svg+xml", ICON));

/// The service worker, with the files it keeps for offline use named by their versioned paths
/// (a new release is a new worker, which drops the old files).
static WORKER: LazyLock<String> = LazyLock::new(|| {
    let files: Vec<&str> =
        [&*CSS, &*HTMX_JS, &*FIELD_JS, &*STEPS_JS, &*ICON_SVG].iter().map(|a| a.path.as_str()).collect();
    let version = hex::encode(&Sha256::digest(files.concat().as_bytes())[..5]);
    SERVICE_WORKER
        .replace("__FILES__", &serde_json::to_string(&files).unwrap_or_else(|_| "[]".to_owned()))
        .replace("__VERSION__", &version)
});

/// `/sw.js`: at the site's root so that it may keep the field pages; browsers ask for it again
/// on every visit (`no-cache`), so a new release takes over at once.
async fn worker() -> Response {
    let headers = [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")];
    (headers, WORKER.as_str()).into_response()
}

/// `/manifest.webmanifest`: the field pages as an app to install on a phone's home screen.
async fn manifest() -> Response {
    let body = serde_json::json!({
        "name": "Дорога в школу — Мектепке жол",
        "short_name": "Мектепке жол",
        "start_url": "/raids",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5394",
        "icons": [{ "src": ICON_SVG.path, "sizes": "any", "type": "image/svg+xml", "purpose": "any" }],
    });
    ([(header::CONTENT_TYPE, "application/manifest+json"), (header::CACHE_CONTROL, "no-cache")], body.to_string())
        .into_response()
}

/// A year, and never revalidated: the name changes when the content does.
const FOREVER: &str = "public, max-age=31536000, immutable";

async fn serve(Path(name): Path<String>) -> Response {
    let wanted = format!("/static/{name}");
    match [&*CSS, &*HTMX_JS, &*FIELD_JS, &*STEPS_JS, &*ICON_SVG].into_iter().find(|a| a.path == wanted) {
        Some(a) => ([(header::CONTENT_TYPE, a.content_type), (header::CACHE_CONTROL, FOREVER)], a.body).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The static files' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/{name}", get(serve))
        .route("/sw.js", get(worker))
        .route("/manifest.webmanifest", get(manifest))
}
