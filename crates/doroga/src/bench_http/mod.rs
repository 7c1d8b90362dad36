//! `doroga bench http`: the API under load from wrk (Debian's package) on the national data set,
//! each case against the same SQL run raw on the same database in the same run: pgbench on
//! PostgreSQL, a loop of tasks on the same pool on SQLite. The server runs in this process on
//! 127.0.0.1; wrk and the raw runs share the machine with it, so the ratios are what to read.

mod load;
mod raw;
mod soak;

use std::time::Instant;

use anyhow::{Result, anyhow, bail};
use db::Db;
use db::entity::{campaign, child, org_unit};
use domain::{Role, UserId};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::bench::{drop_scratch, scratch};

use load::{lua, new_children, random_ids, wrk};
use raw::{Raw, insert_steps, list_steps, pgbench, sqlite_loop};

/// The surname of the children the benchmark adds.
const NEW_SURNAME: &str = "Нагрузова";

/// The users the cases run as, with their API tokens.
struct Cast {
    campaign: campaign::Model,
    district: (org_unit::Model, String),
    region: (org_unit::Model, String),
    republic: (org_unit::Model, String),
    /// The country's last school (where new children go), and its coordinator.
    school: (org_unit::Model, String),
    /// The school of the first child, and its coordinator.
    school_with_children: (org_unit::Model, String),
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
    // The new children go to the country's last school, far from the district and region whose
    // lists are read, so that a run leaves those lists as long as it found them.
    let last = org_unit::Entity::find()
        .filter(org_unit::Column::Kind.eq("school"))
        .order_by_desc(org_unit::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow!("no school"))?;
    Ok(Cast {
        campaign,
        district: (district.clone(), token(db, "bench-district", Role::DistrictCoordinator, &district).await?),
        region: (region.clone(), token(db, "bench-region", Role::RegionCoordinator, &region).await?),
        republic: (republic.clone(), token(db, "bench-republic", Role::RepublicCoordinator, &republic).await?),
        school: (last.clone(), token(db, "bench-school", Role::SchoolCoordinator, &last).await?),
        school_with_children: (
            school.clone(),
            token(db, "bench-school-first", Role::SchoolCoordinator, &school).await?,
        ),
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

/// One case: what wrk asks, and the raw work it is held to (none for a single request).
struct Case {
    name: String,
    connections: usize,
    script: String,
    raw: Option<Raw>,
}

/// What a run on a data set does.
enum Work {
    /// The HTTP benchmark, each case so many seconds.
    Cases(u64),
    /// The soak, so many minutes.
    Soak(u64),
}

/// The soak (`doroga bench soak`) on `backend`, on the database at `existing` or on a fresh one
/// loaded at `fraction` of the national scale.
pub async fn soak(backend: &str, pg_url: &str, fraction: f64, minutes: u64, existing: Option<&str>) -> Result<()> {
    on_data(backend, pg_url, fraction, Work::Soak(minutes), existing).await
}

/// Runs the benchmark on `backend`, on the database at `existing` or on a fresh one loaded at
/// `fraction` of the national scale.
pub async fn http(backend: &str, pg_url: &str, fraction: f64, seconds: u64, existing: Option<&str>) -> Result<()> {
    on_data(backend, pg_url, fraction, Work::Cases(seconds), existing).await
}

async fn on_data(backend: &str, pg_url: &str, fraction: f64, work: Work, existing: Option<&str>) -> Result<()> {
    let go = |url: String| async move {
        match work {
            Work::Cases(seconds) => run(&url, seconds).await,
            Work::Soak(minutes) => soak::soak(&url, minutes).await,
        }
    };
    match existing {
        Some(url) => go(url.to_owned()).await,
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
            let result = go(s.url.clone()).await;
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
            name: "checks, region coordinator (one at a time)".into(),
            connections: 1,
            script: lua(&c.region.1, "GET", None, "wrk.path = \"/api/v1/checks\""),
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
