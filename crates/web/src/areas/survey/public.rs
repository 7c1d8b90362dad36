//! The public survey «Готов ли Ваш ребёнок к школе?», without sign-in and without a script: the
//! place (or a school's QR code), the answer, a check step, thanks. The trap field filled is a
//! robot's: thanked, kept nowhere.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use domain::child::Category;
use domain::survey::{Missing, SurveyInput};
use serde::Deserialize;

use crate::client::ClientAddr;
use crate::error::{FormErrors, PageError};
use crate::extract::Visitor;
use crate::places::Places;
use crate::render::{Layout, public_step, render, render_invalid};
use crate::{AppState, I18n};

/// The survey as sent: every field a string or a list of them.
#[derive(Debug, Default, Clone, Deserialize)]
pub(super) struct SurveyForm {
    #[serde(default)]
    region: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    qr: String,
    #[serde(default)]
    client_key: String,
    #[serde(default)]
    settlement: String,
    #[serde(default)]
    ready: String,
    #[serde(default)]
    grades: Vec<String>,
    #[serde(default)]
    missing: Vec<String>,
    #[serde(default)]
    situation: Vec<String>,
    #[serde(default)]
    help: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    consent: String,
    #[serde(default)]
    step: String,
    #[serde(default)]
    website: String,
}

impl SurveyForm {
    fn input(&self) -> SurveyInput {
        SurveyInput {
            district: self.district.clone(),
            school: self.school.clone(),
            settlement: self.settlement.clone(),
            ready: self.ready.clone(),
            grades: self.grades.clone(),
            missing: self.missing.clone(),
            situation: self.situation.clone(),
            help: self.help.clone(),
            contact_name: self.contact_name.clone(),
            phone: self.phone.clone(),
            consent: self.consent.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "survey/form.html")]
struct FormPage {
    t: I18n,
    l: Layout,
    f: SurveyForm,
    p: Places,
    place_action: &'static str,
    qr: String,
    grade_slots: Vec<(usize, String)>,
    grade_options: Vec<(String, String)>,
    missing: Vec<(&'static str, String, bool)>,
    situations: Vec<(&'static str, String, bool)>,
    errors: FormErrors,
    confirm: bool,
    /// Shown on the check step: what was chosen, in words.
    chosen_missing: String,
    chosen_situation: String,
}

async fn form_page(
    state: &AppState,
    v: &Visitor,
    f: SurveyForm,
    errors: FormErrors,
    confirm: bool,
) -> Result<FormPage, PageError> {
    let t = v.t.clone();
    let p = crate::places::resolve(&state.core, &t, &f.region, &f.district, &f.school).await?;
    let mut f = f;
    if f.client_key.trim().is_empty() {
        f.client_key = domain::raid::new_client_id();
    }
    let words = |codes: &[String], prefix: &str| {
        codes.iter().filter(|c| !c.is_empty()).map(|c| t.label(prefix, c)).collect::<Vec<_>>().join(", ")
    };
    Ok(FormPage {
        l: Layout::new(&t, v.user.as_ref(), t.t("survey-title")),
        qr: f.qr.clone(),
        grade_slots: (0..domain::survey::CHILDREN_MAX.min(4))
            .map(|i| (i, f.grades.get(i).cloned().unwrap_or_default()))
            .collect(),
        grade_options: (0..=domain::child::GRADE_MAX)
            .map(|n| (n.to_string(), if n == 0 { t.t("survey-preschool") } else { n.to_string() }))
            .collect(),
        missing: Missing::ALL
            .iter()
            .map(|m| (m.as_str(), t.label("survey-missing", m.as_str()), f.missing.iter().any(|x| x == m.as_str())))
            .collect(),
        situations: Category::ALL
            .iter()
            .map(|c| (c.as_str(), t.label("category", c.as_str()), f.situation.iter().any(|x| x == c.as_str())))
            .collect(),
        chosen_missing: words(&f.missing, "survey-missing"),
        chosen_situation: words(&f.situation, "category"),
        f,
        p,
        place_action: "/survey",
        errors,
        confirm,
        t,
    })
}

/// `GET /survey`: the form, the place chosen so far (or given by a school's QR code).
pub(super) async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Query(f): Query<SurveyForm>,
) -> Result<Response, PageError> {
    let f = SurveyForm { region: f.region, district: f.district, school: f.school, qr: f.qr, ..Default::default() };
    Ok(render(&form_page(&state, &v, f, FormErrors::default(), false).await?))
}

#[derive(Template)]
#[template(path = "survey/thanks.html")]
struct Thanks {
    t: I18n,
    l: Layout,
    lead: bool,
}

/// `POST /survey`: checks and shows back what was typed (`check`), or keeps it (`send`).
pub(super) async fn send(
    State(state): State<AppState>,
    v: Visitor,
    ClientAddr(client): ClientAddr,
    Form(f): Form<SurveyForm>,
) -> Result<Response, PageError> {
    let t = v.t.clone();
    let input = f.input();
    if f.step != "send" {
        let (step, checked) = (f.step.clone(), input.parse().map(drop));
        return public_step(&t, &step, checked, |errors, confirm| form_page(&state, &v, f, errors, confirm)).await;
    }
    let thanks =
        |lead: bool| Thanks { l: Layout::new(&t, v.user.as_ref(), t.t("survey-thanks-title")), lead, t: t.clone() };
    if !f.website.trim().is_empty() {
        tracing::info!(%client, "a survey answer with its trap field filled, dropped");
        return Ok(render(&thanks(false)));
    }
    match app::survey::answer(&state.core, &input, &f.client_key, &client, t.locale.code()).await {
        Ok(a) => Ok(render(&thanks(a.lead_status.is_some()))),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&t, &invalid.0);
            Ok(render_invalid(&form_page(&state, &v, f, errors, false).await?))
        }
        Err(other) => Err(PageError(t.clone(), other.into())),
    }
}
