//! A user's own API tokens: create (the secret is shown once), list, revoke.

use app::entity::api_token;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::UserId;
use serde::Deserialize;

use crate::error::{FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

#[derive(Template)]
#[template(path = "account/tokens.html")]
struct TokensPage {
    t: I18n,
    l: Layout,
    tokens: Vec<api_token::Model>,
    secret: String,
    name: String,
    errors: FormErrors,
}

async fn tokens_page(
    state: &AppState,
    user: &PageUser,
    secret: String,
    name: String,
    errors: FormErrors,
) -> Result<TokensPage, PageError> {
    let t = user.t.clone();
    let tokens = app::tokens::list(&state.core, UserId(user.u.user.id)).await.page(&t)?;
    Ok(TokensPage { l: user.layout(t.t("tokens-title")), tokens, secret, name, errors, t })
}

async fn list(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    Ok(render(&tokens_page(&state, &user, String::new(), String::new(), FormErrors::default()).await?))
}

#[derive(Debug, Deserialize)]
struct NewToken {
    #[serde(default)]
    name: String,
}

async fn create(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<NewToken>,
) -> Result<Response, PageError> {
    match app::tokens::create(&state.core, &user.u, &form.name).await {
        Ok((_, secret)) => Ok(render(&tokens_page(&state, &user, secret, String::new(), FormErrors::default()).await?)),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&tokens_page(&state, &user, String::new(), form.name, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

async fn revoke(State(state): State<AppState>, user: PageUser, Path(id): Path<i64>) -> Result<Response, PageError> {
    app::tokens::revoke(&state.core, &user.u, id).await.page(&user.t)?;
    Ok(Redirect::to("/tokens").into_response())
}

pub fn router() -> Router<AppState> {
    Router::new().route("/tokens", get(list).post(create)).route("/tokens/{id}/revoke", post(revoke))
}
