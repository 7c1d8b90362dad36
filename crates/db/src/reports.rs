//! Reports (MISSION.md §7): the school's campaign report and the consolidated figures of a
//! district, a region or the republic.
//!
//! Every figure comes from a handful of statements that the database sums per school and then
//! per unit directly below the one asked for ([`Grouping`]), so a republic report reads a few
//! hundred rows; the totals are summed from those rows in Rust, so they are by construction the
//! sum of the rows. The figures of the whole campaign are read from running totals per school
//! that database triggers keep in the same transaction as every write (`db::totals`); a report
//! for a period aggregates the registry and the ledger itself, and a test holds the two to the
//! same answer. The statements run concurrently on the pool. Their values are
//! ours — ids, a path of digits and slashes, dates we format — so they are inlined, and one text
//! serves SQLite and PostgreSQL except for the month of a date.

use domain::ErrorCode;
use std::collections::{BTreeMap, HashMap};

use chrono::{Months, NaiveDate, Utc};
use domain::{Actor, Invalid, OrgUnitId};
use futures::TryStreamExt;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement, StreamTrait,
};
use serde::Serialize;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{campaign, org_unit, school_report};
use crate::error::Error;
use crate::totals::{self, Reading};

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
}

/// The paths of the schools under `prefix`, or none for the republic's root (everything).
/// Listing them exactly lets both databases read the big tables through their (campaign,
/// path) index for a school or a district, where a pattern would make PostgreSQL guess.
pub async fn school_paths(db: &impl ConnectionTrait, prefix: &str) -> Result<Option<Vec<String>>, DbErr> {
    if prefix.matches('/').count() <= 2 {
        return Ok(None);
    }
    let paths = org_unit::Entity::find()
        .select_only()
        .column(org_unit::Column::Path)
        .filter(org_unit::Column::Path.starts_with(prefix))
        .filter(org_unit::Column::Kind.eq("school"))
        .into_tuple::<String>()
        .all(db)
        .await?;
    Ok(Some(paths))
}

/// How the statements group their rows.
#[derive(Debug, Clone, Copy)]
pub enum Grouping<'a> {
    /// A row per school (by its path).
    School,
    /// A row per unit directly below this path, named by its path (the rows of a consolidated
    /// report); a school asked about itself is its own row. The database sums, so a republic
    /// report reads a few hundred rows.
    Below(&'a str),
}

impl Grouping<'_> {
    /// `inner` yields `(p, m, l, a, b)` per school path; this sums it per sub-unit when asked,
    /// keyed by the path's first segment below the prefix. The key is computed on the rows
    /// grouped per school, never on every ledger row.
    fn wrap(self, backend: DbBackend, inner: String) -> String {
        match self {
            Grouping::School => inner,
            Grouping::Below(prefix) => {
                let n = crate::sql_path(prefix).len();
                let find = if backend == DbBackend::Postgres { "strpos" } else { "instr" };
                let k = format!("substr(g.p, 1, {n} + {find}(substr(g.p, {}), '/'))", n + 1);
                format!(
                    "SELECT {k}, g.m, g.l, CAST(SUM(g.a) AS BIGINT), CAST(SUM(g.b) AS BIGINT) FROM ({inner}) g \
                     GROUP BY {k}, g.m, g.l"
                )
            }
        }
    }
}

/// The statements behind the figures of every school in `schools` (all of the campaign's when
/// none), grouped as asked: each yields `(path, metric, key, a, b)`. The whole campaign is read
/// from the running totals the database keeps (`db::totals`); a period from the ledger itself.
pub fn statements(
    backend: DbBackend,
    campaign_id: i64,
    schools: Option<&[String]>,
    period: Period,
    group: Grouping,
) -> Vec<Statement> {
    if period.is_whole() {
        totals_statements(backend, campaign_id, schools, group)
    } else {
        ledger_statements(backend, campaign_id, schools, period, group)
    }
}

/// `IN (…)` list of the schools' paths, if they are listed.
fn path_list(schools: Option<&[String]>) -> Option<String> {
    schools.map(|paths| {
        let quoted: Vec<String> = paths.iter().map(|p| format!("'{}'", crate::sql_path(p))).collect();
        if quoted.is_empty() { "''".to_owned() } else { quoted.join(", ") }
    })
}

/// ` AND o.path IN (…)` for listed schools (`o` being `org_units`), nothing for all of them.
fn only_listed(list: Option<&str>) -> String {
    list.map(|list| format!(" AND o.path IN ({list})")).unwrap_or_default()
}

/// The figures of the whole campaign from the running totals, and the funds.
pub fn totals_statements(
    backend: DbBackend,
    campaign_id: i64,
    schools: Option<&[String]>,
    group: Grouping,
) -> Vec<Statement> {
    let only = only_listed(path_list(schools).as_deref());
    [
        format!(
            "SELECT o.path AS p, t.metric AS m, t.label AS l, t.amount AS a, CAST(0 AS BIGINT) AS b \
             FROM report_totals t JOIN org_units o ON o.id = t.school_id \
             WHERE t.campaign_id = {campaign_id} AND t.amount <> 0{only}"
        ),
        funds_statement(campaign_id, &only),
    ]
    .into_iter()
    .map(|sql| Statement::from_string(backend, group.wrap(backend, sql)))
    .collect()
}

fn funds_statement(campaign_id: i64, only: &str) -> String {
    format!(
        "SELECT o.path AS p, 'fund' AS m, '' AS l, f.allocation AS a, f.spent AS b FROM funds f \
         JOIN org_units o ON o.id = f.school_id WHERE f.campaign_id = {campaign_id}{only}"
    )
}

/// The same figures aggregated from the registry and the ledger, for any period. Public so that
/// the benchmark can run them raw and a test can hold the running totals to them.
pub fn ledger_statements(
    backend: DbBackend,
    campaign_id: i64,
    schools: Option<&[String]>,
    period: Period,
    group: Grouping,
) -> Vec<Statement> {
    let list = path_list(schools);
    let c = campaign_id;
    let days = period.clause("e.entry_date");
    let (delivered, kept) = (totals::delivered("e"), totals::kept("e", Reading::Set));
    // Exactly the listed schools (see `school_paths`).
    let scope = |t: &str| match &list {
        Some(list) => format!("{t}.campaign_id = {c} AND {t}.unit_path IN ({list})"),
        None => format!("{t}.campaign_id = {c}"),
    };
    let in_scope = scope("e");
    let helped = match &list {
        // The whole campaign: one set of helped children (SQLite builds it once; a correlated
        // EXISTS would probe the index once per child).
        None => format!(
            "c.id IN (SELECT e.child_id FROM ledger_entries e WHERE {in_scope} AND {delivered} AND {kept}{days})"
        ),
        // Help given at the listed schools, or anywhere to a child whose record came here by an
        // accepted transfer (the only way its help can lie at another school): both sets read
        // through indexes, where one semi-join over the campaign's entries makes PostgreSQL hash
        // them all (a district: 47 ms instead of 730 ms).
        Some(_) => format!(
            "(c.id IN (SELECT e.child_id FROM ledger_entries e WHERE {in_scope} AND {delivered} AND {kept}{days}) \
             OR c.id IN (SELECT e.child_id FROM transfer_requests t JOIN ledger_entries e ON e.child_id = t.child_id \
             WHERE t.status = 'accepted' AND e.campaign_id = {c} AND {delivered} AND {kept}{days}))"
        ),
    };
    [
        format!(
            "SELECT e.unit_path AS p, 'children' AS m, '' AS l, COUNT(*) AS a, \
             CAST(COALESCE(SUM(e.needs_cost), 0) AS BIGINT) AS b FROM children e WHERE {in_scope} GROUP BY e.unit_path"
        ),
        format!(
            "SELECT e.unit_path AS p, 'category' AS m, k.category AS l, COUNT(*) AS a, CAST(0 AS BIGINT) AS b \
             FROM child_categories k JOIN children e ON e.id = k.child_id WHERE {in_scope} \
             GROUP BY e.unit_path, k.category"
        ),
        // A child helped counts once, at the school that holds the record now, wherever it was
        // helped in the campaign.
        format!(
            "SELECT c.unit_path AS p, 'helped' AS m, '' AS l, COUNT(*) AS a, CAST(0 AS BIGINT) AS b FROM children c \
             WHERE {} AND {helped} GROUP BY c.unit_path",
            scope("c")
        ),
        format!(
            "SELECT e.unit_path AS p, 'source' AS m, e.source AS l, CAST(SUM(e.amount) AS BIGINT) AS a, \
             CAST(0 AS BIGINT) AS b FROM ledger_entries e WHERE {in_scope} AND {delivered}{days} \
             GROUP BY e.unit_path, e.source"
        ),
        format!(
            "SELECT e.unit_path AS p, 'item' AS m, i.item AS l, CAST(SUM(i.quantity) AS BIGINT) AS a, \
             CAST(0 AS BIGINT) AS b FROM ledger_items i JOIN ledger_entries e ON e.id = i.entry_id \
             WHERE {in_scope} AND {delivered} AND {kept}{days} GROUP BY e.unit_path, i.item"
        ),
        funds_statement(c, &only_listed(list.as_deref())),
    ]
    .into_iter()
    .map(|sql| Statement::from_string(backend, group.wrap(backend, sql)))
    .collect()
}

/// The figures under `prefix`, by the unit directly below it (or the school itself). The
/// statements run concurrently and their rows are streamed and folded as they come.
async fn by_sub_unit<C: ConnectionTrait + StreamTrait>(
    db: &C,
    campaign_id: i64,
    prefix: &str,
    period: Period,
) -> Result<HashMap<String, Figures>, DbErr> {
    let schools = school_paths(db, prefix).await?;
    let backend = ConnectionTrait::get_database_backend(db);
    fold(db, statements(backend, campaign_id, schools.as_deref(), period, Grouping::Below(prefix))).await
}

/// Runs `statements` (of the shape of [`statements`]) concurrently and folds their rows into
/// figures by the path each row names.
pub async fn fold<C: ConnectionTrait + StreamTrait>(
    db: &C,
    statements: Vec<Statement>,
) -> Result<HashMap<String, Figures>, DbErr> {
    let runs = statements.into_iter().map(|s| async move {
        let mut acc: HashMap<String, Figures> = HashMap::new();
        let rows = db.stream_raw(s).await?;
        let mut rows = std::pin::pin!(rows);
        while let Some(r) = rows.try_next().await? {
            let path: String = r.try_get_by_index(0)?;
            let metric: String = r.try_get_by_index(1)?;
            let key: String = r.try_get_by_index(2)?;
            let (a, b): (i64, i64) = (r.try_get_by_index(3)?, r.try_get_by_index(4)?);
            // A source whose reversals cancel it out shows as nothing, as in the running totals.
            if a == 0 && b == 0 {
                continue;
            }
            acc.entry(path).or_default().add(&metric, &key, a, b);
        }
        Ok::<_, DbErr>(acc)
    });
    let mut out: HashMap<String, Figures> = HashMap::new();
    for part in futures::future::try_join_all(runs).await? {
        for (path, f) in part {
            out.entry(path).or_default().merge(&f);
        }
    }
    Ok(out)
}

/// Totals over everything under `prefix`.
async fn totals<C: ConnectionTrait + StreamTrait>(
    db: &C,
    campaign_id: i64,
    prefix: &str,
    period: Period,
) -> Result<Figures, DbErr> {
    let mut total = Figures::default();
    for f in by_sub_unit(db, campaign_id, prefix, period).await?.values() {
        total.merge(f);
    }
    Ok(total)
}

/// A row per unit directly below `unit` (by Russian name) and the totals, for campaign
/// `campaign_id` and `period`. No scope check: the caller has made it, or shows no personal
/// data (the public page).
pub async fn rows_of<C: ConnectionTrait + StreamTrait>(
    db: &C,
    campaign_id: i64,
    unit: &org_unit::Model,
    period: Period,
) -> Result<(Vec<Row>, Figures), DbErr> {
    let subs = org_unit::Entity::find().filter(org_unit::Column::ParentId.eq(unit.id)).all(db);
    let (subs, figures) = futures::try_join!(subs, by_sub_unit(db, campaign_id, &unit.path, period))?;
    let mut rows: HashMap<i64, Figures> = subs.iter().map(|u| (u.id, Figures::default())).collect();
    let mut total = Figures::default();
    for (path, f) in figures {
        total.merge(&f);
        let sub = path
            .strip_prefix(unit.path.as_str())
            .and_then(|rest| rest.split('/').next())
            .and_then(|id| id.parse::<i64>().ok());
        if let Some(row) = sub.and_then(|id| rows.get_mut(&id)) {
            row.merge(&f);
        }
    }
    let mut rows: Vec<Row> =
        subs.into_iter().filter_map(|u| rows.remove(&u.id).map(|figures| Row { unit: u, figures })).collect();
    rows.sort_by(|a, b| a.unit.name_ru.cmp(&b.unit.name_ru));
    Ok((rows, total))
}

fn may_read_reports(actor: &Actor) -> Result<(), Error> {
    if actor.role.can_view_orgs() { Ok(()) } else { Err(Error::Forbidden) }
}

/// The unit a report is asked for: the actor's own unit by default, refused outside the scope.
pub async fn unit_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    unit: Option<OrgUnitId>,
) -> Result<org_unit::Model, Error> {
    may_read_reports(actor)?;
    crate::org::get(db, actor, unit.unwrap_or(actor.scope.unit())).await
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
    let unit = unit_of(db, actor, unit).await?;
    let previous = async {
        match previous_campaign(db, c).await? {
            Some(p) => {
                let total = totals(db, p.id, &unit.path, period.year_before()).await?;
                Ok(Some(Previous { campaign: p, total }))
            }
            None => Ok::<_, DbErr>(None),
        }
    };
    let ((rows, total), previous) = futures::try_join!(rows_of(db, c.id, &unit, period), previous)?;
    Ok(Consolidated { unit, campaign: c.clone(), period, rows, total, previous })
}

/// Help delivered per day in the period over the unit's scope, tiyn (for the dashboard).
pub async fn daily(
    db: &impl ConnectionTrait,
    c: &campaign::Model,
    unit: &org_unit::Model,
    period: Period,
) -> Result<Vec<(NaiveDate, i64)>, DbErr> {
    let prefix = crate::sql_path(&unit.path);
    let sql = format!(
        "SELECT e.entry_date, CAST(SUM(e.amount) AS BIGINT) FROM ledger_entries e WHERE e.campaign_id = {} \
         AND e.unit_path LIKE '{prefix}%' AND {}{} \
         GROUP BY e.entry_date ORDER BY e.entry_date",
        c.id,
        totals::delivered("e"),
        period.clause("e.entry_date")
    );
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
    rows.iter().map(|r| Ok((r.try_get_by_index::<NaiveDate>(0)?, r.try_get_by_index::<i64>(1)?))).collect()
}

/// What the school writes by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Notes {
    /// Measures taken, one per line.
    pub measures: String,
    /// Raids held.
    pub raids: i32,
    /// Where the raids went and with whom.
    pub raids_note: String,
}

impl Notes {
    /// Checks what was typed: every bad field at once.
    pub fn parse(measures: &str, raids: &str, raids_note: &str) -> Result<Notes, Invalid> {
        let mut errors = Vec::new();
        let measures = measures.trim().replace("\r\n", "\n");
        if measures.chars().count() > 4000 {
            errors.push(domain::FieldError::new("measures", ErrorCode::TooLong).with_limit(4000));
        }
        let raids = match raids.trim() {
            "" => 0,
            s => match s.parse::<i32>() {
                Ok(n) if (0..=1000).contains(&n) => n,
                Ok(n) if n > 1000 => {
                    errors.push(domain::FieldError::new("raids", ErrorCode::TooMany).with_limit(1000));
                    0
                }
                _ => {
                    errors.push(domain::FieldError::new("raids", ErrorCode::NotANumber));
                    0
                }
            },
        };
        let raids_note = raids_note.trim().replace("\r\n", "\n");
        if raids_note.chars().count() > 2000 {
            errors.push(domain::FieldError::new("raids_note", ErrorCode::TooLong).with_limit(2000));
        }
        if errors.is_empty() { Ok(Notes { measures, raids, raids_note }) } else { Err(Invalid(errors)) }
    }
}

/// One month of fund help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Month {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Pupils helped that month.
    pub pupils: i64,
    /// Sum, tiyn.
    pub amount: i64,
}

/// One giver other than the fund: a sponsor, or a fair or programme named by its organiser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Giver {
    /// `sponsor`, `fair` or `programme`.
    pub source: String,
    /// The sponsor's name or the organiser's; empty when nobody was named.
    pub name: String,
    /// Pupils helped.
    pub pupils: i64,
    /// Sum, tiyn.
    pub amount: i64,
}

/// The school's campaign report (the shape of seed 003).
#[derive(Debug, Clone, Serialize)]
pub struct SchoolReport {
    /// The school.
    pub school: org_unit::Model,
    /// Its district, region (for the heading).
    pub ancestors: Vec<org_unit::Model>,
    /// The campaign.
    pub campaign: campaign::Model,
    /// The period.
    pub period: Period,
    /// What the school wrote.
    pub notes: Notes,
    /// Fund help by month.
    pub fund: Vec<Month>,
    /// Pupils helped by the fund in all (each once).
    pub fund_pupils: i64,
    /// Sponsors and others, in the order their help was first recorded.
    pub givers: Vec<Giver>,
    /// Pupils helped by them in all (each once).
    pub givers_pupils: i64,
    /// The school's figures (identified, categories, items, sums).
    pub figures: Figures,
}

impl SchoolReport {
    /// Fund help in all, tiyn.
    pub fn fund_total(&self) -> i64 {
        self.fund.iter().map(|m| m.amount).sum()
    }

    /// Help of sponsors and others in all, tiyn.
    pub fn givers_total(&self) -> i64 {
        self.givers.iter().map(|g| g.amount).sum()
    }
}

fn month_of(backend: DbBackend, col: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("to_char({col}, 'YYYY-MM')"),
        _ => format!("strftime('%Y-%m', {col})"),
    }
}

/// The statements of a school's own report: fund help by month, help by giver, pupils helped
/// by the fund and by others. Public so that the benchmark can run them raw.
pub fn school_statements(backend: DbBackend, campaign_id: i64, school_path: &str, period: Period) -> [Statement; 3] {
    let days = period.clause("e.entry_date");
    let path = crate::sql_path(school_path);
    let cid = campaign_id;
    let (delivered, kept) = (totals::delivered("e"), totals::kept("e", Reading::Set));
    let base = format!("e.campaign_id = {cid} AND e.unit_path = '{path}' AND {delivered}{days}");
    let month = month_of(backend, "e.entry_date");
    let by_month = format!(
        "SELECT {month}, COUNT(DISTINCT CASE WHEN {kept} THEN e.child_id END), CAST(SUM(e.amount) AS BIGINT) \
         FROM ledger_entries e WHERE {base} AND e.source = 'fund' GROUP BY {month} ORDER BY {month}"
    );
    let givers = format!(
        "SELECT e.source, COALESCE(s.name, e.organised_by, ''), COUNT(DISTINCT CASE WHEN {kept} THEN e.child_id END), \
         CAST(SUM(e.amount) AS BIGINT), MIN(e.id) FROM ledger_entries e LEFT JOIN sponsors s ON s.id = e.sponsor_id \
         WHERE {base} AND e.source <> 'fund' GROUP BY e.source, e.sponsor_id, s.name, e.organised_by ORDER BY MIN(e.id)"
    );
    let pupils = format!(
        "SELECT CASE WHEN e.source = 'fund' THEN 'fund' ELSE 'other' END, COUNT(DISTINCT e.child_id) \
         FROM ledger_entries e WHERE {base} AND {kept} GROUP BY CASE WHEN e.source = 'fund' THEN 'fund' ELSE 'other' END"
    );
    [by_month, givers, pupils].map(|sql| Statement::from_string(backend, sql))
}

/// The report of a school (in the actor's scope) for campaign `c`.
pub async fn school(
    db: &(impl ConnectionTrait + StreamTrait),
    actor: &Actor,
    c: &campaign::Model,
    school: Option<OrgUnitId>,
    period: Period,
) -> Result<SchoolReport, Error> {
    let school = unit_of(db, actor, school).await?;
    if school.kind != "school" {
        return Err(Error::Invalid(Invalid::one("unit", ErrorCode::NotASchool)));
    }
    let ancestors = crate::org::ancestors(db, actor, &school).await.unwrap_or_default();
    let backend = ConnectionTrait::get_database_backend(db);
    let (s, cid) = (school.id, c.id);
    let [by_month, givers, pupils] = school_statements(backend, cid, &school.path, period);
    let run = |st: Statement| db.query_all_raw(st);
    let (months, givers, pupils, figures) =
        futures::try_join!(run(by_month), run(givers), run(pupils), totals(db, cid, &school.path, period))?;
    let fund = months
        .iter()
        .map(|r| {
            let ym: String = r.try_get_by_index(0)?;
            let (y, m) = ym.split_once('-').unwrap_or_default();
            Ok(Month {
                year: y.parse().unwrap_or_default(),
                month: m.parse().unwrap_or_default(),
                pupils: r.try_get_by_index(1)?,
                amount: r.try_get_by_index(2)?,
            })
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    let givers = givers
        .iter()
        .map(|r| {
            Ok(Giver {
                source: r.try_get_by_index(0)?,
                name: r.try_get_by_index(1)?,
                pupils: r.try_get_by_index(2)?,
                amount: r.try_get_by_index(3)?,
            })
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    let mut fund_pupils = 0;
    let mut givers_pupils = 0;
    for r in &pupils {
        let which: String = r.try_get_by_index(0)?;
        let n: i64 = r.try_get_by_index(1)?;
        if which == "fund" {
            fund_pupils = n;
        } else {
            givers_pupils = n;
        }
    }
    let notes = school_report::Entity::find()
        .filter(school_report::Column::CampaignId.eq(cid))
        .filter(school_report::Column::SchoolId.eq(s))
        .one(db)
        .await?
        .map(|n| Notes { measures: n.measures, raids: n.raids, raids_note: n.raids_note })
        .unwrap_or_default();
    Ok(SchoolReport {
        school,
        ancestors,
        campaign: c.clone(),
        period,
        notes,
        fund,
        fund_pupils,
        givers,
        givers_pupils,
        figures,
    })
}

/// Saves what the school writes by hand (its coordinator, or a coordinator above it).
pub async fn save_notes(
    db: &Db,
    actor: &Actor,
    c: &campaign::Model,
    school: OrgUnitId,
    notes: &Notes,
) -> Result<(), Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let unit = crate::org::get(db, actor, school).await?;
    if unit.kind != "school" {
        return Err(Error::Invalid(Invalid::one("unit", ErrorCode::NotASchool)));
    }
    let txn = crate::write_txn(db).await?;
    let existing = school_report::Entity::find()
        .filter(school_report::Column::CampaignId.eq(c.id))
        .filter(school_report::Column::SchoolId.eq(unit.id))
        .one(&txn)
        .await?;
    let before = existing.as_ref().and_then(|e| serde_json::to_value(e).ok());
    let mut row: school_report::ActiveModel = match existing {
        Some(e) => e.into(),
        None => school_report::ActiveModel { campaign_id: Set(c.id), school_id: Set(unit.id), ..Default::default() },
    };
    row.measures = Set(notes.measures.clone());
    row.raids = Set(notes.raids);
    row.raids_note = Set(notes.raids_note.clone());
    row.updated_by = Set(actor.user_id.0);
    row.updated_login = Set(actor.login.clone());
    row.updated_at = Set(Utc::now());
    let saved = row.save(&txn).await?;
    let after = serde_json::json!({
        "measures": notes.measures, "raids": notes.raids, "raids_note": notes.raids_note, "campaign_id": c.id
    });
    let id = saved.id.clone().unwrap();
    audit::record(
        &txn,
        Who::User(actor),
        Entry {
            action: "update",
            entity: "school_report",
            entity_id: Some(id),
            unit_path: Some(&unit.path),
            before,
            after: Some(after),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
