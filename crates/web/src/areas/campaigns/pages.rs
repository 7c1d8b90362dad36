//! Campaign years: the republic opens a campaign; the republic or a region sets the region's
//! cash norm.

use app::entity::campaign;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::child::CampaignInput;
use domain::{CampaignId, ErrorCode, OrgKind, OrgUnitId, Role};
use serde::Deserialize;

use crate::error::{FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

#[derive(Template)]
#[template(path = "campaigns/list.html")]
struct CampaignsPage {
    t: I18n,
    l: Layout,
    campaigns: Vec<campaign::Model>,
    current: Option<campaign::Model>,
    norms: Vec<(i64, String, String, bool)>,
    can_create: bool,
    fields: Vec<(&'static str, String)>,
    errors: FormErrors,
    saved: bool,
}

async fn page_for(
    state: &AppState,
    user: &PageUser,
    input: CampaignInput,
    errors: FormErrors,
    saved: bool,
) -> Result<CampaignsPage, PageError> {
    let t = user.t.clone();
    let campaigns = app::campaigns::list(&state.core).await.page(&t)?;
    let current = app::campaigns::current(&state.core).await.page(&t)?;
    let mut norms = Vec::new();
    if let Some(c) = &current {
        let filter = app::orgs::ListFilter { kind: Some(OrgKind::Region), ..Default::default() };
        let regions = if user.actor.role.can_view_orgs() {
            app::orgs::list(&state.core, &user.actor, &filter, 100).await.page(&t)?
        } else {
            Vec::new()
        };
        for r in regions {
            let norm = app::campaigns::norm_for(&state.core, c, OrgUnitId(r.id)).await.page(&t)?;
            let editable = matches!(user.actor.role, Role::RepublicCoordinator | Role::RegionCoordinator);
            norms.push((
                r.id,
                t.name(&r.name_ru, &r.name_kk).to_owned(),
                domain::format::group_thousands(norm.0 / 100),
                editable,
            ));
        }
    }
    Ok(CampaignsPage {
        l: user.layout(t.t("campaigns-title")),
        campaigns,
        current,
        norms,
        can_create: user.actor.role == Role::RepublicCoordinator,
        fields: vec![
            ("year", input.year),
            ("starts_on", input.starts_on),
            ("ends_on", input.ends_on),
            ("motto_ru", input.motto_ru),
            ("motto_kk", input.motto_kk),
            ("default_norm", input.default_norm),
        ],
        errors,
        saved,
        t,
    })
}

#[derive(Debug, Default, Deserialize)]
struct SavedQuery {
    saved: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Result<Response, PageError> {
    Ok(render(&page_for(&state, &user, CampaignInput::default(), FormErrors::default(), q.saved.is_some()).await?))
}

async fn create(
    State(state): State<AppState>,
    user: PageUser,
    Form(input): Form<CampaignInput>,
) -> Result<Response, PageError> {
    let result = app::campaigns::open(&state.core, &user.actor, &input).await;
    match result {
        Ok(_) => Ok(Redirect::to("/campaigns?saved=1").into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&page_for(&state, &user, input, errors, false).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

#[derive(Debug, Deserialize)]
struct NormForm {
    #[serde(default)]
    cash_norm: String,
}

async fn set_norm(
    State(state): State<AppState>,
    user: PageUser,
    Path(region): Path<i64>,
    Form(f): Form<NormForm>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let current = app::campaigns::chosen(&state.core, None).await.page(&t)?;
    let result = match domain::child::parse_tenge(&f.cash_norm) {
        Some(norm) => {
            app::campaigns::set_norm(&state.core, &user.actor, CampaignId(current.id), OrgUnitId(region), norm).await
        }
        None => Err(domain::Invalid::one("cash_norm", ErrorCode::AmountFormat).into()),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/campaigns?saved=1").into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&t, &invalid.0);
            Ok(render_invalid(&page_for(&state, &user, CampaignInput::default(), errors, false).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/campaigns", get(list).post(create)).route("/campaigns/norms/{region}", post(set_norm))
}
