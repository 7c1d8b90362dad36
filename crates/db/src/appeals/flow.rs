//! What is done with an appeal at the unit in charge: taken into work or assigned, forwarded to the
//! unit whose competence it is (its term counted again from its arrival there), extended once with
//! a reason, answered and closed; the applicant's "was it solved?"; and the day's escalations.
//! Each change is one guarded statement (the status it starts from and the version read), so two
//! coordinators answering at once leave one answer and a clear refusal.

use chrono::{DateTime, NaiveDate, Utc};
use domain::appeal::{ExtensionInput, Status, local_day, term};
use domain::{Actor, ErrorCode, Invalid, OrgKind, OrgUnitId, UserId};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use super::{calendar, event, notices, visible};
use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{appeal, org_unit, user};
use crate::error::Error;

/// Most appeals one sweep escalates (the next sweep takes the rest).
const SWEEP_MAX: u64 = 1000;

/// The appeal `id` for a coordinator over it to change, if its status is one of `from`.
async fn for_change(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    from: &[Status],
) -> Result<appeal::Model, Error> {
    let a = visible(txn, actor, id).await?;
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let status = Status::parse(&a.status).unwrap_or(Status::Closed);
    if !from.contains(&status) {
        let code = if status.is_open() { ErrorCode::AppealNotAnswered } else { ErrorCode::AppealNotOpen };
        return Err(Invalid::one("status", code).into());
    }
    Ok(a)
}

/// Sets `cols` on the appeal as it was read (its version), raising the version.
async fn set(
    txn: &impl ConnectionTrait,
    a: &appeal::Model,
    cols: Vec<(appeal::Column, SimpleExpr)>,
) -> Result<appeal::Model, Error> {
    let mut q = appeal::Entity::update_many()
        .col_expr(appeal::Column::Version, Expr::col(appeal::Column::Version).add(1))
        .col_expr(appeal::Column::UpdatedAt, Expr::value(Utc::now()));
    for (c, v) in cols {
        q = q.col_expr(c, v);
    }
    let done = q.filter(appeal::Column::Id.eq(a.id)).filter(appeal::Column::Version.eq(a.version)).exec(txn).await?;
    if done.rows_affected != 1 {
        return Err(Invalid::one("version", ErrorCode::StaleVersion).into());
    }
    appeal::Entity::find_by_id(a.id).one(txn).await?.ok_or(Error::NotFound)
}

async fn audit_change(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    a: &appeal::Model,
    what: serde_json::Value,
) -> Result<(), Error> {
    let entry = Entry {
        action: "update",
        entity: "appeal",
        entity_id: Some(a.id),
        unit_path: Some(&a.unit_path),
        before: Some(json!({ "status": a.status, "unit_id": a.unit_id, "due_on": a.due_on })),
        after: Some(what),
    };
    audit::record(txn, Who::User(actor), entry).await?;
    Ok(())
}

const OPEN: [Status; 3] = [Status::Registered, Status::InWork, Status::Forwarded];

/// The coordinator takes the appeal into work (its assignee unless one is set).
pub async fn take(db: &Db, actor: &Actor, id: i64) -> Result<appeal::Model, Error> {
    let txn = crate::write_txn(db).await?;
    let a = for_change(&txn, actor, id, &[Status::Registered, Status::Forwarded]).await?;
    let assignee = a.assignee_id.unwrap_or(actor.user_id.0);
    let cols = vec![
        (appeal::Column::Status, Expr::value(Status::InWork.as_str())),
        (appeal::Column::AssigneeId, Expr::value(assignee)),
    ];
    let after = set(&txn, &a, cols).await?;
    event(&txn, a.id, "taken", None, None, Some(actor.user_id.0)).await?;
    audit_change(&txn, actor, &a, json!({ "status": after.status, "assignee_id": assignee })).await?;
    txn.commit().await?;
    Ok(after)
}

/// Assigns the appeal to an active coordinator of the unit in charge.
pub async fn assign(db: &Db, actor: &Actor, id: i64, to: UserId) -> Result<appeal::Model, Error> {
    let txn = crate::write_txn(db).await?;
    let a = for_change(&txn, actor, id, &OPEN).await?;
    let who = user::Entity::find_by_id(to.0).one(&txn).await?;
    let fits = match &who {
        Some(u) if u.active && domain::Role::parse(&u.role).is_some_and(domain::Role::is_coordinator) => {
            u.org_unit_id == a.unit_id
        }
        _ => false,
    };
    if !fits {
        return Err(Invalid::one("assignee_id", ErrorCode::NotAnAssignee).into());
    }
    let cols = vec![
        (appeal::Column::Status, Expr::value(Status::InWork.as_str())),
        (appeal::Column::AssigneeId, Expr::value(to.0)),
    ];
    let after = set(&txn, &a, cols).await?;
    event(&txn, a.id, "assigned", None, None, Some(actor.user_id.0)).await?;
    audit_change(&txn, actor, &a, json!({ "assignee_id": to.0 })).await?;
    txn.commit().await?;
    Ok(after)
}

/// Sends the appeal to the unit whose competence it is (a school, district or region other than
/// the one in charge); its term starts again on the day it arrives there.
pub async fn forward(
    db: &Db,
    actor: &Actor,
    id: i64,
    to: OrgUnitId,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<appeal::Model, Error> {
    let txn = crate::write_txn(db).await?;
    let a = for_change(&txn, actor, id, &OPEN).await?;
    let target = org_unit::Entity::find_by_id(to.0).one(&txn).await?;
    let target = match target {
        Some(u)
            if u.active
                && u.id != a.unit_id
                && matches!(crate::org::kind_of(&u), OrgKind::School | OrgKind::District | OrgKind::Region) =>
        {
            u
        }
        _ => return Err(Invalid::one("unit_id", ErrorCode::ForwardTarget).into()),
    };
    let today = local_day(now);
    // From the day it arrived here: whether the three working days to pass it on are over.
    let reach = today.checked_add_days(chrono::Days::new(calendar::CALENDAR_REACH_DAYS)).unwrap_or(today);
    let cal = calendar::work_calendar(&txn, Ord::min(a.term_from, today), reach).await?;
    let late = today > super::flags::forward_by(&cal, a.term_from);
    let topic = domain::appeal::Topic::parse(&a.topic).unwrap_or(domain::appeal::Topic::Other);
    let t = term(&cal, today, calendar::term_days(&txn, topic).await?);
    let (region_id, district_id, school_id) = crate::scope::levels(&target.path);
    let cols = vec![
        (appeal::Column::Status, Expr::value(Status::Forwarded.as_str())),
        (appeal::Column::UnitId, Expr::value(target.id)),
        (appeal::Column::UnitPath, Expr::value(target.path.clone())),
        (appeal::Column::RegionId, Expr::value(region_id)),
        (appeal::Column::DistrictId, Expr::value(district_id)),
        (appeal::Column::SchoolId, Expr::value(school_id)),
        (appeal::Column::AssigneeId, Expr::value(Option::<i64>::None)),
        (appeal::Column::TermFrom, Expr::value(today)),
        (appeal::Column::WarnOn, Expr::value(t.warn_on)),
        (appeal::Column::DueOn, Expr::value(t.due_on)),
        (appeal::Column::Extended, Expr::value(0)),
        (appeal::Column::ExtensionReason, Expr::value(Option::<String>::None)),
        (appeal::Column::Escalation, Expr::value(0)),
        (appeal::Column::ForwardedLate, Expr::value(i16::from(late || a.forwarded_late == 1))),
    ];
    let after = set(&txn, &a, cols).await?;
    event(&txn, a.id, "forwarded", Some(target.id), note.clone(), Some(actor.user_id.0)).await?;
    notices::applicant(&txn, &after, "appeal_forwarded", json!({})).await?;
    notices::unit(&txn, &after).await?;
    audit_change(&txn, actor, &a, json!({ "unit_id": target.id, "due_on": t.due_on, "note": note, "late": late }))
        .await?;
    txn.commit().await?;
    Ok(after)
}

/// Extends the term once, with a reason, up to two months from the appeal's arrival.
pub async fn extend(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: &ExtensionInput,
    now: DateTime<Utc>,
) -> Result<appeal::Model, Error> {
    let txn = crate::write_txn(db).await?;
    let a = for_change(&txn, actor, id, &OPEN).await?;
    if a.extended == 1 {
        return Err(Invalid::one("until", ErrorCode::AlreadyExtended).into());
    }
    let cal = calendar::calendar_from(&txn, a.term_from).await?;
    let (t, reason) = input.parse(&cal, a.term_from, a.due_on)?;
    let escalation = if t.warn_on > local_day(now) { 0 } else { Ord::min(a.escalation, 1) };
    let cols = vec![
        (appeal::Column::DueOn, Expr::value(t.due_on)),
        (appeal::Column::WarnOn, Expr::value(t.warn_on)),
        (appeal::Column::Extended, Expr::value(1)),
        (appeal::Column::ExtensionReason, Expr::value(reason.clone())),
        (appeal::Column::Escalation, Expr::value(escalation)),
    ];
    let after = set(&txn, &a, cols).await?;
    event(&txn, a.id, "extended", None, Some(reason.clone()), Some(actor.user_id.0)).await?;
    notices::applicant(&txn, &after, "appeal_extended", json!({ "reason": reason })).await?;
    audit_change(&txn, actor, &a, json!({ "due_on": t.due_on, "reason": reason })).await?;
    txn.commit().await?;
    Ok(after)
}

/// Answers the appeal.
pub async fn answer(db: &Db, actor: &Actor, id: i64, text: &str, now: DateTime<Utc>) -> Result<appeal::Model, Error> {
    let text = domain::appeal::parse_answer(text)?;
    let txn = crate::write_txn(db).await?;
    let a = for_change(&txn, actor, id, &OPEN).await?;
    let cols = vec![
        (appeal::Column::Status, Expr::value(Status::Answered.as_str())),
        (appeal::Column::Answer, Expr::value(text.clone())),
        (appeal::Column::AnsweredOn, Expr::value(local_day(now))),
        (appeal::Column::AnsweredAt, Expr::value(now)),
        (appeal::Column::AnsweredBy, Expr::value(actor.user_id.0)),
    ];
    let after = set(&txn, &a, cols).await?;
    event(&txn, a.id, "answered", None, None, Some(actor.user_id.0)).await?;
    notices::applicant(&txn, &after, "appeal_answered", json!({ "answer": text })).await?;
    audit_change(&txn, actor, &a, json!({ "status": after.status, "in_time": after.answered_on <= Some(a.due_on) }))
        .await?;
    txn.commit().await?;
    Ok(after)
}

/// Closes an answered appeal.
pub async fn close(db: &Db, actor: &Actor, id: i64, now: DateTime<Utc>) -> Result<appeal::Model, Error> {
    let txn = crate::write_txn(db).await?;
    let a = for_change(&txn, actor, id, &[Status::Answered]).await?;
    let cols = vec![
        (appeal::Column::Status, Expr::value(Status::Closed.as_str())),
        (appeal::Column::ClosedAt, Expr::value(now)),
    ];
    let after = set(&txn, &a, cols).await?;
    event(&txn, a.id, "closed", None, None, Some(actor.user_id.0)).await?;
    audit_change(&txn, actor, &a, json!({ "status": after.status })).await?;
    txn.commit().await?;
    Ok(after)
}

/// The applicant's "was the problem solved?", by the appeal's code, once it is answered (the
/// last answer counts).
pub async fn feedback(db: &Db, code: &str, solved: bool) -> Result<appeal::Model, Error> {
    let txn = crate::write_txn(db).await?;
    let a = appeal::Entity::find().filter(appeal::Column::Code.eq(code)).one(&txn).await?.ok_or(Error::NotFound)?;
    if Status::parse(&a.status).is_none_or(Status::is_open) {
        return Err(Invalid::one("solved", ErrorCode::AppealNotAnswered).into());
    }
    let after = set(&txn, &a, vec![(appeal::Column::Solved, Expr::value(i16::from(solved)))]).await?;
    event(&txn, a.id, "feedback", None, Some(if solved { "solved" } else { "not_solved" }.to_owned()), None).await?;
    let entry = Entry {
        action: "update",
        entity: "appeal",
        entity_id: Some(a.id),
        unit_path: Some(&a.unit_path),
        before: Some(json!({ "solved": a.solved })),
        after: Some(json!({ "solved": solved })),
    };
    audit::record(&txn, Who::Login(None, "public"), entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// An appeal the sweep escalated: to the level above (1, a quarter of the term left) or as
/// overdue (2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalated {
    /// The appeal.
    pub id: i64,
    /// The unit in charge.
    pub unit_id: i64,
    /// 1 or 2.
    pub level: i16,
}

/// Escalates what `today` calls for: open appeals whose warning day has come (to the level
/// above the unit in charge), then those past their last day (overdue). Each appeal once per
/// level, whichever server sweeps first.
pub async fn escalate(db: &Db, today: NaiveDate) -> Result<Vec<Escalated>, Error> {
    let txn = crate::write_txn(db).await?;
    let warn = appeal::Entity::find()
        .filter(appeal::Column::AnsweredAt.is_null())
        .filter(appeal::Column::Escalation.eq(0))
        .filter(appeal::Column::WarnOn.lte(today))
        .order_by_asc(appeal::Column::WarnOn)
        .order_by_asc(appeal::Column::Id)
        .limit(SWEEP_MAX)
        .all(&txn)
        .await?;
    let mut out = Vec::new();
    for a in warn {
        out.extend(raise(&txn, &a, 1).await?);
    }
    let late = appeal::Entity::find()
        .filter(appeal::Column::AnsweredAt.is_null())
        .filter(appeal::Column::DueOn.lt(today))
        .filter(appeal::Column::Escalation.lt(2))
        .order_by_asc(appeal::Column::DueOn)
        .order_by_asc(appeal::Column::Id)
        .limit(SWEEP_MAX)
        .all(&txn)
        .await?;
    for a in late {
        out.extend(raise(&txn, &a, 2).await?);
    }
    txn.commit().await?;
    Ok(out)
}

async fn raise(txn: &impl ConnectionTrait, a: &appeal::Model, level: i16) -> Result<Option<Escalated>, Error> {
    let done = appeal::Entity::update_many()
        .col_expr(appeal::Column::Escalation, Expr::value(level))
        .filter(appeal::Column::Id.eq(a.id))
        .filter(appeal::Column::Escalation.lt(level))
        .exec(txn)
        .await?;
    if done.rows_affected != 1 {
        return Ok(None);
    }
    let parent = org_unit::Entity::find_by_id(a.unit_id).one(txn).await?.and_then(|u| u.parent_id);
    event(txn, a.id, if level == 1 { "escalated" } else { "overdue" }, parent, None, None).await?;
    notices::escalated(txn, a, parent, level).await?;
    Ok(Some(Escalated { id: a.id, unit_id: a.unit_id, level }))
}
