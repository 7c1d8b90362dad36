//! Transfers of a child's record between schools: asked for by the new school, decided by the
//! holding one.

use chrono::Utc;
use domain::{Actor, CampaignId, ErrorCode, Invalid, OrgUnitId, TransferId};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::{find_scoped, school_for_writing};
use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{child, org_unit, transfer_request};
use crate::error::Error;

/// A request to hand a child's record over to another school.
pub async fn request_transfer(
    db: &Db,
    actor: &Actor,
    campaign_id: CampaignId,
    iin: &domain::iin::Iin,
    to_school: OrgUnitId,
    note: &str,
) -> Result<transfer_request::Model, Error> {
    let campaign_id = campaign_id.0;
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let school = school_for_writing(&txn, actor, to_school).await?;
    let existing = child::Entity::find()
        .filter(child::Column::CampaignId.eq(campaign_id))
        .filter(child::Column::Iin.eq(iin.as_str()))
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    if existing.school_id == school.id {
        return Err(Invalid::one("school_id", ErrorCode::AlreadyHere).into());
    }
    let request = transfer_request::ActiveModel {
        child_id: Set(existing.id),
        from_school_id: Set(existing.school_id),
        to_school_id: Set(school.id),
        requested_by: Set(actor.user_id.0),
        requested_at: Set(Utc::now()),
        status: Set("pending".into()),
        note: Set(Some(note.trim().chars().take(300).collect::<String>()).filter(|n| !n.is_empty())),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(crate::error::unique_as("iin"))?;
    for path in [existing.unit_path.as_str(), school.path.as_str()] {
        let entry = Entry {
            action: "transfer_request",
            entity: "child",
            entity_id: Some(existing.id),
            unit_path: Some(path),
            before: None,
            after: Some(json!({ "transfer_id": request.id, "to_school_id": school.id })),
        };
        audit::record(&txn, Who::User(actor), entry).await?;
    }
    txn.commit().await?;
    Ok(request)
}

/// Accepts or declines a pending transfer; the holder of the record decides.
pub async fn decide_transfer(
    db: &Db,
    actor: &Actor,
    transfer_id: TransferId,
    accept: bool,
) -> Result<transfer_request::Model, Error> {
    let transfer_id = transfer_id.0;
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let request = transfer_request::Entity::find_by_id(transfer_id)
        .filter(transfer_request::Column::Status.eq("pending"))
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let before = find_scoped(&txn, actor, request.child_id).await?;
    let now = Utc::now();
    if accept {
        let to = org_unit::Entity::find_by_id(request.to_school_id).one(&txn).await?.ok_or(Error::NotFound)?;
        let mut row: child::ActiveModel = before.clone().into();
        row.school_id = Set(to.id);
        row.unit_path = Set(to.path.clone());
        row.updated_at = Set(now);
        row.update(&txn).await?;
    }
    let mut decided: transfer_request::ActiveModel = request.into();
    decided.status = Set(if accept { "accepted" } else { "declined" }.into());
    decided.decided_by = Set(Some(actor.user_id.0));
    decided.decided_at = Set(Some(now));
    let decided = decided.update(&txn).await?;
    let entry = Entry {
        action: if accept { "transfer_accept" } else { "transfer_decline" },
        entity: "child",
        entity_id: Some(before.id),
        unit_path: Some(&before.unit_path),
        before: Some(json!({ "school_id": before.school_id })),
        after: Some(json!({ "school_id": if accept { decided.to_school_id } else { before.school_id } })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(decided)
}

/// Pending transfers the actor decides (the child is in scope) or asked for (the target is):
/// the few pending rows, each child and school looked up by key. Roles without personal data
/// (raid members, sponsors) see none: a transfer names the child.
pub async fn pending_transfers(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Vec<transfer_request::Model>, Error> {
    if !actor.role.can_read_personal_data() {
        return Err(Error::Forbidden);
    }
    let path = actor.scope.path();
    let in_scope = |table: &str, key: transfer_request::Column, column: &str| {
        let (t, c) = (Alias::new(table), Alias::new(column));
        Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from_as(t.clone(), Alias::new("s"))
                .and_where(Expr::col((Alias::new("s"), Alias::new("id"))).equals((transfer_request::Entity, key)))
                .and_where(crate::scope::starts_with(Expr::col((Alias::new("s"), c)), path))
                .to_owned(),
        )
    };
    Ok(transfer_request::Entity::find()
        .filter(transfer_request::Column::Status.eq("pending"))
        .filter(in_scope("children", transfer_request::Column::ChildId, "unit_path").or(in_scope(
            "org_units",
            transfer_request::Column::ToSchoolId,
            "path",
        )))
        .order_by_asc(transfer_request::Column::Id)
        .all(db)
        .await?)
}
