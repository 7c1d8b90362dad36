//! What every page shares: the frame (`Layout`), rendering a template (a form that failed keeps
//! what was typed, with 422), downloads, and the activate/deactivate form.

use app::users::UserWithUnit;
use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::Role;

use crate::I18n;

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
    /// The user's id (0 signed out): the phone's outboxes send only what this account saved.
    pub user_id: i64,
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
    /// Reads reports and dashboards (coordinators and auditors).
    pub can_report: bool,
    /// Runs the checks that protect the money (coordinators).
    pub can_checks: bool,
    /// Sets campaigns' norms and deadlines or reads them for a region (region and republic).
    pub can_campaigns: bool,
    /// Registers and approves sponsors (region and republic coordinators).
    pub can_sponsors: bool,
    /// Plans raids or works on them (everyone but sponsors).
    pub can_raids: bool,
    /// Pupils out of school and their cases (coordinators and auditors).
    pub can_attendance: bool,
    /// Citizens' appeals (coordinators and auditors).
    pub can_appeals: bool,
    /// The other language's code, for the switch.
    pub other_lang: &'static str,
    /// The stylesheet's versioned path.
    pub css: &'static str,
    /// htmx's versioned path.
    pub js: &'static str,
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
            user_id: user.map_or(0, |u| u.user.id),
            signed_in: user.is_some(),
            can_orgs: role.is_some_and(Role::can_view_orgs),
            can_users: role.is_some_and(|r| r.is_coordinator() || r == Role::Auditor),
            can_audit: role.is_some_and(Role::can_view_audit),
            is_sponsor: role == Some(Role::Sponsor),
            can_report: role.is_some_and(Role::can_read_personal_data),
            can_checks: role.is_some_and(Role::can_edit_children),
            can_campaigns: role
                .is_some_and(|r| matches!(r, Role::RepublicCoordinator | Role::RegionCoordinator | Role::Auditor)),
            can_sponsors: role.is_some_and(|r| r.can_grant(Role::Sponsor)),
            can_raids: role.is_some_and(|r| r != Role::Sponsor),
            can_attendance: role.is_some_and(|r| r.can_read_personal_data()),
            can_appeals: role.is_some_and(|r| r.is_coordinator() || r == Role::Auditor),
            other_lang: other.code(),
            css: crate::assets::CSS.path.as_str(),
            js: crate::assets::HTMX_JS.path.as_str(),
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

/// The steps of a public form before it is kept (the appeal and the survey work without a
/// script): `check` shows back what was typed to confirm, or every mistake with the form kept;
/// any other step shows the form again. `page` builds the form page from its errors and whether
/// it is the confirmation.
pub async fn public_step<P, F, Fut>(
    t: &I18n,
    step: &str,
    checked: Result<(), domain::Invalid>,
    page: F,
) -> Result<Response, crate::error::PageError>
where
    P: Template,
    F: FnOnce(crate::error::FormErrors, bool) -> Fut,
    Fut: std::future::Future<Output = Result<P, crate::error::PageError>>,
{
    use crate::error::FormErrors;
    Ok(match (step, checked) {
        ("check", Ok(())) => render(&page(FormErrors::default(), true).await?),
        ("check", Err(e)) => render_invalid(&page(FormErrors::new(t, &e.0), false).await?),
        _ => render(&page(FormErrors::default(), false).await?),
    })
}
