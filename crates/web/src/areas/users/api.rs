//! `/api/v1/users`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::UserId;
use domain::user::{AccountChange, NewUserInput};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::dto::UserDto;
use crate::error::{ApiError, Localize};
use crate::extract::{ApiJson, ApiUser};

/// Accounts in the caller's scope (coordinators and auditors).
#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    responses((status = 200, body = [UserDto]), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<UserDto>>, ApiError> {
    let users = app::users::list(&state.core, &user.actor, None).await.api(&user.t)?;
    Ok(Json(users.iter().map(UserDto::from).collect()))
}

/// One account in scope.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users",
    responses((status = 200, body = UserDto), (status = 403, body = crate::error::ApiErrorEnvelope), (status = 404, body = crate::error::ApiErrorEnvelope)))]
pub async fn get_one(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<UserDto>, ApiError> {
    let target = app::users::view(&state.core, &user.actor, UserId(id)).await.api(&user.t)?;
    Ok(Json(UserDto::from(&target)))
}

/// The new account and its one-time password (shown only now).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUser {
    /// The account.
    user: UserDto,
    /// To be changed at first sign-in.
    one_time_password: String,
}

/// Creates an account within the caller's scope.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUserInput,
    responses((status = 201, body = CreatedUser), (status = 422, body = crate::error::ApiErrorEnvelope), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(input): ApiJson<NewUserInput>,
) -> Result<(StatusCode, Json<CreatedUser>), ApiError> {
    let (target, password) = app::users::add(&state.core, &user.actor, &input).await.api(&user.t)?;
    Ok((StatusCode::CREATED, Json(CreatedUser { user: UserDto::from(&target), one_time_password: password })))
}

async fn set_active(state: &AppState, user: &ApiUser, id: i64, active: bool) -> Result<Json<UserDto>, ApiError> {
    let target = app::users::set_active(&state.core, &user.actor, UserId(id), active).await.api(&user.t)?;
    Ok(Json(UserDto::from(&target)))
}

/// Disables an account: its sessions end and its tokens are revoked.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "users",
    responses((status = 200, body = UserDto), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn disable(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<UserDto>, ApiError> {
    set_active(&state, &user, id, false).await
}

/// Enables an account again.
#[utoipa::path(post, path = "/api/v1/users/{id}/enable", tag = "users",
    responses((status = 200, body = UserDto), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn enable(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<UserDto>, ApiError> {
    set_active(&state, &user, id, true).await
}

/// Changes an account's name, role and unit.
#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "users", request_body = AccountChange,
    responses((status = 200, body = UserDto), (status = 422, body = crate::error::ApiErrorEnvelope), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<AccountChange>,
) -> Result<Json<UserDto>, ApiError> {
    let target = app::users::change(&state.core, &user.actor, UserId(id), &body).await.api(&user.t)?;
    Ok(Json(UserDto::from(&target)))
}

/// A new one-time password.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResetResult {
    /// To be changed at next sign-in.
    one_time_password: String,
}

/// Gives an account a new one-time password, unlocks it and ends its sessions.
#[utoipa::path(post, path = "/api/v1/users/{id}/reset-password", tag = "users",
    responses((status = 200, body = ResetResult), (status = 403, body = crate::error::ApiErrorEnvelope)))]
pub async fn reset_password(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ResetResult>, ApiError> {
    let password = app::users::reset_password(&state.core, &user.actor, UserId(id)).await.api(&user.t)?;
    Ok(Json(ResetResult { one_time_password: password }))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/{id}", get(get_one).put(update))
        .route("/users/{id}/disable", post(disable))
        .route("/users/{id}/enable", post(enable))
        .route("/users/{id}/reset-password", post(reset_password))
}
