//! The OpenAPI description of `/api/v1`, gathered from every area's API handlers.

use axum::Json;
use axum::response::IntoResponse;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

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
        crate::areas::account::api::me, crate::areas::account::api::set_email,
        crate::areas::orgs::api::list, crate::areas::orgs::api::get_one, crate::areas::orgs::api::create,
        crate::areas::orgs::api::update, crate::areas::orgs::api::deactivate, crate::areas::orgs::api::activate,
        crate::areas::orgs::api::import, crate::areas::orgs::details::api_get, crate::areas::orgs::details::api_put,
        crate::areas::orgs::contacts::api_get, crate::areas::orgs::contacts::api_put,
        crate::areas::orgs::poster::api_get,
        crate::areas::users::api::list, crate::areas::users::api::create, crate::areas::users::api::get_one,
        crate::areas::users::api::update, crate::areas::users::api::disable, crate::areas::users::api::enable,
        crate::areas::users::api::reset_password,
        crate::areas::account::api::list, crate::areas::account::api::create, crate::areas::account::api::revoke,
        crate::areas::audit::api::list,
        crate::areas::children::api::records::list, crate::areas::children::api::records::export,
        crate::areas::children::api::records::create, crate::areas::children::api::records::card,
        crate::areas::children::api::records::update, crate::areas::children::api::records::set_status,
        crate::areas::children::api::transfers::request_transfer, crate::areas::children::api::transfers::transfers,
        crate::areas::children::api::transfers::decide, crate::areas::children::api::import::import,
        crate::areas::children::api::import::job,
        crate::areas::passport::api::passport,
        crate::areas::campaigns::api::campaigns, crate::areas::campaigns::api::create_campaign,
        crate::areas::campaigns::api::set_norm,
        crate::areas::aid::api::list, crate::areas::aid::api::record, crate::areas::aid::api::set_status,
        crate::areas::aid::api::reverse, crate::areas::aid::api::fund, crate::areas::aid::api::set_fund,
        crate::areas::sponsors::api::sponsors, crate::areas::sponsors::api::create_sponsor,
        crate::areas::sponsors::api::needs, crate::areas::sponsors::holds_api::hold,
        crate::areas::sponsors::holds_api::holds, crate::areas::sponsors::holds_api::deliver,
        crate::areas::sponsors::holds_api::confirm, crate::areas::sponsors::holds_api::awaiting, crate::areas::public::api::public,
        crate::areas::proofs::api::upload, crate::areas::proofs::api::get_one, crate::areas::proofs::api::file,
        crate::areas::proofs::api::decide, crate::areas::checks::api::checks, crate::areas::campaigns::api::deadlines,
        crate::areas::sponsors::api::apply, crate::areas::sponsors::api::decide_sponsor,
        crate::areas::sponsors::api::report, crate::areas::sponsors::api::letter,
        crate::areas::reports::api::consolidated, crate::areas::reports::api::school,
        crate::areas::reports::api::file, crate::areas::reports::api::notes,
        crate::areas::raids::api::list, crate::areas::raids::api::create, crate::areas::raids::api::one,
        crate::areas::raids::api::update, crate::areas::raids::api::findings, crate::areas::raids::api::send,
        crate::areas::raids::api::sync, crate::areas::raids::api::conflicts, crate::areas::raids::api::resolve,
        crate::areas::attendance::api::list, crate::areas::attendance::api::reasons,
        crate::areas::attendance::api::record, crate::areas::attendance::api::one,
        crate::areas::attendance::api::roll, crate::areas::attendance::api::journal,
        crate::areas::attendance::api::case, crate::areas::attendance::api::add_step,
        crate::areas::attendance::api::update_step, crate::areas::attendance::api::close,
        crate::areas::attendance::api::sign, crate::areas::attendance::api::tasks,
        crate::areas::attendance::api::thresholds, crate::areas::attendance::api::set_thresholds,
        crate::areas::attendance::api::calendar, crate::areas::attendance::api::set_day,
        crate::areas::attendance::conflicts::list, crate::areas::attendance::conflicts::decide,
        crate::areas::raids::photos::add, crate::areas::raids::photos::file,
        crate::areas::appeals::api::list, crate::areas::appeals::api::register, crate::areas::appeals::api::one,
        crate::areas::appeals::api::take, crate::areas::appeals::api::assign, crate::areas::appeals::api::forward,
        crate::areas::appeals::api::extend, crate::areas::appeals::api::answer, crate::areas::appeals::api::close,
        crate::areas::appeals::api::file, crate::areas::appeals::api::track, crate::areas::appeals::api::feedback,
        crate::areas::appeals::api::work_days, crate::areas::appeals::api::set_work_day,
        crate::areas::appeals::api::terms, crate::areas::appeals::api::set_term,
        crate::areas::notifications::api_list,
        crate::areas::survey::api::answer, crate::areas::survey::api::totals, crate::areas::survey::api::leads,
        crate::areas::survey::api::lead, crate::areas::survey::api::close, crate::areas::survey::api::registered,
    ),
    components(schemas(crate::error::ApiErrorEnvelope)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`.
pub async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}
