//! An appeal's card: what it is, where it stands, what happened to it, and the forms that work it
//! (take, assign, forward, extend, answer, close). A form that fails shows the card again with
//! what was typed and the message beside its field.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::Utc;
use domain::appeal::{ExtensionInput, Status, show_code};
use domain::{OrgUnitId, UserId};
use serde::Deserialize;

use crate::error::{FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

/// What was typed in the card's forms (kept when one fails).
#[derive(Debug, Default, Clone, Deserialize)]
pub(super) struct Typed {
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    assignee_id: String,
}

/// One line of the history.
struct Event {
    at: String,
    what: String,
    by: String,
    unit: String,
    note: String,
}

#[derive(Template)]
#[template(path = "appeals/card.html")]
struct CardPage {
    t: I18n,
    l: Layout,
    id: i64,
    code: String,
    status_code: String,
    status: String,
    channel: String,
    topic: String,
    received: String,
    due: String,
    extended: String,
    overdue: bool,
    escalated: bool,
    unit: String,
    school: String,
    applicant: String,
    phone: String,
    email: String,
    anonymous: bool,
    child: Option<(i64, String)>,
    text: String,
    answer: String,
    solved: String,
    assignee: String,
    events: Vec<Event>,
    candidates: Vec<(i64, String)>,
    targets: Vec<(i64, String)>,
    /// Likely duplicates in the actor's scope (id, code) and how many lie outside it.
    duplicates: Vec<(i64, String)>,
    duplicates_elsewhere: usize,
    /// The last day to forward it, and whether that day has passed.
    forward_by: String,
    forward_late: bool,
    forwarded_late: bool,
    open: bool,
    can_take: bool,
    can_extend: bool,
    can_close: bool,
    registered: bool,
    typed: Typed,
    errors: FormErrors,
}

async fn card_page(
    state: &AppState,
    user: &PageUser,
    id: i64,
    typed: Typed,
    errors: FormErrors,
    registered: bool,
) -> Result<CardPage, PageError> {
    let t = user.t.clone();
    let v = app::appeals::get(&state.core, &user.actor, id).await.page(&t)?;
    let a = &v.appeal;
    let status = Status::parse(&a.status).unwrap_or(Status::Closed);
    let today = app::appeals::today();
    let name = |u: &app::entity::org_unit::Model| t.name(&u.name_ru, &u.name_kk).to_owned();
    // Where a forward may go: the region, its districts, and the schools of the appeal's district.
    let mut targets = Vec::new();
    if let Some(region) = a.region_id {
        if let Some(r) = app::orgs::public_unit(&state.core, region).await.page(&t)? {
            targets.push((r.id, name(&r)));
        }
        for d in app::orgs::public_children(&state.core, region).await.page(&t)? {
            targets.push((d.id, name(&d)));
        }
    }
    if let Some(district) = a.district_id {
        for s in app::orgs::public_children(&state.core, district).await.page(&t)? {
            targets.push((s.id, format!("— {}", name(&s))));
        }
    }
    targets.retain(|(i, _)| *i != a.unit_id);
    let events = v
        .events
        .iter()
        .map(|(e, by, unit)| Event {
            at: t.date_time(&e.at),
            what: t.label("appeal-event", &e.kind),
            by: by.clone().unwrap_or_default(),
            unit: unit.as_ref().map(name).unwrap_or_default(),
            note: match e.kind.as_str() {
                "feedback" => t.label("appeal-solved", e.note.as_deref().unwrap_or_default()),
                _ => e.note.clone().unwrap_or_default(),
            },
        })
        .collect();
    let can_write = user.actor.role.is_coordinator();
    Ok(CardPage {
        l: user.layout(t.args("appeal-card-title", &[("code", show_code(&a.code))])),
        id: a.id,
        code: show_code(&a.code),
        status_code: a.status.clone(),
        status: t.label("appeal-status", &a.status),
        channel: t.label("appeal-channel", &a.channel),
        topic: t.label("appeal-topic", &a.topic),
        received: t.date_time(&a.received_at),
        due: t.date(&a.due_on),
        extended: a.extension_reason.clone().unwrap_or_default(),
        overdue: status.is_open() && a.due_on < today,
        escalated: status.is_open() && a.escalation > 0,
        unit: name(&v.unit),
        school: v.school.as_ref().map(name).unwrap_or_default(),
        applicant: a.applicant_name.clone().unwrap_or_default(),
        phone: a.applicant_phone.clone().unwrap_or_default(),
        email: a.applicant_email.clone().unwrap_or_default(),
        anonymous: a.anonymous == 1,
        child: v.child.clone(),
        text: a.body.clone(),
        answer: a.answer.clone().unwrap_or_default(),
        solved: a
            .solved
            .map(|s| t.label("appeal-solved", if s == 1 { "solved" } else { "not_solved" }))
            .unwrap_or_default(),
        assignee: v.assignee.as_ref().map(|(_, n)| n.clone()).unwrap_or_default(),
        events,
        candidates: v.candidates.clone(),
        targets,
        duplicates: v.duplicates.0.iter().map(|(i, c)| (*i, show_code(c))).collect(),
        duplicates_elsewhere: v.duplicates.1,
        forward_by: v.forward_by.as_ref().map(|d| t.date(d)).unwrap_or_default(),
        forward_late: v.forward_by.is_some_and(|d| d < today),
        forwarded_late: a.forwarded_late == 1,
        open: can_write && status.is_open(),
        can_take: can_write && matches!(status, Status::Registered | Status::Forwarded),
        can_extend: can_write && status.is_open() && a.extended == 0,
        can_close: can_write && status == Status::Answered,
        registered,
        typed,
        errors,
        t,
    })
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct CardQuery {
    #[serde(default)]
    registered: String,
}

/// `GET /appeals/{id}`.
pub(super) async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<CardQuery>,
) -> Result<Response, PageError> {
    let page = card_page(&state, &user, id, Typed::default(), FormErrors::default(), !q.registered.is_empty()).await?;
    Ok(render(&page))
}

/// The card again after an action: back to it, or to the list when the appeal went to a unit
/// the actor no longer sees; a refusal of what was typed shows the card with it.
async fn after(
    state: &AppState,
    user: &PageUser,
    id: i64,
    typed: Typed,
    done: Result<app::entity::appeal::Model, app::Error>,
) -> Result<Response, PageError> {
    match done {
        Ok(a) if user.actor.scope.covers(&a.unit_path) => Ok(Redirect::to(&format!("/appeals/{id}")).into_response()),
        Ok(_) => Ok(Redirect::to("/appeals").into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&card_page(state, user, id, typed, errors, false).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

/// `POST /appeals/{id}/take`.
pub(super) async fn take(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let done = app::appeals::take(&state.core, &user.actor, id).await;
    after(&state, &user, id, Typed::default(), done).await
}

/// `POST /appeals/{id}/assign`.
pub(super) async fn assign(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Typed>,
) -> Result<Response, PageError> {
    let to = UserId(f.assignee_id.trim().parse().unwrap_or(0));
    let done = app::appeals::assign(&state.core, &user.actor, id, to).await;
    after(&state, &user, id, f, done).await
}

/// `POST /appeals/{id}/forward`.
pub(super) async fn forward(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Typed>,
) -> Result<Response, PageError> {
    let to = OrgUnitId(f.unit_id.trim().parse().unwrap_or(0));
    let done = app::appeals::forward(&state.core, &user.actor, id, to, &f.note, Utc::now()).await;
    after(&state, &user, id, f, done).await
}

/// `POST /appeals/{id}/extend`.
pub(super) async fn extend(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Typed>,
) -> Result<Response, PageError> {
    let input = ExtensionInput { until: f.until.clone(), reason: f.reason.clone() };
    let done = app::appeals::extend(&state.core, &user.actor, id, &input, Utc::now()).await;
    after(&state, &user, id, f, done).await
}

/// `POST /appeals/{id}/answer`.
pub(super) async fn answer(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<Typed>,
) -> Result<Response, PageError> {
    let done = app::appeals::answer(&state.core, &user.actor, id, &f.answer, Utc::now()).await;
    after(&state, &user, id, f, done).await
}

/// `POST /appeals/{id}/close`.
pub(super) async fn close(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let done = app::appeals::close(&state.core, &user.actor, id, Utc::now()).await;
    after(&state, &user, id, Typed::default(), done).await
}
