//! The child registry, always through the actor's scope. Every view of a card and every
//! export of personal data is written to the audit log; roles without the right to personal
//! data get anonymised records.

mod anonymous;
mod list;
mod transfers;

use chrono::Datelike as _;
use chrono::Utc;
use domain::child::{ChildFields, Status};
use domain::{Actor, ChildId, ErrorCode, Invalid, OrgUnitId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    TryInsertResult,
};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{campaign, child, child_category, child_need, child_status, org_unit};
use crate::error::Error;
use crate::org::fold;

pub use list::{COUNT_CAP, Cursor, Filter, Page, chunk, list, log_export};
pub use transfers::{decide_transfer, pending_transfers, request_transfer};

/// The folded text search runs on: names and IIN.
pub fn search_key(f: &ChildFields) -> String {
    fold(&format!("{} {} {} {}", f.surname, f.first_name, f.patronymic.as_deref().unwrap_or(""), f.iin))
}

/// The anonymous code of a record, shown where names may not be.
pub fn code(id: i64) -> String {
    format!("D-{id:06}")
}

/// Blanks every personal field of a record (names, IIN, family, address).
pub fn anonymise(mut c: child::Model) -> child::Model {
    c.iin = String::new();
    c.surname = code(c.id);
    c.first_name = String::new();
    c.patronymic = None;
    c.guardian_name = String::new();
    c.guardian_relation = None;
    c.guardian_phone = None;
    c.address = None;
    c.decision_no = None;
    c.birth_date = chrono::NaiveDate::from_ymd_opt(c.birth_date.year(), 1, 1).unwrap_or(c.birth_date);
    // What picks a child out of a class: the categories, the sex, the family and the decision.
    c.categories = String::new();
    c.sex = String::new();
    c.decision_date = None;
    c.family_children = None;
    c.settlement = None;
    c.status_reason = None;
    c
}

fn snapshot(c: &child::Model, needs: &[child_need::Model]) -> serde_json::Value {
    json!({ "child": c, "needs": needs })
}

/// Writes a child's categories and needs (replacing those it had, when `replace`); returns the
/// needs written, as written.
pub(crate) async fn write_parts(
    txn: &impl ConnectionTrait,
    child_id: i64,
    f: &ChildFields,
    replace: bool,
) -> Result<Vec<child_need::Model>, DbErr> {
    if replace {
        child_category::Entity::delete_many().filter(child_category::Column::ChildId.eq(child_id)).exec(txn).await?;
        child_need::Entity::delete_many().filter(child_need::Column::ChildId.eq(child_id)).exec(txn).await?;
    }
    child_category::Entity::insert_many(category_rows(child_id, f)).exec_without_returning(txn).await?;
    let mut needs = child_need::Entity::insert_many(need_rows(child_id, f)).exec_with_returning(txn).await?;
    needs.sort_by_key(|n| n.id);
    Ok(needs)
}

/// Rows of categories or needs written per statement (SQLite allows 32,766 bound values; a need
/// has five).
const PARTS_PER_STATEMENT: usize = 1_000;

/// Replaces the categories and needs of many children at once: one statement removes them all,
/// then they are written in bulk (the reports' totals are then bumped once per statement, not
/// once per child).
pub(crate) async fn replace_parts(txn: &impl ConnectionTrait, children: &[(i64, &ChildFields)]) -> Result<(), DbErr> {
    let ids = || children.iter().map(|(id, _)| *id);
    child_category::Entity::delete_many().filter(child_category::Column::ChildId.is_in(ids())).exec(txn).await?;
    child_need::Entity::delete_many().filter(child_need::Column::ChildId.is_in(ids())).exec(txn).await?;
    insert_parts(txn, children).await
}

fn category_rows(child_id: i64, f: &ChildFields) -> Vec<child_category::ActiveModel> {
    f.categories
        .iter()
        .map(|c| child_category::ActiveModel { child_id: Set(child_id), category: Set(c.as_str().to_owned()) })
        .collect()
}

fn need_rows(child_id: i64, f: &ChildFields) -> Vec<child_need::ActiveModel> {
    f.needs
        .iter()
        .map(|n| child_need::ActiveModel {
            child_id: Set(child_id),
            item: Set(n.item.as_str().to_owned()),
            size: Set(n.size.clone()),
            quantity: Set(n.quantity),
            cost: Set(n.cost.0),
            ..Default::default()
        })
        .collect()
}

/// Writes the categories and needs of children that have none yet, in bulk.
pub(crate) async fn insert_parts(txn: &impl ConnectionTrait, children: &[(i64, &ChildFields)]) -> Result<(), DbErr> {
    let categories: Vec<_> = children.iter().flat_map(|(id, f)| category_rows(*id, f)).collect();
    for chunk in categories.chunks(PARTS_PER_STATEMENT) {
        child_category::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }
    let needs: Vec<_> = children.iter().flat_map(|(id, f)| need_rows(*id, f)).collect();
    for chunk in needs.chunks(PARTS_PER_STATEMENT) {
        child_need::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// Fills an active model with the checked fields.
pub fn apply(m: &mut child::ActiveModel, f: &ChildFields) {
    m.iin = Set(f.iin.as_str().to_owned());
    m.surname = Set(f.surname.clone());
    m.first_name = Set(f.first_name.clone());
    m.patronymic = Set(f.patronymic.clone());
    m.birth_date = Set(f.birth_date);
    m.sex = Set(f.sex.as_str().to_owned());
    m.grade = Set(f.grade);
    m.study_language = Set(f.study_language.as_str().to_owned());
    m.categories = Set(f.categories.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(","));
    m.decision_no = Set(f.decision.as_ref().map(|d| d.0.clone()));
    m.decision_date = Set(f.decision.as_ref().map(|d| d.1));
    m.guardian_name = Set(f.guardian_name.clone());
    m.guardian_relation = Set(f.guardian_relation.clone());
    m.guardian_phone = Set(f.guardian_phone.clone());
    m.address = Set(f.address.clone());
    m.settlement = Set(f.settlement.clone());
    m.family_children = Set(f.family_children);
    m.consent_by = Set(f.consent_by.as_str().to_owned());
    m.consent_method = Set(f.consent_method.as_str().to_owned());
    m.consent_date = Set(f.consent_date);
    m.source = Set(f.source.as_str().to_owned());
    m.search_key = Set(search_key(f));
    m.needs_cost = Set(f.needs.iter().map(|n| n.cost.0).sum());
    m.updated_at = Set(Utc::now());
}

/// The existing record of this IIN in the campaign, as a `Registered` error.
async fn registered(txn: &impl ConnectionTrait, actor: &Actor, existing: &child::Model) -> Result<Error, DbErr> {
    let school = if actor.scope.covers(&existing.unit_path) {
        org_unit::Entity::find_by_id(existing.school_id).one(txn).await?.map(Box::new)
    } else {
        None
    };
    Ok(Error::Registered { child_id: existing.id, school })
}

async fn school_for_writing(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    school: OrgUnitId,
) -> Result<org_unit::Model, Error> {
    let unit = crate::org::get(txn, actor, school).await?;
    if unit.kind != "school" {
        return Err(Invalid::one("school_id", ErrorCode::NotASchool).into());
    }
    if !unit.active {
        return Err(Invalid::one("school_id", ErrorCode::Inactive).into());
    }
    Ok(unit)
}

/// Adds a child to a school's list. An IIN already registered in the campaign is refused with
/// [`Error::Registered`], naming the other school only to those whose scope covers it.
pub async fn create(
    db: &Db,
    actor: &Actor,
    c: &campaign::Model,
    school: OrgUnitId,
    f: &ChildFields,
) -> Result<child::Model, Error> {
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let school = school_for_writing(&txn, actor, school).await?;
    let now = Utc::now();
    let mut row = child::ActiveModel {
        campaign_id: Set(c.id),
        school_id: Set(school.id),
        unit_path: Set(school.path.clone()),
        status: Set(Status::Identified.as_str().to_owned()),
        status_reason: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut row, f);
    // The unique key on (campaign, IIN) decides, in the one statement that writes the record.
    let once = OnConflict::columns([child::Column::CampaignId, child::Column::Iin]).do_nothing().to_owned();
    let written = child::Entity::insert(row).on_conflict(once).try_insert().exec_with_returning_many(&txn).await?;
    let created = match written {
        TryInsertResult::Inserted(mut rows) if !rows.is_empty() => rows.remove(0),
        _ => {
            let existing = child::Entity::find()
                .filter(child::Column::CampaignId.eq(c.id))
                .filter(child::Column::Iin.eq(f.iin.as_str()))
                .one(&txn)
                .await?;
            return Err(match existing {
                Some(existing) => registered(&txn, actor, &existing).await?,
                None => Invalid::one("iin", ErrorCode::AlreadyRegistered).into(),
            });
        }
    };
    let needs = write_parts(&txn, created.id, f, false).await?;
    history(&txn, actor, created.id, None, Status::Identified, None).await?;
    let entry = Entry {
        action: "create",
        entity: "child",
        entity_id: Some(created.id),
        unit_path: Some(&created.unit_path),
        before: None,
        after: Some(snapshot(&created, &needs)),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(created)
}

async fn history(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    child_id: i64,
    from: Option<&str>,
    to: Status,
    reason: Option<&str>,
) -> Result<(), DbErr> {
    child_status::ActiveModel {
        child_id: Set(child_id),
        from_status: Set(from.map(str::to_owned)),
        to_status: Set(to.as_str().to_owned()),
        reason: Set(reason.map(str::to_owned)),
        actor_id: Set(Some(actor.user_id.0)),
        actor_login: Set(actor.login.clone()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

pub(crate) async fn find_scoped(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<child::Model, Error> {
    if !actor.role.can_view_orgs() {
        return Err(Error::Forbidden);
    }
    let found = child::Entity::find_by_id(id)
        .filter(crate::scope::starts_with(sea_orm::sea_query::Expr::col(child::Column::UnitPath), actor.scope.path()))
        .one(db)
        .await?;
    match found {
        Some(c) => Ok(c),
        None => Err(crate::org::deny(db, actor, "child", id).await),
    }
}

/// A child's card: the record, needs, status history and school.
#[derive(Debug, Clone)]
pub struct Card {
    /// The record (anonymised unless `personal`).
    pub child: child::Model,
    /// Needs.
    pub needs: Vec<child_need::Model>,
    /// Status history, oldest first.
    pub history: Vec<child_status::Model>,
    /// The school.
    pub school: org_unit::Model,
    /// Whether personal fields are shown.
    pub personal: bool,
}

/// Opens a child's card. For roles with the right to personal data the view is written to the
/// audit log; the others get the anonymised record.
pub async fn card(db: &Db, actor: &Actor, id: ChildId) -> Result<Card, Error> {
    let id = id.0;
    let found = find_scoped(db, actor, id).await?;
    let personal = actor.role.can_read_personal_data();
    let needs = child_need::Entity::find()
        .filter(child_need::Column::ChildId.eq(id))
        .order_by_asc(child_need::Column::Id)
        .all(db)
        .await?;
    let history = child_status::Entity::find()
        .filter(child_status::Column::ChildId.eq(id))
        .order_by_asc(child_status::Column::Id)
        .all(db)
        .await?;
    let school = org_unit::Entity::find_by_id(found.school_id).one(db).await?.ok_or(Error::NotFound)?;
    if personal {
        let entry = Entry {
            action: "read_personal",
            entity: "child",
            entity_id: Some(id),
            unit_path: Some(&found.unit_path),
            before: None,
            after: None,
        };
        audit::record(db, Who::User(actor), entry).await?;
    }
    let child = if personal { found } else { anonymise(found) };
    Ok(Card { child, needs, history, school, personal })
}

/// Changes a child's record (IIN included; a collision with another record is refused).
pub async fn update(db: &Db, actor: &Actor, id: ChildId, f: &ChildFields) -> Result<child::Model, Error> {
    let id = id.0;
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let before = find_scoped(&txn, actor, id).await?;
    if before.iin != f.iin.as_str() {
        let other = child::Entity::find()
            .filter(child::Column::CampaignId.eq(before.campaign_id))
            .filter(child::Column::Iin.eq(f.iin.as_str()))
            .one(&txn)
            .await?;
        if let Some(other) = other {
            return Err(registered(&txn, actor, &other).await?);
        }
    }
    let before_needs = child_need::Entity::find().filter(child_need::Column::ChildId.eq(id)).all(&txn).await?;
    let mut row: child::ActiveModel = before.clone().into();
    apply(&mut row, f);
    let after = row.update(&txn).await?;
    let needs = write_parts(&txn, id, f, true).await?;
    let entry = Entry {
        action: "update",
        entity: "child",
        entity_id: Some(id),
        unit_path: Some(&after.unit_path),
        before: Some(snapshot(&before, &before_needs)),
        after: Some(snapshot(&after, &needs)),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// Moves a child to another status, keeping who, when and why.
pub async fn set_status(db: &Db, actor: &Actor, id: ChildId, to: Status, reason: &str) -> Result<child::Model, Error> {
    let id = id.0;
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    let reason = reason.trim();
    if to.needs_reason() && reason.is_empty() {
        return Err(Invalid::one("reason", ErrorCode::Required).into());
    }
    if reason.chars().count() > domain::child::TEXT_MAX {
        return Err(Invalid(vec![
            domain::FieldError::new("reason", ErrorCode::TooLong).with_limit(domain::child::TEXT_MAX as i64),
        ])
        .into());
    }
    let reason = (!reason.is_empty()).then_some(reason);
    let txn = crate::write_txn(db).await?;
    let before = find_scoped(&txn, actor, id).await?;
    if before.status == to.as_str() {
        return Err(Invalid::one("status", ErrorCode::StatusUnchanged).into());
    }
    let mut row: child::ActiveModel = before.clone().into();
    row.status = Set(to.as_str().to_owned());
    row.status_reason = Set(reason.map(str::to_owned));
    row.updated_at = Set(Utc::now());
    let after = row.update(&txn).await?;
    history(&txn, actor, id, Some(&before.status), to, reason).await?;
    let entry = Entry {
        action: "status",
        entity: "child",
        entity_id: Some(id),
        unit_path: Some(&after.unit_path),
        before: Some(json!({ "status": before.status })),
        after: Some(json!({ "status": after.status, "reason": reason })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(after)
}
