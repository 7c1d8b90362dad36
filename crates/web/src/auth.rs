//! Who is asking: the session or API token behind a request, the language to answer in, and
//! the sign-in, sign-out, password and language handlers.

use app::users::{SignIn, UserWithUnit};
use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use domain::{Actor, Locale, UserId};
use serde::Deserialize;
use tower_sessions::Session;

use crate::error::{ApiError, AppError, FormErrors, Localize, PageError};
use crate::pages::{Layout, render};
use crate::session_store::USER_KEY;
use crate::{AppState, I18n};

/// The language cookie for visitors who are not signed in.
pub const LANG_COOKIE: &str = "doroga_lang";

fn cookie_locale(headers: &HeaderMap) -> Option<Locale> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == LANG_COOKIE)
        .and_then(|c| Locale::parse(c.value()))
}

/// The visitor's language: the cookie, else `Accept-Language`, else Russian.
pub fn visitor_locale(headers: &HeaderMap) -> Locale {
    cookie_locale(headers)
        .or_else(|| {
            headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::from_accept_language)
        })
        .unwrap_or_default()
}

async fn session_user(state: &AppState, session: &Session) -> Result<Option<UserWithUnit>, AppError> {
    let id = session.get::<i64>(USER_KEY).await.map_err(|e| AppError::Internal(e.to_string()))?;
    let Some(id) = id else { return Ok(None) };
    match app::users::active(&state.core, UserId(id)).await? {
        Some(u) => Ok(Some(u)),
        None => {
            session.flush().await.map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(None)
        }
    }
}

/// Any visitor, signed in or not, with their language (for public pages).
pub struct Visitor {
    /// The language to answer in.
    pub t: I18n,
    /// The signed-in user, if any.
    pub user: Option<UserWithUnit>,
    /// The session.
    pub session: Session,
}

impl<S> FromRequestParts<S> for Visitor
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let app = AppState::from_ref(state);
        let session = Session::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        let fallback = app.i18n(visitor_locale(&parts.headers));
        let user = session_user(&app, &session).await.page(&fallback).map_err(IntoResponse::into_response)?;
        let locale = user.as_ref().and_then(UserWithUnit::locale).unwrap_or(fallback.locale);
        Ok(Visitor { t: app.i18n(locale), user, session })
    }
}

/// A signed-in user on a page. Not signed in: a redirect to the sign-in page. A one-time
/// password not yet changed: a redirect to the password page.
pub struct PageUser {
    /// The language to answer in.
    pub t: I18n,
    /// The account and its unit.
    pub u: UserWithUnit,
    /// The account as an actor (role and scope).
    pub actor: Actor,
}

impl PageUser {
    /// The page frame for this user.
    pub fn layout(&self, title: impl Into<String>) -> Layout {
        Layout::new(&self.t, Some(&self.u), title.into())
    }

    /// Attaches the language to an error.
    pub fn fail(&self, e: impl Into<AppError>) -> PageError {
        PageError(self.t.clone(), e.into())
    }
}

impl<S> FromRequestParts<S> for PageUser
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        let Some(u) = visitor.user else {
            let next = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            let target = format!(
                "/login?{}",
                form_urlencoded::Serializer::new(String::new()).append_pair("next", next).finish()
            );
            return Err(Redirect::to(&target).into_response());
        };
        if u.user.must_change_password && parts.uri.path() != "/password" {
            return Err(Redirect::to("/password").into_response());
        }
        let actor = u.actor();
        Ok(PageUser { t: visitor.t, u, actor })
    }
}

/// A signed-in API caller: `Authorization: Bearer dor_…` or the browser session.
pub struct ApiUser {
    /// The language to answer in (the user's).
    pub t: I18n,
    /// The account and its unit.
    pub u: UserWithUnit,
    /// The account as an actor.
    pub actor: Actor,
}

impl ApiUser {
    /// Attaches the language to an error.
    pub fn fail(&self, e: impl Into<AppError>) -> ApiError {
        ApiError(self.t.clone(), e.into())
    }
}

impl<S> FromRequestParts<S> for ApiUser
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let app = AppState::from_ref(state);
        let fallback = app.i18n(visitor_locale(&parts.headers));
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let user = match bearer {
            Some(secret) => {
                let owner = app::tokens::authenticate(&app.core, secret).await.api(&fallback)?;
                match owner {
                    Some(id) => app::users::active(&app.core, id).await.api(&fallback)?,
                    None => None,
                }
            }
            None => {
                let session = parts.extensions.get::<Session>().cloned();
                match session {
                    Some(session) => session_user(&app, &session).await.api(&fallback)?,
                    None => None,
                }
            }
        };
        let Some(u) = user else { return Err(ApiError(fallback, AppError::Unauthorized)) };
        let t = app.i18n(u.locale().unwrap_or(fallback.locale));
        if u.user.must_change_password {
            return Err(ApiError(t, AppError::PasswordChangeRequired));
        }
        let actor = u.actor();
        Ok(ApiUser { t, u, actor })
    }
}

#[derive(askama::Template)]
#[template(path = "login.html")]
struct LoginPage {
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
fn safe_next(next: &str) -> &str {
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
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let t = v.t.clone();
    let fail = |key: &str, t: &I18n, arg: Option<String>| {
        let error = match arg {
            Some(until) => t.t1(key, "until", until),
            None => t.t(key),
        };
        let l = Layout::new(t, None, t.t("login-title"));
        let page = LoginPage { t: t.clone(), l, login: form.login.clone(), next: form.next.clone(), error };
        let mut response = render(&page);
        *response.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
        response
    };
    let u = match app::users::sign_in(&state.core, &form.login, &form.password).await.page(&t)? {
        SignIn::Welcome(u) => *u,
        SignIn::Refused => return Ok(fail("login-invalid", &t, None)),
        SignIn::Locked(until) => return Ok(fail("login-locked", &t, Some(t.date_time(&until)))),
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
#[template(path = "password.html")]
struct PasswordPage {
    t: I18n,
    l: Layout,
    forced: bool,
    errors: FormErrors,
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
pub async fn password_page(user: PageUser) -> Response {
    let l = user.layout(user.t.t("password-title"));
    render(&PasswordPage { forced: user.u.user.must_change_password, t: user.t, l, errors: FormErrors::default() })
}

/// `POST /password`: the current password, a new one by the policy, typed twice.
pub async fn change_password(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let t = &user.t;
    match app::users::change_own_password(&state.core, &user.u, &form.current, &form.new_password, &form.confirm).await
    {
        Ok(()) => {}
        Err(app::Error::Invalid(invalid)) => {
            let l = user.layout(t.t("password-title"));
            let page = PasswordPage {
                forced: user.u.user.must_change_password,
                t: t.clone(),
                l,
                errors: FormErrors::new(t, &invalid.0),
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

/// `GET /api/v1/me`: the caller's account, role and scope.
#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = crate::api::MeDto), (status = 401, body = crate::error::ApiErrorEnvelope)))]
pub async fn me(user: ApiUser) -> Json<crate::api::MeDto> {
    Json(crate::api::MeDto::from(&user.u))
}
