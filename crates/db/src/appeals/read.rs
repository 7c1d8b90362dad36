//! Reading appeals: a scope's lists (still to answer by due date, due soon, overdue, the
//! actor's own, every appeal by receipt), each a page read from an index on the level's id and
//! its order, page 140 as page 1; one appeal with what happened to it; and what the public sees
//! by a code: where it stands, its last day and the answer, nothing else.

use chrono::NaiveDate;
use domain::Actor;
use domain::appeal::Status;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{reads, visible};
use crate::audit::{self, Entry, Who};
use crate::entity::{appeal, appeal_event, child, org_unit, user};
use crate::error::Error;

/// Appeals on one page of a list.
pub const PAGE: u64 = 20;

/// A page's last row: its date (due or received, by the list) and id.
pub type Cursor = (NaiveDate, i64);

/// Which appeals a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Still to answer, soonest due first.
    Open,
    /// Still to answer and due from today to `until`.
    Due {
        /// The last due day listed.
        until: NaiveDate,
    },
    /// Still to answer and past their last day.
    Overdue,
    /// Still to answer, assigned to the actor.
    Mine,
    /// Every appeal, newest first.
    All,
}

/// One appeal as its card shows it.
#[derive(Debug, Clone)]
pub struct AppealView {
    /// The appeal.
    pub appeal: appeal::Model,
    /// The unit in charge.
    pub unit: org_unit::Model,
    /// The school it is about.
    pub school: Option<org_unit::Model>,
    /// The assignee: id and name.
    pub assignee: Option<(i64, String)>,
    /// The registry record it is about: id and code.
    pub child: Option<(i64, String)>,
    /// What happened, in order, with the name of who did it and the unit it concerns.
    pub events: Vec<(appeal_event::Model, Option<String>, Option<org_unit::Model>)>,
    /// Who may be assigned: the active coordinators of the unit in charge (id, name).
    pub candidates: Vec<(i64, String)>,
    /// Appeals this one looks like a second filing of (or that look like a second filing of it),
    /// oldest first: id and code of those in the actor's scope, and how many others lie outside.
    pub duplicates: (Vec<(i64, String)>, usize),
    /// While it is open: the last day to forward it if it is not this unit's competence.
    pub forward_by: Option<NaiveDate>,
}

/// What the public sees of an appeal by its code.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PublicView {
    /// The code, as stored.
    pub code: String,
    /// Where it stands.
    pub status: String,
    /// The day it was received.
    pub received_on: NaiveDate,
    /// Its last day.
    pub due_on: NaiveDate,
    /// Whether the term was extended.
    pub extended: bool,
    /// The answer, once given (none for an anonymous appeal: it is handled, no answer is sent).
    pub answer: Option<String>,
    /// The day of the answer.
    pub answered_on: Option<NaiveDate>,
    /// The applicant's "was it solved?", once told.
    pub solved: Option<bool>,
}

/// A page of the actor's list, after the cursor of the page before; the next page's cursor.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    view: View,
    after: Option<Cursor>,
    today: NaiveDate,
) -> Result<(Vec<appeal::Model>, Option<Cursor>), Error> {
    if !reads(actor) {
        return Err(Error::Forbidden);
    }
    let levels = [appeal::Column::RegionId, appeal::Column::DistrictId, appeal::Column::SchoolId];
    let mut q = appeal::Entity::find().filter(crate::scope::at_level(actor.scope.path(), levels));
    let (date, newest_first) = match view {
        View::All => (appeal::Column::ReceivedOn, true),
        _ => (appeal::Column::DueOn, false),
    };
    if view != View::All {
        q = q.filter(appeal::Column::AnsweredAt.is_null());
    }
    q = match view {
        View::Due { until } => q.filter(appeal::Column::DueOn.between(today, until)),
        View::Overdue => q.filter(appeal::Column::DueOn.lt(today)),
        View::Mine => q.filter(appeal::Column::AssigneeId.eq(actor.user_id.0)),
        View::Open | View::All => q,
    };
    if let Some((d, id)) = after {
        // A row comparison, so that both planners start the index range at the cursor (an OR
        // of the two conditions reads every row before it on PostgreSQL).
        let key = Expr::tuple([Expr::col(date), Expr::col(appeal::Column::Id)]);
        let at = Expr::tuple([Expr::val(d), Expr::val(id)]);
        q = q.filter(if newest_first { key.lt(at) } else { key.gt(at) });
    }
    q = if newest_first {
        q.order_by_desc(date).order_by_desc(appeal::Column::Id)
    } else {
        q.order_by_asc(date).order_by_asc(appeal::Column::Id)
    };
    let mut rows = q.limit(PAGE + 1).all(db).await?;
    let next = if rows.len() as u64 > PAGE {
        rows.truncate(PAGE as usize);
        rows.last().map(|a| (if newest_first { a.received_on } else { a.due_on }, a.id))
    } else {
        None
    };
    Ok((rows, next))
}

async fn name_of(db: &impl ConnectionTrait, id: Option<i64>) -> Result<Option<String>, Error> {
    let Some(id) = id else { return Ok(None) };
    Ok(user::Entity::find_by_id(id).one(db).await?.map(|u| u.full_name))
}

/// One appeal in the actor's scope with its history; the opening is logged (it carries the
/// applicant's name and contacts, and the child it is about).
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<AppealView, Error> {
    let a = visible(db, actor, id).await?;
    let unit = org_unit::Entity::find_by_id(a.unit_id).one(db).await?.ok_or(Error::NotFound)?;
    let school = match a.about_school_id {
        Some(s) => org_unit::Entity::find_by_id(s).one(db).await?,
        None => None,
    };
    let assignee = match (a.assignee_id, name_of(db, a.assignee_id).await?) {
        (Some(id), Some(name)) => Some((id, name)),
        _ => None,
    };
    let child = match a.child_id {
        Some(c) if actor.role.can_read_personal_data() => {
            child::Entity::find_by_id(c).one(db).await?.map(|ch| (ch.id, crate::children::code(ch.id)))
        }
        _ => None,
    };
    let rows = appeal_event::Entity::find()
        .filter(appeal_event::Column::AppealId.eq(a.id))
        .order_by_asc(appeal_event::Column::Id)
        .all(db)
        .await?;
    let mut events = Vec::with_capacity(rows.len());
    for e in rows {
        let who = name_of(db, e.user_id).await?;
        let unit = match e.unit_id {
            Some(u) => org_unit::Entity::find_by_id(u).one(db).await?,
            None => None,
        };
        events.push((e, who, unit));
    }
    let candidates = user::Entity::find()
        .filter(user::Column::OrgUnitId.eq(a.unit_id))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::FullName)
        .limit(50)
        .all(db)
        .await?
        .into_iter()
        .filter(|u| domain::Role::parse(&u.role).is_some_and(domain::Role::is_coordinator))
        .map(|u| (u.id, u.full_name))
        .collect();
    let entry = Entry {
        action: "read_personal",
        entity: "appeal",
        entity_id: Some(a.id),
        unit_path: Some(&a.unit_path),
        before: None,
        after: None,
    };
    let twins = super::flags::duplicates(db, std::slice::from_ref(&a)).await?.remove(&a.id).unwrap_or_default();
    let (seen, unseen): (Vec<_>, Vec<_>) = twins.into_iter().partition(|b| actor.scope.covers(&b.unit_path));
    let duplicates = (seen.into_iter().map(|b| (b.id, b.code)).collect(), unseen.len());
    let forward_by = match Status::parse(&a.status) {
        Some(s) if s.is_open() => {
            let reach = a.term_from.checked_add_days(chrono::Days::new(30)).unwrap_or(a.term_from);
            let cal = super::calendar::work_calendar(db, a.term_from, reach).await?;
            Some(super::flags::forward_by(&cal, a.term_from))
        }
        _ => None,
    };
    audit::record(db, Who::User(actor), entry).await?;
    Ok(AppealView { appeal: a, unit, school, assignee, child, events, candidates, duplicates, forward_by })
}

/// What the public sees by a code (as stored: see `domain::appeal::normalize_code`).
pub async fn track(db: &impl ConnectionTrait, code: &str) -> Result<PublicView, Error> {
    let a = appeal::Entity::find().filter(appeal::Column::Code.eq(code)).one(db).await?.ok_or(Error::NotFound)?;
    let answered = Status::parse(&a.status).is_some_and(|s| !s.is_open());
    let told = answered && a.anonymous == 0;
    Ok(PublicView {
        code: a.code,
        status: a.status,
        received_on: a.received_on,
        due_on: a.due_on,
        extended: a.extended == 1,
        answer: if told { a.answer } else { None },
        answered_on: if answered { a.answered_on } else { None },
        solved: a.solved.map(|s| s == 1),
    })
}

/// What an appeal's receipt shows, by its code: the appeal, the unit in charge and who
/// registered it (none: the public form).
pub async fn receipt(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<(appeal::Model, org_unit::Model, Option<String>), Error> {
    let a = appeal::Entity::find().filter(appeal::Column::Code.eq(code)).one(db).await?.ok_or(Error::NotFound)?;
    let unit = org_unit::Entity::find_by_id(a.unit_id).one(db).await?.ok_or(Error::NotFound)?;
    let by = name_of(db, a.registered_by).await?;
    Ok((a, unit, by))
}
