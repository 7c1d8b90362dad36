//! `GET /`: where each user starts.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::Role;

use crate::error::{Localize, PageError};
use crate::extract::Visitor;
use crate::render::{Layout, render};
use crate::{AppState, I18n};

/// A receipt waiting, as the page lists it.
pub struct Receipt {
    pub child_id: i64,
    pub code: String,
    pub file_name: String,
    pub by: String,
    /// Uploaded by the viewer: another account decides.
    pub own: bool,
}

/// Cash whose proof is due or late.
pub struct Cash {
    pub child_id: i64,
    pub code: String,
    pub school: String,
    pub amount: String,
    /// «due in 3 days» or «4 days late».
    pub when: String,
}

/// A sponsor's delivery waiting for the school.
pub struct Delivery {
    pub child_id: i64,
    pub code: String,
    pub what: String,
    pub sponsor: String,
    pub on: String,
}

#[derive(Template)]
#[template(path = "today/today.html")]
struct TodayPage {
    t: I18n,
    l: Layout,
    year: i32,
    /// The unit is a school (else the numbers are summed over schools).
    school: bool,
    identified: i64,
    verified: i64,
    receipts: Vec<Receipt>,
    more_receipts: bool,
    overdue: Vec<Cash>,
    due_soon: Vec<Cash>,
    transfers: usize,
    steps_overdue: u64,
    deliveries: Vec<Delivery>,
    more_deliveries: bool,
}

fn cash(t: &I18n, f: &app::checks::Flagged, when: String) -> Cash {
    Cash {
        child_id: f.entry.child_id,
        code: f.code.clone(),
        school: f.school.as_ref().map(|s| t.name(&s.name_ru, &s.name_kk).to_owned()).unwrap_or_default(),
        amount: t.tiyn(&f.entry.amount),
        when,
    }
}

/// `GET /`.
pub(super) async fn home(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<super::front::PlaceQuery>,
) -> Result<Response, PageError> {
    let Some(u) = visitor.user.clone() else { return super::front::front(&state, &visitor, q).await };
    if u.user.must_change_password {
        return Ok(Redirect::to("/password").into_response());
    }
    let t = visitor.t;
    let actor = u.actor();
    if actor.role == Role::Sponsor {
        return Ok(Redirect::to("/sponsor").into_response());
    }
    if actor.role == Role::RaidMember {
        return Ok(Redirect::to("/raids").into_response());
    }
    let today = domain::calendar::today();
    let Some(work) = app::today::for_actor(&state.core, &actor, today).await.page(&t)? else {
        return Ok(Redirect::to(&format!("/orgs/{}", u.unit.id)).into_response());
    };
    let shown = usize::try_from(app::today::PROOFS_SHOWN).unwrap_or(10);
    let page = TodayPage {
        l: Layout::new(&t, Some(&u), t.t("today-title")),
        year: work.campaign.year,
        school: u.unit.kind == "school",
        identified: work.identified,
        verified: work.verified,
        more_receipts: work.proofs.len() > shown,
        receipts: work
            .proofs
            .iter()
            .take(shown)
            .map(|(p, child)| Receipt {
                child_id: *child,
                code: app::children::code(*child),
                file_name: p.file_name.clone(),
                by: format!("{}, {}", p.uploaded_login, t.date_time(&p.uploaded_at)),
                own: p.uploaded_by == actor.user_id.0,
            })
            .collect(),
        overdue: work.overdue.iter().map(|f| cash(&t, f, t.count("today-days-late", f.days_over))).collect(),
        due_soon: work.due_soon.iter().map(|(f, left)| cash(&t, f, t.count("today-days-left", *left))).collect(),
        transfers: work.transfers.len(),
        steps_overdue: work.steps_overdue,
        more_deliveries: work.deliveries.len() > usize::try_from(app::today::DELIVERIES_SHOWN).unwrap_or(50),
        deliveries: work
            .deliveries
            .iter()
            .take(usize::try_from(app::today::DELIVERIES_SHOWN).unwrap_or(50))
            .map(|d| Delivery {
                child_id: d.child_id,
                code: app::children::code(d.child_id),
                what: format!("{}, {}", t.label("need", &d.item), t.tiyn(&d.cost)),
                sponsor: d.sponsor.clone(),
                on: d.delivered_on.map(|on| t.date(&on)).unwrap_or_default(),
            })
            .collect(),
        t,
    };
    Ok(render(&page))
}
