//! The sponsor's portal: the anonymised needs of its region, holds for 48 hours, deliveries.

use chrono::{Duration, Utc};
use domain::aid::{EntryStatus, Form, Source};
use domain::{Actor, ErrorCode, HoldId, NeedId, Role};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use serde_json::json;

use super::{HOLD_HOURS, refused, sponsor_of};
use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{campaign, child, child_need, ledger_entry, org_unit, reservation, sponsor};
use crate::error::{Error, is_unique_violation};

/// A need as a sponsor sees it: no name, no IIN, no family.
#[derive(Debug, Clone, Serialize)]
pub struct AnonymousNeed {
    /// The need's id (to reserve it).
    pub need_id: i64,
    /// The child's anonymous code.
    pub code: String,
    /// `male` or `female`.
    pub sex: String,
    /// Grade.
    pub grade: i16,
    /// School (name in Russian and Kazakh) and settlement.
    pub school_ru: String,
    /// School in Kazakh.
    pub school_kk: String,
    /// Settlement.
    pub settlement: String,
    /// Item code.
    pub item: String,
    /// Size.
    pub size: Option<String>,
    /// Estimated cost, tiyn.
    pub cost: i64,
}

/// Filters of the portal.
#[derive(Debug, Clone, Default)]
pub struct NeedFilter {
    /// Grade.
    pub grade: Option<i16>,
    /// `male` or `female`.
    pub sex: Option<String>,
    /// Item code.
    pub item: Option<String>,
    /// At most this cost, tiyn.
    pub max_cost: Option<i64>,
    /// A district or school of the sponsor's region (its id).
    pub unit: Option<i64>,
}

/// need id, child id, item, size, cost, sex, grade, school id.
type NeedRow = (i64, i64, String, Option<String>, i64, String, i16, i64);

/// The districts and schools of the sponsor's region, to narrow the portal down.
pub async fn places(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<org_unit::Model>, Error> {
    sponsor_of(db, actor).await?;
    Ok(org_unit::Entity::find()
        .filter(crate::scope::starts_with(sea_orm::sea_query::Expr::col(org_unit::Column::Path), actor.scope.path()))
        .filter(org_unit::Column::Kind.is_in(["district", "school"]))
        .filter(org_unit::Column::Active.eq(true))
        .order_by_asc(org_unit::Column::Path)
        .limit(2000)
        .all(db)
        .await?)
}

/// Needs in the sponsor's region not held by anyone (an expired hold frees its need).
pub async fn open_needs(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &campaign::Model,
    f: &NeedFilter,
    limit: u64,
) -> Result<Vec<AnonymousNeed>, Error> {
    sponsor_of(db, actor).await?;
    let mut under = actor.scope.path().to_owned();
    if let Some(id) = f.unit {
        let unit = org_unit::Entity::find_by_id(id).one(db).await?;
        match unit.filter(|u| u.path.starts_with(actor.scope.path())) {
            Some(u) => under = u.path,
            None => return Err(refused("unit", ErrorCode::InvalidChoice)),
        }
    }
    let held = Query::select()
        .column(reservation::Column::NeedId)
        .from(reservation::Entity)
        .and_where(
            Expr::col(reservation::Column::Status).eq("delivered").or(Expr::col(reservation::Column::Status)
                .eq("active")
                .and(Expr::col(reservation::Column::ExpiresAt).gt(Utc::now()))),
        )
        .to_owned();
    let mut q = child_need::Entity::find()
        .select_only()
        .column(child_need::Column::Id)
        .column(child_need::Column::ChildId)
        .column(child_need::Column::Item)
        .column(child_need::Column::Size)
        .column(child_need::Column::Cost)
        .column(child::Column::Sex)
        .column(child::Column::Grade)
        .column(child::Column::SchoolId)
        .join(
            sea_orm::JoinType::InnerJoin,
            child_need::Entity::belongs_to(child::Entity)
                .from(child_need::Column::ChildId)
                .to(child::Column::Id)
                .into(),
        )
        .filter(child::Column::CampaignId.eq(c.id))
        .filter(crate::scope::starts_with(sea_orm::sea_query::Expr::col(child::Column::UnitPath), &under))
        .filter(child::Column::Status.ne("closed"))
        .filter(child_need::Column::Id.not_in_subquery(held));
    if let Some(g) = f.grade {
        q = q.filter(child::Column::Grade.eq(g));
    }
    if let Some(sex) = f.sex.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(child::Column::Sex.eq(sex));
    }
    if let Some(item) = f.item.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(child_need::Column::Item.eq(item));
    }
    if let Some(max) = f.max_cost {
        q = q.filter(child_need::Column::Cost.lte(max));
    }
    let rows: Vec<NeedRow> = q.order_by_asc(child_need::Column::Id).limit(limit).into_tuple().all(db).await?;
    let schools: std::collections::HashMap<i64, org_unit::Model> = org_unit::Entity::find()
        .filter(org_unit::Column::Id.is_in(rows.iter().map(|r| r.7).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    Ok(rows
        .into_iter()
        .map(|(need_id, child_id, item, size, cost, sex, grade, school)| {
            let s = schools.get(&school);
            AnonymousNeed {
                need_id,
                code: crate::children::code(child_id),
                sex,
                grade,
                school_ru: s.map(|s| s.name_ru.clone()).unwrap_or_default(),
                school_kk: s.map(|s| s.name_kk.clone()).unwrap_or_default(),
                settlement: s.and_then(|s| s.settlement.clone()).unwrap_or_default(),
                item,
                size,
                cost,
            }
        })
        .collect())
}

/// Reserves a need for 48 hours. Two sponsors can never hold the same need: the loser of a race
/// meets the unique index and is told the need is taken.
pub async fn reserve(db: &Db, actor: &Actor, need_id: NeedId) -> Result<reservation::Model, Error> {
    let need_id = need_id.0;
    let sponsor = sponsor_of(db, actor).await?;
    let txn = crate::write_txn(db).await?;
    let need = child_need::Entity::find_by_id(need_id).one(&txn).await?.ok_or(Error::NotFound)?;
    let child = child::Entity::find_by_id(need.child_id).one(&txn).await?.ok_or(Error::NotFound)?;
    if !actor.scope.covers(&child.unit_path) {
        // Answered as a need that is not there, and logged as the refusal it is.
        let denial = crate::error::Denial {
            actor: actor.clone(),
            entity: "child_need",
            id: need_id,
            target_path: child.unit_path.clone(),
        };
        audit::record_denial(&txn, &denial).await?;
        txn.commit().await?;
        return Err(Error::NotFound);
    }
    let now = Utc::now();
    // An expired hold frees the need first.
    reservation::Entity::update_many()
        .col_expr(reservation::Column::Status, Expr::value("expired"))
        .filter(reservation::Column::NeedId.eq(need_id))
        .filter(reservation::Column::Status.eq("active"))
        .filter(reservation::Column::ExpiresAt.lte(now))
        .exec(&txn)
        .await?;
    let held = reservation::ActiveModel {
        need_id: Set(need_id),
        child_id: Set(child.id),
        sponsor_id: Set(sponsor.id),
        status: Set("active".into()),
        expires_at: Set(now + Duration::hours(HOLD_HOURS)),
        entry_id: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| if is_unique_violation(&e) { refused("need_id", ErrorCode::NeedTaken) } else { Error::Db(e) })?;
    let entry = Entry {
        action: "reserve",
        entity: "reservation",
        entity_id: Some(held.id),
        unit_path: Some(&child.unit_path),
        before: None,
        after: Some(json!({ "need_id": need_id, "sponsor_id": sponsor.id })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(held)
}

/// The sponsor's reservations, newest first.
pub async fn mine(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Vec<(reservation::Model, child_need::Model)>, Error> {
    let sponsor = sponsor_of(db, actor).await?;
    let rows = reservation::Entity::find()
        .filter(reservation::Column::SponsorId.eq(sponsor.id))
        .order_by_desc(reservation::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        if let Some(n) = child_need::Entity::find_by_id(r.need_id).one(db).await? {
            out.push((r, n));
        }
    }
    Ok(out)
}

/// Records the delivery of a reserved need (by the holding sponsor or the child's school): a
/// ledger entry from the sponsor, and the hold becomes delivered. An expired hold cannot be
/// delivered.
pub async fn deliver(
    db: &Db,
    actor: &Actor,
    reservation_id: HoldId,
    date: chrono::NaiveDate,
) -> Result<ledger_entry::Model, Error> {
    let reservation_id = reservation_id.0;
    // The holding sponsor records it, or the child's school (or a coordinator above it).
    let holder = if actor.role == Role::Sponsor { Some(sponsor_of(db, actor).await?.id) } else { None };
    if holder.is_none() && !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let held = reservation::Entity::find_by_id(reservation_id).one(&txn).await?.ok_or(Error::NotFound)?;
    match holder {
        Some(id) if id != held.sponsor_id => return Err(Error::NotFound),
        None => {
            crate::children::find_scoped(&txn, actor, held.child_id).await?;
        }
        _ => {}
    }
    let sponsor = sponsor::Entity::find_by_id(held.sponsor_id).one(&txn).await?.ok_or(Error::NotFound)?;
    if held.status != "active" {
        return Err(refused("reservation", ErrorCode::ReservationNotActive));
    }
    if held.expires_at <= Utc::now() {
        return Err(refused("reservation", ErrorCode::ReservationExpired));
    }
    let need = child_need::Entity::find_by_id(held.need_id).one(&txn).await?.ok_or(Error::NotFound)?;
    let child = child::Entity::find_by_id(held.child_id).one(&txn).await?.ok_or(Error::NotFound)?;
    let entry = ledger_entry::ActiveModel {
        campaign_id: Set(child.campaign_id),
        child_id: Set(child.id),
        school_id: Set(child.school_id),
        unit_path: Set(child.unit_path.clone()),
        source: Set(Source::Sponsor.as_str().to_owned()),
        sponsor_id: Set(Some(sponsor.id)),
        form: Set(Form::Goods.as_str().to_owned()),
        amount: Set(need.cost),
        status: Set(EntryStatus::Delivered.as_str().to_owned()),
        entry_date: Set(date),
        organised_by: Set(None),
        note: Set(None),
        reverses_id: Set(None),
        reason: Set(None),
        recorded_by: Set(actor.user_id.0),
        recorded_login: Set(actor.login.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::entity::ledger_item::ActiveModel {
        entry_id: Set(entry.id),
        item: Set(need.item.clone()),
        quantity: Set(need.quantity),
        value: Set(need.cost),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let done = reservation::Entity::update_many()
        .col_expr(reservation::Column::Status, Expr::value("delivered"))
        .col_expr(reservation::Column::EntryId, Expr::value(entry.id))
        .filter(reservation::Column::Id.eq(held.id))
        .filter(reservation::Column::Status.eq("active"))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(refused("reservation", ErrorCode::ReservationNotActive));
    }
    let audit_entry = Entry {
        action: "deliver",
        entity: "reservation",
        entity_id: Some(held.id),
        unit_path: Some(&child.unit_path),
        before: None,
        after: Some(json!({ "entry_id": entry.id, "amount": entry.amount })),
    };
    audit::record(&txn, Who::User(actor), audit_entry).await?;
    txn.commit().await?;
    Ok(entry)
}
