//! The survey's leads as a school (or its district) sees them: the open ones, one with its
//! contact (each opening logged), turned into a registry record or closed with a reason.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;

use crate::error::{FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

/// A lead as the pages show it.
pub(super) struct LeadLine {
    id: i64,
    on: String,
    ready: bool,
    grades: String,
    missing: String,
    situation: String,
    settlement: String,
    contact: String,
    phone: String,
    status: String,
}

fn line(t: &I18n, a: &app::entity::survey_answer::Model) -> LeadLine {
    let words = |codes: &str, prefix: &str| {
        codes.split(',').filter(|c| !c.is_empty()).map(|c| t.label(prefix, c)).collect::<Vec<_>>().join(", ")
    };
    LeadLine {
        id: a.id,
        on: t.date(&a.created_on),
        ready: a.ready == 1,
        grades: a.grades.replace(',', ", "),
        missing: words(&a.missing, "survey-missing"),
        situation: words(&a.situation, "category"),
        settlement: a.settlement.clone().unwrap_or_default(),
        contact: a.contact_name.clone().unwrap_or_default(),
        phone: a.phone.clone().unwrap_or_default(),
        status: t.label("lead-status", a.lead_status.as_deref().unwrap_or("open")),
    }
}

#[derive(Template)]
#[template(path = "survey/leads.html")]
struct ListPage {
    t: I18n,
    l: Layout,
    rows: Vec<LeadLine>,
    next: String,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct AfterQuery {
    #[serde(default)]
    after: Option<i64>,
}

/// `GET /survey-leads`.
pub(super) async fn list(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<AfterQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let (rows, next) = app::survey::leads(&state.core, &user.actor, q.after).await.page(&t)?;
    let page = ListPage {
        l: user.layout(t.t("leads-title")),
        rows: rows.iter().map(|a| line(&t, a)).collect(),
        next: next.map(|n| n.to_string()).unwrap_or_default(),
        t,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "survey/lead.html")]
struct LeadPage {
    t: I18n,
    l: Layout,
    a: LeadLine,
    open: bool,
    can_register: bool,
    reason: String,
    errors: FormErrors,
}

async fn lead_page(
    state: &AppState,
    user: &PageUser,
    id: i64,
    reason: String,
    errors: FormErrors,
) -> Result<LeadPage, PageError> {
    let t = user.t.clone();
    let a = app::survey::lead(&state.core, &user.actor, id).await.page(&t)?;
    let open = a.lead_status.as_deref() == Some("open");
    Ok(LeadPage {
        l: user.layout(t.t("lead-title")),
        a: line(&t, &a),
        open,
        can_register: open && user.actor.role.can_edit_children(),
        reason,
        errors,
        t,
    })
}

/// `GET /survey-leads/{id}`.
pub(super) async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    Ok(render(&lead_page(&state, &user, id, String::new(), FormErrors::default()).await?))
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct CloseForm {
    #[serde(default)]
    reason: String,
}

/// `POST /survey-leads/{id}/close`.
pub(super) async fn close(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CloseForm>,
) -> Result<Response, PageError> {
    match app::survey::close(&state.core, &user.actor, id, &f.reason).await {
        Ok(_) => Ok(Redirect::to("/survey-leads").into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&lead_page(&state, &user, id, f.reason, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}
