//! Proofs of purchase over the API (the pages act on them from the child's card).

pub(crate) mod api;

use axum::Router;

use crate::AppState;

/// The API's routes (nested under `/api/v1`).
pub fn api(proof_limit: usize) -> Router<AppState> {
    api::router(proof_limit)
}
