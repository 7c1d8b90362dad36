//! The audit log for auditors and coordinators, within their scope. Read-only.

use app::audit::{Filter, View};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use domain::ErrorCode;

use crate::error::{FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render};
use crate::{AppState, I18n};

/// Entries shown per page.
pub const PAGE_SIZE: u64 = 100;

#[derive(Template)]
#[template(path = "audit/list.html")]
struct AuditPage {
    t: I18n,
    l: Layout,
    entries: Vec<View>,
    q: AuditQuery,
    errors: FormErrors,
    next_link: Option<String>,
}

/// The filter form as typed: every field text, so an empty field is simply "any".
#[derive(Debug, Default, Clone, serde::Deserialize, serde::Serialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Login of the actor.
    #[serde(default)]
    pub actor: String,
    /// Action code.
    #[serde(default)]
    pub action: String,
    /// Entity type.
    #[serde(default)]
    pub entity: String,
    /// Record id.
    #[serde(default)]
    pub entity_id: String,
    /// From day (`2026-08-01` or `01.08.2026`).
    #[serde(default)]
    pub from: String,
    /// To day, inclusive.
    #[serde(default)]
    pub to: String,
    /// Entries older than this id (paging).
    #[serde(default)]
    pub before_id: Option<i64>,
}

fn parse_day(field: &str, text: &str) -> Result<Option<chrono::NaiveDate>, domain::FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(text, "%d.%m.%Y"))
        .map(Some)
        .map_err(|_| domain::FieldError::new(field, ErrorCode::InvalidDate))
}

impl AuditQuery {
    /// The storage filter, or every field that does not parse.
    pub fn filter(&self) -> Result<Filter, domain::Invalid> {
        let mut errors = Vec::new();
        let from = parse_day("from", &self.from).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let to = parse_day("to", &self.to).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.push(domain::FieldError::new("to", ErrorCode::PeriodReversed));
        }
        let entity_id = match self.entity_id.trim() {
            "" => None,
            s => s.parse().map(Some).unwrap_or_else(|_| {
                errors.push(domain::FieldError::new("entity_id", ErrorCode::NotANumber));
                None
            }),
        };
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        if !errors.is_empty() {
            return Err(domain::Invalid(errors));
        }
        Ok(Filter {
            actor: text(&self.actor),
            action: text(&self.action),
            entity: text(&self.entity),
            entity_id,
            from,
            to,
            before_id: self.before_id,
        })
    }
}

async fn page(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let (filter, errors) = match query.filter() {
        Ok(f) => (f, FormErrors::default()),
        Err(invalid) => (Filter { before_id: Some(0), ..Filter::default() }, FormErrors::new(&t, &invalid.0)),
    };
    let entries = app::audit::list(&state.core, &user.actor, &filter, PAGE_SIZE).await.page(&t)?;
    let next_before = (entries.len() as u64 == PAGE_SIZE).then(|| entries.last().map(|e| e.id)).flatten();
    let next_link = next_before.map(|id| {
        let mut link = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("actor", &query.actor),
            ("action", &query.action),
            ("entity", &query.entity),
            ("entity_id", &query.entity_id),
            ("from", &query.from),
            ("to", &query.to),
        ] {
            link.append_pair(k, v);
        }
        link.append_pair("before_id", &id.to_string());
        link.finish()
    });
    Ok(render(&AuditPage { l: user.layout(t.t("audit-title")), entries, q: query, errors, next_link, t }))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(page))
}
