//! The raids' pages: the list, a raid with its findings and conflicts, and the raid's form.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use domain::raid::{ParticipantInput, ParticipantKind, PlaceInput, PlaceKind, RaidInput};
use domain::{ConflictId, OrgKind, OrgUnitId, RaidId, UserId};
use serde::Deserialize;

use super::api::{cursor, parse_after};
use crate::error::{FormErrors, Localize, PageError};
use crate::extract::PageUser;
use crate::render::{Layout, render, render_invalid};
use crate::{AppState, I18n};

/// A raid as a line of the list.
pub(super) struct Line {
    id: i64,
    date: String,
    places: String,
    participants: i64,
    findings: i64,
    planned: bool,
}

#[derive(Template)]
#[template(path = "raids/list.html")]
struct ListPage {
    t: I18n,
    l: Layout,
    lines: Vec<Line>,
    can_plan: bool,
    next: String,
    later: bool,
}

#[derive(Debug, Deserialize)]
pub(super) struct ListQuery {
    #[serde(default)]
    after: String,
}

pub(super) async fn list(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let t = user.t.clone();
    let c = app::campaigns::chosen(&state.core, None).await.page(&t)?;
    let after = parse_after(&q.after);
    let (rows, next) = app::raids::list(&state.core, &user.actor, &c, after).await.page(&t)?;
    let today = domain::calendar::today();
    let lines = rows
        .into_iter()
        .map(|r| Line {
            id: r.raid.id,
            date: t.date(&r.raid.held_on),
            places: r.places.iter().map(|k| t.label("raid-place", k)).collect::<Vec<_>>().join(", "),
            participants: r.participants,
            findings: r.findings,
            planned: r.raid.held_on > today,
        })
        .collect();
    let page = ListPage {
        l: user.layout(t.t("raids-title")),
        lines,
        can_plan: user.actor.role.is_coordinator(),
        next: next.map(cursor).unwrap_or_default(),
        later: after.is_some(),
        t,
    };
    Ok(render(&page))
}

/// The raid's form as typed: places and participants as parallel lists.
#[derive(Debug, Default, Deserialize)]
pub(super) struct RaidForm {
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    place_kind: Vec<String>,
    #[serde(default)]
    place_address: Vec<String>,
    #[serde(default)]
    participant_kind: Vec<String>,
    #[serde(default)]
    participant_count: Vec<String>,
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    note: String,
}

impl RaidForm {
    fn input(&self) -> RaidInput {
        let at = |v: &[String], i: usize| v.get(i).cloned().unwrap_or_default();
        RaidInput {
            date: self.date.clone(),
            starts_at: self.starts_at.clone(),
            places: (0..self.place_kind.len().max(self.place_address.len()))
                .map(|i| PlaceInput { kind: at(&self.place_kind, i), address: at(&self.place_address, i) })
                .collect(),
            participants: (0..self.participant_kind.len())
                .map(|i| ParticipantInput {
                    kind: at(&self.participant_kind, i),
                    count: at(&self.participant_count, i),
                })
                .collect(),
            note: self.note.clone(),
        }
    }

    fn members(&self) -> Vec<UserId> {
        self.members.iter().filter_map(|m| m.trim().parse().ok()).map(UserId).collect()
    }
}

#[derive(Template)]
#[template(path = "raids/form.html")]
struct FormPage {
    t: I18n,
    l: Layout,
    /// Where the form goes.
    action: String,
    f: RaidForm,
    /// Place rows: kind, address.
    places: Vec<(String, String)>,
    place_kinds: Vec<(&'static str, String)>,
    /// Participant rows: kind code, label, count.
    participants: Vec<(&'static str, String, String)>,
    /// Organisers offered: id, name.
    units: Vec<(i64, String)>,
    /// Raid members offered: id, label, chosen.
    candidates: Vec<(i64, String, bool)>,
    errors: FormErrors,
}

/// Blank place rows offered below the typed ones.
const BLANK_PLACES: usize = 3;

async fn form_page(
    state: &AppState,
    user: &PageUser,
    id: Option<i64>,
    f: RaidForm,
    errors: FormErrors,
) -> Result<FormPage, PageError> {
    let t = user.t.clone();
    let own = user.actor.scope.unit();
    let unit = f.unit_id.trim().parse().map(OrgUnitId).unwrap_or(own);
    let mut units = Vec::new();
    if id.is_none() {
        let mine = app::orgs::get(&state.core, &user.actor, own).await.page(&t)?;
        let filter = app::orgs::ListFilter { parent: Some(own), ..Default::default() };
        let below = app::orgs::list(&state.core, &user.actor, &filter, 500).await.page(&t)?;
        for u in std::iter::once(mine).chain(below) {
            if app::orgs::kind_of(&u) != OrgKind::Republic {
                units.push((u.id, t.name(&u.name_ru, &u.name_kk).to_owned()));
            }
        }
    }
    let chosen = f.members();
    let candidates = app::raids::candidates(&state.core, &user.actor, unit)
        .await
        .page(&t)?
        .into_iter()
        .map(|(uid, login, name)| (uid, format!("{name} ({login})"), chosen.contains(&UserId(uid))))
        .collect();
    let mut places: Vec<(String, String)> = f
        .place_kind
        .iter()
        .zip(f.place_address.iter().chain(std::iter::repeat(&String::new())))
        .filter(|(k, a)| !k.trim().is_empty() || !a.trim().is_empty())
        .map(|(k, a)| (k.clone(), a.clone()))
        .collect();
    places.extend(std::iter::repeat_n((String::new(), String::new()), BLANK_PLACES));
    let count_of = |kind: &str| {
        f.participant_kind.iter().position(|k| k == kind).and_then(|i| f.participant_count.get(i).cloned())
    };
    let participants = ParticipantKind::ALL
        .iter()
        .map(|k| (k.as_str(), t.label("raid-participant", k.as_str()), count_of(k.as_str()).unwrap_or_default()))
        .collect();
    let place_kinds = PlaceKind::ALL.iter().map(|k| (k.as_str(), t.label("raid-place", k.as_str()))).collect();
    let title = t.t(if id.is_some() { "raid-edit" } else { "raid-new" });
    let action = id.map_or_else(|| "/raids/new".to_owned(), |i| format!("/raids/{i}/edit"));
    Ok(FormPage { l: user.layout(title), action, f, places, place_kinds, participants, units, candidates, errors, t })
}

pub(super) async fn new(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    if !user.actor.role.is_coordinator() {
        return Err(user.fail(app::Error::Forbidden));
    }
    Ok(render(&form_page(&state, &user, None, RaidForm::default(), FormErrors::default()).await?))
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<RaidForm>,
) -> Result<Response, PageError> {
    let c = app::campaigns::chosen(&state.core, None).await.page(&user.t)?;
    let unit = f.unit_id.trim().parse().map(OrgUnitId).unwrap_or(user.actor.scope.unit());
    match app::raids::create(&state.core, &user.actor, &c, unit, &f.input(), &f.members()).await {
        Ok(r) => Ok(Redirect::to(&format!("/raids/{}?saved=1", r.id)).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&form_page(&state, &user, None, f, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

pub(super) async fn edit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    if !user.actor.role.is_coordinator() {
        return Err(user.fail(app::Error::Forbidden));
    }
    let v = app::raids::get(&state.core, &user.actor, RaidId(id)).await.page(&user.t)?;
    let f = RaidForm {
        unit_id: v.raid.unit_id.to_string(),
        version: v.raid.version.to_string(),
        date: user.t.date(&v.raid.held_on),
        starts_at: v.raid.starts_at.clone().unwrap_or_default(),
        place_kind: v.places.iter().map(|p| p.kind.clone()).collect(),
        place_address: v.places.iter().map(|p| p.address.clone().unwrap_or_default()).collect(),
        participant_kind: v.participants.iter().map(|p| p.kind.clone()).collect(),
        participant_count: v.participants.iter().map(|p| p.count.to_string()).collect(),
        members: v.members.iter().map(|(uid, _, _)| uid.to_string()).collect(),
        note: v.raid.note.clone().unwrap_or_default(),
    };
    Ok(render(&form_page(&state, &user, Some(id), f, FormErrors::default()).await?))
}

pub(super) async fn update(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<RaidForm>,
) -> Result<Response, PageError> {
    let version = f.version.trim().parse().unwrap_or(0);
    match app::raids::update(&state.core, &user.actor, RaidId(id), version, &f.input(), &f.members()).await {
        Ok(_) => Ok(Redirect::to(&format!("/raids/{id}?saved=1")).into_response()),
        Err(app::Error::Invalid(invalid)) => {
            let errors = FormErrors::new(&user.t, &invalid.0);
            Ok(render_invalid(&form_page(&state, &user, Some(id), f, errors).await?))
        }
        Err(other) => Err(user.fail(other)),
    }
}

/// A coordinator's decision on a conflict, from the raid's page.
#[derive(Debug, Deserialize)]
pub(super) struct ResolveForm {
    #[serde(default)]
    apply: String,
    #[serde(default)]
    raid: i64,
}

pub(super) async fn resolve(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<ResolveForm>,
) -> Result<Response, PageError> {
    let today = domain::calendar::today();
    let apply = f.apply == "yes";
    app::raids::resolve(&state.core, &user.actor, ConflictId(id), apply, today).await.page(&user.t)?;
    Ok(Redirect::to(&format!("/raids/{}?resolved=1#conflicts", f.raid)).into_response())
}
