//! The child registry: the list, the record, the card with its help and proofs, transfers between
//! schools, and the import of a school's list.

pub(crate) mod api;
mod pages;

use axum::Router;

use crate::AppState;

/// The pages' routes.
pub fn pages(import_limit: usize, proof_limit: usize) -> Router<AppState> {
    pages::router().merge(pages::import_router(import_limit)).merge(pages::proof_router(proof_limit))
}

/// The API's routes (nested under `/api/v1`).
pub fn api(import_limit: usize) -> Router<AppState> {
    api::router(import_limit)
}
