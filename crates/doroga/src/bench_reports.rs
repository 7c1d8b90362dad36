//! `doroga bench reports`: loads the national data set into a database of its own, then times
//! the school, district, region and republic reports against the same SQL run raw on the same
//! database in the same run (the same statements, run the same way: concurrently on the pool),
//! for the whole campaign (read from the running totals) and for a period (aggregated from the
//! ledger), and the republic report written as Excel, PDF and Word, with peak memory.

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use db::Db;
use db::entity::org_unit;
use db::reports::Period;
use domain::{Actor, OrgUnitId, Scope};
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Statement};

use crate::bench::{drop_scratch, peak_mib, reset_peak, scratch};

/// Medians of `runs` timings of `a` and of `b`, run in turn (after one warm-up each) so that
/// both see the same cache and the same neighbours, milliseconds.
pub(crate) async fn medians<A, FA, B, FB, TA, TB>(runs: usize, mut a: A, mut b: B) -> Result<(f64, f64)>
where
    A: FnMut() -> FA,
    FA: std::future::Future<Output = Result<TA>>,
    B: FnMut() -> FB,
    FB: std::future::Future<Output = Result<TB>>,
{
    a().await?;
    b().await?;
    let (mut ta, mut tb) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for _ in 0..runs {
        let started = Instant::now();
        a().await?;
        ta.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        b().await?;
        tb.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    ta.sort_by(f64::total_cmp);
    tb.sort_by(f64::total_cmp);
    Ok((ta[runs / 2], tb[runs / 2]))
}

/// The statements, fetched whole, concurrently — what the report runs, without the report.
async fn raw(db: &Db, statements: Vec<Statement>) -> Result<usize> {
    let rows = futures::future::try_join_all(statements.into_iter().map(|s| db.query_all_raw(s))).await?;
    Ok(rows.iter().map(Vec::len).sum())
}

/// Runs the benchmark on `backend` at `fraction` of the national scale.
/// With `existing`, on a database already holding the national data set (nothing is loaded).
pub async fn reports(backend: &str, pg_url: &str, fraction: f64, runs: usize, existing: Option<&str>) -> Result<()> {
    if let Some(url) = existing {
        return run(backend, url, None, runs).await;
    }
    let s = scratch(backend, pg_url).await?;
    let result = run(backend, &s.url, Some(fraction), runs).await;
    drop_scratch(s).await?;
    result
}

async fn run(backend: &str, url: &str, fraction: Option<f64>, runs: usize) -> Result<()> {
    let db = db::connect(url, 8).await?;
    db::migrate(&db).await?;
    reset_peak();
    if let Some(fraction) = fraction {
        load(&db, backend, fraction).await?;
    }
    if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        // Move the load out of the write-ahead log, as a running server's checkpoints would.
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await?;
    }
    let c = db::campaigns::current(&db).await?.context("campaign")?;
    let (republic, actor) = republic_actor(&db).await?;
    let region = db::org::region_by_code(&db, "KZ-61").await?.context("region")?;
    let district = org_unit::Entity::find()
        .filter(sea_orm::ColumnTrait::eq(&org_unit::Column::ParentId, region.id))
        .order_by_asc(org_unit::Column::Id)
        .one(&db)
        .await?
        .context("district")?;
    let school = org_unit::Entity::find()
        .filter(sea_orm::ColumnTrait::eq(&org_unit::Column::ParentId, district.id))
        .order_by_asc(org_unit::Column::Id)
        .one(&db)
        .await?
        .context("school")?;
    let b = db.get_database_backend();
    // The whole campaign reads the running totals; a period (here the campaign's own dates, so
    // the same figures) the running totals by day.
    let dates = Period::new(Some(c.starts_on), Some(c.ends_on)).map_err(|e| anyhow!("{e:?}"))?;
    println!("| {backend} | level | period | raw SQL (median of {runs}) | report | report / raw | rows read raw |");
    let levels = [("school", &school), ("district", &district), ("region", &region), ("republic", &republic)];
    let asked = [("whole campaign", Period::default()), ("campaign's dates", dates)];
    for ((level, unit), (label, period)) in asked.iter().flat_map(|a| levels.iter().map(move |l| (*l, *a))) {
        let statements = |schools: Option<Vec<String>>| {
            let below = db::reports::Grouping::Below(&unit.path);
            let mut s = db::reports::statements(b, c.id, &unit.path, schools.as_deref(), period, below);
            if level == "school" {
                s.extend(db::reports::school_statements(b, c.id, &unit.path, period));
            }
            // The raids' and the pupils-out figures the report reads too.
            let today = domain::calendar::today();
            let sept = chrono::NaiveDate::from_ymd_opt(c.year, 9, 1).unwrap_or(c.starts_on);
            use db::totals::field::{Units, statement};
            let [_, overdue] = db::attendance::count_statements(c.id, &unit.path, period, sept, today);
            let mut read = vec![
                statement(c.id, Units::Of(unit.id), &db::raids::METRICS, period, None),
                statement(c.id, Units::Of(unit.id), &db::attendance::METRICS, period, Some(sept)),
                overdue,
            ];
            if level != "school" {
                read.push(statement(c.id, Units::Below(unit.id), &db::raids::METRICS, period, None));
                read.push(statement(c.id, Units::Below(unit.id), &db::attendance::METRICS, period, Some(sept)));
            }
            // And the appeals' totals by day and what is overdue.
            let days = db::reports::year_days(&c, period);
            read.push(db::appeals::report::totals_statement(Units::Of(unit.id), days));
            read.push(db::appeals::report::overdue_statement(&unit.path, days, today));
            if level != "school" {
                read.push(db::appeals::report::totals_statement(Units::Below(unit.id), days));
            }
            s.extend(read.iter().map(|q| b.build(q)));
            s
        };
        // The raw side looks up the schools too: the statements need their paths.
        let raw_run = || async {
            let schools = db::reports::school_paths(&db, &unit.path).await?;
            raw(&db, statements(schools)).await
        };
        let rows = raw_run().await?;
        let report = || async {
            if level == "school" {
                db::reports::school(&db, &actor, &c, Some(OrgUnitId(unit.id)), period).await.map(|_| ())
            } else {
                db::reports::consolidated(&db, &actor, &c, Some(OrgUnitId(unit.id)), period).await.map(|_| ())
            }
            .map_err(|e| anyhow!("{e}"))
        };
        let (raw_ms, report_ms) = medians(runs, raw_run, report).await?;
        let ratio = report_ms / raw_ms;
        println!("| {backend} | {level} | {label} | {raw_ms:.1} ms | {report_ms:.1} ms | {ratio:.2} | {rows} |");
    }
    // The dashboard's help by day over the republic, from the day totals.
    let whole = db::org::scoped(&db, &actor, OrgUnitId(republic.id)).await.map_err(|e| anyhow!("{e}"))?;
    let day_series = || async {
        db::reports::daily(&db, &c, &whole, Period::default()).await.map(|d| d.len()).map_err(anyhow::Error::from)
    };
    let (days_ms, _) = medians(runs, day_series, || async { Ok(()) }).await?;
    println!("{backend}: the dashboard's help by day for the republic (median of {runs}): {days_ms:.1} ms");
    crate::bench_field::run(&db, backend, &actor, &c, &republic, &school, runs).await?;
    crate::bench_appeals::run(&db, backend, &actor, &c, &republic, &district, runs).await?;
    // Peak memory of a fresh process that makes the republic report and writes it three ways.
    let out = std::process::Command::new(std::env::current_exe()?)
        .args(["bench", "report-memory", "--url", url])
        .output()
        .context("running the memory probe")?;
    if !out.status.success() {
        return Err(anyhow!("memory probe: {}", String::from_utf8_lossy(&out.stderr)));
    }
    print!("{}", String::from_utf8_lossy(&out.stdout).replace("probe:", &format!("{backend}:")));
    Ok(())
}

async fn load(db: &Db, backend: &str, fraction: f64) -> Result<()> {
    let scale = db::national::Scale::NATIONAL.times(fraction);
    let loaded = db::national::load(db, scale).await.map_err(|e| anyhow!("{e}"))?;
    println!(
        "{backend}: generated {} districts, {} schools, {} children, {} ledger entries, {} items, {} raids, {} children found, {} pupils out, {} steps, {} appeals, {} survey answers in {:.1} s (peak RSS {:.0} MiB)",
        loaded.districts,
        loaded.schools,
        loaded.children,
        loaded.entries,
        loaded.items,
        loaded.raids,
        loaded.findings,
        loaded.absences,
        loaded.steps,
        loaded.appeals,
        loaded.answers,
        loaded.seconds,
        peak_mib()
    );
    Ok(())
}

/// The republic and its coordinator (the loader's account, which never signs in).
async fn republic_actor(db: &Db) -> Result<(org_unit::Model, Actor)> {
    let republic = db::org::republic(db).await?.context("republic")?;
    let loader = db::users::by_login(db, "national-loader").await?.context("the national data set is not loaded")?;
    let actor = Actor {
        user_id: domain::UserId(loader.user.id),
        login: loader.user.login.clone(),
        role: domain::Role::RepublicCoordinator,
        scope: Scope::new(OrgUnitId(republic.id), republic.path.clone()),
    };
    Ok((republic, actor))
}

/// In a process of its own: the republic report and its three files, with the peak memory.
pub async fn memory_probe(url: &str) -> Result<()> {
    let db = db::connect(url, 8).await?;
    let c = db::campaigns::current(&db).await?.context("campaign")?;
    let (_, actor) = republic_actor(&db).await?;
    let period = Period::default();
    let before = peak_mib();
    // The republic report as files, from the same model as the page.
    let catalog = Arc::new(i18n::Catalog::load().map_err(anyhow::Error::msg)?);
    let t = i18n::I18n::new(catalog, domain::Locale::Ru);
    let r = db::reports::consolidated(&db, &actor, &c, None, period).await.map_err(|e| anyhow!("{e}"))?;
    let report = app::reports::document::consolidated(&t, &r, |_| None);
    for format in ["xlsx", "pdf", "docx"] {
        let started = Instant::now();
        let bytes = match format {
            "xlsx" => report.to_xlsx(&t).map_err(|e| anyhow!("{e}"))?,
            "pdf" => report.to_pdf(&t).map_err(|e| anyhow!("{e}"))?,
            _ => report.to_docx(&t).map_err(|e| anyhow!("{e}"))?,
        };
        println!(
            "probe: republic report as {format}: {:.0} ms, {} KiB",
            started.elapsed().as_secs_f64() * 1000.0,
            bytes.len() / 1024
        );
    }
    println!(
        "probe: peak RSS of a process that made the republic report and its three files: {:.0} MiB (at start {before:.0} MiB)",
        peak_mib()
    );
    Ok(())
}
