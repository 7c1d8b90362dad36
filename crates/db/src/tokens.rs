//! Per-user API tokens: created and revoked by their owner, stored as hashes.

use chrono::Utc;
use domain::{ErrorCode, Invalid, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{api_token, org_unit, user};
use crate::error::Error;
use crate::users::UserWithUnit;

/// Creates a token for the user; returns the row and the secret, which is shown only now.
pub async fn create(db: &Db, owner: &UserWithUnit, name: &str) -> Result<(api_token::Model, String), Error> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Invalid::one("name", ErrorCode::Required).into());
    }
    if name.chars().count() > 100 {
        return Err(Invalid(vec![domain::FieldError::new("name", ErrorCode::TooLong).with_limit(100)]).into());
    }
    let secret = domain::token::generate();
    let txn = crate::write_txn(db).await?;
    let row = api_token::ActiveModel {
        user_id: Set(owner.user.id),
        name: Set(name.to_owned()),
        token_hash: Set(domain::token::digest(&secret)),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let entry = Entry {
        action: "create",
        entity: "api_token",
        entity_id: Some(row.id),
        unit_path: Some(&owner.unit.path),
        before: None,
        after: Some(serde_json::json!({ "name": row.name })),
    };
    audit::record(&txn, Who::User(&owner.actor()), entry).await?;
    txn.commit().await?;
    Ok((row, secret))
}

/// The user's tokens, newest first.
pub async fn list(db: &impl ConnectionTrait, owner: UserId) -> Result<Vec<api_token::Model>, DbErr> {
    api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(owner.0))
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await
}

/// Revokes one of the user's own tokens.
pub async fn revoke(db: &Db, owner: &UserWithUnit, token_id: i64) -> Result<(), Error> {
    let txn = crate::write_txn(db).await?;
    let done = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(api_token::Column::Id.eq(token_id))
        .filter(api_token::Column::UserId.eq(owner.user.id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        // Another account's token: answered as one that is not there, logged as a refusal.
        if let Some(other) = api_token::Entity::find_by_id(token_id).one(&txn).await?
            && other.user_id != owner.user.id
        {
            let target_path = crate::users::unit_path_of(&txn, other.user_id).await?.unwrap_or_default();
            let denial = crate::error::Denial { actor: owner.actor(), entity: "api_token", id: token_id, target_path };
            audit::record_denial(&txn, &denial).await?;
            txn.commit().await?;
        }
        return Err(Error::NotFound);
    }
    let entry = Entry {
        action: "revoke",
        entity: "api_token",
        entity_id: Some(token_id),
        unit_path: Some(&owner.unit.path),
        before: None,
        after: None,
    };
    audit::record(&txn, Who::User(&owner.actor()), entry).await?;
    txn.commit().await?;
    Ok(())
}

/// Revokes every token of a user (when the account is disabled).
pub async fn revoke_all(db: &impl ConnectionTrait, owner: UserId) -> Result<(), DbErr> {
    api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(api_token::Column::UserId.eq(owner.0))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// How stale a token's `last_used_at` may get: a request writes it at most once a minute, so
/// reading the API writes nothing on every call.
pub const USE_MARK_EVERY: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

/// The owner of a live token, with the owner's unit, marking it used (at most once a
/// [`USE_MARK_EVERY`]).
pub async fn authenticate(db: &impl ConnectionTrait, secret: &str) -> Result<Option<UserWithUnit>, DbErr> {
    let hash = domain::token::digest(secret);
    // The token, its owner and the owner's unit in one statement.
    let found = api_token::Entity::find()
        .find_also_related(user::Entity)
        .find_also(user::Entity, org_unit::Entity)
        .filter(api_token::Column::TokenHash.eq(hash))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?;
    let Some((token, Some(user), Some(unit))) = found else { return Ok(None) };
    let now = Utc::now();
    if token.last_used_at.is_none_or(|at| now - at >= USE_MARK_EVERY) {
        // Of two requests at once, one writes: the other finds the mark already fresh.
        let stale = api_token::Column::LastUsedAt.lt(now - USE_MARK_EVERY);
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(token.id))
            .filter(sea_orm::Condition::any().add(api_token::Column::LastUsedAt.is_null()).add(stale))
            .exec(db)
            .await?;
    }
    Ok(Some(UserWithUnit { user, unit }))
}
