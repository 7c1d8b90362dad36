//! The child registry pages: the list with search, filters, sorting and paging; the card with
//! its history; the forms; transfers; the export.

use app::children::{Card, Filter};
use app::entity::{campaign, child, org_unit};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::{Form, Query};
use chrono::Utc;
use domain::child::{Category, ChildInput, NeedInput, NeedItem, Status};
use domain::{Actor, OrgUnitId};
use serde::Deserialize;

use super::{Layout, render, render_invalid};
use crate::auth::PageUser;
use crate::error::{AppError, FormErrors, Localize, PageError};
use crate::{AppState, I18n};

/// Rows per page.
pub const PER_PAGE: u64 = 50;

/// The list's query string.
#[derive(Debug, Default, Clone, Deserialize, serde::Serialize)]
pub struct ListQuery {
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub grade: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub need: String,
    #[serde(default)]
    pub unit: Option<i64>,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub page: Option<u64>,
}

impl ListQuery {
    pub fn filter(&self) -> Filter {
        Filter {
            q: Some(self.q.clone()),
            category: Some(self.category.clone()),
            grade: self.grade.trim().parse().ok(),
            status: Some(self.status.clone()),
            need: Some(self.need.clone()),
            unit: self.unit.map(OrgUnitId),
            sort: self.sort.clone(),
        }
    }

    /// The query string of another page of the same list.
    pub fn page_link(&self, page: u64) -> String {
        let mut q = self.clone();
        q.page = Some(page);
        serde_html_query(&q)
    }

    /// The same filters, for the export link.
    pub fn as_query(&self) -> String {
        let mut q = self.clone();
        q.page = None;
        serde_html_query(&q)
    }
}

fn serde_html_query(q: &ListQuery) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    if let Some(y) = q.year {
        s.append_pair("year", &y.to_string());
    }
    for (k, v) in [
        ("q", &q.q),
        ("category", &q.category),
        ("grade", &q.grade),
        ("status", &q.status),
        ("need", &q.need),
        ("sort", &q.sort),
    ] {
        if !v.is_empty() {
            s.append_pair(k, v);
        }
    }
    if let Some(u) = q.unit {
        s.append_pair("unit", &u.to_string());
    }
    if let Some(p) = q.page {
        s.append_pair("page", &p.to_string());
    }
    s.finish()
}

/// A row of the list as shown.
pub struct Row {
    pub id: i64,
    pub name: String,
    pub iin: String,
    pub grade: i16,
    pub categories: String,
    pub status: String,
    pub school: String,
}

fn categories_label(t: &I18n, codes: &str) -> String {
    codes
        .split(',')
        .filter(|c| !c.is_empty())
        .map(|c| t.t(&format!("category-{}", c.replace('_', "-"))))
        .collect::<Vec<_>>()
        .join(", ")
}

fn full_name(c: &child::Model) -> String {
    [c.surname.as_str(), c.first_name.as_str(), c.patronymic.as_deref().unwrap_or("")]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Template)]
#[template(path = "children.html")]
struct ListPage {
    t: I18n,
    l: Layout,
    campaign: campaign::Model,
    q: ListQuery,
    rows: Vec<Row>,
    total: u64,
    page: u64,
    pages: u64,
    can_edit: bool,
    personal: bool,
    categories: Vec<(&'static str, String)>,
    statuses: Vec<(&'static str, String)>,
    needs: Vec<(&'static str, String)>,
    units: Vec<(i64, String)>,
    years: Vec<i32>,
}

fn options<T: Copy>(
    t: &I18n,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    prefix: &str,
) -> Vec<(&'static str, String)> {
    all.iter().map(|v| (code(*v), t.t(&format!("{prefix}-{}", code(*v).replace('_', "-"))))).collect()
}

async fn school_names(state: &AppState, actor: &Actor) -> Result<Vec<org_unit::Model>, AppError> {
    let filter = app::orgs::ListFilter { kind: Some(domain::OrgKind::School), ..Default::default() };
    Ok(app::orgs::list(&state.core, actor, &filter, 10_000).await?)
}

async fn list(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let campaign = app::campaigns::chosen(&state.core, q.year).await.page(&t)?;
    let page = q.page.unwrap_or(1).max(1);
    let result =
        app::children::list(&state.core, &user.actor, campaign.id, &q.filter(), page, PER_PAGE).await.page(&t)?;
    let schools = school_names(&state, &user.actor).await.page(&t)?;
    let name_of = |id: i64| {
        schools.iter().find(|s| s.id == id).map(|s| t.name(&s.name_ru, &s.name_kk).to_owned()).unwrap_or_default()
    };
    let rows = result
        .rows
        .iter()
        .map(|c| Row {
            id: c.id,
            name: full_name(c),
            iin: c.iin.clone(),
            grade: c.grade,
            categories: categories_label(&t, &c.categories),
            status: t.t(&format!("status-{}", c.status.replace('_', "-"))),
            school: name_of(c.school_id),
        })
        .collect();
    let list = ListPage {
        l: user.layout(t.t("children-title")),
        rows,
        total: result.total,
        page,
        pages: result.total.div_ceil(PER_PAGE).max(1),
        can_edit: user.actor.role.can_edit_children(),
        personal: user.actor.role.can_read_personal_data(),
        categories: options(&t, Category::ALL, Category::as_str, "category"),
        statuses: options(&t, Status::ALL, Status::as_str, "status"),
        needs: options(&t, NeedItem::ALL, NeedItem::as_str, "need"),
        units: schools.iter().map(|s| (s.id, t.name(&s.name_ru, &s.name_kk).to_owned())).collect(),
        years: app::campaigns::list(&state.core).await.page(&t)?.iter().map(|c| c.year).collect(),
        campaign,
        q,
        t,
    };
    Ok(render(&list))
}

/// The child form as the browser sends it: categories repeat, needs come as parallel lists.
#[derive(Debug, Default, Deserialize)]
pub struct ChildForm {
    #[serde(default)]
    school_id: Option<i64>,
    #[serde(default)]
    iin: String,
    #[serde(default)]
    surname: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    patronymic: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    study_language: String,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    decision_no: String,
    #[serde(default)]
    decision_date: String,
    #[serde(default)]
    guardian_name: String,
    #[serde(default)]
    guardian_relation: String,
    #[serde(default)]
    guardian_phone: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    settlement: String,
    #[serde(default)]
    family_children: String,
    #[serde(default)]
    consent_by: String,
    #[serde(default)]
    consent_method: String,
    #[serde(default)]
    consent_date: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    need_item: Vec<String>,
    #[serde(default)]
    need_size: Vec<String>,
    #[serde(default)]
    need_quantity: Vec<String>,
    #[serde(default)]
    need_cost: Vec<String>,
}

impl ChildForm {
    fn input(&self) -> ChildInput {
        let at = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
        let needs = (0..self.need_item.len().max(self.need_cost.len()))
            .map(|i| NeedInput {
                item: at(&self.need_item, i),
                size: at(&self.need_size, i),
                quantity: at(&self.need_quantity, i),
                cost: at(&self.need_cost, i),
            })
            .collect();
        ChildInput {
            iin: self.iin.clone(),
            surname: self.surname.clone(),
            first_name: self.first_name.clone(),
            patronymic: self.patronymic.clone(),
            birth_date: self.birth_date.clone(),
            grade: self.grade.clone(),
            study_language: self.study_language.clone(),
            categories: self.categories.clone(),
            decision_no: self.decision_no.clone(),
            decision_date: self.decision_date.clone(),
            guardian_name: self.guardian_name.clone(),
            guardian_relation: self.guardian_relation.clone(),
            guardian_phone: self.guardian_phone.clone(),
            address: self.address.clone(),
            settlement: self.settlement.clone(),
            family_children: self.family_children.clone(),
            consent_by: self.consent_by.clone(),
            consent_method: self.consent_method.clone(),
            consent_date: self.consent_date.clone(),
            source: self.source.clone(),
            needs,
        }
    }

    fn of(c: &child::Model, needs: &[app::entity::child_need::Model]) -> Self {
        let date = |d: chrono::NaiveDate| domain::format::date(d);
        ChildForm {
            school_id: Some(c.school_id),
            iin: c.iin.clone(),
            surname: c.surname.clone(),
            first_name: c.first_name.clone(),
            patronymic: c.patronymic.clone().unwrap_or_default(),
            birth_date: date(c.birth_date),
            grade: c.grade.to_string(),
            study_language: c.study_language.clone(),
            categories: c.categories.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            decision_no: c.decision_no.clone().unwrap_or_default(),
            decision_date: c.decision_date.map(date).unwrap_or_default(),
            guardian_name: c.guardian_name.clone(),
            guardian_relation: c.guardian_relation.clone().unwrap_or_default(),
            guardian_phone: c.guardian_phone.clone().unwrap_or_default(),
            address: c.address.clone().unwrap_or_default(),
            settlement: c.settlement.clone().unwrap_or_default(),
            family_children: c.family_children.map(|n| n.to_string()).unwrap_or_default(),
            consent_by: c.consent_by.clone(),
            consent_method: c.consent_method.clone(),
            consent_date: date(c.consent_date),
            source: c.source.clone(),
            need_item: needs.iter().map(|n| n.item.clone()).collect(),
            need_size: needs.iter().map(|n| n.size.clone().unwrap_or_default()).collect(),
            need_quantity: needs.iter().map(|n| n.quantity.to_string()).collect(),
            need_cost: needs.iter().map(|n| group(n.cost / 100)).collect(),
        }
    }

    /// Need rows to show: what was typed plus empty rows to fill, at least three.
    fn need_rows(&self) -> Vec<(usize, String, String, String, String)> {
        let at = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
        let filled = |i: usize| {
            [&self.need_item, &self.need_size, &self.need_quantity, &self.need_cost]
                .iter()
                .any(|v| !at(v, i).trim().is_empty())
        };
        // Keep row numbers as typed (errors name them), then offer two empty rows, at least three.
        let n = self.need_item.len().max(self.need_cost.len());
        let last = (0..n).filter(|i| filled(*i)).max().map_or(0, |i| i + 1);
        (0..(last + 2).max(3))
            .map(|i| {
                (i, at(&self.need_item, i), at(&self.need_size, i), at(&self.need_quantity, i), at(&self.need_cost, i))
            })
            .collect()
    }
}

fn group(n: i64) -> String {
    domain::format::group_thousands(n)
}

#[derive(Template)]
#[template(path = "child_form.html")]
struct FormPage {
    t: I18n,
    l: Layout,
    action: String,
    f: ChildForm,
    need_rows: Vec<(usize, String, String, String, String)>,
    identity_fields: Vec<TextField>,
    decision_fields: Vec<TextField>,
    family_fields: Vec<TextField>,
    errors: FormErrors,
    schools: Vec<(i64, String)>,
    categories: Vec<(&'static str, String)>,
    needs: Vec<(&'static str, String)>,
    registered: Option<Registered>,
}

/// A text input: name, value, max length, required, input mode.
type TextField = (&'static str, String, usize, bool, &'static str);

/// The IIN is registered elsewhere: where (if the user may know), and the transfer offer.
pub struct Registered {
    pub child_id: i64,
    pub school: Option<String>,
    pub in_scope: bool,
}

impl FormPage {
    fn new(
        state_schools: Vec<(i64, String)>,
        user: &PageUser,
        title: String,
        action: String,
        f: ChildForm,
        errors: FormErrors,
    ) -> Self {
        let t = user.t.clone();
        let v = |s: &String| s.clone();
        let identity_fields = vec![
            ("iin", v(&f.iin), 12, true, "numeric"),
            ("surname", v(&f.surname), 100, true, "text"),
            ("first_name", v(&f.first_name), 100, true, "text"),
            ("patronymic", v(&f.patronymic), 100, false, "text"),
            ("birth_date", v(&f.birth_date), 10, false, "text"),
            ("grade", v(&f.grade), 2, true, "numeric"),
        ];
        let decision_fields = vec![
            ("decision_no", v(&f.decision_no), 50, false, "text"),
            ("decision_date", v(&f.decision_date), 10, false, "text"),
        ];
        let family_fields = vec![
            ("guardian_name", v(&f.guardian_name), 200, true, "text"),
            ("guardian_relation", v(&f.guardian_relation), 50, false, "text"),
            ("guardian_phone", v(&f.guardian_phone), 20, false, "tel"),
            ("address", v(&f.address), 300, false, "text"),
            ("settlement", v(&f.settlement), 120, false, "text"),
            ("family_children", v(&f.family_children), 2, false, "numeric"),
        ];
        FormPage {
            l: user.layout(title),
            action,
            need_rows: f.need_rows(),
            identity_fields,
            decision_fields,
            family_fields,
            f,
            errors,
            schools: state_schools,
            categories: options(&t, Category::ALL, Category::as_str, "category"),
            needs: options(&t, NeedItem::ALL, NeedItem::as_str, "need"),
            registered: None,
            t,
        }
    }
}

async fn school_choices(state: &AppState, user: &PageUser) -> Result<Vec<(i64, String)>, PageError> {
    let t = &user.t;
    Ok(school_names(state, &user.actor)
        .await
        .page(t)?
        .iter()
        .filter(|s| s.active)
        .map(|s| (s.id, t.name(&s.name_ru, &s.name_kk).to_owned()))
        .collect())
}

#[derive(Debug, Default, Deserialize)]
struct NewQuery {
    school: Option<i64>,
    iin: Option<String>,
}

async fn new_page(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    if !user.actor.role.can_edit_children() {
        return Err(user.fail(AppError::Forbidden));
    }
    let schools = school_choices(&state, &user).await?;
    let school_id = q.school.or_else(|| schools.first().map(|s| s.0));
    let f = ChildForm {
        school_id,
        iin: q.iin.unwrap_or_default(),
        consent_date: domain::format::date(Utc::now().date_naive()),
        ..Default::default()
    };
    let title = user.t.t("child-new-title");
    Ok(render(&FormPage::new(schools, &user, title, "/children/new".into(), f, FormErrors::default())))
}

async fn create(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<ChildForm>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let campaign = app::campaigns::chosen(&state.core, None).await.page(&t)?;
    let mut errors = Vec::new();
    let school = f.school_id;
    if school.is_none() {
        errors.push(domain::FieldError::new("school_id", "required"));
    }
    let parsed = f.input().parse(Utc::now().date_naive());
    let result = match (parsed, school) {
        (Ok(fields), Some(school)) if errors.is_empty() => {
            app::children::create(&state.core, &user.actor, &campaign, OrgUnitId(school), &fields).await
        }
        (Ok(_), _) => Err(app::Error::Invalid(domain::Invalid(errors))),
        (Err(invalid), _) => {
            errors.extend(invalid.0);
            Err(app::Error::Invalid(domain::Invalid(errors)))
        }
    };
    let form_failed = |user: &PageUser, schools, f, invalid: &domain::Invalid| {
        FormPage::new(
            schools,
            user,
            user.t.t("child-new-title"),
            "/children/new".into(),
            f,
            FormErrors::new(&user.t, &invalid.0),
        )
    };
    match result {
        Ok(created) => Ok(Redirect::to(&format!("/children/{}?saved=1", created.id)).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let schools = school_choices(&state, &user).await?;
            Ok(render_invalid(&form_failed(&user, schools, f, &invalid)))
        }
        Err(app::Error::Registered { child_id, school }) => {
            let schools = school_choices(&state, &user).await?;
            let invalid = domain::Invalid::one("iin", "already_registered");
            let mut page = form_failed(&user, schools, f, &invalid);
            page.registered = Some(Registered {
                child_id,
                in_scope: school.is_some(),
                school: school.map(|s| t.name(&s.name_ru, &s.name_kk).to_owned()),
            });
            Ok(render_invalid(&page))
        }
        Err(other) => Err(user.fail(other)),
    }
}

#[derive(Template)]
#[template(path = "child.html")]
struct CardPage {
    t: I18n,
    l: Layout,
    card: Card,
    code: String,
    name: String,
    categories: String,
    school: String,
    saved: bool,
    can_edit: bool,
    statuses: Vec<(&'static str, String)>,
    errors: FormErrors,
    entries: Vec<AidRow>,
    holds: Vec<(i64, String, String, bool)>,
    aid: domain::aid::EntryInput,
    aid_sources: Vec<(&'static str, String)>,
    aid_forms: Vec<(&'static str, String)>,
}

/// A ledger entry as the card shows it.
pub struct AidRow {
    pub id: i64,
    pub date: String,
    pub source: String,
    pub form: String,
    pub amount: String,
    pub status: String,
    pub organised_by: String,
    pub reason: String,
    pub reversal: bool,
    pub reversed: bool,
    pub next: Option<(&'static str, String)>,
    /// Paid cash that takes a proof of purchase.
    pub takes_proof: bool,
    pub proofs: Vec<ProofRow>,
}

/// A proof of purchase as the card shows it.
pub struct ProofRow {
    pub id: i64,
    pub file_name: String,
    pub size: String,
    pub status: String,
    pub pending: bool,
    pub reason: String,
    pub by: String,
}

fn proof_rows(t: &I18n, proofs: &[app::entity::proof::Model], entry: i64) -> Vec<ProofRow> {
    proofs
        .iter()
        .filter(|p| p.entry_id == entry)
        .map(|p| ProofRow {
            id: p.id,
            file_name: p.file_name.clone(),
            size: t.t1("file-kb", "kb", (p.size + 1023) / 1024),
            status: t.label("proof", &p.status),
            pending: p.status == "uploaded",
            reason: p.reason.clone().unwrap_or_default(),
            by: format!("{}, {}", p.uploaded_login, t.date_time(&p.uploaded_at)),
        })
        .collect()
}

fn aid_rows(
    t: &I18n,
    entries: &[app::entity::ledger_entry::Model],
    proofs: &[app::entity::proof::Model],
) -> Vec<AidRow> {
    use domain::aid::EntryStatus;
    let reversed: std::collections::HashSet<i64> = entries.iter().filter_map(|e| e.reverses_id).collect();
    entries
        .iter()
        .map(|e| {
            let next = EntryStatus::parse(&e.status)
                .and_then(|s| match s {
                    EntryStatus::Planned => Some(EntryStatus::Delivered),
                    EntryStatus::Delivered => Some(EntryStatus::Confirmed),
                    EntryStatus::Confirmed => None,
                })
                .filter(|_| e.reverses_id.is_none() && !reversed.contains(&e.id))
                // Cash is confirmed by accepting a proof of purchase, not by hand.
                .filter(|n| !(*n == EntryStatus::Confirmed && e.form == domain::aid::Form::Cash.as_str()))
                .map(|n| (n.as_str(), t.label("aid-to", n.as_str())));
            let takes_proof = e.form == domain::aid::Form::Cash.as_str()
                && e.status == EntryStatus::Delivered.as_str()
                && e.reverses_id.is_none()
                && !reversed.contains(&e.id);
            AidRow {
                id: e.id,
                date: t.date(&e.entry_date),
                source: t.label("aid-source", &e.source),
                form: t.label("aid-form", &e.form),
                amount: t.tiyn(&e.amount),
                status: t.label("aid-status", &e.status),
                organised_by: e.organised_by.clone().unwrap_or_default(),
                reason: e.reason.clone().unwrap_or_default(),
                reversal: e.reverses_id.is_some(),
                reversed: reversed.contains(&e.id),
                next,
                takes_proof,
                proofs: proof_rows(t, proofs, e.id),
            }
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
struct CardQuery {
    saved: Option<String>,
}

async fn card_page(
    state: &AppState,
    user: &PageUser,
    id: i64,
    saved: bool,
    errors: FormErrors,
) -> Result<CardPage, PageError> {
    card_page_with(state, user, id, saved, errors, domain::aid::EntryInput::default()).await
}

async fn card_page_with(
    state: &AppState,
    user: &PageUser,
    id: i64,
    saved: bool,
    errors: FormErrors,
    aid: domain::aid::EntryInput,
) -> Result<CardPage, PageError> {
    let t = user.t.clone();
    let card = app::children::card(&state.core, &user.actor, id).await.page(&t)?;
    let entries = app::ledger::for_child(&state.core, &user.actor, id).await.page(&t)?;
    let proofs = app::proofs::for_child(&state.core, &user.actor, id).await.page(&t)?;
    let now = Utc::now();
    let holds = app::sponsors::for_child(&state.core, &user.actor, id)
        .await
        .page(&t)?
        .into_iter()
        .map(|(r, s)| {
            let active = r.status == "active" && r.expires_at > now;
            let status = if r.status == "active" && !active { "expired" } else { r.status.as_str() };
            (r.id, s.name, t.label("hold", status), active)
        })
        .collect();
    let aid = if aid.date.is_empty() {
        domain::aid::EntryInput {
            date: t.date(&Utc::now().date_naive()),
            source: "fund".into(),
            form: "cash".into(),
            ..aid
        }
    } else {
        aid
    };
    Ok(CardPage {
        l: user.layout(if card.personal { full_name(&card.child) } else { app::children::code(id) }),
        code: app::children::code(id),
        name: full_name(&card.child),
        categories: categories_label(&t, &card.child.categories),
        school: t.name(&card.school.name_ru, &card.school.name_kk).to_owned(),
        saved,
        can_edit: user.actor.role.can_edit_children(),
        statuses: options(&t, Status::ALL, Status::as_str, "status"),
        errors,
        entries: aid_rows(&t, &entries, &proofs),
        holds,
        aid,
        aid_sources: options(&t, domain::aid::Source::ALL, domain::aid::Source::as_str, "aid-source"),
        aid_forms: options(&t, domain::aid::Form::ALL, domain::aid::Form::as_str, "aid-form"),
        card,
        t,
    })
}

async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<CardQuery>,
) -> Result<Response, PageError> {
    Ok(render(&card_page(&state, &user, id, q.saved.is_some(), FormErrors::default()).await?))
}

async fn edit_page(State(state): State<AppState>, user: PageUser, Path(id): Path<i64>) -> Result<Response, PageError> {
    if !user.actor.role.can_edit_children() {
        return Err(user.fail(AppError::Forbidden));
    }
    let card = app::children::card(&state.core, &user.actor, id).await.page(&user.t)?;
    let schools = vec![(card.school.id, user.t.name(&card.school.name_ru, &card.school.name_kk).to_owned())];
    let f = ChildForm::of(&card.child, &card.needs);
    let title = user.t.t1("child-edit-title", "name", full_name(&card.child));
    Ok(render(&FormPage::new(schools, &user, title, format!("/children/{id}/edit"), f, FormErrors::default())))
}

async fn update(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ChildForm>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let result = match f.input().parse(Utc::now().date_naive()) {
        Ok(fields) => app::children::update(&state.core, &user.actor, id, &fields).await,
        Err(invalid) => Err(invalid.into()),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/children/{id}?saved=1")).into_response()),
        Err(e @ (app::Error::Invalid(_) | app::Error::Registered { .. })) => {
            let invalid = match e {
                app::Error::Invalid(i) => i,
                _ => domain::Invalid::one("iin", "already_registered"),
            };
            let schools = school_choices(&state, &user).await?;
            let title = t.t("child-edit-title");
            Ok(render_invalid(&FormPage::new(
                schools,
                &user,
                title,
                format!("/children/{id}/edit"),
                f,
                FormErrors::new(&t, &invalid.0),
            )))
        }
        Err(other) => Err(user.fail(other)),
    }
}

#[derive(Debug, Deserialize)]
struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
}

async fn set_status(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> Result<Response, PageError> {
    let result = match Status::parse(&f.status) {
        Some(status) => app::children::set_status(&state.core, &user.actor, id, status, &f.reason).await,
        None => Err(domain::Invalid::one("status", "invalid_choice").into()),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/children/{id}?saved=1")).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&card_page(&state, &user, id, false, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

#[derive(Debug, Deserialize)]
struct TransferForm {
    #[serde(default)]
    iin: String,
    #[serde(default)]
    school_id: Option<i64>,
    #[serde(default)]
    note: String,
}

async fn request_transfer(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<TransferForm>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let campaign = app::campaigns::chosen(&state.core, None).await.page(&t)?;
    let iin = domain::iin::Iin::parse(&f.iin).map_err(|e| user.fail(domain::Invalid::one("iin", e.code())))?;
    let school = f.school_id.ok_or_else(|| user.fail(domain::Invalid::one("school_id", "required")))?;
    app::children::request_transfer(&state.core, &user.actor, campaign.id, &iin, OrgUnitId(school), &f.note)
        .await
        .page(&t)?;
    Ok(Redirect::to("/children/transfers?requested=1").into_response())
}

#[derive(Template)]
#[template(path = "transfers.html")]
struct TransfersPage {
    t: I18n,
    l: Layout,
    rows: Vec<(i64, String, String, String, bool)>,
    requested: bool,
}

#[derive(Debug, Default, Deserialize)]
struct TransfersQuery {
    requested: Option<String>,
}

async fn transfers(
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

async fn decide(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, decision)): Path<(i64, String)>,
) -> Result<Response, PageError> {
    let accept = match decision.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return Err(user.fail(AppError::NotFound)),
    };
    app::children::decide_transfer(&state.core, &user.actor, id, accept).await.page(&user.t)?;
    Ok(Redirect::to("/children/transfers").into_response())
}

async fn export(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let campaign = app::campaigns::chosen(&state.core, q.year).await.page(&t)?;
    let bytes = app::export::children_xlsx(&state.core, &user.actor, &t, &campaign, &q.filter()).await.page(&t)?;
    Ok(super::xlsx_download(&format!("doroga-children-{}.xlsx", campaign.year), bytes))
}

async fn deliver_hold(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, hold)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    match app::sponsors::deliver(&state.core, &user.actor, hold, Utc::now().date_naive()).await {
        Ok(_) => Ok(Redirect::to(&format!("/children/{id}?saved=1#aid")).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&card_page(&state, &user, id, false, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

/// The aid form: an entry and whether it was already delivered.
#[derive(Debug, Default, Deserialize)]
struct AidForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    form: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    organised_by: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    above_need_reason: String,
    #[serde(default)]
    delivered: Option<String>,
}

async fn record_aid(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<AidForm>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let campaign = app::campaigns::chosen(&state.core, None).await.page(&t)?;
    let input = domain::aid::EntryInput {
        source: f.source,
        form: f.form,
        amount: f.amount,
        date: f.date,
        organised_by: f.organised_by,
        note: f.note,
        above_need_reason: f.above_need_reason,
        items: Vec::new(),
    };
    let status =
        if f.delivered.is_some() { domain::aid::EntryStatus::Delivered } else { domain::aid::EntryStatus::Planned };
    let result = match input.parse() {
        Ok(fields) => app::ledger::record(&state.core, &user.actor, &campaign, id, &fields, status).await.map(|_| ()),
        Err(invalid) => Err(invalid.into()),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/children/{id}?saved=1#aid")).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&t, &invalid.0);
            Ok(render_invalid(&card_page_with(&state, &user, id, false, errors, input).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

#[derive(Debug, Deserialize)]
struct AidStatusForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
}

async fn aid_action(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, entry, action)): Path<(i64, i64, String)>,
    Form(f): Form<AidStatusForm>,
) -> Result<Response, PageError> {
    let result = match action.as_str() {
        "status" => match domain::aid::EntryStatus::parse(&f.to) {
            Some(to) => app::ledger::set_status(&state.core, &user.actor, entry, to).await.map(|_| ()),
            None => Err(domain::Invalid::one("status", "invalid_choice").into()),
        },
        "reverse" => app::ledger::reverse(&state.core, &user.actor, entry, &f.reason).await.map(|_| ()),
        _ => return Err(user.fail(AppError::NotFound)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/children/{id}?saved=1#aid")).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&card_page(&state, &user, id, false, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

/// Receives a proof of purchase for a paid cash entry (its own body limit: photos are large).
async fn upload_proof(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, entry)): Path<(i64, i64)>,
    multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    match crate::uploads::store_proof(&state, &user.actor, entry, multipart).await.map(|_| ()) {
        Ok(()) => Ok(Redirect::to(&format!("/children/{id}?saved=1#aid")).into_response()),
        Err(AppError::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&card_page(&state, &user, id, false, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

/// Serves a proof's file to those whose scope covers the child; each opening is logged.
async fn proof_file(State(state): State<AppState>, user: PageUser, Path(id): Path<i64>) -> Result<Response, PageError> {
    crate::uploads::serve_proof(&state, &user.actor, id).await.page(&user.t)
}

#[derive(Debug, Deserialize)]
struct ProofDecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

async fn decide_proof(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ProofDecisionForm>,
) -> Result<Response, PageError> {
    let child_id = app::proofs::child_of(&state.core, &user.actor, id).await.page(&user.t)?;
    let decision = match f.decision.as_str() {
        "confirm" => app::proofs::Decision::Confirm,
        _ => app::proofs::Decision::Reject(f.reason),
    };
    match app::proofs::decide(&state.core, &user.actor, id, &decision).await {
        Ok(_) => Ok(Redirect::to(&format!("/children/{child_id}?saved=1#aid")).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&card_page(&state, &user, child_id, false, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

/// The proof upload route, with the proof size limit instead of the general one.
pub fn proof_router(limit: usize) -> Router<AppState> {
    Router::new()
        .route("/children/{id}/aid/{entry}/proof", post(upload_proof))
        .layer(axum::extract::DefaultBodyLimit::max(limit + 64 * 1024))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/children/{id}/aid", post(record_aid))
        .route("/children/{id}/holds/{hold}/deliver", post(deliver_hold))
        .route("/children/{id}/aid/{entry}/{action}", post(aid_action))
        .route("/proofs/{id}", get(proof_file))
        .route("/proofs/{id}/decide", post(decide_proof))
        .route("/children", get(list))
        .route("/children/new", get(new_page).post(create))
        .route("/children/export.xlsx", get(export))
        .route("/children/transfer", post(request_transfer))
        .route("/children/transfers", get(transfers))
        .route("/children/transfers/{id}/{decision}", post(decide))
        .route("/children/{id}", get(show))
        .route("/children/{id}/edit", get(edit_page).post(update))
        .route("/children/{id}/status", post(set_status))
}

mod import_pages {
    //! Import pages: upload, progress, outcome.

    use askama::Template;
    use axum::extract::{Multipart, Path, State};
    use axum::response::{IntoResponse, Redirect, Response};

    use tokio::io::AsyncWriteExt;

    use super::{Layout, render, school_choices};
    use crate::auth::PageUser;
    use crate::error::{AppError, Localize, PageError};
    use crate::{AppState, I18n};
    use app::child_import::Progress;

    #[derive(Template)]
    #[template(path = "child_import.html")]
    struct UploadPage {
        t: I18n,
        l: Layout,
        schools: Vec<(i64, String)>,
        columns: Vec<String>,
        error: String,
    }

    pub async fn upload_page(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
        if !user.actor.role.can_edit_children() {
            return Err(user.fail(AppError::Forbidden));
        }
        let columns = app::child_import::COLUMNS
            .iter()
            .map(|c| app::child_import::header(&state.catalog, user.t.locale, c))
            .collect();
        let schools = school_choices(&state, &user).await?;
        Ok(render(&UploadPage {
            l: user.layout(user.t.t("child-import-title")),
            schools,
            columns,
            error: String::new(),
            t: user.t.clone(),
        }))
    }

    /// Streams the upload to a temporary file (never whole in memory) and reads the school.
    pub async fn receive(
        mut multipart: Multipart,
        limit: usize,
    ) -> Result<(Option<i64>, String, tempfile::TempPath), AppError> {
        let mut school = None;
        let too_large = |e: axum::extract::multipart::MultipartError| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge
            } else {
                AppError::Invalid(domain::Invalid::one("file", "not_spreadsheet"))
            }
        };
        while let Some(mut field) = multipart.next_field().await.map_err(too_large)? {
            match field.name() {
                Some("school_id") => school = field.text().await.map_err(too_large)?.trim().parse().ok(),
                Some("file") => {
                    let name = field.file_name().unwrap_or("file").to_owned();
                    let temp = tempfile::NamedTempFile::new().map_err(|e| AppError::Internal(e.to_string()))?;
                    let (file, path) = temp.into_parts();
                    let mut file = tokio::fs::File::from_std(file);
                    let mut size = 0usize;
                    while let Some(chunk) = field.chunk().await.map_err(too_large)? {
                        size += chunk.len();
                        if size > limit {
                            return Err(AppError::TooLarge);
                        }
                        file.write_all(&chunk).await.map_err(|e| AppError::Internal(e.to_string()))?;
                    }
                    file.flush().await.map_err(|e| AppError::Internal(e.to_string()))?;
                    if size == 0 {
                        return Err(AppError::Invalid(domain::Invalid::one("file", "file_empty")));
                    }
                    return Ok((school, name, path));
                }
                _ => {}
            }
        }
        Err(AppError::Invalid(domain::Invalid::one("file", "required")))
    }

    pub async fn upload(
        State(state): State<AppState>,
        user: PageUser,
        multipart: Multipart,
    ) -> Result<Response, PageError> {
        let (school, name, path) = receive(multipart, state.config.import_limit).await.page(&user.t)?;
        let job = app::child_import::start(&state.core, &user.actor, school, &name, path).await.page(&user.t)?;
        Ok(Redirect::to(&format!("/children/import/{job}")).into_response())
    }

    #[derive(Template)]
    #[template(path = "child_import_job.html")]
    struct JobPage {
        t: I18n,
        l: Layout,
        status: JobStatus,
    }

    #[derive(Template)]
    #[template(path = "child_import_status.html")]
    struct JobFragment {
        t: I18n,
        status: JobStatus,
    }

    /// A job as shown: progress while it runs, the outcome after.
    pub struct JobStatus {
        pub id: i64,
        pub running: bool,
        pub progress: Option<Progress>,
        pub percent: u64,
        pub summary: Option<app::child_import::Summary>,
        pub errors: Vec<(usize, String, String)>,
        pub error_count: i64,
    }

    /// Reads a job's status for its page, its fragment or the API.
    pub fn status_of(t: &I18n, view: &app::child_import::JobView) -> JobStatus {
        JobStatus {
            id: view.job.id,
            running: view.running(),
            progress: view.progress,
            percent: view.percent(),
            summary: view.summary,
            errors: view.errors.iter().map(|e| (e.row.unwrap_or(0), t.field(&e.field), t.field_error(e))).collect(),
            error_count: view.job.error_count,
        }
    }

    pub async fn job_page(
        State(state): State<AppState>,
        user: PageUser,
        Path(id): Path<i64>,
    ) -> Result<Response, PageError> {
        let view = app::child_import::job(&state.core, &user.actor, id).await.page(&user.t)?;
        let status = status_of(&user.t, &view);
        Ok(render(&JobPage {
            l: user.layout(user.t.t1("child-import-job", "file", &view.job.file_name)),
            status,
            t: user.t.clone(),
        }))
    }

    pub async fn job_fragment(
        State(state): State<AppState>,
        user: PageUser,
        Path(id): Path<i64>,
    ) -> Result<Response, PageError> {
        let view = app::child_import::job(&state.core, &user.actor, id).await.page(&user.t)?;
        let status = status_of(&user.t, &view);
        Ok(render(&JobFragment { status, t: user.t.clone() }))
    }

    pub async fn template(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
        let bytes = app::child_import::template(&state.catalog, user.t.locale)
            .map_err(|e| user.fail(AppError::Internal(e.to_string())))?;
        Ok(crate::pages::xlsx_download("doroga-children-template.xlsx", bytes))
    }
}

pub use import_pages::receive as receive_upload;

/// The import routes, with the larger body limit of imports.
pub fn import_router(limit: usize) -> Router<AppState> {
    Router::new()
        .route("/children/import", get(import_pages::upload_page).post(import_pages::upload))
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .route("/children/import/template.xlsx", get(import_pages::template))
        .route("/children/import/{id}", get(import_pages::job_page))
        .route("/children/import/{id}/status", get(import_pages::job_fragment))
}
