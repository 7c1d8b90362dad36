//! The child registry over the API: records, transfers, the import.

pub(crate) mod import;
pub(crate) mod records;
pub(crate) mod transfers;

use axum::Router;
use axum::routing::{get, post};
use import::{import, job};
use records::{card, create, export, list, set_status, update};
use transfers::{decide, request_transfer, transfers};

use crate::AppState;

/// Routes.
pub fn router(import_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/children", get(list).post(create))
        .route("/children/export.xlsx", get(export))
        .route("/children/transfer-requests", get(transfers).post(request_transfer))
        .route("/children/transfer-requests/{id}/{decision}", post(decide))
        .route("/children/import", post(import).layer(axum::extract::DefaultBodyLimit::max(import_limit)))
        .route("/children/import/{id}", get(job))
        .route("/children/{id}", get(card).put(update))
        .route("/children/{id}/status", post(set_status))
}
