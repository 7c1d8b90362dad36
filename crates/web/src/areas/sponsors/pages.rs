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
    district: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    done: Option<String>,
}

/// Needs on one page of the portal.
pub const NEEDS_PER_PAGE: u64 = 20;

/// A need line of the portal.
pub struct NeedLine {
    pub need_id: i64,
    pub who: String,
    pub school: String,
    pub item: String,
    pub cost: String,
}

/// A hold line of the portal: what to bring, for whom (by code), where and whom to call.
pub struct HoldLine {
    pub id: i64,
    pub who: String,
    pub item: String,
    pub cost: String,
    pub status: String,
    pub until: String,
    pub active: bool,
    /// Held or announced: where to bring it matters.
    pub open: bool,
    pub school: String,
    pub address: String,
    pub contact: String,
    pub phone: String,
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
    district: String,
    school: String,
    districts: Vec<(i64, String)>,
    schools: Vec<(i64, String)>,
    items_options: Vec<(&'static str, String)>,
    message: String,
    /// The query of the next page (empty on the last).
    next: String,
    /// Not the first page: a link back to it.
    later: bool,
    /// The filters as a query, without the page.
    filters: String,
    /// What was wrong with the filters.
    errors: Vec<String>,
}

/// «D-000123: девочка, 3 класс».
fn who(t: &I18n, code: &str, sex: &str, grade: i16) -> String {
    format!("{}: {}, {}", code, t.label("sponsor-child", sex), t.t1("sponsor-grade", "grade", grade))
}

/// «Рюкзак (134), 2 шт.» — the item, its size, and how many when more than one.
fn item_text(t: &I18n, item: &str, size: Option<&str>, quantity: i32) -> String {
    let size = size.filter(|s| !s.is_empty()).map(|s| format!(" ({s})")).unwrap_or_default();
    let count = if quantity > 1 { format!(", {}", t.t1("sponsor-pieces", "count", quantity)) } else { String::new() };
    format!("{}{size}{count}", t.label("need", item))
}

fn hold_line(t: &I18n, h: &app::sponsors::HeldNeed, now: chrono::DateTime<Utc>) -> HoldLine {
    let r = &h.hold;
    let active = r.status == "active" && r.expires_at > now;
    let status = if r.status == "active" && !active { "expired" } else { r.status.as_str() };
    let d = &h.details;
    let settlement = h.school.settlement.as_deref().map(|s| format!(", {s}")).unwrap_or_default();
    HoldLine {
        id: r.id,
        who: who(t, &h.code, &h.sex, h.grade),
        item: item_text(t, &h.need.item, h.need.size.as_deref(), h.need.quantity),
        cost: t.tiyn(&h.need.cost),
        status: t.label("hold", status),
        until: if active { t.date_time(&r.expires_at) } else { String::new() },
        active,
        open: active || r.status == "awaiting",
        school: format!("{}{settlement}", t.name(&h.school.name_ru, &h.school.name_kk)),
        address: d.address.clone().unwrap_or_default(),
        contact: d.coordinator.clone().unwrap_or_default(),
        phone: d.phone.clone().unwrap_or_default(),
    }
}

pub(super) fn need_line(t: &I18n, n: &AnonymousNeed) -> NeedLine {
    NeedLine {
        need_id: n.need_id,
        who: who(t, &n.code, &n.sex, n.grade),
        school: format!("{}, {}", t.name(&n.school_ru, &n.school_kk), n.settlement),
        item: item_text(t, &n.item, n.size.as_deref(), n.quantity),
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
    let id = |v: &str| v.trim().parse::<i64>().ok();
    let filter = NeedFilter {
        grade: q.grade.trim().parse().ok(),
        sex: Some(q.sex.clone()),
        item: Some(q.item.clone()),
        max_cost: domain::child::parse_tenge(&q.max_cost).map(|t| t.0),
        district: id(&q.district),
        school: id(&q.school),
        after: id(&q.after),
    };
    // The districts of the sponsor's region, and the schools of the one chosen.
    let named = |units: Vec<app::entity::org_unit::Model>| -> Vec<(i64, String)> {
        units.into_iter().map(|u| (u.id, t.name(&u.name_ru, &u.name_kk).to_owned())).collect()
    };
    let (districts, schools) = app::sponsors::places(&state.core, &user.actor, filter.district).await.page(&t)?;
    // A district or school not of the sponsor's region is named in the page, the filters kept.
    let (mut needs, errors) =
        match app::sponsors::open_needs(&state.core, &user.actor, &c, &filter, NEEDS_PER_PAGE + 1).await {
            Ok(needs) => (needs, Vec::new()),
            Err(app::Error::Invalid(i)) => (Vec::new(), i.0.iter().map(|e| t.field_error(e)).collect::<Vec<_>>()),
            Err(other) => return Err(user.fail(other)),
        };
    let more = needs.len() > usize::try_from(NEEDS_PER_PAGE).unwrap_or(20);
    needs.truncate(usize::try_from(NEEDS_PER_PAGE).unwrap_or(20));
    let mut chosen: Vec<(&str, String)> = [
        ("grade", &q.grade),
        ("sex", &q.sex),
        ("item", &q.item),
        ("district", &q.district),
        ("school", &q.school),
        ("max_cost", &q.max_cost),
    ]
    .into_iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| (k, v.clone()))
    .collect();
    let filters = serde_urlencoded::to_string(&chosen).unwrap_or_default();
    let next = match needs.last() {
        Some(last) if more => {
            chosen.push(("after", last.need_id.to_string()));
            serde_urlencoded::to_string(&chosen).unwrap_or_default()
        }
        _ => String::new(),
    };
    let holds = app::sponsors::mine(&state.core, &user.actor).await.page(&t)?;
    let (helped, items, sum) = app::sponsors::impact(&state.core, &user.actor).await.page(&t)?;
    let now = Utc::now();
    let page = Portal {
        l: user.layout(t.t("sponsor-portal-title")),
        name: sponsor.name,
        needs: needs.iter().map(|n| need_line(&t, n)).collect(),
        holds: holds.iter().map(|h| hold_line(&t, h, now)).collect(),
        helped,
        items,
        sum: t.tiyn(&sum),
        grade: q.grade,
        sex: q.sex,
        item: q.item,
        max_cost: q.max_cost,
        district: q.district,
        school: q.school,
        districts: named(districts),
        schools: named(schools),
        next,
        later: filter.after.is_some(),
        filters,
        errors,
        items_options: domain::child::NeedItem::ALL.iter().map(|i| (i.as_str(), t.label("need", i.as_str()))).collect(),
        message: q.done.map(|d| t.label("sponsor-done", &d)).unwrap_or_default(),
        t,
    };
    Ok(if page.errors.is_empty() { render(&page) } else { crate::render::render_invalid(&page) })
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
    app::sponsors::deliver(&state.core, &user.actor, HoldId(id), domain::calendar::today()).await.page(&user.t)?;
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
