//! Reading the field's running totals by day (`field_days`, kept by m0019's triggers): raids,
//! participants, children found and pupils out of a unit, or of each unit directly below it, for a
//! period. A unit's rows hold everything under it, so the republic reads as few rows as a school.

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, CaseStatement, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr};

use crate::reports::Period;

/// Whose rows a reading takes.
#[derive(Debug, Clone, Copy)]
pub enum Units {
    /// The unit's own (everything under it).
    Of(i64),
    /// Those of each unit directly below it.
    Below(i64),
}

/// One figure of a unit: its metric, label, the sum over the period's days, and the part of it on
/// days up to `early` (the first school day, for the pupils out from it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    /// The unit whose rows these are.
    pub unit_id: i64,
    /// What is counted (`raids`, `people`, `found`, `out`, `back`).
    pub metric: String,
    /// Its category, reason or action code (`''` for none).
    pub label: String,
    /// The sum over the period.
    pub amount: i64,
    /// The part of it on days up to the given one.
    pub early: i64,
}

/// The statement of [`read`]: by unit, metric and label, served by the table's key.
pub fn statement(
    campaign_id: i64,
    units: Units,
    metrics: &[&str],
    period: Period,
    early: Option<NaiveDate>,
) -> SelectStatement {
    let col = |c: &str| Expr::col(Alias::new(c));
    let until = early.map_or(Expr::val(false), |d| col("day").lte(d));
    let mut q = Query::select();
    q.column(Alias::new("unit_id"))
        .column(Alias::new("metric"))
        .column(Alias::new("label"))
        .expr(Func::cast_as(Func::sum(col("amount")), "BIGINT"))
        .expr(Func::cast_as(Func::sum(CaseStatement::new().case(until, col("amount")).finally(0)), "BIGINT"))
        .from(Alias::new("field_days"))
        .and_where(col("campaign_id").eq(campaign_id))
        .and_where(col("metric").is_in(metrics.iter().copied()));
    match units {
        Units::Of(id) => q.and_where(col("unit_id").eq(id)),
        Units::Below(id) => q.and_where(
            col("unit_id").in_subquery(
                Query::select()
                    .column(Alias::new("id"))
                    .from(Alias::new("org_units"))
                    .and_where(col("parent_id").eq(id))
                    .to_owned(),
            ),
        ),
    };
    if let Some(from) = period.from {
        q.and_where(col("day").gte(from));
    }
    if let Some(to) = period.to {
        q.and_where(col("day").lte(to));
    }
    q.group_by_columns([Alias::new("unit_id"), Alias::new("metric"), Alias::new("label")]);
    q
}

/// The figures of `metrics` for the period (rows that sum to nothing left out).
pub async fn read(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    units: Units,
    metrics: &[&str],
    period: Period,
    early: Option<NaiveDate>,
) -> Result<Vec<Total>, DbErr> {
    let rows = db.query_all(&statement(campaign_id, units, metrics, period, early)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let t = Total {
            unit_id: r.try_get_by_index(0)?,
            metric: r.try_get_by_index(1)?,
            label: r.try_get_by_index(2)?,
            amount: r.try_get_by_index::<Option<i64>>(3)?.unwrap_or(0),
            early: r.try_get_by_index::<Option<i64>>(4)?.unwrap_or(0),
        };
        if t.amount != 0 || t.early != 0 {
            out.push(t);
        }
    }
    Ok(out)
}
