//! Pupils who do not come to school, and the case that follows each until it is back
//! (MISSION.md §6): the school records any pupil who did not come, marks its days out by hand
//! (the day's roll) or from the e-journal's file (`journal`), and works the case's steps; the
//! district signs a case closed without the pupil back; the early warning opens a case by itself.

mod journal;

use chrono::NaiveDate;
use domain::attendance::{AbsenceInput, AbsenceReason, ClosingInput, StepInput, Thresholds};
use domain::{Actor, OrgUnitId};

use crate::entity::{campaign, case};
use crate::{Core, Error};

pub use db::attendance::{
    AbsenceLine, Added, CaseView, JournalSummary, PAGE, Reasons, Recorded, Roll, StepChange, StepConflict, StepView,
    TASKS_PAGE, Task,
};
pub use journal::{JOURNAL_COLUMNS, import};

/// Records a pupil of a school who did not come, and opens its case.
pub async fn record(
    core: &Core,
    actor: &Actor,
    c: &campaign::Model,
    school: OrgUnitId,
    input: &AbsenceInput,
    today: NaiveDate,
) -> Result<Recorded, Error> {
    let f = input.parse(today)?;
    Ok(db::attendance::record(&core.db, actor, c, school, &f).await?)
}

/// The day's roll of a school: who is still out, who came back.
pub async fn roll(
    core: &Core,
    actor: &Actor,
    c: &campaign::Model,
    school: OrgUnitId,
    r: Roll<'_>,
    today: NaiveDate,
) -> Result<usize, Error> {
    Ok(db::attendance::roll(&core.db, actor, c, school, r, today).await?)
}

/// One pupil out with its case (the read is logged).
pub async fn get(core: &Core, actor: &Actor, id: i64) -> Result<AbsenceLine, Error> {
    Ok(db::attendance::get(&core.db, actor, id).await?)
}

/// A page of the pupils out in the actor's scope, most days out first.
pub async fn list(
    core: &Core,
    actor: &Actor,
    c: &campaign::Model,
    reason: Option<AbsenceReason>,
    after: Option<(i32, i64)>,
) -> Result<(Vec<AbsenceLine>, Option<(i32, i64)>), Error> {
    Ok(db::attendance::list(&core.db, actor, c, reason, after).await?)
}

/// How many pupils are out in the actor's scope, by reason.
pub async fn reasons(core: &Core, actor: &Actor, c: &campaign::Model) -> Result<Reasons, Error> {
    Ok(db::attendance::reasons(&core.db, actor, c).await?)
}

/// A case with its pupil and steps.
pub async fn case(core: &Core, actor: &Actor, id: i64, today: NaiveDate) -> Result<CaseView, Error> {
    Ok(db::attendance::case(&core.db, actor, id, today).await?)
}

/// Adds a step to an open case (the same phone's id twice is the same step).
pub async fn add_step(
    core: &Core,
    actor: &Actor,
    case_id: i64,
    input: &StepInput,
    today: NaiveDate,
) -> Result<Added, Error> {
    let s = input.parse(today)?;
    Ok(db::attendance::add_step(&core.db, actor, case_id, &s).await?)
}

/// Changes a step opened at `version`; a change made offline (`offline`) on a version changed
/// since is kept as a conflict for a coordinator instead of being refused.
pub async fn update_step(
    core: &Core,
    actor: &Actor,
    step_id: i64,
    version: i32,
    input: &StepInput,
    today: NaiveDate,
    offline: bool,
) -> Result<StepChange, Error> {
    let s = input.parse(today)?;
    Ok(db::attendance::update_step(&core.db, actor, step_id, version, &s, offline.then_some(input)).await?)
}

/// The undecided conflicts over a case's steps, for a coordinator over the case.
pub async fn step_conflicts(core: &Core, actor: &Actor, case_id: i64) -> Result<Vec<StepConflict>, Error> {
    Ok(db::attendance::step_conflicts(&core.db, actor, case_id).await?)
}

/// Decides a step's conflict: the phone's change written over the step, or the server's kept.
pub async fn resolve_step(
    core: &Core,
    actor: &Actor,
    id: i64,
    apply: bool,
    today: NaiveDate,
) -> Result<StepConflict, Error> {
    Ok(db::attendance::resolve_step(&core.db, actor, id, apply, today).await?)
}

/// Closes a case: back at school, or a reason the district signs.
pub async fn close(
    core: &Core,
    actor: &Actor,
    case_id: i64,
    input: &ClosingInput,
    today: NaiveDate,
) -> Result<case::Model, Error> {
    let first_day = db::attendance::first_day(&core.db, actor, case_id).await?;
    let f = input.parse(first_day, today)?;
    Ok(db::attendance::close(&core.db, actor, case_id, &f).await?)
}

/// The district's second signature (or its refusal).
pub async fn sign(core: &Core, actor: &Actor, case_id: i64, agree: bool) -> Result<case::Model, Error> {
    Ok(db::attendance::sign(&core.db, actor, case_id, agree).await?)
}

/// The steps still to do in the actor's scope (or its own), soonest due first.
pub async fn tasks(
    core: &Core,
    actor: &Actor,
    c: &campaign::Model,
    mine: bool,
    after: Option<(NaiveDate, i64)>,
    today: NaiveDate,
) -> Result<Vec<Task>, Error> {
    Ok(db::attendance::tasks(&core.db, actor, c, mine, after, today).await?)
}

/// The early-warning thresholds of a region in the actor's scope.
pub async fn thresholds(core: &Core, actor: &Actor, region: OrgUnitId) -> Result<Thresholds, Error> {
    Ok(db::attendance::region_thresholds(&core.db, actor, region).await?)
}

/// Sets a region's thresholds.
pub async fn set_thresholds(core: &Core, actor: &Actor, region: OrgUnitId, t: Thresholds) -> Result<(), Error> {
    Ok(db::attendance::set_thresholds(&core.db, actor, region, t).await?)
}

/// The school days from `from` to `to` (at most 400 days), the republic's changes included.
pub async fn school_days(core: &Core, from: NaiveDate, to: NaiveDate) -> Result<Vec<NaiveDate>, Error> {
    if to < from {
        return Err(domain::Invalid::one("to", domain::ErrorCode::PeriodReversed).into());
    }
    if (to - from).num_days() > 400 {
        return Err(domain::Invalid::one("to", domain::ErrorCode::YearRange).into());
    }
    Ok(db::attendance::calendar(&core.db, from, to).await?.school_days(from, to))
}

/// The republic marks a day as a school day or a day off.
pub async fn set_day(
    core: &Core,
    actor: &Actor,
    day: NaiveDate,
    school_day: bool,
    today: NaiveDate,
) -> Result<(), Error> {
    Ok(db::attendance::set_day(&core.db, actor, day, school_day, today).await?)
}
