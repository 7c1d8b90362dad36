//! Reports (MISSION.md §7): the school's campaign report and the consolidated figures of a
//! district, a region or the republic.
//!
//! Every figure comes from a handful of statements that the database sums per school and then
//! per unit directly below the one asked for ([`Grouping`]), so a republic report reads a few
//! hundred rows; the totals are summed from those rows in Rust, so they are by construction the
//! sum of the rows. The figures of the whole campaign are read from running totals per school
//! that database triggers keep in the same transaction as every write (`db::totals`); a report
//! for a period reads running totals by day (`report_days`), and a test holds both to what the
//! registry and the ledger add up to. The statements run concurrently on the pool. Their values are
//! ours — ids, a path of digits and slashes, dates we format — so they are inlined, and one text
//! serves SQLite and PostgreSQL except for the month of a date.

mod school;
mod sql;

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use domain::{Actor, CampaignId, ErrorCode, Invalid, OrgUnitId};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Statement, StreamTrait};
use serde::Serialize;

use crate::entity::{campaign, org_unit};
use crate::error::Error;
use crate::scope::InScope;

pub use school::{Giver, Month, Notes, Raids, SchoolReport, save_notes, school, school_statements};
pub(crate) use sql::rows_of;
pub use sql::{Grouping, day_statements, fold, ledger_statements, school_paths, statements, totals_statements};

/// The dates a report covers, both ends included; open ends take everything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First day.
    pub from: Option<NaiveDate>,
    /// Last day.
    pub to: Option<NaiveDate>,
}

impl Period {
    /// A period; one that ends before it starts is refused.
    pub fn new(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Self, Invalid> {
        match (from, to) {
            (Some(f), Some(t)) if t < f => Err(Invalid::one("to", ErrorCode::PeriodReversed)),
            _ => Ok(Period { from, to }),
        }
    }

    /// The same days a year earlier (for the previous campaign).
    pub fn year_before(self) -> Period {
        let back = |d: NaiveDate| d.checked_sub_months(Months::new(12)).unwrap_or(d);
        Period { from: self.from.map(back), to: self.to.map(back) }
    }

    /// Whether the period is the whole campaign (no ends set).
    pub fn is_whole(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }

    /// ` AND {col} >= 'from' AND {col} <= 'to'`.
    fn clause(&self, col: &str) -> String {
        let mut out = String::new();
        if let Some(f) = self.from {
            out.push_str(&format!(" AND {col} >= '{}'", f.format("%Y-%m-%d")));
        }
        if let Some(t) = self.to {
            out.push_str(&format!(" AND {col} <= '{}'", t.format("%Y-%m-%d")));
        }
        out
    }
}

/// The figures of one unit (or of a whole scope).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Children identified as needing help in the campaign.
    pub identified: i64,
    /// Identified children by category (a child may have several).
    pub categories: BTreeMap<String, i64>,
    /// The recorded needs of the identified children, tiyn.
    pub need: i64,
    /// Children who received help in the period (delivered, not reversed).
    pub helped: i64,
    /// Children helped by each group of sources (`fund`, `sponsor`, `other`): a child helped
    /// from two counts in both, and once in `helped`.
    pub helped_by: BTreeMap<String, i64>,
    /// Delivered help in the period by source (`fund`, `sponsor`, `fair`, `programme`), tiyn,
    /// net of reversals.
    pub by_source: BTreeMap<String, i64>,
    /// Items delivered in the period by type.
    pub items: BTreeMap<String, i64>,
    /// The schools' fund allocations for the campaign, tiyn.
    pub fund_allocation: i64,
    /// What the schools' funds have spent, tiyn.
    pub fund_spent: i64,
}

impl Figures {
    /// All delivered help, tiyn.
    pub fn delivered(&self) -> i64 {
        self.by_source.values().sum()
    }

    /// Help from one source, tiyn.
    pub fn source(&self, code: &str) -> i64 {
        self.by_source.get(code).copied().unwrap_or(0)
    }

    /// Help from sources other than the fund and sponsors (fairs, programmes), tiyn.
    pub fn other(&self) -> i64 {
        self.delivered() - self.source("fund") - self.source("sponsor")
    }

    /// Children helped by one group of sources (`fund`, `sponsor`, `other`).
    pub fn helped_by(&self, group: &str) -> i64 {
        self.helped_by.get(group).copied().unwrap_or(0)
    }

    /// Items of one type.
    pub fn item(&self, code: &str) -> i64 {
        self.items.get(code).copied().unwrap_or(0)
    }

    /// Children of one category.
    pub fn category(&self, code: &str) -> i64 {
        self.categories.get(code).copied().unwrap_or(0)
    }

    /// Helped children per thousand identified (coverage), if any were identified.
    pub fn coverage_permille(&self) -> Option<i64> {
        (self.identified > 0).then(|| self.helped * 1000 / self.identified)
    }

    /// Whether there is nothing at all to report.
    pub fn is_empty(&self) -> bool {
        self.identified == 0 && self.helped == 0 && self.by_source.is_empty() && self.fund_allocation == 0
    }

    /// Adds another unit's figures to these.
    pub fn merge(&mut self, other: &Figures) {
        self.identified += other.identified;
        self.need += other.need;
        self.helped += other.helped;
        self.fund_allocation += other.fund_allocation;
        self.fund_spent += other.fund_spent;
        for (maps, from) in [
            (&mut self.categories, &other.categories),
            (&mut self.by_source, &other.by_source),
            (&mut self.items, &other.items),
            (&mut self.helped_by, &other.helped_by),
        ] {
            for (k, v) in from {
                *maps.entry(k.clone()).or_default() += v;
            }
        }
    }

    fn add(&mut self, metric: &str, key: &str, a: i64, b: i64) {
        match metric {
            "children" => {
                self.identified += a;
                self.need += b;
            }
            "category" => *self.categories.entry(key.to_owned()).or_default() += a,
            "needs" => self.need += a,
            "helped" => self.helped += a,
            "helped_by" => *self.helped_by.entry(key.to_owned()).or_default() += a,
            "source" => *self.by_source.entry(key.to_owned()).or_default() += a,
            "item" => *self.items.entry(key.to_owned()).or_default() += a,
            "fund" => {
                self.fund_allocation += a;
                self.fund_spent += b;
            }
            _ => {}
        }
    }
}

/// One sub-unit's row.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The sub-unit.
    pub unit: org_unit::Model,
    /// Its figures.
    pub figures: Figures,
}

/// The previous campaign's totals over the same scope and the same days a year earlier.
#[derive(Debug, Clone, Serialize)]
pub struct Previous {
    /// That campaign.
    pub campaign: campaign::Model,
    /// Its totals.
    pub total: Figures,
    /// Its raids over the same days.
    pub raids: crate::raids::Stats,
    /// Its pupils out over the same days.
    pub attendance: crate::attendance::Stats,
}

/// A consolidated report: one row per unit directly below `unit`, and the totals.
#[derive(Debug, Clone, Serialize)]
pub struct Consolidated {
    /// The unit reported on.
    pub unit: org_unit::Model,
    /// The campaign.
    pub campaign: campaign::Model,
    /// The period.
    pub period: Period,
    /// A row per sub-unit (none for a school), by name.
    pub rows: Vec<Row>,
    /// The totals (the sum of the rows).
    pub total: Figures,
    /// The campaign before, if there was one.
    pub previous: Option<Previous>,
    /// The raids under the unit in the period.
    pub raids: crate::raids::Stats,
    /// The pupils out under the unit in the period.
    pub attendance: crate::attendance::Stats,
    /// The raids under each sub-unit that has any, by the sub-unit's id.
    pub raids_below: Vec<(i64, crate::raids::Stats)>,
    /// The pupils out under each sub-unit that has any, by the sub-unit's id.
    pub attendance_below: Vec<(i64, crate::attendance::Stats)>,
    /// The appeals received in the period under the unit ([`appeal_days`]).
    pub appeals: crate::appeals::report::Stats,
    /// The appeals under each sub-unit that has any, by the sub-unit's id.
    pub appeals_below: Vec<(i64, crate::appeals::report::Stats)>,
    /// The survey's answers in the period under the unit (none for a school: the survey's totals
    /// are kept by district).
    pub survey: Option<crate::totals::survey::Figures>,
    /// The survey's answers under each sub-unit that has any (a region's districts, the
    /// republic's regions).
    pub survey_below: Vec<crate::totals::survey::Figures>,
}

/// The days of a report's appeals and survey answers, which come all year: the period's, or the
/// campaign's calendar year where it leaves an end open.
pub fn year_days(c: &campaign::Model, period: Period) -> crate::appeals::report::Days {
    let first = NaiveDate::from_ymd_opt(c.year, 1, 1).unwrap_or(c.starts_on);
    let last = NaiveDate::from_ymd_opt(c.year, 12, 31).unwrap_or(c.ends_on);
    crate::appeals::report::Days { from: period.from.unwrap_or(first), to: period.to.unwrap_or(last) }
}

fn may_read_reports(actor: &Actor) -> Result<(), Error> {
    if actor.role.can_view_orgs() { Ok(()) } else { Err(Error::Forbidden) }
}

/// The unit a report is asked for: the actor's own unit by default, refused outside the scope.
pub async fn unit_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    unit: Option<OrgUnitId>,
) -> Result<InScope<org_unit::Model>, Error> {
    may_read_reports(actor)?;
    crate::org::scoped(db, actor, unit.unwrap_or(actor.scope.unit())).await
}

/// The campaign before `c` (the latest that started earlier), if any.
pub async fn previous_campaign(
    db: &impl ConnectionTrait,
    c: &campaign::Model,
) -> Result<Option<campaign::Model>, DbErr> {
    campaign::Entity::find()
        .filter(campaign::Column::Year.lt(c.year))
        .order_by_desc(campaign::Column::Year)
        .one(db)
        .await
}

/// The consolidated report of `unit` (in the actor's scope) for campaign `c` and `period`.
pub async fn consolidated(
    db: &(impl ConnectionTrait + StreamTrait),
    actor: &Actor,
    c: &campaign::Model,
    unit: Option<OrgUnitId>,
    period: Period,
) -> Result<Consolidated, Error> {
    let scoped = unit_of(db, actor, unit).await?;
    let unit = scoped.clone().into_inner();
    let previous = async {
        match previous_campaign(db, c).await? {
            Some(p) => {
                let total = sql::totals(db, p.id, &unit.path, period.year_before()).await?;
                let raids = crate::raids::stats(db, p.id, &scoped, period.year_before()).await?;
                let attendance = crate::attendance::for_report(db, &p, &scoped, period.year_before()).await?;
                Ok(Some(Previous { campaign: p, total, raids, attendance }))
            }
            None => Ok::<_, DbErr>(None),
        }
    };
    let raids = crate::raids::stats(db, c.id, &scoped, period);
    let attendance = crate::attendance::for_report(db, c, &scoped, period);
    let raids_below = crate::raids::stats_below(db, c.id, &scoped, period);
    let attendance_below = crate::attendance::below_for_report(db, c, &scoped, period);
    let days = year_days(c, period);
    let today = domain::calendar::today();
    let appeals = crate::appeals::report::stats(db, &scoped, days, today);
    let survey = crate::totals::survey::of_unit(db, &unit.path, unit.id, days.from, days.to);
    let (
        (rows, total),
        previous,
        raids,
        attendance,
        raids_below,
        attendance_below,
        (appeals, appeals_below),
        (survey, survey_below),
    ) = futures::try_join!(
        rows_of(db, c.id, &unit, period),
        previous,
        raids,
        attendance,
        raids_below,
        attendance_below,
        appeals,
        survey
    )?;
    Ok(Consolidated {
        unit,
        campaign: c.clone(),
        period,
        rows,
        total,
        previous,
        raids,
        attendance,
        raids_below,
        attendance_below,
        appeals,
        appeals_below,
        survey,
        survey_below,
    })
}

/// Help delivered per day in the period over the unit's scope, tiyn (for the dashboard), from
/// the day totals.
pub async fn daily(
    db: &impl ConnectionTrait,
    c: &campaign::Model,
    unit: &InScope<org_unit::Model>,
    period: Period,
) -> Result<Vec<(NaiveDate, i64)>, DbErr> {
    let rows = db.query_all_raw(sql::daily_statement(db.get_database_backend(), c.id, &unit.path, period)).await?;
    rows.iter().map(|r| Ok((r.try_get_by_index::<NaiveDate>(0)?, r.try_get_by_index::<i64>(1)?))).collect()
}

/// The children on the lists of the schools under `path` in the campaign, from the running
/// totals, never the registry: a school's or a district's schools' rows of the campaign's totals,
/// a region's or the republic's districts' rows of the passport's (a few per district, where the
/// campaign's totals would be a thousand schools' rows).
pub(crate) async fn children_in(db: &impl ConnectionTrait, campaign_id: CampaignId, path: &str) -> Result<u64, DbErr> {
    let sql = children_in_sql(campaign_id, path);
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
    Ok(row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.map_or(0, |n| u64::try_from(n).unwrap_or(0)))
}

/// The statement of [`children_in`] (one text for both databases; the benchmark runs it raw).
pub fn children_in_sql(campaign_id: CampaignId, path: &str) -> String {
    let base = format!(
        "SELECT CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) FROM report_totals t \
         WHERE t.campaign_id = {} AND t.metric = 'children' AND t.label = ''",
        campaign_id.0
    );
    match crate::scope::level_of(path) {
        Some(("school_id", id)) => format!("{base} AND t.school_id = {id}"),
        Some(("district_id", _)) => format!(
            "{base} AND t.school_id IN (SELECT o.id FROM org_units o WHERE {})",
            crate::scope::path_under("o.path", path)
        ),
        _ => format!(
            "SELECT CAST(COALESCE(SUM(t.children), 0) AS BIGINT) FROM passport_totals t \
             JOIN org_units o ON o.id = t.unit_id WHERE t.campaign_id = {} AND t.category = '' \
             AND o.kind = 'district' AND {}",
            campaign_id.0,
            crate::scope::path_under("o.path", path)
        ),
    }
}
