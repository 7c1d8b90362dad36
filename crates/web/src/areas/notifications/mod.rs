//! The notifications not sent yet, for the coordinators over their units: what waits for the
//! mail server and what was given up after its last attempt, with the error.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, Localize, PageError};
use crate::extract::{ApiUser, PageUser};
use crate::render::{Layout, render};
use crate::{AppState, I18n};

/// A notification not sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationDto {
    /// Id.
    pub id: i64,
    /// `email` or `sms`.
    pub channel: String,
    /// To whom.
    pub recipient: String,
    /// What it tells of.
    pub kind: String,
    /// `waiting` or `failed` (given up).
    pub state: String,
    /// Attempts made.
    pub attempts: i16,
    /// The last attempt's error.
    pub last_error: Option<String>,
    /// Written.
    pub created_at: DateTime<Utc>,
}

impl From<&app::entity::outbox::Model> for NotificationDto {
    fn from(m: &app::entity::outbox::Model) -> Self {
        NotificationDto {
            id: m.id,
            channel: m.channel.clone(),
            recipient: m.recipient.clone(),
            kind: m.kind.clone(),
            state: if m.failed_at.is_some() { "failed" } else { "waiting" }.to_owned(),
            attempts: m.attempts,
            last_error: m.last_error.clone(),
            created_at: m.created_at,
        }
    }
}

/// A page of notifications.
#[derive(Debug, Default, Deserialize, IntoParams, ToSchema)]
pub struct BeforeQuery {
    /// The last id of the page before.
    before: Option<i64>,
}

/// The notifications not sent about units in the caller's scope, newest first, 50 a page
/// (coordinators).
#[utoipa::path(get, path = "/api/v1/notifications", tag = "appeals", params(BeforeQuery),
    responses((status = 200, body = [NotificationDto])))]
pub async fn api_list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<BeforeQuery>,
) -> Result<Json<Vec<NotificationDto>>, ApiError> {
    let rows = app::notify::unsent(&state.core, &user.actor, q.before).await.api(&user.t)?;
    Ok(Json(rows.iter().map(NotificationDto::from).collect()))
}

#[derive(Template)]
#[template(path = "notifications/list.html")]
struct ListPage {
    t: I18n,
    l: Layout,
    rows: Vec<NotificationDto>,
    next: String,
}

/// `GET /notifications`.
pub async fn page(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<BeforeQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let rows = app::notify::unsent(&state.core, &user.actor, q.before).await.page(&t)?;
    let next = if rows.len() == 50 { rows.last().map(|m| m.id.to_string()).unwrap_or_default() } else { String::new() };
    let page = ListPage {
        l: user.layout(t.t("notifications-title")),
        rows: rows.iter().map(NotificationDto::from).collect(),
        next,
        t,
    };
    Ok(render(&page))
}

/// The pages' routes.
pub fn pages() -> Router<AppState> {
    Router::new().route("/notifications", get(page))
}

/// The API's routes (nested under `/api/v1`).
pub fn api() -> Router<AppState> {
    Router::new().route("/notifications", get(api_list))
}
