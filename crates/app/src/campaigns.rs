//! Campaign years, their regional cash norms and their deadlines.

use domain::child::{CampaignFields, CampaignInput};
use domain::format::Tenge;
use domain::{Actor, CampaignId, ErrorCode, Invalid, OrgUnitId, Role};

use crate::entity::campaign;
use crate::{Core, Error};

/// How long a server goes on answering with the current campaign it last read: almost every
/// request asks for it, and it changes once a year. A campaign opened or changed through this
/// server is seen at once; through another server, within this time.
pub const CURRENT_FOR: std::time::Duration = std::time::Duration::from_secs(2);

/// The current campaign as last read, and when.
#[derive(Debug, Default)]
pub struct Remembered(std::sync::Mutex<Option<(std::time::Instant, Option<campaign::Model>)>>);

impl Remembered {
    fn fresh(&self) -> Option<Option<campaign::Model>> {
        let kept = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.as_ref().filter(|(at, _)| at.elapsed() < CURRENT_FOR).map(|(_, c)| c.clone())
    }

    fn keep(&self, c: Option<campaign::Model>) {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some((std::time::Instant::now(), c));
    }

    fn forget(&self) {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }
}

/// The current campaign: the one marked current, else the latest year (read at most once in
/// [`CURRENT_FOR`]).
pub async fn current(core: &Core) -> Result<Option<campaign::Model>, Error> {
    if let Some(c) = core.current.fresh() {
        return Ok(c);
    }
    let c = db::campaigns::current(&core.db).await?;
    core.current.keep(c.clone());
    Ok(c)
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
    let made = db::campaigns::create(&core.db, Some(actor), f).await;
    core.current.forget();
    Ok(made?)
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
    let set = db::campaigns::set_deadlines(&core.db, actor, campaign_id, proof_days, pledge_days).await;
    core.current.forget();
    Ok(set?)
}
