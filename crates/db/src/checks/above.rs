//! The children given more than their need: what each was given beside its needs' cost, both
//! kept on its help row (`db::totals::given`), against the region's norm, read from the partial
//! index of the rows where the first exceeds the second (`ix_child_help_above`).

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Statement};

use super::LIST_MAX;
use crate::entity::{campaign, campaign_norm, child};
use crate::error::Error;

/// How many of the campaign's candidates the republic's walk reads at a time: few enough that
/// SQLite reads their children by key even from a small table, rather than scanning it.
const CHUNK: usize = 100;

/// A child above its need: `(child, school, need, given)`, by child, at most [`LIST_MAX`].
pub(super) type Above = (i64, i64, i64, i64);

/// The first children above their need in the scope `scope` of campaign `c`, by child id.
pub(super) async fn children(db: &impl ConnectionTrait, c: &campaign::Model, scope: &str) -> Result<Vec<Above>, Error> {
    if crate::scope::level_of(scope).is_none() {
        return whole_campaign(db, c).await;
    }
    // Below the republic the scope's children lead (an index of the scope), each probing its
    // help row by key.
    let sql = format!(
        "SELECT c.id, c.school_id, c.needs_cost, h.given, COALESCE(n.cash_norm, {default}) AS norm \
         FROM child_help h JOIN children c ON c.id = h.child_id \
         LEFT JOIN campaign_norms n ON n.campaign_id = c.campaign_id AND n.region_id = c.region_id \
         WHERE h.given > h.needs_cost AND c.campaign_id = {campaign} AND {in_scope} \
         AND h.given > COALESCE(n.cash_norm, {default}) ORDER BY h.child_id LIMIT {LIST_MAX}",
        default = c.default_norm,
        campaign = c.id,
        in_scope = crate::scope::path_under("c.unit_path", scope),
    );
    let mut above = Vec::new();
    for row in db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await? {
        let (child, school, needs, given, norm): (i64, i64, i64, i64, i64) = (
            row.try_get_by_index(0)?,
            row.try_get_by_index(1)?,
            row.try_get_by_index(2)?,
            row.try_get_by_index(3)?,
            row.try_get_by_index(4)?,
        );
        above.push((child, school, Ord::max(needs, norm), given));
    }
    Ok(above)
}

/// The republic's: the campaign's help rows above their needs' cost (and above the lowest norm)
/// walked in id order from the partial index a chunk at a time, each chunk's children read by
/// key for their region's norm, until the list is full. Every read is a range of an index or a
/// probe by key, on both databases, however the planner prices a join.
async fn whole_campaign(db: &impl ConnectionTrait, c: &campaign::Model) -> Result<Vec<Above>, Error> {
    let norms: HashMap<i64, i64> = campaign_norm::Entity::find()
        .filter(campaign_norm::Column::CampaignId.eq(c.id))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.region_id, n.cash_norm))
        .collect();
    let floor = norms.values().copied().chain([c.default_norm]).min().unwrap_or(0);
    let (mut above, mut after) = (Vec::new(), 0i64);
    while above.len() < LIST_MAX as usize {
        let sql = format!(
            "SELECT h.child_id, h.given, h.needs_cost FROM child_help h \
             WHERE h.campaign_id = {} AND h.given > h.needs_cost AND h.child_id > {after} AND h.given > {floor} \
             ORDER BY h.child_id LIMIT {CHUNK}",
            c.id
        );
        let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
        let mut chunk: Vec<(i64, i64, i64)> = Vec::with_capacity(rows.len());
        for r in &rows {
            chunk.push((r.try_get_by_index(0)?, r.try_get_by_index(1)?, r.try_get_by_index(2)?));
        }
        let Some(last) = chunk.last() else { break };
        after = last.0;
        let ids: Vec<i64> = chunk.iter().map(|h| h.0).collect();
        let of: HashMap<i64, (i64, String)> = child::Entity::find()
            .select_only()
            .columns([child::Column::Id, child::Column::SchoolId, child::Column::UnitPath])
            .filter(child::Column::Id.is_in(ids))
            .into_tuple::<(i64, i64, String)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, school, path)| (id, (school, path)))
            .collect();
        for (id, given, needs) in chunk {
            let Some((school, path)) = of.get(&id) else { continue };
            let region = crate::scope_region(path).unwrap_or_default();
            let need = Ord::max(needs, norms.get(&region).copied().unwrap_or(c.default_norm));
            if given > need && above.len() < LIST_MAX as usize {
                above.push((id, *school, need, given));
            }
        }
        if rows.len() < CHUNK {
            break;
        }
    }
    Ok(above)
}
