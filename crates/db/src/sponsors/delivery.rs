//! A sponsor's delivery: the sponsor says it delivered, the school confirms it received the goods
//! (only then is it help: a ledger entry, counted in the totals, the reports and the letter) or
//! says it did not (the need is free again). A school that records a delivery itself has seen
//! the goods: it is help at once.

use chrono::{NaiveDate, Utc};
use domain::aid::{EntryStatus, Form, Source};
use domain::{Actor, ErrorCode, HoldId, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::{refused, sponsor_of};
use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{child, child_need, ledger_entry, ledger_item, reservation};
use crate::error::Error;

/// Records the delivery of a held need. By the holding sponsor: the hold waits for the school's
/// confirmation (`awaiting`), nothing is counted yet. By the child's school (or a coordinator
/// above it): confirmed at once, the help is in the ledger. An expired hold cannot be delivered.
pub async fn deliver(db: &Db, actor: &Actor, hold: HoldId, date: NaiveDate) -> Result<reservation::Model, Error> {
    let holder = if actor.role == Role::Sponsor { Some(sponsor_of(db, actor).await?.id) } else { None };
    if holder.is_none() && !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let held = reservation::Entity::find_by_id(hold.0).one(&txn).await?.ok_or(Error::NotFound)?;
    let child = match holder {
        Some(id) if id != held.sponsor_id => return Err(Error::NotFound),
        Some(_) => child::Entity::find_by_id(held.child_id).one(&txn).await?.ok_or(Error::NotFound)?,
        None => crate::children::find_scoped(&txn, actor, held.child_id).await?,
    };
    // The school confirms a delivery the sponsor already announced.
    let from = if holder.is_none() && held.status == "awaiting" { "awaiting" } else { "active" };
    if held.status != from {
        return Err(refused("reservation", ErrorCode::ReservationNotActive));
    }
    if from == "active" && held.expires_at <= Utc::now() {
        return Err(refused("reservation", ErrorCode::ReservationExpired));
    }
    let (status, entry) = if holder.is_some() {
        ("awaiting", None)
    } else {
        ("delivered", Some(record_help(&txn, actor, &held, &child, held.delivered_on.unwrap_or(date)).await?))
    };
    let on = held.delivered_on.or(Some(date));
    let done = move_hold(&txn, &held, from, status, entry.as_ref().map(|e| e.id), on).await?;
    let after = json!({ "status": status, "delivered_on": done.delivered_on, "entry_id": done.entry_id });
    let audit_entry = Entry {
        action: "deliver",
        entity: "reservation",
        entity_id: Some(held.id),
        unit_path: Some(&child.unit_path),
        before: Some(json!({ "status": held.status })),
        after: Some(after),
    };
    audit::record(&txn, Who::User(actor), audit_entry).await?;
    txn.commit().await?;
    Ok(done)
}

/// The child's school (or a coordinator above it) answers a sponsor's announced delivery:
/// received (the help goes into the ledger on the day the sponsor gave) or not received (the
/// need is free again for any sponsor).
pub async fn confirm(db: &Db, actor: &Actor, hold: HoldId, received: bool) -> Result<reservation::Model, Error> {
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let held = reservation::Entity::find_by_id(hold.0).one(&txn).await?.ok_or(Error::NotFound)?;
    let child = crate::children::find_scoped(&txn, actor, held.child_id).await?;
    if held.status != "awaiting" {
        return Err(refused("reservation", ErrorCode::DeliveryNotAwaiting));
    }
    let (status, entry) = if received {
        let on = held.delivered_on.unwrap_or_else(domain::calendar::today);
        ("delivered", Some(record_help(&txn, actor, &held, &child, on).await?))
    } else {
        ("declined", None)
    };
    let done = move_hold(&txn, &held, "awaiting", status, entry.as_ref().map(|e| e.id), held.delivered_on).await?;
    let audit_entry = Entry {
        action: if received { "confirm" } else { "decline" },
        entity: "reservation",
        entity_id: Some(held.id),
        unit_path: Some(&child.unit_path),
        before: Some(json!({ "status": "awaiting" })),
        after: Some(json!({ "status": status, "entry_id": done.entry_id })),
    };
    audit::record(&txn, Who::User(actor), audit_entry).await?;
    txn.commit().await?;
    Ok(done)
}

/// Moves a hold from one status to another, or refuses when another request moved it first.
async fn move_hold(
    txn: &impl ConnectionTrait,
    held: &reservation::Model,
    from: &str,
    to: &str,
    entry_id: Option<i64>,
    on: Option<NaiveDate>,
) -> Result<reservation::Model, Error> {
    let done = reservation::Entity::update_many()
        .col_expr(reservation::Column::Status, Expr::value(to))
        .col_expr(reservation::Column::EntryId, Expr::value(entry_id))
        .col_expr(reservation::Column::DeliveredOn, Expr::value(on))
        .filter(reservation::Column::Id.eq(held.id))
        .filter(reservation::Column::Status.eq(from))
        .exec(txn)
        .await?;
    if done.rows_affected != 1 {
        let code = if from == "awaiting" { ErrorCode::DeliveryNotAwaiting } else { ErrorCode::ReservationNotActive };
        return Err(refused("reservation", code));
    }
    Ok(reservation::Model { status: to.to_owned(), entry_id, delivered_on: on, ..held.clone() })
}

/// The help a confirmed delivery is: an entry from the sponsor for the need's item and cost.
async fn record_help(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    held: &reservation::Model,
    child: &child::Model,
    on: NaiveDate,
) -> Result<ledger_entry::Model, Error> {
    let need = child_need::Entity::find_by_id(held.need_id).one(txn).await?.ok_or(Error::NotFound)?;
    let entry = ledger_entry::ActiveModel {
        campaign_id: Set(child.campaign_id),
        child_id: Set(child.id),
        school_id: Set(child.school_id),
        unit_path: Set(child.unit_path.clone()),
        source: Set(Source::Sponsor.as_str().to_owned()),
        sponsor_id: Set(Some(held.sponsor_id)),
        form: Set(Form::Goods.as_str().to_owned()),
        amount: Set(need.cost),
        status: Set(EntryStatus::Delivered.as_str().to_owned()),
        entry_date: Set(on),
        organised_by: Set(None),
        note: Set(None),
        reverses_id: Set(None),
        reason: Set(None),
        recorded_by: Set(actor.user_id.0),
        recorded_login: Set(actor.login.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    ledger_item::ActiveModel {
        entry_id: Set(entry.id),
        item: Set(need.item.clone()),
        quantity: Set(need.quantity),
        value: Set(need.cost),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(entry)
}

/// A sponsor's delivery waiting for the school's answer.
#[derive(Debug, Clone)]
pub struct Awaiting {
    /// The hold.
    pub hold_id: i64,
    /// The child (the school's own card).
    pub child_id: i64,
    /// The child's school.
    pub school_id: i64,
    /// The sponsor's name.
    pub sponsor: String,
    /// The need's item code.
    pub item: String,
    /// The need's cost, tiyn.
    pub cost: i64,
    /// The day the sponsor says it delivered.
    pub delivered_on: Option<NaiveDate>,
}

/// The deliveries waiting for the schools of the actor's scope, oldest first, at most `limit`
/// (the waiting holds have an index of their own; each is joined to its child by key).
pub async fn awaiting(db: &impl ConnectionTrait, actor: &Actor, limit: u64) -> Result<Vec<Awaiting>, Error> {
    use crate::entity::sponsor;
    use sea_orm::{JoinType, QueryOrder, QuerySelect};
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    type Row = (i64, i64, i64, String, String, i64, Option<NaiveDate>);
    let rows: Vec<Row> = reservation::Entity::find()
        .select_only()
        .column(reservation::Column::Id)
        .column(reservation::Column::ChildId)
        .column(child::Column::SchoolId)
        .column(sponsor::Column::Name)
        .column(child_need::Column::Item)
        .column(child_need::Column::Cost)
        .column(reservation::Column::DeliveredOn)
        .join(
            JoinType::InnerJoin,
            reservation::Entity::belongs_to(child::Entity)
                .from(reservation::Column::ChildId)
                .to(child::Column::Id)
                .into(),
        )
        .join(
            JoinType::InnerJoin,
            reservation::Entity::belongs_to(child_need::Entity)
                .from(reservation::Column::NeedId)
                .to(child_need::Column::Id)
                .into(),
        )
        .join(
            JoinType::InnerJoin,
            reservation::Entity::belongs_to(sponsor::Entity)
                .from(reservation::Column::SponsorId)
                .to(sponsor::Column::Id)
                .into(),
        )
        .filter(reservation::Column::Status.eq("awaiting"))
        .filter(crate::scope::starts_with(Expr::col((child::Entity, child::Column::UnitPath)), actor.scope.path()))
        .order_by_asc(reservation::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(hold_id, child_id, school_id, sponsor, item, cost, delivered_on)| Awaiting {
            hold_id,
            child_id,
            school_id,
            sponsor,
            item,
            cost,
            delivered_on,
        })
        .collect())
}
