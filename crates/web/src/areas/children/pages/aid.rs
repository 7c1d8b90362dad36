//! Help recorded from a child's card: an entry, its status or reversal, a sponsor's delivery, and
//! the proof of purchase uploaded, opened and decided.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use domain::{ChildId, EntryId, ErrorCode, HoldId, ProofId};
use serde::Deserialize;

use super::card::{card_page, card_page_with};
use crate::AppState;
use crate::error::{AppError, FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::render_invalid;

pub(super) async fn deliver_hold(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, hold)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    match app::sponsors::deliver(&state.core, &user.actor, HoldId(hold), domain::calendar::today()).await {
        Ok(_) => Ok(Redirect::to(&format!("/children/{id}?saved=1#aid")).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&card_page(&state, &user, id, false, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

/// The school's answer to a sponsor's delivery: `received` is `yes` or `no`.
#[derive(Debug, Default, Deserialize)]
pub(super) struct HoldAnswer {
    #[serde(default)]
    received: String,
}

pub(super) async fn confirm_hold(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, hold)): Path<(i64, i64)>,
    Form(f): Form<HoldAnswer>,
) -> Result<Response, PageError> {
    let received = match f.received.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            let errors = FormErrors::new(&user.t, &[domain::FieldError::new("received", ErrorCode::InvalidChoice)]);
            return Ok(render_invalid(&card_page(&state, &user, id, false, errors).await?));
        }
    };
    match app::sponsors::confirm(&state.core, &user.actor, HoldId(hold), received).await {
        Ok(_) => Ok(Redirect::to(&format!("/children/{id}?saved=1#holds")).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&card_page(&state, &user, id, false, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

/// The aid form: an entry, its goods as parallel lists (one row of inputs per item), and
/// whether it was already delivered.
#[derive(Debug, Default, Deserialize)]
pub(super) struct AidForm {
    #[serde(flatten)]
    entry: domain::aid::EntryInput,
    #[serde(default)]
    goods_item: Vec<String>,
    #[serde(default)]
    goods_quantity: Vec<String>,
    #[serde(default)]
    goods_value: Vec<String>,
    #[serde(default)]
    delivered: Option<String>,
}

impl AidForm {
    /// The entry as typed, with the goods rows that name an item.
    fn input(self) -> domain::aid::EntryInput {
        let at = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
        let items = (0..self.goods_item.len())
            .map(|i| domain::aid::ItemInput {
                item: at(&self.goods_item, i),
                quantity: at(&self.goods_quantity, i),
                value: at(&self.goods_value, i),
            })
            .filter(|it| !it.item.trim().is_empty() || !it.value.trim().is_empty())
            .collect();
        domain::aid::EntryInput { items, ..self.entry }
    }
}

pub(super) async fn record_aid(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<AidForm>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let delivered = f.delivered.is_some();
    let input = f.input();
    let result = app::ledger::give(&state.core, &user.actor, ChildId(id), &input, delivered).await.map(|_| ());
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/children/{id}?saved=1#aid")).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&t, &invalid.0);
            Ok(render_invalid(&card_page_with(&state, &user, id, false, errors, input).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct AidStatusForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
}

pub(super) async fn aid_action(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, entry, action)): Path<(i64, i64, String)>,
    Form(f): Form<AidStatusForm>,
) -> Result<Response, PageError> {
    let result = match action.as_str() {
        "status" => match domain::aid::EntryStatus::parse(&f.to) {
            Some(to) => app::ledger::set_status(&state.core, &user.actor, EntryId(entry), to).await.map(|_| ()),
            None => Err(domain::Invalid::one("status", ErrorCode::InvalidChoice).into()),
        },
        "reverse" => app::ledger::reverse(&state.core, &user.actor, EntryId(entry), &f.reason).await.map(|_| ()),
        _ => return Err(user.fail(AppError::NotFound)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/children/{id}?saved=1#aid")).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&card_page(&state, &user, id, false, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

/// Receives a proof of purchase for a paid cash entry (its own body limit: photos are large).
pub(super) async fn upload_proof(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, entry)): Path<(i64, i64)>,
    multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    match crate::uploads::store_proof(&state, &user.actor, entry, multipart).await.map(|_| ()) {
        Ok(()) => Ok(Redirect::to(&format!("/children/{id}?saved=1#aid")).into_response()),
        Err(AppError::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&card_page(&state, &user, id, false, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

/// Serves a proof's file to those whose scope covers the child; each opening is logged.
pub(super) async fn proof_file(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    crate::uploads::serve_proof(&state, &user.actor, id).await.page(&user.t)
}

#[derive(Debug, Deserialize)]
pub(super) struct ProofDecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

pub(super) async fn decide_proof(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ProofDecisionForm>,
) -> Result<Response, PageError> {
    let child_id = app::proofs::child_of(&state.core, &user.actor, ProofId(id)).await.page(&user.t)?;
    let decision = match f.decision.as_str() {
        "confirm" => app::proofs::Decision::Confirm,
        _ => app::proofs::Decision::Reject(f.reason),
    };
    match app::proofs::decide(&state.core, &user.actor, ProofId(id), &decision).await {
        Ok(_) => Ok(Redirect::to(&format!("/children/{child_id}?saved=1#aid")).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&card_page(&state, &user, child_id, false, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}
