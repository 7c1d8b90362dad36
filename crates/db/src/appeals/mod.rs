//! Citizens' appeals (обращения): registered by staff from a phone line, a reception or a letter,
//! or filed by the public through the web form or a school's QR code; routed to the unit in
//! charge, with a term on the working-day calendar, worked, forwarded, extended and answered
//! there (`flow`), listed by due date or receipt for every scope from an index (`read`), and
//! followed by the public by a random code that shows nothing but where it stands.
//!
//! Coordinators and auditors see the appeals of units in their scope; sponsors and raid members
//! none; the public only what its code shows.

use chrono::{DateTime, Utc};
use domain::appeal::{AppealFields, Routing, Status, term};
use domain::{Actor, ErrorCode, Invalid, OrgKind, Role};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{appeal, appeal_event, campaign, child, org_unit};
use crate::error::{Error, is_unique_violation};

pub(crate) mod calendar;
pub mod flags;
mod flow;
mod notices;
mod read;
pub mod report;

pub use calendar::{CALENDAR_REACH_DAYS, set_term, set_work_day, terms, work_calendar, work_days};
pub use flow::{Escalated, answer, assign, close, escalate, extend, feedback, forward, take};
pub use read::{AppealView, Cursor, PAGE, PublicView, View, get, list, receipt, track};

/// Who files an appeal: a staff member (its scope decides the child it may link), or the public
/// through a form whose submission carries a key (the same key twice is one appeal).
#[derive(Debug, Clone, Copy)]
pub enum By<'a> {
    /// A coordinator registering what it received.
    Staff(&'a Actor),
    /// A visitor's form.
    Public {
        /// The form's key, made when the form was shown.
        client_key: &'a str,
        /// The client's address.
        client_addr: &'a str,
        /// The visitor's language (`ru`, `kk`): the applicant is written to in it.
        locale: &'a str,
        /// The limit the client's address is counted against, in the appeal's own transaction
        /// once its place is known to exist (a mistake does not count; over the limit nothing is
        /// kept).
        limit: Option<&'a crate::throttle::Limit>,
    },
}

/// Whether the actor may read appeals at all (coordinators and auditors).
pub(crate) fn reads(actor: &Actor) -> bool {
    actor.role.is_coordinator() || actor.role == Role::Auditor
}

/// The appeal `id` as the actor may see it: one of a unit in its scope. Another's is "not in
/// scope" (logged); a role that reads no appeals is refused.
pub(crate) async fn visible(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<appeal::Model, Error> {
    if !reads(actor) {
        return Err(Error::Forbidden);
    }
    let a = appeal::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    if actor.scope.covers(&a.unit_path) {
        return Ok(a);
    }
    Err(Error::NotInScope(Box::new(crate::error::Denial {
        actor: actor.clone(),
        entity: "appeal",
        id: a.id,
        target_path: a.unit_path,
    })))
}

/// A unit by id, if it is an active school (`want` School), district or region.
async fn unit_of_kind(
    db: &impl ConnectionTrait,
    id: i64,
    want: OrgKind,
    field: &str,
) -> Result<org_unit::Model, Error> {
    match org_unit::Entity::find_by_id(id).one(db).await? {
        Some(u) if u.active && crate::org::kind_of(&u) == want => Ok(u),
        _ => Err(Invalid::one(field, ErrorCode::InvalidChoice).into()),
    }
}

/// The unit above `unit` of kind `want` (the unit itself if it is one).
async fn above(db: &impl ConnectionTrait, unit: org_unit::Model, want: OrgKind) -> Result<org_unit::Model, Error> {
    let mut u = unit;
    for _ in 0..4 {
        if crate::org::kind_of(&u) == want {
            return Ok(u);
        }
        let Some(parent) = u.parent_id else { break };
        u = org_unit::Entity::find_by_id(parent).one(db).await?.ok_or(Error::NotFound)?;
    }
    Ok(u)
}

/// The unit in charge of an appeal, and the school it is about: by the school named (or the
/// district), the topic's routing (a complaint about a school goes to its district, about a
/// sponsor to the region) or, for staff naming neither, the staff member's own unit.
async fn route(
    db: &impl ConnectionTrait,
    f: &AppealFields,
    staff: Option<&Actor>,
) -> Result<(org_unit::Model, Option<i64>), Error> {
    let named = match (f.school, f.district) {
        (Some(s), _) => Some(unit_of_kind(db, s, OrgKind::School, "school").await?),
        (None, Some(d)) => Some(unit_of_kind(db, d, OrgKind::District, "district").await?),
        (None, None) => None,
    };
    let about_school = named.as_ref().filter(|u| crate::org::kind_of(u) == OrgKind::School).map(|u| u.id);
    let start = match (named, staff) {
        (Some(u), _) => u,
        (None, Some(actor)) => {
            let own = org_unit::Entity::find().filter(org_unit::Column::Path.eq(actor.scope.path())).one(db).await?;
            let own = own.ok_or(Error::NotFound)?;
            if crate::org::kind_of(&own) == OrgKind::Republic {
                return Err(Invalid::one("school", ErrorCode::Required).into());
            }
            own
        }
        (None, None) => return Err(Invalid::one("school", ErrorCode::Required).into()),
    };
    let unit = match f.topic.routing() {
        Routing::School => start,
        Routing::District if crate::org::kind_of(&start) == OrgKind::School => {
            above(db, start, OrgKind::District).await?
        }
        Routing::District => start,
        Routing::Region => above(db, start, OrgKind::Region).await?,
    };
    Ok((unit, about_school))
}

/// The registry record of the child with this IIN in the campaign, if it lies in the actor's
/// scope; outside it (or not registered) is the IIN's field error, naming nothing.
async fn child_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: Option<&campaign::Model>,
    iin: &str,
) -> Result<i64, Error> {
    let found = match c {
        Some(c) => {
            let q = child::Entity::find().filter(child::Column::CampaignId.eq(c.id)).filter(child::Column::Iin.eq(iin));
            q.one(db).await?
        }
        None => None,
    };
    match found {
        Some(ch) if actor.role.can_read_personal_data() && actor.scope.covers(&ch.unit_path) => Ok(ch.id),
        _ => Err(Invalid::one("iin", ErrorCode::ChildNotInRegistry).into()),
    }
}

/// The appeal a public form's key made, if it made one.
pub async fn by_key(db: &Db, client_key: &str) -> Result<Option<appeal::Model>, Error> {
    Ok(appeal::Entity::find().filter(appeal::Column::ClientKey.eq(client_key)).one(db).await?)
}

/// Appends what happened to an appeal.
pub(crate) async fn event(
    txn: &impl ConnectionTrait,
    appeal_id: i64,
    kind: &str,
    unit: Option<i64>,
    note: Option<String>,
    user: Option<i64>,
) -> Result<(), sea_orm::DbErr> {
    let row = appeal_event::ActiveModel {
        appeal_id: Set(appeal_id),
        kind: Set(kind.to_owned()),
        unit_id: Set(unit),
        note: Set(note),
        user_id: Set(user),
        at: Set(Utc::now()),
        ..Default::default()
    };
    row.insert(txn).await?;
    Ok(())
}

/// Registers an appeal at the unit in charge with its term from `now`'s day in Kazakhstan; the
/// second value says whether it is new (a public form sent again is the appeal it made first).
pub async fn register(
    db: &Db,
    by: By<'_>,
    f: &AppealFields,
    c: Option<&campaign::Model>,
    now: DateTime<Utc>,
) -> Result<(appeal::Model, bool), Error> {
    let locale = match by {
        By::Public { locale, .. } => locale,
        By::Staff(_) => "ru",
    };
    let staff = match by {
        By::Staff(a) if a.role.is_coordinator() => Some(a),
        By::Staff(_) => return Err(Error::Forbidden),
        By::Public { .. } => None,
    };
    let key = match by {
        By::Public { client_key, client_addr, .. } => Some((client_key.to_owned(), client_addr.to_owned())),
        By::Staff(_) => None,
    };
    // A key already used is found by its unique index when the appeal is written (the count of
    // the client's limit goes back with the rest).
    let txn = crate::write_txn(db).await?;
    let (unit, about_school) = route(&txn, f, staff).await?;
    if let By::Public { client_addr, limit: Some(limit), .. } = by {
        crate::throttle::charge(&txn, limit, client_addr, now.timestamp()).await?;
    }
    let child_id = match (staff, &f.iin) {
        (Some(actor), Some(iin)) => Some(child_of(&txn, actor, c, iin.as_str()).await?),
        _ => None,
    };
    let today = domain::appeal::local_day(now);
    let (cal, days) = calendar::calendar_and_term(&txn, f.topic, today).await?;
    let t = term(&cal, today, days);
    let (region_id, district_id, school_id) = crate::scope::levels(&unit.path);
    let applicant = f.applicant.as_ref();
    let row = appeal::ActiveModel {
        code: Set(domain::appeal::new_code()),
        channel: Set(f.channel.as_str().to_owned()),
        topic: Set(f.topic.as_str().to_owned()),
        status: Set(Status::Registered.as_str().to_owned()),
        anonymous: Set(i16::from(applicant.is_none())),
        applicant_name: Set(applicant.map(|a| a.name.clone())),
        applicant_phone: Set(applicant.and_then(|a| a.phone.clone())),
        applicant_email: Set(applicant.and_then(|a| a.email.clone())),
        body: Set(f.text.clone()),
        about_school_id: Set(about_school),
        child_id: Set(child_id),
        unit_id: Set(unit.id),
        unit_path: Set(unit.path.clone()),
        region_id: Set(region_id),
        district_id: Set(district_id),
        school_id: Set(school_id),
        received_at: Set(now),
        received_on: Set(today),
        term_from: Set(today),
        warn_on: Set(t.warn_on),
        due_on: Set(t.due_on),
        registered_by: Set(staff.map(|a| a.user_id.0)),
        client_key: Set(key.as_ref().map(|(k, _)| k.clone())),
        client_addr: Set(key.as_ref().map(|(_, a)| a.clone())),
        locale: Set(if locale == "kk" { "kk" } else { "ru" }.to_owned()),
        version: Set(1),
        updated_at: Set(now),
        ..Default::default()
    };
    let row = match row.insert(&txn).await {
        Ok(row) => row,
        Err(e) if is_unique_violation(&e) && key.is_some() => {
            drop(txn);
            let k = key.map(|(k, _)| k).unwrap_or_default();
            return by_key(db, &k).await?.map(|d| (d, false)).ok_or(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    event(&txn, row.id, "registered", Some(unit.id), None, staff.map(|a| a.user_id.0)).await?;
    notices::applicant(&txn, &row, "appeal_registered", json!({})).await?;
    notices::unit(&txn, &row).await?;
    let entry = Entry {
        action: "create",
        entity: "appeal",
        entity_id: Some(row.id),
        unit_path: Some(&row.unit_path),
        before: None,
        after: Some(json!({ "channel": row.channel, "topic": row.topic, "due_on": row.due_on, "child_id": child_id })),
    };
    let who = staff.map_or(Who::Login(None, "public"), Who::User);
    audit::record(&txn, who, entry).await?;
    txn.commit().await?;
    Ok((row, true))
}
