//! Where the public reaches a unit (its hotline, trust phone, reception, e-mail): the page and its
//! form, and the API.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use domain::OrgUnitId;
use domain::details::ContactsInput;

use crate::error::{FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

#[derive(Template)]
#[template(path = "orgs/contacts.html")]
struct ContactsPage {
    t: I18n,
    l: Layout,
    id: i64,
    name: String,
    /// Each field: name, value as typed or stored, longest, input type.
    fields: Vec<(&'static str, String, usize, &'static str)>,
    errors: FormErrors,
}

async fn page(
    state: &AppState,
    user: &PageUser,
    id: i64,
    input: Option<ContactsInput>,
    errors: FormErrors,
) -> Result<ContactsPage, PageError> {
    let t = user.t.clone();
    let unit = app::orgs::get(&state.core, &user.actor, OrgUnitId(id)).await.page(&t)?;
    let input = match input {
        Some(typed) => typed,
        None => {
            let c = app::orgs::contacts(&state.core, &user.actor, OrgUnitId(id)).await.page(&t)?;
            ContactsInput {
                hotline: c.hotline.unwrap_or_default(),
                trust_phone: c.trust_phone.unwrap_or_default(),
                reception: c.reception.unwrap_or_default(),
                email: c.email.unwrap_or_default(),
            }
        }
    };
    let name = t.name(&unit.name_ru, &unit.name_kk).to_owned();
    let fields = vec![
        ("hotline", input.hotline, 64, "tel"),
        ("trust_phone", input.trust_phone, 64, "tel"),
        ("reception", input.reception, 500, "text"),
        ("email", input.email, 254, "email"),
    ];
    Ok(ContactsPage { l: user.layout(t.t("contacts-title")), id, name, fields, errors, t })
}

async fn show(State(state): State<AppState>, user: PageUser, Path(id): Path<i64>) -> Result<Response, PageError> {
    if !user.actor.role.is_coordinator() {
        return Err(user.fail(app::Error::Forbidden));
    }
    Ok(render(&page(&state, &user, id, None, FormErrors::default()).await?))
}

async fn save(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(input): Form<ContactsInput>,
) -> Result<Response, PageError> {
    match app::orgs::save_contacts(&state.core, &user.actor, OrgUnitId(id), &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{id}?saved=1")).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&page(&state, &user, id, Some(input), errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

/// The routes.
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/orgs/{id}/contacts", get(show).post(save))
}

/// Where the public reaches a unit.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ContactsDto {
    /// The unit.
    unit_id: i64,
    /// The hotline.
    hotline: Option<String>,
    /// The trust phone.
    trust_phone: Option<String>,
    /// The public reception: where and when.
    reception: Option<String>,
    /// The unit's e-mail.
    email: Option<String>,
}

impl From<app::entity::unit_contact::Model> for ContactsDto {
    fn from(c: app::entity::unit_contact::Model) -> Self {
        ContactsDto {
            unit_id: c.unit_id,
            hotline: c.hotline,
            trust_phone: c.trust_phone,
            reception: c.reception,
            email: c.email,
        }
    }
}

/// A unit's contacts (coordinators of the unit or above it).
#[utoipa::path(get, path = "/api/v1/org-units/{id}/contacts", tag = "org units",
    responses((status = 200, body = ContactsDto), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn api_get(
    State(state): State<AppState>,
    user: crate::extract::ApiUser,
    Path(id): Path<i64>,
) -> Result<axum::Json<ContactsDto>, crate::error::ApiError> {
    use crate::error::Localize as _;
    if !user.actor.role.is_coordinator() {
        return Err(user.fail(app::Error::Forbidden));
    }
    let c = app::orgs::contacts(&state.core, &user.actor, OrgUnitId(id)).await.api(&user.t)?;
    Ok(axum::Json(c.into()))
}

/// Saves a unit's contacts (every field; a blank one is cleared); the public front page shows them.
#[utoipa::path(put, path = "/api/v1/org-units/{id}/contacts", tag = "org units", request_body = ContactsInput,
    responses((status = 200, body = ContactsDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn api_put(
    State(state): State<AppState>,
    user: crate::extract::ApiUser,
    Path(id): Path<i64>,
    crate::extract::ApiJson(input): crate::extract::ApiJson<ContactsInput>,
) -> Result<axum::Json<ContactsDto>, crate::error::ApiError> {
    use crate::error::Localize as _;
    let c = app::orgs::save_contacts(&state.core, &user.actor, OrgUnitId(id), &input).await.api(&user.t)?;
    Ok(axum::Json(c.into()))
}

/// The API's routes.
pub(super) fn api_router() -> Router<AppState> {
    Router::new().route("/org-units/{id}/contacts", get(api_get).put(api_put))
}
