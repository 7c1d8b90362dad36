//! The child registry's pages: the list, the form, the card with its help and proofs, transfers
//! and the import.

mod aid;
mod card;
mod form;
pub(super) mod import;
pub(super) mod list;
mod transfers;

use aid::{aid_action, confirm_hold, decide_proof, deliver_hold, proof_file, record_aid, upload_proof};
use axum::Router;
use axum::routing::{get, post};
use card::{set_status, show};
use form::{create, edit_page, new_page, update};

use crate::AppState;

pub(super) use import::import_router;
use list::{export, list};
use transfers::{decide, request_transfer, transfers};

/// The proof upload route, with the proof size limit instead of the general one.
pub fn proof_router(limit: usize) -> Router<AppState> {
    Router::new()
        .route("/children/{id}/aid/{entry}/proof", post(upload_proof))
        .layer(axum::extract::DefaultBodyLimit::max(limit + 64 * 1024))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/children/{id}/aid", post(record_aid))
        .route("/children/{id}/holds/{hold}/deliver", post(deliver_hold))
        .route("/children/{id}/holds/{hold}/confirm", post(confirm_hold))
        .route("/children/{id}/aid/{entry}/{action}", post(aid_action))
        .route("/proofs/{id}", get(proof_file))
        .route("/proofs/{id}/decide", post(decide_proof))
        .route("/children", get(list))
        .route("/children/new", get(new_page).post(create))
        .route("/children/export.xlsx", get(export))
        .route("/children/transfer", post(request_transfer))
        .route("/children/transfers", get(transfers))
        .route("/children/transfers/{id}/{decision}", post(decide))
        .route("/children/{id}", get(show))
        .route("/children/{id}/edit", get(edit_page).post(update))
        .route("/children/{id}/status", post(set_status))
}
