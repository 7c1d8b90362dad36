//! A case follows a pupil who is not attending until it is back: steps with an owner, a due date
//! and an outcome (a step made on a phone offline is keyed by the phone's id, so a retry is the
//! same step); it closes with the day the pupil is back, or with a reason that takes the
//! district's second signature.

use chrono::{NaiveDate, Utc};
use domain::attendance::{Step, StepInput, StepKind, Warning};
use domain::{Actor, ErrorCode, Invalid};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use super::{may_read, visible};
use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{absence, case, case_step, org_unit, user};
use crate::error::{Error, is_unique_violation};

/// A step as a page shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StepView {
    /// The step.
    pub step: case_step::Model,
    /// Its owner's name.
    pub owner: Option<String>,
    /// Due before today and not done.
    pub overdue: bool,
}

/// A case with its pupil and steps.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CaseView {
    /// The case.
    pub case: case::Model,
    /// The pupil's absence.
    pub absence: absence::Model,
    /// Its steps, in the order they were made.
    pub steps: Vec<StepView>,
}

/// Opens the case of an absence (once: an absence that has one keeps it) and returns its id.
pub(crate) async fn open(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    a: &absence::Model,
    on: NaiveDate,
    warning: Option<Warning>,
) -> Result<i64, Error> {
    if let Some(id) = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .filter(case::Column::AbsenceId.eq(a.id))
        .into_tuple::<i64>()
        .one(db)
        .await?
    {
        return Ok(id);
    }
    let (kind, value) = match warning {
        Some(Warning::Streak { days, .. }) => (Some("streak"), Some(i32::from(days))),
        Some(Warning::LowShare { permille, .. }) => (Some("low_share"), Some(i32::from(permille))),
        None => (None, None),
    };
    let now = Utc::now();
    let row = case::ActiveModel {
        absence_id: Set(a.id),
        campaign_id: Set(a.campaign_id),
        unit_path: Set(a.unit_path.clone()),
        region_id: Set(a.region_id),
        district_id: Set(a.district_id),
        school_id: Set(a.school_id),
        status: Set("open".into()),
        opened_on: Set(on),
        opened_by: Set(actor.map(|a| a.user_id.0)),
        warning: Set(kind.map(str::to_owned)),
        warning_value: Set(value),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// A new step of a case.
pub(crate) async fn insert_step(
    db: &impl ConnectionTrait,
    client_id: Option<String>,
    case_id: i64,
    a: &absence::Model,
    kind: StepKind,
    due_on: NaiveDate,
    owner_id: Option<i64>,
) -> Result<case_step::Model, sea_orm::DbErr> {
    let now = Utc::now();
    case_step::ActiveModel {
        case_id: Set(case_id),
        absence_id: Set(a.id),
        client_id: Set(client_id),
        campaign_id: Set(a.campaign_id),
        region_id: Set(a.region_id),
        district_id: Set(a.district_id),
        school_id: Set(a.school_id),
        kind: Set(kind.as_str().to_owned()),
        owner_id: Set(owner_id),
        due_on: Set(due_on),
        done_on: Set(None),
        outcome: Set(None),
        state: Set("todo".into()),
        created_by: Set(None),
        created_at: Set(now),
        updated_by: Set(None),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The case `id` as the actor may see it, with its absence.
pub(super) async fn visible_case(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<(case::Model, absence::Model), Error> {
    may_read(actor)?;
    let k = case::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = visible(db, actor, k.absence_id).await?;
    Ok((k, a))
}

/// A case as its page shows it, `today` telling what is overdue.
pub async fn case(db: &impl ConnectionTrait, actor: &Actor, id: i64, today: NaiveDate) -> Result<CaseView, Error> {
    let (k, a) = visible_case(db, actor, id).await?;
    let steps = case_step::Entity::find()
        .filter(case_step::Column::CaseId.eq(k.id))
        .order_by_asc(case_step::Column::Id)
        .all(db)
        .await?;
    let owners: Vec<i64> = steps.iter().filter_map(|s| s.owner_id).collect();
    let names: Vec<(i64, String)> = if owners.is_empty() {
        Vec::new()
    } else {
        user::Entity::find()
            .select_only()
            .columns([user::Column::Id, user::Column::FullName])
            .filter(user::Column::Id.is_in(owners))
            .into_tuple()
            .all(db)
            .await?
    };
    let steps = steps
        .into_iter()
        .map(|s| StepView {
            owner: names.iter().find(|(id, _)| Some(*id) == s.owner_id).map(|(_, n)| n.clone()),
            overdue: s.state == "todo" && s.due_on < today,
            step: s,
        })
        .collect();
    let entry = Entry {
        action: "read_personal",
        entity: "case",
        entity_id: Some(k.id),
        unit_path: Some(&k.unit_path),
        before: None,
        after: None,
    };
    audit::record(db, Who::User(actor), entry).await?;
    Ok(CaseView { case: k, absence: a, steps })
}

/// A case the actor may change: open, in a coordinator's scope.
pub(super) async fn writable(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<(case::Model, absence::Model), Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let (k, a) = visible_case(db, actor, id).await?;
    if k.status != "open" {
        return Err(Invalid::one("case", ErrorCode::CaseNotOpen).into());
    }
    Ok((k, a))
}

/// An owner for a step of a school's case: an active account at the school or above it (not a
/// sponsor's, not a raid member's).
async fn owner(db: &impl ConnectionTrait, a: &absence::Model, id: i64) -> Result<i64, Error> {
    let u = user::Entity::find_by_id(id).one(db).await?;
    let unit = match &u {
        Some(u) => org_unit::Entity::find_by_id(u.org_unit_id).one(db).await?,
        None => None,
    };
    match (u, unit) {
        (Some(u), Some(unit))
            if u.active
                && a.unit_path.starts_with(&unit.path)
                && domain::Role::parse(&u.role).is_some_and(|r| r.is_coordinator() || r == domain::Role::Auditor) =>
        {
            Ok(u.id)
        }
        _ => Err(Invalid::one("owner_id", ErrorCode::NotAnOwner).into()),
    }
}

/// What adding a step did.
#[derive(Debug, Clone)]
pub enum Added {
    /// A new step.
    Created(case_step::Model),
    /// The phone's id was used already for this step: the same step, unchanged.
    Same(case_step::Model),
}

/// Adds a step to an open case; a step sent again with the same phone's id is the same step.
pub async fn add_step(db: &Db, actor: &Actor, case_id: i64, s: &Step) -> Result<Added, Error> {
    for _ in 0..2 {
        let txn = crate::write_txn(db).await?;
        if let Some(id) = &s.client_id
            && let Some(found) =
                case_step::Entity::find().filter(case_step::Column::ClientId.eq(id.as_str())).one(&txn).await?
        {
            if found.case_id != case_id || found.created_by != Some(actor.user_id.0) {
                return Err(Invalid::one("client_id", ErrorCode::ClientIdTaken).into());
            }
            return Ok(Added::Same(found));
        }
        let (k, a) = writable(&txn, actor, case_id).await?;
        let owner_id = owner(&txn, &a, s.owner_id.unwrap_or(actor.user_id.0)).await?;
        let row = match insert_step(&txn, s.client_id.clone(), k.id, &a, s.kind, s.due_on, Some(owner_id)).await {
            Ok(row) => row,
            Err(e) if is_unique_violation(&e) => {
                txn.rollback().await?;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let row = finish(&txn, actor, row, s).await?;
        let entry = Entry {
            action: "create",
            entity: "case_step",
            entity_id: Some(row.id),
            unit_path: Some(&k.unit_path),
            before: None,
            after: Some(json!(s)),
        };
        audit::record(&txn, Who::User(actor), entry).await?;
        txn.commit().await?;
        return Ok(Added::Created(row));
    }
    Err(Invalid::one("client_id", ErrorCode::Duplicate).into())
}

/// Writes a step's due date, owner, outcome and state, and who made the change.
async fn finish(
    db: &impl ConnectionTrait,
    actor: &Actor,
    row: case_step::Model,
    s: &Step,
) -> Result<case_step::Model, Error> {
    let state = if s.done_on.is_some() { "done" } else { "todo" };
    let mut m: case_step::ActiveModel = row.into();
    m.due_on = Set(s.due_on);
    m.done_on = Set(s.done_on);
    m.outcome = Set(s.outcome.clone());
    m.state = Set(state.into());
    m.updated_by = Set(Some(actor.user_id.0));
    m.updated_at = Set(Utc::now());
    if m.created_by.as_ref().is_none() {
        m.created_by = Set(Some(actor.user_id.0));
    }
    Ok(m.update(db).await?)
}

/// What became of a change to a step.
#[derive(Debug, Clone)]
pub enum StepChange {
    /// Written.
    Updated(case_step::Model),
    /// Made offline on a version someone changed since: kept for a coordinator to decide (the
    /// same change sent again is the same conflict), with the step as the server holds it.
    Conflict {
        /// The conflict kept.
        conflict: crate::entity::sync_conflict::Model,
        /// The step now.
        server: case_step::Model,
    },
}

/// Changes a step (its due date, owner, and once done its day and outcome), if nobody changed
/// it since `version`. A change made offline (`offline`) on an older version is kept as a
/// conflict, never written over the newer one; any other is refused as stale.
pub async fn update_step(
    db: &Db,
    actor: &Actor,
    step_id: i64,
    version: i32,
    s: &Step,
    offline: Option<&StepInput>,
) -> Result<StepChange, Error> {
    let txn = crate::write_txn(db).await?;
    let found = case_step::Entity::find_by_id(step_id).one(&txn).await?.ok_or(Error::NotFound)?;
    let (k, a) = writable(&txn, actor, found.case_id).await?;
    // A phone that never heard back sends its change again: what the server holds already.
    if found.version != version && offline.is_some() && holds(&found, s) {
        return Ok(StepChange::Updated(found));
    }
    let change = match write_step(&txn, actor, (&k, &a), &found, version, s).await? {
        Some(row) => StepChange::Updated(row),
        None => match offline {
            Some(input) => {
                let conflict = super::conflicts::keep(&txn, actor, &k, &found, version, input).await?;
                StepChange::Conflict { conflict, server: found }
            }
            None => return Err(Invalid::one("version", ErrorCode::StaleVersion).into()),
        },
    };
    txn.commit().await?;
    Ok(change)
}

/// Whether the step says what `s` says already.
fn holds(found: &case_step::Model, s: &Step) -> bool {
    found.kind == s.kind.as_str()
        && found.due_on == s.due_on
        && found.done_on == s.done_on
        && found.outcome == s.outcome
        && s.owner_id.is_none_or(|o| found.owner_id == Some(o))
}

/// Writes `s` over the step if it is still at `version`; none if it moved on.
pub(super) async fn write_step(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    (k, a): (&case::Model, &absence::Model),
    found: &case_step::Model,
    version: i32,
    s: &Step,
) -> Result<Option<case_step::Model>, Error> {
    let owner_id = owner(txn, a, s.owner_id.or(found.owner_id).unwrap_or(actor.user_id.0)).await?;
    // The version is taken first, so that of two changes on one version only one is written.
    let taken = case_step::Entity::update_many()
        .col_expr(case_step::Column::Version, sea_orm::sea_query::Expr::value(version + 1))
        .filter(case_step::Column::Id.eq(found.id))
        .filter(case_step::Column::Version.eq(version))
        .exec(txn)
        .await?;
    if taken.rows_affected != 1 {
        return Ok(None);
    }
    let before = json!({ "due_on": found.due_on, "done_on": found.done_on, "outcome": found.outcome });
    let mut m: case_step::ActiveModel = found.clone().into();
    m.owner_id = Set(Some(owner_id));
    m.kind = Set(s.kind.as_str().to_owned());
    m.version = Set(version + 1);
    let row = finish(txn, actor, m.update(txn).await?, s).await?;
    let entry = Entry {
        action: "update",
        entity: "case_step",
        entity_id: Some(row.id),
        unit_path: Some(&k.unit_path),
        before: Some(before),
        after: Some(json!(s)),
    };
    audit::record(txn, Who::User(actor), entry).await?;
    Ok(Some(row))
}
