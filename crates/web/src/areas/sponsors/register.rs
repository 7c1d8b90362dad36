//! Sponsors as the region's coordinators see them: the list, registering one with an account,
//! approving an application; and the public application form.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::aid::{SponsorApplication, SponsorInput, SponsorKind};
use domain::{OrgKind, Role, SponsorId};
use serde::Deserialize;

use crate::error::{FormErrors, Localize, PageError};
use crate::extract::{PageUser, Visitor};
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

#[derive(Template)]
#[template(path = "sponsors/list.html")]
pub(super) struct Register {
    t: I18n,
    l: Layout,
    rows: Vec<(i64, String, String, String, String, String, bool)>,
    regions: Vec<(i64, String)>,
    kinds: Vec<(&'static str, String)>,
    input: SponsorInput,
    region: Option<i64>,
    errors: FormErrors,
    can_register: bool,
    password: String,
}

pub(super) async fn register_page(
    state: &AppState,
    user: &PageUser,
    input: SponsorInput,
    region: Option<i64>,
    errors: FormErrors,
    password: String,
) -> Result<Register, PageError> {
    let t = user.t.clone();
    let sponsors = app::sponsors::list(&state.core, &user.actor).await.page(&t)?;
    let filter = app::orgs::ListFilter { kind: Some(OrgKind::Region), ..Default::default() };
    let regions = app::orgs::list(&state.core, &user.actor, &filter, 100).await.page(&t)?;
    Ok(Register {
        l: user.layout(t.t("sponsors-title")),
        rows: sponsors
            .iter()
            .map(|s| {
                (
                    s.id,
                    s.name.clone(),
                    t.label("sponsor-kind", &s.kind),
                    s.bin_iin.clone().unwrap_or_default(),
                    s.phone.clone().unwrap_or_default(),
                    t.label("sponsor-state", sponsor_state(s)),
                    !s.approved && !s.rejected,
                )
            })
            .collect(),
        regions: regions.iter().map(|r| (r.id, t.name(&r.name_ru, &r.name_kk).to_owned())).collect(),
        kinds: SponsorKind::ALL.iter().map(|k| (k.as_str(), t.label("sponsor-kind", k.as_str()))).collect(),
        input,
        region,
        errors,
        can_register: matches!(user.actor.role, Role::RegionCoordinator | Role::RepublicCoordinator),
        password,
        t,
    })
}

pub(super) async fn sponsors(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    Ok(render(
        &register_page(&state, &user, SponsorInput::default(), None, FormErrors::default(), String::new()).await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct RegisterForm {
    #[serde(flatten)]
    sponsor: SponsorInput,
    #[serde(default)]
    region_id: Option<i64>,
    #[serde(default)]
    login: String,
}

pub(super) async fn register(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<RegisterForm>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let input = f.sponsor;
    let region = f.region_id;
    let result = app::sponsors::register(&state.core, &user.actor, &input, &f.login, region).await;
    match result {
        Ok(password) => Ok(render(
            &register_page(&state, &user, SponsorInput::default(), None, FormErrors::default(), password).await?,
        )),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&t, &invalid.0);
            Ok(render_invalid(&register_page(&state, &user, input, region, errors, String::new()).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

pub(super) fn sponsor_state(s: &app::entity::sponsor::Model) -> &'static str {
    match (s.approved, s.rejected) {
        (true, _) => "approved",
        (false, true) => "rejected",
        (false, false) => "pending",
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct DecisionForm {
    #[serde(default)]
    decision: String,
}

/// The region coordinator approves or refuses a self-registered sponsor.
pub(super) async fn decide(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, PageError> {
    app::sponsors::decide(&state.core, &user.actor, SponsorId(id), f.decision == "approve").await.page(&user.t)?;
    Ok(Redirect::to("/sponsors").into_response())
}

#[derive(Template)]
#[template(path = "sponsors/apply.html")]
pub(super) struct Apply {
    t: I18n,
    l: Layout,
    input: SponsorInput,
    region: Option<i64>,
    login: String,
    full_name: String,
    regions: Vec<(i64, String)>,
    kinds: Vec<(&'static str, String)>,
    errors: FormErrors,
    sent: bool,
}

pub(super) async fn apply_page_with(
    state: &AppState,
    v: &Visitor,
    f: SponsorApplication,
    errors: FormErrors,
    sent: bool,
) -> Result<Apply, PageError> {
    let t = v.t.clone();
    let regions = app::orgs::regions(&state.core).await.page(&t)?;
    Ok(Apply {
        l: Layout::new(&t, v.user.as_ref(), t.t("sponsor-apply-title")),
        input: f.sponsor,
        region: f.region_id,
        login: f.login,
        full_name: f.full_name,
        regions: regions.iter().map(|r| (r.id, t.name(&r.name_ru, &r.name_kk).to_owned())).collect(),
        kinds: SponsorKind::ALL.iter().map(|k| (k.as_str(), t.label("sponsor-kind", k.as_str()))).collect(),
        errors,
        sent,
        t,
    })
}

pub(super) async fn apply_page(State(state): State<AppState>, v: Visitor) -> Result<Response, PageError> {
    Ok(render(&apply_page_with(&state, &v, SponsorApplication::default(), FormErrors::default(), false).await?))
}

/// A sponsor registers itself; it can sign in once the region coordinator approves it.
pub(super) async fn apply(
    State(state): State<AppState>,
    v: Visitor,
    Form(f): Form<SponsorApplication>,
) -> Result<Response, PageError> {
    let t = v.t.clone();
    let result = app::sponsors::apply(&state.core, &f).await.map(|_| ());
    match result {
        Ok(()) => {
            Ok(render(&apply_page_with(&state, &v, SponsorApplication::default(), FormErrors::default(), true).await?))
        }
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&t, &invalid.0);
            let f = SponsorApplication { password: String::new(), ..f };
            Ok(render_invalid(&apply_page_with(&state, &v, f, errors, false).await?))
        }
        Err(other) => Err(PageError(t, other.into())),
    }
}
