//! The working-day calendar the appeals' terms count on, and each topic's term: data the
//! republic edits (m0021 gives 2026 and 2027's public holidays).

use chrono::{Days, NaiveDate, Utc};
use domain::appeal::{TERM_DAYS, Topic};
use domain::calendar::Calendar;
use domain::{Actor, ErrorCode, Invalid, Role};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{appeal_term, work_day};
use crate::error::Error;

/// How far past a term's start the calendar is read: two months and a margin (an extension's
/// longest reach).
pub const CALENDAR_REACH_DAYS: u64 = 75;

/// The working-day calendar from `from` to `to`.
pub async fn work_calendar(db: &impl ConnectionTrait, from: NaiveDate, to: NaiveDate) -> Result<Calendar, Error> {
    let rows = work_day::Entity::find().filter(work_day::Column::Day.between(from, to)).all(db).await?;
    let mut cal = Calendar::default();
    for r in rows {
        if r.working == 1 {
            cal.worked.insert(r.day);
        } else {
            cal.off.insert(r.day);
        }
    }
    Ok(cal)
}

/// The calendar a term starting on `from` may need.
pub(crate) async fn calendar_from(db: &impl ConnectionTrait, from: NaiveDate) -> Result<Calendar, Error> {
    let to = from.checked_add_days(Days::new(CALENDAR_REACH_DAYS)).unwrap_or(from);
    work_calendar(db, from, to).await
}

/// The exceptions of `year`, in date order.
pub async fn work_days(db: &Db, year: i32) -> Result<Vec<work_day::Model>, Error> {
    let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
        return Ok(Vec::new());
    };
    let q = work_day::Entity::find().filter(work_day::Column::Day.between(from, to));
    Ok(q.order_by_asc(work_day::Column::Day).all(db).await?)
}

/// The republic's coordinator marks `day` worked or off (`None`: as the week has it, the
/// exception dropped), with a note; more than two years from today is refused.
pub async fn set_work_day(
    db: &Db,
    actor: &Actor,
    day: NaiveDate,
    working: Option<bool>,
    note: Option<String>,
    today: NaiveDate,
) -> Result<(), Error> {
    if actor.role != Role::RepublicCoordinator {
        return Err(Error::Forbidden);
    }
    if (day - today).num_days().abs() > 800 {
        return Err(Invalid::one("day", ErrorCode::YearRange).into());
    }
    let txn = crate::write_txn(db).await?;
    let before = work_day::Entity::find_by_id(day).one(&txn).await?;
    match working {
        None => {
            work_day::Entity::delete_by_id(day).exec(&txn).await?;
        }
        Some(w) => {
            let row = work_day::ActiveModel {
                day: Set(day),
                working: Set(i16::from(w)),
                note: Set(note.clone()),
                updated_by: Set(Some(actor.user_id.0)),
                updated_at: Set(Some(Utc::now())),
            };
            let cols = [
                work_day::Column::Working,
                work_day::Column::Note,
                work_day::Column::UpdatedBy,
                work_day::Column::UpdatedAt,
            ];
            work_day::Entity::insert(row)
                .on_conflict(OnConflict::column(work_day::Column::Day).update_columns(cols).to_owned())
                .exec_without_returning(&txn)
                .await?;
        }
    }
    let entry = Entry {
        action: "update",
        entity: "work_day",
        entity_id: None,
        unit_path: Some(actor.scope.path()),
        before: before.map(|b| json!({ "day": b.day, "working": b.working, "note": b.note })),
        after: Some(json!({ "day": day, "working": working, "note": note })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(())
}

/// Each topic's term in working days.
pub async fn terms(db: &impl ConnectionTrait) -> Result<Vec<(Topic, u32)>, Error> {
    let rows = appeal_term::Entity::find().all(db).await?;
    Ok(Topic::ALL
        .iter()
        .map(|t| {
            let days = rows.iter().find(|r| r.topic == t.as_str()).map_or(TERM_DAYS, |r| r.days.unsigned_abs().into());
            (*t, days)
        })
        .collect())
}

/// The calendar a term of `topic` starting on `from` may need, and that term in working days, in
/// one statement (an appeal's registration and forward read both).
pub(crate) async fn calendar_and_term(
    db: &impl ConnectionTrait,
    topic: Topic,
    from: NaiveDate,
) -> Result<(Calendar, u32), Error> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query, UnionType};
    let to = from.checked_add_days(Days::new(CALENDAR_REACH_DAYS)).unwrap_or(from);
    let mut q = Query::select();
    q.column(work_day::Column::Day)
        .column(work_day::Column::Working)
        .expr(Expr::val(None::<i16>))
        .from(work_day::Entity)
        .and_where(Expr::col(work_day::Column::Day).between(from, to));
    let mut term = Query::select();
    term.expr(Expr::val(None::<NaiveDate>))
        .expr(Expr::val(None::<i16>))
        .column(appeal_term::Column::Days)
        .from(appeal_term::Entity)
        .and_where(Expr::col(appeal_term::Column::Topic).eq(topic.as_str()));
    q.union(UnionType::All, term);
    let (mut cal, mut days) = (Calendar::default(), TERM_DAYS);
    for r in db.query_all(&q).await? {
        match (r.try_get_by_index::<Option<NaiveDate>>(0)?, r.try_get_by_index::<Option<i16>>(1)?) {
            (Some(day), Some(1)) => {
                cal.worked.insert(day);
            }
            (Some(day), Some(_)) => {
                cal.off.insert(day);
            }
            _ => days = r.try_get_by_index::<Option<i16>>(2)?.map_or(TERM_DAYS, |d| d.unsigned_abs().into()),
        }
    }
    Ok((cal, days))
}

/// The term of `topic` in working days.
pub(crate) async fn term_days(db: &impl ConnectionTrait, topic: Topic) -> Result<u32, Error> {
    let row = appeal_term::Entity::find_by_id(topic.as_str().to_owned()).one(db).await?;
    Ok(row.map_or(TERM_DAYS, |r| r.days.unsigned_abs().into()))
}

/// The republic's coordinator sets a topic's term (appeals registered after it count on it).
pub async fn set_term(db: &Db, actor: &Actor, topic: Topic, days: u32) -> Result<(), Error> {
    if actor.role != Role::RepublicCoordinator {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let before = term_days(&txn, topic).await?;
    let row = appeal_term::ActiveModel {
        topic: Set(topic.as_str().to_owned()),
        days: Set(i16::try_from(days).unwrap_or(i16::MAX)),
        updated_by: Set(Some(actor.user_id.0)),
        updated_at: Set(Some(Utc::now())),
    };
    let cols = [appeal_term::Column::Days, appeal_term::Column::UpdatedBy, appeal_term::Column::UpdatedAt];
    appeal_term::Entity::insert(row)
        .on_conflict(OnConflict::column(appeal_term::Column::Topic).update_columns(cols).to_owned())
        .exec_without_returning(&txn)
        .await?;
    let entry = Entry {
        action: "update",
        entity: "appeal_term",
        entity_id: None,
        unit_path: Some(actor.scope.path()),
        before: Some(json!({ "topic": topic, "days": before })),
        after: Some(json!({ "topic": topic, "days": days })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(())
}
