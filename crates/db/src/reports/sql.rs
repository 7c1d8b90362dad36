//! The statements behind the figures: the running totals or the ledger itself, summed per school
//! and then per unit below the one asked for, streamed and folded.

use std::collections::HashMap;

use futures::TryStreamExt;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QuerySelect, Statement, StreamTrait,
};

use super::{Figures, Period, Row};
use crate::entity::org_unit;
use crate::totals::{self, Reading};

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
        .filter(crate::scope::starts_with(sea_orm::sea_query::Expr::col(org_unit::Column::Path), prefix))
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

/// The statements behind the figures under `prefix` (whose schools are `schools`, none for the
/// republic's root), grouped as asked: each yields `(path, metric, key, a, b)`. Both read the
/// running totals the database keeps (`db::totals`): the whole campaign's, or a period's days.
pub fn statements(
    backend: DbBackend,
    campaign_id: i64,
    prefix: &str,
    schools: Option<&[String]>,
    period: Period,
    group: Grouping,
) -> Vec<Statement> {
    if period.is_whole() {
        totals_statements(backend, campaign_id, schools, group)
    } else {
        day_statements(backend, campaign_id, prefix, period, group)
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

/// The same figures aggregated from the registry and the ledger, for any period (a child counts
/// as helped in a period whose days hold the first day of its kept, delivered help, at the
/// school that holds its record). Public so that a test can hold the running totals to them.
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
    let first = format!(
        "(SELECT MIN(f.entry_date) FROM ledger_entries f WHERE f.child_id = c.id AND {} AND {})",
        totals::delivered("f"),
        totals::kept("f", Reading::Probe)
    );
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
             WHERE {} AND {helped}{} GROUP BY c.unit_path",
            scope("c"),
            period.clause(&first)
        ),
        // A child counts once per group of sources that helped it, at the school that holds the
        // record now, from the group's first day.
        format!(
            "SELECT c.unit_path AS p, 'helped_by' AS m, h.g AS l, COUNT(*) AS a, CAST(0 AS BIGINT) AS b \
             FROM children c JOIN (SELECT e.child_id AS child_id, {g} AS g, MIN(e.entry_date) AS first_day \
             FROM ledger_entries e WHERE e.campaign_id = {c} AND {delivered} AND {kept} GROUP BY e.child_id, {g}) h \
             ON h.child_id = c.id WHERE {}{} GROUP BY c.unit_path, h.g",
            scope("c"),
            period.clause("h.first_day"),
            g = totals::group("e"),
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

/// The rows of the day totals kept for the units under `prefix`: the schools' for a school or a
/// district, the districts' for a region or the republic (each district's rows are its schools'
/// summed), so a republic report reads a few rows per district and day.
fn day_level(prefix: &str) -> &'static str {
    if prefix.matches('/').count() >= 4 { "school" } else { "district" }
}

/// The figures of a period under `prefix` from the running totals: the registry's (which no
/// period changes) from `report_totals`, the help of the period's days from `report_days`, the
/// funds. Each yields `(path, metric, key, a, b)`; public so that a test can hold them to the
/// ledger's.
pub fn day_statements(
    backend: DbBackend,
    campaign_id: i64,
    prefix: &str,
    period: Period,
    group: Grouping,
) -> Vec<Statement> {
    let schools = crate::scope::path_under("o.path", prefix);
    [
        format!(
            "SELECT o.path AS p, t.metric AS m, t.label AS l, t.amount AS a, CAST(0 AS BIGINT) AS b \
             FROM report_totals t JOIN org_units o ON o.id = t.school_id \
             WHERE t.campaign_id = {campaign_id} AND t.metric IN ('children', 'needs', 'category') \
             AND t.amount <> 0 AND {schools}"
        ),
        format!(
            "SELECT o.path AS p, t.metric AS m, t.label AS l, CAST(SUM(t.amount) AS BIGINT) AS a, CAST(0 AS BIGINT) AS b \
             FROM report_days t JOIN org_units o ON o.id = t.unit_id \
             WHERE t.campaign_id = {campaign_id} AND o.kind = '{}' AND {schools}{} \
             GROUP BY o.path, t.metric, t.label",
            day_level(prefix),
            period.clause("t.day")
        ),
        format!(
            "SELECT o.path AS p, 'fund' AS m, '' AS l, f.allocation AS a, f.spent AS b FROM funds f \
             JOIN org_units o ON o.id = f.school_id WHERE f.campaign_id = {campaign_id} AND {schools}"
        ),
    ]
    .into_iter()
    .map(|sql| Statement::from_string(backend, group.wrap(backend, sql)))
    .collect()
}

/// Help delivered per day under `prefix` in the period, tiyn, from the day totals.
pub(super) fn daily_statement(backend: DbBackend, campaign_id: i64, prefix: &str, period: Period) -> Statement {
    Statement::from_string(
        backend,
        format!(
            "SELECT t.day, CAST(SUM(t.amount) AS BIGINT) FROM report_days t JOIN org_units o ON o.id = t.unit_id \
             WHERE t.campaign_id = {campaign_id} AND t.metric = 'source' AND o.kind = '{}' AND {}{} \
             GROUP BY t.day ORDER BY t.day",
            day_level(prefix),
            crate::scope::path_under("o.path", prefix),
            period.clause("t.day")
        ),
    )
}

/// The figures under `prefix`, by the unit directly below it (or the school itself), all from
/// the running totals. The statements run concurrently and their rows are streamed and folded as
/// they come.
async fn by_sub_unit<C: ConnectionTrait + StreamTrait>(
    db: &C,
    campaign_id: i64,
    prefix: &str,
    period: Period,
) -> Result<HashMap<String, Figures>, DbErr> {
    let backend = ConnectionTrait::get_database_backend(db);
    if !period.is_whole() {
        return fold(db, day_statements(backend, campaign_id, prefix, period, Grouping::Below(prefix))).await;
    }
    let schools = school_paths(db, prefix).await?;
    fold(db, totals_statements(backend, campaign_id, schools.as_deref(), Grouping::Below(prefix))).await
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
pub(super) async fn totals<C: ConnectionTrait + StreamTrait>(
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
pub(crate) async fn rows_of<C: ConnectionTrait + StreamTrait>(
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
