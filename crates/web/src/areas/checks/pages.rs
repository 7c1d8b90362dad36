//! The checks that protect the money, for a coordinator's scope: cash without a confirmed proof
//! past the deadline, plans and pledges never delivered, children given more than their need,
//! and the proofs waiting for a decision.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use crate::error::{Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render};
use crate::{AppState, I18n};

/// A flagged entry as the page shows it.
pub struct Line {
    pub child_id: i64,
    pub code: String,
    pub school: String,
    pub date: String,
    pub source: String,
    pub amount: String,
    pub days: i64,
    pub note: String,
}

/// A child above the need.
pub struct Above {
    pub child_id: i64,
    pub code: String,
    pub school: String,
    pub need: String,
    pub given: String,
    pub reasons: String,
}

/// A proof waiting.
pub struct Waiting {
    pub id: i64,
    pub file_name: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "checks/list.html")]
struct ChecksPage {
    t: I18n,
    l: Layout,
    year: i32,
    proof_days: i32,
    pledge_days: i32,
    unproven: Vec<Line>,
    undelivered: Vec<Line>,
    above: Vec<Above>,
    waiting: Vec<Waiting>,
}

#[derive(Debug, Default, Deserialize)]
struct ChecksQuery {
    year: Option<i32>,
}

fn line(t: &I18n, f: &app::checks::Flagged) -> Line {
    Line {
        child_id: f.entry.child_id,
        code: f.code.clone(),
        school: f.school.as_ref().map(|s| t.name(&s.name_ru, &s.name_kk).to_owned()).unwrap_or_default(),
        date: t.date(&f.entry.entry_date),
        source: t.label("aid-source", &f.entry.source),
        amount: t.tiyn(&f.entry.amount),
        days: f.days_over,
        note: f.proof.as_deref().map(|p| t.label("proof", p)).unwrap_or_else(|| t.t("proof-none")),
    }
}

async fn page(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<ChecksQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let c = app::campaigns::chosen(&state.core, q.year).await.page(&t)?;
    let checks = app::checks::run(&state.core, &user.actor, &c, domain::calendar::today()).await.page(&t)?;
    let waiting = app::proofs::pending(&state.core, &user.actor, 200).await.page(&t)?;
    let page = ChecksPage {
        l: user.layout(t.t("checks-title")),
        year: c.year,
        proof_days: c.proof_days,
        pledge_days: c.pledge_days,
        unproven: checks.unproven_cash.iter().map(|f| line(&t, f)).collect(),
        undelivered: checks.undelivered.iter().map(|f| line(&t, f)).collect(),
        above: checks
            .above_need
            .iter()
            .map(|a| Above {
                child_id: a.child_id,
                code: a.code.clone(),
                school: a.school.as_ref().map(|s| t.name(&s.name_ru, &s.name_kk).to_owned()).unwrap_or_default(),
                need: t.tiyn(&a.need),
                given: t.tiyn(&a.given),
                reasons: a.reasons.join("; "),
            })
            .collect(),
        waiting: waiting
            .iter()
            .map(|p| Waiting { id: p.id, file_name: p.file_name.clone(), at: t.date_time(&p.uploaded_at) })
            .collect(),
        t,
    };
    Ok(render(&page))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/checks", get(page))
}
