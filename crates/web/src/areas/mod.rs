//! The areas, one folder each: its router (`mod.rs`), its pages and its API handlers, thin
//! adapters over `app`. An area never imports another area; what they share lives in the web
//! crate's `extract`, `error`, `render` and `dto` modules.

pub(crate) mod account;
pub(crate) mod aid;
pub(crate) mod appeals;
pub(crate) mod attendance;
pub(crate) mod audit;
pub(crate) mod campaigns;
pub(crate) mod checks;
pub(crate) mod children;
pub(crate) mod notifications;
pub(crate) mod orgs;
pub(crate) mod passport;
pub(crate) mod proofs;
pub(crate) mod public;
pub(crate) mod raids;
pub(crate) mod reports;
pub(crate) mod sponsors;
pub(crate) mod survey;
pub(crate) mod today;
pub(crate) mod users;

use axum::Router;

use crate::AppState;

/// Every area's pages.
pub fn pages(import_limit: usize, proof_limit: usize) -> Router<AppState> {
    Router::new()
        .merge(account::pages())
        .merge(today::pages())
        .merge(orgs::pages())
        .merge(children::pages(import_limit, proof_limit))
        .merge(checks::pages())
        .merge(reports::pages())
        .merge(passport::pages())
        .merge(sponsors::pages())
        .merge(public::pages())
        .merge(raids::pages(proof_limit))
        .merge(attendance::pages())
        .merge(appeals::pages())
        .merge(notifications::pages())
        .merge(survey::pages())
        .merge(campaigns::pages())
        .merge(users::pages())
        .merge(audit::pages())
}

/// Every area's API (nested under `/api/v1`).
pub fn api(import_limit: usize, proof_limit: usize) -> Router<AppState> {
    Router::new()
        .merge(account::api())
        .merge(orgs::api())
        .merge(users::api())
        .merge(audit::api())
        .merge(aid::api())
        .merge(sponsors::api())
        .merge(proofs::api(proof_limit))
        .merge(checks::api())
        .merge(campaigns::api())
        .merge(reports::api())
        .merge(children::api(import_limit))
        .merge(passport::api())
        .merge(public::api())
        .merge(raids::api(proof_limit))
        .merge(attendance::api(import_limit))
        .merge(appeals::api())
        .merge(notifications::api())
        .merge(survey::api())
}
