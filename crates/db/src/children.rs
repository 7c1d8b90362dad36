//! The child registry, always through the actor's scope. Every view of a card and every
//! export of personal data is written to the audit log; roles without the right to personal
//! data get anonymised records.

use chrono::Utc;
use domain::ErrorCode;
use domain::child::{ChildFields, Status};
use domain::{Actor, Invalid, OrgUnitId};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{campaign, child, child_category, child_need, child_status, org_unit, transfer_request};
use crate::error::Error;
use crate::org::fold;

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
    c
}

use chrono::Datelike as _;

fn snapshot(c: &child::Model, needs: &[child_need::Model]) -> serde_json::Value {
    json!({ "child": c, "needs": needs })
}

/// Replaces a child's categories and needs with those of `f`; returns the needs written.
pub(crate) async fn write_parts(
    txn: &impl ConnectionTrait,
    child_id: i64,
    f: &ChildFields,
) -> Result<Vec<child_need::Model>, DbErr> {
    replace_parts(txn, &[(child_id, f)]).await?;
    child_need::Entity::find()
        .filter(child_need::Column::ChildId.eq(child_id))
        .order_by_asc(child_need::Column::Id)
        .all(txn)
        .await
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

/// Writes the categories and needs of children that have none yet, in bulk.
pub(crate) async fn insert_parts(txn: &impl ConnectionTrait, children: &[(i64, &ChildFields)]) -> Result<(), DbErr> {
    let categories: Vec<_> = children
        .iter()
        .flat_map(|(id, f)| {
            f.categories
                .iter()
                .map(|c| child_category::ActiveModel { child_id: Set(*id), category: Set(c.as_str().to_owned()) })
        })
        .collect();
    for chunk in categories.chunks(PARTS_PER_STATEMENT) {
        child_category::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }
    let needs: Vec<_> = children
        .iter()
        .flat_map(|(id, f)| {
            f.needs.iter().map(|n| child_need::ActiveModel {
                child_id: Set(*id),
                item: Set(n.item.as_str().to_owned()),
                size: Set(n.size.clone()),
                quantity: Set(n.quantity),
                cost: Set(n.cost.0),
                ..Default::default()
            })
        })
        .collect();
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
    let existing = child::Entity::find()
        .filter(child::Column::CampaignId.eq(c.id))
        .filter(child::Column::Iin.eq(f.iin.as_str()))
        .one(&txn)
        .await?;
    if let Some(existing) = existing {
        return Err(registered(&txn, actor, &existing).await?);
    }
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
    let created = row.insert(&txn).await?;
    let needs = write_parts(&txn, created.id, f).await?;
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
    let found =
        child::Entity::find_by_id(id).filter(child::Column::UnitPath.starts_with(actor.scope.path())).one(db).await?;
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
pub async fn card(db: &Db, actor: &Actor, id: i64) -> Result<Card, Error> {
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
pub async fn update(db: &Db, actor: &Actor, id: i64, f: &ChildFields) -> Result<child::Model, Error> {
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
    let needs = write_parts(&txn, id, f).await?;
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
pub async fn set_status(db: &Db, actor: &Actor, id: i64, to: Status, reason: &str) -> Result<child::Model, Error> {
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

/// Filters, sorting and paging of the list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// IIN (or its start) or part of a name.
    pub q: Option<String>,
    /// Category code.
    pub category: Option<String>,
    /// Grade.
    pub grade: Option<i16>,
    /// Status code.
    pub status: Option<String>,
    /// Need item code.
    pub need: Option<String>,
    /// Only this school (or any unit) within scope.
    pub unit: Option<OrgUnitId>,
    /// `surname` (default), `grade`, `status`, `school`, `newest`.
    pub sort: String,
}

/// One page of the list.
#[derive(Debug, Clone)]
pub struct Page {
    /// The rows (anonymised for roles without the right to personal data).
    pub rows: Vec<child::Model>,
    /// All rows matching.
    pub total: u64,
}

/// The query behind the list and the export: the campaign, the actor's scope, the filters.
pub async fn query(
    db: &impl ConnectionTrait,
    actor: &Actor,
    campaign_id: i64,
    f: &Filter,
) -> Result<sea_orm::Select<child::Entity>, Error> {
    if !actor.role.can_view_orgs() {
        return Err(Error::Forbidden);
    }
    let mut prefix = actor.scope.path().to_owned();
    if let Some(unit) = f.unit {
        prefix = crate::org::get(db, actor, unit).await?.path;
    }
    let mut q = child::Entity::find()
        .filter(child::Column::CampaignId.eq(campaign_id))
        .filter(child::Column::UnitPath.starts_with(prefix));
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        if text.bytes().all(|b| b.is_ascii_digit()) {
            q = q.filter(child::Column::Iin.starts_with(text));
        } else {
            let escaped = fold(text).replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            q = q.filter(Expr::col(child::Column::SearchKey).like(LikeExpr::new(format!("%{escaped}%")).escape('\\')));
        }
    }
    if let Some(category) = f.category.as_deref().filter(|c| !c.is_empty()) {
        let sub = Query::select()
            .column(child_category::Column::ChildId)
            .from(child_category::Entity)
            .and_where(child_category::Column::Category.eq(category))
            .to_owned();
        q = q.filter(child::Column::Id.in_subquery(sub));
    }
    if let Some(need) = f.need.as_deref().filter(|c| !c.is_empty()) {
        let sub = Query::select()
            .column(child_need::Column::ChildId)
            .from(child_need::Entity)
            .and_where(child_need::Column::Item.eq(need))
            .to_owned();
        q = q.filter(child::Column::Id.in_subquery(sub));
    }
    if let Some(grade) = f.grade {
        q = q.filter(child::Column::Grade.eq(grade));
    }
    if let Some(status) = f.status.as_deref().filter(|c| !c.is_empty()) {
        q = q.filter(child::Column::Status.eq(status));
    }
    q = match f.sort.as_str() {
        "grade" => q.order_by_asc(child::Column::Grade).order_by_asc(child::Column::SearchKey),
        "status" => q.order_by_asc(child::Column::Status).order_by_asc(child::Column::SearchKey),
        "school" => q.order_by_asc(child::Column::UnitPath).order_by_asc(child::Column::SearchKey),
        "newest" => q.order_by_desc(child::Column::Id),
        _ => q.order_by_asc(child::Column::SearchKey),
    };
    Ok(q.order_by_asc(child::Column::Id))
}

/// One page (`page` from 1) of the children in scope matching the filter.
pub async fn list(
    db: &Db,
    actor: &Actor,
    campaign_id: i64,
    f: &Filter,
    page: u64,
    per_page: u64,
) -> Result<Page, Error> {
    let q = query(db, actor, campaign_id, f).await?;
    let total = q.clone().count(db).await?;
    let rows = q.offset((Ord::max(page, 1) - 1) * per_page).limit(per_page).all(db).await?;
    let rows = if actor.role.can_read_personal_data() { rows } else { rows.into_iter().map(anonymise).collect() };
    Ok(Page { rows, total })
}

/// A request to hand a child's record over to another school.
pub async fn request_transfer(
    db: &Db,
    actor: &Actor,
    campaign_id: i64,
    iin: &domain::iin::Iin,
    to_school: OrgUnitId,
    note: &str,
) -> Result<transfer_request::Model, Error> {
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
    transfer_id: i64,
    accept: bool,
) -> Result<transfer_request::Model, Error> {
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

/// Pending transfers the actor decides (the child is in scope) or asked for (the target is).
pub async fn pending_transfers(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Vec<transfer_request::Model>, DbErr> {
    let in_scope_children = Query::select()
        .column(child::Column::Id)
        .from(child::Entity)
        .and_where(child::Column::UnitPath.starts_with(actor.scope.path()))
        .to_owned();
    let in_scope_schools = Query::select()
        .column(org_unit::Column::Id)
        .from(org_unit::Entity)
        .and_where(org_unit::Column::Path.starts_with(actor.scope.path()))
        .to_owned();
    transfer_request::Entity::find()
        .filter(transfer_request::Column::Status.eq("pending"))
        .filter(
            transfer_request::Column::ChildId
                .in_subquery(in_scope_children)
                .or(transfer_request::Column::ToSchoolId.in_subquery(in_scope_schools)),
        )
        .order_by_asc(transfer_request::Column::Id)
        .all(db)
        .await
}

/// Writes an export of personal data to the audit log (call before handing out the file).
pub async fn log_export(db: &Db, actor: &Actor, rows: u64, filter: serde_json::Value) -> Result<(), DbErr> {
    let entry = Entry {
        action: "export_personal",
        entity: "child",
        entity_id: None,
        unit_path: Some(actor.scope.path()),
        before: None,
        after: Some(json!({ "rows": rows, "filter": filter })),
    };
    audit::record(db, Who::User(actor), entry).await
}
