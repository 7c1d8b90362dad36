//! The sponsor's pages: the portal of anonymised needs with holds and deliveries, the help report
//! and the thank-you letter.

use app::sponsors::{AnonymousNeed, NeedFilter};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use domain::{HoldId, NeedId};
use serde::Deserialize;

use crate::error::{Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render};
use crate::{AppState, I18n};

#[derive(Debug, Default, Deserialize)]
pub(super) struct PortalQuery {
    #[serde(default)]
    grade: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    max_cost: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    done: Option<String>,
}

/// A need line of the portal.
pub struct NeedLine {
    pub need_id: i64,
    pub who: String,
    pub school: String,
    pub item: String,
    pub cost: String,
}

/// A hold line of the portal.
pub struct HoldLine {
    pub id: i64,
    pub item: String,
    pub cost: String,
    pub status: String,
    pub until: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "sponsors/portal.html")]
pub(super) struct Portal {
    t: I18n,
    l: Layout,
    name: String,
    needs: Vec<NeedLine>,
    holds: Vec<HoldLine>,
    helped: usize,
    items: usize,
    sum: String,
    grade: String,
    sex: String,
    item: String,
    max_cost: String,
    unit: String,
    units: Vec<(i64, String)>,
    items_options: Vec<(&'static str, String)>,
    message: String,
}

pub(super) fn need_line(t: &I18n, n: &AnonymousNeed) -> NeedLine {
    NeedLine {
        need_id: n.need_id,
        who: format!("{}: {}, {}", n.code, t.label("sponsor-child", &n.sex), t.t1("sponsor-grade", "grade", n.grade)),
        school: format!("{}, {}", t.name(&n.school_ru, &n.school_kk), n.settlement),
        item: format!(
            "{}{}",
            t.label("need", &n.item),
            n.size.as_deref().map(|s| format!(" ({s})")).unwrap_or_default()
        ),
        cost: t.tiyn(&n.cost),
    }
}

pub(super) async fn portal(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<PortalQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let sponsor = app::sponsors::sponsor_of(&state.core, &user.actor).await.page(&t)?;
    let c = app::campaigns::chosen(&state.core, None).await.page(&t)?;
    let filter = NeedFilter {
        grade: q.grade.trim().parse().ok(),
        sex: Some(q.sex.clone()),
        item: Some(q.item.clone()),
        max_cost: domain::child::parse_tenge(&q.max_cost).map(|t| t.0),
        unit: q.unit.trim().parse().ok(),
    };
    // Districts and schools of the sponsor's region, to narrow the needs down.
    let units = app::sponsors::places(&state.core, &user.actor)
        .await
        .page(&t)?
        .into_iter()
        .map(|u| {
            let name = t.name(&u.name_ru, &u.name_kk);
            let label = if u.kind == "school" { format!("— {name}") } else { name.to_owned() };
            (u.id, label)
        })
        .collect();
    let needs = app::sponsors::open_needs(&state.core, &user.actor, &c, &filter, 200).await.page(&t)?;
    let holds = app::sponsors::mine(&state.core, &user.actor).await.page(&t)?;
    let (helped, items, sum) = app::sponsors::impact(&state.core, &user.actor).await.page(&t)?;
    let now = Utc::now();
    let page = Portal {
        l: user.layout(t.t("sponsor-portal-title")),
        name: sponsor.name,
        needs: needs.iter().map(|n| need_line(&t, n)).collect(),
        holds: holds
            .iter()
            .map(|(r, n)| {
                let active = r.status == "active" && r.expires_at > now;
                let status = if r.status == "active" && !active { "expired" } else { r.status.as_str() };
                HoldLine {
                    id: r.id,
                    item: t.label("need", &n.item),
                    cost: t.tiyn(&n.cost),
                    status: t.label("hold", status),
                    until: t.date_time(&r.expires_at),
                    active,
                }
            })
            .collect(),
        helped,
        items,
        sum: t.tiyn(&sum),
        grade: q.grade,
        sex: q.sex,
        item: q.item,
        max_cost: q.max_cost,
        unit: q.unit,
        units,
        items_options: domain::child::NeedItem::ALL.iter().map(|i| (i.as_str(), t.label("need", i.as_str()))).collect(),
        message: q.done.map(|d| t.label("sponsor-done", &d)).unwrap_or_default(),
        t,
    };
    Ok(render(&page))
}

pub(super) async fn reserve(
    State(state): State<AppState>,
    user: PageUser,
    Path(need): Path<i64>,
) -> Result<Response, PageError> {
    app::sponsors::reserve(&state.core, &user.actor, NeedId(need)).await.page(&user.t)?;
    Ok(Redirect::to("/sponsor?done=reserved").into_response())
}

pub(super) async fn deliver(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    app::sponsors::deliver(&state.core, &user.actor, HoldId(id), Utc::now().date_naive()).await.page(&user.t)?;
    Ok(Redirect::to("/sponsor?done=delivered").into_response())
}

/// A line of the help report as shown.
pub struct ReportLine {
    pub date: String,
    pub code: String,
    pub grade: i16,
    pub school: String,
    pub items: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "sponsors/report.html")]
pub(super) struct Report {
    t: I18n,
    l: Layout,
    lines: Vec<ReportLine>,
    children: usize,
    total: String,
}

pub(super) fn report_lines(t: &I18n, lines: &[app::sponsors::HelpLine]) -> Vec<ReportLine> {
    lines
        .iter()
        .map(|l| ReportLine {
            date: t.date(&l.date),
            code: l.code.clone(),
            grade: l.grade,
            school: t.name(&l.school_ru, &l.school_kk).to_owned(),
            items: app::export::items_text(t, &l.items),
            amount: t.tiyn(&l.amount),
        })
        .collect()
}

/// What the sponsor's help did, line by line (anonymised: codes, grades, schools).
pub(super) async fn report(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let t = user.t.clone();
    let (_, lines) = app::sponsors::help_report(&state.core, &user.actor).await.page(&t)?;
    let (children, total) = app::sponsors::summary(&lines);
    let page = Report {
        l: user.layout(t.t("sponsor-report-title")),
        lines: report_lines(&t, &lines),
        children,
        total: t.tiyn(&total),
        t,
    };
    Ok(render(&page))
}

pub(super) async fn report_xlsx(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let t = user.t.clone();
    let (_, lines) = app::sponsors::help_report(&state.core, &user.actor).await.page(&t)?;
    let bytes = app::export::sponsor_report_xlsx(&t, &lines).page(&t)?;
    Ok(crate::render::xlsx_download("help.xlsx", bytes))
}

/// The thank-you letter: the campaign thanks the sponsor for the children, items and sums it
/// gave, by school; no child is named.
pub(super) async fn letter(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let bytes = app::export::letter_pdf(&state.core, &user.actor, &user.t).await.page(&user.t)?;
    Ok(crate::render::pdf_download("letter.pdf", bytes))
}
