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

/// The rows of each unit, by unit id (for the figures of each unit below another).
pub fn by_unit(rows: &[Total]) -> std::collections::BTreeMap<i64, Vec<&Total>> {
    let mut out: std::collections::BTreeMap<i64, Vec<&Total>> = std::collections::BTreeMap::new();
    for t in rows {
        out.entry(t.unit_id).or_default().push(t);
    }
    out
}

/// The tables whose rows m0019's triggers count into `field_days`: a raid's, and a pupil's out.
pub(crate) const RAID_TABLES: [&str; 3] = ["raids", "raid_participants", "raid_findings"];
/// See [`RAID_TABLES`].
pub(crate) const PUPIL_TABLES: [&str; 1] = ["absences"];

/// Adds the rows of `select` to the totals of the unit and every unit above it, as m0019's
/// triggers do (a test holds the two to the letter).
pub(crate) fn bump(select: &str) -> String {
    format!(
        "INSERT INTO field_days (campaign_id, unit_id, day, metric, label, amount) \
         SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM ({select}) d \
         JOIN org_units a ON a.id = d.unit_id LEFT JOIN org_units p ON p.id = a.parent_id \
         LEFT JOIN org_units g ON g.id = p.parent_id \
         JOIN org_units u ON u.id IN (a.id, a.parent_id, p.parent_id, g.parent_id) WHERE true \
         GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 \
         ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = field_days.amount + excluded.amount"
    )
}

/// The sums of the raids from id `first` on (with their participants and findings).
pub(crate) fn raid_sums(first: i64) -> Vec<String> {
    [
        format!(
            "SELECT campaign_id, unit_id, held_on AS day, 'raids' AS metric, '' AS label, COUNT(*) AS amount \
             FROM raids WHERE id >= {first} GROUP BY campaign_id, unit_id, held_on"
        ),
        format!(
            "SELECT r.campaign_id, r.unit_id, r.held_on AS day, 'people' AS metric, p.kind AS label, \
             SUM(p.count) AS amount FROM raid_participants p JOIN raids r ON r.id = p.raid_id \
             WHERE r.id >= {first} GROUP BY r.campaign_id, r.unit_id, r.held_on, p.kind"
        ),
        format!(
            "SELECT r.campaign_id, r.unit_id, r.held_on AS day, 'found' AS metric, f.action AS label, \
             COUNT(*) AS amount FROM raid_findings f JOIN raids r ON r.id = f.raid_id \
             WHERE r.id >= {first} GROUP BY r.campaign_id, r.unit_id, r.held_on, f.action"
        ),
    ]
    .iter()
    .map(|s| bump(s))
    .collect()
}

/// The sums of the pupils out from id `first` on.
pub(crate) fn pupil_sums(first: i64) -> Vec<String> {
    [
        format!(
            "SELECT campaign_id, school_id AS unit_id, first_day AS day, 'out' AS metric, \
             COALESCE(reason, '') AS label, COUNT(*) AS amount FROM absences WHERE id >= {first} \
             GROUP BY campaign_id, school_id, first_day, COALESCE(reason, '')"
        ),
        format!(
            "SELECT campaign_id, school_id AS unit_id, first_day AS day, 'back' AS metric, '' AS label, \
             COUNT(*) AS amount FROM absences WHERE id >= {first} AND returned_on IS NOT NULL \
             GROUP BY campaign_id, school_id, first_day"
        ),
    ]
    .iter()
    .map(|s| bump(s))
    .collect()
}

/// For a bulk load in transaction `txn`: on PostgreSQL the tables' row triggers are turned off
/// until [`resume`] (a row trigger each row made the national load three times longer); the
/// change is part of the transaction, so a load that fails leaves them on. SQLite keeps them.
pub(crate) async fn pause(txn: &impl ConnectionTrait, tables: &[&str]) -> Result<(), DbErr> {
    if txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        for t in tables {
            txn.execute_unprepared(&format!("ALTER TABLE {t} DISABLE TRIGGER USER")).await?;
        }
    }
    Ok(())
}

/// Ends a [`pause`]: sums what the load wrote (`sums`) and turns the triggers on again.
pub(crate) async fn resume(txn: &impl ConnectionTrait, tables: &[&str], sums: Vec<String>) -> Result<(), DbErr> {
    if txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        for sql in sums {
            txn.execute_unprepared(&sql).await?;
        }
        for t in tables {
            txn.execute_unprepared(&format!("ALTER TABLE {t} ENABLE TRIGGER USER")).await?;
        }
    }
    Ok(())
}
