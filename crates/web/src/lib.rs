//! Doroga's HTTP face: server-rendered pages (askama + htmx) and the JSON API under `/api/v1`,
//! one router for both, used by the binary and by the tests.

mod areas;
pub mod assets;
pub mod client;
pub mod dto;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod ops;
pub mod places;
pub mod render;
pub mod session_store;
pub mod sheets;
pub mod svg;
pub mod uploads;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::csrf::CsrfLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use i18n::{Catalog, I18n};

/// Settings of the web layer, parsed once by the binary.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (on behind HTTPS; off for plain-HTTP local runs and tests).
    pub secure_cookies: bool,
    /// How long a sign-in lasts. The session row is written only when it changes (sign-in,
    /// language), so requests cost no database write; the row expires this long after.
    pub session_idle: Duration,
    /// Largest request body.
    pub body_limit: usize,
    /// Largest children file to import.
    pub import_limit: usize,
    /// Longest a request may take.
    pub request_timeout: Duration,
    /// Origins allowed to POST besides the site itself (e.g. `https://doroga.edu.kz`).
    pub trusted_origins: Vec<String>,
    /// Where proof-of-purchase files are kept.
    pub upload_dir: std::path::PathBuf,
    /// Largest proof-of-purchase file.
    pub proof_limit: usize,
    /// Proxies (the load balancer) whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The site's address as the public reaches it (`https://doroga.edu.kz`), for the links a
    /// poster's QR codes hold; by default the first trusted origin, else the request's host.
    pub public_url: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session_idle: Duration::from_secs(8 * 3600),
            body_limit: 10 * 1024 * 1024,
            import_limit: 64 * 1024 * 1024,
            request_timeout: Duration::from_secs(60),
            trusted_origins: Vec::new(),
            upload_dir: std::path::PathBuf::from("uploads"),
            proof_limit: 10 * 1024 * 1024,
            trusted_proxies: Vec::new(),
            public_url: None,
        }
    }
}

/// What every handler can reach.
#[derive(Debug)]
pub struct App {
    /// The use cases and what they run on.
    pub core: app::Core,
    /// Settings.
    pub config: WebConfig,
    /// The Prometheus recorder's handle, for `/metrics`.
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
    /// Rendered public pages, reused for a few seconds.
    pub public_cache: areas::public::PublicCache,
}

/// Shared application state: `AppState(Arc<App>)`.
#[derive(Debug, Clone)]
pub struct AppState(pub Arc<App>);

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}

impl AppState {
    /// Builds the state around the use cases' core.
    pub fn new(core: app::Core, config: WebConfig) -> Self {
        Self(Arc::new(App { core, config, metrics: ops::metrics_handle(), public_cache: Default::default() }))
    }

    /// The catalogue in one language.
    pub fn i18n(&self, locale: domain::Locale) -> I18n {
        I18n::new(self.core.catalog().clone(), locale)
    }
}

/// The content security policy: our own scripts and styles only, no framing.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";

/// Strict transport security for a year, subdomains included.
const HSTS: &str = "max-age=31536000; includeSubDomains";

fn header(name: &'static str, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(HeaderName::from_static(name), HeaderValue::from_static(value))
}

/// The API's routes (nested under `/api/v1`): every area's, the OpenAPI document, and a 404 in
/// the envelope's status for anything else.
fn api_router(import_limit: usize, proof_limit: usize) -> Router<AppState> {
    areas::api(import_limit, proof_limit)
        .route("/openapi.json", axum::routing::get(openapi::openapi))
        .fallback(|visitor: extract::Visitor| async move { error::ApiError(visitor.t, error::AppError::NotFound) })
}

/// Responses compressed for the slow links of village schools (brotli or gzip, as the browser
/// accepts): pages, API answers, the stylesheet and htmx; not the files that are compressed
/// already (workbooks, documents, PDFs, images) nor answers too small to gain.
fn compression() -> CompressionLayer<impl Predicate> {
    let predicate = SizeAbove::new(256)
        .and(NotForContentType::const_new("application/vnd.openxmlformats"))
        .and(NotForContentType::const_new("application/pdf"))
        .and(NotForContentType::const_new("application/zip"))
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::const_new("text/event-stream"));
    CompressionLayer::new().compress_when(predicate)
}

/// An address that is no page: the error page in the visitor's language, with 404.
async fn not_found_page(visitor: extract::Visitor) -> axum::response::Response {
    use axum::response::IntoResponse;
    error::PageError(visitor.t, error::AppError::NotFound).into_response()
}

/// The whole application: pages, API, static files, health and metrics, with sessions, CSRF
/// protection, body and time limits, tracing and metrics around it.
pub fn app(state: AppState) -> Router {
    let config = &state.config;
    let sessions = SessionManagerLayer::new(session_store::DbStore::new(state.core.clone()))
        .with_name("doroga_session")
        .with_secure(config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(
            time::Duration::try_from(config.session_idle).unwrap_or(time::Duration::hours(8)),
        ));
    // Served over HTTPS (the cookies are marked secure), browsers are told to keep to it.
    let hsts = config.secure_cookies.then(|| HeaderValue::from_static(HSTS));
    let mut csrf = CsrfLayer::new();
    for origin in &config.trusted_origins {
        csrf = match csrf.clone().add_trusted_origin(origin) {
            Ok(layer) => layer,
            Err(e) => {
                tracing::error!(%origin, error = %e, "ignoring a trusted origin that does not parse");
                csrf
            }
        };
    }
    Router::new()
        .merge(areas::pages(config.import_limit, config.proof_limit))
        .merge(assets::router())
        .nest("/api/v1", api_router(config.import_limit, config.proof_limit))
        .merge(ops::router())
        .fallback(not_found_page)
        .layer(axum::middleware::from_fn_with_state(state.clone(), ops::log_denials))
        .layer(sessions)
        .layer(csrf)
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.request_timeout))
        .layer(header("content-security-policy", CSP))
        .layer(header("x-content-type-options", "nosniff"))
        .layer(header("x-frame-options", "DENY"))
        .layer(header("referrer-policy", "same-origin"))
        // Pages, API answers and files carry children's personal data: no browser or proxy
        // keeps any response but the static files, which say for how long they may be kept.
        .layer(header("cache-control", "no-store"))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            move |_: &axum::http::Response<axum::body::Body>| hsts.clone(),
        ))
        .layer(axum::middleware::from_fn(ops::track_metrics))
        .layer(compression())
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::new())
        .with_state(state)
}
