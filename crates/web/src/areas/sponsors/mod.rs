//! Sponsors: their registration and approval, the portal of anonymised needs, holds,
//! deliveries, the help report and the letter.

pub(crate) mod api;
pub(crate) mod holds_api;
mod pages;
mod register;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The API's routes (nested under `/api/v1`).
pub fn api() -> Router<AppState> {
    api::router().merge(holds_api::router())
}

/// The pages' routes.
pub fn pages() -> Router<AppState> {
    use pages::{deliver, letter, portal, report, report_xlsx, reserve};
    use register::{apply, apply_page, decide, register, sponsors};
    Router::new()
        .route("/sponsor", get(portal))
        .route("/sponsor/reserve/{need}", post(reserve))
        .route("/sponsor/deliver/{id}", post(deliver))
        .route("/sponsors", get(sponsors).post(register))
        .route("/sponsors/{id}/decide", post(decide))
        .route("/sponsors/apply", get(apply_page).post(apply))
        .route("/sponsor/report", get(report))
        .route("/sponsor/report.xlsx", get(report_xlsx))
        .route("/sponsor/letter.pdf", get(letter))
}
