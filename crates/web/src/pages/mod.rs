//! Server-rendered pages: askama templates, htmx for the small live parts, every string from
//! the catalogues.

mod audit;
mod campaigns;
mod checks;
pub(crate) mod children;
mod dashboard;
mod orgs;
mod passport;
pub mod public;
pub(crate) mod reports;
pub(crate) mod sponsor;
mod tokens;
mod users;

pub use audit::{AuditQuery, PAGE_SIZE as AUDIT_PAGE_SIZE};
pub(crate) use children::receive_upload;
pub use orgs::read_upload;

use app::users::UserWithUnit;
use askama::Template;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::Role;

use crate::auth::{self, PageUser};
use crate::{AppState, I18n};

/// What every page's frame shows: title, the user, the menu.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The page title.
    pub title: String,
    /// The user's full name, if signed in.
    pub user_name: String,
    /// The user's role, translated.
    pub role: String,
    /// The user's unit, in the page's language.
    pub unit_name: String,
    /// The user's unit id.
    pub unit_id: i64,
    /// Signed in?
    pub signed_in: bool,
    /// May see the org hierarchy.
    pub can_orgs: bool,
    /// May manage users.
    pub can_users: bool,
    /// May read the audit log.
    pub can_audit: bool,
    /// A sponsor (the portal instead of the registry).
    pub is_sponsor: bool,
    /// The other language's code, for the switch.
    pub other_lang: &'static str,
    /// The other language's name, in that language.
    pub other_lang_name: String,
}

impl Layout {
    /// The frame for a page titled `title`.
    pub fn new(t: &I18n, user: Option<&UserWithUnit>, title: String) -> Self {
        let other = match t.locale {
            domain::Locale::Ru => domain::Locale::Kk,
            domain::Locale::Kk => domain::Locale::Ru,
        };
        let role = user.map(UserWithUnit::role);
        Layout {
            title,
            user_name: user.map(|u| u.user.full_name.clone()).unwrap_or_default(),
            role: role.map(|r| t.role(r)).unwrap_or_default(),
            unit_name: user.map(|u| t.name(&u.unit.name_ru, &u.unit.name_kk).to_owned()).unwrap_or_default(),
            unit_id: user.map_or(0, |u| u.unit.id),
            signed_in: user.is_some(),
            can_orgs: role.is_some_and(Role::can_view_orgs),
            can_users: role.is_some_and(|r| r.is_coordinator() || r == Role::Auditor),
            can_audit: role.is_some_and(Role::can_view_audit),
            is_sponsor: role == Some(Role::Sponsor),
            other_lang: other.code(),
            other_lang_name: t.t(&format!("lang-{}", other.code())),
        }
    }
}

/// Renders a template to an HTML response (a logged 500 if the template fails).
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A file as a download named `filename`.
pub fn attachment(filename: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    ([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

/// The content type of an XLSX workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An XLSX file as a download named `filename`.
pub fn xlsx_download(filename: &str, bytes: Vec<u8>) -> Response {
    attachment(filename, XLSX, bytes)
}

/// A PDF file as a download named `filename`.
pub fn pdf_download(filename: &str, bytes: Vec<u8>) -> Response {
    attachment(filename, "application/pdf", bytes)
}

/// Renders a form again with the status of the failure (so the browser keeps what was typed).
pub fn render_invalid(template: &impl Template) -> Response {
    let mut response = render(template);
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

/// The activate/deactivate buttons' form: `active=1` or `active=0`.
#[derive(Debug, serde::Deserialize)]
pub struct ActiveForm {
    active: String,
}

impl ActiveForm {
    /// Whether the record should be active.
    pub fn wanted(&self) -> bool {
        self.active == "1"
    }
}

#[derive(Template)]
#[template(path = "sponsor_home.html")]
struct SponsorHome {
    t: I18n,
    l: Layout,
}

/// `GET /`: a user's own unit; sponsors get their own start page.
async fn home(user: PageUser) -> Response {
    if user.actor.role.can_view_orgs() {
        return Redirect::to(&format!("/orgs/{}", user.u.unit.id)).into_response();
    }
    if user.actor.role == Role::Sponsor {
        return Redirect::to("/sponsor").into_response();
    }
    let l = user.layout(user.t.t("app-name"));
    render(&SponsorHome { t: user.t, l })
}

const APP_CSS: &str = include_str!("../../static/app.css");
const HTMX: &str = include_str!("../../static/htmx-2.0.11.min.js");

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=86400")], body).into_response()
}

/// The pages' routes.
pub fn router(import_limit: usize, proof_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/password", get(auth::password_page).post(auth::change_password))
        .route("/lang", post(auth::set_lang))
        .route("/static/app.css", get(|| async { asset("text/css; charset=utf-8", APP_CSS) }))
        .route("/static/htmx-2.0.11.min.js", get(|| async { asset("text/javascript; charset=utf-8", HTMX) }))
        .merge(orgs::router())
        .merge(children::router())
        .merge(children::import_router(import_limit))
        .merge(children::proof_router(proof_limit))
        .merge(checks::router())
        .merge(reports::router())
        .merge(dashboard::router())
        .merge(passport::router())
        .merge(sponsor::router())
        .merge(public::router())
        .merge(campaigns::router())
        .merge(users::router())
        .merge(audit::router())
        .merge(tokens::router())
}
