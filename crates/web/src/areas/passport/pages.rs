//! The social passport of a school, and its roll-up for a district, region and the republic.

use app::passport::Passport;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum_extra::extract::Query;
use domain::child::Category;
use domain::{CampaignId, OrgUnitId};
use serde::Deserialize;

use crate::error::{Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render};
use crate::{AppState, I18n};

#[derive(Debug, Default, Deserialize)]
struct YearQuery {
    year: Option<i32>,
}

/// A passport line as shown: unit, link, figures.
pub struct Line {
    pub id: i64,
    pub name: String,
    pub p: Passport,
}

#[derive(Template)]
#[template(path = "passport/passport.html")]
struct PassportPage {
    t: I18n,
    l: Layout,
    year: i32,
    unit_id: i64,
    total: Passport,
    lines: Vec<Line>,
    categories: Vec<(&'static str, String)>,
    grades: Vec<i16>,
}

impl PassportPage {
    fn count(&self, p: &Passport, category: &str) -> i64 {
        *p.by_category.get(category).unwrap_or(&0)
    }

    fn cell(&self, category: &str, grade: &i16) -> i64 {
        self.total.by_category_grade.get(category).and_then(|g| g.get(grade)).copied().unwrap_or(0)
    }

    fn money(&self, tiyn: &i64) -> String {
        domain::format::Tenge(*tiyn).to_string()
    }
}

async fn load(
    state: &AppState,
    user: &PageUser,
    id: i64,
    year: Option<i32>,
) -> Result<(i32, String, Passport, Vec<Line>), PageError> {
    let t = &user.t;
    let campaign = app::campaigns::chosen(&state.core, year).await.page(t)?;
    let (unit, total, rows) =
        app::passport::compute(&state.core, &user.actor, CampaignId(campaign.id), OrgUnitId(id)).await.page(t)?;
    let lines = rows
        .into_iter()
        .map(|r| Line { id: r.unit.id, name: t.name(&r.unit.name_ru, &r.unit.name_kk).to_owned(), p: r.passport })
        .collect();
    Ok((campaign.year, t.name(&unit.name_ru, &unit.name_kk).to_owned(), total, lines))
}

async fn page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let (year, name, total, lines) = load(&state, &user, id, q.year).await?;
    let page = PassportPage {
        l: user.layout(t.t1("passport-title", "name", &name)),
        year,
        unit_id: id,
        total,
        lines,
        categories: Category::ALL
            .iter()
            .map(|c| (c.as_str(), t.t(&format!("category-{}", c.as_str().replace('_', "-")))))
            .collect(),
        grades: (0..=domain::child::GRADE_MAX).collect(),
        t,
    };
    Ok(render(&page))
}

async fn export(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let (year, name, total, lines) = load(&state, &user, id, q.year).await?;
    let rows: Vec<(String, Passport)> = lines.into_iter().map(|l| (l.name, l.p)).collect();
    let title = format!("{} — {year}", t.t1("passport-title", "name", &name));
    let bytes = app::export::passport_xlsx(&t, &title, &total, &rows).page(&t)?;
    Ok(crate::render::xlsx_download(&format!("doroga-passport-{id}-{year}.xlsx"), bytes))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/passport/{id}", get(page)).route("/passport/{id}/export.xlsx", get(export))
}
