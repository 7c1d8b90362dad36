//! The registry's list: search, filters, sorting and paging, and its export.

use app::children::{Cursor, Filter, Page};
use app::entity::{campaign, child, org_unit};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum_extra::extract::Query;
use domain::child::{Category, NeedItem, Status};
use domain::{Actor, CampaignId, ErrorCode, Invalid, OrgUnitId};
use serde::Deserialize;

use crate::error::{AppError, FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render};
use crate::{AppState, I18n};

/// Rows per page.
pub const PER_PAGE: u64 = 50;

/// The list's query string.
#[derive(Debug, Default, Clone, Deserialize, serde::Serialize)]
pub struct ListQuery {
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub grade: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub need: String,
    /// A unit's id (text, so that anything else is named as the mistake it is, not refused
    /// by the query's parser).
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub sort: String,
    /// The page starts after this child's row (an id, as text like `unit`).
    #[serde(default)]
    pub after: Option<String>,
    /// The page ends before this child's row.
    #[serde(default)]
    pub before: Option<String>,
    /// The page's number, as shown (the cursor says where it starts): only a label, so text
    /// that is no number is read as the first page rather than refused.
    #[serde(default)]
    pub page: Option<String>,
}

impl ListQuery {
    /// The filter as typed; a grade that is not one is refused, not ignored.
    pub fn filter(&self) -> Result<Filter, Invalid> {
        let grade = match self.grade.trim() {
            "" => None,
            typed => match typed.parse::<i16>() {
                Ok(g) if (0..=11).contains(&g) => Some(g),
                _ => return Err(Invalid::one("grade", ErrorCode::GradeRange)),
            },
        };
        Ok(Filter {
            q: Some(self.q.clone()),
            category: Some(self.category.clone()),
            grade,
            status: Some(self.status.clone()),
            need: Some(self.need.clone()),
            unit: id("unit", &self.unit)?.map(OrgUnitId),
            sort: self.sort.clone(),
        })
    }

    /// Where the page starts.
    pub fn cursor(&self) -> Result<Cursor, Invalid> {
        Ok(match (id("after", &self.after)?, id("before", &self.before)?) {
            (Some(id), _) => Cursor::After(id),
            (None, Some(id)) => Cursor::Before(id),
            (None, None) => Cursor::First,
        })
    }

    /// Whether a filter beyond the search box is set (the page then shows them open).
    pub fn filtered(&self) -> bool {
        [&self.category, &self.grade, &self.status, &self.need, &self.sort].iter().any(|v| !v.trim().is_empty())
            || self.unit.as_deref().is_some_and(|u| !u.trim().is_empty())
    }

    /// The unit chosen, if it is one.
    pub fn unit_id(&self) -> Option<i64> {
        self.unit.as_deref().and_then(|u| u.trim().parse().ok())
    }

    /// The query string of another page of the same list: the one at `cursor`, numbered `page`.
    pub fn page_link(&self, cursor: &Cursor, page: u64) -> String {
        let mut q = self.clone();
        (q.after, q.before) = match *cursor {
            Cursor::After(id) => (Some(id.to_string()), None),
            Cursor::Before(id) => (None, Some(id.to_string())),
            Cursor::First => (None, None),
        };
        q.page = Some(page.to_string());
        serde_html_query(&q)
    }

    /// The same filters, for the export link.
    pub fn as_query(&self) -> String {
        let mut q = self.clone();
        (q.page, q.after, q.before) = (None, None, None);
        serde_html_query(&q)
    }
}

/// An id typed in the query: none when left empty, refused (naming `field`) when not a number.
fn id(field: &'static str, typed: &Option<String>) -> Result<Option<i64>, Invalid> {
    match typed.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => t.parse().map(Some).map_err(|_| Invalid::one(field, ErrorCode::NotANumber)),
    }
}

pub(super) fn serde_html_query(q: &ListQuery) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    if let Some(y) = q.year {
        s.append_pair("year", &y.to_string());
    }
    for (k, v) in [
        ("q", &q.q),
        ("category", &q.category),
        ("grade", &q.grade),
        ("status", &q.status),
        ("need", &q.need),
        ("sort", &q.sort),
    ] {
        if !v.is_empty() {
            s.append_pair(k, v);
        }
    }
    for (k, v) in [("unit", &q.unit), ("after", &q.after), ("before", &q.before)] {
        if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
            s.append_pair(k, v);
        }
    }
    if let Some(p) = &q.page {
        s.append_pair("page", p);
    }
    s.finish()
}

/// A row of the list as shown.
pub struct Row {
    pub id: i64,
    pub name: String,
    pub iin: String,
    pub grade: i16,
    pub categories: String,
    pub status: String,
    pub school: String,
}

pub(super) fn categories_label(t: &I18n, codes: &str) -> String {
    codes
        .split(',')
        .filter(|c| !c.is_empty())
        .map(|c| t.t(&format!("category-{}", c.replace('_', "-"))))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn full_name(c: &child::Model) -> String {
    [c.surname.as_str(), c.first_name.as_str(), c.patronymic.as_deref().unwrap_or("")]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Template)]
#[template(path = "children/list.html")]
pub(super) struct ListPage {
    t: I18n,
    l: Layout,
    campaign: campaign::Model,
    q: ListQuery,
    rows: Vec<Row>,
    total: u64,
    more: bool,
    page: u64,
    pages: u64,
    /// The query strings of the next and the previous page.
    next: Option<String>,
    prev: Option<String>,
    errors: FormErrors,
    can_edit: bool,
    personal: bool,
    categories: Vec<(&'static str, String)>,
    statuses: Vec<(&'static str, String)>,
    needs: Vec<(&'static str, String)>,
    units: Vec<(i64, String)>,
    /// The units to narrow to are schools (else districts or regions).
    units_are_schools: bool,
    years: Vec<i32>,
}

pub(super) fn options<T: Copy>(
    t: &I18n,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    prefix: &str,
) -> Vec<(&'static str, String)> {
    all.iter().map(|v| (code(*v), t.t(&format!("{prefix}-{}", code(*v).replace('_', "-"))))).collect()
}

pub(super) async fn school_names(state: &AppState, actor: &Actor) -> Result<Vec<org_unit::Model>, AppError> {
    Ok(app::orgs::schools(&state.core, actor).await?)
}

/// The units a list may be narrowed to: those directly below the actor's own (a district's
/// schools, a region's districts, the republic's regions), never the whole scope's schools.
async fn units_below(state: &AppState, actor: &Actor) -> Result<Vec<org_unit::Model>, AppError> {
    let filter = app::orgs::ListFilter { parent: Some(actor.scope.unit()), ..Default::default() };
    Ok(app::orgs::list(&state.core, actor, &filter, 1_000).await?)
}

pub(super) async fn list(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let campaign = app::campaigns::chosen(&state.core, q.year).await.page(&t)?;
    let found = match q.filter().and_then(|f| Ok((f, q.cursor()?))) {
        Ok((f, cursor)) => {
            app::children::list(&state.core, &user.actor, CampaignId(campaign.id), &f, cursor, PER_PAGE).await
        }
        Err(invalid) => Err(app::Error::Invalid(invalid)),
    };
    // A search too short or a page no longer there: the form again, with what was typed and why.
    let (result, errors) = match found {
        Ok(page) => (page, FormErrors::default()),
        Err(app::Error::Invalid(invalid)) => {
            let empty = Page { rows: Vec::new(), total: 0, more: false, next: None, prev: None };
            (empty, FormErrors::new(&t, &invalid.0))
        }
        Err(e) => return Err(e).page(&t),
    };
    let pages = result.total.div_ceil(PER_PAGE).max(1);
    let page = match q.cursor().unwrap_or(Cursor::First) {
        Cursor::First => 1,
        _ => q.page.as_deref().and_then(|p| p.trim().parse().ok()).unwrap_or(1_u64).clamp(1, pages),
    };
    let mut ids: Vec<i64> = result.rows.iter().map(|c| c.school_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let schools = app::orgs::named(&state.core, &user.actor, ids).await.page(&t)?;
    let name_of = |id: i64| {
        schools.iter().find(|s| s.id == id).map(|s| t.name(&s.name_ru, &s.name_kk).to_owned()).unwrap_or_default()
    };
    let below = units_below(&state, &user.actor).await.page(&t)?;
    let rows = result
        .rows
        .iter()
        .map(|c| Row {
            id: c.id,
            name: full_name(c),
            iin: c.iin.clone(),
            grade: c.grade,
            categories: categories_label(&t, &c.categories),
            status: t.t(&format!("status-{}", c.status.replace('_', "-"))),
            school: name_of(c.school_id),
        })
        .collect();
    let list = ListPage {
        l: user.layout(t.t("children-title")),
        rows,
        total: result.total,
        more: result.more,
        page,
        pages,
        next: result.next.map(|c| q.page_link(&c, page + 1)),
        prev: result.prev.map(|c| q.page_link(&c, page.saturating_sub(1).max(1))),
        errors,
        can_edit: user.actor.role.can_edit_children(),
        personal: user.actor.role.can_read_personal_data(),
        categories: options(&t, Category::ALL, Category::as_str, "category"),
        statuses: options(&t, Status::ALL, Status::as_str, "status"),
        needs: options(&t, NeedItem::ALL, NeedItem::as_str, "need"),
        units: below.iter().map(|s| (s.id, t.name(&s.name_ru, &s.name_kk).to_owned())).collect(),
        units_are_schools: below.iter().all(|u| u.kind == "school"),
        years: app::campaigns::list(&state.core).await.page(&t)?.iter().map(|c| c.year).collect(),
        campaign,
        q,
        t,
    };
    Ok(render(&list))
}

pub(super) async fn export(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let campaign = app::campaigns::chosen(&state.core, q.year).await.page(&t)?;
    let filter = q.filter().page(&t)?;
    let bytes = app::export::children_xlsx(&state.core, &user.actor, &t, &campaign, &filter).await.page(&t)?;
    Ok(crate::render::xlsx_download(&format!("doroga-children-{}.xlsx", campaign.year), bytes))
}
