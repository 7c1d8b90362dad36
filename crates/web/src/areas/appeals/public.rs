//! The public side of appeals, without sign-in and without a script: the form (choose the
//! region, district and school; type; check what was typed; send), the receipt with the code,
//! and following an appeal by its code with the applicant's "was it solved?". A form's hidden
//! trap field filled is a robot's: answered as sent, kept nowhere.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::appeal::{AppealInput, Channel, Topic, show_code};
use domain::{ErrorCode, FieldError};
use serde::Deserialize;

use crate::client::ClientAddr;
use crate::error::{FormErrors, PageError};
use crate::extract::Visitor;
use crate::places::Places;
use crate::render::{Layout, public_step, render, render_invalid};
use crate::{AppState, I18n};

/// Where the appeal is about, as chosen.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Place {
    #[serde(default)]
    region: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    qr: String,
}

/// The form as sent: every field a string, so that nothing typed is lost to a parse error.
#[derive(Debug, Default, Deserialize)]
pub(super) struct PublicForm {
    #[serde(flatten)]
    place: Place,
    #[serde(default)]
    client_key: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    anonymous: String,
    #[serde(default)]
    applicant_name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    /// `check` (show what was typed), `send`, or `edit` (back to the form).
    #[serde(default)]
    step: String,
    /// The robots' trap.
    #[serde(default)]
    website: String,
}

impl PublicForm {
    fn input(&self) -> AppealInput {
        AppealInput {
            topic: self.topic.clone(),
            anonymous: !self.anonymous.trim().is_empty(),
            applicant_name: self.applicant_name.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            district: self.place.district.clone(),
            school: self.place.school.clone(),
            text: self.text.clone(),
            ..Default::default()
        }
    }
}

#[derive(Template)]
#[template(path = "appeals/public_form.html")]
struct FormPage {
    t: I18n,
    l: Layout,
    f: PublicForm,
    p: Places,
    place_action: &'static str,
    qr: String,
    topics: Vec<(&'static str, String)>,
    errors: FormErrors,
    /// The check step: what was typed, to send or to correct.
    confirm: bool,
    topic_name: String,
}

async fn form_page(
    state: &AppState,
    v: &Visitor,
    f: PublicForm,
    errors: FormErrors,
    confirm: bool,
) -> Result<FormPage, PageError> {
    let t = v.t.clone();
    let p = crate::places::resolve(&state.core, &t, &f.place.region, &f.place.district, &f.place.school).await?;
    let topic_name = Topic::parse(&f.topic).map(|x| t.label("appeal-topic", x.as_str())).unwrap_or_default();
    let mut f = f;
    if f.client_key.trim().is_empty() {
        f.client_key = domain::raid::new_client_id();
    }
    Ok(FormPage {
        l: Layout::new(&t, v.user.as_ref(), t.t("appeal-public-title")),
        qr: f.place.qr.clone(),
        f,
        p,
        place_action: "/appeal",
        topics: Topic::ALL.iter().map(|x| (x.as_str(), t.label("appeal-topic", x.as_str()))).collect(),
        errors,
        confirm,
        topic_name,
        t,
    })
}

/// `GET /appeal`: the form, the place chosen so far (or given by a school's QR code).
pub(super) async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Query(p): Query<Place>,
) -> Result<Response, PageError> {
    let f = PublicForm { place: p, ..Default::default() };
    Ok(render(&form_page(&state, &v, f, FormErrors::default(), false).await?))
}

/// `POST /appeal`: checks what was typed and shows it back (`check`), or files it (`send`) and
/// shows the receipt; the same form sent again shows the same receipt.
pub(super) async fn send(
    State(state): State<AppState>,
    v: Visitor,
    ClientAddr(client): ClientAddr,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let t = v.t.clone();
    let f: PublicForm = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let channel = if f.place.qr.trim().is_empty() { Channel::Web } else { Channel::Qr };
    let input = f.input();
    if f.step != "send" {
        let (step, checked) = (f.step.clone(), input.parse(Some(channel)).map(drop));
        return public_step(&t, &step, checked, |errors, confirm| form_page(&state, &v, f, errors, confirm)).await;
    }
    if !f.website.trim().is_empty() {
        tracing::info!(%client, "a public appeal with its trap field filled, dropped");
        let l = Layout::new(&t, v.user.as_ref(), t.t("appeal-receipt-title"));
        return Ok(super::receipt::decoy(&t, l, channel.as_str()));
    }
    match app::appeals::file(&state.core, &input, channel, &f.client_key, &client, t.locale.code()).await {
        Ok(a) => {
            let l = Layout::new(&t, v.user.as_ref(), t.t("appeal-receipt-title"));
            super::receipt::page(&state, &t, l, &a).await
        }
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&t, &invalid.0);
            Ok(render_invalid(&form_page(&state, &v, f, errors, false).await?))
        }
        Err(other) => Err(PageError(t, other.into())),
    }
}

/// What the track page shows of an appeal, in the visitor's language.
struct Found {
    code: String,
    shown_code: String,
    status_code: String,
    status: String,
    received: String,
    due: String,
    extended: bool,
    answered: String,
    answer: String,
    can_feedback: bool,
}

impl Found {
    fn of(t: &I18n, p: app::appeals::PublicView) -> Found {
        let answered = matches!(p.status.as_str(), "answered" | "closed");
        Found {
            shown_code: show_code(&p.code),
            status: t.label("appeal-status", &p.status),
            received: t.date(&p.received_on),
            due: t.date(&p.due_on),
            extended: p.extended,
            answered: p.answered_on.map(|d| t.date(&d)).unwrap_or_default(),
            answer: p.answer.unwrap_or_default(),
            can_feedback: answered,
            status_code: p.status,
            code: p.code,
        }
    }
}

#[derive(Template)]
#[template(path = "appeals/track.html")]
struct TrackPage {
    t: I18n,
    l: Layout,
    code: String,
    found: Option<Found>,
    errors: FormErrors,
    thanks: bool,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct TrackQuery {
    #[serde(default)]
    code: String,
}

async fn track_page(
    state: &AppState,
    v: &Visitor,
    client: &str,
    code: String,
    solved: Option<bool>,
) -> Result<Response, PageError> {
    let t = v.t.clone();
    let l = Layout::new(&t, v.user.as_ref(), t.t("appeal-track-title"));
    if code.trim().is_empty() {
        let page = TrackPage { l, code, found: None, errors: FormErrors::default(), thanks: false, t };
        return Ok(render(&page));
    }
    let found = match solved {
        Some(s) => app::appeals::feedback(&state.core, &code, s, client).await,
        None => app::appeals::track(&state.core, &code, client).await,
    };
    let (found, errors) = match found {
        Ok(p) => (Some(Found::of(&t, p)), FormErrors::default()),
        Err(app::Error::Invalid(i)) => (None, FormErrors::new(&t, &i.0)),
        Err(app::Error::NotFound) => {
            (None, FormErrors::new(&t, &[FieldError::new("tracking_code", ErrorCode::AppealCodeUnknown)]))
        }
        Err(other) => return Err(PageError(t, other.into())),
    };
    let invalid = errors.any();
    let page = TrackPage { l, code, found, errors, thanks: solved.is_some(), t };
    Ok(if invalid { render_invalid(&page) } else { render(&page) })
}

/// `GET /track?code=…`: where an appeal stands.
pub(super) async fn track(
    State(state): State<AppState>,
    v: Visitor,
    ClientAddr(client): ClientAddr,
    Query(q): Query<TrackQuery>,
) -> Result<Response, PageError> {
    track_page(&state, &v, &client, q.code, None).await
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct FeedbackForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    solved: String,
}

/// `POST /track/feedback`: the applicant's "was the problem solved?".
pub(super) async fn feedback(
    State(state): State<AppState>,
    v: Visitor,
    ClientAddr(client): ClientAddr,
    axum::Form(f): axum::Form<FeedbackForm>,
) -> Result<Response, PageError> {
    track_page(&state, &v, &client, f.code, Some(f.solved == "yes")).await
}

/// `GET /track/receipt?code=…`: the appeal's receipt as PDF.
pub(super) async fn receipt(
    State(state): State<AppState>,
    v: Visitor,
    ClientAddr(client): ClientAddr,
    Query(q): Query<TrackQuery>,
) -> Result<Response, PageError> {
    let bytes = app::appeals::receipt_pdf(&state.core, &v.t, &q.code, &client)
        .await
        .map_err(|e| PageError(v.t.clone(), e.into()))?;
    let name = format!("appeal-{}.pdf", domain::appeal::normalize_code(&q.code).unwrap_or_default());
    Ok(crate::render::pdf_download(&name, bytes))
}
