//! A child's record: the form to register a child and to change the record.

use app::entity::child;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::{Form, Query};
use domain::child::{Category, ChildInput, NeedInput, NeedItem};
use domain::{ChildId, ErrorCode};
use serde::Deserialize;

use super::list::{full_name, options, school_names};
use crate::error::{AppError, FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

/// The child form as the browser sends it: the record's fields as the API takes them, and the
/// needs, which the form sends as parallel lists (one row of inputs per need).
#[derive(Debug, Default, Deserialize)]
pub struct ChildForm {
    #[serde(default)]
    school_id: Option<i64>,
    /// The survey's lead this record comes from.
    #[serde(default)]
    lead_id: Option<i64>,
    #[serde(flatten)]
    child: ChildInput,
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
    /// The record as typed, with the needs of the filled rows.
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
        ChildInput { needs, ..self.child.clone() }
    }

    fn of(c: &child::Model, needs: &[app::entity::child_need::Model]) -> Self {
        let date = |d: chrono::NaiveDate| domain::format::date(d);
        let child = ChildInput {
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
            needs: Vec::new(),
            // A stored record was taken as it is: an unusual age was confirmed then.
            age_confirmed: matches!(
                domain::child::age::fit(c.birth_date, c.grade, domain::calendar::today()),
                domain::child::age::AgeFit::Unusual(_)
            ),
        };
        ChildForm {
            school_id: Some(c.school_id),
            lead_id: None,
            child,
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

pub(super) fn group(n: i64) -> String {
    domain::format::group_thousands(n)
}

#[derive(Template)]
#[template(path = "children/form.html")]
pub(super) struct FormPage {
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
pub(super) type TextField = (&'static str, String, usize, bool, &'static str);

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
        let c = &f.child;
        let identity_fields = vec![
            ("iin", v(&c.iin), 12, true, "numeric"),
            ("surname", v(&c.surname), 100, true, "text"),
            ("first_name", v(&c.first_name), 100, true, "text"),
            ("patronymic", v(&c.patronymic), 100, false, "text"),
            ("birth_date", v(&c.birth_date), 10, false, "text"),
            ("grade", v(&c.grade), 2, true, "numeric"),
        ];
        let decision_fields = vec![
            ("decision_no", v(&c.decision_no), 50, false, "text"),
            ("decision_date", v(&c.decision_date), 10, false, "text"),
        ];
        let family_fields = vec![
            ("guardian_name", v(&c.guardian_name), 200, true, "text"),
            ("guardian_relation", v(&c.guardian_relation), 50, false, "text"),
            ("guardian_phone", v(&c.guardian_phone), 20, false, "tel"),
            ("address", v(&c.address), 300, false, "text"),
            ("settlement", v(&c.settlement), 120, false, "text"),
            ("family_children", v(&c.family_children), 2, false, "numeric"),
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

pub(super) async fn school_choices(state: &AppState, user: &PageUser) -> Result<Vec<(i64, String)>, PageError> {
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
pub(super) struct NewQuery {
    school: Option<i64>,
    iin: Option<String>,
    /// A survey's lead to start from.
    lead: Option<i64>,
}

pub(super) async fn new_page(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    if !user.actor.role.can_edit_children() {
        return Err(user.fail(AppError::Forbidden));
    }
    let schools = school_choices(&state, &user).await?;
    let school_id = q.school.or_else(|| schools.first().map(|s| s.0));
    let child = ChildInput {
        iin: q.iin.unwrap_or_default(),
        consent_date: domain::format::date(domain::calendar::today()),
        ..Default::default()
    };
    let mut f = ChildForm { school_id, child, ..Default::default() };
    if let Some(lead) = q.lead {
        let (school, child) = app::survey::prefill(&state.core, &user.actor, lead).await.page(&user.t)?;
        f = ChildForm { school_id: school.or(school_id), child, lead_id: Some(lead), ..Default::default() };
    }
    let title = user.t.t("child-new-title");
    Ok(render(&FormPage::new(schools, &user, title, "/children/new".into(), f, FormErrors::default())))
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<ChildForm>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let result = app::children::register(&state.core, &user.actor, f.school_id, &f.input()).await;
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
        Ok(created) => {
            // The lead is done with its record; one ended meanwhile leaves the record as it is.
            if let Some(lead) = f.lead_id
                && let Err(e) = app::survey::registered(&state.core, &user.actor, lead, created.id).await
            {
                tracing::info!(lead, error = %e, "a survey lead not marked registered");
            }
            Ok(Redirect::to(&format!("/children/{}?saved=1", created.id)).into_response())
        }
        Err(app::Error::Invalid(invalid)) => {
            let schools = school_choices(&state, &user).await?;
            Ok(render_invalid(&form_failed(&user, schools, f, &invalid)))
        }
        Err(app::Error::Registered { child_id, school }) => {
            let schools = school_choices(&state, &user).await?;
            let invalid = domain::Invalid::one("iin", ErrorCode::AlreadyRegistered);
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

pub(super) async fn edit_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    if !user.actor.role.can_edit_children() {
        return Err(user.fail(AppError::Forbidden));
    }
    let card = app::children::card(&state.core, &user.actor, ChildId(id)).await.page(&user.t)?;
    let schools = vec![(card.school.id, user.t.name(&card.school.name_ru, &card.school.name_kk).to_owned())];
    let f = ChildForm::of(&card.child, &card.needs);
    let title = user.t.t1("child-edit-title", "name", full_name(&card.child));
    Ok(render(&FormPage::new(schools, &user, title, format!("/children/{id}/edit"), f, FormErrors::default())))
}

pub(super) async fn update(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ChildForm>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let result = app::children::change(&state.core, &user.actor, ChildId(id), &f.input()).await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/children/{id}?saved=1")).into_response()),
        Err(e @ (app::Error::Invalid(_) | app::Error::Registered { .. })) => {
            let invalid = match e {
                app::Error::Invalid(i) => i,
                _ => domain::Invalid::one("iin", ErrorCode::AlreadyRegistered),
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
