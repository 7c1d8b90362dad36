//! Transfers of a child's record between schools: asked for by the new school, decided by the
//! holding one.

use app::entity::org_unit;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::{Form, Query};
use domain::{CampaignId, ErrorCode, OrgUnitId, TransferId};
use serde::Deserialize;

use crate::error::{AppError, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render};
use crate::{AppState, I18n};

#[derive(Debug, Deserialize)]
pub(super) struct TransferForm {
    #[serde(default)]
    iin: String,
    #[serde(default)]
    school_id: Option<i64>,
    #[serde(default)]
    note: String,
}

pub(super) async fn request_transfer(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<TransferForm>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let campaign = app::campaigns::chosen(&state.core, None).await.page(&t)?;
    let iin = domain::iin::Iin::parse(&f.iin).map_err(|e| user.fail(domain::Invalid::one("iin", e.code())))?;
    let school = f.school_id.ok_or_else(|| user.fail(domain::Invalid::one("school_id", ErrorCode::Required)))?;
    app::children::request_transfer(
        &state.core,
        &user.actor,
        CampaignId(campaign.id),
        &iin,
        OrgUnitId(school),
        &f.note,
    )
    .await
    .page(&t)?;
    Ok(Redirect::to("/children/transfers?requested=1").into_response())
}

#[derive(Template)]
#[template(path = "children/transfers.html")]
pub(super) struct TransfersPage {
    t: I18n,
    l: Layout,
    rows: Vec<(i64, String, String, String, bool)>,
    requested: bool,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct TransfersQuery {
    requested: Option<String>,
}

pub(super) async fn transfers(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<TransfersQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let pending = app::children::pending_transfers(&state.core, &user.actor).await.page(&t)?;
    let mut rows = Vec::new();
    for r in pending {
        let from = app::orgs::get(&state.core, &user.actor, OrgUnitId(r.from_school_id)).await.ok();
        let to = app::orgs::get(&state.core, &user.actor, OrgUnitId(r.to_school_id)).await.ok();
        let name = |u: &Option<org_unit::Model>| {
            u.as_ref().map(|u| t.name(&u.name_ru, &u.name_kk).to_owned()).unwrap_or_else(|| t.t("another-school"))
        };
        // The holder of the record decides.
        let decides = from.is_some();
        rows.push((r.id, app::children::code(r.child_id), name(&from), name(&to), decides));
    }
    Ok(render(&TransfersPage { l: user.layout(t.t("transfers-title")), rows, requested: q.requested.is_some(), t }))
}

pub(super) async fn decide(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, decision)): Path<(i64, String)>,
) -> Result<Response, PageError> {
    let accept = match decision.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return Err(user.fail(AppError::NotFound)),
    };
    app::children::decide_transfer(&state.core, &user.actor, TransferId(id), accept).await.page(&user.t)?;
    Ok(Redirect::to("/children/transfers").into_response())
}
