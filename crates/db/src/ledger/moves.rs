//! An entry moved on (delivered, confirmed, cancelled) or reversed, and a school's plan and
//! delivery of the region's norm for all its children.

use chrono::Utc;
use domain::aid::{EntryFields, EntryStatus, Form, Source};
use domain::{Actor, ChildId, EntryId, ErrorCode, Invalid, OrgUnitId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use super::{entry_in_scope, fund_row, record, refund, refused, spend, status_event};
use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{campaign, fund_cash_paid, ledger_entry};
use crate::error::{Error, is_unique_violation};

/// Moves an entry's status forward; delivering fund aid spends the fund.
pub async fn set_status(db: &Db, actor: &Actor, id: EntryId, to: EntryStatus) -> Result<ledger_entry::Model, Error> {
    let id = id.0;
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    move_status(&txn, actor, id, to).await?;
    txn.commit().await?;
    ledger_entry::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)
}

/// Confirms a delivered payment inside the caller's transaction (a proof of purchase accepted).
pub(crate) async fn confirm_in(txn: &DatabaseTransaction, actor: &Actor, id: i64) -> Result<(), Error> {
    move_status(txn, actor, id, EntryStatus::Confirmed).await
}

async fn move_status(txn: &DatabaseTransaction, actor: &Actor, id: i64, to: EntryStatus) -> Result<(), Error> {
    let entry = entry_in_scope(txn, actor, id).await?;
    let from = EntryStatus::parse(&entry.status).ok_or_else(|| refused("status", ErrorCode::InvalidChoice))?;
    if entry.reverses_id.is_some() || !from.can_move_to(to) {
        return Err(refused("status", ErrorCode::StatusOrder));
    }
    // Cash is confirmed by an accepted proof of purchase, never by hand.
    if to == EntryStatus::Confirmed && entry.form == Form::Cash.as_str() {
        let proven = crate::entity::proof::Entity::find()
            .filter(crate::entity::proof::Column::EntryId.eq(id))
            .filter(crate::entity::proof::Column::Status.eq("confirmed"))
            .one(txn)
            .await?;
        if proven.is_none() {
            return Err(refused("status", ErrorCode::ProofRequired));
        }
    }
    let reversed = ledger_entry::Entity::find().filter(ledger_entry::Column::ReversesId.eq(id)).one(txn).await?;
    if reversed.is_some() {
        return Err(refused("status", ErrorCode::Reversed));
    }
    // Only the status column may change; the database refuses anything else.
    let done = ledger_entry::Entity::update_many()
        .col_expr(ledger_entry::Column::Status, Expr::value(to.as_str()))
        .filter(ledger_entry::Column::Id.eq(id))
        .filter(ledger_entry::Column::Status.eq(from.as_str()))
        .exec(txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(refused("status", ErrorCode::StatusOrder));
    }
    if entry.source == Source::Fund.as_str() && !from.is_delivered() && to.is_delivered() {
        let fund = fund_row(txn, entry.school_id, entry.campaign_id)
            .await?
            .ok_or_else(|| refused("source", ErrorCode::NoFund))?;
        spend(txn, fund.id, entry.amount).await?;
    }
    status_event(txn, actor, id, Some(from.as_str()), to.as_str()).await?;
    let audit_entry = Entry {
        action: "status",
        entity: "ledger_entry",
        entity_id: Some(id),
        unit_path: Some(&entry.unit_path),
        before: Some(json!({ "status": from.as_str() })),
        after: Some(json!({ "status": to.as_str() })),
    };
    audit::record(txn, Who::User(actor), audit_entry).await?;
    Ok(())
}

/// Reverses an entry with a reason: a new entry of the opposite amount. A reversal cannot be
/// reversed, an entry is reversed once, delivered fund aid goes back to the fund.
pub async fn reverse(db: &Db, actor: &Actor, id: EntryId, reason: &str) -> Result<ledger_entry::Model, Error> {
    let id = id.0;
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(refused("reason", ErrorCode::Required));
    }
    if reason.chars().count() > 300 {
        return Err(Error::Invalid(Invalid(vec![
            domain::FieldError::new("reason", ErrorCode::TooLong).with_limit(300),
        ])));
    }
    let txn = crate::write_txn(db).await?;
    let original = entry_in_scope(&txn, actor, id).await?;
    if original.reverses_id.is_some() {
        return Err(refused("reverses_id", ErrorCode::ReversalOfReversal));
    }
    let reversal = ledger_entry::ActiveModel {
        campaign_id: Set(original.campaign_id),
        child_id: Set(original.child_id),
        school_id: Set(original.school_id),
        unit_path: Set(original.unit_path.clone()),
        source: Set(original.source.clone()),
        sponsor_id: Set(original.sponsor_id),
        form: Set(original.form.clone()),
        amount: Set(-original.amount),
        status: Set(original.status.clone()),
        entry_date: Set(domain::calendar::today()),
        organised_by: Set(original.organised_by.clone()),
        giver_kind: Set(original.giver_kind.clone()),
        note: Set(None),
        reverses_id: Set(Some(original.id)),
        reason: Set(Some(reason.to_owned())),
        recorded_by: Set(actor.user_id.0),
        recorded_login: Set(actor.login.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) { refused("reverses_id", ErrorCode::AlreadyReversed) } else { Error::Db(e) }
    })?;
    if original.source == Source::Fund.as_str() {
        let delivered = EntryStatus::parse(&original.status).is_some_and(EntryStatus::is_delivered);
        if delivered && let Some(fund) = fund_row(&txn, original.school_id, original.campaign_id).await? {
            refund(&txn, fund.id, original.amount).await?;
        }
        if original.form == Form::Cash.as_str() {
            fund_cash_paid::Entity::delete_many()
                .filter(fund_cash_paid::Column::EntryId.eq(original.id))
                .exec(&txn)
                .await?;
        }
    }
    status_event(&txn, actor, reversal.id, None, &reversal.status).await?;
    let audit_entry = Entry {
        action: "reverse",
        entity: "ledger_entry",
        entity_id: Some(original.id),
        unit_path: Some(&original.unit_path),
        before: Some(serde_json::to_value(&original).unwrap_or_default()),
        after: Some(serde_json::to_value(&reversal).unwrap_or_default()),
    };
    audit::record(&txn, Who::User(actor), audit_entry).await?;
    txn.commit().await?;
    Ok(reversal)
}

/// Plans the region's cash norm from the fund for every child of the school in the campaign
/// who has no fund cash payment yet (and is not closed). Returns how many were planned.
pub async fn plan_norm(db: &Db, actor: &Actor, c: &campaign::Model, school: OrgUnitId) -> Result<usize, Error> {
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    let unit = crate::org::get(db, actor, school).await?;
    if unit.kind != "school" {
        return Err(refused("school_id", ErrorCode::NotASchool));
    }
    let region = crate::scope_region(&unit.path).ok_or(Error::NotFound)?;
    let norm = crate::campaigns::norm_for(db, c, OrgUnitId(region)).await?;
    if fund_row(db, unit.id, c.id).await?.is_none() {
        return Err(refused("source", ErrorCode::NoFund));
    }
    let paid = fund_cash_paid::Entity::find().filter(fund_cash_paid::Column::CampaignId.eq(c.id)).all(db).await?;
    let paid: std::collections::HashSet<i64> = paid.into_iter().map(|p| p.child_id).collect();
    let children = crate::entity::child::Entity::find()
        .filter(crate::entity::child::Column::CampaignId.eq(c.id))
        .filter(crate::entity::child::Column::SchoolId.eq(unit.id))
        .filter(crate::entity::child::Column::Status.ne("closed"))
        .order_by_asc(crate::entity::child::Column::Id)
        .all(db)
        .await?;
    let fields = EntryFields {
        source: Source::Fund,
        form: Form::Cash,
        amount: norm,
        sponsor_id: None,
        date: domain::calendar::today(),
        organised_by: None,
        giver_kind: None,
        note: None,
        above_need_reason: None,
        items: Vec::new(),
    };
    let mut planned = 0;
    for child in children.into_iter().filter(|ch| !paid.contains(&ch.id)) {
        match record(db, actor, c, ChildId(child.id), &fields, EntryStatus::Planned).await {
            Ok(_) => planned += 1,
            // Paid meanwhile by someone else: nothing to plan.
            Err(Error::Invalid(i)) if i.0.iter().any(|e| e.code == ErrorCode::FundPaidTwice) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(planned)
}

/// Delivers the school's planned fund payments, oldest first, while the fund lasts. Returns
/// (delivered, left planned because the fund ran out).
pub async fn deliver_planned(
    db: &Db,
    actor: &Actor,
    c: &campaign::Model,
    school: OrgUnitId,
) -> Result<(usize, usize), Error> {
    let unit = crate::org::get(db, actor, school).await?;
    let planned = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::CampaignId.eq(c.id))
        .filter(ledger_entry::Column::SchoolId.eq(unit.id))
        .filter(ledger_entry::Column::Source.eq(Source::Fund.as_str()))
        .filter(ledger_entry::Column::Status.eq(EntryStatus::Planned.as_str()))
        .filter(ledger_entry::Column::ReversesId.is_null())
        .order_by_asc(ledger_entry::Column::Id)
        .all(db)
        .await?;
    let (mut delivered, mut short) = (0, 0);
    for entry in planned {
        match set_status(db, actor, EntryId(entry.id), EntryStatus::Delivered).await {
            Ok(_) => delivered += 1,
            Err(Error::Invalid(i)) if i.0.iter().any(|e| e.code == ErrorCode::FundOverspent) => short += 1,
            Err(Error::Invalid(i))
                if i.0.iter().any(|e| matches!(e.code, ErrorCode::Reversed | ErrorCode::StatusOrder)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok((delivered, short))
}
