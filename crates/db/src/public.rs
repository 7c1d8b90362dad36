//! Public totals for the transparency page: aggregates only, never a name or an IIN.

use std::collections::BTreeMap;

use domain::CampaignId;
use sea_orm::{ConnectionTrait, DbErr, StreamTrait};
use serde::Serialize;

use crate::entity::org_unit;
use crate::reports::{Figures, Period};

/// The public figures of one unit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Children identified as needing help.
    pub identified: i64,
    /// Children who received help (delivered, not reversed), each once, at the school that holds its record.
    pub helped: i64,
    /// Delivered help in tiyn by source (`fund`, `sponsor`, `fair`, `programme`), net of reversals.
    pub by_source: BTreeMap<String, i64>,
    /// Items delivered by type (backpacks, uniforms, …).
    pub items: BTreeMap<String, i64>,
}

/// One row of the page: a region (or a district of a region) and its figures.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The unit.
    pub unit: org_unit::Model,
    /// Its totals.
    pub totals: Totals,
}

/// Totals for each unit directly below `parent` (the republic or a region), and their sum: the
/// whole campaign's figures of the reports (`reports::rows_of`, read from the running totals),
/// so the page and the reports never disagree.
pub async fn totals(
    db: &(impl ConnectionTrait + StreamTrait),
    campaign_id: CampaignId,
    parent: &org_unit::Model,
) -> Result<(Totals, Vec<Row>), DbErr> {
    let campaign_id = campaign_id.0;
    let (rows, total) = crate::reports::rows_of(db, campaign_id, parent, Period::default()).await?;
    let rows = rows.into_iter().map(|r| Row { unit: r.unit, totals: Totals::from(r.figures) }).collect();
    Ok((Totals::from(total), rows))
}

impl From<Figures> for Totals {
    fn from(f: Figures) -> Totals {
        Totals { identified: f.identified, helped: f.helped, by_source: f.by_source, items: f.items }
    }
}
