//! The audit log: browsing it within one's scope, and writing down refused attempts.

use domain::Actor;

use crate::{Core, Denial, Error};

pub use db::audit::{Filter, View};

/// The newest entries in the actor's scope matching the filter, at most `limit`.
pub async fn list(core: &Core, actor: &Actor, filter: &Filter, limit: u64) -> Result<Vec<View>, Error> {
    if !actor.role.can_view_audit() {
        return Err(Error::Forbidden);
    }
    Ok(db::audit::list(&core.db, actor, filter, limit).await?)
}

/// Writes down an attempt on a record outside the actor's scope (after the request's own
/// transaction is over, so a rolled-back write cannot take the record of the attempt with it).
pub async fn record_denial(core: &Core, denial: &Denial) -> Result<(), Error> {
    Ok(db::audit::record_denial(&core.db, denial).await?)
}

/// Writes a refusal by role: `actor` may not `method` the `route` at all.
pub async fn record_refusal(core: &Core, actor: &Actor, method: &str, route: &str) -> Result<(), Error> {
    Ok(db::audit::record_refusal(&core.db, actor, method, route).await?)
}
