//! A coordinator's start page: today's work in the scope. For a school, the children not yet
//! helped, the receipts waiting for a decision, cash whose proof is due or late, transfers
//! waiting, sponsors' deliveries to confirm; for a district or region the same summed over its schools. Everything is read from
//! what the lists and checks already serve from their indexes (the passport from the running
//! totals, the checks and proofs capped), so the page costs the same at national scale.

use chrono::{Days, NaiveDate};
use domain::{Actor, CampaignId};

use crate::entity::{campaign, proof, transfer_request};
use crate::{Core, Error};

/// Most receipts listed (the checks page lists the rest).
pub const PROOFS_SHOWN: u64 = 10;

/// How far ahead a proof's deadline counts as near.
pub const DUE_SOON_DAYS: u64 = 7;

/// Today's work in the actor's scope.
#[derive(Debug, Clone)]
pub struct Today {
    /// The campaign it is about.
    pub campaign: campaign::Model,
    /// Children found and not yet checked.
    pub identified: i64,
    /// Children checked, help not yet planned.
    pub verified: i64,
    /// Receipts waiting for a decision with their child's id (at most [`PROOFS_SHOWN`] + 1, to
    /// tell there are more).
    pub proofs: Vec<(proof::Model, i64)>,
    /// Cash whose proof is late.
    pub overdue: Vec<crate::checks::Flagged>,
    /// Cash whose proof is due within [`DUE_SOON_DAYS`] days, with the days left.
    pub due_soon: Vec<(crate::checks::Flagged, i64)>,
    /// Transfers of children waiting for a decision.
    pub transfers: Vec<transfer_request::Model>,
    /// Sponsors' deliveries waiting for the school to confirm them (at most
    /// [`DELIVERIES_SHOWN`] + 1, to tell there are more).
    pub deliveries: Vec<crate::sponsors::Awaiting>,
    /// Steps of cases of pupils out of school past their due date.
    pub steps_overdue: u64,
}

/// Most sponsors' deliveries listed.
pub const DELIVERIES_SHOWN: u64 = 50;

/// Today's work for a coordinator (others have no such page: the checks are the coordinators').
pub async fn for_actor(core: &Core, actor: &Actor, today: NaiveDate) -> Result<Option<Today>, Error> {
    if !actor.role.can_edit_children() {
        return Ok(None);
    }
    let Some(campaign) = crate::campaigns::current(core).await? else { return Ok(None) };
    let (_, passport, _) = crate::passport::compute(core, actor, CampaignId(campaign.id), actor.scope.unit()).await?;
    let status = |s: &str| passport.by_status.get(s).copied().unwrap_or(0);
    let mut proofs = Vec::new();
    for p in crate::proofs::pending(core, actor, PROOFS_SHOWN + 1).await? {
        let child = crate::proofs::child_of(core, actor, domain::ProofId(p.id)).await?;
        proofs.push((p, child));
    }
    // The checks as of a week ahead: what is late by then is due soon or late already.
    let ahead = today.checked_add_days(Days::new(DUE_SOON_DAYS)).unwrap_or(today);
    let checks = crate::checks::run(core, actor, &campaign, ahead).await?;
    // A week ahead, an entry is `days_over` past its deadline: its deadline is `week - days_over`
    // days from today (0: today), or it was missed `days_over - week` days ago.
    let week = i64::try_from(DUE_SOON_DAYS).unwrap_or(7);
    let (late, due): (Vec<_>, Vec<_>) = checks.unproven_cash.into_iter().partition(|f| f.days_over > week);
    let due_soon = due
        .into_iter()
        .map(|f| {
            let left = week - f.days_over;
            (f, left)
        })
        .collect();
    let overdue = late
        .into_iter()
        .map(|mut f| {
            f.days_over -= week;
            f
        })
        .collect();
    let transfers = crate::children::pending_transfers(core, actor).await?;
    let deliveries = crate::sponsors::awaiting(core, actor, DELIVERIES_SHOWN + 1).await?;
    let steps_overdue = db::attendance::overdue(&core.db, actor, &campaign, today).await?;
    Ok(Some(Today {
        steps_overdue,
        identified: status("identified"),
        verified: status("verified"),
        proofs,
        overdue,
        due_soon,
        transfers,
        deliveries,
        campaign,
    }))
}
