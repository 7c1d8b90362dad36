//! `doroga bench reports`: loads the national data set into a database of its own, then times
//! the school, district, region and republic reports against the same aggregate SQL run raw on
//! the same database in the same run (the same statements, run the same way: concurrently on
//! the pool), and the republic report written as Excel, PDF and Word, with peak memory.

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use db::Db;
use db::entity::org_unit;
use db::reports::Period;
use domain::{Actor, OrgUnitId, Scope};
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Statement};

use crate::bench::{drop_scratch, peak_mib, reset_peak, scratch};

/// Median of `runs` timings of `f` after one warm-up, milliseconds.
async fn median_ms<F, Fut, T>(runs: usize, mut f: F) -> Result<f64>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    f().await?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f().await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

/// The statements, fetched whole, concurrently — what the report runs, without the report.
async fn raw(db: &Db, statements: Vec<Statement>) -> Result<usize> {
    let rows = futures::future::try_join_all(statements.into_iter().map(|s| db.query_all_raw(s))).await?;
    Ok(rows.iter().map(Vec::len).sum())
}

/// Runs the benchmark on `backend` at `fraction` of the national scale.
pub async fn reports(backend: &str, pg_url: &str, fraction: f64, runs: usize) -> Result<()> {
    let s = scratch(backend, pg_url).await?;
    let result = run(backend, &s.url, fraction, runs).await;
    drop_scratch(s).await?;
    result
}

async fn run(backend: &str, url: &str, fraction: f64, runs: usize) -> Result<()> {
    let db = db::connect(url, 8).await?;
    db::migrate(&db).await?;
    reset_peak();
    let scale = db::national::Scale::NATIONAL.times(fraction);
    let loaded = db::national::load(&db, scale).await.map_err(|e| anyhow!("{e}"))?;
    println!(
        "{backend}: generated {} districts, {} schools, {} children, {} ledger entries, {} items in {:.1} s (peak RSS {:.0} MiB)",
        loaded.districts,
        loaded.schools,
        loaded.children,
        loaded.entries,
        loaded.items,
        loaded.seconds,
        peak_mib()
    );
    let c = db::campaigns::current(&db).await?.context("campaign")?;
    let republic = db::org::republic(&db).await?.context("republic")?;
    let loader = db::users::by_login(&db, "national-loader").await?.context("loader")?;
    let actor = Actor {
        user_id: domain::UserId(loader.user.id),
        login: loader.user.login.clone(),
        role: domain::Role::RepublicCoordinator,
        scope: Scope::new(OrgUnitId(republic.id), republic.path.clone()),
    };
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
    let period = Period::default();
    let b = db.get_database_backend();
    println!("| {backend} | level | raw SQL (median of {runs}) | report | report / raw | rows read |");
    for (level, unit) in [("school", &school), ("district", &district), ("region", &region), ("republic", &republic)] {
        let (raw_ms, report_ms, rows);
        if level == "school" {
            let statements = || {
                let mut s = db::reports::statements(b, c.id, &unit.path, period);
                s.extend(db::reports::school_statements(b, c.id, unit.id, period));
                s
            };
            rows = raw(&db, statements()).await?;
            raw_ms = median_ms(runs, || raw(&db, statements())).await?;
            report_ms = median_ms(runs, || async {
                db::reports::school(&db, &actor, &c, Some(OrgUnitId(unit.id)), period).await.map_err(|e| anyhow!("{e}"))
            })
            .await?;
        } else {
            rows = raw(&db, db::reports::statements(b, c.id, &unit.path, period)).await?;
            raw_ms = median_ms(runs, || raw(&db, db::reports::statements(b, c.id, &unit.path, period))).await?;
            report_ms = median_ms(runs, || async {
                db::reports::consolidated(&db, &actor, &c, Some(OrgUnitId(unit.id)), period)
                    .await
                    .map_err(|e| anyhow!("{e}"))
            })
            .await?;
        }
        println!("| {backend} | {level} | {raw_ms:.1} ms | {report_ms:.1} ms | {:.2} | {rows} |", report_ms / raw_ms);
    }
    // The republic report as files, from the same model as the page.
    let catalog = Arc::new(web::Catalog::load().map_err(anyhow::Error::msg)?);
    let t = web::I18n::new(catalog, domain::Locale::Ru);
    reset_peak();
    let r = db::reports::consolidated(&db, &actor, &c, None, period).await.map_err(|e| anyhow!("{e}"))?;
    let report = web::report_doc::consolidated(&t, &r, |_| None);
    for format in ["xlsx", "pdf", "docx"] {
        let started = Instant::now();
        let bytes = match format {
            "xlsx" => report.to_xlsx(&t).map_err(|e| anyhow!("{e}"))?,
            "pdf" => report.to_pdf(&t).await.map_err(|e| anyhow!("{e}"))?,
            _ => report.to_docx(&t).map_err(|e| anyhow!("{e}"))?,
        };
        println!(
            "{backend}: republic report as {format}: {:.0} ms, {} KiB",
            started.elapsed().as_secs_f64() * 1000.0,
            bytes.len() / 1024
        );
    }
    println!("{backend}: peak RSS while reporting and writing files: {:.0} MiB", peak_mib());
    Ok(())
}
