//! `/api/v1/tokens`: the caller's own API tokens.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use domain::UserId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, TokenDto};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, Localize};

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
    Router::new().route("/tokens", get(list).post(create)).route("/tokens/{id}", delete(revoke))
}
