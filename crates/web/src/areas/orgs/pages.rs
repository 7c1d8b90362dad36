//! Org unit pages: a unit with its sub-units (and a school's fund), create, edit, deactivate.

use app::entity::org_unit::Model;
use app::orgs::{ListFilter, kind_of};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::org::OrgUnitInput;
use domain::{ErrorCode, OrgKind, OrgUnitId};
use serde::Deserialize;

use crate::error::{AppError, FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{ActiveForm, Layout, render, render_invalid};
use crate::{AppState, I18n};

/// A unit as the templates show it.
pub struct UnitView {
    pub id: i64,
    pub kind: String,
    pub code: String,
    pub name: String,
    pub name_ru: String,
    pub name_kk: String,
    pub settlement: String,
    pub locality: String,
    pub language: String,
    pub active: bool,
}

impl UnitView {
    pub fn new(t: &I18n, u: &Model) -> Self {
        UnitView {
            id: u.id,
            kind: t.kind(&u.kind),
            code: u.code.clone().unwrap_or_default(),
            name: t.name(&u.name_ru, &u.name_kk).to_owned(),
            name_ru: u.name_ru.clone(),
            name_kk: u.name_kk.clone(),
            settlement: u.settlement.clone().unwrap_or_default(),
            locality: match u.is_rural {
                Some(true) => t.t("locality-rural-label"),
                Some(false) => t.t("locality-urban-label"),
                None => String::new(),
            },
            language: u.language.as_deref().map(|l| t.t(&format!("language-{l}-label"))).unwrap_or_default(),
            active: u.active,
        }
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct ChildQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    inactive: Option<String>,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    planned: Option<usize>,
    #[serde(default)]
    delivered: Option<usize>,
    #[serde(default)]
    short: Option<usize>,
}

#[derive(Template)]
#[template(path = "orgs/unit.html")]
pub(super) struct UnitPage {
    t: I18n,
    l: Layout,
    unit: UnitView,
    crumbs: Vec<UnitView>,
    children: Vec<UnitView>,
    child_kind: String,
    q: String,
    inactive: bool,
    sort: String,
    can_edit: bool,
    can_add: bool,
    can_import: bool,
    can_toggle: bool,
    /// A school: its QR poster is linked.
    poster: bool,
    saved: bool,
    fund: Option<FundView>,
    message: String,
}

/// A school's fund in the current campaign.
pub struct FundView {
    pub year: i32,
    pub allocation: String,
    pub allocation_plain: String,
    pub spent: String,
    pub balance: String,
    pub can_allocate: bool,
    pub can_pay: bool,
}

pub(super) async fn fund_view(state: &AppState, user: &PageUser, unit: &Model) -> Result<Option<FundView>, PageError> {
    if kind_of(unit) != OrgKind::School {
        return Ok(None);
    }
    let Some(c) = app::campaigns::current(&state.core).await.page(&user.t)? else { return Ok(None) };
    let fund = app::ledger::fund_of(&state.core, &user.actor, OrgUnitId(unit.id), &c).await.page(&user.t)?;
    let (allocation, spent) = fund.map_or((0, 0), |f| (f.allocation, f.spent));
    let money = |v: i64| domain::format::Tenge(v).to_string();
    Ok(Some(FundView {
        year: c.year,
        allocation: money(allocation),
        allocation_plain: domain::format::group_thousands(allocation / 100),
        spent: money(spent),
        balance: money(allocation - spent),
        can_allocate: matches!(
            user.actor.role,
            domain::Role::DistrictCoordinator | domain::Role::RegionCoordinator | domain::Role::RepublicCoordinator
        ),
        can_pay: user.actor.role.can_edit_children(),
    }))
}

pub(super) async fn unit_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(query): Query<ChildQuery>,
) -> Result<Response, PageError> {
    let t = &user.t;
    let unit = app::orgs::view(&state.core, &user.actor, OrgUnitId(id)).await.page(t)?;
    let filter = ListFilter {
        parent: Some(OrgUnitId(unit.id)),
        kind: None,
        q: Some(query.q.clone()),
        include_inactive: query.inactive.is_some(),
    };
    let mut children: Vec<UnitView> = app::orgs::list(&state.core, &user.actor, &filter, 2000)
        .await
        .page(t)?
        .iter()
        .map(|u| UnitView::new(t, u))
        .collect();
    match query.sort.as_str() {
        "name" => children.sort_by(|a, b| a.name.cmp(&b.name)),
        "settlement" => children.sort_by(|a, b| a.settlement.cmp(&b.settlement).then(a.name.cmp(&b.name))),
        _ => children.sort_by(|a, b| natural(&a.code).cmp(&natural(&b.code)).then(a.name.cmp(&b.name))),
    }
    let crumbs = app::orgs::ancestors(&state.core, &user.actor, &unit).await.page(t)?;
    let kind = kind_of(&unit);
    let coordinator = user.actor.role.is_coordinator();
    let view = UnitView::new(t, &unit);
    let fund = fund_view(&state, &user, &unit).await?;
    let message = match (query.planned, query.delivered, query.short) {
        (Some(n), _, _) => t.count("fund-planned", n as i64),
        (_, Some(n), Some(short)) => {
            format!("{} {}", t.count("fund-delivered", n as i64), t.count("fund-short", short as i64))
        }
        _ => String::new(),
    };
    let page = UnitPage {
        fund,
        message,
        l: user.layout(view.name.clone()),
        crumbs: crumbs.iter().filter(|c| c.id != unit.id).map(|c| UnitView::new(t, c)).collect(),
        children,
        child_kind: kind.child().map(|k| t.t(&format!("kinds-{}", k.as_str()))).unwrap_or_default(),
        q: query.q,
        inactive: query.inactive.is_some(),
        sort: query.sort,
        can_edit: coordinator,
        can_add: coordinator && kind.child().is_some() && unit.active,
        can_import: coordinator && matches!(kind, OrgKind::Region | OrgKind::District) && unit.active,
        can_toggle: coordinator,
        poster: kind == OrgKind::School,
        saved: query.saved.is_some(),
        unit: view,
        t: t.clone(),
    };
    Ok(render(&page))
}

/// Orders school numbers as numbers: 2 before 10.
pub(super) fn natural(code: &str) -> (u64, String) {
    let digits: String = code.chars().take_while(char::is_ascii_digit).collect();
    (digits.parse().unwrap_or(u64::MAX), code.to_owned())
}

#[derive(Template)]
#[template(path = "orgs/form.html")]
pub(super) struct UnitForm {
    t: I18n,
    l: Layout,
    action: String,
    kind: &'static str,
    input: OrgUnitInput,
    errors: FormErrors,
    code_fixed: bool,
}

pub(super) fn input_of(u: &Model) -> OrgUnitInput {
    OrgUnitInput {
        code: u.code.clone().unwrap_or_default(),
        name_ru: u.name_ru.clone(),
        name_kk: u.name_kk.clone(),
        settlement: u.settlement.clone().unwrap_or_default(),
        locality: match u.is_rural {
            Some(true) => "rural".into(),
            Some(false) => "urban".into(),
            None => String::new(),
        },
        language: u.language.clone().unwrap_or_default(),
    }
}

pub(super) async fn new_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let t = &user.t;
    let parent = app::orgs::get(&state.core, &user.actor, OrgUnitId(id)).await.page(t)?;
    let kind = kind_of(&parent).child().ok_or_else(|| user.fail(AppError::NotFound))?;
    let title = t.t1(&format!("org-new-{}", kind.as_str()), "parent", t.name(&parent.name_ru, &parent.name_kk));
    let form = UnitForm {
        l: user.layout(title),
        action: format!("/orgs/{id}/new"),
        kind: kind.as_str(),
        input: OrgUnitInput::default(),
        errors: FormErrors::default(),
        code_fixed: false,
        t: t.clone(),
    };
    Ok(render(&form))
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(input): Form<OrgUnitInput>,
) -> Result<Response, PageError> {
    let t = &user.t;
    let parent = app::orgs::get(&state.core, &user.actor, OrgUnitId(id)).await.page(t)?;
    let kind = kind_of(&parent).child().ok_or_else(|| user.fail(AppError::NotFound))?;
    let result = app::orgs::add(&state.core, &user.actor, OrgUnitId(id), &input).await;
    match result {
        Ok(unit) => Ok(Redirect::to(&format!("/orgs/{}?saved=1", unit.id)).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let title = t.t1(&format!("org-new-{}", kind.as_str()), "parent", t.name(&parent.name_ru, &parent.name_kk));
            Ok(render_invalid(&UnitForm {
                l: user.layout(title),
                action: format!("/orgs/{id}/new"),
                kind: kind.as_str(),
                errors: FormErrors::new(t, &invalid.0),
                input,
                code_fixed: false,
                t: t.clone(),
            }))
        }
        Err(other) => Err(user.fail(other)),
    }
}

pub(super) async fn edit_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let t = &user.t;
    let unit = app::orgs::get(&state.core, &user.actor, OrgUnitId(id)).await.page(t)?;
    if !user.actor.role.is_coordinator() {
        return Err(user.fail(AppError::Forbidden));
    }
    let kind = kind_of(&unit);
    let form = UnitForm {
        l: user.layout(t.t1("org-edit-title", "name", t.name(&unit.name_ru, &unit.name_kk))),
        action: format!("/orgs/{id}/edit"),
        kind: kind.as_str(),
        input: input_of(&unit),
        errors: FormErrors::default(),
        code_fixed: app::orgs::code_fixed(kind),
        t: t.clone(),
    };
    Ok(render(&form))
}

pub(super) async fn update(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(mut input): Form<OrgUnitInput>,
) -> Result<Response, PageError> {
    let t = &user.t;
    let unit = app::orgs::get(&state.core, &user.actor, OrgUnitId(id)).await.page(t)?;
    let kind = kind_of(&unit);
    let code_fixed = app::orgs::code_fixed(kind);
    if code_fixed {
        input.code = unit.code.clone().unwrap_or_default();
    }
    let result = app::orgs::change(&state.core, &user.actor, OrgUnitId(id), &input).await;
    match result {
        Ok(unit) => Ok(Redirect::to(&format!("/orgs/{}?saved=1", unit.id)).into_response()),
        Err(app::Error::Invalid(invalid)) => Ok(render_invalid(&UnitForm {
            l: user.layout(t.t1("org-edit-title", "name", t.name(&unit.name_ru, &unit.name_kk))),
            action: format!("/orgs/{id}/edit"),
            kind: kind.as_str(),
            errors: FormErrors::new(t, &invalid.0),
            input,
            code_fixed,
            t: t.clone(),
        })),
        Err(other) => Err(user.fail(other)),
    }
}

pub(super) async fn set_active(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<ActiveForm>,
) -> Result<Response, PageError> {
    let unit = app::orgs::set_active(&state.core, &user.actor, OrgUnitId(id), form.wanted()).await.page(&user.t)?;
    let back = unit.parent_id.unwrap_or(unit.id);
    Ok(Redirect::to(&format!("/orgs/{back}?inactive=1")).into_response())
}

#[derive(Debug, Deserialize)]
pub(super) struct AllocationForm {
    #[serde(default)]
    allocation: String,
}

pub(super) async fn set_allocation(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<AllocationForm>,
) -> Result<Response, PageError> {
    let t = &user.t;
    let c = app::campaigns::chosen(&state.core, None).await.page(t)?;
    let amount = domain::child::parse_tenge(&f.allocation)
        .ok_or_else(|| user.fail(domain::Invalid::one("allocation", ErrorCode::AmountFormat)))?;
    app::ledger::set_allocation(&state.core, &user.actor, OrgUnitId(id), &c, amount).await.page(t)?;
    Ok(Redirect::to(&format!("/orgs/{id}?saved=1")).into_response())
}

pub(super) async fn fund_action(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, action)): Path<(i64, String)>,
) -> Result<Response, PageError> {
    let t = &user.t;
    let c = app::campaigns::chosen(&state.core, None).await.page(t)?;
    let target = match action.as_str() {
        "plan" => {
            let n = app::ledger::plan_norm(&state.core, &user.actor, &c, OrgUnitId(id)).await.page(t)?;
            format!("/orgs/{id}?planned={n}")
        }
        "deliver" => {
            let (n, short) = app::ledger::deliver_planned(&state.core, &user.actor, &c, OrgUnitId(id)).await.page(t)?;
            format!("/orgs/{id}?delivered={n}&short={short}")
        }
        _ => return Err(user.fail(AppError::NotFound)),
    };
    Ok(Redirect::to(&target).into_response())
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{id}/fund", post(set_allocation))
        .route("/orgs/{id}/fund/{action}", post(fund_action))
        .route("/orgs/{id}", get(unit_page))
        .route("/orgs/{id}/new", get(new_page).post(create))
        .route("/orgs/{id}/edit", get(edit_page).post(update))
        .route("/orgs/{id}/active", post(set_active))
}
