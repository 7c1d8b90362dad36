//! The early warning: the school days a pupil missed, read against the calendar and the region's
//! thresholds, open a case by themselves (with the first steps of the ladder) once they cross
//! either. The e-journal's file is where most days out come from.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Utc};
use domain::attendance::{AbsenceReason, Calendar, FIRST_STEPS, Pupil, Thresholds, Warning};
use domain::{Actor, ErrorCode, Invalid, OrgKind, OrgUnitId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use super::{calendar, cases, insert, mark_days, recount, school};
use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{absence, absent_day, campaign, journal_coverage, org_unit, warning_threshold};
use crate::error::Error;

/// The thresholds of a region in the actor's scope (coordinators and auditors).
pub async fn region_thresholds(
    db: &impl ConnectionTrait,
    actor: &Actor,
    region: OrgUnitId,
) -> Result<Thresholds, Error> {
    if !actor.role.can_read_personal_data() {
        return Err(Error::Forbidden);
    }
    let unit = crate::org::get(db, actor, region).await?;
    if crate::org::kind_of(&unit) != OrgKind::Region {
        return Err(Invalid::one("region_id", ErrorCode::InvalidChoice).into());
    }
    thresholds(db, unit.id).await
}

/// A region's thresholds (the defaults, 7 days and 33 %, without a row of its own).
pub async fn thresholds(db: &impl ConnectionTrait, region_id: i64) -> Result<Thresholds, Error> {
    let row = warning_threshold::Entity::find_by_id(region_id).one(db).await?;
    Ok(row.map_or_else(Thresholds::default, |r| Thresholds {
        streak: u16::try_from(r.streak).unwrap_or(7),
        share_permille: u16::try_from(r.share_permille).unwrap_or(330),
    }))
}

/// Sets a region's thresholds: its coordinator's, or the republic's.
pub async fn set_thresholds(db: &Db, actor: &Actor, region: OrgUnitId, t: Thresholds) -> Result<(), Error> {
    if !actor.role.is_coordinator() || actor.role.coordinates().is_some_and(|k| k > OrgKind::Region) {
        return Err(Error::Forbidden);
    }
    let mut errors = Vec::new();
    if !(1..=60).contains(&t.streak) {
        errors.push(domain::FieldError::new("streak", ErrorCode::NumberRange).with_limit(60));
    }
    if t.share_permille > 1000 {
        errors.push(domain::FieldError::new("share_permille", ErrorCode::NumberRange).with_limit(1000));
    }
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    let txn = crate::write_txn(db).await?;
    let unit = crate::org::get(&txn, actor, region).await?;
    if crate::org::kind_of(&unit) != OrgKind::Region {
        return Err(Invalid::one("region_id", ErrorCode::InvalidChoice).into());
    }
    let row = warning_threshold::ActiveModel {
        region_id: Set(unit.id),
        streak: Set(i16::try_from(t.streak).unwrap_or(7)),
        share_permille: Set(i16::try_from(t.share_permille).unwrap_or(330)),
        updated_by: Set(actor.user_id.0),
        updated_at: Set(Utc::now()),
    };
    let cols = [
        warning_threshold::Column::Streak,
        warning_threshold::Column::SharePermille,
        warning_threshold::Column::UpdatedBy,
        warning_threshold::Column::UpdatedAt,
    ];
    warning_threshold::Entity::insert(row)
        .on_conflict(OnConflict::column(warning_threshold::Column::RegionId).update_columns(cols).to_owned())
        .exec_without_returning(&txn)
        .await?;
    let entry = Entry {
        action: "update",
        entity: "warning_thresholds",
        entity_id: Some(unit.id),
        unit_path: Some(&unit.path),
        before: None,
        after: Some(json!(t)),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(())
}

/// One row of the e-journal's file: a pupil out on a day, with the reason if the journal says.
#[derive(Debug, Clone)]
pub struct JournalRow {
    /// The pupil.
    pub pupil: Pupil,
    /// The day out.
    pub day: NaiveDate,
    /// Why, when the journal says.
    pub reason: Option<AbsenceReason>,
}

/// What reading a file did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct JournalSummary {
    /// Days out in the file.
    pub days: usize,
    /// Pupils in it.
    pub pupils: usize,
    /// Cases the early warning opened.
    pub opened: usize,
}

/// The first warning a pupil's days out raise, from the first of the month of its first day out
/// to the last day the school's record covers.
fn warn(absent: &BTreeSet<NaiveDate>, until: NaiveDate, cal: &Calendar, t: &Thresholds) -> Option<Warning> {
    let first = absent.first()?.with_day(1)?;
    let days: Vec<(NaiveDate, bool)> =
        cal.school_days(first, until).into_iter().map(|d| (d, !absent.contains(&d))).collect();
    t.warning(&days, cal)
}

/// The first day of what raised the warning: the streak's first day, or the month's first day out.
fn first_out(w: &Warning, absent: &BTreeSet<NaiveDate>, cal: &Calendar) -> NaiveDate {
    let (from, to) = match *w {
        Warning::Streak { days, until } => {
            let back = cal.school_days(until - chrono::Days::new(u64::from(days) * 3 + 14), until);
            let start = back.len().saturating_sub(usize::from(days));
            return back.get(start).copied().unwrap_or(until);
        }
        Warning::LowShare { month, .. } => (month, month.checked_add_months(chrono::Months::new(1)).unwrap_or(month)),
    };
    absent.range(from..to).next().copied().unwrap_or(from)
}

/// Reads an e-journal's days out for a school (checked whole by the caller), all in one
/// transaction: the days are kept once each, every pupil already out is recounted, and a pupil
/// whose days cross the thresholds gets its absence and a case with the ladder's first steps.
pub async fn import_journal(
    db: &Db,
    actor: &Actor,
    c: &campaign::Model,
    school_id: OrgUnitId,
    rows: &[JournalRow],
) -> Result<JournalSummary, Error> {
    let txn = crate::write_txn(db).await?;
    let school = school(&txn, actor, school_id).await?;
    let days: Vec<(String, NaiveDate)> = rows.iter().map(|r| (r.pupil.iin.as_str().to_owned(), r.day)).collect();
    mark_days(&txn, c, &school, &days).await?;
    let until = journal_coverage::Entity::find_by_id((c.id, school.id))
        .one(&txn)
        .await?
        .map_or_else(domain::calendar::today, |j| j.known_until);
    let mut pupils: BTreeMap<&str, &JournalRow> = BTreeMap::new();
    for r in rows {
        let e = pupils.entry(r.pupil.iin.as_str()).or_insert(r);
        if r.reason.is_some() {
            *e = r;
        }
    }
    let region_id = crate::scope::levels(&school.path).0.unwrap_or_default();
    let t = thresholds(&txn, region_id).await?;
    let cal = calendar(&txn, NaiveDate::from_ymd_opt(c.year, 1, 1).unwrap_or_default(), until).await?;
    let mut opened = 0;
    for (iin, row) in &pupils {
        let existing = absence::Entity::find()
            .filter(absence::Column::CampaignId.eq(c.id))
            .filter(absence::Column::Iin.eq(*iin))
            .one(&txn)
            .await?;
        if let Some(a) = existing {
            recount(&txn, &a).await?;
            continue;
        }
        let absent: BTreeSet<NaiveDate> = absent_day::Entity::find()
            .select_only()
            .column(absent_day::Column::Day)
            .filter(absent_day::Column::CampaignId.eq(c.id))
            .filter(absent_day::Column::Iin.eq(*iin))
            .order_by_asc(absent_day::Column::Day)
            .into_tuple::<NaiveDate>()
            .all(&txn)
            .await?
            .into_iter()
            .collect();
        let Some(w) = warn(&absent, until, &cal, &t) else { continue };
        let first = first_out(&w, &absent, &cal);
        let a = insert(&txn, actor, c, &school, &row.pupil, first, "journal").await?;
        if let Some(reason) = row.reason {
            absence::Entity::update_many()
                .col_expr(absence::Column::Reason, Expr::value(reason.as_str()))
                .filter(absence::Column::Id.eq(a.id))
                .exec(&txn)
                .await?;
        }
        recount(&txn, &a).await?;
        let on = match w {
            Warning::Streak { until, .. } => until,
            Warning::LowShare { month, .. } => cal.school_days_of_month(month).last().copied().unwrap_or(month),
        };
        let case_id = cases::open(&txn, None, &a, on, Some(w)).await?;
        // The ladder: a call the next school day, then the talk and the home visit two days apart.
        let ahead = cal.school_days(on.succ_opt().unwrap_or(on), on + chrono::Days::new(30));
        for (i, kind) in FIRST_STEPS.iter().enumerate() {
            let due = ahead.get(i * 2).copied().unwrap_or(on);
            cases::insert_step(&txn, None, case_id, &a, *kind, due, Some(actor.user_id.0)).await?;
        }
        opened += 1;
    }
    let summary = JournalSummary { days: rows.len(), pupils: pupils.len(), opened };
    let entry = Entry {
        action: "import",
        entity: "attendance",
        entity_id: Some(school.id),
        unit_path: Some(&school.path),
        before: None,
        after: Some(json!(summary)),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(summary)
}

/// The school of an org unit id, for callers that check files before they write.
pub async fn school_for_import(db: &Db, actor: &Actor, id: OrgUnitId) -> Result<org_unit::Model, Error> {
    school(db, actor, id).await
}
