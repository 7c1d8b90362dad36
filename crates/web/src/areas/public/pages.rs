//! The public transparency page: live totals per region and district, no sign-in, no personal
//! data. Rendered pages are kept for a few seconds so heavy anonymous traffic reads the
//! database once per window, not once per visitor.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use app::public::Totals;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use domain::Locale;

use crate::error::{AppError, Localize, PageError};
use crate::extract::Visitor;
use crate::render::Layout;
use crate::{AppState, I18n};

/// How long a rendered page is reused.
pub const TTL: Duration = Duration::from_secs(15);

/// Rendered public pages by (unit, language), with when they were made.
#[derive(Debug, Default)]
pub struct PublicCache(Mutex<HashMap<(i64, Locale), (Instant, String)>>);

impl PublicCache {
    fn get(&self, key: (i64, Locale)) -> Option<String> {
        let map = self.0.lock().ok()?;
        map.get(&key).filter(|(at, _)| at.elapsed() < TTL).map(|(_, html)| html.clone())
    }

    fn put(&self, key: (i64, Locale), html: String) {
        if let Ok(mut map) = self.0.lock() {
            map.retain(|_, (at, _)| at.elapsed() < TTL);
            map.insert(key, (Instant::now(), html));
        }
    }
}

/// A line of the page.
pub struct Line {
    /// The unit's id.
    pub id: i64,
    /// Its name in the page's language.
    pub name: String,
    /// Whether it links to its districts.
    pub link: bool,
    /// Its figures.
    pub t: Totals,
}

#[derive(Template)]
#[template(path = "public/public.html")]
pub(super) struct PublicPage {
    t: I18n,
    l: Layout,
    lines: Vec<Line>,
    total: Totals,
    sources: Vec<(&'static str, String)>,
    items: Vec<(&'static str, String)>,
    back: bool,
    /// The survey's figures of each unit of the page this year so far, and their sum.
    survey: Vec<(String, app::survey::Figures)>,
    survey_total: app::survey::Figures,
    missing: Vec<String>,
}

impl PublicPage {
    fn money(&self, t: &Totals, source: &str) -> String {
        domain::format::Tenge(*t.by_source.get(source).unwrap_or(&0)).to_string()
    }

    fn count(&self, t: &Totals, item: &str) -> i64 {
        *t.items.get(item).unwrap_or(&0)
    }
}

pub(super) async fn render_public(state: &AppState, t: &I18n, unit: Option<i64>) -> Result<String, AppError> {
    let app::public::Public { campaign, parent, total, rows } = app::public::figures(&state.core, unit).await?;
    let region_level = parent.kind == "republic";
    // The survey's year so far (families answer it before and after the campaign's days).
    let to = app::appeals::today();
    let from = chrono::Datelike::with_ordinal(&to, 1).unwrap_or(to);
    let figures = app::survey::totals(&state.core, unit, from, to).await?;
    let mut survey_total = app::survey::Figures::empty(0);
    let survey: Vec<(String, app::survey::Figures)> = rows
        .iter()
        .filter_map(|r| figures.iter().find(|f| f.unit_id == r.unit.id).map(|f| (r, f)))
        .map(|(r, f)| {
            survey_total.merge(f);
            (t.name(&r.unit.name_ru, &r.unit.name_kk).to_owned(), f.clone())
        })
        .collect();
    let title = if region_level {
        t.t1("public-title", "year", campaign.year)
    } else {
        t.name(&parent.name_ru, &parent.name_kk).to_owned()
    };
    let page = PublicPage {
        l: Layout::new(t, None, title),
        lines: rows
            .into_iter()
            .map(|r| Line {
                id: r.unit.id,
                name: t.name(&r.unit.name_ru, &r.unit.name_kk).to_owned(),
                link: region_level,
                t: r.totals,
            })
            .collect(),
        total,
        sources: domain::aid::Source::ALL.iter().map(|s| (s.as_str(), t.label("aid-source", s.as_str()))).collect(),
        items: ["backpack", "uniform", "sports_suit", "shoes", "stationery"]
            .into_iter()
            .map(|i| (i, t.label("need", i)))
            .collect(),
        back: !region_level,
        survey,
        survey_total,
        missing: domain::survey::Missing::ALL.iter().map(|m| t.label("survey-missing", m.as_str())).collect(),
        t: t.clone(),
    };
    page.render().map_err(|e| AppError::Internal(e.to_string()))
}

pub(super) async fn serve(state: &AppState, v: &Visitor, unit: Option<i64>) -> Result<Response, PageError> {
    let key = (unit.unwrap_or(0), v.t.locale);
    let html = match state.public_cache.get(key) {
        Some(html) => html,
        None => {
            let html = render_public(state, &v.t, unit).await.page(&v.t)?;
            state.public_cache.put(key, html.clone());
            html
        }
    };
    Ok(([(header::CACHE_CONTROL, "public, max-age=15")], Html(html)).into_response())
}

pub(super) async fn republic(State(state): State<AppState>, v: Visitor) -> Result<Response, PageError> {
    serve(&state, &v, None).await
}

pub(super) async fn region(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    serve(&state, &v, Some(id)).await
}

/// The public routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/public", get(republic)).route("/public/{id}", get(region))
}
