//! Changes made offline to a finding that someone changed meanwhile, waiting for a coordinator
//! over the raid: keep the server's version, or apply the phone's over it. Either way the
//! decision is logged, and the phone that sends the same change again hears it.

use domain::raid::FindingInput;
use domain::{Actor, ConflictId, ErrorCode, Invalid, RaidId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use super::findings::{FindingView, update_to, view};
use super::visible;
use crate::Db;
use crate::entity::{raid_finding, sync_conflict, user};
use crate::error::Error;

/// Most conflicts a list shows.
pub const CONFLICTS_SHOWN: u64 = 100;

/// A conflict with both sides.
#[derive(Debug, Clone)]
pub struct ConflictView {
    /// The conflict.
    pub conflict: sync_conflict::Model,
    /// The phone's change, as it was typed.
    pub proposed: FindingInput,
    /// Who made it (login).
    pub proposed_by: String,
    /// The finding as the server holds it.
    pub server: FindingView,
}

async fn expand(db: &impl ConnectionTrait, actor: &Actor, c: sync_conflict::Model) -> Result<ConflictView, Error> {
    let f = raid_finding::Entity::find_by_id(c.record_id).one(db).await?.ok_or(Error::NotFound)?;
    let proposed: FindingInput = serde_json::from_str(&c.proposed).unwrap_or_default();
    let by = user::Entity::find_by_id(c.proposed_by).one(db).await?.map(|u| u.login).unwrap_or_default();
    Ok(ConflictView { conflict: c, proposed, proposed_by: by, server: view(db, actor, f).await? })
}

/// The open conflicts over the coordinator's scope (or one raid's), oldest first.
pub async fn conflicts(
    db: &impl ConnectionTrait,
    actor: &Actor,
    raid: Option<RaidId>,
) -> Result<Vec<ConflictView>, Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let mut q = sync_conflict::Entity::find()
        .filter(sync_conflict::Column::RecordKind.eq("finding"))
        .filter(sync_conflict::Column::ResolvedAt.is_null())
        .filter(crate::scope::starts_with(Expr::col(sync_conflict::Column::UnitPath), actor.scope.path()));
    if let Some(r) = raid {
        let r = visible(db, actor, r).await?;
        let of_raid = sea_orm::sea_query::Query::select()
            .column(raid_finding::Column::Id)
            .from(raid_finding::Entity)
            .and_where(raid_finding::Column::RaidId.eq(r.id))
            .to_owned();
        q = q.filter(sync_conflict::Column::RecordId.in_subquery(of_raid));
    }
    let rows = q.order_by_asc(sync_conflict::Column::Id).limit(CONFLICTS_SHOWN).all(db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        out.push(expand(db, actor, c).await?);
    }
    Ok(out)
}

/// A coordinator over the raid decides a conflict: `apply` writes the phone's change over the
/// finding as it is now; otherwise the server's version is kept.
pub async fn resolve(
    db: &Db,
    actor: &Actor,
    id: ConflictId,
    apply: bool,
    today: chrono::NaiveDate,
) -> Result<ConflictView, Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    // A finding's conflict only (a step's is the case's to decide).
    let c = crate::sync_conflicts::find(&txn, "finding", id.0).await?;
    if !actor.scope.covers(&c.unit_path) {
        return Err(Error::NotInScope(Box::new(crate::error::Denial {
            actor: actor.clone(),
            entity: "sync_conflict",
            id: c.id,
            target_path: c.unit_path,
        })));
    }
    crate::sync_conflicts::undecided(&c)?;
    let f = raid_finding::Entity::find_by_id(c.record_id).one(&txn).await?.ok_or(Error::NotFound)?;
    if apply {
        let r = visible(&txn, actor, RaidId(f.raid_id)).await?;
        let proposed: FindingInput = serde_json::from_str(&c.proposed).unwrap_or_default();
        let fields = proposed.parse(r.held_on, today)?;
        if update_to(&txn, actor, &f, &fields).await?.is_none() {
            return Err(Invalid::one("version", ErrorCode::StaleVersion).into());
        }
    }
    let done = crate::sync_conflicts::decide(&txn, actor, &c, apply, json!({ "finding_id": f.id })).await?;
    let out = expand(&txn, actor, done).await?;
    txn.commit().await?;
    Ok(out)
}
