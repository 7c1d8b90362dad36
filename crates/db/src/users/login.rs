//! Signing in: failures counted atomically, the lockout, and every attempt in the audit log.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter};

use super::UserWithUnit;
use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::user;

/// A failed sign-in of an account (a wrong password). The account is not locked: throttling
/// holds the guessing client back instead.
pub async fn record_failed_login(db: &Db, u: &UserWithUnit) -> Result<(), DbErr> {
    audit::record(db, Who::Login(Some(u.user.id), &u.user.login), event("login_failed", u)).await
}

/// Sign-ins under `login` (or from `client`) held back by the throttle `rule`: written once, when
/// the limit is reached, not for every refused attempt after it.
pub async fn record_throttled(db: &Db, login: &str, rule: &str, client: &str) -> Result<(), DbErr> {
    let after = serde_json::json!({ "rule": rule, "client": client });
    at_republic(db, "login_throttled", login, Some(after)).await
}

/// A sign-in under a login that does not exist (logged at the republic level).
pub async fn record_unknown_login(db: &Db, login: &str) -> Result<(), DbErr> {
    at_republic(db, "login_unknown", login, None).await
}

/// An entry about a sign-in under `login` that names no account, at the republic's level.
async fn at_republic(db: &Db, action: &str, login: &str, after: Option<serde_json::Value>) -> Result<(), DbErr> {
    let republic = crate::org::republic(db).await?.map(|r| r.path);
    let entry = Entry { action, entity: "user", entity_id: None, unit_path: republic.as_deref(), before: None, after };
    audit::record(db, Who::Login(None, login), entry).await
}

/// A successful sign-in: the failure counter and lock are cleared.
pub async fn record_login(db: &Db, u: &UserWithUnit) -> Result<(), DbErr> {
    let txn = crate::write_txn(db).await?;
    user::Entity::update_many()
        .col_expr(user::Column::FailedLogins, Expr::value(0))
        .col_expr(user::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(user::Column::Id.eq(u.user.id))
        .exec(&txn)
        .await?;
    let entry = event("login", u);
    audit::record(&txn, Who::Login(Some(u.user.id), &u.user.login), entry).await?;
    txn.commit().await
}

/// An audit entry about an account, with no before and after.
pub(super) fn event<'a>(action: &'a str, u: &'a UserWithUnit) -> Entry<'a> {
    Entry {
        action,
        entity: "user",
        entity_id: Some(u.user.id),
        unit_path: Some(&u.unit.path),
        before: None,
        after: None,
    }
}
