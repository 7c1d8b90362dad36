//! Limits on what one client may do in a while, counted in the database so that they hold across
//! servers. Signing in has its own rules ([`crate::users::FROM_CLIENT`] and the two after it);
//! here are the public forms (a sponsor's application now; appeals and the survey later), each
//! with a limit of accepted submissions per client address per hour.

use crate::{Core, Error};

pub use db::throttle::Limit;

/// Sponsor applications accepted from one client address in an hour.
pub const SPONSOR_APPLICATIONS: Limit = Limit { name: "apply-sponsor", max: 5, window: 3600 };

/// Appeals accepted from one client address in an hour through the public form.
pub const PUBLIC_APPEALS: Limit = Limit { name: "appeal", max: 10, window: 3600 };

/// Look-ups of appeals by their code from one client address in an hour: a person follows a few
/// codes, a script guessing 60-bit codes gets nowhere.
pub const TRACK_LOOKUPS: Limit = Limit { name: "track", max: 60, window: 3600 };

/// Refuses a client that has used up `limit` (nothing is counted).
pub async fn check(core: &Core, limit: &Limit, key: &str) -> Result<(), Error> {
    let now = chrono::Utc::now().timestamp();
    match db::throttle::over(&core.db, limit, key, now).await? {
        Some(wait) => Err(Error::Throttled(wait)),
        None => Ok(()),
    }
}

/// Counts one submission and refuses it if it is over `limit`. One atomic count, so that
/// simultaneous submissions cannot all slip under the limit.
pub async fn count(core: &Core, limit: &Limit, key: &str) -> Result<(), Error> {
    Ok(db::throttle::charge(&core.db, limit, key, chrono::Utc::now().timestamp()).await?)
}
