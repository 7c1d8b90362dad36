//! The JSON API under `/api/v1`: the same scope rules as the pages, session or bearer token,
//! errors in one envelope, described by OpenAPI at `/api/v1/openapi.json`.

mod aid;
mod audit;
mod children;
mod money;
mod orgs;
mod reports;
mod tokens;
mod users;

use app::entity::{api_token, org_unit};
use app::users::UserWithUnit;
use axum::extract::FromRequest;
use axum::extract::rejection::JsonRejection;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::AppState;
use crate::auth::visitor_locale;
use crate::error::{ApiError, AppError};

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
                Err(ApiError(t, AppError::Invalid(domain::Invalid::one("body", "malformed_json"))))
            }
        }
    }
}

/// An org unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgUnitDto {
    /// Id.
    pub id: i64,
    /// `republic`, `region`, `district` or `school`.
    pub kind: String,
    /// The unit above.
    pub parent_id: Option<i64>,
    /// School number or ISO code.
    pub code: Option<String>,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in Kazakh.
    pub name_kk: String,
    /// Settlement (schools).
    pub settlement: Option<String>,
    /// Rural school? (schools)
    pub is_rural: Option<bool>,
    /// `kk`, `ru` or `mixed` (schools).
    pub language: Option<String>,
    /// Active?
    pub active: bool,
}

impl From<&org_unit::Model> for OrgUnitDto {
    fn from(u: &org_unit::Model) -> Self {
        OrgUnitDto {
            id: u.id,
            kind: u.kind.clone(),
            parent_id: u.parent_id,
            code: u.code.clone(),
            name_ru: u.name_ru.clone(),
            name_kk: u.name_kk.clone(),
            settlement: u.settlement.clone(),
            is_rural: u.is_rural,
            language: u.language.clone(),
            active: u.active,
        }
    }
}

/// A user account (never its password hash).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDto {
    /// Id.
    pub id: i64,
    /// Login.
    pub login: String,
    /// Full name.
    pub full_name: String,
    /// Role code.
    pub role: String,
    /// Org unit id.
    pub unit_id: i64,
    /// Active?
    pub active: bool,
    /// `ru` or `kk`; absent until the user picks one.
    pub locale: Option<String>,
    /// Must change the one-time password at next sign-in.
    pub must_change_password: bool,
}

impl From<&UserWithUnit> for UserDto {
    fn from(u: &UserWithUnit) -> Self {
        UserDto {
            id: u.user.id,
            login: u.user.login.clone(),
            full_name: u.user.full_name.clone(),
            role: u.user.role.clone(),
            unit_id: u.unit.id,
            active: u.user.active,
            locale: u.user.locale.clone(),
            must_change_password: u.user.must_change_password,
        }
    }
}

/// The caller: account and scope.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeDto {
    /// The account.
    pub user: UserDto,
    /// The unit at the top of the caller's scope.
    pub scope: OrgUnitDto,
}

impl From<&UserWithUnit> for MeDto {
    fn from(u: &UserWithUnit) -> Self {
        MeDto { user: UserDto::from(u), scope: OrgUnitDto::from(&u.unit) }
    }
}

/// An API token (never its secret, except once at creation).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenDto {
    /// Id.
    pub id: i64,
    /// The owner's name for it.
    pub name: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last used.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<&api_token::Model> for TokenDto {
    fn from(k: &api_token::Model) -> Self {
        TokenDto {
            id: k.id,
            name: k.name.clone(),
            created_at: k.created_at,
            last_used_at: k.last_used_at,
            revoked_at: k.revoked_at,
        }
    }
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// The OpenAPI description of `/api/v1`.
#[derive(OpenApi)]
#[openapi(
    info(title = "Doroga API", version = "1", description = "The campaign «Дорога в школу» / «Мектепке жол»"),
    paths(
        crate::auth::me,
        orgs::list, orgs::get_one, orgs::create, orgs::update, orgs::deactivate, orgs::activate, orgs::import,
        users::list, users::create, users::get_one, users::update, users::disable, users::enable, users::reset_password,
        tokens::list, tokens::create, tokens::revoke,
        audit::list,
        children::list, children::export, children::create, children::card, children::update, children::set_status,
        children::request_transfer, children::transfers, children::decide, children::import, children::job,
        children::passport, children::campaigns, children::create_campaign, children::set_norm,
        aid::list, aid::record, aid::set_status, aid::reverse, aid::fund, aid::set_fund, aid::sponsors,
        aid::create_sponsor, aid::needs, aid::hold, aid::holds, aid::deliver, aid::public,
        money::upload, money::get_one, money::file, money::decide, money::checks, money::deadlines, money::apply,
        money::decide_sponsor, money::report, money::letter,
        reports::consolidated, reports::school, reports::file, reports::notes,
    ),
    components(schemas(crate::error::ApiErrorEnvelope)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

/// The API's routes (nested under `/api/v1`).
pub fn router(import_limit: usize, proof_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/me", get(crate::auth::me))
        .route("/openapi.json", get(openapi))
        .merge(orgs::router())
        .merge(users::router())
        .merge(tokens::router())
        .merge(audit::router())
        .merge(aid::router())
        .merge(money::router(proof_limit))
        .merge(reports::router())
        .merge(children::router(import_limit))
        .fallback(|| async { AppError::NotFound.status() })
}
