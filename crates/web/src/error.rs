//! One error type for the web layer, rendered two ways: as a translated page and as the API's
//! JSON envelope. Internal errors are logged with context and never shown.

use std::collections::HashMap;

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use domain::{ErrorCode, FieldError, Invalid};
use serde::Serialize;
use utoipa::ToSchema;

use crate::I18n;

/// What a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such record.
    #[error("not found")]
    NotFound,
    /// The record lies outside the user's scope; the attempt is logged by [`crate::ops::log_denials`].
    #[error("not in scope")]
    NotInScope(Option<Box<app::Denial>>),
    /// The role does not allow it.
    #[error("forbidden")]
    Forbidden,
    /// Not signed in.
    #[error("unauthorized")]
    Unauthorized,
    /// The one-time password must be changed first.
    #[error("password change required")]
    PasswordChangeRequired,
    /// The request body is larger than the limit.
    #[error("payload too large")]
    TooLarge,
    /// Too many requests from this client: try again in so many seconds.
    #[error("throttled for {0} s")]
    Throttled(i64),
    /// Bad input, every problem listed.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// Anything else: logged, shown as a generic message.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<app::Error> for AppError {
    fn from(e: app::Error) -> Self {
        match e {
            app::Error::NotFound => AppError::NotFound,
            app::Error::NotInScope(d) => AppError::NotInScope(Some(d)),
            app::Error::Forbidden => AppError::Forbidden,
            app::Error::Invalid(i) => AppError::Invalid(i),
            app::Error::Throttled(wait) => AppError::Throttled(wait),
            app::Error::Registered { .. } => AppError::Invalid(Invalid::one("iin", ErrorCode::AlreadyRegistered)),
            app::Error::Internal(e) => AppError::Internal(e),
        }
    }
}

impl AppError {
    /// The stable code shown in the API envelope.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::NotFound => ErrorCode::NotFound,
            AppError::NotInScope(_) => ErrorCode::NotInScope,
            AppError::Forbidden => ErrorCode::Forbidden,
            AppError::Unauthorized => ErrorCode::Unauthorized,
            AppError::PasswordChangeRequired => ErrorCode::PasswordChangeRequired,
            AppError::TooLarge => ErrorCode::PayloadTooLarge,
            AppError::Throttled(_) => ErrorCode::TooManyRequests,
            AppError::Invalid(_) => ErrorCode::Validation,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::NotInScope(_) | AppError::Forbidden | AppError::PasswordChangeRequired => StatusCode::FORBIDDEN,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub(crate) fn log(&self) {
        if let AppError::Internal(detail) = self {
            tracing::error!(%detail, "internal error");
        }
    }

    /// Hands a refused attempt to the middleware that writes it to the audit log; tells a
    /// throttled client when to come back.
    fn mark(&self, response: &mut Response) {
        match self {
            AppError::NotInScope(Some(denial)) => {
                response.extensions_mut().insert(crate::ops::DenialMark((**denial).clone()));
            }
            AppError::Throttled(wait) => {
                response.headers_mut().insert(axum::http::header::RETRY_AFTER, (*wait).into());
            }
            _ => {}
        }
    }

    /// The translated message.
    pub fn message(&self, t: &I18n) -> String {
        match self {
            AppError::Throttled(wait) => t.t1(&self.code().message_key(), "minutes", (wait + 59) / 60),
            _ => t.t(&self.code().message_key()),
        }
    }
}

/// An error on a page, rendered in the user's language.
#[derive(Debug)]
pub struct PageError(pub I18n, pub AppError);

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    t: I18n,
    l: crate::render::Layout,
    messages: Vec<String>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let PageError(t, err) = self;
        err.log();
        let messages = match &err {
            AppError::Invalid(invalid) => invalid.0.iter().map(|e| t.field_error(e)).collect(),
            other => vec![other.message(&t)],
        };
        let l = crate::render::Layout::new(&t, None, t.t("error-title"));
        let page = ErrorPage { t, l, messages };
        let mut response = match page.render() {
            Ok(html) => (err.status(), Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "rendering the error page");
                err.status().into_response()
            }
        };
        err.mark(&mut response);
        response
    }
}

/// One field's problem in the API envelope.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiFieldError {
    /// The field, e.g. `name_ru`.
    pub field: String,
    /// The stable code, e.g. `required`.
    pub code: String,
    /// The translated message.
    pub message: String,
    /// The row of an imported file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
}

/// The body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiErrorBody {
    /// A stable code: `validation`, `not_found`, `not_in_scope`, `forbidden`, `unauthorized`, …
    pub code: String,
    /// The message in the caller's language.
    pub message: String,
    /// Per-field problems (for `validation`).
    pub fields: Vec<ApiFieldError>,
}

/// The envelope: `{"error": {...}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiErrorEnvelope {
    /// The error.
    pub error: ApiErrorBody,
}

/// An error from the API, rendered as the JSON envelope in the caller's language.
#[derive(Debug)]
pub struct ApiError(pub I18n, pub AppError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let ApiError(t, err) = self;
        err.log();
        let body = ApiErrorEnvelope { error: ApiErrorBody::new(&t, &err) };
        let mut response = (err.status(), Json(body)).into_response();
        err.mark(&mut response);
        response
    }
}

impl ApiErrorBody {
    /// The body of an error in the caller's language (also one record's refusal in a batch).
    pub fn new(t: &I18n, err: &AppError) -> Self {
        let fields = match err {
            AppError::Invalid(invalid) => invalid
                .0
                .iter()
                .map(|e| ApiFieldError {
                    field: e.field.clone(),
                    code: e.code.as_str().to_owned(),
                    message: t.field_error(e),
                    row: e.row,
                })
                .collect(),
            _ => Vec::new(),
        };
        ApiErrorBody { code: err.code().as_str().to_owned(), message: err.message(t), fields }
    }
}

/// Attaches the language to a failing result, for pages (`.page(&t)?`) or the API (`.api(&t)?`).
pub trait Localize<T> {
    /// For a page.
    fn page(self, t: &I18n) -> Result<T, PageError>;
    /// For the API.
    fn api(self, t: &I18n) -> Result<T, ApiError>;
}

impl<T, E: Into<AppError>> Localize<T> for Result<T, E> {
    fn page(self, t: &I18n) -> Result<T, PageError> {
        self.map_err(|e| PageError(t.clone(), e.into()))
    }
    fn api(self, t: &I18n) -> Result<T, ApiError> {
        self.map_err(|e| ApiError(t.clone(), e.into()))
    }
}

/// A form's errors, translated, by field, for showing beside each input.
#[derive(Debug, Default, Clone)]
pub struct FormErrors {
    by_field: HashMap<String, String>,
    /// Every message, in order (the summary at the top of the form).
    pub list: Vec<String>,
}

impl FormErrors {
    /// Translates every error.
    pub fn new(t: &I18n, errors: &[FieldError]) -> Self {
        let mut by_field = HashMap::new();
        let mut list = Vec::new();
        for e in errors {
            let message = t.field_error(e);
            by_field.entry(e.field.clone()).or_insert_with(|| message.clone());
            list.push(message);
        }
        Self { by_field, list }
    }

    /// The message for `field`, or an empty string.
    pub fn get(&self, field: &str) -> &str {
        self.by_field.get(field).map_or("", String::as_str)
    }

    /// Whether `field` has an error.
    pub fn has(&self, field: &str) -> bool {
        self.by_field.contains_key(field)
    }

    /// Whether there is any error.
    pub fn any(&self) -> bool {
        !self.list.is_empty()
    }
}
