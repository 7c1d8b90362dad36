//! A child's record: the form to register a child and to change the record.

use super::list::{full_name, options, school_names};
use crate::error::{AppError, FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};
use app::entity::child;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::{Form, Query};
use chrono::Utc;
use domain::OrgUnitId;
use domain::child::{Category, ChildInput, NeedInput, NeedItem};
use serde::Deserialize;

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
    let f = ChildForm {
        school_id,
        iin: q.iin.unwrap_or_default(),
        consent_date: domain::format::date(Utc::now().date_naive()),
        ..Default::default()
    };
    let title = user.t.t("child-new-title");
    Ok(render(&FormPage::new(schools, &user, title, "/children/new".into(), f, FormErrors::default())))
}

pub(super) async fn create(
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

pub(super) async fn edit_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    if !user.actor.role.can_edit_children() {
        return Err(user.fail(AppError::Forbidden));
    }
    let card = app::children::card(&state.core, &user.actor, id).await.page(&user.t)?;
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
