//! The sponsor's portal: the anonymised needs of its region, holds for 48 hours, deliveries.

use chrono::{Duration, Utc};
use domain::{Actor, ErrorCode, NeedId};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use serde_json::json;

use super::{HOLD_HOURS, refused, sponsor_of};
use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{campaign, child, child_need, org_unit, reservation, unit_details};
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
    /// How many.
    pub quantity: i32,
    /// Estimated cost, tiyn.
    pub cost: i64,
}

/// Filters of the portal, and where its page starts.
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
    /// A district of the sponsor's region (its id).
    pub district: Option<i64>,
    /// A school of the sponsor's region (of the district, when one is chosen).
    pub school: Option<i64>,
    /// The page starts after this need (the last need of the page before).
    pub after: Option<i64>,
}

/// need id, child id, item, size, quantity, cost, sex, grade, school id.
type NeedRow = (i64, i64, String, Option<String>, i32, i64, String, i16, i64);

/// The districts of the sponsor's region, and the schools of one of them, to narrow the portal
/// down.
pub async fn places(
    db: &impl ConnectionTrait,
    actor: &Actor,
    district: Option<i64>,
) -> Result<(Vec<org_unit::Model>, Vec<org_unit::Model>), Error> {
    sponsor_of(db, actor).await?;
    let under = |path: &str, kind: &str| {
        org_unit::Entity::find()
            .filter(crate::scope::starts_with(Expr::col(org_unit::Column::Path), path))
            .filter(org_unit::Column::Kind.eq(kind))
            .filter(org_unit::Column::Active.eq(true))
            .order_by_asc(org_unit::Column::NameRu)
            .limit(2000)
    };
    let districts = under(actor.scope.path(), "district").all(db).await?;
    let schools = match districts.iter().find(|d| Some(d.id) == district) {
        Some(d) => under(&d.path, "school").all(db).await?,
        None => Vec::new(),
    };
    Ok((districts, schools))
}

/// The part of the sponsor's region a filter narrows the needs to: a school of the region (of
/// the district, when one is chosen), a district of it, or the whole region.
async fn narrowed(db: &impl ConnectionTrait, actor: &Actor, f: &NeedFilter) -> Result<String, Error> {
    let mut under = actor.scope.path().to_owned();
    for (id, field, kind) in [(f.district, "district", "district"), (f.school, "school", "school")] {
        let Some(id) = id else { continue };
        let unit = org_unit::Entity::find_by_id(id).one(db).await?;
        match unit.filter(|u| u.kind == kind && u.path.starts_with(&under)) {
            Some(u) => under = u.path,
            None => return Err(refused(field, ErrorCode::InvalidChoice)),
        }
    }
    Ok(under)
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
    let under = narrowed(db, actor, f).await?;
    let held = Query::select()
        .column(reservation::Column::NeedId)
        .from(reservation::Entity)
        .and_where(
            Expr::col(reservation::Column::Status).is_in(["awaiting", "delivered"]).or(Expr::col(
                reservation::Column::Status,
            )
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
        .column(child_need::Column::Quantity)
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
        .filter(crate::scope::starts_with(Expr::col(child::Column::UnitPath), &under))
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
    if let Some(after) = f.after {
        q = q.filter(child_need::Column::Id.gt(after));
    }
    let rows: Vec<NeedRow> = q.order_by_asc(child_need::Column::Id).limit(limit).into_tuple().all(db).await?;
    let schools: std::collections::HashMap<i64, org_unit::Model> = org_unit::Entity::find()
        .filter(org_unit::Column::Id.is_in(rows.iter().map(|r| r.8).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    Ok(rows
        .into_iter()
        .map(|(need_id, child_id, item, size, quantity, cost, sex, grade, school)| {
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
                quantity,
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
        delivered_on: Set(None),
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

/// A hold as its sponsor sees it: the need, the child by code, where to bring it and whom to call.
#[derive(Debug, Clone, Serialize)]
pub struct HeldNeed {
    /// The hold.
    pub hold: reservation::Model,
    /// The need held.
    pub need: child_need::Model,
    /// The child's anonymous code.
    pub code: String,
    /// `male` or `female`.
    pub sex: String,
    /// Grade.
    pub grade: i16,
    /// The school.
    pub school: org_unit::Model,
    /// What the school filled in for sponsors: address, coordinator, work phone.
    pub details: unit_details::Model,
}

/// How many of its holds a sponsor's portal lists (the newest; the help report has them all).
pub const HOLDS_SHOWN: u64 = 100;

/// The sponsor's holds, newest first (at most [`HOLDS_SHOWN`]), each with its child's code,
/// grade and sex, the need's item and size, and the school's address and coordinator's phone.
pub async fn mine(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<HeldNeed>, Error> {
    use std::collections::HashMap;
    let sponsor = sponsor_of(db, actor).await?;
    let holds = reservation::Entity::find()
        .filter(reservation::Column::SponsorId.eq(sponsor.id))
        .order_by_desc(reservation::Column::Id)
        .limit(HOLDS_SHOWN)
        .all(db)
        .await?;
    let needs: HashMap<i64, child_need::Model> = child_need::Entity::find()
        .filter(child_need::Column::Id.is_in(holds.iter().map(|h| h.need_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    let children: HashMap<i64, (String, i16, i64)> = child::Entity::find()
        .select_only()
        .column(child::Column::Id)
        .column(child::Column::Sex)
        .column(child::Column::Grade)
        .column(child::Column::SchoolId)
        .filter(child::Column::Id.is_in(holds.iter().map(|h| h.child_id)))
        .into_tuple::<(i64, String, i16, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, sex, grade, school)| (id, (sex, grade, school)))
        .collect();
    let school_ids: Vec<i64> = children.values().map(|c| c.2).collect();
    let schools: HashMap<i64, org_unit::Model> = org_unit::Entity::find()
        .filter(org_unit::Column::Id.is_in(school_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let details: HashMap<i64, unit_details::Model> = unit_details::Entity::find()
        .filter(unit_details::Column::UnitId.is_in(school_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.unit_id, d))
        .collect();
    Ok(holds
        .into_iter()
        .filter_map(|hold| {
            let need = needs.get(&hold.need_id)?.clone();
            let (sex, grade, school_id) = children.get(&hold.child_id)?.clone();
            let school = schools.get(&school_id)?.clone();
            let details = details.get(&school_id).cloned().unwrap_or_default();
            Some(HeldNeed { code: crate::children::code(hold.child_id), sex, grade, school, details, need, hold })
        })
        .collect())
}
