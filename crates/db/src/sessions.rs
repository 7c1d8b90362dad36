//! Session rows for the web layer's session store.

use domain::UserId;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::entity::session;

/// The session's data (JSON) and expiry (Unix seconds) if it has not expired at `now`.
pub async fn load(db: &impl ConnectionTrait, id: &str, now: i64) -> Result<Option<(String, i64)>, DbErr> {
    Ok(session::Entity::find_by_id(id.to_owned())
        .filter(session::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .map(|s| (s.data, s.expires_at)))
}

/// Inserts or replaces a session.
pub async fn save(
    db: &impl ConnectionTrait,
    id: &str,
    data: &str,
    expires_at: i64,
    user_id: Option<UserId>,
) -> Result<(), DbErr> {
    let row = session::ActiveModel {
        id: Set(id.to_owned()),
        data: Set(data.to_owned()),
        expires_at: Set(expires_at),
        user_id: Set(user_id.map(|u| u.0)),
    };
    session::Entity::insert(row)
        .on_conflict(
            OnConflict::column(session::Column::Id)
                .update_columns([session::Column::Data, session::Column::ExpiresAt, session::Column::UserId])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Inserts a session only if the id is free; `false` if it was taken.
pub async fn create(
    db: &impl ConnectionTrait,
    id: &str,
    data: &str,
    expires_at: i64,
    user_id: Option<UserId>,
) -> Result<bool, DbErr> {
    let row = session::ActiveModel {
        id: Set(id.to_owned()),
        data: Set(data.to_owned()),
        expires_at: Set(expires_at),
        user_id: Set(user_id.map(|u| u.0)),
    };
    let inserted = session::Entity::insert(row)
        .on_conflict(OnConflict::column(session::Column::Id).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(inserted == 1)
}

/// Removes a session.
pub async fn delete(db: &impl ConnectionTrait, id: &str) -> Result<(), DbErr> {
    session::Entity::delete_by_id(id.to_owned()).exec(db).await?;
    Ok(())
}

/// Ends every session of a user (disabled account, password reset).
pub async fn delete_for_user(db: &impl ConnectionTrait, user: UserId) -> Result<(), DbErr> {
    session::Entity::delete_many().filter(session::Column::UserId.eq(user.0)).exec(db).await?;
    Ok(())
}

/// Removes sessions that expired before `now`; returns how many.
pub async fn delete_expired(db: &impl ConnectionTrait, now: i64) -> Result<u64, DbErr> {
    Ok(session::Entity::delete_many().filter(session::Column::ExpiresAt.lte(now)).exec(db).await?.rows_affected)
}
