//! Sponsors as the region's coordinators see them: the list, registering one with an account,
//! approving an application; and the public application form.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::aid::{SponsorApplication, SponsorInput, SponsorKind};
use domain::{OrgKind, Role, SponsorId};
use serde::Deserialize;

use crate::client::ClientAddr;
use crate::error::{FormErrors, Localize, PageError};
use crate::extract::{PageUser, Visitor};
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

#[derive(Template)]
#[template(path = "sponsors/list.html")]
pub(super) struct Register {
    t: I18n,
    l: Layout,
    rows: Vec<SponsorRow>,
    regions: Vec<(i64, String)>,
    kinds: Vec<(&'static str, String)>,
    input: SponsorInput,
    region: Option<i64>,
    errors: FormErrors,
    can_register: bool,
    password: String,
}

/// A sponsor in the coordinator's list.
pub(super) struct SponsorRow {
    id: i64,
    name: String,
    kind: String,
    bin_iin: String,
    phone: String,
    email: String,
    state: String,
    /// An application still to decide.
    pending: bool,
    /// Why it looks like another sponsor (empty if it does not).
    like: String,
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
    let likely = app::sponsors::likely_duplicates(&sponsors);
    let filter = app::orgs::ListFilter { kind: Some(OrgKind::Region), ..Default::default() };
    let regions = app::orgs::list(&state.core, &user.actor, &filter, 100).await.page(&t)?;
    Ok(Register {
        l: user.layout(t.t("sponsors-title")),
        rows: sponsors
            .iter()
            .map(|s| SponsorRow {
                id: s.id,
                name: s.name.clone(),
                kind: t.label("sponsor-kind", &s.kind),
                bin_iin: s.bin_iin.clone().unwrap_or_default(),
                phone: s.phone.clone().unwrap_or_default(),
                email: s.email.clone().unwrap_or_default(),
                state: t.label("sponsor-state", sponsor_state(s)),
                pending: !s.approved && !s.rejected,
                like: likely.get(&s.id).map_or_else(String::new, |why| {
                    why.iter().map(|w| t.label("sponsor-like", w.as_str())).collect::<Vec<_>>().join(", ")
                }),
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
    input: SponsorApplication,
    /// The login given to the account (once sent).
    login: String,
    regions: Vec<(i64, String)>,
    kinds: Vec<(&'static str, String)>,
    errors: FormErrors,
    sent: bool,
}

pub(super) async fn apply_page_with(
    state: &AppState,
    v: &Visitor,
    input: SponsorApplication,
    errors: FormErrors,
    login: Option<String>,
) -> Result<Apply, PageError> {
    let t = v.t.clone();
    let regions = app::orgs::regions(&state.core).await.page(&t)?;
    Ok(Apply {
        l: Layout::new(&t, v.user.as_ref(), t.t("sponsor-apply-title")),
        input,
        sent: login.is_some(),
        login: login.unwrap_or_default(),
        regions: regions.iter().map(|r| (r.id, t.name(&r.name_ru, &r.name_kk).to_owned())).collect(),
        kinds: SponsorKind::ALL.iter().map(|k| (k.as_str(), t.label("sponsor-kind", k.as_str()))).collect(),
        errors,
        t,
    })
}

pub(super) async fn apply_page(State(state): State<AppState>, v: Visitor) -> Result<Response, PageError> {
    Ok(render(&apply_page_with(&state, &v, SponsorApplication::default(), FormErrors::default(), None).await?))
}

/// The form's trap for robots: a field no person sees or fills.
#[derive(Debug, Default, Deserialize)]
struct Trap {
    #[serde(default)]
    website: String,
}

/// A sponsor registers itself; it can sign in once the region coordinator approves it. A form
/// whose hidden trap field is filled came from a robot: it is answered as sent and kept nowhere.
pub(super) async fn apply(
    State(state): State<AppState>,
    v: Visitor,
    ClientAddr(client): ClientAddr,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let t = v.t.clone();
    let f: SponsorApplication = serde_urlencoded::from_bytes(&body)
        .map_err(|e| PageError(t.clone(), crate::error::AppError::Invalid(bad_form(&e))))?;
    let trap: Trap = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    if !trap.website.trim().is_empty() {
        tracing::info!(%client, "a sponsor application with its trap field filled, dropped");
        let login = domain::user::given_login();
        return Ok(render(
            &apply_page_with(&state, &v, SponsorApplication::default(), FormErrors::default(), Some(login)).await?,
        ));
    }
    match app::sponsors::apply(&state.core, &f, &client).await {
        Ok((_, login)) => Ok(render(
            &apply_page_with(&state, &v, SponsorApplication::default(), FormErrors::default(), Some(login)).await?,
        )),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&t, &invalid.0);
            let f = SponsorApplication { password: String::new(), ..f };
            Ok(render_invalid(&apply_page_with(&state, &v, f, errors, None).await?))
        }
        Err(other) => Err(PageError(t, other.into())),
    }
}

/// A form body that does not parse: its one number, the region, is not one of the list.
fn bad_form(e: &serde_urlencoded::de::Error) -> domain::Invalid {
    tracing::debug!(error = %e, "a sponsor application that does not parse");
    domain::Invalid::one("region", domain::ErrorCode::InvalidChoice)
}
