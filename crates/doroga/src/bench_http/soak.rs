//! `doroga bench soak`: minutes of mixed traffic on the server in this process (lists, cards,
//! aid, reports, the public page from wrk; an import through the API every 20 s from
//! curl), with the resident memory read every minute. Any non-2xx answer or failed import fails
//! the run; so does memory at the last minute more than 10 % above the first minute's.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

use super::{cast, id_range, wrk};

/// Resident memory of this process, MiB.
fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// What jemalloc holds, MiB: allocated by the program, and resident in jemalloc's pages. Every
/// allocation of the process goes through it, SQLite's C library's too (its page caches,
/// prepared statements and schemas).
fn heap_mib() -> (f64, f64) {
    use tikv_jemalloc_ctl::{epoch, stats};
    let mib = |b: usize| b as f64 / 1024.0 / 1024.0;
    let _ = epoch::advance();
    let allocated = stats::allocated::read().map_or(f64::NAN, mib);
    let resident = stats::resident::read().map_or(f64::NAN, mib);
    (allocated, resident)
}

/// A valid IIN of a child born on 1 March 2013 with serial `serial` (9000 and up: the national
/// data set and the HTTP benchmark never use them), if the serial has a check digit.
fn iin(serial: u32) -> Option<String> {
    let head = format!("1303016{serial:04}");
    let d: Vec<u32> = head.bytes().map(|b| u32::from(b - b'0')).collect();
    domain::iin::check_digit(&d).map(|c| format!("{head}{c}"))
}

/// A school's list of `rows` children, in the import's CSV form (the same list each time: a
/// re-import updates by IIN).
fn list_csv(rows: usize) -> String {
    let mut text = String::from(
        "ИИН;Фамилия;Имя;Класс;Язык обучения;Категории;ФИО родителя или законного представителя;\
         Кто дал согласие;Как;Дата согласия;Рюкзак с принадлежностями, ₸\n",
    );
    for id in (9000..10_000).filter_map(iin).take(rows) {
        text.push_str(&format!(
            "{id};Соакова;Дана;6;Казахский;Многодетная семья;Соакова Гүлнар;Родитель;Письменно;01.08.2026;20 000\n"
        ));
    }
    text
}

/// Imports `file` into `school` through the API and waits for the job; an error if it fails.
fn import(base: &str, token: &str, school: i64, file: &std::path::Path) -> Result<()> {
    let out = Command::new("curl")
        .args(["-sS", "-w", "\n%{http_code}", "-H", &format!("Authorization: Bearer {token}")])
        .args(["-F", &format!("school_id={school}"), "-F"])
        .arg(format!("file=@{};type=text/csv", file.display()))
        .arg(format!("{base}/api/v1/children/import"))
        .output()
        .context("running curl")?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, code) = text.rsplit_once('\n').unwrap_or((&text, ""));
    if code != "202" {
        bail!("an import was answered {code}: {body}");
    }
    let job: serde_json::Value = serde_json::from_str(body)?;
    let id = job["id"].as_i64().ok_or_else(|| anyhow!("no job in {body}"))?;
    for _ in 0..600 {
        std::thread::sleep(Duration::from_millis(100));
        let out = Command::new("curl")
            .args(["-sS", "-H", &format!("Authorization: Bearer {token}")])
            .arg(format!("{base}/api/v1/children/import/{id}"))
            .output()?;
        let job: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        match job["status"].as_str() {
            Some("done") => return Ok(()),
            Some("running") => {}
            _ => bail!("import {id} ended {job}"),
        }
    }
    bail!("import {id} did not end in a minute")
}

/// The wrk script: six kinds of request in turn, each as its user.
fn mixed(c: &super::Cast, district: (i64, i64), school: (i64, i64), district_id: i64, school_id: i64) -> String {
    let (d, s) = (&c.district.1, &c.school_with_children.1);
    format!(
        r#"math.randomseed(os.time())
local D = {{ ["Authorization"] = "Bearer {d}" }}
local S = {{ ["Authorization"] = "Bearer {s}", ["Content-Type"] = "application/json" }}
local aid = [[{{"source":"fair","form":"cash","amount":"100","date":"15.08.2026","delivered":true,"above_need_reason":"ярмарка, повторно"}}]]
local asks = {{
  function() return wrk.format("GET", "/api/v1/children?after=" .. math.random({dlo}, {dhi}), D) end,
  function() return wrk.format("GET", "/api/v1/children/" .. math.random({dlo}, {dhi}), D) end,
  function() return wrk.format("POST", "/api/v1/children/" .. math.random({slo}, {shi}) .. "/aid", S, aid) end,
  function() return wrk.format("GET", "/api/v1/reports/consolidated?unit={district_id}", D) end,
  function() return wrk.format("GET", "/api/v1/reports/school?unit={school_id}", S) end,
  function() return wrk.format("GET", "/public") end,
}}
local n = 0
request = function()
  n = n + 1
  return asks[n % #asks + 1]()
end"#,
        dlo = district.0,
        dhi = district.1,
        slo = school.0,
        shi = school.1,
    )
}

/// The soak on the database at `url`: `minutes` of traffic, memory each minute.
pub(super) async fn soak(url: &str, minutes: u64) -> Result<()> {
    let minutes = minutes.max(2);
    // Before the load, not after the minutes of imports alone.
    Command::new("wrk").arg("--version").output().context("running wrk (apt-get install wrk)")?;
    // The pool `doroga serve` opens (DOROGA_DB_MAX_CONNECTIONS, 8 unless set).
    let pool = std::env::var("DOROGA_DB_MAX_CONNECTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(8);
    let db = db::connect(url, pool).await?;
    db::migrate(&db).await?;
    let c = cast(&db).await?;
    // As `doroga serve` runs: imports through a pool of their own.
    let core = app::Core::new(db.clone()).map_err(|e| anyhow!("{e}"))?.with_bulk_pool(db::connect(url, 2).await?);
    let uploads = tempfile::tempdir()?;
    let config = web::WebConfig { upload_dir: uploads.path().to_owned(), ..Default::default() };
    let state = web::AppState::new(core, config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        axum::serve(listener, web::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>()).await
    });
    let campaign = c.campaign.id;
    let district = id_range(&db, campaign, &c.district.0.path).await?;
    let school = id_range(&db, campaign, &c.school_with_children.0.path).await?;
    let script =
        mixed(&c, (district.0, district.1), (school.0, school.1), c.district.0.id, c.school_with_children.0.id);
    let file = tempfile::Builder::new().suffix(".csv").tempfile()?;
    let list = list_csv(1_000);
    let rows = list.lines().count() - 1;
    std::fs::write(file.path(), list)?;
    let (import_token, import_school) = (c.school.1.clone(), c.school.0.id);
    println!("soak: {minutes} min of mixed traffic (16 connections) and an import of {rows} rows every 20 s");
    let load = {
        let (base, script) = (base.clone(), script.clone());
        tokio::task::spawn_blocking(move || wrk(&base, &script, 16, minutes * 60))
    };
    let started = Instant::now();
    let mut samples: Vec<f64> = Vec::new();
    let mut imports = 0;
    let mut next_import = Duration::ZERO;
    // A sample at the end of every minute, the last one as the traffic ends.
    while (samples.len() as u64) < minutes {
        let next_sample = Duration::from_secs(60 * (samples.len() as u64 + 1));
        if started.elapsed() >= next_sample {
            samples.push(rss_mib());
            let (allocated, resident) = heap_mib();
            println!(
                "minute {:>2}: resident {:.1} MiB (jemalloc: {allocated:.1} allocated, {resident:.1} resident), {imports} imports",
                samples.len(),
                samples[samples.len() - 1]
            );
        } else if started.elapsed() >= next_import && next_sample - started.elapsed() > Duration::from_secs(5) {
            let (base, token, path) = (base.clone(), import_token.clone(), file.path().to_owned());
            tokio::task::spawn_blocking(move || import(&base, &token, import_school, &path)).await??;
            imports += 1;
            next_import += Duration::from_secs(20);
        } else {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    let load = load.await??;
    let (first, last) = (samples[0], samples[samples.len() - 1]);
    println!(
        "| {:?} | {minutes} min | {:.0} req/s | p50 {:.1} ms | p99 {:.1} ms | 0 errors | {imports} imports | RSS min 1 {first:.1} MiB, min {} {last:.1} MiB ({:+.1} %) |",
        db.get_database_backend(),
        load.rps,
        load.p50_ms,
        load.p99_ms,
        samples.len(),
        (last / first - 1.0) * 100.0
    );
    if last > first * 1.10 {
        bail!("resident memory grew from {first:.1} MiB to {last:.1} MiB");
    }
    Ok(())
}
