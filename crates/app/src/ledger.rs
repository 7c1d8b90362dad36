//! The aid ledger: every act of help, never edited or deleted (a correction is a reversing
//! entry), and each school's fund per campaign, which can never be overspent.

use domain::aid::{EntryFields, EntryInput, EntryStatus};
use domain::format::Tenge;
use domain::{Actor, CampaignId, ChildId, EntryId, OrgUnitId};

use crate::entity::{campaign, fund, ledger_entry};
use crate::{Core, Error};

/// Sets a school's fund allocation for a campaign.
pub async fn set_allocation(
    core: &Core,
    actor: &Actor,
    school: OrgUnitId,
    c: &campaign::Model,
    allocation: Tenge,
) -> Result<fund::Model, Error> {
    Ok(db::ledger::set_allocation(&core.db, actor, school, c, allocation).await?)
}

/// The fund of a school in the actor's scope for a campaign, if one was allocated.
pub async fn fund_of(
    core: &Core,
    actor: &Actor,
    school: OrgUnitId,
    c: &campaign::Model,
) -> Result<Option<fund::Model>, Error> {
    let school = db::org::scoped(&core.db, actor, school).await?;
    Ok(db::ledger::fund_of(&core.db, &school, CampaignId(c.id)).await?)
}

/// The fund of the current campaign of a unit in scope (none without a campaign or fund).
pub async fn current_fund(core: &Core, actor: &Actor, school: OrgUnitId) -> Result<Option<fund::Model>, Error> {
    match crate::campaigns::current(core).await? {
        Some(c) => fund_of(core, actor, school, &c).await,
        None => Ok(None),
    }
}

/// Records an act of help as typed (a form or an API call) for a child in scope in the current
/// campaign, delivered already or planned.
pub async fn give(
    core: &Core,
    actor: &Actor,
    child_id: ChildId,
    input: &EntryInput,
    delivered: bool,
) -> Result<ledger_entry::Model, Error> {
    let campaign = crate::campaigns::chosen(core, None).await?;
    let fields = input.parse()?;
    let status = if delivered { EntryStatus::Delivered } else { EntryStatus::Planned };
    record(core, actor, &campaign, child_id, &fields, status).await
}

/// The sponsors the aid form offers: the approved sponsors of the actor's region.
pub async fn sponsors_for(core: &Core, actor: &Actor) -> Result<Vec<crate::entity::sponsor::Model>, Error> {
    Ok(db::ledger::sponsors_for(&core.db, actor).await?)
}

/// Records an act of help for a child in scope.
pub async fn record(
    core: &Core,
    actor: &Actor,
    c: &campaign::Model,
    child_id: ChildId,
    f: &EntryFields,
    status: EntryStatus,
) -> Result<ledger_entry::Model, Error> {
    Ok(db::ledger::record(&core.db, actor, c, child_id, f, status).await?)
}

/// Moves an entry on (planned → delivered → confirmed, or cancelled).
pub async fn set_status(
    core: &Core,
    actor: &Actor,
    id: EntryId,
    to: EntryStatus,
) -> Result<ledger_entry::Model, Error> {
    Ok(db::ledger::set_status(&core.db, actor, id, to).await?)
}

/// Reverses an entry, with a reason.
pub async fn reverse(core: &Core, actor: &Actor, id: EntryId, reason: &str) -> Result<ledger_entry::Model, Error> {
    Ok(db::ledger::reverse(&core.db, actor, id, reason).await?)
}

/// A child's entries.
pub async fn for_child(core: &Core, actor: &Actor, child_id: ChildId) -> Result<Vec<ledger_entry::Model>, Error> {
    Ok(db::ledger::for_child(&core.db, actor, child_id).await?)
}

/// Plans the region's norm for every child of a school; returns how many were planned.
pub async fn plan_norm(core: &Core, actor: &Actor, c: &campaign::Model, school: OrgUnitId) -> Result<usize, Error> {
    Ok(db::ledger::plan_norm(&core.db, actor, c, school).await?)
}

/// Delivers a school's planned fund help while the fund lasts; returns (delivered, left short).
pub async fn deliver_planned(
    core: &Core,
    actor: &Actor,
    c: &campaign::Model,
    school: OrgUnitId,
) -> Result<(usize, usize), Error> {
    Ok(db::ledger::deliver_planned(&core.db, actor, c, school).await?)
}
