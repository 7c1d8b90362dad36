//! A unit's details for its papers and sponsors: the page and its form.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use domain::OrgUnitId;
use domain::details::DetailsInput;

use crate::error::{FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

#[derive(Template)]
#[template(path = "orgs/details.html")]
struct DetailsPage {
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
    input: Option<DetailsInput>,
    errors: FormErrors,
) -> Result<DetailsPage, PageError> {
    let t = user.t.clone();
    let unit = app::orgs::get(&state.core, &user.actor, OrgUnitId(id)).await.page(&t)?;
    let input = match input {
        Some(typed) => typed,
        None => {
            let d = app::orgs::details(&state.core, &user.actor, OrgUnitId(id)).await.page(&t)?;
            DetailsInput {
                address: d.address.unwrap_or_default(),
                coordinator: d.coordinator.unwrap_or_default(),
                phone: d.phone.unwrap_or_default(),
                director: d.director.unwrap_or_default(),
                addressee: d.addressee.unwrap_or_default(),
            }
        }
    };
    let name = t.name(&unit.name_ru, &unit.name_kk).to_owned();
    use domain::details::{ADDRESS_MAX, PERSON_MAX};
    let fields = vec![
        ("address", input.address, ADDRESS_MAX, "text"),
        ("coordinator", input.coordinator, PERSON_MAX, "text"),
        ("phone", input.phone, 32, "tel"),
        ("director", input.director, PERSON_MAX, "text"),
        ("addressee", input.addressee, ADDRESS_MAX, "text"),
    ];
    Ok(DetailsPage { l: user.layout(t.t("details-title")), id, name, fields, errors, t })
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
    Form(input): Form<DetailsInput>,
) -> Result<Response, PageError> {
    match app::orgs::save_details(&state.core, &user.actor, OrgUnitId(id), &input).await {
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
    Router::new().route("/orgs/{id}/details", get(show).post(save))
}

/// A unit's details for its papers and sponsors.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DetailsDto {
    /// The unit.
    unit_id: i64,
    /// Postal address (shown to a sponsor who delivers).
    address: Option<String>,
    /// The campaign's coordinator at the unit (printed as who prepared the справка).
    coordinator: Option<String>,
    /// The coordinator's work phone, `+7XXXXXXXXXX`.
    phone: Option<String>,
    /// The director who signs.
    director: Option<String>,
    /// To whom the справка goes.
    addressee: Option<String>,
}

impl From<app::entity::unit_details::Model> for DetailsDto {
    fn from(d: app::entity::unit_details::Model) -> Self {
        DetailsDto {
            unit_id: d.unit_id,
            address: d.address,
            coordinator: d.coordinator,
            phone: d.phone,
            director: d.director,
            addressee: d.addressee,
        }
    }
}

/// A unit's details (coordinators of the unit or above it).
#[utoipa::path(get, path = "/api/v1/org-units/{id}/details", tag = "org units",
    responses((status = 200, body = DetailsDto), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn api_get(
    State(state): State<AppState>,
    user: crate::extract::ApiUser,
    Path(id): Path<i64>,
) -> Result<axum::Json<DetailsDto>, crate::error::ApiError> {
    use crate::error::Localize as _;
    if !user.actor.role.is_coordinator() {
        return Err(user.fail(app::Error::Forbidden));
    }
    let d = app::orgs::details(&state.core, &user.actor, OrgUnitId(id)).await.api(&user.t)?;
    Ok(axum::Json(d.into()))
}

/// Saves a unit's details (every field; a blank one is cleared).
#[utoipa::path(put, path = "/api/v1/org-units/{id}/details", tag = "org units", request_body = DetailsInput,
    responses((status = 200, body = DetailsDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn api_put(
    State(state): State<AppState>,
    user: crate::extract::ApiUser,
    Path(id): Path<i64>,
    crate::extract::ApiJson(input): crate::extract::ApiJson<DetailsInput>,
) -> Result<axum::Json<DetailsDto>, crate::error::ApiError> {
    use crate::error::Localize as _;
    let d = app::orgs::save_details(&state.core, &user.actor, OrgUnitId(id), &input).await.api(&user.t)?;
    Ok(axum::Json(d.into()))
}

/// The API's routes.
pub(super) fn api_router() -> Router<AppState> {
    Router::new().route("/org-units/{id}/details", get(api_get).put(api_put))
}
