//! `doroga bench reports`, the half that keeps children in school: the raids' and the pupils-out
//! figures of the republic against the same statements run raw, and 500 findings made offline
//! sent as the phone sends them (one sync batch), against 500 inserts of the same rows run raw.

use std::time::Instant;

use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use db::Db;
use db::entity::{campaign, org_unit};
use db::reports::Period;
use domain::raid::FindingInput;
use domain::{Actor, OrgUnitId};
use sea_orm::{ConnectionTrait, Statement};

use crate::bench_reports::medians;

/// Prints the figures of one database.
pub async fn run(
    db: &Db,
    backend: &str,
    actor: &Actor,
    c: &campaign::Model,
    republic: &org_unit::Model,
    school: &org_unit::Model,
    runs: usize,
) -> Result<()> {
    let whole = db::org::scoped(db, actor, OrgUnitId(republic.id)).await.map_err(|e| anyhow!("{e}"))?;
    let period = Period::default();
    let sept = NaiveDate::from_ymd_opt(c.year, 9, 1).unwrap_or(c.starts_on);
    let today = domain::calendar::today();
    let b = db.get_database_backend();
    // The report reads the running totals by day: the same statements run raw.
    let raw = || async {
        use db::totals::field::{Units, statement};
        let mut n = 0;
        let [_, overdue] = db::attendance::count_statements(c.id, &republic.path, period, sept, today);
        let read = [
            statement(c.id, Units::Of(republic.id), &db::raids::METRICS, period, None),
            statement(c.id, Units::Of(republic.id), &db::attendance::METRICS, period, Some(sept)),
            overdue,
        ];
        for s in read {
            n += db.query_all(&s).await?.len();
        }
        Ok::<_, anyhow::Error>(n)
    };
    let figures = || async {
        let raids = db::raids::stats(db, c.id, &whole, period).await?;
        let out = db::attendance::for_report(db, c, &whole, period).await?;
        Ok::<_, anyhow::Error>((raids, out))
    };
    let (raw_ms, ms) = medians(runs, raw, figures).await?;
    let (raids, out) = figures().await?;
    println!(
        "| {backend} | republic raids and pupils out ({} raids, {} found, {} pupils out) | {raw_ms:.1} ms | {ms:.1} ms | {:.2} |",
        raids.raids,
        raids.findings,
        out.pupils,
        ms / raw_ms
    );
    // The same figures counted from the records (what the report read before the totals).
    let records = || async {
        let raids = db::raids::count(db, c.id, &whole, period).await?;
        let out = db::attendance::count(db, c.id, &whole, period, sept, today).await?;
        Ok::<_, anyhow::Error>((raids, out))
    };
    let (_, records_ms) = medians(runs, raw, records).await?;
    let (counted, _) = records().await?;
    anyhow::ensure!(counted == raids, "the totals hold the records' figures: {counted:?} against {raids:?}");
    println!("| {backend} | the same counted from the records | | {records_ms:.1} ms | |");

    // 500 findings made offline, sent when the connection returns.
    let fields = domain::raid::RaidInput {
        date: sept.format("%d.%m.%Y").to_string(),
        starts_at: "19:00".into(),
        places: vec![domain::raid::PlaceInput { kind: "market".into(), address: "Рынок".into() }],
        participants: vec![],
        note: String::new(),
    }
    .parse()
    .map_err(|e| anyhow!("{e:?}"))?;
    let r = db::raids::create(db, actor, c, OrgUnitId(school.id), &fields, &[]).await.map_err(|e| anyhow!("{e}"))?;
    let items: Vec<app::raids::SyncItem> = (0..app::raids::SYNC_MAX)
        .map(|i| app::raids::SyncItem {
            raid_id: r.id,
            base_version: None,
            finding: FindingInput {
                client_id: domain::raid::new_client_id(),
                sex: if i % 2 == 0 { "male" } else { "female" }.into(),
                age: "12".into(),
                place: "market".into(),
                found_at: "20:00".into(),
                action: "taken_home".into(),
                ..Default::default()
            },
        })
        .collect();
    let core = app::Core::new(db.clone()).map_err(|e| anyhow!("{e}"))?;
    let started = Instant::now();
    let done = app::raids::sync(&core, actor, &items, today).await.map_err(|e| anyhow!("{e}"))?;
    let sync_ms = started.elapsed().as_secs_f64() * 1000.0;
    let saved = done.iter().filter(|d| matches!(d, app::raids::Synced::Saved(_))).count();
    // The same once more: every one of them is already held, nothing is added.
    let started = Instant::now();
    app::raids::sync(&core, actor, &items, today).await.map_err(|e| anyhow!("{e}"))?;
    let again_ms = started.elapsed().as_secs_f64() * 1000.0;
    // Raw: the same 500 rows inserted one transaction each.
    let ts = if b == sea_orm::DatabaseBackend::Postgres { "now()" } else { "'2026-09-01 20:00:00+00:00'" };
    let started = Instant::now();
    for i in 0..app::raids::SYNC_MAX {
        let sql = format!(
            "INSERT INTO raid_findings (raid_id, campaign_id, unit_path, client_id, sex, age, place, found_at, action, \
             created_by, created_at, updated_by, updated_at, version) VALUES ({}, {}, '{}', 'raw-{i:032}', 'male', 12, \
             'market', '20:00', 'taken_home', {}, {ts}, {}, {ts}, 1)",
            r.id, c.id, r.unit_path, actor.user_id.0, actor.user_id.0
        );
        let txn = db::write_txn(db).await?;
        txn.execute_raw(Statement::from_string(b, sql)).await?;
        txn.commit().await?;
    }
    let raw_ms = started.elapsed().as_secs_f64() * 1000.0;
    println!(
        "| {backend} | sync of 500 findings made offline ({saved} saved) | {raw_ms:.0} ms raw | {sync_ms:.0} ms | {:.2} | sent again: {again_ms:.0} ms |",
        sync_ms / raw_ms
    );
    Ok(())
}
