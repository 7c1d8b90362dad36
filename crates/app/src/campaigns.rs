//! Campaign years, their regional cash norms and their deadlines.

use domain::child::{CampaignFields, CampaignInput};
use domain::format::Tenge;
use domain::{Actor, CampaignId, ErrorCode, Invalid, OrgUnitId, Role};

use crate::entity::campaign;
use crate::{Core, Error};

/// The current campaign: the one marked current, else the latest year.
pub async fn current(core: &Core) -> Result<Option<campaign::Model>, Error> {
    Ok(db::campaigns::current(&core.db).await?)
}

/// The campaign of `year`.
pub async fn by_year(core: &Core, year: i32) -> Result<Option<campaign::Model>, Error> {
    Ok(db::campaigns::by_year(&core.db, year).await?)
}

/// The campaign asked for (a year), else the current one; none is an honest error on `year`.
pub async fn chosen(core: &Core, year: Option<i32>) -> Result<campaign::Model, Error> {
    let found = match year {
        Some(y) => by_year(core, y).await?,
        None => current(core).await?,
    };
    found.ok_or_else(|| Error::Invalid(Invalid::one("year", ErrorCode::NoCampaign)))
}

/// Every campaign, newest first.
pub async fn list(core: &Core) -> Result<Vec<campaign::Model>, Error> {
    Ok(db::campaigns::list(&core.db).await?)
}

/// The years of every campaign, newest first (for a year picker).
pub async fn years(core: &Core) -> Result<Vec<i32>, Error> {
    Ok(list(core).await?.iter().map(|c| c.year).collect())
}

/// Opens a campaign as typed (a form or an API call) and makes it current: the republic's
/// coordinator only, who is asked before the fields are checked.
pub async fn open(core: &Core, actor: &Actor, input: &CampaignInput) -> Result<campaign::Model, Error> {
    if actor.role != Role::RepublicCoordinator {
        return Err(Error::Forbidden);
    }
    create(core, actor, &input.parse()?).await
}

/// Opens a campaign (the republic only).
pub async fn create(core: &Core, actor: &Actor, f: &CampaignFields) -> Result<campaign::Model, Error> {
    Ok(db::campaigns::create(&core.db, Some(actor), f).await?)
}

/// Sets a region's cash norm for a campaign.
pub async fn set_norm(
    core: &Core,
    actor: &Actor,
    campaign_id: CampaignId,
    region: OrgUnitId,
    norm: Tenge,
) -> Result<(), Error> {
    Ok(db::campaigns::set_norm(&core.db, actor, campaign_id, region, norm).await?)
}

/// A region's cash norm in a campaign.
pub async fn norm_for(core: &Core, c: &campaign::Model, region: OrgUnitId) -> Result<Tenge, Error> {
    Ok(db::campaigns::norm_for(&core.db, c, region).await?)
}

/// Sets the days allowed for a proof of purchase and for a pledge.
pub async fn set_deadlines(
    core: &Core,
    actor: &Actor,
    campaign_id: CampaignId,
    proof_days: i32,
    pledge_days: i32,
) -> Result<campaign::Model, Error> {
    Ok(db::campaigns::set_deadlines(&core.db, actor, campaign_id, proof_days, pledge_days).await?)
}
