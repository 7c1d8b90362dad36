//! Pupils who do not come to school (MISSION.md §6): a school records any pupil who did not come
//! (in the aid registry or not) with the reason, marks the days out afterwards by hand or from the
//! e-journal's file, and follows each with a case (`cases`) until it is back. The early warning
//! (`warning`) opens a case by itself for a pupil whose days out cross the region's thresholds.
//! Names and IINs are personal data: only coordinators and auditors over the school see them, and
//! every list that shows them is in the audit log.

use chrono::{NaiveDate, Utc};
use domain::attendance::{Absence, Pupil};
use domain::{Actor, ErrorCode, Invalid, OrgKind, OrgUnitId};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect,
};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{absence, absent_day, campaign, child, journal_coverage, org_unit};
use crate::error::{Denial, Error};

mod calendar;
mod cases;
mod closing;
mod conflicts;
mod list;
mod stats;
mod tasks;
mod warning;

pub use calendar::{calendar, set_day};
pub use cases::{Added, CaseView, StepChange, StepView, add_step, case, update_step};
pub use closing::{close, first_day, sign};
pub use conflicts::{StepConflict, resolve_step, step_conflicts};
pub use list::{AbsenceLine, PAGE, Reasons, list, reasons};
pub use stats::{METRICS, Stats, below_for_report, count, count_statements, curve, for_report, stats};
pub use tasks::{TASKS_PAGE, Task, overdue, tasks};
pub use warning::{
    JournalRow, JournalSummary, import_journal, region_thresholds, school_for_import, set_thresholds, thresholds,
};

/// A school in the actor's scope whose attendance a coordinator records.
pub(crate) async fn school(db: &impl ConnectionTrait, actor: &Actor, id: OrgUnitId) -> Result<org_unit::Model, Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let unit = crate::org::get(db, actor, id).await?;
    if crate::org::kind_of(&unit) != OrgKind::School {
        return Err(Invalid::one("school_id", ErrorCode::NotASchool).into());
    }
    Ok(unit)
}

/// Who may read pupils' attendance: coordinators and auditors; never raid members or sponsors.
fn may_read(actor: &Actor) -> Result<(), Error> {
    if actor.role.can_read_personal_data() { Ok(()) } else { Err(Error::Forbidden) }
}

/// The absence `id` as the actor may see it.
pub(crate) async fn visible(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<absence::Model, Error> {
    may_read(actor)?;
    let a = absence::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    if actor.scope.covers(&a.unit_path) {
        Ok(a)
    } else {
        Err(Error::NotInScope(Box::new(Denial {
            actor: actor.clone(),
            entity: "absence",
            id: a.id,
            target_path: a.unit_path,
        })))
    }
}

/// The registry record with the pupil's IIN in the campaign, if any (at any school).
async fn registry_id(db: &impl ConnectionTrait, campaign_id: i64, iin: &str) -> Result<Option<i64>, Error> {
    Ok(child::Entity::find()
        .select_only()
        .column(child::Column::Id)
        .filter(child::Column::CampaignId.eq(campaign_id))
        .filter(child::Column::Iin.eq(iin))
        .into_tuple::<i64>()
        .one(db)
        .await?)
}

/// Marks days out (a day already marked is kept once) and moves the school's record forward.
pub(crate) async fn mark_days(
    db: &impl ConnectionTrait,
    c: &campaign::Model,
    school: &org_unit::Model,
    days: &[(String, NaiveDate)],
) -> Result<(), Error> {
    for chunk in days.chunks(500) {
        let rows = chunk.iter().map(|(iin, day)| absent_day::ActiveModel {
            campaign_id: Set(c.id),
            iin: Set(iin.clone()),
            day: Set(*day),
            school_id: Set(school.id),
        });
        let keys = [absent_day::Column::CampaignId, absent_day::Column::Iin, absent_day::Column::Day];
        absent_day::Entity::insert_many(rows)
            .on_conflict(OnConflict::columns(keys).do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
    }
    if let Some(last) = days.iter().map(|(_, d)| *d).max() {
        let row =
            journal_coverage::ActiveModel { campaign_id: Set(c.id), school_id: Set(school.id), known_until: Set(last) };
        let keys = [journal_coverage::Column::CampaignId, journal_coverage::Column::SchoolId];
        let later = Expr::cust(
            "CASE WHEN excluded.known_until > journal_coverage.known_until THEN excluded.known_until ELSE journal_coverage.known_until END",
        );
        journal_coverage::Entity::insert(row)
            .on_conflict(OnConflict::columns(keys).value(journal_coverage::Column::KnownUntil, later).to_owned())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Counts an absence's days out from its first day (up to its return) and keeps it on the row.
pub(crate) async fn recount(db: &impl ConnectionTrait, a: &absence::Model) -> Result<i32, Error> {
    let mut q = absent_day::Entity::find()
        .filter(absent_day::Column::CampaignId.eq(a.campaign_id))
        .filter(absent_day::Column::Iin.eq(a.iin.as_str()))
        .filter(absent_day::Column::Day.gte(a.first_day));
    if let Some(back) = a.returned_on {
        q = q.filter(absent_day::Column::Day.lt(back));
    }
    let n = i32::try_from(q.count(db).await?).unwrap_or(i32::MAX);
    if n != a.days_out {
        absence::Entity::update_many()
            .col_expr(absence::Column::DaysOut, Expr::value(n))
            .filter(absence::Column::Id.eq(a.id))
            .exec(db)
            .await?;
    }
    Ok(n)
}

/// A new absence row for a pupil of `school`.
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &campaign::Model,
    school: &org_unit::Model,
    pupil: &Pupil,
    first_day: NaiveDate,
    source: &str,
) -> Result<absence::Model, Error> {
    let (region_id, district_id, _) = crate::scope::levels(&school.path);
    let now = Utc::now();
    let row = absence::ActiveModel {
        campaign_id: Set(c.id),
        unit_path: Set(school.path.clone()),
        region_id: Set(region_id.unwrap_or_default()),
        district_id: Set(district_id.unwrap_or_default()),
        school_id: Set(school.id),
        iin: Set(pupil.iin.as_str().to_owned()),
        surname: Set(pupil.surname.clone()),
        first_name: Set(pupil.first_name.clone()),
        grade: Set(pupil.grade),
        child_id: Set(registry_id(db, c.id, pupil.iin.as_str()).await?),
        first_day: Set(first_day),
        reason: Set(None),
        returned_on: Set(None),
        days_out: Set(0),
        note: Set(None),
        source: Set(source.to_owned()),
        created_by: Set(actor.user_id.0),
        created_at: Set(now),
        updated_by: Set(actor.user_id.0),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// What recording an absence did.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The pupil's absence as it now stands.
    pub absence: absence::Model,
    /// Its case.
    pub case_id: i64,
    /// Whether it is new (a form sent twice, or the same pupil typed again, is not).
    pub created: bool,
}

/// Records a pupil of `school` who did not come (any pupil; one record per pupil and campaign),
/// opens its case, and marks its first day out. The same pupil typed again at the same school
/// changes the record (and, typed as out again after its case closed, opens the case again); a
/// pupil another school has recorded is refused.
pub async fn record(
    db: &Db,
    actor: &Actor,
    c: &campaign::Model,
    school_id: OrgUnitId,
    f: &Absence,
) -> Result<Recorded, Error> {
    let txn = crate::write_txn(db).await?;
    let school = school(&txn, actor, school_id).await?;
    let iin = f.pupil.iin.as_str();
    let existing = absence::Entity::find()
        .filter(absence::Column::CampaignId.eq(c.id))
        .filter(absence::Column::Iin.eq(iin))
        .one(&txn)
        .await?;
    let (a, created) = match existing {
        Some(a) if a.school_id != school.id => return Err(Invalid::one("iin", ErrorCode::AbsentElsewhere).into()),
        Some(a) => (a, false),
        None => (insert(&txn, actor, c, &school, &f.pupil, f.first_day, "typed").await?, true),
    };
    absence::Entity::update_many()
        .col_expr(absence::Column::Surname, Expr::value(f.pupil.surname.clone()))
        .col_expr(absence::Column::FirstName, Expr::value(f.pupil.first_name.clone()))
        .col_expr(absence::Column::Grade, Expr::value(f.pupil.grade))
        .col_expr(absence::Column::FirstDay, Expr::value(f.first_day))
        .col_expr(absence::Column::Reason, Expr::value(f.reason.as_str()))
        .col_expr(absence::Column::ReturnedOn, Expr::value(f.returned_on))
        .col_expr(absence::Column::Note, Expr::value(f.note.clone()))
        .col_expr(absence::Column::UpdatedBy, Expr::value(actor.user_id.0))
        .col_expr(absence::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(absence::Column::Version, Expr::col(absence::Column::Version).add(i32::from(!created)))
        .filter(absence::Column::Id.eq(a.id))
        .exec(&txn)
        .await?;
    mark_days(&txn, c, &school, &[(iin.to_owned(), f.first_day)]).await?;
    let a = absence::Entity::find_by_id(a.id).one(&txn).await?.ok_or(Error::NotFound)?;
    recount(&txn, &a).await?;
    let case_id = cases::open(&txn, Some(actor), &a, f.first_day, None).await?;
    // Back once, out again: the case is followed again.
    if !created && f.returned_on.is_none() {
        closing::reopen(&txn, actor, (case_id, &a.unit_path), f.first_day).await?;
    }
    let entry = Entry {
        action: if created { "create" } else { "update" },
        entity: "absence",
        entity_id: Some(a.id),
        unit_path: Some(&a.unit_path),
        before: None,
        after: Some(json!({ "first_day": f.first_day, "reason": f.reason, "returned_on": f.returned_on })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    let absence = absence::Entity::find_by_id(a.id).one(&txn).await?.ok_or(Error::NotFound)?;
    txn.commit().await?;
    Ok(Recorded { absence, case_id, created })
}

/// A school's roll for a day: of its pupils out (by absence id), who is still out and who is back.
#[derive(Debug, Clone, Copy)]
pub struct Roll<'a> {
    /// The school day.
    pub day: NaiveDate,
    /// Still out that day (a day out each).
    pub out: &'a [i64],
    /// Back that day (the day is their return).
    pub back: &'a [i64],
}

/// The school's roll for a school day. Only school days, not after `today`.
pub async fn roll(
    db: &Db,
    actor: &Actor,
    c: &campaign::Model,
    school_id: OrgUnitId,
    r: Roll<'_>,
    today: NaiveDate,
) -> Result<usize, Error> {
    let Roll { day, out, back } = r;
    if day > today {
        return Err(Invalid::one("day", ErrorCode::DateInFuture).into());
    }
    if !calendar(db, day, day).await?.is_school_day(day) {
        return Err(Invalid::one("day", ErrorCode::NotSchoolDay).into());
    }
    let txn = crate::write_txn(db).await?;
    let school = school(&txn, actor, school_id).await?;
    let ids: Vec<i64> = out.iter().chain(back).copied().collect();
    let rows = absence::Entity::find()
        .filter(Condition::all().add(absence::Column::Id.is_in(ids)).add(absence::Column::SchoolId.eq(school.id)))
        .all(&txn)
        .await?;
    let still: Vec<(String, NaiveDate)> =
        rows.iter().filter(|a| out.contains(&a.id) && day >= a.first_day).map(|a| (a.iin.clone(), day)).collect();
    mark_days(&txn, c, &school, &still).await?;
    for a in rows.iter().filter(|a| back.contains(&a.id) && a.returned_on.is_none()) {
        if day <= a.first_day {
            return Err(Invalid::one("day", ErrorCode::ReturnBeforeAbsence).into());
        }
        absence::Entity::update_many()
            .col_expr(absence::Column::ReturnedOn, Expr::value(day))
            .col_expr(absence::Column::Version, Expr::col(absence::Column::Version).add(1))
            .filter(absence::Column::Id.eq(a.id))
            .exec(&txn)
            .await?;
    }
    for a in &rows {
        let fresh = absence::Entity::find_by_id(a.id).one(&txn).await?.ok_or(Error::NotFound)?;
        recount(&txn, &fresh).await?;
    }
    let entry = Entry {
        action: "roll",
        entity: "attendance",
        entity_id: Some(school.id),
        unit_path: Some(&school.path),
        before: None,
        after: Some(json!({ "day": day, "out": still.len(), "back": back.len() })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(rows.len())
}

/// An absence with its case (id and status); reading it is in the audit log.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<AbsenceLine, Error> {
    let a = visible(db, actor, id).await?;
    let case = crate::entity::case::Entity::find()
        .select_only()
        .columns([crate::entity::case::Column::Id, crate::entity::case::Column::Status])
        .filter(crate::entity::case::Column::AbsenceId.eq(a.id))
        .into_tuple::<(i64, String)>()
        .one(db)
        .await?;
    let entry = Entry {
        action: "read_personal",
        entity: "absence",
        entity_id: Some(a.id),
        unit_path: Some(&a.unit_path),
        before: None,
        after: None,
    };
    audit::record(db, Who::User(actor), entry).await?;
    Ok(AbsenceLine { absence: a, case })
}
