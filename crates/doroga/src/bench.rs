//! `doroga bench import`: generates a children file, imports it through the real import path,
//! and in the same run inserts the same rows raw (batched, one transaction, no checks) into the
//! same database, so the two rates can be compared on a noisy shared machine. Then it imports
//! a corrected file over the first one (the same children, every one's needs changed), which
//! updates every record instead of adding it.

use std::io::Write;
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use chrono::{Datelike, NaiveDate, Utc};
use db::Db;
use db::entity::{child, child_category, child_need, child_status};
use domain::child::CampaignInput;
use domain::org::OrgUnitFields;
use domain::user::NewUser;
use domain::{OrgUnitId, Role, SchoolLanguage};
use sea_orm::{ActiveValue::Set, ConnectionTrait, Database, EntityTrait};

/// One generated child: the columns of the file.
struct Row {
    iin: String,
    surname: String,
    first_name: String,
    birth: NaiveDate,
    female: bool,
    grade: i16,
    category: &'static str,
}

const SURNAMES: [&str; 8] =
    ["Ахметова", "Бекова", "Жумабаева", "Ким", "Нұрланова", "Оспанова", "Сейткали", "Құрманғазы"];
const NAMES: [&str; 8] = ["Айгерим", "Мария", "Аружан", "Томирис", "Амина", "Іңкәр", "Дана", "Әлия"];
const CATEGORIES: [(&str, &str); 4] = [
    ("asp", "АСП"),
    ("large_family", "Многодетная семья"),
    ("orphan", "Ребёнок-сирота"),
    ("low_income", "малообеспеченные"),
];

/// The `i`-th child: a unique valid IIN (girls born 2008–2019), names, grade, category.
fn row(i: usize) -> Row {
    let (iin, birth) = db::national::iin_for(i, true);
    let grade = (2019 - birth.year()).clamp(0, 11) as i16;
    Row {
        iin,
        surname: SURNAMES[i % 8].into(),
        first_name: NAMES[(i / 8) % 8].into(),
        birth,
        female: true,
        grade,
        category: CATEGORIES[i % 4].0,
    }
}

const HEADER: &str = "ИИН;Фамилия;Имя;Класс;Язык обучения;Категории;ФИО родителя или законного представителя;Телефон;Кто дал согласие;Как;Дата согласия;Рюкзак с принадлежностями, ₸;Школьная форма, ₸;Размер формы";

/// The file of `rows` children; `backpack` is each one's backpack cost in tenge (as typed, with
/// a space between thousands).
fn write_file(rows: usize, backpack: &str) -> Result<tempfile::TempPath> {
    let file = tempfile::NamedTempFile::new()?;
    let (file, path) = file.into_parts();
    let mut out = std::io::BufWriter::new(file);
    writeln!(out, "{HEADER}")?;
    for i in 0..rows {
        let r = row(i);
        let label = CATEGORIES.iter().find(|c| c.0 == r.category).map_or("", |c| c.1);
        writeln!(
            out,
            "{};{};{};{};Казахский;{label};{} (мать);+7 701 {:03} {:04};Родитель;Письменно;01.08.2026;{backpack};25 000;134",
            r.iin,
            r.surname,
            r.first_name,
            r.grade,
            r.surname,
            i % 1000,
            i % 10_000
        )?;
    }
    out.flush()?;
    Ok(path)
}

/// Peak resident memory since the last reset, in MiB (Linux).
/// The peak resident set since the last [`reset_peak`], MiB.
pub fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// Resets the peak resident set.
pub fn reset_peak() {
    // Writing 5 to clear_refs resets the peak resident set size (Linux ≥ 4.0).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The raw baseline: the same rows into the same tables, batched, one transaction, no checks.
async fn raw(db: &Db, rows: usize, campaign: i64, school: &db::entity::org_unit::Model, actor: i64) -> Result<()> {
    let txn = db::write_txn(db).await?;
    let now = Utc::now();
    for start in (0..rows).step_by(db::child_import::BATCH) {
        let batch: Vec<Row> = (start..(start + db::child_import::BATCH).min(rows)).map(row).collect();
        let models = batch.iter().map(|r| child::ActiveModel {
            campaign_id: Set(campaign),
            iin: Set(r.iin.clone()),
            surname: Set(r.surname.clone()),
            first_name: Set(r.first_name.clone()),
            patronymic: Set(None),
            birth_date: Set(r.birth),
            sex: Set(if r.female { "female" } else { "male" }.into()),
            school_id: Set(school.id),
            unit_path: Set(school.path.clone()),
            grade: Set(r.grade),
            study_language: Set("kk".into()),
            categories: Set(r.category.into()),
            decision_no: Set(None),
            decision_date: Set(None),
            guardian_name: Set(format!("{} (мать)", r.surname)),
            guardian_relation: Set(None),
            guardian_phone: Set(Some("+77010000000".into())),
            address: Set(None),
            settlement: Set(None),
            family_children: Set(None),
            consent_by: Set("parent".into()),
            consent_method: Set("written".into()),
            consent_date: Set(NaiveDate::from_ymd_opt(2026, 8, 1).unwrap_or_default()),
            source: Set("school_list".into()),
            status: Set("identified".into()),
            status_reason: Set(None),
            search_key: Set(db::org::fold(&format!("{} {} {}", r.surname, r.first_name, r.iin))),
            needs_cost: Set(7_000_000),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        let inserted = child::Entity::insert_many(models).exec_with_returning(&txn).await?;
        let categories = inserted
            .iter()
            .map(|m| child_category::ActiveModel { child_id: Set(m.id), category: Set(m.categories.clone()) });
        child_category::Entity::insert_many(categories).exec_without_returning(&txn).await?;
        let needs = inserted.iter().flat_map(|m| {
            [("backpack", None, 4_500_000), ("uniform", Some("134".to_owned()), 2_500_000)].map(|(item, size, cost)| {
                child_need::ActiveModel {
                    child_id: Set(m.id),
                    item: Set(item.into()),
                    size: Set(size),
                    quantity: Set(1),
                    cost: Set(cost),
                    ..Default::default()
                }
            })
        });
        child_need::Entity::insert_many(needs).exec_without_returning(&txn).await?;
        let history = inserted.iter().map(|m| child_status::ActiveModel {
            child_id: Set(m.id),
            from_status: Set(None),
            to_status: Set("identified".into()),
            reason: Set(None),
            actor_id: Set(Some(actor)),
            actor_login: Set("bench".into()),
            at: Set(now),
            ..Default::default()
        });
        child_status::Entity::insert_many(history).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn campaign(db: &Db, year: i32) -> Result<db::entity::campaign::Model> {
    let input = CampaignInput {
        year: year.to_string(),
        starts_on: format!("01.08.{year}"),
        ends_on: format!("30.09.{year}"),
        motto_ru: "bench".into(),
        motto_kk: "bench".into(),
        default_norm: "46 228".into(),
    };
    let fields = input.parse().map_err(|e| anyhow!("{e:?}"))?;
    db::campaigns::create(db, None, &fields).await.map_err(|e| anyhow!("{e:?}"))
}

/// A database of the benchmark's own: a file in a temporary directory, or a new PostgreSQL
/// database on the server at `pg_url` (drop it with [`drop_scratch`]).
pub struct Scratch {
    /// Its URL.
    pub url: String,
    pg_name: Option<String>,
    pg_url: String,
    _dir: tempfile::TempDir,
}

/// Creates a scratch database.
pub async fn scratch(backend: &str, pg_url: &str) -> Result<Scratch> {
    let dir = tempfile::tempdir()?;
    let (url, pg_name) = match backend {
        "sqlite" => (format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display()), None),
        "postgres" => {
            let name = format!("doroga_bench_{}", std::process::id());
            let admin =
                Database::connect(format!("{pg_url}/postgres")).await.context("PostgreSQL for the benchmark")?;
            admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await?;
            (format!("{pg_url}/{name}"), Some(name))
        }
        other => return Err(anyhow!("unknown backend {other}: sqlite or postgres")),
    };
    Ok(Scratch { url, pg_name, pg_url: pg_url.to_owned(), _dir: dir })
}

/// Drops a scratch database (a SQLite file goes with its directory).
pub async fn drop_scratch(s: Scratch) -> Result<()> {
    if let Some(name) = &s.pg_name {
        let admin = Database::connect(format!("{}/postgres", s.pg_url)).await?;
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await?;
    }
    Ok(())
}

/// Where the benchmark imports its files.
struct Target<'a> {
    db: &'a Db,
    core: &'a app::Core,
    actor: &'a domain::Actor,
    campaign: &'a db::entity::campaign::Model,
    school: &'a db::entity::org_unit::Model,
}

impl Target<'_> {
    /// Imports the file through the real import path: what it did, the seconds and the peak MiB.
    async fn import(&self, path: &std::path::Path, name: &str) -> Result<(app::child_import::Summary, f64, f64)> {
        let job = db::child_import::create_job(
            self.db,
            self.actor,
            OrgUnitId(self.school.id),
            domain::CampaignId(self.campaign.id),
            name,
            "bench",
        )
        .await?;
        reset_peak();
        let started = Instant::now();
        let summary =
            app::child_import::import(self.core, self.actor, self.campaign, self.school, path, job.id).await.map_err(
                |(_, errors, n)| anyhow!("{name}: import refused the file: {n} errors, first {:?}", errors.first()),
            )?;
        Ok((summary, started.elapsed().as_secs_f64(), peak_mib()))
    }
}

/// Runs the import benchmark on a database of its own (created and dropped here).
pub async fn import(rows: usize, backend: &str, pg_url: &str) -> Result<()> {
    let s = scratch(backend, pg_url).await?;
    let result = run(rows, backend, &s.url).await;
    drop_scratch(s).await?;
    result
}

async fn run(rows: usize, backend: &str, url: &str) -> Result<()> {
    let db = db::connect(url, 8).await?;
    db::migrate(&db).await?;
    let region = db::org::region_by_code(&db, "KZ-35").await?.context("region")?;
    let district_fields = OrgUnitFields {
        code: None,
        name_ru: "Бенч".into(),
        name_kk: "Бенч".into(),
        settlement: None,
        is_rural: None,
        language: None,
    };
    let district = db::org::ensure_child_system(&db, OrgUnitId(region.id), &district_fields)
        .await
        .map_err(|e| anyhow!("{e:?}"))?;
    let school_fields = OrgUnitFields {
        code: Some("1".into()),
        name_ru: "Школа".into(),
        name_kk: "Мектеп".into(),
        settlement: Some("Балхаш".into()),
        is_rural: Some(false),
        language: Some(SchoolLanguage::Kk),
    };
    let school = db::org::ensure_child_system(&db, OrgUnitId(district.id), &school_fields)
        .await
        .map_err(|e| anyhow!("{e:?}"))?;
    let user =
        NewUser { login: "bench".into(), full_name: "Bench".into(), role: Role::SchoolCoordinator, unit_id: school.id };
    let hash = domain::password::hash("bench-password-1")?;
    let created = db::users::create_system(&db, &user, &hash, false).await.map_err(|e| anyhow!("{e:?}"))?;
    let actor = db::users::by_id(&db, domain::UserId(created.id)).await?.context("bench user")?.actor();
    let raw_campaign = campaign(&db, 2098).await?;
    let import_campaign = campaign(&db, 2099).await?;

    let started = Instant::now();
    let path = write_file(rows, "45 000")?;
    let size = std::fs::metadata(&path)?.len();
    println!(
        "{backend}: generated {rows} rows, {:.1} MiB, in {:.2} s",
        size as f64 / 1048576.0,
        started.elapsed().as_secs_f64()
    );

    reset_peak();
    let started = Instant::now();
    raw(&db, rows, raw_campaign.id, &school, created.id).await?;
    let raw_secs = started.elapsed().as_secs_f64();
    let raw_peak = peak_mib();

    let core = app::Core::new(db.clone()).map_err(|e| anyhow!("{e}"))?;
    let into = Target { db: &db, core: &core, actor: &actor, campaign: &import_campaign, school: &school };
    let (summary, import_secs, import_peak) = into.import(&path, "bench.csv").await?;
    if summary.created != rows {
        return Err(anyhow!("imported {} of {rows} rows", summary.created));
    }
    let raw_rate = rows as f64 / raw_secs;
    let import_rate = rows as f64 / import_secs;
    println!(
        "{backend}: raw batched insert  {rows} rows in {raw_secs:>6.2} s = {raw_rate:>8.0} rows/s, peak RSS {raw_peak:.0} MiB"
    );
    println!(
        "{backend}: import (check+write) {rows} rows in {import_secs:>6.2} s = {import_rate:>8.0} rows/s, peak RSS {import_peak:.0} MiB"
    );
    println!("{backend}: import / raw = {:.2}", import_rate / raw_rate);

    // The corrected list: the same children, each one's needs changed.
    let corrected = write_file(rows, "47 500")?;
    let (summary, again_secs, again_peak) = into.import(&corrected, "bench-corrected.csv").await?;
    if summary.updated != rows {
        return Err(anyhow!("re-import updated {} of {rows} rows", summary.updated));
    }
    let needs: Option<i64> = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT amount FROM report_totals WHERE campaign_id = {} AND school_id = {} AND metric = 'needs'",
                import_campaign.id, school.id
            ),
        ))
        .await?
        .map(|r| r.try_get_by_index(0))
        .transpose()?;
    if needs != Some(rows as i64 * (47_500 + 25_000) * 100) {
        return Err(anyhow!("the report totals hold needs of {needs:?} after the re-import"));
    }
    println!(
        "{backend}: re-import, every child's needs changed, {rows} rows in {again_secs:>6.2} s = {:>8.0} rows/s, peak RSS {again_peak:.0} MiB",
        rows as f64 / again_secs
    );
    Ok(())
}
