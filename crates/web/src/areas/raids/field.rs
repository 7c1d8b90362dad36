//! The raid's field page: the form a raid member fills for each child found, on a phone that
//! may have no connection. With its script (`/static/field.*.js`) a finding is saved on the
//! phone first (IndexedDB) and sent when the connection is there; the page itself is kept by
//! the service worker, so it opens again offline. It carries nothing personal (the phone's own
//! records are drawn from its own store), so keeping it is safe. Without a script the form posts
//! here, with an id made by the server for this form: sending it again is the same finding.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use domain::RaidId;
use domain::raid::{FindingAction, FindingInput, PlaceKind};
use serde::Deserialize;

use crate::error::{FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

#[derive(Template)]
#[template(path = "raids/field.html")]
struct FieldPage {
    t: I18n,
    l: Layout,
    id: i64,
    date: String,
    places: Vec<(String, String)>,
    f: FindingInput,
    base_version: String,
    place_kinds: Vec<(&'static str, String)>,
    actions: Vec<(&'static str, String)>,
    script: &'static str,
    errors: FormErrors,
    message: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct FieldQuery {
    /// A finding to change (a coordinator's, or the member's own).
    #[serde(default)]
    edit: Option<i64>,
    #[serde(default)]
    sent: Option<String>,
    #[serde(default)]
    conflict: Option<String>,
}

/// The finding's form as typed, with the version a change was made on.
#[derive(Debug, Default, Deserialize)]
pub(super) struct FindingForm {
    #[serde(default)]
    base_version: String,
    #[serde(flatten)]
    finding: FindingInput,
}

async fn page(
    state: &AppState,
    user: &PageUser,
    id: i64,
    form: FindingForm,
    errors: FormErrors,
    message: String,
) -> Result<FieldPage, PageError> {
    let t = user.t.clone();
    let v = app::raids::get(&state.core, &user.actor, RaidId(id)).await.page(&t)?;
    let place_kinds = PlaceKind::ALL.iter().map(|k| (k.as_str(), t.label("raid-place", k.as_str()))).collect();
    let actions = FindingAction::ALL.iter().map(|k| (k.as_str(), t.label("raid-action", k.as_str()))).collect();
    let mut f = form.finding;
    if f.client_id.trim().is_empty() {
        f.client_id = domain::raid::new_client_id();
    }
    if f.place.is_empty() {
        f.place = v.places.first().map(|p| p.kind.clone()).unwrap_or_default();
    }
    Ok(FieldPage {
        l: user.layout(t.args("raid-field-title", &[("date", t.date(&v.raid.held_on))])),
        id,
        date: t.date(&v.raid.held_on),
        places: v
            .places
            .iter()
            .map(|p| (t.label("raid-place", &p.kind), p.address.clone().unwrap_or_default()))
            .collect(),
        f,
        base_version: form.base_version,
        place_kinds,
        actions,
        script: crate::assets::FIELD_JS.path.as_str(),
        errors,
        message,
        t,
    })
}

pub(super) async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<FieldQuery>,
) -> Result<Response, PageError> {
    let mut form = FindingForm::default();
    if let Some(edit) = q.edit {
        let found = app::raids::findings(&state.core, &user.actor, RaidId(id)).await.page(&user.t)?;
        let f = found.into_iter().find(|v| v.finding.id == edit).ok_or_else(|| user.fail(app::Error::NotFound))?;
        let f = f.finding;
        form.base_version = f.version.to_string();
        form.finding = FindingInput {
            client_id: f.client_id,
            iin: f.iin.unwrap_or_default(),
            name: f.name.unwrap_or_default(),
            sex: f.sex,
            age: f.age.map(|a| a.to_string()).unwrap_or_default(),
            place: f.place,
            address: f.address.unwrap_or_default(),
            found_at: f.found_at.unwrap_or_default(),
            circumstances: f.circumstances.unwrap_or_default(),
            action: f.action,
        };
    }
    let message = match (q.sent, q.conflict) {
        (Some(_), _) => user.t.t("raid-finding-saved"),
        (_, Some(_)) => user.t.t("raid-state-conflict"),
        _ => String::new(),
    };
    Ok(render(&page(&state, &user, id, form, FormErrors::default(), message).await?))
}

pub(super) async fn send(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<FindingForm>,
) -> Result<Response, PageError> {
    let today = domain::calendar::today();
    let base = form.base_version.trim().parse().ok();
    match app::raids::send(&state.core, &user.actor, RaidId(id), &form.finding, base, today).await {
        Ok(app::raids::Sent::Conflict { .. }) => {
            Ok(Redirect::to(&format!("/raids/{id}/field?conflict=1")).into_response())
        }
        Ok(_) => Ok(Redirect::to(&format!("/raids/{id}/field?sent=1")).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&page(&state, &user, id, form, errors, String::new()).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}
