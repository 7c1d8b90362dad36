//! Import of districts and schools from XLSX or CSV under a unit: the page, the template, the
//! upload.

use app::entity::org_unit::Model;
use app::orgs::{ImportSummary, kind_of};
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use axum::routing::get;
use domain::{ErrorCode, OrgKind, OrgUnitId};

use super::pages::UnitView;
use crate::error::{AppError, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

#[derive(Template)]
#[template(path = "orgs/import.html")]
pub(super) struct ImportPage {
    t: I18n,
    l: Layout,
    unit: UnitView,
    columns: Vec<(String, bool)>,
    errors: Vec<(usize, String, String)>,
    summary: Option<ImportSummary>,
}

pub(super) fn import_page_for(user: &PageUser, unit: &Model) -> ImportPage {
    let t = &user.t;
    let view = UnitView::new(t, unit);
    let region = kind_of(unit) == OrgKind::Region;
    ImportPage {
        l: user.layout(t.t1("import-title", "name", &view.name)),
        columns: app::org_import::ORG_COLUMNS
            .iter()
            .filter(|c| region || !c.starts_with("district"))
            .map(|c| {
                (
                    t.t(&format!("import-col-{}", c.replace('_', "-"))),
                    !matches!(*c, "district_kk" | "district_ru") || region,
                )
            })
            .collect(),
        errors: Vec::new(),
        summary: None,
        unit: view,
        t: t.clone(),
    }
}

pub(super) async fn import_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let unit = app::orgs::get(&state.core, &user.actor, OrgUnitId(id)).await.page(&user.t)?;
    Ok(render(&import_page_for(&user, &unit)))
}

/// Reads the one file field of a multipart form; a body over the limit is `TooLarge` (413).
pub async fn read_upload(mut multipart: Multipart) -> Result<Vec<u8>, AppError> {
    let refused = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::Invalid(domain::Invalid::one("file", ErrorCode::NotSpreadsheet))
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(refused)? {
        if field.name() == Some("file") {
            return field.bytes().await.map(|b| b.to_vec()).map_err(refused);
        }
    }
    Err(AppError::Invalid(domain::Invalid::one("file", ErrorCode::Required)))
}

pub(super) async fn import(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let t = &user.t;
    let unit = app::orgs::get(&state.core, &user.actor, OrgUnitId(id)).await.page(t)?;
    let bytes = match read_upload(multipart).await {
        Ok(bytes) => bytes,
        Err(AppError::Invalid(invalid)) => return Ok(import_failed(&user, &unit, &invalid)),
        Err(other) => return Err(user.fail(other)),
    };
    let result = app::org_import::run(&state.core, &user.actor, &unit, &bytes).await;
    match result {
        Ok(summary) => {
            let mut page = import_page_for(&user, &unit);
            page.summary = Some(summary);
            Ok(render(&page))
        }
        Err(app::Error::Invalid(invalid)) => Ok(import_failed(&user, &unit, &invalid)),
        Err(other) => Err(user.fail(other)),
    }
}

pub(super) fn import_failed(user: &PageUser, unit: &Model, invalid: &domain::Invalid) -> Response {
    let t = &user.t;
    let mut page = import_page_for(user, unit);
    page.errors = invalid.0.iter().map(|e| (e.row.unwrap_or(0), t.field(&e.field), t.field_error(e))).collect();
    render_invalid(&page)
}

pub(super) async fn template(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    // Only under a unit the user may import into, as its page.
    app::orgs::get(&state.core, &user.actor, OrgUnitId(id)).await.page(&user.t)?;
    let bytes = app::org_import::org_template_xlsx(state.core.catalog(), user.t.locale)
        .map_err(|e| user.fail(AppError::Internal(e.to_string())))?;
    Ok(crate::render::xlsx_download("doroga-schools-template.xlsx", bytes))
}

/// The import's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{id}/import", get(import_page).post(import))
        .route("/orgs/{id}/import/template.xlsx", get(template))
}
