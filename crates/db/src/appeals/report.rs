//! What a unit's appeals add up to for a report: of the appeals received in the period, by channel
//! and topic, answered in time or late, still open past their last day, and the applicants' "was
//! the problem solved?". Read from the running totals by day of receipt (`appeal_days`, m0022's
//! triggers) for the unit and each unit below it, so the republic reads as few rows as a school;
//! what is overdue depends on the day and is counted from the index of the open appeals.

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr};

use crate::entity::{appeal, org_unit};
use crate::scope::InScope;
use crate::totals::field::Units;

/// What the appeals of a unit add up to for a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Appeals received.
    pub received: i64,
    /// Received per channel code, in code order.
    pub by_channel: Vec<(String, i64)>,
    /// Received per topic code, in code order.
    pub by_topic: Vec<(String, i64)>,
    /// Answered on or before their last day.
    pub in_time: i64,
    /// Answered after it.
    pub late: i64,
    /// Not answered and past their last day (on the day the report is made).
    pub overdue: i64,
    /// Applicants who said the problem was solved.
    pub solved: i64,
    /// Applicants who said it was not.
    pub unsolved: i64,
}

impl Stats {
    /// Not answered yet.
    pub fn open(&self) -> i64 {
        self.received - self.in_time - self.late
    }

    /// Adds one row of the totals.
    fn add(&mut self, metric: &str, label: &str, n: i64) {
        match (metric, label) {
            ("received", _) => {
                self.received += n;
                self.by_channel.push((label.to_owned(), n));
            }
            ("topic", _) => self.by_topic.push((label.to_owned(), n)),
            ("answered", "in_time") => self.in_time += n,
            ("answered", _) => self.late += n,
            ("solved", "yes") => self.solved += n,
            ("solved", _) => self.unsolved += n,
            _ => {}
        }
    }

    /// Whether nothing was received.
    pub fn is_empty(&self) -> bool {
        self.received == 0 && self.overdue == 0
    }
}

/// The sums of every appeal there is into `appeal_days`, as m0022 wrote them (a test holds the two
/// to the letter); the national loader runs it after a bulk load.
pub fn sums() -> String {
    sums_of("appeals")
}

/// [`sums`] of the appeals `source` holds: the table, or a subquery of it named after it such as
/// `(SELECT * FROM appeals WHERE id >= 100) appeals` for the rows a bulk load wrote.
pub fn sums_of(source: &str) -> String {
    let select = format!(
        "SELECT unit_id, received_on AS day, 'received' AS metric, channel AS label, COUNT(*) AS amount \
             FROM {source} GROUP BY unit_id, received_on, channel \
             UNION ALL SELECT unit_id, received_on, 'topic', topic, COUNT(*) FROM {source} \
             GROUP BY unit_id, received_on, topic \
             UNION ALL SELECT unit_id, received_on, 'answered', \
             CASE WHEN answered_on <= due_on THEN 'in_time' ELSE 'late' END, COUNT(*) FROM {source} \
             WHERE answered_on IS NOT NULL GROUP BY unit_id, received_on, \
             CASE WHEN answered_on <= due_on THEN 'in_time' ELSE 'late' END \
             UNION ALL SELECT unit_id, received_on, 'solved', CASE WHEN solved = 1 THEN 'yes' ELSE 'no' END, COUNT(*) \
             FROM {source} WHERE solved IS NOT NULL GROUP BY unit_id, received_on, \
             CASE WHEN solved = 1 THEN 'yes' ELSE 'no' END"
    );
    format!(
        "INSERT INTO appeal_days (unit_id, day, metric, label, amount) \
         SELECT u.id, d.day, d.metric, d.label, SUM(d.amount) FROM ({select}) d \
         JOIN org_units a ON a.id = d.unit_id LEFT JOIN org_units p ON p.id = a.parent_id \
         LEFT JOIN org_units g ON g.id = p.parent_id \
         JOIN org_units u ON u.id IN (a.id, a.parent_id, p.parent_id, g.parent_id) WHERE true \
         GROUP BY u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4 \
         ON CONFLICT (unit_id, day, metric, label) DO UPDATE SET amount = appeal_days.amount + excluded.amount"
    )
}

/// The period's days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

/// The statement of the totals of `units` for the days: `(unit, metric, label, sum)`, from the
/// table's key.
pub fn totals_statement(units: Units, days: Days) -> SelectStatement {
    let col = |c: &str| Expr::col(Alias::new(c));
    let mut q = Query::select();
    q.column(Alias::new("unit_id"))
        .column(Alias::new("metric"))
        .column(Alias::new("label"))
        .expr(Func::cast_as(Func::sum(col("amount")), "BIGINT"))
        .from(Alias::new("appeal_days"))
        .and_where(col("day").gte(days.from))
        .and_where(col("day").lte(days.to));
    match units {
        Units::Of(id) => q.and_where(col("unit_id").eq(id)),
        Units::Below(id) => q.and_where(
            col("unit_id").in_subquery(
                Query::select()
                    .column(org_unit::Column::Id)
                    .from(org_unit::Entity)
                    .and_where(Expr::col(org_unit::Column::ParentId).eq(id))
                    .to_owned(),
            ),
        ),
    };
    q.group_by_columns([Alias::new("unit_id"), Alias::new("metric"), Alias::new("label")]);
    q
}

/// The statement counting the open appeals past their last day (`due_on` before `today`) received
/// in the days under `path`: `(level id of the unit below, count)`, from the open appeals' index;
/// the unit's own (no unit below) under a null id.
pub fn overdue_statement(path: &str, days: Days, today: NaiveDate) -> SelectStatement {
    let below = match crate::scope::level_of(path) {
        None => Some(appeal::Column::RegionId),
        Some(("region_id", _)) => Some(appeal::Column::DistrictId),
        Some(("district_id", _)) => Some(appeal::Column::SchoolId),
        Some(_) => None,
    };
    let mut q = Query::select();
    match below {
        // Grouped by `+column` (the same value): the level's own index would give the groups in
        // order, and SQLite would walk all of it for that instead of the due days' range.
        Some(c) => {
            let level = Expr::cust(format!("+{}", sea_orm::IdenStatic::as_str(&c)));
            q.expr(level.clone()).add_group_by([level])
        }
        None => q.expr(Expr::val(None::<i64>)),
    };
    q.expr(Expr::col(appeal::Column::Id).count())
        .from(appeal::Entity)
        .and_where(Expr::col(appeal::Column::AnsweredAt).is_null())
        .and_where(Expr::col(appeal::Column::DueOn).lt(today))
        // An appeal is due after it is received: a bound that changes nothing but makes the due
        // days a closed range the planners read from the open appeals' index by due date.
        .and_where(Expr::col(appeal::Column::DueOn).gte(days.from))
        .and_where(Expr::col(appeal::Column::ReceivedOn).gte(days.from))
        .and_where(Expr::col(appeal::Column::ReceivedOn).lte(days.to));
    match crate::scope::level_of(path) {
        Some(("region_id", id)) => q.and_where(Expr::col(appeal::Column::RegionId).eq(id)),
        Some(("district_id", id)) => q.and_where(Expr::col(appeal::Column::DistrictId).eq(id)),
        Some((_, id)) => q.and_where(Expr::col(appeal::Column::SchoolId).eq(id)),
        None => &mut q,
    };
    q
}

/// The figures of the unit (in scope) for the days, and of each unit directly below it that has
/// any, by unit id.
pub async fn stats(
    db: &impl ConnectionTrait,
    unit: &InScope<org_unit::Model>,
    days: Days,
    today: NaiveDate,
) -> Result<(Stats, Vec<(i64, Stats)>), DbErr> {
    let read = |units| async move {
        let rows = db.query_all(&totals_statement(units, days)).await?;
        let mut out: Vec<(i64, Stats)> = Vec::new();
        for r in rows {
            let (id, metric, label): (i64, String, String) =
                (r.try_get_by_index(0)?, r.try_get_by_index(1)?, r.try_get_by_index(2)?);
            let n = r.try_get_by_index::<Option<i64>>(3)?.unwrap_or(0);
            if n == 0 {
                continue;
            }
            let at = match out.iter().position(|(u, _)| *u == id) {
                Some(i) => i,
                None => {
                    out.push((id, Stats::default()));
                    out.len() - 1
                }
            };
            out[at].1.add(&metric, &label, n);
        }
        Ok::<_, DbErr>(out)
    };
    let overdue = overdue_statement(&unit.path, days, today);
    let overdue = db.query_all(&overdue);
    let (own, mut below, overdue) = futures::try_join!(read(Units::Of(unit.id)), read(Units::Below(unit.id)), overdue)?;
    let mut total = own.into_iter().next().map(|(_, s)| s).unwrap_or_default();
    for r in overdue {
        let n: i64 = r.try_get_by_index(1)?;
        total.overdue += n;
        if let Some(id) = r.try_get_by_index::<Option<i64>>(0)? {
            match below.iter_mut().find(|(u, _)| *u == id) {
                Some((_, s)) => s.overdue += n,
                None => below.push((id, Stats { overdue: n, ..Stats::default() })),
            }
        }
    }
    for (_, s) in &mut below {
        s.by_channel.sort();
        s.by_topic.sort();
    }
    total.by_channel.sort();
    total.by_topic.sort();
    below.sort_by_key(|(id, _)| *id);
    Ok((total, below))
}
