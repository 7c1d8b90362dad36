//! Photos of a raid's findings: sent by the phone after the finding (addressed by the phone's id
//! for it, so it can be sent before the phone knows the server's), shrunk on the phone first; the
//! server keeps pictures only, within the size limit, and the same bytes sent again are one photo.
//! Seen by the finding's author and those who read personal data over the raid.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Json, Router, routing::get, routing::post};
use domain::RaidId;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, Localize, PageError};
use crate::extract::{ApiUser, PageUser};
use crate::uploads::{PHOTO, file_response, receive_as};

/// A finding's photo.
#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoDto {
    id: i64,
    finding_id: i64,
    content_type: String,
    size: i64,
}

impl From<app::entity::finding_photo::Model> for PhotoDto {
    fn from(p: app::entity::finding_photo::Model) -> Self {
        PhotoDto { id: p.id, finding_id: p.finding_id, content_type: p.content_type, size: p.size }
    }
}

async fn store(
    state: &AppState,
    actor: &domain::Actor,
    (raid, client_id): (i64, &str),
    multipart: Multipart,
) -> Result<(app::entity::finding_photo::Model, bool), crate::error::AppError> {
    let dir = &state.config.upload_dir;
    let file = receive_as(&PHOTO, dir, state.config.proof_limit, multipart).await?;
    Ok(app::raids::add_photo(&state.core, actor, dir, RaidId(raid), client_id, &file).await?)
}

/// Adds a photo to the finding the phone made as `client_id`: multipart with a `file` field (a
/// JPEG, PNG, WebP or HEIC picture, checked by its bytes, within the size limit). The same bytes
/// again answer 200 with the photo held.
#[utoipa::path(post, path = "/api/v1/raids/{id}/findings/{client_id}/photos", tag = "raids",
    request_body(content_type = "multipart/form-data", content = String),
    responses((status = 201, body = PhotoDto), (status = 200, body = PhotoDto),
        (status = 422, body = crate::error::ApiErrorEnvelope)))]
pub async fn add(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, client_id)): Path<(i64, String)>,
    multipart: Multipart,
) -> Result<(StatusCode, Json<PhotoDto>), ApiError> {
    let (p, added) = store(&state, &user.actor, (id, &client_id), multipart).await.api(&user.t)?;
    Ok((if added { StatusCode::CREATED } else { StatusCode::OK }, Json(p.into())))
}

/// A finding's photo, for one who may see it (the opening is logged).
#[utoipa::path(get, path = "/api/v1/finding-photos/{id}", tag = "raids",
    responses((status = 200, content_type = "image/jpeg", body = [u8])))]
pub async fn file(State(state): State<AppState>, user: ApiUser, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let (p, bytes) =
        app::raids::open_photo(&state.core, &user.actor, &state.config.upload_dir, id).await.api(&user.t)?;
    Ok(file_response(&p.content_type, &format!("photo-{}", p.id), bytes))
}

/// The API's routes, with the size limit on the upload.
pub fn api(limit: usize) -> Router<AppState> {
    Router::new()
        .route(
            "/raids/{id}/findings/{client_id}/photos",
            post(add).layer(axum::extract::DefaultBodyLimit::max(limit + 64 * 1024)),
        )
        .route("/finding-photos/{id}", get(file))
}

/// The page's photo of a finding (the form without the script).
pub(super) async fn add_page(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, client_id)): Path<(i64, String)>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    store(&state, &user.actor, (id, &client_id), multipart).await.page(&user.t)?;
    Ok(Redirect::to(&format!("/raids/{id}?saved=1")).into_response())
}

/// A photo on the raid's page.
pub(super) async fn file_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (p, bytes) =
        app::raids::open_photo(&state.core, &user.actor, &state.config.upload_dir, id).await.page(&user.t)?;
    Ok(file_response(&p.content_type, &format!("photo-{}", p.id), bytes))
}
