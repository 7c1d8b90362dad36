//! Signing in: failures counted atomically, the lockout, and every attempt in the audit log.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter};

use super::UserWithUnit;
use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::user;

/// Failed sign-ins in a row that lock an account.
pub const MAX_FAILED_LOGINS: i32 = 5;

/// How long a locked account stays locked.
pub const LOCKOUT_MINUTES: i64 = 15;

/// Counts a failed sign-in atomically; at [`MAX_FAILED_LOGINS`] the account locks. Returns the
/// lock's end if it is now locked.
pub async fn record_failed_login(
    db: &Db,
    u: &UserWithUnit,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let txn = crate::write_txn(db).await?;
    user::Entity::update_many()
        .col_expr(user::Column::FailedLogins, Expr::col(user::Column::FailedLogins).add(1))
        .filter(user::Column::Id.eq(u.user.id))
        .exec(&txn)
        .await?;
    let until = now + Duration::minutes(LOCKOUT_MINUTES);
    let locked = user::Entity::update_many()
        .col_expr(user::Column::LockedUntil, Expr::value(until))
        .col_expr(user::Column::FailedLogins, Expr::value(0))
        .filter(user::Column::Id.eq(u.user.id))
        .filter(user::Column::FailedLogins.gte(MAX_FAILED_LOGINS))
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    let entry = event(if locked { "login_locked" } else { "login_failed" }, u);
    audit::record(&txn, Who::Login(Some(u.user.id), &u.user.login), entry).await?;
    txn.commit().await?;
    Ok(locked.then_some(until))
}

/// A sign-in under a login that does not exist (logged at the republic level).
pub async fn record_unknown_login(db: &Db, login: &str) -> Result<(), DbErr> {
    let republic = crate::org::republic(db).await?.map(|r| r.path);
    let entry = Entry {
        action: "login_unknown",
        entity: "user",
        entity_id: None,
        unit_path: republic.as_deref(),
        before: None,
        after: None,
    };
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
