//! Reports: the consolidated report of the user's unit with a row per sub-unit (each a link one
//! level down), the school's campaign report with what the school writes by hand, and both as
//! Word, PDF and Excel from the same model as the page.

use app::entity::org_unit;
use app::reports::document::{self as report_doc, Cell, Format, Part, Report};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::{Actor, Invalid};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

/// The report's query string, kept as typed so that a bad value comes back in the form.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct ReportQuery {
    /// Org unit id (the user's own by default).
    #[serde(default)]
    pub unit: String,
    /// Campaign year (the current campaign by default).
    #[serde(default)]
    pub year: String,
    /// First day, `2022-08-01` or `01.08.2022`.
    #[serde(default)]
    pub from: String,
    /// Last day.
    #[serde(default)]
    pub to: String,
    /// A school's справка: its outgoing number (left blank for the pen when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub number: String,
    /// A school's справка: its date.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub dated: String,
}

impl ReportQuery {
    /// Checks every field at once: the unit and year are numbers, the year has a campaign, the
    /// dates are dates, the period does not end before it starts.
    pub async fn check(&self, state: &AppState) -> Result<app::reports::Asked, AppError> {
        let q = app::reports::Query {
            unit: &self.unit,
            year: &self.year,
            from: &self.from,
            to: &self.to,
            number: &self.number,
            dated: &self.dated,
        };
        Ok(app::reports::ask(&state.core, &q).await?)
    }

    /// The query string with another unit (for drill-down links).
    pub fn with_unit(&self, unit: i64) -> String {
        let q = ReportQuery { unit: unit.to_string(), number: String::new(), dated: String::new(), ..self.clone() };
        serde_urlencoded::to_string(&q).unwrap_or_default()
    }

    /// The query string as is.
    pub fn encoded(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }
}

/// A cell as the page shows it.
pub struct HtmlCell {
    pub text: String,
    pub href: Option<String>,
    pub numeric: bool,
}

/// A part as the page shows it.
pub struct HtmlPart {
    pub kind: &'static str,
    pub text: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<HtmlCell>>,
    pub total: Vec<HtmlCell>,
}

/// The report model as the page shows it: the same cells as the files.
pub fn html_parts(t: &I18n, report: &Report) -> Vec<HtmlPart> {
    let cells = |row: &[Cell]| -> Vec<HtmlCell> {
        row.iter()
            .map(|c| HtmlCell {
                text: c.show(t),
                href: match c {
                    Cell::Link(_, href) => Some(href.clone()),
                    _ => None,
                },
                numeric: c.numeric(),
            })
            .collect()
    };
    let blank = |kind, text: String| HtmlPart { kind, text, columns: vec![], rows: vec![], total: vec![] };
    report
        .parts
        .iter()
        .map(|p| match p {
            Part::Heading(text) => blank("heading", text.clone()),
            Part::Para(text) => blank("para", text.clone()),
            Part::Table { columns, rows, total } => HtmlPart {
                kind: "table",
                text: String::new(),
                columns: columns.clone(),
                rows: rows.iter().map(|r| cells(r)).collect(),
                total: total.as_deref().map(cells).unwrap_or_default(),
            },
            Part::Signature { role, name, after } => {
                let mut lines = vec![format!("{role}  ____________  {name}")];
                lines.extend(after.iter().cloned());
                HtmlPart { kind: "lines", text: String::new(), columns: lines, rows: vec![], total: vec![] }
            }
            Part::Letterhead { sender, addressee } => HtmlPart {
                kind: "letterhead",
                text: String::new(),
                columns: sender.clone(),
                rows: vec![],
                total: addressee.iter().map(|a| HtmlCell { text: a.clone(), href: None, numeric: false }).collect(),
            },
            Part::SheetTable { .. } => blank("skip", String::new()),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "reports/report.html")]
pub(super) struct ReportPage {
    t: I18n,
    l: Layout,
    q: ReportQuery,
    errors: Vec<String>,
    trail: Vec<(String, String)>,
    subtitle: String,
    parts: Vec<HtmlPart>,
    years: Vec<i32>,
    notes: Option<NotesForm>,
}

/// The school's hand-written part, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct NotesForm {
    #[serde(default)]
    pub measures: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub unit: String,
}

pub(super) async fn years(state: &AppState) -> Vec<i32> {
    app::campaigns::years(&state.core).await.unwrap_or_default()
}

/// The path from the user's own unit down to `unit` (for the breadcrumb), as links.
pub(super) async fn trail(
    state: &AppState,
    user: &PageUser,
    unit: &org_unit::Model,
    q: &ReportQuery,
) -> Vec<(String, String)> {
    let t = &user.t;
    let mut out: Vec<(String, String)> = app::orgs::ancestors(&state.core, &user.actor, unit)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|a| user.actor.scope.covers(&a.path))
        .map(|a| (t.name(&a.name_ru, &a.name_kk).to_owned(), format!("/reports?{}", q.with_unit(a.id))))
        .collect();
    out.push((t.name(&unit.name_ru, &unit.name_kk).to_owned(), String::new()));
    out
}

/// A report, its unit, and for a school what it wrote by hand.
pub(crate) type Built = (Report, org_unit::Model, Option<NotesForm>);

/// Which report a unit gets: a school's own, or the consolidated one.
pub(crate) async fn build(state: &AppState, actor: &Actor, t: &I18n, q: &ReportQuery) -> Result<Built, AppError> {
    let asked = q.check(state).await?;
    let (built, unit) = app::reports::build(&state.core, actor, &asked).await?;
    match built {
        app::reports::Built::School(r) => {
            let notes = NotesForm {
                measures: r.notes.measures.clone(),
                year: asked.campaign.year.to_string(),
                unit: unit.id.to_string(),
            };
            Ok((report_doc::school(t, &r, &asked.outgoing), unit, Some(notes)))
        }
        app::reports::Built::Consolidated(r) => {
            let link = |u: &org_unit::Model| Some(format!("/reports?{}", q.with_unit(u.id)));
            Ok((report_doc::consolidated(t, &r, link), unit, None))
        }
    }
}

/// The page of a built report, with any errors of the hand-written part and the part itself.
pub(super) async fn shown(
    state: &AppState,
    user: &PageUser,
    q: ReportQuery,
    (report, unit): (Report, org_unit::Model),
    errors: Vec<String>,
    notes: Option<NotesForm>,
) -> ReportPage {
    let t = user.t.clone();
    ReportPage {
        l: user.layout(report.title.clone()),
        trail: trail(state, user, &unit, &q).await,
        subtitle: report.subtitle.clone(),
        parts: html_parts(&t, &report),
        q,
        errors,
        years: years(state).await,
        notes: notes.filter(|_| user.actor.role.is_coordinator()),
        t,
    }
}

pub(super) async fn page(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    match build(&state, &user.actor, &t, &q).await {
        Ok((report, unit, notes)) => Ok(render(&shown(&state, &user, q, (report, unit), vec![], notes).await)),
        Err(AppError::Invalid(Invalid(errors))) => {
            let page = ReportPage {
                l: user.layout(t.t("report-title")),
                errors: errors.iter().map(|e| t.field_error(e)).collect(),
                trail: vec![],
                subtitle: String::new(),
                parts: vec![],
                q,
                years: years(&state).await,
                notes: None,
                t,
            };
            Ok(render_invalid(&page))
        }
        Err(e) => Err(user.fail(e)),
    }
}

/// `/reports/file.{docx,pdf,xlsx}`: the same report as a file.
pub(super) async fn file(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Path(format): axum::extract::Path<String>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let (report, unit, _) = build(&state, &user.actor, &t, &q).await.page(&t)?;
    download(&t, &report, &unit, &format).await.page(&t)
}

/// The report written in `format` as an attachment named after the unit and the language.
pub async fn download(t: &I18n, report: &Report, unit: &org_unit::Model, format: &str) -> Result<Response, AppError> {
    let format = Format::parse(format).ok_or(AppError::NotFound)?;
    let bytes = report_doc::write(t, report, format).await?;
    let name = format!("report-{}-{}.{}", unit.id, t.locale.code(), format.extension());
    Ok(crate::render::attachment(&name, format.content_type(), bytes))
}

pub(super) async fn save_notes(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<NotesForm>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let q = ReportQuery { unit: f.unit.clone(), year: f.year.clone(), ..Default::default() };
    let asked = q.check(&state).await.page(&t)?;
    let unit = asked.unit.unwrap_or(user.actor.scope.unit());
    let saved = app::reports::save_notes(&state.core, &user.actor, &asked.campaign, unit, &f.measures).await;
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("/reports?{}#notes", q.encoded())).into_response()),
        Err(app::Error::Invalid(Invalid(errors))) => {
            let (report, unit, _) = build(&state, &user.actor, &t, &q).await.page(&t)?;
            let errors = errors.iter().map(|e| t.field_error(e)).collect();
            Ok(render_invalid(&shown(&state, &user, q, (report, unit), errors, Some(f)).await))
        }
        Err(e) => Err(user.fail(e)),
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(page))
        .route("/reports/file/{format}", get(file))
        .route("/reports/notes", post(save_notes))
}
