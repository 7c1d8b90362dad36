//! The staff's pages of appeals: the lists (to answer, due soon, overdue, mine, all), registering
//! one received by phone, at a reception or by letter (with its receipt), and the list's form.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use domain::appeal::{AppealInput, Channel, Topic, show_code};

use super::api::{cursor, parse_after};
use crate::error::{FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

/// An appeal as a line of the list.
pub(super) struct Line {
    id: i64,
    code: String,
    topic: String,
    channel: String,
    status: String,
    received: String,
    due: String,
    overdue: bool,
    escalated: bool,
    duplicate: bool,
    forwarded_late: bool,
}

#[derive(Template)]
#[template(path = "appeals/list.html")]
struct ListPage {
    t: I18n,
    l: Layout,
    lines: Vec<Line>,
    view: String,
    views: Vec<(&'static str, String)>,
    can_register: bool,
    next: String,
    later: bool,
}

#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct ListQuery {
    #[serde(default)]
    view: String,
    #[serde(default)]
    after: String,
}

/// `GET /appeals`.
pub(super) async fn list(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let today = app::appeals::today();
    let view = app::appeals::view(&state.core, q.view.trim(), today).await.page(&t)?;
    let after = parse_after(&q.after);
    let page = app::appeals::list(&state.core, &user.actor, view, after, today).await.page(&t)?;
    let next = page.next;
    let lines = page
        .rows
        .iter()
        .map(|a| Line {
            id: a.id,
            code: show_code(&a.code),
            topic: t.label("appeal-topic", &a.topic),
            channel: t.label("appeal-channel", &a.channel),
            status: t.label("appeal-status", &a.status),
            received: t.date(&a.received_on),
            due: t.date(&a.due_on),
            overdue: a.answered_at.is_none() && a.due_on < today,
            escalated: a.answered_at.is_none() && a.escalation > 0,
            duplicate: page.likely_duplicates.contains(&a.id),
            forwarded_late: a.forwarded_late == 1,
        })
        .collect();
    let view_code = if q.view.trim().is_empty() { "open".to_owned() } else { q.view.trim().to_owned() };
    let page = ListPage {
        l: user.layout(t.t("appeals-title")),
        lines,
        views: ["open", "due", "overdue", "mine", "all"].iter().map(|v| (*v, t.label("appeal-view", v))).collect(),
        view: view_code,
        can_register: user.actor.role.is_coordinator(),
        next: next.map(cursor).unwrap_or_default(),
        later: after.is_some(),
        t,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "appeals/form.html")]
struct FormPage {
    t: I18n,
    l: Layout,
    input: AppealInput,
    channels: Vec<(&'static str, String)>,
    topics: Vec<(&'static str, String)>,
    schools: Vec<(i64, String)>,
    districts: Vec<(i64, String)>,
    errors: FormErrors,
}

async fn form_page(
    state: &AppState,
    user: &PageUser,
    input: AppealInput,
    errors: FormErrors,
) -> Result<FormPage, PageError> {
    let t = user.t.clone();
    // A school or district picks the school; a region or the republic the district (a country's
    // ten thousand schools are no list to pick from).
    let wide = matches!(user.actor.role, domain::Role::RegionCoordinator | domain::Role::RepublicCoordinator);
    let (schools, districts) = if wide {
        let filter = app::orgs::ListFilter { kind: Some(domain::OrgKind::District), ..Default::default() };
        (Vec::new(), app::orgs::list(&state.core, &user.actor, &filter, 1000).await.page(&t)?)
    } else {
        (app::orgs::schools(&state.core, &user.actor).await.page(&t)?, Vec::new())
    };
    let names = |rows: &[app::entity::org_unit::Model]| -> Vec<(i64, String)> {
        rows.iter().map(|s| (s.id, t.name(&s.name_ru, &s.name_kk).to_owned())).collect()
    };
    Ok(FormPage {
        l: user.layout(t.t("appeal-new")),
        input,
        channels: Channel::STAFF.iter().map(|c| (c.as_str(), t.label("appeal-channel", c.as_str()))).collect(),
        topics: Topic::ALL.iter().map(|x| (x.as_str(), t.label("appeal-topic", x.as_str()))).collect(),
        schools: names(&schools),
        districts: names(&districts),
        errors,
        t,
    })
}

/// `GET /appeals/new`.
pub(super) async fn new(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    Ok(render(&form_page(&state, &user, AppealInput::default(), FormErrors::default()).await?))
}

/// The staff form as sent (the checkbox is a string).
#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct StaffForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    anonymous: String,
    #[serde(default)]
    applicant_name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    iin: String,
    #[serde(default)]
    text: String,
}

/// `POST /appeals/new`: registers it and opens its card with the receipt.
pub(super) async fn create(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<StaffForm>,
) -> Result<Response, PageError> {
    let input = AppealInput {
        channel: f.channel,
        topic: f.topic,
        anonymous: !f.anonymous.trim().is_empty(),
        applicant_name: f.applicant_name,
        phone: f.phone,
        email: f.email,
        school: f.school,
        iin: f.iin,
        text: f.text,
        district: f.district,
    };
    match app::appeals::register(&state.core, &user.actor, &input).await {
        Ok(a) if user.actor.scope.covers(&a.unit_path) => {
            Ok(Redirect::to(&format!("/appeals/{}?registered=1", a.id)).into_response())
        }
        // Routed above the actor (a complaint about a sponsor goes to the region): its receipt.
        Ok(a) => super::receipt::page(&state, &user.t, user.layout(user.t.t("appeal-receipt-title")), &a).await,
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&form_page(&state, &user, input, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}
