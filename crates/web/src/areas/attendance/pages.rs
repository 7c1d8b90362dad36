//! The attendance pages: the pupils out (by reason, most days out first), the form for a pupil
//! who did not come, the day's roll, and the e-journal's file.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use domain::OrgUnitId;
use domain::attendance::{AbsenceInput, AbsenceReason};
use serde::Deserialize;

use super::api::parse_after;
use crate::error::{FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

/// A pupil out as a line of the list.
pub(super) struct Line {
    name: String,
    grade: String,
    reason: String,
    first_day: String,
    days_out: i32,
    back: String,
    case: Option<i64>,
    status: String,
}

#[derive(Template)]
#[template(path = "attendance/list.html")]
struct ListPage {
    t: I18n,
    l: Layout,
    lines: Vec<Line>,
    /// Reason code, label, pupils, back.
    reasons: Vec<(String, String, i64, i64)>,
    total: i64,
    back: i64,
    reason: String,
    can_write: bool,
    /// The day's roll is a school's own.
    can_roll: bool,
    next: String,
    later: bool,
}

#[derive(Debug, Deserialize)]
pub(super) struct ListQuery {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    after: String,
}

/// A reason's label, or "not yet known".
fn reason_label(t: &I18n, code: &str) -> String {
    if code.is_empty() { t.t("absence-reason-unknown") } else { t.label("absence-reason", code) }
}

pub(super) async fn list(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let c = app::campaigns::chosen(&state.core, None).await.page(&t)?;
    let after = parse_after(&q.after);
    let reason = AbsenceReason::parse(q.reason.trim());
    let (rows, next) = app::attendance::list(&state.core, &user.actor, &c, reason, after).await.page(&t)?;
    let counts = app::attendance::reasons(&state.core, &user.actor, &c).await.page(&t)?;
    let lines = rows
        .into_iter()
        .map(|r| Line {
            name: format!("{} {}", r.absence.surname, r.absence.first_name),
            grade: r.absence.grade.map(|g| g.to_string()).unwrap_or_default(),
            reason: reason_label(&t, r.absence.reason.as_deref().unwrap_or("")),
            first_day: t.date(&r.absence.first_day),
            days_out: r.absence.days_out,
            back: r.absence.returned_on.map(|d| t.date(&d)).unwrap_or_default(),
            status: r.case.as_ref().map(|(_, s)| t.label("case-status", s)).unwrap_or_default(),
            case: r.case.map(|(id, _)| id),
        })
        .collect();
    let page = ListPage {
        l: user.layout(t.t("attendance-title")),
        lines,
        total: counts.total(),
        back: counts.back(),
        reasons: counts.by_reason.iter().map(|(code, n, b)| (code.clone(), reason_label(&t, code), *n, *b)).collect(),
        reason: reason.map(|r| r.as_str().to_owned()).unwrap_or_default(),
        can_write: user.actor.role.is_coordinator(),
        can_roll: user.actor.role.coordinates() == Some(domain::OrgKind::School),
        next: next.map(|(d, id)| format!("{d}.{id}")).unwrap_or_default(),
        later: after.is_some(),
        t,
    };
    Ok(render(&page))
}

/// The form for a pupil who did not come, as typed.
#[derive(Debug, Default, Deserialize)]
pub(super) struct AbsenceForm {
    #[serde(default)]
    school_id: String,
    #[serde(flatten)]
    absence: AbsenceInput,
}

#[derive(Template)]
#[template(path = "attendance/form.html")]
struct FormPage {
    t: I18n,
    l: Layout,
    f: AbsenceForm,
    schools: Vec<(i64, String)>,
    reasons: Vec<(&'static str, String)>,
    errors: FormErrors,
}

/// The schools a coordinator above a school records for (none for a school's own).
async fn schools(state: &AppState, user: &PageUser) -> Result<Vec<(i64, String)>, PageError> {
    if user.actor.role.coordinates() == Some(domain::OrgKind::School) {
        return Ok(Vec::new());
    }
    let t = &user.t;
    let all = app::orgs::schools(&state.core, &user.actor).await.page(t)?;
    Ok(all.iter().filter(|s| s.active).map(|s| (s.id, t.name(&s.name_ru, &s.name_kk).to_owned())).collect())
}

async fn form_page(
    state: &AppState,
    user: &PageUser,
    f: AbsenceForm,
    errors: FormErrors,
) -> Result<FormPage, PageError> {
    let t = user.t.clone();
    let reasons = AbsenceReason::ALL.iter().map(|r| (r.as_str(), t.label("absence-reason", r.as_str()))).collect();
    Ok(FormPage { l: user.layout(t.t("absence-new")), schools: schools(state, user).await?, f, reasons, errors, t })
}

pub(super) async fn new(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    if !user.actor.role.is_coordinator() {
        return Err(user.fail(app::Error::Forbidden));
    }
    Ok(render(&form_page(&state, &user, AbsenceForm::default(), FormErrors::default()).await?))
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<AbsenceForm>,
) -> Result<Response, PageError> {
    let c = app::campaigns::chosen(&state.core, None).await.page(&user.t)?;
    let school = f.school_id.trim().parse().map(OrgUnitId).unwrap_or(user.actor.scope.unit());
    let today = domain::calendar::today();
    match app::attendance::record(&state.core, &user.actor, &c, school, &f.absence, today).await {
        Ok(r) => Ok(Redirect::to(&format!("/attendance/cases/{}?saved=1", r.case_id)).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&form_page(&state, &user, f, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

#[derive(Template)]
#[template(path = "attendance/roll.html")]
struct RollPage {
    t: I18n,
    l: Layout,
    day: String,
    /// Absence id, name, days out so far.
    pupils: Vec<(i64, String, i32)>,
    errors: FormErrors,
    saved: bool,
    script: &'static str,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct RollQuery {
    #[serde(default)]
    saved: String,
}

/// The pupils still out in the actor's scope (the first pages: a school has few).
async fn still_out(state: &AppState, user: &PageUser) -> Result<Vec<(i64, String, i32)>, PageError> {
    let c = app::campaigns::chosen(&state.core, None).await.page(&user.t)?;
    let (rows, _) = app::attendance::list(&state.core, &user.actor, &c, None, None).await.page(&user.t)?;
    Ok(rows
        .into_iter()
        .filter(|r| r.absence.returned_on.is_none())
        .map(|r| (r.absence.id, format!("{} {}", r.absence.surname, r.absence.first_name), r.absence.days_out))
        .collect())
}

pub(super) async fn roll_page(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<RollQuery>,
) -> Result<Response, PageError> {
    if user.actor.role.coordinates() != Some(domain::OrgKind::School) {
        return Err(user.fail(app::Error::Forbidden));
    }
    let t = user.t.clone();
    let page = RollPage {
        l: user.layout(t.t("attendance-roll")),
        day: t.date(&domain::calendar::today()),
        pupils: still_out(&state, &user).await?,
        errors: FormErrors::default(),
        saved: !q.saved.is_empty(),
        script: crate::assets::STEPS_JS.path.as_str(),
        t,
    };
    Ok(render(&page))
}

/// The roll as sent: the day, and for each pupil `out` or `back` (`mark_<id>`).
#[derive(Debug, Default, Deserialize)]
pub(super) struct RollForm {
    #[serde(default)]
    day: String,
    #[serde(flatten)]
    marks: std::collections::HashMap<String, String>,
}

pub(super) async fn roll(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<RollForm>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let c = app::campaigns::chosen(&state.core, None).await.page(&t)?;
    let marked = |what: &str| -> Vec<i64> {
        f.marks
            .iter()
            .filter(|(_, v)| v.as_str() == what)
            .filter_map(|(k, _)| k.strip_prefix("mark_").and_then(|id| id.parse().ok()))
            .collect()
    };
    let today = domain::calendar::today();
    let outcome = match domain::child::parse_date(&f.day) {
        None => Err(app::Error::Invalid(domain::Invalid::one("day", domain::ErrorCode::InvalidDate))),
        Some(day) => {
            let school = user.actor.scope.unit();
            let (out, back) = (marked("out"), marked("back"));
            let r = app::attendance::Roll { day, out: &out, back: &back };
            app::attendance::roll(&state.core, &user.actor, &c, school, r, today).await
        }
    };
    match outcome {
        Ok(_) => Ok(Redirect::to("/attendance/roll?saved=1").into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let page = RollPage {
                l: user.layout(t.t("attendance-roll")),
                day: f.day.clone(),
                pupils: still_out(&state, &user).await?,
                errors: FormErrors::new(&t, &invalid.0),
                saved: false,
                script: crate::assets::STEPS_JS.path.as_str(),
                t,
            };
            Ok(render_invalid(&page))
        }
        Err(other) => Err(user.fail(other)),
    }
}

#[derive(Template)]
#[template(path = "attendance/journal.html")]
struct JournalPage {
    t: I18n,
    l: Layout,
    schools: Vec<(i64, String)>,
    columns: Vec<String>,
    errors: FormErrors,
    done: Option<app::attendance::JournalSummary>,
}

async fn journal_form(
    state: &AppState,
    user: &PageUser,
    errors: FormErrors,
    done: Option<app::attendance::JournalSummary>,
) -> Result<JournalPage, PageError> {
    let t = user.t.clone();
    let columns = app::attendance::JOURNAL_COLUMNS.iter().map(|c| t.field(c)).collect();
    Ok(JournalPage {
        l: user.layout(t.t("attendance-journal")),
        schools: schools(state, user).await?,
        columns,
        errors,
        done,
        t,
    })
}

pub(super) async fn journal_page(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    if !user.actor.role.is_coordinator() {
        return Err(user.fail(app::Error::Forbidden));
    }
    Ok(render(&journal_form(&state, &user, FormErrors::default(), None).await?))
}

pub(super) async fn journal(
    State(state): State<AppState>,
    user: PageUser,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let outcome = match crate::sheets::receive(multipart, state.config.import_limit, &state.config.upload_dir).await {
        Ok((school, _, path)) => {
            let c = app::campaigns::chosen(&state.core, None).await.page(&user.t)?;
            let school = school.map(OrgUnitId).unwrap_or(user.actor.scope.unit());
            let today = domain::calendar::today();
            app::attendance::import(&state.core, &user.actor, &c, school, path.to_path_buf(), today)
                .await
                .map_err(Into::into)
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(s) => Ok(render(&journal_form(&state, &user, FormErrors::default(), Some(s)).await?)),
        Err(crate::error::AppError::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&journal_form(&state, &user, errors, None).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}
