//! Proof of purchase for cash aid: receipts and photos the parents bring, which the school
//! coordinator confirms (the payment becomes confirmed) or rejects with a reason. The file is
//! stored by the web layer; here is its record, its scope (the child's) and its decision.

use chrono::Utc;
use domain::aid::{EntryStatus, Form};
use domain::{Actor, ChildId, EntryId, ErrorCode, FieldError, Invalid, ProofId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{ledger_entry, proof};
use crate::error::Error;

/// A file already written to the upload directory.
#[derive(Debug, Clone)]
pub struct StoredFile {
    /// The name the user gave it (shown, never used as a path).
    pub file_name: String,
    /// The type found from its first bytes.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256, hex.
    pub sha256: String,
    /// Where it lies under the upload directory.
    pub storage_key: String,
}

/// What the coordinator decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The receipt shows the money went to the child: the payment becomes confirmed.
    Confirm,
    /// Not acceptable, with the reason told to the school.
    Reject(String),
}

fn refused(field: &'static str, code: ErrorCode) -> Error {
    Error::Invalid(Invalid::one(field, code))
}

/// A ledger entry in the actor's scope (the scope of an entry is its child's).
async fn entry_scoped(db: &impl ConnectionTrait, actor: &Actor, entry_id: i64) -> Result<ledger_entry::Model, Error> {
    let entry = ledger_entry::Entity::find_by_id(entry_id).one(db).await?.ok_or(Error::NotFound)?;
    crate::children::find_scoped(db, actor, entry.child_id).await?;
    Ok(entry)
}

/// Records an uploaded proof for a cash entry (school coordinators and above). Only cash that was
/// paid (not a plan, not a reversal) takes a proof.
pub async fn add(db: &Db, actor: &Actor, entry_id: EntryId, file: &StoredFile) -> Result<proof::Model, Error> {
    let entry_id = entry_id.0;
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let entry = entry_scoped(&txn, actor, entry_id).await?;
    if entry.form != Form::Cash.as_str() || entry.reverses_id.is_some() {
        return Err(refused("entry_id", ErrorCode::ProofCashOnly));
    }
    if !EntryStatus::parse(&entry.status).is_some_and(EntryStatus::is_delivered) {
        return Err(refused("entry_id", ErrorCode::ProofNotPaid));
    }
    let saved = proof::ActiveModel {
        entry_id: Set(entry.id),
        unit_path: Set(entry.unit_path.clone()),
        file_name: Set(file.file_name.chars().take(200).collect()),
        content_type: Set(file.content_type.clone()),
        size: Set(file.size),
        sha256: Set(file.sha256.clone()),
        storage_key: Set(file.storage_key.clone()),
        status: Set("uploaded".into()),
        reason: Set(None),
        uploaded_by: Set(actor.user_id.0),
        uploaded_login: Set(actor.login.clone()),
        uploaded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let audit_entry = Entry {
        action: "upload",
        entity: "proof",
        entity_id: Some(saved.id),
        unit_path: Some(&saved.unit_path),
        before: None,
        after: Some(serde_json::to_value(&saved).unwrap_or_default()),
    };
    audit::record(&txn, Who::User(actor), audit_entry).await?;
    txn.commit().await?;
    Ok(saved)
}

/// A proof in the actor's scope.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: ProofId) -> Result<proof::Model, Error> {
    let id = id.0;
    let found = proof::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    entry_scoped(db, actor, found.entry_id).await?;
    Ok(found)
}

/// The child a proof belongs to (the proof in scope).
pub async fn child_of(db: &impl ConnectionTrait, actor: &Actor, id: ProofId) -> Result<i64, Error> {
    let id = id.0;
    let found = proof::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    Ok(entry_scoped(db, actor, found.entry_id).await?.child_id)
}

/// Records that the actor opened a proof's file: a receipt may show a parent's name or card.
pub async fn log_read(db: &Db, actor: &Actor, p: &proof::Model) -> Result<(), Error> {
    let entry = Entry {
        action: "read_personal",
        entity: "proof",
        entity_id: Some(p.id),
        unit_path: Some(&p.unit_path),
        before: None,
        after: None,
    };
    Ok(audit::record(db, Who::User(actor), entry).await?)
}

/// Confirms or rejects a proof (the school coordinator and above). Confirming moves its payment
/// from delivered to confirmed; a decided proof is not decided again.
pub async fn decide(db: &Db, actor: &Actor, id: ProofId, decision: &Decision) -> Result<proof::Model, Error> {
    let id = id.0;
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    let reason = match decision {
        Decision::Confirm => None,
        Decision::Reject(r) => {
            let r = r.trim();
            if r.is_empty() {
                return Err(refused("reason", ErrorCode::Required));
            }
            if r.chars().count() > 300 {
                return Err(Error::Invalid(Invalid(vec![
                    FieldError::new("reason", ErrorCode::TooLong).with_limit(300),
                ])));
            }
            Some(r.to_owned())
        }
    };
    let txn = crate::write_txn(db).await?;
    let found = get(&txn, actor, ProofId(id)).await?;
    // Four eyes: another account of the school, or the district, decides on a receipt.
    if found.uploaded_by == actor.user_id.0 {
        return Err(refused("proof", ErrorCode::ProofOwn));
    }
    let status = if reason.is_some() { "rejected" } else { "confirmed" };
    let now = Utc::now();
    let done = proof::Entity::update_many()
        .col_expr(proof::Column::Status, Expr::value(status))
        .col_expr(proof::Column::Reason, Expr::value(reason.clone()))
        .col_expr(proof::Column::DecidedBy, Expr::value(actor.user_id.0))
        .col_expr(proof::Column::DecidedLogin, Expr::value(actor.login.clone()))
        .col_expr(proof::Column::DecidedAt, Expr::value(now))
        .filter(proof::Column::Id.eq(id))
        .filter(proof::Column::Status.eq("uploaded"))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(refused("proof", ErrorCode::ProofDecided));
    }
    if decision == &Decision::Confirm {
        crate::ledger::confirm_in(&txn, actor, found.entry_id).await?;
    }
    let audit_entry = Entry {
        action: if reason.is_some() { "reject" } else { "confirm" },
        entity: "proof",
        entity_id: Some(id),
        unit_path: Some(&found.unit_path),
        before: Some(json!({ "status": found.status })),
        after: Some(json!({ "status": status, "reason": reason })),
    };
    audit::record(&txn, Who::User(actor), audit_entry).await?;
    txn.commit().await?;
    proof::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)
}

/// The proofs of a child's entries (the child in scope), oldest first.
pub async fn for_child(
    db: &impl ConnectionTrait,
    actor: &Actor,
    child_id: ChildId,
) -> Result<Vec<proof::Model>, Error> {
    let child_id = child_id.0;
    crate::children::find_scoped(db, actor, child_id).await?;
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::ChildId.eq(child_id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect::<Vec<_>>();
    Ok(proof::Entity::find()
        .filter(proof::Column::EntryId.is_in(entries))
        .order_by_asc(proof::Column::Id)
        .all(db)
        .await?)
}

/// Proofs waiting for a decision in the actor's scope, oldest first.
pub async fn pending(db: &impl ConnectionTrait, actor: &Actor, limit: u64) -> Result<Vec<proof::Model>, Error> {
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    Ok(proof::Entity::find()
        .filter(crate::scope::starts_with(sea_orm::sea_query::Expr::col(proof::Column::UnitPath), actor.scope.path()))
        .filter(proof::Column::Status.eq("uploaded"))
        .order_by_asc(proof::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
