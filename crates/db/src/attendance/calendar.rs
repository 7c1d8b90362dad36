//! The school calendar: the built-in year (2026's days off, FIELD.md) with the republic's changes
//! on top — a weekday off (a decree's move, a break) or a weekend day worked instead.

use chrono::{NaiveDate, Utc};
use domain::attendance::Calendar;
use domain::{Actor, ErrorCode, Invalid, Role};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::calendar_day;
use crate::error::Error;

/// The school calendar from `from` to `to`: the built-in year (2026's days off) with the
/// republic's changes on top.
pub async fn calendar(db: &impl ConnectionTrait, from: NaiveDate, to: NaiveDate) -> Result<Calendar, Error> {
    let mut cal = Calendar::kazakhstan_2026();
    let rows = calendar_day::Entity::find().filter(calendar_day::Column::Day.between(from, to)).all(db).await?;
    for r in rows {
        if r.school_day == 1 {
            cal.off.remove(&r.day);
            cal.worked.insert(r.day);
        } else {
            cal.worked.remove(&r.day);
            cal.off.insert(r.day);
        }
    }
    Ok(cal)
}

/// The republic's coordinator marks a day as a school day or a day off for every school; the
/// days a year ahead or more than a year back are refused.
pub async fn set_day(db: &Db, actor: &Actor, day: NaiveDate, school_day: bool, today: NaiveDate) -> Result<(), Error> {
    if actor.role != Role::RepublicCoordinator {
        return Err(Error::Forbidden);
    }
    if (day - today).num_days().abs() > 400 {
        return Err(Invalid::one("day", ErrorCode::YearRange).into());
    }
    let txn = crate::write_txn(db).await?;
    let row = calendar_day::ActiveModel {
        day: Set(day),
        school_day: Set(i16::from(school_day)),
        updated_by: Set(actor.user_id.0),
        updated_at: Set(Utc::now()),
    };
    let cols = [calendar_day::Column::SchoolDay, calendar_day::Column::UpdatedBy, calendar_day::Column::UpdatedAt];
    calendar_day::Entity::insert(row)
        .on_conflict(OnConflict::column(calendar_day::Column::Day).update_columns(cols).to_owned())
        .exec_without_returning(&txn)
        .await?;
    let entry = Entry {
        action: "update",
        entity: "calendar_day",
        entity_id: None,
        unit_path: Some(actor.scope.path()),
        before: None,
        after: Some(json!({ "day": day, "school_day": school_day })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(())
}
