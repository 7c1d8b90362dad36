//! The public front door at `/` (a visitor's start page): what the campaign is, who can get help
//! and how, the hotline, trust phone and reception of the visitor's region, district and school
//! (each unit keeps its own), the survey, an appeal, following an appeal by its code, and the
//! campaign's totals. No sign-in, no script.

use askama::Template;
use axum::response::Response;
use domain::child::Category;
use serde::Deserialize;

use crate::error::{Localize, PageError};
use crate::extract::Visitor;
use crate::places::Places;
use crate::render::{Layout, render};
use crate::{AppState, I18n};

/// The place chosen on the front page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PlaceQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    school: String,
}

/// One unit's contacts as the page lists them.
struct Contact {
    unit: String,
    hotline: String,
    trust_phone: String,
    reception: String,
    email: String,
}

#[derive(Template)]
#[template(path = "today/front.html")]
struct FrontPage {
    t: I18n,
    l: Layout,
    p: Places,
    place_action: &'static str,
    qr: String,
    categories: Vec<String>,
    contacts: Vec<Contact>,
    /// The query that carries the place to the survey and the appeal form.
    place_query: String,
    helped: i64,
    year: i32,
}

/// `GET /` for a visitor.
pub(super) async fn front(state: &AppState, v: &Visitor, q: PlaceQuery) -> Result<Response, PageError> {
    let t = v.t.clone();
    let p = crate::places::resolve(&state.core, &t, &q.region, &q.district, &q.school).await?;
    let chosen: Vec<(i64, String)> = [
        (p.region, p.regions.iter().find(|(i, _)| *i == p.region)),
        (p.district, p.districts.iter().find(|(i, _)| *i == p.district)),
        (p.school, p.schools.iter().find(|(i, _)| *i == p.school)),
    ]
    .into_iter()
    .filter_map(|(id, named)| named.map(|(_, n)| (id, n.clone())))
    .collect();
    let ids: Vec<i64> = chosen.iter().map(|(i, _)| *i).collect();
    let stored = app::orgs::public_contacts(&state.core, &ids).await.page(&t)?;
    let contacts = chosen
        .iter()
        .filter_map(|(id, name)| {
            stored.iter().find(|c| c.unit_id == *id).map(|c| Contact {
                unit: name.clone(),
                hotline: c.hotline.clone().unwrap_or_default(),
                trust_phone: c.trust_phone.clone().unwrap_or_default(),
                reception: c.reception.clone().unwrap_or_default(),
                email: c.email.clone().unwrap_or_default(),
            })
        })
        .collect();
    let place_query = match (p.school, p.district) {
        (s, _) if s > 0 => format!("?school={s}"),
        (_, d) if d > 0 => format!("?district={d}"),
        _ => String::new(),
    };
    let figures = app::public::figures(&state.core, None).await.ok();
    let page = FrontPage {
        l: Layout::new(&t, v.user.as_ref(), t.t("front-title")),
        categories: Category::ALL
            .iter()
            .filter(|c| **c != Category::Other)
            .map(|c| t.label("category", c.as_str()))
            .collect(),
        contacts,
        place_query,
        helped: figures.as_ref().map_or(0, |f| f.total.helped),
        year: figures.as_ref().map_or(0, |f| f.campaign.year),
        p,
        place_action: "/",
        qr: String::new(),
        t,
    };
    Ok(render(&page))
}
