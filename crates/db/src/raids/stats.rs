//! What a unit's raids add up to for a report: held, participants by category, children found by
//! what was done, read from the running totals by day (`field_days`); and the same figures counted
//! from the records, which a test holds the totals to and the bench runs beside them.

use sea_orm::sea_query::{Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr};

use super::read::{held, under};
use crate::entity::{org_unit, raid, raid_finding, raid_participant};
use crate::reports::Period;
use crate::scope::InScope;
use crate::totals::field::{self, Total, Units};

/// The metrics of the raids in the totals.
pub const METRICS: [&str; 3] = ["raids", "people", "found"];

/// What a unit's raids add up to for a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Raids held.
    pub raids: i64,
    /// Participants per category code, in code order.
    pub participants: Vec<(String, i64)>,
    /// Children found.
    pub findings: i64,
    /// Children found per action code, in code order.
    pub actions: Vec<(String, i64)>,
}

impl Stats {
    /// Participants in all.
    pub fn participants_total(&self) -> i64 {
        self.participants.iter().map(|(_, n)| n).sum()
    }

    /// The figures of the totals' rows (of one unit).
    pub fn of_totals<'a>(rows: impl IntoIterator<Item = &'a Total>) -> Stats {
        let mut s = Stats::default();
        for t in rows {
            match t.metric.as_str() {
                "raids" => s.raids += t.amount,
                "people" => s.participants.push((t.label.clone(), t.amount)),
                "found" => {
                    s.findings += t.amount;
                    s.actions.push((t.label.clone(), t.amount));
                }
                _ => {}
            }
        }
        s.participants.sort();
        s.actions.sort();
        s
    }
}

/// What the raids under a unit (in scope) add up to for the campaign and period.
pub async fn stats(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    unit: &InScope<org_unit::Model>,
    period: Period,
) -> Result<Stats, DbErr> {
    let rows = field::read(db, campaign_id, Units::Of(unit.id), &METRICS, held(period), None).await?;
    Ok(Stats::of_totals(&rows))
}

/// The same for each unit directly below `unit` that has raids, by unit id.
pub async fn stats_below(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    unit: &InScope<org_unit::Model>,
    period: Period,
) -> Result<Vec<(i64, Stats)>, DbErr> {
    let rows = field::read(db, campaign_id, Units::Below(unit.id), &METRICS, held(period), None).await?;
    Ok(field::by_unit(&rows).into_iter().map(|(id, rows)| (id, Stats::of_totals(rows))).collect())
}

/// The statements that count the figures of [`stats`] from the records: raids, participants by
/// category, findings by action.
pub fn count_statements(campaign_id: i64, path: &str, period: Period) -> [SelectStatement; 3] {
    let period = held(period);
    let mut raids = Query::select();
    raids.expr(Expr::col((raid::Entity, raid::Column::Id)).count()).from(raid::Entity);
    under(&mut raids, campaign_id, path, period);
    let mut people = Query::select();
    people
        .column((raid_participant::Entity, raid_participant::Column::Kind))
        .expr(Func::cast_as(Expr::col((raid_participant::Entity, raid_participant::Column::Count)).sum(), "BIGINT"))
        .from(raid::Entity)
        .inner_join(
            raid_participant::Entity,
            Expr::col((raid_participant::Entity, raid_participant::Column::RaidId))
                .equals((raid::Entity, raid::Column::Id)),
        )
        .group_by_col((raid_participant::Entity, raid_participant::Column::Kind))
        .order_by((raid_participant::Entity, raid_participant::Column::Kind), sea_orm::Order::Asc);
    under(&mut people, campaign_id, path, period);
    // The findings of the scope's raids, read raid by raid from their index (a join let SQLite
    // walk every finding first).
    let mut ids = Query::select();
    ids.column((raid::Entity, raid::Column::Id)).from(raid::Entity);
    under(&mut ids, campaign_id, path, period);
    let mut found = Query::select();
    found
        .column(raid_finding::Column::Action)
        .expr(Expr::col(raid_finding::Column::Id).count())
        .from(raid_finding::Entity)
        .and_where(Expr::col(raid_finding::Column::RaidId).in_subquery(ids))
        .group_by_col(raid_finding::Column::Action)
        .order_by(raid_finding::Column::Action, sea_orm::Order::Asc);
    [raids, people, found]
}

/// [`stats`] counted from the records.
pub async fn count(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    unit: &InScope<org_unit::Model>,
    period: Period,
) -> Result<Stats, DbErr> {
    let [raids, people, found] = count_statements(campaign_id, &unit.path, period);
    let n = db.query_one(&raids).await?.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0);
    let pairs = |rows: Vec<sea_orm::QueryResult>| -> Result<Vec<(String, i64)>, DbErr> {
        rows.iter().map(|r| Ok((r.try_get_by_index::<String>(0)?, r.try_get_by_index::<i64>(1)?))).collect()
    };
    let participants = pairs(db.query_all(&people).await?)?;
    let actions = pairs(db.query_all(&found).await?)?;
    Ok(Stats { raids: n, participants, findings: actions.iter().map(|(_, n)| n).sum(), actions })
}
