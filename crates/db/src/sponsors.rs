//! Sponsors and their portal: anonymised needs, reservations that expire after 48 hours and that
//! two sponsors can never hold at once (a partial unique index), and delivery into the ledger.

use chrono::{Duration, Utc};
use domain::ErrorCode;
use domain::aid::{EntryStatus, Form, Source, SponsorFields};
use domain::user::NewUser;
use domain::{Actor, Invalid, OrgUnitId, Role};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{campaign, child, child_need, ledger_entry, org_unit, reservation, sponsor, sponsor_account};
use crate::error::{Error, is_unique_violation};

/// How long a reservation holds a need.
pub const HOLD_HOURS: i64 = 48;

fn refused(field: &'static str, code: ErrorCode) -> Error {
    Error::Invalid(Invalid::one(field, code))
}

/// Registers a sponsor in a region of the actor's scope (region and republic coordinators).
pub async fn create(db: &Db, actor: &Actor, region: OrgUnitId, f: &SponsorFields) -> Result<sponsor::Model, Error> {
    if !matches!(actor.role, Role::RegionCoordinator | Role::RepublicCoordinator) {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let unit = crate::org::get(&txn, actor, region).await?;
    if unit.kind != "region" {
        return Err(refused("region", ErrorCode::InvalidChoice));
    }
    let created = sponsor::ActiveModel {
        kind: Set(f.kind.as_str().to_owned()),
        name: Set(f.name.clone()),
        bin_iin: Set(f.bin_iin.clone()),
        contact: Set(f.contact.clone()),
        phone: Set(f.phone.clone()),
        region_id: Set(unit.id),
        approved: Set(true),
        rejected: Set(false),
        self_registered: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(crate::error::unique_as("bin_iin"))?;
    let entry = Entry {
        action: "create",
        entity: "sponsor",
        entity_id: Some(created.id),
        unit_path: Some(&unit.path),
        before: None,
        after: Some(serde_json::to_value(&created).unwrap_or_default()),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(created)
}

/// A sponsor registers itself (no sign-in): the sponsor and its account are created waiting for
/// the region coordinator; the account cannot sign in until the sponsor is approved.
pub async fn apply(
    db: &Db,
    region: OrgUnitId,
    f: &SponsorFields,
    new: &NewUser,
    password_hash: &str,
) -> Result<sponsor::Model, Error> {
    let txn = crate::write_txn(db).await?;
    let unit = org_unit::Entity::find_by_id(region.0).one(&txn).await?;
    let unit =
        unit.filter(|u| u.kind == "region" && u.active).ok_or_else(|| refused("region", ErrorCode::InvalidChoice))?;
    let created = sponsor::ActiveModel {
        kind: Set(f.kind.as_str().to_owned()),
        name: Set(f.name.clone()),
        bin_iin: Set(f.bin_iin.clone()),
        contact: Set(f.contact.clone()),
        phone: Set(f.phone.clone()),
        region_id: Set(unit.id),
        approved: Set(false),
        rejected: Set(false),
        self_registered: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(crate::error::unique_as("bin_iin"))?;
    let account = NewUser { role: Role::Sponsor, unit_id: unit.id, ..new.clone() };
    let user = crate::users::insert(&txn, &account, password_hash, false).await?;
    crate::entity::user::Entity::update_many()
        .col_expr(crate::entity::user::Column::Active, Expr::value(false))
        .filter(crate::entity::user::Column::Id.eq(user.id))
        .exec(&txn)
        .await?;
    sponsor_account::ActiveModel { user_id: Set(user.id), sponsor_id: Set(created.id) }.insert(&txn).await?;
    let entry = Entry {
        action: "apply",
        entity: "sponsor",
        entity_id: Some(created.id),
        unit_path: Some(&unit.path),
        before: None,
        after: Some(serde_json::to_value(&created).unwrap_or_default()),
    };
    audit::record(&txn, Who::Login(Some(user.id), &user.login), entry).await?;
    txn.commit().await?;
    Ok(created)
}

/// The region coordinator approves a self-registered sponsor (its accounts can then sign in) or
/// refuses it. A sponsor is decided once.
pub async fn decide(db: &Db, actor: &Actor, sponsor_id: i64, approve: bool) -> Result<sponsor::Model, Error> {
    if !matches!(actor.role, Role::RegionCoordinator | Role::RepublicCoordinator) {
        return Err(Error::Forbidden);
    }
    let found = list(db, actor).await?.into_iter().find(|s| s.id == sponsor_id);
    let Some(found) = found else {
        return Err(crate::org::deny(db, actor, "sponsor", sponsor_id).await);
    };
    let txn = crate::write_txn(db).await?;
    let done = sponsor::Entity::update_many()
        .col_expr(if approve { sponsor::Column::Approved } else { sponsor::Column::Rejected }, Expr::value(true))
        .filter(sponsor::Column::Id.eq(sponsor_id))
        .filter(sponsor::Column::Approved.eq(false))
        .filter(sponsor::Column::Rejected.eq(false))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(refused("sponsor", ErrorCode::SponsorDecided));
    }
    if approve {
        let accounts = Query::select()
            .column(sponsor_account::Column::UserId)
            .from(sponsor_account::Entity)
            .and_where(sponsor_account::Column::SponsorId.eq(sponsor_id))
            .to_owned();
        crate::entity::user::Entity::update_many()
            .col_expr(crate::entity::user::Column::Active, Expr::value(true))
            .col_expr(crate::entity::user::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(crate::entity::user::Column::Id.in_subquery(accounts))
            .exec(&txn)
            .await?;
    }
    let region = org_unit::Entity::find_by_id(found.region_id).one(&txn).await?.ok_or(Error::NotFound)?;
    let entry = Entry {
        action: if approve { "approve" } else { "reject" },
        entity: "sponsor",
        entity_id: Some(sponsor_id),
        unit_path: Some(&region.path),
        before: Some(json!({ "approved": found.approved, "rejected": found.rejected })),
        after: Some(json!({ "approved": approve, "rejected": !approve })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    sponsor::Entity::find_by_id(sponsor_id).one(db).await?.ok_or(Error::NotFound)
}

/// Sponsors of the regions in the actor's scope.
pub async fn list(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<sponsor::Model>, Error> {
    if !actor.role.can_view_orgs() {
        return Err(Error::Forbidden);
    }
    let regions = Query::select()
        .column(org_unit::Column::Id)
        .from(org_unit::Entity)
        .and_where(org_unit::Column::Kind.eq("region"))
        .and_where(org_unit::Column::Path.starts_with(actor.scope.path()))
        .to_owned();
    Ok(sponsor::Entity::find()
        .filter(sponsor::Column::RegionId.in_subquery(regions))
        .order_by_asc(sponsor::Column::Name)
        .all(db)
        .await?)
}

/// Creates the account a sponsor signs in with (role `sponsor` at the sponsor's region).
pub async fn add_account(
    db: &Db,
    actor: &Actor,
    sponsor_id: i64,
    login: &str,
    full_name: &str,
    hash: &str,
) -> Result<i64, Error> {
    let sponsor = list(db, actor).await?.into_iter().find(|s| s.id == sponsor_id).ok_or(Error::NotFound)?;
    let new = NewUser {
        login: login.trim().to_lowercase(),
        full_name: full_name.trim().to_owned(),
        role: Role::Sponsor,
        unit_id: sponsor.region_id,
    };
    let user = crate::users::create(db, actor, &new, hash).await?;
    sponsor_account::ActiveModel { user_id: Set(user.id), sponsor_id: Set(sponsor.id) }.insert(db).await?;
    Ok(user.id)
}

/// The sponsor a signed-in sponsor user acts for.
pub async fn sponsor_of(db: &impl ConnectionTrait, actor: &Actor) -> Result<sponsor::Model, Error> {
    if actor.role != Role::Sponsor {
        return Err(Error::Forbidden);
    }
    let link = sponsor_account::Entity::find_by_id(actor.user_id.0).one(db).await?.ok_or(Error::Forbidden)?;
    let s = sponsor::Entity::find_by_id(link.sponsor_id).one(db).await?.ok_or(Error::Forbidden)?;
    if !s.approved {
        return Err(Error::Forbidden);
    }
    Ok(s)
}

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
        .filter(org_unit::Column::Path.starts_with(actor.scope.path()))
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
        .filter(child::Column::UnitPath.starts_with(&under))
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
pub async fn reserve(db: &Db, actor: &Actor, need_id: i64) -> Result<reservation::Model, Error> {
    let sponsor = sponsor_of(db, actor).await?;
    let txn = crate::write_txn(db).await?;
    let need = child_need::Entity::find_by_id(need_id).one(&txn).await?.ok_or(Error::NotFound)?;
    let child = child::Entity::find_by_id(need.child_id).one(&txn).await?.ok_or(Error::NotFound)?;
    if !actor.scope.covers(&child.unit_path) {
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
    reservation_id: i64,
    date: chrono::NaiveDate,
) -> Result<ledger_entry::Model, Error> {
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

/// What a sponsor's help did: children helped, items and the sum delivered.
pub async fn impact(db: &impl ConnectionTrait, actor: &Actor) -> Result<(usize, usize, i64), Error> {
    let sponsor = sponsor_of(db, actor).await?;
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::SponsorId.eq(sponsor.id))
        .filter(ledger_entry::Column::Status.is_in(["delivered", "confirmed"]))
        .all(db)
        .await?;
    let children: std::collections::HashSet<i64> =
        entries.iter().filter(|e| e.amount > 0).map(|e| e.child_id).collect();
    let items = entries.iter().filter(|e| e.amount > 0).count();
    Ok((children.len(), items, entries.iter().map(|e| e.amount).sum()))
}

/// One line of a sponsor's help report: never a name or an IIN.
#[derive(Debug, Clone, Serialize)]
pub struct HelpLine {
    /// Date of the help.
    pub date: chrono::NaiveDate,
    /// The child's anonymous code.
    pub code: String,
    /// Grade.
    pub grade: i16,
    /// The school (Russian and Kazakh names).
    pub school_ru: String,
    /// In Kazakh.
    pub school_kk: String,
    /// Items given (codes and quantities).
    pub items: Vec<(String, i32)>,
    /// Amount, tiyn (negative for a correction).
    pub amount: i64,
    /// Status code.
    pub status: String,
}

/// Children helped (by a positive entry) and the net sum of a help report.
pub fn summary(lines: &[HelpLine]) -> (usize, i64) {
    let children: std::collections::HashSet<&str> =
        lines.iter().filter(|l| l.amount > 0).map(|l| l.code.as_str()).collect();
    (children.len(), lines.iter().map(|l| l.amount).sum())
}

/// Everything the signed-in sponsor gave, oldest first, anonymised.
pub async fn help_report(db: &impl ConnectionTrait, actor: &Actor) -> Result<(sponsor::Model, Vec<HelpLine>), Error> {
    let sponsor = sponsor_of(db, actor).await?;
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::SponsorId.eq(sponsor.id))
        .filter(ledger_entry::Column::Status.is_in(["delivered", "confirmed"]))
        .order_by_asc(ledger_entry::Column::EntryDate)
        .order_by_asc(ledger_entry::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    let mut items: std::collections::HashMap<i64, Vec<(String, i32)>> = std::collections::HashMap::new();
    for chunk in ids.chunks(10_000) {
        for i in crate::entity::ledger_item::Entity::find()
            .filter(crate::entity::ledger_item::Column::EntryId.is_in(chunk.to_vec()))
            .order_by_asc(crate::entity::ledger_item::Column::Id)
            .all(db)
            .await?
        {
            items.entry(i.entry_id).or_default().push((i.item, i.quantity));
        }
    }
    let child_ids: Vec<i64> = entries.iter().map(|e| e.child_id).collect();
    let mut grades = std::collections::HashMap::new();
    for chunk in child_ids.chunks(10_000) {
        let rows: Vec<(i64, i16)> = child::Entity::find()
            .select_only()
            .column(child::Column::Id)
            .column(child::Column::Grade)
            .filter(child::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        grades.extend(rows);
    }
    let schools: std::collections::HashMap<i64, org_unit::Model> = org_unit::Entity::find()
        .filter(org_unit::Column::Id.is_in(entries.iter().map(|e| e.school_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let lines = entries
        .into_iter()
        .map(|e| {
            let school = schools.get(&e.school_id);
            HelpLine {
                date: e.entry_date,
                code: crate::children::code(e.child_id),
                grade: grades.get(&e.child_id).copied().unwrap_or_default(),
                school_ru: school.map(|s| s.name_ru.clone()).unwrap_or_default(),
                school_kk: school.map(|s| s.name_kk.clone()).unwrap_or_default(),
                items: items.remove(&e.id).unwrap_or_default(),
                amount: e.amount,
                status: e.status,
            }
        })
        .collect();
    Ok((sponsor, lines))
}

/// The holds on a child's needs (for the child's card), newest first.
pub async fn for_child(
    db: &impl ConnectionTrait,
    actor: &Actor,
    child_id: i64,
) -> Result<Vec<(reservation::Model, sponsor::Model)>, Error> {
    crate::children::find_scoped(db, actor, child_id).await?;
    let rows = reservation::Entity::find()
        .filter(reservation::Column::ChildId.eq(child_id))
        .order_by_desc(reservation::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        if let Some(s) = sponsor::Entity::find_by_id(r.sponsor_id).one(db).await? {
            out.push((r, s));
        }
    }
    Ok(out)
}

/// Links an existing sponsor account to a sponsor (command line and demo).
pub async fn link_system(db: &Db, user_id: i64, sponsor_id: i64) -> Result<(), Error> {
    let row = sponsor_account::ActiveModel { user_id: Set(user_id), sponsor_id: Set(sponsor_id) };
    sponsor_account::Entity::insert(row)
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(sponsor_account::Column::UserId)
                .update_column(sponsor_account::Column::SponsorId)
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A sponsor by BIN or IIN.
pub async fn by_bin_iin(db: &impl ConnectionTrait, bin_iin: &str) -> Result<Option<sponsor::Model>, Error> {
    Ok(sponsor::Entity::find().filter(sponsor::Column::BinIin.eq(bin_iin)).one(db).await?)
}
