//! A school's poster with its QR codes (PDF, Russian or Kazakh), for the page and the API.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use axum::routing::get;
use domain::{Locale, OrgUnitId};

use crate::error::{ApiError, Localize, PageError};
use crate::extract::{ApiUser, PageUser};
use crate::{AppState, I18n};

/// `?lang=ru|kk` (the user's language by default).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct PosterQuery {
    /// `ru` or `kk`.
    #[serde(default)]
    lang: String,
}

/// The site's address as the public reaches it: the setting, the first trusted origin, or the
/// request's host.
fn base(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = state.config.public_url.as_ref().or(state.config.trusted_origins.first()) {
        return url.clone();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if state.config.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}")
}

fn language(state: &AppState, t: &I18n, q: &PosterQuery) -> I18n {
    Locale::parse(&q.lang).map_or_else(|| t.clone(), |l| state.i18n(l))
}

fn file(id: i64, t: &I18n, bytes: Vec<u8>) -> Response {
    crate::render::pdf_download(&format!("poster-{id}-{}.pdf", t.locale.code()), bytes)
}

async fn page(
    State(state): State<AppState>,
    user: PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<PosterQuery>,
) -> Result<Response, PageError> {
    let t = language(&state, &user.t, &q);
    let bytes = app::poster::poster(&state.core, &user.actor, &t, OrgUnitId(id), &base(&state, &headers))
        .await
        .map_err(|e| user.fail(e))?;
    Ok(file(id, &t, bytes))
}

/// A school's poster: the campaign, the school, a QR code to its survey and one to an appeal about
/// it, the addresses written out, the contacts (PDF; `lang` ru or kk, the user's by default).
#[utoipa::path(get, path = "/api/v1/org-units/{id}/poster", tag = "org units", params(PosterQuery),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>),
        (status = 422, body = crate::error::ApiErrorEnvelope), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn api_get(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<PosterQuery>,
) -> Result<Response, ApiError> {
    let t = language(&state, &user.t, &q);
    let bytes =
        app::poster::poster(&state.core, &user.actor, &t, OrgUnitId(id), &base(&state, &headers)).await.api(&user.t)?;
    Ok(file(id, &t, bytes))
}

/// The page's route.
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/orgs/{id}/poster", get(page))
}

/// The API's route.
pub(super) fn api_router() -> Router<AppState> {
    Router::new().route("/org-units/{id}/poster", get(api_get))
}
