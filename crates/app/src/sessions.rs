//! Sign-in sessions kept in the database, so a restart logs nobody out and several servers on
//! one database share them. Times are Unix seconds.

use domain::UserId;

use crate::{Core, Error};

/// A live session's data and expiry.
pub async fn load(core: &Core, id: &str, now: i64) -> Result<Option<(String, i64)>, Error> {
    Ok(db::sessions::load(&core.db, id, now).await?)
}

/// Writes a session (insert or replace).
pub async fn save(core: &Core, id: &str, data: &str, expires_at: i64, user_id: Option<UserId>) -> Result<(), Error> {
    Ok(db::sessions::save(&core.db, id, data, expires_at, user_id).await?)
}

/// Writes a new session; false if the id is taken.
pub async fn create(
    core: &Core,
    id: &str,
    data: &str,
    expires_at: i64,
    user_id: Option<UserId>,
) -> Result<bool, Error> {
    Ok(db::sessions::create(&core.db, id, data, expires_at, user_id).await?)
}

/// Ends a session.
pub async fn delete(core: &Core, id: &str) -> Result<(), Error> {
    Ok(db::sessions::delete(&core.db, id).await?)
}
