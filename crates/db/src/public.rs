//! Public totals for the transparency page: aggregates only, never a name or an IIN.

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Statement};
use serde::Serialize;

use crate::entity::org_unit;

/// The public figures of one unit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Children identified as needing help.
    pub identified: i64,
    /// Children who received help (delivered, not reversed).
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

/// Totals for each unit directly below `parent` (the republic or a region), and their sum.
pub async fn totals(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    parent: &org_unit::Model,
) -> Result<(Totals, Vec<Row>), DbErr> {
    // Both values are ours (an id and a path of digits and slashes), so they are safe inline and
    // the same SQL serves SQLite and PostgreSQL.
    let prefix = crate::sql_path(&parent.path);
    let c = campaign_id;
    let delivered = "status IN ('delivered', 'confirmed')";
    let not_reversed = "reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)";
    let queries = [
        format!(
            "SELECT unit_path, 'identified', COUNT(*) FROM children WHERE campaign_id = {c} AND unit_path LIKE '{prefix}%' GROUP BY unit_path"
        ),
        format!(
            "SELECT e.unit_path, 'helped', COUNT(DISTINCT e.child_id) FROM ledger_entries e WHERE e.campaign_id = {c} \
             AND e.unit_path LIKE '{prefix}%' AND e.{delivered} AND e.{not_reversed} GROUP BY e.unit_path"
        ),
        format!(
            "SELECT unit_path, 'source:' || source, CAST(SUM(amount) AS BIGINT) FROM ledger_entries WHERE campaign_id = {c} \
             AND unit_path LIKE '{prefix}%' AND {delivered} GROUP BY unit_path, source"
        ),
        format!(
            "SELECT e.unit_path, 'item:' || i.item, CAST(SUM(i.quantity) AS BIGINT) FROM ledger_items i \
             JOIN ledger_entries e ON e.id = i.entry_id WHERE e.campaign_id = {c} AND e.unit_path LIKE '{prefix}%' \
             AND e.{delivered} AND e.{not_reversed} GROUP BY e.unit_path, i.item"
        ),
    ];
    let children = org_unit::Entity::find().filter(org_unit::Column::ParentId.eq(parent.id)).all(db).await?;
    let mut rows: BTreeMap<i64, Totals> = children.iter().map(|u| (u.id, Totals::default())).collect();
    let mut total = Totals::default();
    let backend = db.get_database_backend();
    for sql in queries {
        for r in db.query_all_raw(Statement::from_string(backend, sql)).await? {
            let path: String = r.try_get_by_index(0)?;
            let what: String = r.try_get_by_index(1)?;
            let n: i64 = r.try_get_by_index(2)?;
            let sub = path
                .strip_prefix(prefix.as_str())
                .and_then(|rest| rest.split('/').next())
                .and_then(|id| id.parse::<i64>().ok());
            for t in [Some(&mut total), sub.and_then(|id| rows.get_mut(&id))].into_iter().flatten() {
                match what.as_str() {
                    "identified" => t.identified += n,
                    "helped" => t.helped += n,
                    other => {
                        if let Some(source) = other.strip_prefix("source:") {
                            *t.by_source.entry(source.to_owned()).or_default() += n;
                        } else if let Some(item) = other.strip_prefix("item:") {
                            *t.items.entry(item.to_owned()).or_default() += n;
                        }
                    }
                }
            }
        }
    }
    let mut out: Vec<Row> =
        children.into_iter().filter_map(|u| rows.remove(&u.id).map(|totals| Row { unit: u, totals })).collect();
    out.sort_by(|a, b| a.unit.name_ru.cmp(&b.unit.name_ru));
    Ok((total, out))
}
