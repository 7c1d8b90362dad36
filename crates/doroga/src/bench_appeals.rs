//! `doroga bench reports`, the public front door: the republic's due and overdue lists (a first
//! page and one deep in the list) and a district's list against the same statements run raw; the
//! republic's appeals report for the year against its statements run raw, and counted from the
//! records; 500 appeals filed through the public form (throttle, key, routing, term, receipt,
//! notices, audit) against 500 raw inserts of the same rows; the terms of a year of appeals on the
//! working-day calendar.

use std::time::Instant;

use anyhow::{Result, anyhow};
use chrono::{Datelike, Days, NaiveDate};
use db::Db;
use db::appeals::View;
use db::appeals::report::{Days as Period, overdue_statement, totals_statement};
use db::entity::{campaign, org_unit};
use db::totals::field::Units;
use domain::appeal::{AppealInput, Channel};
use domain::{Actor, OrgUnitId};
use sea_orm::{ConnectionTrait, Statement};

use crate::bench_reports::medians;

/// How many appeals a year reach the campaign (the figure).
const A_YEAR: usize = 150_000;

fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("{e}")
}

/// The raw text of a list: open appeals of a scope (`level`: a column and id, or none), in due
/// order, with the view's condition and a cursor.
fn list_sql(level: Option<(&str, i64)>, cond: &str, after: Option<(NaiveDate, i64)>) -> String {
    let scope = level.map(|(c, id)| format!(" AND {c} = {id}")).unwrap_or_default();
    let after = after.map(|(d, id)| format!(" AND (due_on, id) > ('{d}', {id})")).unwrap_or_default();
    format!(
        "SELECT * FROM appeals WHERE answered_at IS NULL{scope} AND {cond}{after} ORDER BY due_on, id LIMIT {}",
        db::appeals::PAGE + 1
    )
}

/// Prints the figures of one database.
pub async fn run(
    db: &Db,
    backend: &str,
    actor: &Actor,
    c: &campaign::Model,
    republic: &org_unit::Model,
    district: &org_unit::Model,
    runs: usize,
) -> Result<()> {
    let b = db.get_database_backend();
    let core = app::Core::new(db.clone()).map_err(err)?;
    let today = app::appeals::today();
    let raw_rows = |sql: String| async move {
        Ok::<_, anyhow::Error>(db.query_all_raw(Statement::from_string(b, sql)).await?.len())
    };
    let due = app::appeals::view(&core, "due", today).await.map_err(err)?;
    let View::Due { until } = due else { return Err(anyhow!("the due view")) };
    let district_actor = Actor {
        role: domain::Role::DistrictCoordinator,
        scope: domain::Scope::new(OrgUnitId(district.id), district.path.clone()),
        ..actor.clone()
    };
    // A cursor deep in each list (its 100th page), taken raw.
    let deep = |cond: String, level: Option<(&'static str, i64)>| async move {
        let sql = format!(
            "SELECT due_on, id FROM appeals WHERE answered_at IS NULL{} AND {cond} ORDER BY due_on, id LIMIT 1 OFFSET {}",
            level.map(|(c, id)| format!(" AND {c} = {id}")).unwrap_or_default(),
            db::appeals::PAGE * 100 - 1
        );
        let row = db.query_one_raw(Statement::from_string(b, sql)).await?;
        Ok::<_, anyhow::Error>(match row {
            Some(r) => Some((r.try_get_by_index::<NaiveDate>(0)?, r.try_get_by_index::<i64>(1)?)),
            None => None,
        })
    };
    let cases = [
        ("republic", "due", due, format!("due_on BETWEEN '{today}' AND '{until}'"), None, actor),
        ("republic", "overdue", View::Overdue, format!("due_on < '{today}'"), None, actor),
        ("district", "open", View::Open, "1 = 1".to_owned(), Some(("district_id", district.id)), &district_actor),
    ];
    println!("| {backend} | list | page | raw SQL (median of {runs}) | list | list / raw | rows |");
    for (who, name, view, cond, level, a) in cases {
        for (page, after) in [("first", None), ("100th", deep(cond.clone(), level).await?)] {
            if page != "first" && after.is_none() {
                println!("| {backend} | {who} {name} | 100th | (the list is shorter) | | | |");
                continue;
            }
            let raw = || raw_rows(list_sql(level, &cond, after));
            let list = || async {
                let page = app::appeals::list(&core, a, view, after, today).await.map_err(err)?;
                Ok::<_, anyhow::Error>(page.rows.len())
            };
            let (raw_ms, ms) = medians(runs, raw, list).await?;
            let n = list().await?;
            println!("| {backend} | {who} {name} | {page} | {raw_ms:.2} ms | {ms:.2} ms | {:.2} | {n} |", ms / raw_ms);
        }
    }

    // The republic's appeals report for the year: its statements run raw, and the report.
    let year = Period {
        from: NaiveDate::from_ymd_opt(c.year, 1, 1).unwrap_or(c.starts_on),
        to: NaiveDate::from_ymd_opt(c.year, 12, 31).unwrap_or(c.ends_on),
    };
    let whole = db::org::scoped(db, actor, OrgUnitId(republic.id)).await.map_err(err)?;
    let raw = || async {
        let statements = [
            totals_statement(Units::Of(republic.id), year),
            totals_statement(Units::Below(republic.id), year),
            overdue_statement(&republic.path, year, today),
        ];
        let rows = futures::future::try_join_all(statements.iter().map(|s| db.query_all(s))).await?;
        Ok::<_, anyhow::Error>(rows.iter().map(Vec::len).sum::<usize>())
    };
    let report = || async { db::appeals::report::stats(db, &whole, year, today).await.map_err(err) };
    let (raw_ms, ms) = medians(runs, raw, report).await?;
    let (stats, below) = report().await?;
    println!(
        "| {backend} | republic appeals report, the year ({} received, {} in time, {} late, {} overdue, {} regions) | {raw_ms:.1} ms | {ms:.1} ms | {:.2} |",
        stats.received,
        stats.in_time,
        stats.late,
        stats.overdue,
        below.len(),
        ms / raw_ms
    );
    // The same figures counted from the appeals themselves (what the totals save).
    let counted = || {
        raw_rows(format!(
            "SELECT region_id, channel, topic, CASE WHEN answered_on IS NULL THEN 0 WHEN answered_on <= due_on THEN 1 \
             ELSE 2 END, solved, COUNT(*) FROM appeals WHERE received_on BETWEEN '{}' AND '{}' GROUP BY 1, 2, 3, 4, 5",
            year.from, year.to
        ))
    };
    let (counted_ms, _) = medians(runs, counted, || async { Ok(()) }).await?;
    println!("| {backend} | the same counted from the appeals | | {counted_ms:.1} ms | |");

    // 500 appeals through the public form, each from its own family (address), and raw.
    let schools: Vec<i64> = {
        let sql = format!("SELECT id FROM org_units WHERE parent_id = {} ORDER BY id", district.id);
        db.query_all_raw(Statement::from_string(b, sql))
            .await?
            .iter()
            .map(|r| r.try_get_by_index::<i64>(0))
            .collect::<Result<_, _>>()?
    };
    let n = 500usize;
    let input = |i: usize| AppealInput {
        topic: if i.is_multiple_of(3) { "not_at_school" } else { "help_not_received" }.into(),
        school: schools[i % schools.len()].to_string(),
        anonymous: i.is_multiple_of(2),
        applicant_name: if i.is_multiple_of(2) { String::new() } else { format!("Заявитель {i}") },
        phone: if i.is_multiple_of(2) { String::new() } else { format!("+7 701 {:03} {:02} 67", i % 1000, i % 97) },
        text: format!("Ребёнок не получил помощь, обращение {i}"),
        ..Default::default()
    };
    let run_id = chrono::Utc::now().timestamp_micros() % 1_000_000_000_000;
    let started = Instant::now();
    for i in 0..n {
        let key = format!("00000000-0000-4000-b000-{:012}", (run_id + i as i64) % 1_000_000_000_000);
        let addr = format!("172.{}.{}.{}", i % 200, (run_id / 7) % 250, i / 200);
        app::appeals::file(&core, &input(i), Channel::Qr, &key, &addr, "kk").await.map_err(err)?;
    }
    let filed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let ts = if b == sea_orm::DatabaseBackend::Postgres { "now()" } else { "'2026-09-01 10:00:00+00:00'" };
    let path = db
        .query_one_raw(Statement::from_string(b, format!("SELECT path FROM org_units WHERE id = {}", schools[0])))
        .await?
        .map(|r| r.try_get_by_index::<String>(0))
        .transpose()?
        .unwrap_or_default();
    let (region_id, district_id, school_id) = db::scope::levels(&path);
    let started = Instant::now();
    for i in 0..n {
        let sql = format!(
            "INSERT INTO appeals (code, channel, topic, status, anonymous, body, about_school_id, unit_id, unit_path, \
             region_id, district_id, school_id, received_at, received_on, term_from, warn_on, due_on, client_key, \
             client_addr, locale, updated_at) VALUES ('RAW{:09}', 'qr', 'help_not_received', 'registered', 1, \
             'Ребёнок не получил помощь', {s}, {s}, '{path}', {}, {}, {}, {ts}, '{today}', '{today}', '{today}', \
             '{today}', 'raw-{run_id}-{i}', '10.0.0.1', 'kk', {ts})",
            (run_id + i as i64) % 1_000_000_000,
            region_id.unwrap_or_default(),
            district_id.unwrap_or_default(),
            school_id.unwrap_or_default(),
            s = schools[0],
        );
        let txn = db::write_txn(db).await?;
        txn.execute_raw(Statement::from_string(b, sql)).await?;
        txn.commit().await?;
    }
    let raw_ms = started.elapsed().as_secs_f64() * 1000.0;
    println!(
        "| {backend} | 500 appeals filed through the public form | {raw_ms:.0} ms raw | {filed_ms:.0} ms | rate {:.2} of raw |",
        raw_ms / filed_ms
    );

    // The terms of a year of appeals: the calendar read once, each appeal's last day and warning.
    let started = Instant::now();
    let first = year.from;
    let cal = db::appeals::work_calendar(db, first, year.to + Days::new(db::appeals::CALENDAR_REACH_DAYS)).await?;
    let mut last = first;
    for i in 0..A_YEAR {
        let day = first + Days::new((i * 365 / A_YEAR) as u64);
        let t = domain::appeal::term(&cal, day, domain::appeal::TERM_DAYS);
        last = last.max(t.due_on);
    }
    let terms_ms = started.elapsed().as_secs_f64() * 1000.0;
    println!(
        "| {backend} | terms of a year of appeals ({A_YEAR}, the last due {}.{}) | | {terms_ms:.0} ms | |",
        last.day(),
        last.month()
    );
    Ok(())
}
