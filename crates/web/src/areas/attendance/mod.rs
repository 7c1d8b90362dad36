//! Pupils who do not come to school: the list of pupils out (by reason, by days out), the form
//! for one who did not come, the day's roll, the e-journal's file, a case with its steps and its
//! closing, the task list; and their API.

pub(crate) mod api;
mod case;
pub(crate) mod conflicts;
mod pages;
pub(crate) mod wire;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/attendance", get(pages::list))
        .route("/attendance/new", get(pages::new).post(pages::create))
        .route("/attendance/roll", get(pages::roll_page).post(pages::roll))
        .route("/attendance/journal", get(pages::journal_page).post(pages::journal))
        .route("/attendance/tasks", get(case::tasks))
        .route("/attendance/cases/{id}", get(case::show))
        .route("/attendance/cases/{id}/steps", post(case::add_step))
        .route("/attendance/steps/{id}", post(case::update_step))
        .route("/attendance/cases/{id}/close", post(case::close))
        .route("/attendance/cases/{id}/signature", post(case::sign))
        .route("/attendance/conflicts/{id}", post(conflicts::decide_page))
}

/// The API's routes (nested under `/api/v1`).
pub fn api(import_limit: usize) -> Router<AppState> {
    api::router(import_limit).merge(conflicts::api())
}
