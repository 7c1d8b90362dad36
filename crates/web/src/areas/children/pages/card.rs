//! A child's card: the record, needs, status and its history, the help given and its proofs,
//! the sponsors' holds, and the forms acting on them.

use app::children::Card;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::{Form, Query};
use domain::child::Status;
use domain::{ChildId, ErrorCode};
use serde::Deserialize;

use super::list::{categories_label, full_name, options};
use crate::error::{FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

/// A sponsor's hold as the card shows it.
pub struct HoldShown {
    pub id: i64,
    /// The need held, by its item.
    pub item: String,
    pub sponsor: String,
    pub status: String,
    /// The day the sponsor says it delivered, written out.
    pub on: String,
    /// Held now: the school can record the delivery itself.
    pub active: bool,
    /// The sponsor says delivered: the school confirms or declines.
    pub awaiting: bool,
}

#[derive(Template)]
#[template(path = "children/card.html")]
pub(super) struct CardPage {
    t: I18n,
    l: Layout,
    card: Card,
    code: String,
    name: String,
    categories: String,
    school: String,
    saved: bool,
    can_edit: bool,
    statuses: Vec<(&'static str, String)>,
    errors: FormErrors,
    entries: Vec<AidRow>,
    holds: Vec<HoldShown>,
    aid: domain::aid::EntryInput,
    aid_sources: Vec<(&'static str, String)>,
    /// The kinds a one-off giver may be.
    giver_kinds: Vec<(&'static str, String)>,
    aid_forms: Vec<(&'static str, String)>,
    /// The approved sponsors of the region, to credit help to.
    sponsors: Vec<(i64, String)>,
    /// The things help in kind may be: the same items the needs and the reports count.
    items: Vec<(&'static str, String)>,
    /// The goods rows of the form: (row, item, quantity, value) as typed.
    goods: Vec<(usize, String, String, String)>,
}

/// Goods rows the aid form offers.
const GOODS_ROWS: usize = 3;

/// A ledger entry as the card shows it.
pub struct AidRow {
    pub id: i64,
    pub date: String,
    pub source: String,
    pub form: String,
    pub amount: String,
    pub status: String,
    pub organised_by: String,
    pub reason: String,
    pub reversal: bool,
    pub reversed: bool,
    pub next: Option<(&'static str, String)>,
    /// Paid cash that takes a proof of purchase.
    pub takes_proof: bool,
    pub proofs: Vec<ProofRow>,
}

/// A proof of purchase as the card shows it.
pub struct ProofRow {
    pub id: i64,
    pub file_name: String,
    pub size: String,
    pub status: String,
    pub pending: bool,
    /// Uploaded by the viewer, who may not decide on it (another account does).
    pub own: bool,
    pub reason: String,
    pub by: String,
}

pub(super) fn proof_rows(t: &I18n, proofs: &[app::entity::proof::Model], entry: i64, viewer: i64) -> Vec<ProofRow> {
    proofs
        .iter()
        .filter(|p| p.entry_id == entry)
        .map(|p| ProofRow {
            id: p.id,
            file_name: p.file_name.clone(),
            size: t.t1("file-kb", "kb", (p.size + 1023) / 1024),
            status: t.label("proof", &p.status),
            pending: p.status == "uploaded",
            own: p.uploaded_by == viewer,
            reason: p.reason.clone().unwrap_or_default(),
            by: format!("{}, {}", p.uploaded_login, t.date_time(&p.uploaded_at)),
        })
        .collect()
}

pub(super) fn aid_rows(
    t: &I18n,
    entries: &[app::entity::ledger_entry::Model],
    proofs: &[app::entity::proof::Model],
    viewer: i64,
) -> Vec<AidRow> {
    use domain::aid::EntryStatus;
    let reversed: std::collections::HashSet<i64> = entries.iter().filter_map(|e| e.reverses_id).collect();
    entries
        .iter()
        .map(|e| {
            let next = EntryStatus::parse(&e.status)
                .and_then(|s| match s {
                    EntryStatus::Planned => Some(EntryStatus::Delivered),
                    EntryStatus::Delivered => Some(EntryStatus::Confirmed),
                    EntryStatus::Confirmed => None,
                })
                .filter(|_| e.reverses_id.is_none() && !reversed.contains(&e.id))
                // Cash is confirmed by accepting a proof of purchase, not by hand.
                .filter(|n| !(*n == EntryStatus::Confirmed && e.form == domain::aid::Form::Cash.as_str()))
                .map(|n| (n.as_str(), t.label("aid-to", n.as_str())));
            let takes_proof = e.form == domain::aid::Form::Cash.as_str()
                && e.status == EntryStatus::Delivered.as_str()
                && e.reverses_id.is_none()
                && !reversed.contains(&e.id);
            AidRow {
                id: e.id,
                date: t.date(&e.entry_date),
                source: t.label("aid-source", &e.source),
                form: t.label("aid-form", &e.form),
                amount: t.tiyn(&e.amount),
                status: t.label("aid-status", &e.status),
                organised_by: e.organised_by.clone().unwrap_or_default(),
                reason: e.reason.clone().unwrap_or_default(),
                reversal: e.reverses_id.is_some(),
                reversed: reversed.contains(&e.id),
                next,
                takes_proof,
                proofs: proof_rows(t, proofs, e.id, viewer),
            }
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct CardQuery {
    saved: Option<String>,
}

pub(super) async fn card_page(
    state: &AppState,
    user: &PageUser,
    id: i64,
    saved: bool,
    errors: FormErrors,
) -> Result<CardPage, PageError> {
    card_page_with(state, user, id, saved, errors, domain::aid::EntryInput::default()).await
}

pub(super) async fn card_page_with(
    state: &AppState,
    user: &PageUser,
    id: i64,
    saved: bool,
    errors: FormErrors,
    aid: domain::aid::EntryInput,
) -> Result<CardPage, PageError> {
    let t = user.t.clone();
    let app::children::ChildFile { card, entries, proofs, holds } =
        app::children::file(&state.core, &user.actor, ChildId(id)).await.page(&t)?;
    let can_edit = user.actor.role.can_edit_children();
    let sponsors = if can_edit {
        app::ledger::sponsors_for(&state.core, &user.actor)
            .await
            .page(&t)?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect()
    } else {
        Vec::new()
    };
    let goods = (0..GOODS_ROWS.max(aid.items.len()))
        .map(|i| {
            let it = aid.items.get(i).cloned().unwrap_or_default();
            (i, it.item, it.quantity, it.value)
        })
        .collect();
    let holds = holds
        .into_iter()
        .map(|h| HoldShown {
            id: h.id,
            item: card.needs.iter().find(|n| n.id == h.need_id).map(|n| t.label("need", &n.item)).unwrap_or_default(),
            status: t.label("hold", &h.status),
            on: h.delivered_on.map(|d| t.date(&d)).unwrap_or_default(),
            awaiting: h.status == "awaiting",
            sponsor: h.sponsor,
            active: h.active,
        })
        .collect();
    let aid = if aid.date.is_empty() {
        domain::aid::EntryInput {
            date: t.date(&domain::calendar::today()),
            source: "fund".into(),
            form: "cash".into(),
            ..aid
        }
    } else {
        aid
    };
    Ok(CardPage {
        l: user.layout(if card.personal { full_name(&card.child) } else { app::children::code(id) }),
        code: app::children::code(id),
        name: full_name(&card.child),
        categories: categories_label(&t, &card.child.categories),
        school: t.name(&card.school.name_ru, &card.school.name_kk).to_owned(),
        saved,
        can_edit,
        statuses: options(&t, Status::ALL, Status::as_str, "status"),
        errors,
        entries: aid_rows(&t, &entries, &proofs, user.actor.user_id.0),
        holds,
        aid,
        aid_sources: options(&t, domain::aid::Source::ALL, domain::aid::Source::as_str, "aid-source"),
        giver_kinds: options(&t, domain::aid::SponsorKind::ALL, domain::aid::SponsorKind::as_str, "sponsor-kind"),
        aid_forms: options(&t, domain::aid::Form::ALL, domain::aid::Form::as_str, "aid-form"),
        sponsors,
        items: options(&t, domain::child::NeedItem::ALL, domain::child::NeedItem::as_str, "need"),
        goods,
        card,
        t,
    })
}

pub(super) async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<CardQuery>,
) -> Result<Response, PageError> {
    Ok(render(&card_page(&state, &user, id, q.saved.is_some(), FormErrors::default()).await?))
}

#[derive(Debug, Deserialize)]
pub(super) struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
}

pub(super) async fn set_status(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> Result<Response, PageError> {
    let result = match Status::parse(&f.status) {
        Some(status) => app::children::set_status(&state.core, &user.actor, ChildId(id), status, &f.reason).await,
        None => Err(domain::Invalid::one("status", ErrorCode::InvalidChoice).into()),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/children/{id}?saved=1")).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&card_page(&state, &user, id, false, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}
