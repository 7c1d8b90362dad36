//! The dashboard of a unit: the headline figures and four charts (progress by sub-unit, help by
//! day, fund use, needs covered), drawn on the server from the same figures as the reports.

use app::reports::Figures;
use app::reports::document::percent;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use domain::Invalid;

use super::pages::ReportQuery;
use crate::error::{AppError, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::svg::{self, Bar};
use crate::{AppState, I18n};

#[derive(Template)]
#[template(path = "reports/dashboard.html")]
pub(super) struct DashboardPage {
    t: I18n,
    l: Layout,
    q: ReportQuery,
    errors: Vec<String>,
    subtitle: String,
    headline: Vec<(&'static str, String, String)>,
    charts: Vec<(String, String)>,
}

pub(super) fn headline(t: &I18n, f: &Figures) -> Vec<(&'static str, String, String)> {
    vec![
        ("dash-identified", t.t("report-identified"), f.identified.to_string()),
        ("dash-helped", t.t("report-helped"), f.helped.to_string()),
        ("dash-coverage", t.t("report-coverage"), percent(f.coverage_permille())),
        ("dash-fund", t.t("aid-source-fund"), t.tiyn(&f.source("fund"))),
        ("dash-sponsors", t.t("report-sponsors"), t.tiyn(&f.source("sponsor"))),
        ("dash-other", t.t("report-other"), t.tiyn(&f.other())),
        ("dash-delivered", t.t("report-delivered"), t.tiyn(&f.delivered())),
    ]
}

pub(super) async fn page(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let asked = match q.check(&state).await {
        Ok(a) => a,
        Err(AppError::Invalid(Invalid(errors))) => {
            let page = DashboardPage {
                l: user.layout(t.t("dashboard-title")),
                errors: errors.iter().map(|e| t.field_error(e)).collect(),
                subtitle: String::new(),
                headline: vec![],
                charts: vec![],
                q,
                t,
            };
            return Ok(render_invalid(&page));
        }
        Err(e) => return Err(user.fail(e)),
    };
    let d = app::reports::dashboard(&state.core, &user.actor, &asked).await.page(&t)?;
    let (r, daily) = (d.report, d.daily);
    let name = |u: &app::entity::org_unit::Model| t.name(&u.name_ru, &u.name_kk).to_owned();
    // A bar per sub-unit; a school, which has none, gets one bar of its own totals.
    let units: Vec<(&app::entity::org_unit::Model, &Figures)> = if r.rows.is_empty() {
        vec![(&r.unit, &r.total)]
    } else {
        r.rows.iter().map(|row| (&row.unit, &row.figures)).collect()
    };
    let bars = |bar: &dyn Fn(&Figures) -> (i64, i64, String)| -> Vec<Bar> {
        units
            .iter()
            .map(|(u, f)| {
                let (value, inner, text) = bar(f);
                Bar { label: name(u), value, inner, text }
            })
            .collect()
    };
    let progress = bars(&|f| {
        (f.identified, f.helped, format!("{} / {} ({})", f.helped, f.identified, percent(f.coverage_permille())))
    });
    let fund = bars(&|f| {
        (f.fund_allocation, f.fund_spent, format!("{} / {}", t.tiyn(&f.fund_spent), t.tiyn(&f.fund_allocation)))
    });
    let needs = bars(&|f| {
        (f.need.max(f.delivered()), f.delivered(), format!("{} / {}", t.tiyn(&f.delivered()), t.tiyn(&f.need)))
    });
    let points: Vec<(String, i64)> = daily.iter().map(|(d, v)| (format!("{}: {}", t.date(d), t.tiyn(v)), *v)).collect();
    let first = daily.first().map(|d| t.date(&d.0)).unwrap_or_default();
    let last = daily.last().map(|d| t.date(&d.0)).unwrap_or_default();
    let top = daily.iter().map(|d| d.1).max().map(|m| t.tiyn(&m)).unwrap_or_else(|| t.t("dashboard-no-help"));
    let out: Vec<(String, i64)> = d.out.iter().map(|(day, n)| (format!("{}: {n}", t.date(day)), *n)).collect();
    let out_first = d.out.first().map(|x| t.date(&x.0)).unwrap_or_default();
    let out_last = d.out.last().map(|x| t.date(&x.0)).unwrap_or_default();
    let out_top = d.out.iter().map(|x| x.1).max().unwrap_or(0).to_string();
    let charts = [
        ("chart-progress", "dashboard-progress"),
        ("chart-daily", "dashboard-daily"),
        ("chart-fund", "dashboard-fund"),
        ("chart-needs", "dashboard-needs"),
        ("chart-out", "dashboard-out"),
    ]
    .into_iter()
    .map(|(id, key)| {
        let title = t.t(key);
        let svg = match id {
            "chart-progress" => svg::hbars(id, &title, &progress),
            "chart-daily" => svg::columns(id, &title, &points, &first, &last, &top),
            "chart-fund" => svg::hbars(id, &title, &fund),
            "chart-out" => svg::columns(id, &title, &out, &out_first, &out_last, &out_top),
            _ => svg::hbars(id, &title, &needs),
        };
        (title, svg)
    })
    .collect();
    let page = DashboardPage {
        l: user.layout(t.args("dashboard-heading", &[("unit", name(&r.unit)), ("year", r.campaign.year.to_string())])),
        subtitle: app::reports::document::period_text(&t, &r.period),
        headline: headline(&t, &r.total),
        errors: vec![],
        charts,
        q,
        t,
    };
    Ok(render(&page))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/dashboard", get(page))
}
