//! Changes made offline to a case's step that someone changed meanwhile, kept (in
//! `sync_conflicts`, kind `step`) for a coordinator over the case to decide: keep the server's
//! step, or write the phone's change over it. The same change sent again is the same conflict;
//! every decision is logged.

use chrono::NaiveDate;
use domain::attendance::StepInput;
use domain::{Actor, ErrorCode, Invalid};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use super::cases::{visible_case, writable, write_step};
use crate::Db;
use crate::entity::{case, case_step, sync_conflict, user};
use crate::error::Error;

/// The record kind of a step's conflicts.
const KIND: &str = "step";

/// Most conflicts a case shows.
const SHOWN: u64 = 50;

/// A step's conflict with both sides.
#[derive(Debug, Clone)]
pub struct StepConflict {
    /// The conflict.
    pub conflict: sync_conflict::Model,
    /// The phone's change, as it was typed.
    pub proposed: StepInput,
    /// Who made it (login).
    pub proposed_by: String,
    /// The step as the server holds it.
    pub server: case_step::Model,
}

/// Keeps an offline change to a step changed since `base`; the same change sent again replaces
/// its proposal while it waits (never one a coordinator has decided).
pub(super) async fn keep(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    k: &case::Model,
    found: &case_step::Model,
    base: i32,
    input: &StepInput,
) -> Result<sync_conflict::Model, Error> {
    let record = crate::sync_conflicts::Record {
        kind: KIND,
        entity: "case_step",
        id: found.id,
        unit_path: &k.unit_path,
        version: found.version,
    };
    crate::sync_conflicts::keep(txn, actor, record, base, json!(input).to_string()).await
}

async fn expand(db: &impl ConnectionTrait, c: sync_conflict::Model) -> Result<StepConflict, Error> {
    let server = case_step::Entity::find_by_id(c.record_id).one(db).await?.ok_or(Error::NotFound)?;
    let proposed: StepInput = serde_json::from_str(&c.proposed).unwrap_or_default();
    let by = user::Entity::find_by_id(c.proposed_by).one(db).await?.map(|u| u.login).unwrap_or_default();
    Ok(StepConflict { conflict: c, proposed, proposed_by: by, server })
}

/// The undecided conflicts over a case's steps, oldest first, for a coordinator who may see it
/// (refused to anyone else).
pub async fn step_conflicts(
    db: &impl ConnectionTrait,
    actor: &Actor,
    case_id: i64,
) -> Result<Vec<StepConflict>, Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let (k, _) = visible_case(db, actor, case_id).await?;
    let steps = Query::select()
        .column(case_step::Column::Id)
        .from(case_step::Entity)
        .and_where(case_step::Column::CaseId.eq(k.id))
        .to_owned();
    let rows = sync_conflict::Entity::find()
        .filter(sync_conflict::Column::RecordKind.eq(KIND))
        .filter(sync_conflict::Column::RecordId.in_subquery(steps))
        .filter(sync_conflict::Column::ResolvedAt.is_null())
        .order_by_asc(sync_conflict::Column::Id)
        .limit(SHOWN)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        out.push(expand(db, c).await?);
    }
    Ok(out)
}

/// A coordinator over the case decides a step's conflict: `apply` writes the phone's change over
/// the step as it is now; otherwise the server's step is kept. The case must still be open.
pub async fn resolve_step(
    db: &Db,
    actor: &Actor,
    id: i64,
    apply: bool,
    today: NaiveDate,
) -> Result<StepConflict, Error> {
    let txn = crate::write_txn(db).await?;
    let c = crate::sync_conflicts::find(&txn, KIND, id).await?;
    let step = case_step::Entity::find_by_id(c.record_id).one(&txn).await?.ok_or(Error::NotFound)?;
    let (k, a) = writable(&txn, actor, step.case_id).await?;
    crate::sync_conflicts::undecided(&c)?;
    if apply {
        let proposed: StepInput = serde_json::from_str(&c.proposed).unwrap_or_default();
        let s = proposed.parse(today)?;
        if write_step(&txn, actor, (&k, &a), &step, step.version, &s).await?.is_none() {
            return Err(Invalid::one("version", ErrorCode::StaleVersion).into());
        }
    }
    let done = crate::sync_conflicts::decide(&txn, actor, &c, apply, json!({ "step_id": step.id })).await?;
    let out = expand(&txn, done).await?;
    txn.commit().await?;
    Ok(out)
}
