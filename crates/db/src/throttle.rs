//! Throttling counted in the database, so that a limit holds across servers on one database:
//! hits of a bucket (a rule's name and a key, such as a client address or a login) in fixed
//! windows of time.

use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::Db;
use crate::entity::throttle_hit;

/// Windows older than this are swept.
const KEEP_SECONDS: i64 = 24 * 3600;

/// One new window in this many sweeps the old ones (a day's windows are kept, so nothing is
/// forgotten early; the table is at most a few thousand windows larger).
const SWEEP_ONE_IN: u32 = 64;

/// The longest key kept (a bucket is the rule's name, a colon and the key).
const KEY_CHARS: usize = 150;

/// A rule: at most `max` hits per `window` seconds.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// The rule's name, the first part of its buckets.
    pub name: &'static str,
    /// Hits allowed in one window.
    pub max: i32,
    /// The window's length in seconds.
    pub window: i64,
}

impl Limit {
    fn bucket(&self, key: &str) -> String {
        let key: String = key.chars().take(KEY_CHARS).collect();
        format!("{}:{key}", self.name)
    }

    fn window_start(&self, now: i64) -> i64 {
        now - now.rem_euclid(self.window)
    }

    /// `Some(seconds to wait)` if `hits` in the current window are over the limit.
    pub fn over(&self, hits: i32, now: i64) -> Option<i64> {
        (hits > self.max).then(|| self.retry_after(now))
    }

    /// Seconds from `now` until the current window ends (at least 1).
    pub fn retry_after(&self, now: i64) -> i64 {
        Ord::max(self.window_start(now) + self.window - now, 1)
    }
}

/// Counts one hit of `key` under `limit` at `now` (seconds) and refuses it if it is over: in the
/// caller's transaction, so that a write refused or rolled back takes its count with it.
pub async fn charge(db: &impl ConnectionTrait, limit: &Limit, key: &str, now: i64) -> Result<(), crate::Error> {
    match limit.over(hit(db, limit, key, now).await?, now) {
        Some(wait) => Err(crate::Error::Throttled(wait)),
        None => Ok(()),
    }
}

/// Counts one hit of `key` and returns the hits in the current window, this one included
/// ([`Limit::over`] tells whether they are too many). The count is one atomic upsert, so
/// concurrent hits on several servers are all counted.
pub async fn hit(db: &impl ConnectionTrait, limit: &Limit, key: &str, now: i64) -> Result<i32, DbErr> {
    let row = throttle_hit::ActiveModel {
        bucket: Set(limit.bucket(key)),
        window_start: Set(limit.window_start(now)),
        hits: Set(1),
    };
    let counted = throttle_hit::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([throttle_hit::Column::Bucket, throttle_hit::Column::WindowStart])
                .value(throttle_hit::Column::Hits, Expr::col((throttle_hit::Entity, throttle_hit::Column::Hits)).add(1))
                .to_owned(),
        )
        .exec_with_returning(db)
        .await?;
    if counted.hits == 1 && rand::random_ratio(1, SWEEP_ONE_IN) {
        // A new window (every new client opens one): now and then a good moment to forget old
        // ones, not at every first hit of every address.
        sweep(db, now).await?;
    }
    Ok(counted.hits)
}

/// `Some(seconds to wait)` if `key` has used up its hits in the current window (no hit counted).
pub async fn over(db: &Db, limit: &Limit, key: &str, now: i64) -> Result<Option<i64>, DbErr> {
    let found = throttle_hit::Entity::find_by_id((limit.bucket(key), limit.window_start(now))).one(db).await?;
    Ok(found.filter(|row| row.hits >= limit.max).map(|_| limit.retry_after(now)))
}

/// Forgets the hits of `key` under `limit`, in every window.
pub async fn forget(db: &Db, limit: &Limit, key: &str) -> Result<u64, DbErr> {
    let gone =
        throttle_hit::Entity::delete_many().filter(throttle_hit::Column::Bucket.eq(limit.bucket(key))).exec(db).await?;
    Ok(gone.rows_affected)
}

/// Forgets the hits of every key of `limit` that starts with `key_prefix` (a login's buckets,
/// whatever the client), in every window.
pub async fn forget_prefix(db: &Db, limit: &Limit, key_prefix: &str) -> Result<u64, DbErr> {
    let prefix = limit.bucket(key_prefix);
    let escaped: String =
        prefix.chars().flat_map(|c| if "\\%_".contains(c) { vec!['\\', c] } else { vec![c] }).collect();
    let gone = throttle_hit::Entity::delete_many()
        .filter(Expr::col(throttle_hit::Column::Bucket).like(LikeExpr::new(format!("{escaped}%")).escape('\\')))
        .exec(db)
        .await?;
    Ok(gone.rows_affected)
}

/// Forgets windows older than a day.
pub async fn sweep(db: &impl ConnectionTrait, now: i64) -> Result<u64, DbErr> {
    let gone = throttle_hit::Entity::delete_many()
        .filter(throttle_hit::Column::WindowStart.lt(now - KEEP_SECONDS))
        .exec(db)
        .await?;
    Ok(gone.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_starts_on_a_multiple_of_its_length_and_retry_counts_to_its_end() {
        let l = Limit { name: "t", max: 3, window: 600 };
        assert_eq!(l.window_start(1_200), 1_200);
        assert_eq!(l.window_start(1_799), 1_200);
        assert_eq!(l.retry_after(1_200), 600);
        assert_eq!(l.retry_after(1_799), 1);
        assert_eq!(l.bucket(&"x".repeat(400)).chars().count(), 2 + KEY_CHARS);
    }
}
