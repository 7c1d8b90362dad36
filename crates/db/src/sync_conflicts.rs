//! The conflicts of changes made offline (`sync_conflicts`), shared by the records a phone
//! changes (a raid's findings, a case's steps): a change made on a version someone changed since
//! is kept (the same change sent again replaces its proposal while it waits, never one decided),
//! and decided once by a coordinator, the decision logged.

use chrono::Utc;
use domain::{Actor, ErrorCode, Invalid};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::audit::{self, Entry, Who};
use crate::entity::sync_conflict;
use crate::error::Error;

/// The record a change was made to.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// `finding` or `step`.
    pub kind: &'static str,
    /// The table the audit log names it by.
    pub entity: &'static str,
    /// Its id.
    pub id: i64,
    /// Its unit's path (the scope of those who decide).
    pub unit_path: &'a str,
    /// Its version now.
    pub version: i32,
}

/// Keeps a change made on version `base` of `record` (`proposed`, as sent), and logs it.
pub async fn keep(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    record: Record<'_>,
    base: i32,
    proposed: String,
) -> Result<sync_conflict::Model, Error> {
    use sync_conflict::Column as C;
    let row = sync_conflict::ActiveModel {
        record_kind: Set(record.kind.to_owned()),
        record_id: Set(record.id),
        unit_path: Set(record.unit_path.to_owned()),
        base_version: Set(base),
        server_version: Set(record.version),
        proposed: Set(proposed),
        proposed_by: Set(actor.user_id.0),
        proposed_at: Set(Utc::now()),
        ..Default::default()
    };
    let mut on = OnConflict::columns([C::RecordKind, C::RecordId, C::ProposedBy, C::BaseVersion]);
    on.update_columns([C::Proposed, C::ServerVersion, C::ProposedAt])
        .action_and_where(Expr::col((sync_conflict::Entity, C::ResolvedAt)).is_null());
    sync_conflict::Entity::insert(row).on_conflict(on.to_owned()).try_insert().exec_without_returning(txn).await?;
    let kept = sync_conflict::Entity::find()
        .filter(C::RecordKind.eq(record.kind))
        .filter(C::RecordId.eq(record.id))
        .filter(C::ProposedBy.eq(actor.user_id.0))
        .filter(C::BaseVersion.eq(base))
        .one(txn)
        .await?
        .ok_or(Error::NotFound)?;
    let entry = Entry {
        action: "conflict",
        entity: record.entity,
        entity_id: Some(record.id),
        unit_path: Some(record.unit_path),
        before: Some(json!({ "version": record.version })),
        after: Some(json!({ "conflict_id": kept.id, "base_version": base })),
    };
    audit::record(txn, Who::User(actor), entry).await?;
    Ok(kept)
}

/// A conflict of kind `kind` by id (one of another kind is not found).
pub async fn find(txn: &impl ConnectionTrait, kind: &str, id: i64) -> Result<sync_conflict::Model, Error> {
    let c = sync_conflict::Entity::find_by_id(id).one(txn).await?.filter(|c| c.record_kind == kind);
    c.ok_or(Error::NotFound)
}

/// Refuses a conflict decided already (`conflict_resolved`); ask once the decider's scope is
/// known to cover it.
pub fn undecided(c: &sync_conflict::Model) -> Result<(), Error> {
    match c.resolved_at {
        Some(_) => Err(Invalid::one("conflict", ErrorCode::ConflictResolved).into()),
        None => Ok(()),
    }
}

/// Marks the conflict decided (`applied`: the phone's change was written; else `kept`), once,
/// and logs it with `what` (the record it was about); the conflict as it now stands.
pub async fn decide(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    c: &sync_conflict::Model,
    applied: bool,
    what: serde_json::Value,
) -> Result<sync_conflict::Model, Error> {
    let resolution = if applied { "applied" } else { "kept" };
    let decided = sync_conflict::Entity::update_many()
        .col_expr(sync_conflict::Column::ResolvedBy, Expr::value(actor.user_id.0))
        .col_expr(sync_conflict::Column::ResolvedAt, Expr::value(Utc::now()))
        .col_expr(sync_conflict::Column::Resolution, Expr::value(resolution))
        .filter(sync_conflict::Column::Id.eq(c.id))
        .filter(sync_conflict::Column::ResolvedAt.is_null())
        .exec(txn)
        .await?;
    if decided.rows_affected != 1 {
        return Err(Invalid::one("conflict", ErrorCode::ConflictResolved).into());
    }
    let entry = Entry {
        action: "resolve",
        entity: "sync_conflict",
        entity_id: Some(c.id),
        unit_path: Some(&c.unit_path),
        before: None,
        after: Some(match what {
            serde_json::Value::Object(mut o) => {
                o.insert("resolution".into(), json!(resolution));
                serde_json::Value::Object(o)
            }
            other => json!({ "resolution": resolution, "record": other }),
        }),
    };
    audit::record(txn, Who::User(actor), entry).await?;
    sync_conflict::Entity::find_by_id(c.id).one(txn).await?.ok_or(Error::NotFound)
}
