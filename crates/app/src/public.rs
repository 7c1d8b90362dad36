//! The transparency page's figures: aggregates only, never a name or an IIN; no sign-in.

use domain::CampaignId;

use crate::entity::{campaign, org_unit};
use crate::{Core, Error};

pub use db::public::{Row, Totals};

/// What the public page shows: the current campaign, the unit (the republic or a region) and
/// the totals of each unit directly below it, with their sum.
#[derive(Debug, Clone)]
pub struct Public {
    /// The current campaign.
    pub campaign: campaign::Model,
    /// The republic, or the region asked for.
    pub parent: org_unit::Model,
    /// The sum of the rows.
    pub total: Totals,
    /// A row per unit directly below.
    pub rows: Vec<Row>,
}

/// The public figures of the republic (`None`) or of one region; any other id is not found.
pub async fn figures(core: &Core, region: Option<i64>) -> Result<Public, Error> {
    let campaign = crate::campaigns::chosen(core, None).await?;
    let parent = match region {
        None => db::org::republic(&core.db).await?.ok_or(Error::NotFound)?,
        Some(id) => db::org::region_by_id(&core.db, id).await?.ok_or(Error::NotFound)?,
    };
    let (total, rows) = db::public::totals(&core.db, CampaignId(campaign.id), &parent).await?;
    Ok(Public { campaign, parent, total, rows })
}
