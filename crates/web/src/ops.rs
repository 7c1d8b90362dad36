//! Operations: `/healthz`, `/metrics` (Prometheus) and the request metrics middleware.

use std::sync::OnceLock;
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::AppState;

/// Latency buckets, seconds: a histogram of fixed size per route (summaries would keep samples),
/// which Prometheus can add up across servers.
const LATENCY_BUCKETS: &[f64] = &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// How often the recorder drains what it has gathered into its histograms.
const UPKEEP: std::time::Duration = std::time::Duration::from_secs(5);

/// The process-wide Prometheus recorder (metrics are process-global by nature), installed once,
/// with a thread of its own that runs its upkeep: without it every request's sample waits in
/// memory for the next scrape, and a server nobody scrapes grows without end (the soak found it).
pub fn metrics_handle() -> Option<PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let built = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full("http_request_duration_seconds".into()), LATENCY_BUCKETS)
                .and_then(PrometheusBuilder::install_recorder);
            match built {
                Ok(handle) => {
                    let upkeep = handle.clone();
                    let spawned = std::thread::Builder::new().name("metrics-upkeep".into()).spawn(move || {
                        loop {
                            std::thread::sleep(UPKEEP);
                            upkeep.run_upkeep();
                        }
                    });
                    if let Err(e) = spawned {
                        tracing::warn!(error = %e, "metrics upkeep not started");
                    }
                    Some(handle)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "metrics recorder not installed");
                    None
                }
            }
        })
        .clone()
}

/// A refused attempt on a record outside the user's scope, carried on the response.
#[derive(Debug, Clone)]
pub struct DenialMark(pub app::Denial);

/// Writes refused attempts to the audit log after the handler is done, outside any
/// transaction it had open (a rolled-back write must not take the record of the attempt).
pub async fn log_denials(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let caller = crate::extract::Caller::default();
    request.extensions_mut().insert(caller.clone());
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| request.uri().path().to_owned(), |p| p.as_str().to_owned());
    let mut response = next.run(request).await;
    let logged = match response.extensions_mut().remove::<DenialMark>() {
        Some(DenialMark(denial)) => app::audit::record_denial(&state.core, &denial).await,
        // Refused by role: the signed-in caller may not do this anywhere.
        None if response.status() == StatusCode::FORBIDDEN => match caller.actor() {
            Some(actor) => app::audit::record_refusal(&state.core, &actor, &method, &route).await,
            None => Ok(()),
        },
        None => Ok(()),
    };
    if let Err(e) = logged {
        tracing::error!(error = %e, "could not log a refused access");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    response
}

/// Counts requests and their latency by method, route and status.
pub async fn track_metrics(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route =
        request.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().to_string();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
    response
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.core.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn metrics_page(State(state): State<AppState>) -> Response {
    let pool = state.core.pool_stats();
    metrics::gauge!("db_pool_connections").set(f64::from(pool.size));
    metrics::gauge!("db_pool_idle_connections").set(f64::from(pool.idle));
    let body = state.metrics.as_ref().map(PrometheusHandle::render).unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// Health and metrics routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/metrics", get(metrics_page))
}
