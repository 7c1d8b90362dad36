//! Sponsors and their portal: anonymised needs, reservations that expire after 48 hours and that
//! two sponsors can never hold at once (a partial unique index), and delivery into the ledger.

mod delivery;
mod expiring;
mod portal;
mod report;

use chrono::Utc;
use domain::aid::SponsorFields;
use domain::user::NewUser;
use domain::{Actor, ChildId, ErrorCode, Invalid, OrgUnitId, Role, SponsorId};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{org_unit, reservation, sponsor, sponsor_account};
use crate::error::Error;

pub use delivery::{Awaiting, awaiting, confirm, deliver};
pub use expiring::{WARN_HOURS, warn_expiring};
pub use portal::{AnonymousNeed, HOLDS_SHOWN, HeldNeed, NeedFilter, mine, open_needs, places, reserve};
pub use report::{HelpLine, help_report, impact, summary};

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
        email: Set(f.email.clone()),
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
    client: &str,
) -> Result<sponsor::Model, Error> {
    let txn = crate::write_txn(db).await?;
    let unit = org_unit::Entity::find_by_id(region.0).one(&txn).await?;
    let unit =
        unit.filter(|u| u.kind == "region" && u.active).ok_or_else(|| refused("region", ErrorCode::InvalidChoice))?;
    // A BIN or IIN already registered is not refused (that would tell anyone whose it is): the
    // application keeps the sponsor it repeats, for the coordinator to see.
    let existing = match &f.bin_iin {
        Some(bin_iin) => by_bin_iin(&txn, bin_iin).await?,
        None => None,
    };
    let created = sponsor::ActiveModel {
        kind: Set(f.kind.as_str().to_owned()),
        name: Set(f.name.clone()),
        bin_iin: Set(if existing.is_some() { None } else { f.bin_iin.clone() }),
        contact: Set(f.contact.clone()),
        phone: Set(f.phone.clone()),
        email: Set(f.email.clone()),
        region_id: Set(unit.id),
        approved: Set(false),
        rejected: Set(false),
        self_registered: Set(true),
        created_at: Set(Utc::now()),
        applied_from: Set(Some(client.chars().take(64).collect())),
        duplicate_of: Set(existing.map(|e| e.id)),
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
pub async fn decide(db: &Db, actor: &Actor, sponsor_id: SponsorId, approve: bool) -> Result<sponsor::Model, Error> {
    let sponsor_id = sponsor_id.0;
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
    if let Some(email) = found.email.clone() {
        let kind = if approve { "sponsor_approved" } else { "sponsor_rejected" };
        let params = json!({ "name": found.name, "region_ru": region.name_ru, "region_kk": region.name_kk });
        let m = crate::outbox::Message {
            channel: "email",
            recipient: email,
            locale: "ru".into(),
            kind,
            params,
            entity: Some(("sponsor", sponsor_id)),
            unit_path: Some(region.path.clone()),
        };
        crate::outbox::enqueue(&txn, vec![m]).await?;
    }
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
        .and_where(crate::scope::starts_with(sea_orm::sea_query::Expr::col(org_unit::Column::Path), actor.scope.path()))
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
    sponsor_id: SponsorId,
    login: &str,
    full_name: &str,
    hash: &str,
) -> Result<i64, Error> {
    let sponsor_id = sponsor_id.0;
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

/// The holds on a child's needs (for the child's card), newest first.
pub async fn for_child(
    db: &impl ConnectionTrait,
    actor: &Actor,
    child_id: ChildId,
) -> Result<Vec<(reservation::Model, sponsor::Model)>, Error> {
    let child_id = child_id.0;
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

/// The sponsor an account belongs to, whatever its application's state (for the sign-in's
/// answer to a sponsor not yet approved).
pub async fn application_of(db: &impl ConnectionTrait, user_id: i64) -> Result<Option<sponsor::Model>, Error> {
    let Some(link) = sponsor_account::Entity::find_by_id(user_id).one(db).await? else { return Ok(None) };
    Ok(sponsor::Entity::find_by_id(link.sponsor_id).one(db).await?)
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
