//! Accounts: sign-in bookkeeping, creation within scope, passwords, disabling.

mod login;

use chrono::{DateTime, Utc};
use domain::user::NewUser;
use domain::{Actor, ErrorCode, Invalid, Locale, OrgKind, OrgUnitId, Role, Scope, UserId};
use login::event;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{org_unit, user};
use crate::error::{Error, unique_as};

pub use login::{record_failed_login, record_login, record_throttled, record_unknown_login};

/// A user with the org unit they belong to.
#[derive(Debug, Clone)]
pub struct UserWithUnit {
    /// The account.
    pub user: user::Model,
    /// Its org unit.
    pub unit: org_unit::Model,
}

impl UserWithUnit {
    /// The user's role (an unknown stored role never grants anything: it reads as a sponsor).
    pub fn role(&self) -> Role {
        Role::parse(&self.user.role).unwrap_or(Role::Sponsor)
    }

    /// The user's chosen language, if they chose one.
    pub fn locale(&self) -> Option<Locale> {
        self.user.locale.as_deref().and_then(Locale::parse)
    }

    /// The actor this user acts as.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: UserId(self.user.id),
            login: self.user.login.clone(),
            role: self.role(),
            scope: Scope::new(OrgUnitId(self.unit.id), self.unit.path.clone()),
        }
    }
}

/// The account and its unit, read in one statement.
async fn with_unit(db: &impl ConnectionTrait, q: sea_orm::Select<user::Entity>) -> Result<Option<UserWithUnit>, DbErr> {
    let found = q.find_also_related(org_unit::Entity).one(db).await?;
    Ok(found.and_then(|(user, unit)| unit.map(|unit| UserWithUnit { user, unit })))
}

/// An account by login (any case), with its unit.
pub async fn by_login(db: &impl ConnectionTrait, login: &str) -> Result<Option<UserWithUnit>, DbErr> {
    with_unit(db, user::Entity::find().filter(user::Column::Login.eq(login.trim().to_lowercase()))).await
}

/// An account by id, with its unit (no scope: for the signed-in user's own session).
pub async fn by_id(db: &impl ConnectionTrait, id: UserId) -> Result<Option<UserWithUnit>, DbErr> {
    with_unit(db, user::Entity::find_by_id(id.0)).await
}

pub(crate) async fn unit_path_of(db: &impl ConnectionTrait, user_id: i64) -> Result<Option<String>, DbErr> {
    Ok(by_id(db, UserId(user_id)).await?.map(|u| u.unit.path))
}

fn snapshot(u: &user::Model) -> serde_json::Value {
    json!({
        "login": u.login, "full_name": u.full_name, "role": u.role, "org_unit_id": u.org_unit_id,
        "active": u.active, "locale": u.locale, "must_change_password": u.must_change_password,
    })
}

pub(crate) async fn insert(
    conn: &impl ConnectionTrait,
    new: &NewUser,
    password_hash: &str,
    must_change: bool,
) -> Result<user::Model, Error> {
    let now = Utc::now();
    user::ActiveModel {
        login: Set(new.login.clone()),
        full_name: Set(new.full_name.clone()),
        password_hash: Set(password_hash.to_owned()),
        must_change_password: Set(must_change),
        role: Set(new.role.as_str().to_owned()),
        org_unit_id: Set(new.unit_id),
        locale: Set(None),
        active: Set(true),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await
    .map_err(unique_as("login"))
}

/// Creates an account within the actor's scope, with a role the actor may grant. The password
/// is a one-time one: it must be changed at first sign-in.
pub async fn create(db: &Db, actor: &Actor, new: &NewUser, password_hash: &str) -> Result<user::Model, Error> {
    if !actor.role.can_grant(new.role) {
        return Err(Error::Invalid(Invalid::one("role", ErrorCode::CannotGrant)));
    }
    let txn = crate::write_txn(db).await?;
    let unit = crate::org::get(&txn, actor, OrgUnitId(new.unit_id)).await?;
    let kind = crate::org::kind_of(&unit);
    if !new.role.fits_unit(kind) {
        return Err(Error::Invalid(Invalid::one("unit_id", ErrorCode::RoleUnitMismatch)));
    }
    if !unit.active {
        return Err(Error::Invalid(Invalid::one("unit_id", ErrorCode::Inactive)));
    }
    let created = insert(&txn, new, password_hash, true).await?;
    let entry = Entry {
        action: "create",
        entity: "user",
        entity_id: Some(created.id),
        unit_path: Some(&unit.path),
        before: None,
        after: Some(snapshot(&created)),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(created)
}

/// Creates an account from the command line (no actor; logged as `system`).
pub async fn create_system(
    db: &Db,
    new: &NewUser,
    password_hash: &str,
    must_change: bool,
) -> Result<user::Model, Error> {
    let txn = crate::write_txn(db).await?;
    let unit = org_unit::Entity::find_by_id(new.unit_id).one(&txn).await?.ok_or(Error::NotFound)?;
    if !new.role.fits_unit(crate::org::kind_of(&unit)) {
        return Err(Error::Invalid(Invalid::one("unit_id", ErrorCode::RoleUnitMismatch)));
    }
    let created = insert(&txn, new, password_hash, must_change).await?;
    let entry = Entry {
        action: "create",
        entity: "user",
        entity_id: Some(created.id),
        unit_path: Some(&unit.path),
        before: None,
        after: Some(snapshot(&created)),
    };
    audit::record(&txn, Who::Login(None, "system"), entry).await?;
    txn.commit().await?;
    Ok(created)
}

/// An account in the actor's scope (refused and logged outside it).
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: UserId) -> Result<UserWithUnit, Error> {
    let found = user::Entity::find_by_id(id.0)
        .filter(crate::scope::starts_with(sea_orm::sea_query::Expr::col(org_unit::Column::Path), actor.scope.path()));
    match with_unit(db, found).await? {
        Some(u) => Ok(u),
        None => Err(crate::org::deny(db, actor, "user", id.0).await),
    }
}

/// Accounts in the actor's scope (coordinators and auditors), optionally under one unit.
pub async fn list(db: &impl ConnectionTrait, actor: &Actor, under: Option<&str>) -> Result<Vec<UserWithUnit>, Error> {
    if !(actor.role.is_coordinator() || actor.role == Role::Auditor) {
        return Err(Error::Forbidden);
    }
    let prefix = under.filter(|p| actor.scope.covers(p)).unwrap_or(actor.scope.path());
    let rows = user::Entity::find()
        .find_also_related(org_unit::Entity)
        .filter(crate::scope::starts_with(sea_orm::sea_query::Expr::col(org_unit::Column::Path), prefix))
        .order_by_asc(org_unit::Column::Path)
        .order_by_asc(user::Column::Login)
        .limit(1000)
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|(user, unit)| unit.map(|unit| UserWithUnit { user, unit })).collect())
}

/// Sets a new password (hash) for the user's own account and clears the must-change flag.
pub async fn set_own_password(db: &Db, u: &UserWithUnit, password_hash: &str) -> Result<(), DbErr> {
    let txn = crate::write_txn(db).await?;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(user::Column::MustChangePassword, Expr::value(false))
        .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(u.user.id))
        .exec(&txn)
        .await?;
    // Every session of the account ends (ASVS 3.3.3); the one that changed it is given a new id
    // by its caller.
    crate::sessions::delete_for_user(&txn, UserId(u.user.id)).await?;
    let entry = event("password_change", u);
    audit::record(&txn, Who::Login(Some(u.user.id), &u.user.login), entry).await?;
    txn.commit().await
}

/// Changes an account's name, role and unit: the account must be in scope and of a role the
/// actor may grant, and so must the new role and unit. Every request reloads the account, so
/// the new role and scope apply at once to its sessions and tokens.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: UserId,
    full_name: &str,
    role: Role,
    unit: OrgUnitId,
) -> Result<user::Model, Error> {
    let mut c = domain::error::Checker::default();
    let full_name = c.text("full_name", full_name, domain::user::FULL_NAME_MAX);
    c.finish(())?;
    if !actor.role.can_grant(role) {
        return Err(Error::Invalid(Invalid::one("role", ErrorCode::CannotGrant)));
    }
    let txn = crate::write_txn(db).await?;
    let target = get(&txn, actor, id).await?;
    if !actor.role.can_grant(target.role()) {
        return Err(Error::Forbidden);
    }
    let new_unit = crate::org::get(&txn, actor, unit).await?;
    if !role.fits_unit(crate::org::kind_of(&new_unit)) {
        return Err(Error::Invalid(Invalid::one("unit_id", ErrorCode::RoleUnitMismatch)));
    }
    let before = target.user.clone();
    let mut row: user::ActiveModel = target.user.clone().into();
    row.full_name = sea_orm::ActiveValue::Set(full_name);
    row.role = sea_orm::ActiveValue::Set(role.as_str().to_owned());
    row.org_unit_id = sea_orm::ActiveValue::Set(new_unit.id);
    row.updated_at = sea_orm::ActiveValue::Set(Utc::now());
    let after = row.update(&txn).await?;
    let entry = Entry { before: Some(snapshot(&before)), after: Some(snapshot(&after)), ..event("update", &target) };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// Gives a user in scope a new one-time password (hash), unlocks the account and ends its sessions.
pub async fn reset_password(db: &Db, actor: &Actor, id: UserId, password_hash: &str) -> Result<(), Error> {
    let txn = crate::write_txn(db).await?;
    let target = get(&txn, actor, id).await?;
    if !actor.role.can_grant(target.role()) {
        return Err(Error::Forbidden);
    }
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(user::Column::MustChangePassword, Expr::value(true))
        .col_expr(user::Column::FailedLogins, Expr::value(0))
        .col_expr(user::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(id.0))
        .exec(&txn)
        .await?;
    crate::sessions::delete_for_user(&txn, id).await?;
    let entry = event("password_reset", &target);
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(())
}

/// Sets a new password from the command line.
pub async fn set_password_system(db: &Db, login: &str, password_hash: &str, must_change: bool) -> Result<(), Error> {
    let txn = crate::write_txn(db).await?;
    let u = by_login(&txn, login).await?.ok_or(Error::NotFound)?;
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(user::Column::MustChangePassword, Expr::value(must_change))
        .col_expr(user::Column::FailedLogins, Expr::value(0))
        .col_expr(user::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(user::Column::Id.eq(u.user.id))
        .exec(&txn)
        .await?;
    crate::sessions::delete_for_user(&txn, UserId(u.user.id)).await?;
    let entry = event("password_reset", &u);
    audit::record(&txn, Who::Login(None, "system"), entry).await?;
    txn.commit().await?;
    Ok(())
}

/// Disables or enables an account in scope. Disabling ends its sessions and revokes its tokens.
/// `actor` is `None` from the command line.
pub async fn set_active(db: &Db, actor: Option<&Actor>, target: &UserWithUnit, active: bool) -> Result<(), Error> {
    if let Some(actor) = actor {
        if !actor.role.can_grant(target.role()) || !actor.scope.covers(&target.unit.path) {
            return Err(Error::Forbidden);
        }
        if actor.user_id.0 == target.user.id {
            return Err(Error::Invalid(Invalid::one("active", ErrorCode::CannotDisableSelf)));
        }
    }
    let txn = crate::write_txn(db).await?;
    user::Entity::update_many()
        .col_expr(user::Column::Active, Expr::value(active))
        .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(target.user.id))
        .exec(&txn)
        .await?;
    if !active {
        crate::sessions::delete_for_user(&txn, UserId(target.user.id)).await?;
        crate::tokens::revoke_all(&txn, UserId(target.user.id)).await?;
    }
    let entry = Entry {
        action: if active { "enable" } else { "disable" },
        entity: "user",
        entity_id: Some(target.user.id),
        unit_path: Some(&target.unit.path),
        before: Some(json!({ "active": target.user.active })),
        after: Some(json!({ "active": active })),
    };
    let who = actor.map_or(Who::Login(None, "system"), Who::User);
    audit::record(&txn, who, entry).await?;
    txn.commit().await?;
    Ok(())
}

/// Remembers the user's language.
pub async fn set_locale(db: &Db, u: &UserWithUnit, locale: Locale) -> Result<(), DbErr> {
    let txn = crate::write_txn(db).await?;
    user::Entity::update_many()
        .col_expr(user::Column::Locale, Expr::value(locale.code()))
        .filter(user::Column::Id.eq(u.user.id))
        .exec(&txn)
        .await?;
    let entry = Entry {
        before: Some(json!({ "locale": u.user.locale })),
        after: Some(json!({ "locale": locale.code() })),
        ..event("set_locale", u)
    };
    audit::record(&txn, Who::Login(Some(u.user.id), &u.user.login), entry).await?;
    txn.commit().await
}

/// Whether a unit of `kind` may hold a user of `role` (re-exported for forms).
pub fn fits(role: Role, kind: OrgKind) -> bool {
    role.fits_unit(kind)
}

/// The account's own address for its work's notifications (none: not told by e-mail).
pub async fn set_own_email(db: &Db, actor: &Actor, email: Option<String>) -> Result<(), Error> {
    let txn = crate::write_txn(db).await?;
    let before = user::Entity::find_by_id(actor.user_id.0).one(&txn).await?.ok_or(Error::NotFound)?;
    user::Entity::update_many()
        .col_expr(user::Column::Email, sea_orm::sea_query::Expr::value(email.clone()))
        .filter(user::Column::Id.eq(actor.user_id.0))
        .exec(&txn)
        .await?;
    let entry = Entry {
        action: "update",
        entity: "user",
        entity_id: Some(actor.user_id.0),
        unit_path: Some(actor.scope.path()),
        before: Some(json!({ "email": before.email })),
        after: Some(json!({ "email": email })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(())
}
