//! A raid's page: where and with whom, the children found (as the viewer may see them), and for
//! a coordinator the changes made offline that wait for a decision.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::RaidId;
use domain::raid::FindingInput;
use serde::Deserialize;

use crate::error::{Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render};
use crate::{AppState, I18n};

/// A finding as a row of the raid's page.
pub(super) struct Row {
    pub id: i64,
    pub when: String,
    pub place: String,
    pub who: String,
    pub person: String,
    pub action: String,
    pub registered: bool,
    pub child_id: Option<i64>,
    /// An IIN not on the registry that a coordinator may add.
    pub addable: String,
    pub circumstances: String,
    /// Its photos the viewer may see.
    pub photos: Vec<i64>,
    /// The phone's id for it, when the viewer may add a photo (else empty).
    pub photo_to: String,
}

/// A finding's sides as the conflict shows them: label and value.
pub(super) struct Conflict {
    pub id: i64,
    pub by: String,
    pub rows: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "raids/show.html")]
struct ShowPage {
    t: I18n,
    l: Layout,
    id: i64,
    organiser: String,
    date: String,
    starts_at: String,
    planned: bool,
    places: Vec<(String, String)>,
    participants: Vec<(String, i32)>,
    total: i32,
    members: Vec<String>,
    note: String,
    rows: Vec<Row>,
    conflicts: Vec<Conflict>,
    can_edit: bool,
    message: String,
    /// The note under a photo's field.
    photo_note: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct ShowQuery {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    resolved: Option<String>,
}

/// What sex and age say, as a row shows it.
pub(super) fn who(t: &I18n, sex: &str, age: Option<i16>) -> String {
    let sex = t.label("sex", sex);
    match age {
        Some(a) => format!("{sex}, {}", t.count("raid-age", i64::from(a))),
        None => sex,
    }
}

/// A finding's fields as typed, labelled, for comparing two sides.
fn sides(t: &I18n, f: &FindingInput) -> Vec<(String, String)> {
    let code = |prefix: &str, v: &str| if v.trim().is_empty() { String::new() } else { t.label(prefix, v.trim()) };
    vec![
        (t.field("iin"), f.iin.clone()),
        (t.field("name"), f.name.clone()),
        (t.field("sex"), code("sex", &f.sex)),
        (t.field("age"), f.age.clone()),
        (t.field("place"), code("raid-place", &f.place)),
        (t.field("address"), f.address.clone()),
        (t.field("found_at"), f.found_at.clone()),
        (t.field("circumstances"), f.circumstances.clone()),
        (t.field("action"), code("raid-action", &f.action)),
    ]
}

/// The server's side of a finding, typed as a form would have it.
fn as_input(f: &app::entity::raid_finding::Model) -> FindingInput {
    FindingInput {
        client_id: f.client_id.clone(),
        iin: f.iin.clone().unwrap_or_default(),
        name: f.name.clone().unwrap_or_default(),
        sex: f.sex.clone(),
        age: f.age.map(|a| a.to_string()).unwrap_or_default(),
        place: f.place.clone(),
        address: f.address.clone().unwrap_or_default(),
        found_at: f.found_at.clone().unwrap_or_default(),
        circumstances: f.circumstances.clone().unwrap_or_default(),
        action: f.action.clone(),
    }
}

pub(super) async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let v = app::raids::get(&state.core, &user.actor, RaidId(id)).await.page(&t)?;
    let found = app::raids::findings(&state.core, &user.actor, RaidId(id)).await.page(&t)?;
    let coordinator = user.actor.role.is_coordinator();
    let pending = if coordinator {
        app::raids::conflicts(&state.core, &user.actor, Some(RaidId(id))).await.page(&t)?
    } else {
        Vec::new()
    };
    let rows = found
        .into_iter()
        .map(|fv| {
            let f = &fv.finding;
            let person = [f.name.clone(), f.iin.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ");
            Row {
                id: f.id,
                when: f.found_at.clone().unwrap_or_default(),
                place: [Some(t.label("raid-place", &f.place)), f.address.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", "),
                who: who(&t, &f.sex, f.age),
                person,
                action: t.label("raid-action", &f.action),
                registered: fv.registered,
                child_id: fv.child_id,
                addable: if coordinator && !fv.registered { f.iin.clone().unwrap_or_default() } else { String::new() },
                circumstances: f.circumstances.clone().unwrap_or_default(),
                photos: fv.photos.clone(),
                photo_to: if (fv.mine || coordinator) && fv.photos.len() < app::raids::PHOTOS_MAX {
                    f.client_id.clone()
                } else {
                    String::new()
                },
            }
        })
        .collect();
    let conflicts = pending
        .into_iter()
        .map(|c| {
            let server = sides(&t, &as_input(&c.server.finding));
            let phone = sides(&t, &c.proposed);
            let rows = server
                .into_iter()
                .zip(phone)
                .filter(|((_, a), (_, b))| a.trim() != b.trim())
                .map(|((label, a), (_, b))| (label, a, b))
                .collect();
            Conflict { id: c.conflict.id, by: c.proposed_by, rows }
        })
        .collect();
    let message = if q.saved.is_some() {
        t.t("raid-saved")
    } else if q.resolved.is_some() {
        t.t("raid-resolved")
    } else {
        String::new()
    };
    let today = domain::calendar::today();
    let page = ShowPage {
        l: user.layout(t.args("raid-title", &[("date", t.date(&v.raid.held_on))])),
        id,
        organiser: t.name(&v.unit.name_ru, &v.unit.name_kk).to_owned(),
        date: t.date(&v.raid.held_on),
        starts_at: v.raid.starts_at.clone().unwrap_or_default(),
        planned: v.raid.held_on > today,
        places: v
            .places
            .iter()
            .map(|p| (t.label("raid-place", &p.kind), p.address.clone().unwrap_or_default()))
            .collect(),
        participants: v.participants.iter().map(|p| (t.label("raid-participant", &p.kind), p.count)).collect(),
        total: v.participants.iter().map(|p| p.count).sum(),
        members: v.members.iter().map(|(_, login, name)| format!("{name} ({login})")).collect(),
        note: v.raid.note.clone().unwrap_or_default(),
        rows,
        conflicts,
        can_edit: coordinator,
        message,
        photo_note: t.args("raid-photo-note", &[("limit", (state.config.proof_limit / (1024 * 1024)).to_string())]),
        t,
    };
    Ok(render(&page))
}
