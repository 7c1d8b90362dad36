//! A case's page (the pupil, its steps with the overdue ones flagged, the forms for a step, for
//! closing and for the district's signature) and the task list.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use domain::OrgKind;
use domain::attendance::{CaseClosing, ClosingInput, StepInput, StepKind};
use serde::Deserialize;

use super::api::parse_task_after;
use crate::error::{FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

/// A step as a row of the case's table.
pub(super) struct StepRow {
    id: i64,
    kind: String,
    kind_code: String,
    owner: String,
    due: String,
    done: String,
    outcome: String,
    state: String,
    overdue: bool,
    open: bool,
    version: i32,
}

#[derive(Template)]
#[template(path = "attendance/case.html")]
struct CasePage {
    t: I18n,
    l: Layout,
    id: i64,
    pupil: String,
    iin: String,
    school_reason: String,
    first_day: String,
    days_out: i32,
    back: String,
    status: String,
    status_code: String,
    opened: String,
    closing: String,
    steps: Vec<StepRow>,
    conflicts: Vec<super::conflicts::ConflictRow>,
    kinds: Vec<(&'static str, String)>,
    closings: Vec<(&'static str, String)>,
    step: StepInput,
    close: ClosingInput,
    can_write: bool,
    can_sign: bool,
    errors: FormErrors,
    saved: bool,
    script: &'static str,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct ShowQuery {
    #[serde(default)]
    saved: String,
}

async fn page(
    state: &AppState,
    user: &PageUser,
    id: i64,
    step: StepInput,
    close: ClosingInput,
    errors: FormErrors,
    saved: bool,
) -> Result<CasePage, PageError> {
    let t = user.t.clone();
    let today = domain::calendar::today();
    let v = app::attendance::case(&state.core, &user.actor, id, today).await.page(&t)?;
    let k = &v.case;
    let a = &v.absence;
    let opened = match (&k.warning, k.warning_value) {
        (Some(w), Some(n)) if w == "streak" => t.t1("case-opened-streak", "days", n.to_string()),
        (Some(_), Some(n)) => t.t1("case-opened-share", "share", format!("{}", n / 10)),
        _ => t.t("case-opened-by-school"),
    };
    let closing = match (&k.closing, k.closed_on) {
        (Some(c), Some(d)) => {
            let mut s = format!("{} — {}", t.label("case-closing", c), t.date(&d));
            if let Some(r) = &k.receiving_school {
                s.push_str(&format!(" ({r})"));
            }
            if let Some(n) = &k.closing_note {
                s.push_str(&format!(". {n}"));
            }
            s
        }
        _ => String::new(),
    };
    let steps = v
        .steps
        .iter()
        .map(|s| StepRow {
            id: s.step.id,
            kind: t.label("case-step", &s.step.kind),
            kind_code: s.step.kind.clone(),
            owner: s.owner.clone().unwrap_or_default(),
            due: t.date(&s.step.due_on),
            done: s.step.done_on.map(|d| t.date(&d)).unwrap_or_default(),
            outcome: s.step.outcome.clone().unwrap_or_default(),
            state: t.label("step-state", &s.step.state),
            overdue: s.overdue,
            open: s.step.state == "todo" && k.status == "open",
            version: s.step.version,
        })
        .collect();
    let conflicts = if k.status == "open" && user.actor.role.is_coordinator() {
        super::conflicts::rows(state, user, id).await?
    } else {
        Vec::new()
    };
    let sign_level = user.actor.role.coordinates().is_some_and(|l| l <= OrgKind::District);
    Ok(CasePage {
        l: user.layout(t.t("case-title")),
        id,
        pupil: format!("{} {}", a.surname, a.first_name),
        iin: a.iin.clone(),
        school_reason: a
            .reason
            .as_deref()
            .map_or_else(|| t.t("absence-reason-unknown"), |r| t.label("absence-reason", r)),
        first_day: t.date(&a.first_day),
        days_out: a.days_out,
        back: a.returned_on.map(|d| t.date(&d)).unwrap_or_default(),
        status: t.label("case-status", &k.status),
        status_code: k.status.clone(),
        opened,
        closing,
        steps,
        conflicts,
        kinds: StepKind::ALL.iter().map(|k| (k.as_str(), t.label("case-step", k.as_str()))).collect(),
        closings: CaseClosing::ALL.iter().map(|c| (c.as_str(), t.label("case-closing", c.as_str()))).collect(),
        step,
        close,
        can_write: user.actor.role.is_coordinator() && k.status == "open",
        can_sign: sign_level && k.status == "signing" && k.closed_by != Some(user.actor.user_id.0),
        errors,
        saved,
        script: crate::assets::STEPS_JS.path.as_str(),
        t,
    })
}

pub(super) async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let p = page(
        &state,
        &user,
        id,
        StepInput::default(),
        ClosingInput::default(),
        FormErrors::default(),
        !q.saved.is_empty(),
    )
    .await?;
    Ok(render(&p))
}

/// What a form's failure shows: the case page with the typed values kept and the errors.
async fn refused(
    state: &AppState,
    user: &PageUser,
    id: i64,
    step: StepInput,
    close: ClosingInput,
    e: app::Error,
) -> Result<Response, PageError> {
    match e {
        app::Error::Invalid(invalid) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&page(state, user, id, step, close, errors, false).await?))
        }
        other => Err(user.fail(other)),
    }
}

pub(super) async fn add_step(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<StepInput>,
) -> Result<Response, PageError> {
    let today = domain::calendar::today();
    match app::attendance::add_step(&state.core, &user.actor, id, &f, today).await {
        Ok(_) => Ok(Redirect::to(&format!("/attendance/cases/{id}?saved=1#steps")).into_response()),
        Err(e) => refused(&state, &user, id, f, ClosingInput::default(), e).await,
    }
}

/// A step marked done from the case's table.
#[derive(Debug, Default, Deserialize)]
pub(super) struct DoneForm {
    #[serde(default)]
    case_id: i64,
    #[serde(default)]
    version: i32,
    #[serde(flatten)]
    step: StepInput,
}

pub(super) async fn update_step(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<DoneForm>,
) -> Result<Response, PageError> {
    let today = domain::calendar::today();
    match app::attendance::update_step(&state.core, &user.actor, id, f.version, &f.step, today, false).await {
        Ok(_) => Ok(Redirect::to(&format!("/attendance/cases/{}?saved=1#steps", f.case_id)).into_response()),
        Err(e) => refused(&state, &user, f.case_id, f.step, ClosingInput::default(), e).await,
    }
}

pub(super) async fn close(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ClosingInput>,
) -> Result<Response, PageError> {
    let today = domain::calendar::today();
    match app::attendance::close(&state.core, &user.actor, id, &f, today).await {
        Ok(_) => Ok(Redirect::to(&format!("/attendance/cases/{id}?saved=1")).into_response()),
        Err(e) => refused(&state, &user, id, StepInput::default(), f, e).await,
    }
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct SignForm {
    #[serde(default)]
    agree: String,
}

pub(super) async fn sign(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<SignForm>,
) -> Result<Response, PageError> {
    match app::attendance::sign(&state.core, &user.actor, id, f.agree == "yes").await {
        Ok(_) => Ok(Redirect::to(&format!("/attendance/cases/{id}?saved=1")).into_response()),
        Err(e) => refused(&state, &user, id, StepInput::default(), ClosingInput::default(), e).await,
    }
}

#[derive(Template)]
#[template(path = "attendance/tasks.html")]
struct TasksPage {
    t: I18n,
    l: Layout,
    /// Case id, pupil, step kind, due, overdue.
    rows: Vec<(i64, String, String, String, bool)>,
    mine: bool,
    next: String,
    later: bool,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct TasksQuery {
    #[serde(default)]
    mine: String,
    #[serde(default)]
    after: String,
}

pub(super) async fn tasks(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<TasksQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let c = app::campaigns::chosen(&state.core, None).await.page(&t)?;
    let today = domain::calendar::today();
    let after = parse_task_after(&q.after);
    let mine = !q.mine.is_empty();
    let list = app::attendance::tasks(&state.core, &user.actor, &c, mine, after, today).await.page(&t)?;
    let next = (list.len() as u64 == app::attendance::TASKS_PAGE)
        .then(|| list.last().map(|x| format!("{}.{}", x.step.due_on.format("%Y-%m-%d"), x.step.id)))
        .flatten()
        .unwrap_or_default();
    let rows = list
        .into_iter()
        .map(|x| (x.step.case_id, x.pupil, t.label("case-step", &x.step.kind), t.date(&x.step.due_on), x.overdue))
        .collect();
    let page = TasksPage { l: user.layout(t.t("tasks-title")), rows, mine, next, later: after.is_some(), t };
    Ok(render(&page))
}
