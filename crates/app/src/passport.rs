//! The social passport of a school, rolled up per district, region and republic.

use domain::{Actor, CampaignId, OrgUnitId};

use crate::entity::org_unit;
use crate::{Core, Error};

pub use db::passport::{Passport, Row};

/// The passport of `unit` (in scope) in a campaign, with a row per unit below it.
pub async fn compute(
    core: &Core,
    actor: &Actor,
    campaign_id: CampaignId,
    unit: OrgUnitId,
) -> Result<(org_unit::Model, Passport, Vec<Row>), Error> {
    Ok(db::passport::compute(&core.db, actor, campaign_id, unit).await?)
}
