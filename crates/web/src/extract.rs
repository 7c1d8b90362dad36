//! Who is asking, and what they sent: the session or API token behind a request with the
//! language to answer in (`Visitor`, `PageUser`, `ApiUser`), and a JSON body whose rejection comes
//! back in the API's error envelope. Every area's handlers take these.

use app::users::UserWithUnit;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRef, FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::{Actor, ErrorCode, Locale, UserId};
use tower_sessions::Session;

use crate::error::{ApiError, AppError, Localize, PageError};
use crate::render::Layout;
use crate::session_store::USER_KEY;
use crate::{AppState, I18n};

/// Who turned out to be asking, for the audit log of a refusal: the middleware (`ops::log_denials`)
/// puts an empty slot on each request, and the extractors of a signed-in user fill it.
#[derive(Clone, Default)]
pub struct Caller(pub std::sync::Arc<std::sync::Mutex<Option<Actor>>>);

impl Caller {
    fn set(parts: &Parts, actor: &Actor) {
        if let Some(c) = parts.extensions.get::<Caller>() {
            *c.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(actor.clone());
        }
    }

    /// The actor, if a signed-in user's extractor ran.
    pub fn actor(&self) -> Option<Actor> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
}

/// The language cookie for visitors who are not signed in.
pub const LANG_COOKIE: &str = "doroga_lang";

/// The language cookie's value, if it names a language.
pub fn cookie_locale(headers: &HeaderMap) -> Option<Locale> {
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
        Caller::set(parts, &actor);
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
            Some(secret) => app::tokens::authenticate(&app.core, secret).await.api(&fallback)?,
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
        Caller::set(parts, &actor);
        Ok(ApiUser { t, u, actor })
    }
}

/// A JSON body whose rejection (malformed JSON, wrong type) comes back in the error envelope.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    AppState: axum::extract::FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        let app = <AppState as axum::extract::FromRef<S>>::from_ref(state);
        let t = app.i18n(visitor_locale(req.headers()));
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => {
                tracing::debug!(%rejection, "bad JSON body");
                Err(ApiError(t, AppError::Invalid(domain::Invalid::one("body", ErrorCode::MalformedJson))))
            }
        }
    }
}
