//! The checks: cash without an accepted proof past the deadline, plans and pledges not delivered
//! in time, children given more than their need.

use chrono::NaiveDate;
use domain::Actor;

use crate::entity::campaign;
use crate::{Core, Error};

pub use db::checks::{AboveNeed, Checks, Flagged};

/// What is flagged in the actor's scope in campaign `c` as of `today`.
pub async fn run(core: &Core, actor: &Actor, c: &campaign::Model, today: NaiveDate) -> Result<Checks, Error> {
    Ok(db::checks::run(&core.db, actor, c, today).await?)
}
