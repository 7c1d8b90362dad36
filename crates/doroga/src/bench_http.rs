//! `doroga bench http`: the API under load from wrk (Debian's package) on the national data set,
//! each case against the same SQL run raw on the same database in the same run: pgbench on
//! PostgreSQL, a loop of tasks on the same pool on SQLite. The server runs in this process on
//! 127.0.0.1; wrk and the raw runs share the machine with it, so the ratios are what to read.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use db::Db;
use db::entity::{campaign, child, org_unit};
use domain::{CampaignId, Role, UserId};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IdenStatic, Iterable, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};

use crate::bench::{drop_scratch, scratch};

/// The surname of the children the benchmark adds.
const NEW_SURNAME: &str = "Нагрузова";

/// What wrk saw.
#[derive(Debug, Clone, Copy, Default)]
struct Load {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn millis(text: &str) -> f64 {
    let (number, unit) = text.trim().split_at(text.trim().find(|c: char| c.is_alphabetic()).unwrap_or(text.len()));
    let n: f64 = number.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        _ => f64::NAN,
    }
}

/// Runs wrk with `script` against `base` and reads its report; any non-2xx answer fails the run.
fn wrk(base: &str, script: &str, connections: usize, seconds: u64) -> Result<Load> {
    let file = tempfile::Builder::new().suffix(".lua").tempfile()?;
    std::fs::write(file.path(), script)?;
    let out = Command::new("wrk")
        .args([
            "-t",
            &connections.clamp(1, 2).to_string(),
            "-c",
            &connections.to_string(),
            "-d",
            &format!("{seconds}s"),
            "--timeout",
            "60s",
            "--latency",
            "-s",
        ])
        .arg(file.path())
        .arg(base)
        .output()
        .context("running wrk (apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if let Some(line) = text.lines().find(|l| l.contains("Non-2xx")) {
        bail!("wrk saw errors ({line}):\n{text}");
    }
    let field =
        |prefix: &str| text.lines().find_map(|l| l.trim().strip_prefix(prefix).map(str::trim).map(str::to_owned));
    let rps = field("Requests/sec:").and_then(|v| v.parse().ok()).ok_or_else(|| anyhow!("wrk said:\n{text}"))?;
    let p50 = field("50%").map_or(f64::NAN, |v| millis(&v));
    let p99 = field("99%").map_or(f64::NAN, |v| millis(&v));
    Ok(Load { rps, p50_ms: p50, p99_ms: p99 })
}

/// A statement of a raw script: SQL with `:id` (a random id of the range) and `:k` (the text
/// the statement before read into `k`).
struct Step {
    sql: String,
    /// Reads its first column into `k`.
    sets_k: bool,
}

/// The raw work of a case: its statements, the range of `:id`, and whether it writes (then it
/// runs in one transaction, as the use case does).
struct Raw {
    steps: Vec<Step>,
    range: (i64, i64),
    write: bool,
}

/// pgbench's transactions per second over the steps on `url`.
fn pgbench(url: &str, raw: &Raw, connections: usize, seconds: u64) -> Result<f64> {
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
async fn sqlite_loop(db: &Db, raw: &Raw, connections: usize, seconds: u64) -> Result<f64> {
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

/// The users the cases run as, with their API tokens.
struct Cast {
    campaign: campaign::Model,
    district: (org_unit::Model, String),
    region: (org_unit::Model, String),
    republic: (org_unit::Model, String),
    school: (org_unit::Model, String),
}

async fn unit(db: &Db, id: i64) -> Result<org_unit::Model> {
    org_unit::Entity::find_by_id(id).one(db).await?.ok_or_else(|| anyhow!("unit {id} is missing"))
}

async fn token(db: &Db, login: &str, role: Role, unit: &org_unit::Model) -> Result<String> {
    let owner = match db::users::by_login(db, login).await? {
        Some(u) => u,
        None => {
            let hash = domain::password::hash(&domain::password::one_time()).map_err(|e| anyhow!("{e:?}"))?;
            let new = domain::user::NewUser {
                login: login.into(),
                full_name: format!("Нагрузка {login}"),
                role,
                unit_id: unit.id,
            };
            let id = db::users::create_system(db, &new, &hash, false).await.map_err(|e| anyhow!("{e:?}"))?.id;
            db::users::by_id(db, UserId(id)).await?.ok_or_else(|| anyhow!("user {login}"))?
        }
    };
    Ok(db::tokens::create(db, &owner, "bench http").await.map_err(|e| anyhow!("{e:?}"))?.1)
}

async fn cast(db: &Db) -> Result<Cast> {
    let campaign = db::campaigns::current(db).await?.ok_or_else(|| anyhow!("no campaign: load the data set first"))?;
    let first =
        child::Entity::find().order_by_asc(child::Column::Id).one(db).await?.ok_or_else(|| anyhow!("no children"))?;
    let school = unit(db, first.school_id).await?;
    let district = unit(db, school.parent_id.unwrap_or_default()).await?;
    let region = unit(db, district.parent_id.unwrap_or_default()).await?;
    let republic = unit(db, region.parent_id.unwrap_or_default()).await?;
    Ok(Cast {
        campaign,
        district: (district.clone(), token(db, "bench-district", Role::DistrictCoordinator, &district).await?),
        region: (region.clone(), token(db, "bench-region", Role::RegionCoordinator, &region).await?),
        republic: (republic.clone(), token(db, "bench-republic", Role::RepublicCoordinator, &republic).await?),
        school: (school.clone(), token(db, "bench-school", Role::SchoolCoordinator, &school).await?),
    })
}

/// The ids of the children under `path`, which the national data set writes school after
/// school, so that a random id of the range is a child in scope (those the benchmark itself
/// added, after them, are left out).
async fn id_range(db: &Db, campaign: i64, path: &str) -> Result<(i64, i64, u64)> {
    let q = child::Entity::find()
        .filter(child::Column::CampaignId.eq(campaign))
        .filter(child::Column::Surname.ne(NEW_SURNAME))
        .filter(db::scope::starts_with(sea_orm::sea_query::Expr::col(child::Column::UnitPath), path));
    let ids: Vec<i64> = q.select_only().column(child::Column::Id).into_tuple().all(db).await?;
    let (lo, hi) = (ids.iter().copied().min().unwrap_or(0), ids.iter().copied().max().unwrap_or(0));
    if ids.is_empty() || (hi - lo + 1) as usize != ids.len() {
        bail!("the children under {path} are not one range of ids: use a data set from `doroga demo --scale`");
    }
    Ok((lo, hi, ids.len() as u64))
}

fn lua(token: &str, method: &str, body: Option<&str>, path: &str) -> String {
    let body = body.map(|b| format!("wrk.body = [[{b}]]\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"));
    format!(
        "wrk.method = \"{method}\"\nwrk.headers[\"Authorization\"] = \"Bearer {token}\"\n{}{path}\n",
        body.unwrap_or_default()
    )
}

/// A script whose every request asks `prefix` followed by a random id of `range`.
fn random_ids(token: &str, prefix: &str, range: (i64, i64)) -> String {
    lua(
        token,
        "GET",
        None,
        &format!(
            "math.randomseed(os.time())\nrequest = function()\n  return wrk.format(nil, \"{prefix}\" .. math.random({}, {}))\nend",
            range.0, range.1
        ),
    )
}

/// The list's page after a child (its key read by the same statement) and the total, as
/// `db::children::list` sends them for a coordinator of `unit`.
fn list_steps(campaign: i64, unit: &org_unit::Model) -> Result<Vec<Step>> {
    let (level, id) = db::scope::level_of(&unit.path).ok_or_else(|| anyhow!("the republic has no level column"))?;
    let upper = db::scope::upper_bound(&unit.path).unwrap_or_default();
    let path = format!("unit_path >= '{}' AND unit_path < '{upper}'", unit.path);
    let columns: Vec<String> =
        <child::Entity as EntityTrait>::Column::iter().map(|c| format!("\"{}\"", c.as_str())).collect();
    Ok(vec![
        Step {
            sql: format!(
                "SELECT {} FROM children WHERE campaign_id = {campaign} AND {level} = {id} AND {path} \
                 AND (search_key, id) > (SELECT search_key, id FROM children WHERE id = :id AND campaign_id = {campaign} \
                 AND {path}) ORDER BY search_key, id LIMIT 51",
                columns.join(", ")
            ),
            sets_k: false,
        },
        Step { sql: db::reports::children_in_sql(CampaignId(campaign), &unit.path), sets_k: false },
    ])
}

/// One case: what wrk asks, and the raw work it is held to (none for a single request).
struct Case {
    name: String,
    connections: usize,
    script: String,
    raw: Option<Raw>,
}

/// Runs the benchmark on `backend`, on the database at `existing` or on a fresh one loaded at
/// `fraction` of the national scale.
pub async fn http(backend: &str, pg_url: &str, fraction: f64, seconds: u64, existing: Option<&str>) -> Result<()> {
    match existing {
        Some(url) => run(url, seconds).await,
        None => {
            let s = scratch(backend, pg_url).await?;
            let db = db::connect(&s.url, 8).await?;
            db::migrate(&db).await?;
            let started = Instant::now();
            db::national::load(&db, db::national::Scale::NATIONAL.times(fraction))
                .await
                .map_err(|e| anyhow!("{e:?}"))?;
            println!("loaded {fraction} of the national data set in {:.0} s", started.elapsed().as_secs_f64());
            drop(db);
            let result = run(&s.url, seconds).await;
            drop_scratch(s).await?;
            result
        }
    }
}

async fn run(url: &str, seconds: u64) -> Result<()> {
    let db = db::connect(url, 16).await?;
    db::migrate(&db).await?;
    let c = cast(&db).await?;
    let core = app::Core::new(db.clone()).map_err(|e| anyhow!("{e}"))?;
    let state = web::AppState::new(core, web::WebConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, web::app(state)).await });
    let campaign = c.campaign.id;
    let (dlo, dhi, dn) = id_range(&db, campaign, &c.district.0.path).await?;
    let (rlo, rhi, rn) = id_range(&db, campaign, &c.region.0.path).await?;
    println!("district {} children, region {} children", dn, rn);
    let some = child::Entity::find_by_id(dlo).one(&db).await?.ok_or_else(|| anyhow!("child {dlo}"))?;
    let surname: String = some.search_key.chars().take(4).collect();
    // Children an earlier run on this database added: the new ones start past their IINs.
    let earlier = child::Entity::find()
        .filter(child::Column::CampaignId.eq(campaign))
        .filter(child::Column::Surname.eq(NEW_SURNAME))
        .count(&db)
        .await?;
    let encoded: String = form_urlencoded::byte_serialize(surname.as_bytes()).collect();
    let cases = vec![
        Case {
            name: "children list, district coordinator".into(),
            connections: 64,
            script: random_ids(&c.district.1, "/api/v1/children?after=", (dlo, dhi)),
            raw: Some(Raw { steps: list_steps(campaign, &c.district.0)?, range: (dlo, dhi), write: false }),
        },
        Case {
            name: "children list, region coordinator".into(),
            connections: 64,
            script: random_ids(&c.region.1, "/api/v1/children?after=", (rlo, rhi)),
            raw: Some(Raw { steps: list_steps(campaign, &c.region.0)?, range: (rlo, rhi), write: false }),
        },
        Case {
            name: "a child's card, district coordinator".into(),
            connections: 64,
            script: random_ids(&c.district.1, "/api/v1/children/", (dlo, dhi)),
            raw: None,
        },
        Case {
            name: format!("search by IIN {}, district coordinator", some.iin),
            connections: 64,
            script: lua(&c.district.1, "GET", None, &format!("wrk.path = \"/api/v1/children?q={}\"", some.iin)),
            raw: None,
        },
        Case {
            name: format!("search by surname «{surname}», district coordinator"),
            connections: 64,
            script: lua(&c.district.1, "GET", None, &format!("wrk.path = \"/api/v1/children?q={encoded}\"")),
            raw: None,
        },
        Case {
            name: "a new child, school coordinator".into(),
            connections: 16,
            script: new_children(&c.school.1, c.school.0.id, earlier * 2 + 100),
            raw: Some(Raw { steps: insert_steps(campaign, &c.school.0), range: (1, 99_999_999_999), write: true }),
        },
        Case {
            name: "checks, republic coordinator (one at a time)".into(),
            connections: 1,
            script: lua(&c.republic.1, "GET", None, "wrk.path = \"/api/v1/checks\""),
            raw: None,
        },
        Case {
            name: "social passport, republic coordinator (one at a time)".into(),
            connections: 1,
            script: lua(&c.republic.1, "GET", None, &format!("wrk.path = \"/api/v1/passport/{}\"", c.republic.0.id)),
            raw: None,
        },
    ];
    let backend = db.get_database_backend();
    println!("| case | conns | API req/s | p50 ms | p99 ms | raw tps | API/raw |");
    println!("|---|---|---|---|---|---|---|");
    for case in cases {
        let load = wrk(&base, &case.script, case.connections, seconds)?;
        let raw = match &case.raw {
            Some(raw) if backend == sea_orm::DbBackend::Postgres => Some(pgbench(url, raw, case.connections, seconds)?),
            Some(raw) => Some(sqlite_loop(&db, raw, case.connections, seconds).await?),
            None => None,
        };
        let (raw_text, ratio) = match raw {
            Some(tps) => (format!("{tps:.0}"), format!("{:.2}", load.rps / tps)),
            None => ("—".into(), "—".into()),
        };
        println!(
            "| {} | {} | {:.0} | {:.1} | {:.1} | {raw_text} | {ratio} |",
            case.name, case.connections, load.rps, load.p50_ms, load.p99_ms
        );
    }
    Ok(())
}

/// A script that adds children with new valid IINs (born 2012–2016, serials from 5000, which the
/// national data set never uses), each wrk thread its own serials.
fn new_children(token: &str, school: i64, start: u64) -> String {
    let body = format!(
        "{{\"school_id\":{school},\"iin\":\"%s\",\"surname\":\"Нагрузова\",\"first_name\":\"Айгерим\",\
         \"grade\":\"5\",\"study_language\":\"kk\",\"categories\":[\"asp\"],\"guardian_name\":\"Нагрузова Сауле\",\
         \"consent_by\":\"parent\",\"consent_method\":\"written\",\"consent_date\":\"01.08.2026\",\
         \"source\":\"school_list\",\"needs\":[{{\"item\":\"backpack\",\"cost\":\"8000\"}}]}}"
    );
    let code = format!(
        r#"local threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
local n = {start}
local function check(s)
  local w1 = {{1,2,3,4,5,6,7,8,9,10,11}}
  local w2 = {{3,4,5,6,7,8,9,10,11,1,2}}
  local a, b = 0, 0
  for i = 1, 11 do
    local d = tonumber(s:sub(i, i))
    a = a + d * w1[i]
    b = b + d * w2[i]
  end
  a = a % 11
  if a ~= 10 then return a end
  b = b % 11
  if b ~= 10 then return b end
  return nil
end
request = function()
  while true do
    n = n + 1
    local d = n % 336
    local year = 12 + math.floor(n / 336) % 5
    local serial = 5000 + tid * 2000 + math.floor(n / 1680)
    local head = string.format("%02d%02d%02d6%04d", year, math.floor(d / 28) + 1, d % 28 + 1, serial)
    local c = check(head)
    if c then
      return wrk.format("POST", "/api/v1/children", nil, string.format([[{body}]], head .. c))
    end
  end
end"#
    );
    lua(token, "POST", None, &format!("wrk.headers[\"Content-Type\"] = \"application/json\"\n{code}"))
}

/// The five inserts of a new child with a category and a need, its status and its audit entry,
/// with the same triggers, in one transaction.
fn insert_steps(campaign: i64, school: &org_unit::Model) -> Vec<Step> {
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
