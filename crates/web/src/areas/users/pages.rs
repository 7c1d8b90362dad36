//! Users within one's scope: list, create (with a one-time password), reset, disable.

use app::entity::org_unit;
use app::users::UserWithUnit;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::user::{AccountChange, NewUserInput};
use domain::{Role, UserId};
use serde::Deserialize;

use crate::error::{AppError, FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{ActiveForm, Layout, render, render_invalid};
use crate::{AppState, I18n};

pub struct UserRow {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub role: String,
    pub unit: String,
    pub unit_id: i64,
    pub active: bool,
}

impl UserRow {
    fn new(t: &I18n, u: &UserWithUnit) -> Self {
        UserRow {
            id: u.user.id,
            login: u.user.login.clone(),
            full_name: u.user.full_name.clone(),
            role: t.role_code(&u.user.role),
            unit: t.name(&u.unit.name_ru, &u.unit.name_kk).to_owned(),
            unit_id: u.unit.id,
            active: u.user.active,
        }
    }
}

#[derive(Debug, Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    role: String,
}

#[derive(Template)]
#[template(path = "users/list.html")]
struct UsersPage {
    t: I18n,
    l: Layout,
    rows: Vec<UserRow>,
    q: String,
    role: String,
    roles: Vec<(&'static str, String)>,
    can_create: bool,
}

async fn list(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let t = &user.t;
    let users = app::users::list(&state.core, &user.actor, None).await.page(t)?;
    let needle = app::orgs::fold(query.q.trim());
    let rows = users
        .iter()
        .filter(|u| query.role.is_empty() || u.user.role == query.role)
        .filter(|u| {
            needle.is_empty() || app::orgs::fold(&format!("{} {}", u.user.login, u.user.full_name)).contains(&needle)
        })
        .map(|u| UserRow::new(t, u))
        .collect();
    let page = UsersPage {
        l: user.layout(t.t("users-title")),
        rows,
        q: query.q,
        role: query.role,
        roles: Role::ALL.iter().map(|r| (r.as_str(), t.role(*r))).collect(),
        can_create: user.actor.role.is_coordinator(),
        t: t.clone(),
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "users/form.html")]
struct NewUserPage {
    t: I18n,
    l: Layout,
    input: NewUserInput,
    roles: Vec<(&'static str, String)>,
    units: Vec<(i64, String, bool)>,
    errors: FormErrors,
}

async fn unit_choices(
    state: &AppState,
    user: &PageUser,
    selected: Option<i64>,
) -> Result<Vec<(i64, String, bool)>, PageError> {
    let t = &user.t;
    let filter = app::orgs::ListFilter::default();
    let units: Vec<org_unit::Model> = app::orgs::list(&state.core, &user.actor, &filter, 5000).await.page(t)?;
    let mut choices: Vec<(String, i64, String)> = units
        .iter()
        .map(|u| {
            let label = format!("{} — {}", t.name(&u.name_ru, &u.name_kk), t.kind(&u.kind));
            (u.path.clone(), u.id, label)
        })
        .collect();
    choices.sort();
    Ok(choices.into_iter().map(|(_, id, label)| (id, label, Some(id) == selected)).collect())
}

fn grantable(t: &I18n, user: &PageUser) -> Vec<(&'static str, String)> {
    Role::ALL.iter().filter(|r| user.actor.role.can_grant(**r)).map(|r| (r.as_str(), t.role(*r))).collect()
}

#[derive(Debug, Deserialize, Default)]
struct NewQuery {
    unit: Option<i64>,
}

async fn new_page(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    if !user.actor.role.is_coordinator() {
        return Err(user.fail(AppError::Forbidden));
    }
    let t = user.t.clone();
    let unit_id = q.unit.or(Some(user.u.unit.id));
    let page = NewUserPage {
        l: user.layout(t.t("user-new-title")),
        input: NewUserInput { unit_id, ..Default::default() },
        roles: grantable(&t, &user),
        units: unit_choices(&state, &user, unit_id).await?,
        errors: FormErrors::default(),
        t,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "users/created.html")]
struct CreatedPage {
    t: I18n,
    l: Layout,
    login: String,
    password: String,
    user_id: i64,
}

async fn create(
    State(state): State<AppState>,
    user: PageUser,
    Form(input): Form<NewUserInput>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let result = app::users::add(&state.core, &user.actor, &input).await;
    match result {
        Ok((created, password)) => Ok(render(&CreatedPage {
            l: user.layout(t.t("user-created-title")),
            login: created.user.login,
            password,
            user_id: created.user.id,
            t,
        })),
        Err(app::Error::Invalid(invalid)) => Ok(render_invalid(&NewUserPage {
            l: user.layout(t.t("user-new-title")),
            roles: grantable(&t, &user),
            units: unit_choices(&state, &user, input.unit_id).await?,
            errors: FormErrors::new(&t, &invalid.0),
            input,
            t,
        })),
        Err(other) => Err(user.fail(other)),
    }
}

#[derive(Template)]
#[template(path = "users/user.html")]
struct UserPage {
    t: I18n,
    l: Layout,
    row: UserRow,
    can_manage: bool,
    is_self: bool,
    new_password: String,
}

async fn show(State(state): State<AppState>, user: PageUser, Path(id): Path<i64>) -> Result<Response, PageError> {
    let t = user.t.clone();
    let target = app::users::view(&state.core, &user.actor, UserId(id)).await.page(&t)?;
    Ok(render(&user_page(&user, &target, String::new())))
}

fn user_page(user: &PageUser, target: &UserWithUnit, new_password: String) -> UserPage {
    let t = user.t.clone();
    UserPage {
        l: user.layout(target.user.full_name.clone()),
        row: UserRow::new(&t, target),
        can_manage: user.actor.role.can_grant(target.role()),
        is_self: target.user.id == user.actor.user_id.0,
        new_password,
        t,
    }
}

async fn set_active(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<ActiveForm>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let target = app::users::set_active(&state.core, &user.actor, UserId(id), form.wanted()).await.page(&t)?;
    Ok(render(&user_page(&user, &target, String::new())))
}

async fn reset(State(state): State<AppState>, user: PageUser, Path(id): Path<i64>) -> Result<Response, PageError> {
    let t = user.t.clone();
    let password = app::users::reset_password(&state.core, &user.actor, UserId(id)).await.page(&t)?;
    let target = app::users::get(&state.core, &user.actor, UserId(id)).await.page(&t)?;
    Ok(render(&user_page(&user, &target, password)))
}

#[derive(Template)]
#[template(path = "users/edit.html")]
struct EditPage {
    t: I18n,
    l: Layout,
    id: i64,
    login: String,
    input: AccountChange,
    roles: Vec<(&'static str, String)>,
    units: Vec<(i64, String, bool)>,
    errors: FormErrors,
}

async fn edit_page(State(state): State<AppState>, user: PageUser, Path(id): Path<i64>) -> Result<Response, PageError> {
    let t = user.t.clone();
    let target = app::users::get(&state.core, &user.actor, UserId(id)).await.page(&t)?;
    if !user.actor.role.can_grant(target.role()) || target.user.id == user.actor.user_id.0 {
        return Err(user.fail(AppError::Forbidden));
    }
    let input = AccountChange {
        full_name: target.user.full_name.clone(),
        role: target.user.role.clone(),
        unit_id: Some(target.unit.id),
    };
    Ok(render(&EditPage {
        l: user.layout(t.t1("user-edit-title", "login", &target.user.login)),
        id,
        login: target.user.login.clone(),
        roles: grantable(&t, &user),
        units: unit_choices(&state, &user, input.unit_id).await?,
        input,
        errors: FormErrors::default(),
        t,
    }))
}

async fn update(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(input): Form<AccountChange>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let result = app::users::change(&state.core, &user.actor, UserId(id), &input).await;
    match result {
        Ok(_) => Ok(axum::response::Redirect::to(&format!("/users/{id}")).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let target = app::users::get(&state.core, &user.actor, UserId(id)).await.page(&t)?;
            Ok(render_invalid(&EditPage {
                l: user.layout(t.t1("user-edit-title", "login", &target.user.login)),
                id,
                login: target.user.login.clone(),
                roles: grantable(&t, &user),
                units: unit_choices(&state, &user, input.unit_id).await?,
                errors: FormErrors::new(&t, &invalid.0),
                input,
                t,
            }))
        }
        Err(other) => Err(user.fail(other)),
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list))
        .route("/users/new", get(new_page).post(create))
        .route("/users/{id}", get(show))
        .route("/users/{id}/edit", get(edit_page).post(update))
        .route("/users/{id}/active", post(set_active))
        .route("/users/{id}/reset", post(reset))
}
