//! Signing in and out, one's own password and language, and the start page.

use app::users::SignIn;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::Locale;
use serde::Deserialize;
use tower_sessions::Session;

use crate::client::ClientAddr;
use crate::error::{AppError, FormErrors, Localize, PageError};
use crate::extract::{LANG_COOKIE, PageUser, Visitor, cookie_locale};
use crate::render::{Layout, render};
use crate::session_store::USER_KEY;
use crate::{AppState, I18n};

#[derive(askama::Template)]
#[template(path = "account/login.html")]
pub(super) struct LoginPage {
    t: I18n,
    l: Layout,
    login: String,
    next: String,
    error: String,
}

/// The sign-in form's fields.
#[derive(Debug, Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// `?next=` after sign-in.
#[derive(Debug, Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

/// Only same-site paths, never `//evil.example`.
pub(super) fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") { next } else { "/" }
}

/// `GET /login`.
pub async fn login_page(v: Visitor, axum::extract::Query(q): axum::extract::Query<NextQuery>) -> Response {
    if v.user.is_some() {
        return Redirect::to("/").into_response();
    }
    let l = Layout::new(&v.t, None, v.t.t("login-title"));
    render(&LoginPage { t: v.t, l, login: String::new(), next: q.next, error: String::new() })
}

/// `POST /login`: argon2id check, failed attempts counted in the database, lockout.
pub async fn login(
    State(state): State<AppState>,
    v: Visitor,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let t = v.t.clone();
    let fail = |error: String, status: StatusCode| {
        let l = Layout::new(&t, None, t.t("login-title"));
        let page = LoginPage { t: t.clone(), l, login: form.login.clone(), next: form.next.clone(), error };
        let mut response = render(&page);
        *response.status_mut() = status;
        response
    };
    let u = match app::users::sign_in(&state.core, &form.login, &form.password, &client).await.page(&t)? {
        SignIn::Welcome(u) => *u,
        SignIn::Refused => return Ok(fail(t.t("login-invalid"), StatusCode::UNAUTHORIZED)),
        SignIn::AwaitingApproval => return Ok(fail(t.t("login-sponsor-pending"), StatusCode::FORBIDDEN)),
        SignIn::Rejected => return Ok(fail(t.t("login-sponsor-rejected"), StatusCode::FORBIDDEN)),
        SignIn::Throttled(wait) => {
            let minutes = ((wait + 59) / 60).to_string();
            let mut response = fail(t.t1("login-throttled", "minutes", minutes), StatusCode::TOO_MANY_REQUESTS);
            response.headers_mut().insert(header::RETRY_AFTER, wait.into());
            return Ok(response);
        }
    };
    // A language picked on the sign-in page carries over into the account.
    if let Some(locale) = cookie_locale(&headers).filter(|l| Some(*l) != u.locale()) {
        app::users::set_locale(&state.core, &u, locale).await.page(&t)?;
    }
    let internal = |e: tower_sessions::session::Error| PageError(t.clone(), AppError::Internal(e.to_string()));
    // A new session id at sign-in, so a planted cookie cannot ride into the account.
    v.session.cycle_id().await.map_err(internal)?;
    v.session.insert(USER_KEY, u.user.id).await.map_err(internal)?;
    let target = if u.user.must_change_password { "/password" } else { safe_next(&form.next) };
    Ok(Redirect::to(target).into_response())
}

/// `POST /logout`.
pub async fn logout(session: Session) -> Response {
    if let Err(e) = session.flush().await {
        tracing::error!(error = %e, "ending a session");
    }
    Redirect::to("/login").into_response()
}

#[derive(askama::Template)]
#[template(path = "account/password.html")]
pub(super) struct PasswordPage {
    t: I18n,
    l: Layout,
    forced: bool,
    errors: FormErrors,
    /// The policy's fewest characters.
    min_len: i64,
    /// The account's address for notifications.
    email: String,
    /// Just saved.
    email_saved: bool,
}

/// The password form's fields.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm: String,
}

/// `GET /password`.
pub async fn password_page(user: PageUser, Query(q): Query<SavedQuery>) -> Response {
    let l = user.layout(user.t.t("password-title"));
    let min_len = domain::password::MIN_LEN as i64;
    render(&PasswordPage {
        forced: user.u.user.must_change_password,
        email: user.u.user.email.clone().unwrap_or_default(),
        email_saved: q.saved == "email",
        t: user.t,
        l,
        errors: FormErrors::default(),
        min_len,
    })
}

/// What was just saved.
#[derive(Debug, Default, Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    saved: String,
}

/// The e-mail form's field.
#[derive(Debug, Default, Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

/// `POST /account/email`: where the account is told of its work (empty: not by e-mail).
pub async fn set_email(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<EmailForm>,
) -> Result<Response, PageError> {
    match app::users::set_own_email(&state.core, &user.actor, &form.email).await {
        Ok(_) => Ok(Redirect::to("/password?saved=email").into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let t = &user.t;
            let page = PasswordPage {
                forced: user.u.user.must_change_password,
                l: user.layout(t.t("password-title")),
                t: t.clone(),
                errors: FormErrors::new(t, &invalid.0),
                min_len: domain::password::MIN_LEN as i64,
                email: form.email,
                email_saved: false,
            };
            let mut response = render(&page);
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(user.fail(other)),
    }
}

/// `POST /password`: the current password, a new one by the policy, typed twice.
pub async fn change_password(
    State(state): State<AppState>,
    user: PageUser,
    session: Session,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let t = &user.t;
    match app::users::change_own_password(&state.core, &user.u, &form.current, &form.new_password, &form.confirm).await
    {
        // The account's sessions are gone, this one's record too: it is kept signed in under a
        // new id, saved when the response leaves.
        Ok(()) => session.cycle_id().await.map_err(|e| user.fail(AppError::Internal(e.to_string())))?,
        Err(app::Error::Invalid(invalid)) => {
            let l = user.layout(t.t("password-title"));
            let page = PasswordPage {
                forced: user.u.user.must_change_password,
                t: t.clone(),
                l,
                errors: FormErrors::new(t, &invalid.0),
                min_len: domain::password::MIN_LEN as i64,
                email: user.u.user.email.clone().unwrap_or_default(),
                email_saved: false,
            };
            let mut response = render(&page);
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
        Err(e) => return Err(user.fail(e)),
    }
    Ok(Redirect::to("/?password_changed=1").into_response())
}

/// The language switch's fields.
#[derive(Debug, Deserialize)]
pub struct LangForm {
    lang: String,
    #[serde(default)]
    back: String,
}

/// `POST /lang`: remembers the language in a cookie and, for a signed-in user, in the account.
pub async fn set_lang(
    State(state): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
    Form(form): Form<LangForm>,
) -> Result<Response, PageError> {
    let locale = Locale::parse(&form.lang).unwrap_or(v.t.locale);
    if let Some(u) = &v.user {
        app::users::set_locale(&state.core, u, locale).await.page(&v.t)?;
    }
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    let cookie = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}", locale.code());
    // Back to the page the switch was pressed on (its path only, never another site).
    let referer_path = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.parse::<axum::http::Uri>().ok())
        .and_then(|u| u.path_and_query().map(|p| p.as_str().to_owned()))
        .unwrap_or_default();
    let back = if form.back.is_empty() { referer_path.as_str() } else { form.back.as_str() };
    let mut response = Redirect::to(safe_next(back)).into_response();
    if let Ok(value) = cookie.parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}
