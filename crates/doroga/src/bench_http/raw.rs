//! The raw side of each case: the same SQL through pgbench on PostgreSQL, through tasks on the
//! same pool on SQLite.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use db::Db;
use db::entity::{child, org_unit};
use domain::CampaignId;
use sea_orm::{ConnectionTrait, EntityTrait, IdenStatic, Iterable, Statement};

/// A statement of a raw script: SQL with `:id` (a random id of the range) and `:k` (the text
/// the statement before read into `k`).
pub(super) struct Step {
    pub(super) sql: String,
    /// Reads its first column into `k`.
    pub(super) sets_k: bool,
}

/// The raw work of a case: its statements, the range of `:id`, and whether it writes (then it
/// runs in one transaction, as the use case does).
pub(super) struct Raw {
    pub(super) steps: Vec<Step>,
    pub(super) range: (i64, i64),
    pub(super) write: bool,
}

/// pgbench's transactions per second over the steps on `url`.
pub(super) fn pgbench(url: &str, raw: &Raw, connections: usize, seconds: u64) -> Result<f64> {
    let mut script = format!("\\set id random({}, {})\n", raw.range.0, raw.range.1);
    if raw.write {
        script.push_str("BEGIN;\n");
    }
    for s in &raw.steps {
        script.push_str(&if s.sets_k { format!("{} \\gset\n", s.sql) } else { format!("{};\n", s.sql) });
    }
    if raw.write {
        script.push_str("COMMIT;\n");
    }
    let file = tempfile::Builder::new().suffix(".sql").tempfile()?;
    std::fs::write(file.path(), &script)?;
    let out = Command::new("pgbench")
        .args(["-n", "-M", "prepared", "-c", &connections.to_string(), "-j", "2", "-T", &seconds.to_string(), "-f"])
        .arg(file.path())
        .arg(url)
        .output()
        .context("running pgbench")?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    text.lines()
        .find_map(|l| l.strip_prefix("tps = ").and_then(|r| r.split_whitespace().next()).and_then(|v| v.parse().ok()))
        .ok_or_else(|| anyhow!("pgbench said:\n{script}\n{text}"))
}

/// The same steps run by `connections` tasks on the pool for `seconds`: transactions per second.
pub(super) async fn sqlite_loop(db: &Db, raw: &Raw, connections: usize, seconds: u64) -> Result<f64> {
    let (steps, range) = (&raw.steps, raw.range);
    let until = Instant::now() + Duration::from_secs(seconds);
    let runs = (0..connections).map(|task| async move {
        // Seeded afresh each run: a run's raw inserts must not meet the IINs of the run before.
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        let mut state = 0x9E37_79B9_7F4A_7C15_u64 ^ (task as u64 + 1) ^ u64::from(now.subsec_nanos()) ^ now.as_secs();
        let mut done = 0_u64;
        while Instant::now() < until {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let id = range.0 + (state % (range.1 - range.0 + 1) as u64) as i64;
            let mut k = String::new();
            let txn = if raw.write { Some(db::write_txn(db).await?) } else { None };
            for s in steps {
                let mut values: Vec<sea_orm::Value> = Vec::new();
                let mut sql = String::new();
                let mut rest = s.sql.as_str();
                while let Some(at) = rest.find(':') {
                    sql.push_str(&rest[..at]);
                    let name = rest[at + 1..].chars().next();
                    match name {
                        Some('i') if rest[at + 1..].starts_with("id") => {
                            values.push(id.into());
                            rest = &rest[at + 3..];
                        }
                        Some('k') => {
                            values.push(k.clone().into());
                            rest = &rest[at + 2..];
                        }
                        _ => {
                            sql.push(':');
                            rest = &rest[at + 1..];
                            continue;
                        }
                    }
                    sql.push('?');
                }
                sql.push_str(rest);
                let statement = Statement::from_sql_and_values(db.get_database_backend(), sql, values);
                let rows = match &txn {
                    Some(txn) => txn.query_all_raw(statement).await?,
                    None => db.query_all_raw(statement).await?,
                };
                if s.sets_k
                    && let Some(r) = rows.first()
                {
                    k = r
                        .try_get_by_index::<String>(0)
                        .or_else(|_| r.try_get_by_index::<i64>(0).map(|n| n.to_string()))?;
                }
            }
            if let Some(txn) = txn {
                txn.commit().await?;
            }
            done += 1;
        }
        Ok::<u64, anyhow::Error>(done)
    });
    let total: u64 = futures::future::try_join_all(runs).await?.into_iter().sum();
    Ok(total as f64 / seconds as f64)
}

/// The list's page after a child (its key read by the same statement) and the total, as
/// `db::children::list` sends them for a coordinator of `unit`.
pub(super) fn list_steps(campaign: i64, unit: &org_unit::Model) -> Result<Vec<Step>> {
    let (level, id) = db::scope::level_of(&unit.path).ok_or_else(|| anyhow!("the republic has no level column"))?;
    let path = db::scope::path_under("unit_path", &unit.path);
    let columns: Vec<String> =
        <child::Entity as EntityTrait>::Column::iter().map(|c| format!("\"{}\"", c.as_str())).collect();
    Ok(vec![
        Step {
            sql: format!(
                "SELECT {} FROM children WHERE campaign_id = {campaign} AND {level} = {id} \
                 AND (search_key, id) > (SELECT search_key, id FROM children WHERE id = :id AND campaign_id = {campaign} \
                 AND {path}) ORDER BY search_key, id LIMIT 51",
                columns.join(", ")
            ),
            sets_k: false,
        },
        Step { sql: db::reports::children_in_sql(CampaignId(campaign), &unit.path), sets_k: false },
    ])
}

/// The five inserts of a new child with a category and a need, its status and its audit entry,
/// with the same triggers, in one transaction.
pub(super) fn insert_steps(campaign: i64, school: &org_unit::Model) -> Vec<Step> {
    let now = "'2026-08-01 10:00:00+00:00'";
    let snapshot = "x".repeat(1_500);
    let step = |sql: String, sets_k: bool| Step { sql, sets_k };
    vec![
        step(
            format!(
                "INSERT INTO children (campaign_id, iin, surname, first_name, birth_date, sex, school_id, unit_path, grade, \
                 study_language, categories, guardian_name, consent_by, consent_method, consent_date, source, status, \
                 search_key, needs_cost, created_at, updated_at) VALUES ({campaign}, CAST(:id AS VARCHAR(12)), 'Нагрузова', \
                 'Айгерим', '2014-03-01', 'female', {}, '{}', 5, 'kk', 'asp', 'Нагрузова Сауле', 'parent', 'written', \
                 '2026-08-01', 'school_list', 'identified', 'нагрузова айгерим', 800000, {now}, {now}) RETURNING id AS k",
                school.id, school.path
            ),
            true,
        ),
        step("INSERT INTO child_categories (child_id, category) VALUES (:k, 'asp')".into(), false),
        step(
            "INSERT INTO child_needs (child_id, item, size, quantity, cost) VALUES (:k, 'backpack', NULL, 1, 800000) \
             RETURNING id"
                .into(),
            false,
        ),
        step(
            format!(
                "INSERT INTO child_status_history (child_id, from_status, to_status, reason, actor_id, actor_login, at) \
                 VALUES (:k, NULL, 'identified', NULL, NULL, 'bench', {now})"
            ),
            false,
        ),
        step(
            format!(
                "INSERT INTO audit_log (at, actor_id, actor_login, action, entity, entity_id, unit_path, before, after) \
                 VALUES ({now}, NULL, 'bench', 'create', 'child', :k, '{}', NULL, '{snapshot}')",
                school.path
            ),
            false,
        ),
    ]
}
