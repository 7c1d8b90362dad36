//! What a unit's pupils out add up to for a report: how many, how many from the first school day,
//! by reason, back and still out (from the running totals by day, `field_days`), and the cases
//! with a step overdue; the same counted from the records (which a test holds the totals to and
//! the bench runs beside them); and the curve of pupils out by day for the dashboard. Each reads
//! the level's index, never the whole table.

use chrono::NaiveDate;
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr};

use crate::entity::{absence, case_step, org_unit};
use crate::reports::Period;
use crate::scope::InScope;
use crate::totals::field::{self, Total, Units};

/// The metrics of the pupils out in the totals.
pub const METRICS: [&str; 2] = ["out", "back"];

/// A unit's pupils out for a period (the first day out in it).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Pupils out.
    pub pupils: i64,
    /// Of them, out from the first school day (1 September).
    pub from_first_day: i64,
    /// Back at school.
    pub returned: i64,
    /// Pupils by reason code (`""`: not yet known).
    pub by_reason: Vec<(String, i64)>,
    /// Cases with a step past its due date and not done.
    pub overdue_cases: i64,
}

impl Stats {
    /// Still out.
    pub fn still_out(&self) -> i64 {
        self.pupils - self.returned
    }

    /// The figures of the totals' rows (of one unit), without the overdue cases.
    pub fn of_totals<'a>(rows: impl IntoIterator<Item = &'a Total>) -> Stats {
        let mut s = Stats::default();
        for t in rows {
            match t.metric.as_str() {
                "out" => {
                    s.pupils += t.amount;
                    s.from_first_day += t.early;
                    s.by_reason.push((t.label.clone(), t.amount));
                }
                "back" => s.returned += t.amount,
                _ => {}
            }
        }
        s.by_reason.sort();
        s
    }
}

/// The level's condition on a table with region, district and school ids.
fn level<C: sea_orm::ColumnTrait>(q: &mut SelectStatement, path: &str, cols: [C; 3]) {
    q.cond_where(crate::scope::at_level(path, cols));
}

/// The statements that count the figures of [`stats`] from the records: pupils by reason (with those from the first day and those back),
/// and the cases with a step overdue on `today`.
pub fn count_statements(
    campaign_id: i64,
    path: &str,
    period: Period,
    first_school_day: NaiveDate,
    today: NaiveDate,
) -> [SelectStatement; 2] {
    use absence::Column as A;
    let mut pupils = Query::select();
    pupils
        .column(A::Reason)
        .expr(Expr::col(A::Id).count())
        .expr(Func::sum(CaseStatement::new().case(Expr::col(A::FirstDay).lte(first_school_day), 1).finally(0)))
        .expr(Expr::cust("SUM(CASE WHEN returned_on IS NULL THEN 0 ELSE 1 END)"))
        .from(absence::Entity)
        .and_where(Expr::col(A::CampaignId).eq(campaign_id));
    level(&mut pupils, path, [A::RegionId, A::DistrictId, A::SchoolId]);
    if let Some(from) = period.from {
        pupils.and_where(Expr::col(A::FirstDay).gte(from));
    }
    if let Some(to) = period.to {
        pupils.and_where(Expr::col(A::FirstDay).lte(to));
    }
    pupils.group_by_col(A::Reason);
    [pupils, overdue_statement(campaign_id, path, today)]
}

/// The cases under `path` with a step past its due date on `today` and not done.
fn overdue_statement(campaign_id: i64, path: &str, today: NaiveDate) -> SelectStatement {
    use case_step::Column as S;
    let mut overdue = Query::select();
    overdue
        .expr(Expr::cust("COUNT(DISTINCT case_id)"))
        .from(case_step::Entity)
        .and_where(Expr::col(S::CampaignId).eq(campaign_id))
        .and_where(Expr::col(S::State).eq("todo"))
        .and_where(Expr::col(S::DueOn).lt(today));
    level(&mut overdue, path, [S::RegionId, S::DistrictId, S::SchoolId]);
    overdue
}

/// A unit's pupils out for a period, from the totals; the overdue cases as of `today`.
pub async fn stats(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    unit: &InScope<org_unit::Model>,
    period: Period,
    first_school_day: NaiveDate,
    today: NaiveDate,
) -> Result<Stats, DbErr> {
    let rows = field::read(db, campaign_id, Units::Of(unit.id), &METRICS, period, Some(first_school_day)).await?;
    let mut s = Stats::of_totals(&rows);
    let overdue = overdue_statement(campaign_id, &unit.path, today);
    s.overdue_cases = db.query_one(&overdue).await?.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0);
    Ok(s)
}

/// [`stats`] counted from the records.
pub async fn count(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    unit: &InScope<org_unit::Model>,
    period: Period,
    first_school_day: NaiveDate,
    today: NaiveDate,
) -> Result<Stats, DbErr> {
    let [pupils, overdue] = count_statements(campaign_id, &unit.path, period, first_school_day, today);
    let mut s = Stats::default();
    for r in db.query_all(&pupils).await? {
        let reason: Option<String> = r.try_get_by_index(0)?;
        let n: i64 = r.try_get_by_index(1)?;
        s.pupils += n;
        s.from_first_day += r.try_get_by_index::<Option<i64>>(2)?.unwrap_or(0);
        s.returned += r.try_get_by_index::<Option<i64>>(3)?.unwrap_or(0);
        s.by_reason.push((reason.unwrap_or_default(), n));
    }
    s.by_reason.sort();
    s.overdue_cases = db.query_one(&overdue).await?.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0);
    Ok(s)
}

/// Pupils out on each day from `from` to `to` under a unit: those out from a day on, less those
/// back by it, read as two counts by day and summed here.
pub async fn curve(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    unit: &InScope<org_unit::Model>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, i64)>, DbErr> {
    use absence::Column as A;
    let by = |col: A| {
        let mut q = Query::select();
        q.column(col)
            .expr(Expr::col(A::Id).count())
            .from(absence::Entity)
            .and_where(Expr::col(A::CampaignId).eq(campaign_id))
            .and_where(Expr::col(col).is_not_null())
            .and_where(Expr::col(col).lte(to));
        level(&mut q, &unit.path, [A::RegionId, A::DistrictId, A::SchoolId]);
        q.group_by_col(col).to_owned()
    };
    let read = |rows: Vec<sea_orm::QueryResult>| -> Result<Vec<(NaiveDate, i64)>, DbErr> {
        rows.iter().map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?))).collect()
    };
    let out = read(db.query_all(&by(A::FirstDay)).await?)?;
    let back = read(db.query_all(&by(A::ReturnedOn)).await?)?;
    let before =
        |list: &[(NaiveDate, i64)], d: NaiveDate| list.iter().filter(|(x, _)| *x <= d).map(|(_, n)| n).sum::<i64>();
    Ok(from.iter_days().take_while(|d| *d <= to).map(|d| (d, before(&out, d) - before(&back, d))).collect())
}

/// Campaign `c`'s first school day (1 September or the first school day after it).
async fn first_school_day(db: &impl ConnectionTrait, c: &crate::entity::campaign::Model) -> Result<NaiveDate, DbErr> {
    let sept = NaiveDate::from_ymd_opt(c.year, 9, 1).unwrap_or_default();
    let cal = super::calendar(db, sept, sept + chrono::Days::new(14)).await.map_err(|e| match e {
        crate::error::Error::Db(e) => e,
        other => DbErr::Custom(other.to_string()),
    })?;
    Ok(cal.school_days(sept, sept + chrono::Days::new(14)).first().copied().unwrap_or(sept))
}

/// A unit's pupils out for a report of campaign `c`: from its first school day, overdue as of now.
pub async fn for_report(
    db: &impl ConnectionTrait,
    c: &crate::entity::campaign::Model,
    unit: &InScope<org_unit::Model>,
    period: Period,
) -> Result<Stats, DbErr> {
    let first = first_school_day(db, c).await?;
    stats(db, c.id, unit, period, first, domain::calendar::today()).await
}

/// The same for each unit directly below `unit` with pupils out or cases overdue, by unit id.
pub async fn below_for_report(
    db: &impl ConnectionTrait,
    c: &crate::entity::campaign::Model,
    unit: &InScope<org_unit::Model>,
    period: Period,
) -> Result<Vec<(i64, Stats)>, DbErr> {
    let first = first_school_day(db, c).await?;
    let rows = field::read(db, c.id, Units::Below(unit.id), &METRICS, period, Some(first)).await?;
    let mut out: std::collections::BTreeMap<i64, Stats> =
        field::by_unit(&rows).into_iter().map(|(id, rows)| (id, Stats::of_totals(rows))).collect();
    // The cases overdue, by the level below the unit's.
    use case_step::Column as S;
    let below = match crate::scope::level_of(&unit.path) {
        None => Some(S::RegionId),
        Some(("region_id", _)) => Some(S::DistrictId),
        Some(("district_id", _)) => Some(S::SchoolId),
        Some(_) => None,
    };
    if let Some(col) = below {
        let mut q = overdue_statement(c.id, &unit.path, domain::calendar::today());
        q.column(col).group_by_col(col);
        for r in db.query_all(&q).await? {
            // The count, then the sub-unit (the count's statement came first).
            let (Some(id), n) = (r.try_get_by_index::<Option<i64>>(1)?, r.try_get_by_index::<i64>(0)?) else {
                continue;
            };
            out.entry(id).or_default().overdue_cases = n;
        }
    }
    Ok(out.into_iter().collect())
}
