//! `/api/v1/me` and `/api/v1/tokens`: the caller's account, scope and own API tokens.

use app::entity::api_token;
use app::users::UserWithUnit;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, put};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use domain::UserId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::dto::{OrgUnitDto, UserDto};
use crate::error::{ApiError, Localize};
use crate::extract::{ApiJson, ApiUser};

/// `GET /api/v1/me`: the caller's account, role and scope.
#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = MeDto), (status = 401, body = crate::error::ApiErrorEnvelope)))]
pub async fn me(user: ApiUser) -> Json<MeDto> {
    Json(MeDto::from(&user.u))
}

/// The caller: account and scope.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeDto {
    /// The account.
    pub user: UserDto,
    /// The unit at the top of the caller's scope.
    pub scope: OrgUnitDto,
}

/// The caller's address for notifications.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EmailDto {
    /// An e-mail address; empty or none: not told by e-mail.
    #[serde(default)]
    pub email: Option<String>,
}

/// Sets where the caller is told of its work (new appeals, escalations, leads).
#[utoipa::path(put, path = "/api/v1/me/email", tag = "account", request_body = EmailDto,
    responses((status = 200, body = EmailDto), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn set_email(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(b): ApiJson<EmailDto>,
) -> Result<Json<EmailDto>, ApiError> {
    let typed = b.email.unwrap_or_default();
    let email = app::users::set_own_email(&state.core, &user.actor, &typed).await.api(&user.t)?;
    Ok(Json(EmailDto { email }))
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

/// The caller's tokens.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", responses((status = 200, body = [TokenDto])))]
pub async fn list(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<TokenDto>>, ApiError> {
    let tokens = app::tokens::list(&state.core, UserId(user.u.user.id)).await.api(&user.t)?;
    Ok(Json(tokens.iter().map(TokenDto::from).collect()))
}

/// A new token's name.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTokenBody {
    /// What the token is for.
    #[serde(default)]
    name: String,
}

/// The new token and its secret (shown only now).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    /// The token.
    token: TokenDto,
    /// `Authorization: Bearer <secret>`.
    secret: String,
}

/// Creates a token for the caller.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = NewTokenBody,
    responses((status = 201, body = CreatedToken), (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<NewTokenBody>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let (token, secret) = app::tokens::create(&state.core, &user.u, &body.name).await.api(&user.t)?;
    Ok((StatusCode::CREATED, Json(CreatedToken { token: TokenDto::from(&token), secret })))
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens",
    responses((status = 204), (status = 404, body = crate::error::ApiErrorEnvelope)))]
pub async fn revoke(State(state): State<AppState>, user: ApiUser, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    app::tokens::revoke(&state.core, &user.u, id).await.api(&user.t)?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tokens", get(list).post(create))
        .route("/tokens/{id}", delete(revoke))
        .route("/me/email", put(set_email))
}
