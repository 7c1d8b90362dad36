//! The receipt page of an appeal just registered: its code, when and how it came, the unit in
//! charge, the last day. Shown to the public after the form, and to a staff member whose appeal
//! went to a unit above it.

use askama::Template;
use axum::response::Response;

use crate::error::{Localize, PageError};
use crate::render::{Layout, render};
use crate::{AppState, I18n};

#[derive(Template)]
#[template(path = "appeals/receipt.html")]
pub(super) struct Receipt {
    t: I18n,
    l: Layout,
    code: String,
    received: String,
    due: String,
    unit: String,
    channel: String,
}

/// The receipt of `a` in the frame `l`.
pub(super) async fn page(
    state: &AppState,
    t: &I18n,
    l: Layout,
    a: &app::entity::appeal::Model,
) -> Result<Response, PageError> {
    let unit = app::orgs::public_unit(&state.core, a.unit_id).await.page(t)?;
    Ok(render(&Receipt {
        l,
        code: domain::appeal::show_code(&a.code),
        received: t.date_time(&a.received_at),
        due: t.date(&a.due_on),
        unit: unit.map(|u| t.name(&u.name_ru, &u.name_kk).to_owned()).unwrap_or_default(),
        channel: t.label("appeal-channel", &a.channel),
        t: t.clone(),
    }))
}

/// A receipt as if sent, for a robot's form: a code that names nothing, nothing else.
pub(super) fn decoy(t: &I18n, l: Layout, channel: &str) -> Response {
    render(&Receipt {
        l,
        code: domain::appeal::show_code(&domain::appeal::new_code()),
        received: t.date_time(&chrono::Utc::now()),
        due: String::new(),
        unit: String::new(),
        channel: t.label("appeal-channel", channel),
        t: t.clone(),
    })
}
