//! The sponsor portal (anonymised needs, holds, deliveries, what the help did) and the
//! coordinators' register of sponsors.

use app::sponsors::{AnonymousNeed, NeedFilter};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use domain::aid::{SponsorInput, SponsorKind};
use domain::{OrgKind, Role};
use serde::Deserialize;

use super::{Layout, render, render_invalid};
use crate::auth::{PageUser, Visitor};
use crate::error::{FormErrors, Localize, PageError};
use crate::{AppState, I18n};

#[derive(Debug, Default, Deserialize)]
struct PortalQuery {
    #[serde(default)]
    grade: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    max_cost: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    done: Option<String>,
}

/// A need line of the portal.
pub struct NeedLine {
    pub need_id: i64,
    pub who: String,
    pub school: String,
    pub item: String,
    pub cost: String,
}

/// A hold line of the portal.
pub struct HoldLine {
    pub id: i64,
    pub item: String,
    pub cost: String,
    pub status: String,
    pub until: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "sponsor_portal.html")]
struct Portal {
    t: I18n,
    l: Layout,
    name: String,
    needs: Vec<NeedLine>,
    holds: Vec<HoldLine>,
    helped: usize,
    items: usize,
    sum: String,
    grade: String,
    sex: String,
    item: String,
    max_cost: String,
    unit: String,
    units: Vec<(i64, String)>,
    items_options: Vec<(&'static str, String)>,
    message: String,
}

fn need_line(t: &I18n, n: &AnonymousNeed) -> NeedLine {
    NeedLine {
        need_id: n.need_id,
        who: format!("{}: {}, {}", n.code, t.label("sponsor-child", &n.sex), t.t1("sponsor-grade", "grade", n.grade)),
        school: format!("{}, {}", t.name(&n.school_ru, &n.school_kk), n.settlement),
        item: format!(
            "{}{}",
            t.label("need", &n.item),
            n.size.as_deref().map(|s| format!(" ({s})")).unwrap_or_default()
        ),
        cost: t.tiyn(&n.cost),
    }
}

async fn portal(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<PortalQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let sponsor = app::sponsors::sponsor_of(&state.core, &user.actor).await.page(&t)?;
    let c = app::campaigns::chosen(&state.core, None).await.page(&t)?;
    let filter = NeedFilter {
        grade: q.grade.trim().parse().ok(),
        sex: Some(q.sex.clone()),
        item: Some(q.item.clone()),
        max_cost: domain::child::parse_tenge(&q.max_cost).map(|t| t.0),
        unit: q.unit.trim().parse().ok(),
    };
    // Districts and schools of the sponsor's region, to narrow the needs down.
    let units = app::sponsors::places(&state.core, &user.actor)
        .await
        .page(&t)?
        .into_iter()
        .map(|u| {
            let name = t.name(&u.name_ru, &u.name_kk);
            let label = if u.kind == "school" { format!("— {name}") } else { name.to_owned() };
            (u.id, label)
        })
        .collect();
    let needs = app::sponsors::open_needs(&state.core, &user.actor, &c, &filter, 200).await.page(&t)?;
    let holds = app::sponsors::mine(&state.core, &user.actor).await.page(&t)?;
    let (helped, items, sum) = app::sponsors::impact(&state.core, &user.actor).await.page(&t)?;
    let now = Utc::now();
    let page = Portal {
        l: user.layout(t.t("sponsor-portal-title")),
        name: sponsor.name,
        needs: needs.iter().map(|n| need_line(&t, n)).collect(),
        holds: holds
            .iter()
            .map(|(r, n)| {
                let active = r.status == "active" && r.expires_at > now;
                let status = if r.status == "active" && !active { "expired" } else { r.status.as_str() };
                HoldLine {
                    id: r.id,
                    item: t.label("need", &n.item),
                    cost: t.tiyn(&n.cost),
                    status: t.label("hold", status),
                    until: t.date_time(&r.expires_at),
                    active,
                }
            })
            .collect(),
        helped,
        items,
        sum: t.tiyn(&sum),
        grade: q.grade,
        sex: q.sex,
        item: q.item,
        max_cost: q.max_cost,
        unit: q.unit,
        units,
        items_options: domain::child::NeedItem::ALL.iter().map(|i| (i.as_str(), t.label("need", i.as_str()))).collect(),
        message: q.done.map(|d| t.label("sponsor-done", &d)).unwrap_or_default(),
        t,
    };
    Ok(render(&page))
}

async fn reserve(State(state): State<AppState>, user: PageUser, Path(need): Path<i64>) -> Result<Response, PageError> {
    app::sponsors::reserve(&state.core, &user.actor, need).await.page(&user.t)?;
    Ok(Redirect::to("/sponsor?done=reserved").into_response())
}

async fn deliver(State(state): State<AppState>, user: PageUser, Path(id): Path<i64>) -> Result<Response, PageError> {
    app::sponsors::deliver(&state.core, &user.actor, id, Utc::now().date_naive()).await.page(&user.t)?;
    Ok(Redirect::to("/sponsor?done=delivered").into_response())
}

#[derive(Template)]
#[template(path = "sponsors.html")]
struct Register {
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

async fn register_page(
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

async fn sponsors(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    Ok(render(
        &register_page(&state, &user, SponsorInput::default(), None, FormErrors::default(), String::new()).await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
struct RegisterForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    bin_iin: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    region_id: Option<i64>,
    #[serde(default)]
    login: String,
}

async fn register(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<RegisterForm>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let input = SponsorInput { kind: f.kind, name: f.name, bin_iin: f.bin_iin, contact: f.contact, phone: f.phone };
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

/// A line of the help report as shown.
pub struct ReportLine {
    pub date: String,
    pub code: String,
    pub grade: i16,
    pub school: String,
    pub items: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "sponsor_report.html")]
struct Report {
    t: I18n,
    l: Layout,
    lines: Vec<ReportLine>,
    children: usize,
    total: String,
}

fn report_lines(t: &I18n, lines: &[app::sponsors::HelpLine]) -> Vec<ReportLine> {
    lines
        .iter()
        .map(|l| ReportLine {
            date: t.date(&l.date),
            code: l.code.clone(),
            grade: l.grade,
            school: t.name(&l.school_ru, &l.school_kk).to_owned(),
            items: app::export::items_text(t, &l.items),
            amount: t.tiyn(&l.amount),
        })
        .collect()
}

/// What the sponsor's help did, line by line (anonymised: codes, grades, schools).
async fn report(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let t = user.t.clone();
    let (_, lines) = app::sponsors::help_report(&state.core, &user.actor).await.page(&t)?;
    let (children, total) = app::sponsors::summary(&lines);
    let page = Report {
        l: user.layout(t.t("sponsor-report-title")),
        lines: report_lines(&t, &lines),
        children,
        total: t.tiyn(&total),
        t,
    };
    Ok(render(&page))
}

async fn report_xlsx(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let t = user.t.clone();
    let (_, lines) = app::sponsors::help_report(&state.core, &user.actor).await.page(&t)?;
    let bytes = app::export::sponsor_report_xlsx(&t, &lines).page(&t)?;
    Ok(super::xlsx_download("help.xlsx", bytes))
}

/// The thank-you letter: the campaign thanks the sponsor for the children, items and sums it
/// gave, by school; no child is named.
async fn letter(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    let bytes = app::export::letter_pdf(&state.core, &user.actor, &user.t).await.page(&user.t)?;
    Ok(super::pdf_download("letter.pdf", bytes))
}

fn sponsor_state(s: &app::entity::sponsor::Model) -> &'static str {
    match (s.approved, s.rejected) {
        (true, _) => "approved",
        (false, true) => "rejected",
        (false, false) => "pending",
    }
}

#[derive(Debug, Deserialize)]
struct DecisionForm {
    #[serde(default)]
    decision: String,
}

/// The region coordinator approves or refuses a self-registered sponsor.
async fn decide(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, PageError> {
    app::sponsors::decide(&state.core, &user.actor, id, f.decision == "approve").await.page(&user.t)?;
    Ok(Redirect::to("/sponsors").into_response())
}

#[derive(Template)]
#[template(path = "sponsor_apply.html")]
struct Apply {
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

#[derive(Debug, Default, Deserialize)]
struct ApplyForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    bin_iin: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    region_id: Option<i64>,
    #[serde(default)]
    login: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    password: String,
}

async fn apply_page_with(
    state: &AppState,
    v: &Visitor,
    f: ApplyForm,
    errors: FormErrors,
    sent: bool,
) -> Result<Apply, PageError> {
    let t = v.t.clone();
    let regions =
        app::orgs::regions(&state.core).await.map_err(|e| PageError(t.clone(), app::Error::from(e).into()))?;
    Ok(Apply {
        l: Layout::new(&t, v.user.as_ref(), t.t("sponsor-apply-title")),
        input: SponsorInput { kind: f.kind, name: f.name, bin_iin: f.bin_iin, contact: f.contact, phone: f.phone },
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

async fn apply_page(State(state): State<AppState>, v: Visitor) -> Result<Response, PageError> {
    Ok(render(&apply_page_with(&state, &v, ApplyForm::default(), FormErrors::default(), false).await?))
}

/// A sponsor registers itself; it can sign in once the region coordinator approves it.
async fn apply(State(state): State<AppState>, v: Visitor, Form(f): Form<ApplyForm>) -> Result<Response, PageError> {
    let t = v.t.clone();
    let input = SponsorInput {
        kind: f.kind.clone(),
        name: f.name.clone(),
        bin_iin: f.bin_iin.clone(),
        contact: f.contact.clone(),
        phone: f.phone.clone(),
    };
    let application = app::sponsors::Application {
        sponsor: &input,
        login: &f.login,
        full_name: &f.full_name,
        password: &f.password,
        region: f.region_id,
    };
    let result = app::sponsors::apply(&state.core, &application).await.map(|_| ());
    match result {
        Ok(()) => Ok(render(&apply_page_with(&state, &v, ApplyForm::default(), FormErrors::default(), true).await?)),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&t, &invalid.0);
            let f = ApplyForm { password: String::new(), ..f };
            Ok(render_invalid(&apply_page_with(&state, &v, f, errors, false).await?))
        }
        Err(other) => Err(PageError(t, other.into())),
    }
}

/// Every field of a self-registration, every error at once.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sponsor", get(portal))
        .route("/sponsor/reserve/{need}", post(reserve))
        .route("/sponsor/deliver/{id}", post(deliver))
        .route("/sponsors", get(sponsors).post(register))
        .route("/sponsors/{id}/decide", post(decide))
        .route("/sponsors/apply", get(apply_page).post(apply))
        .route("/sponsor/report", get(report))
        .route("/sponsor/report.xlsx", get(report_xlsx))
        .route("/sponsor/letter.pdf", get(letter))
}
