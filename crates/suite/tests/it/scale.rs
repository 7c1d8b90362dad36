//! National scale, held by the plans: every statement the scoped use cases run for a school, a
//! district, a region (and the republic) is put to the database's own planner (EXPLAIN on
//! PostgreSQL with sequential scans priced out, EXPLAIN QUERY PLAN on SQLite), and the test
//! fails on a full scan of `children` or `ledger_entries`, or on an index read over the whole
//! campaign where the scope is smaller. The statements are the ones the use cases really send,
//! recorded on the connection, so a new query cannot slip past.

use std::sync::{Arc, Mutex};

use db::entity::{child, org_unit};
use domain::{Actor, CampaignId, OrgUnitId, Role};
use sea_orm::{ColumnTrait, PaginatorTrait};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, Statement, TransactionTrait};

use crate::support::TestApp;

/// The tables that grow with the country.
const BIG: [&str; 11] = [
    "appeals",
    "appeal_days",
    "children",
    "ledger_entries",
    "raids",
    "raid_findings",
    "absences",
    "absent_days",
    "cases",
    "case_steps",
    "field_days",
];

/// A core whose connection records every statement sent through it.
async fn recording(app: &TestApp) -> (app::Core, Arc<Mutex<Vec<Statement>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut db = db::connect(&app.url, 2).await.unwrap();
    let log = seen.clone();
    db.set_metric_callback(move |info| log.lock().unwrap().push(info.statement.clone()));
    (app::Core::new(db).unwrap(), seen)
}

/// The names `table` goes by in `sql` (itself and its aliases).
fn names_of(sql: &str, table: &str) -> Vec<String> {
    let words: Vec<&str> = sql.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '"')).collect();
    let mut names = vec![table.to_owned()];
    for (i, w) in words.iter().enumerate() {
        if w.trim_matches('"') == table {
            let mut next = words[i + 1..].iter().filter(|w| !w.is_empty());
            let alias = match next.next() {
                Some(a) if a.eq_ignore_ascii_case("as") => next.next(),
                other => other,
            };
            if let Some(a) = alias.map(|a| a.trim_matches('"')) {
                let keyword = ["WHERE", "ON", "JOIN", "GROUP", "ORDER", "LIMIT", "INNER", "LEFT", "AND", "SET"];
                if !keyword.iter().any(|k| a.eq_ignore_ascii_case(k)) {
                    names.push(a.to_owned());
                }
            }
        }
    }
    names
}

/// Whether an index condition pins more than the campaign (any scope below the republic must).
fn narrower_than_campaign(cond: &str) -> bool {
    let cleaned = cond.replace(['(', ')', '"', ' '], "");
    cleaned.split("AND").any(|part| !part.is_empty() && !part.contains("campaign_id"))
}

/// The reads of a big table in the plan of `stmt` that scan it whole (or, `narrow`, that read the
/// whole campaign of it through an index).
async fn full_reads(db: &db::Db, stmt: &Statement, narrow: bool) -> Vec<String> {
    let mut bad = Vec::new();
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let txn = db.begin().await.unwrap();
            txn.execute_unprepared("SET LOCAL enable_seqscan = off").await.unwrap();
            let explain = Statement {
                sql: format!("EXPLAIN (FORMAT JSON) {}", stmt.sql),
                values: stmt.values.clone(),
                db_backend: stmt.db_backend,
            };
            let row = txn.query_one_raw(explain).await.unwrap().unwrap();
            let plan: serde_json::Value = row.try_get_by_index(0).unwrap();
            txn.rollback().await.unwrap();
            fn walk(node: &serde_json::Value, narrow: bool, bad: &mut Vec<String>) {
                let relation = node["Relation Name"].as_str().unwrap_or("");
                if BIG.contains(&relation) {
                    let kind = node["Node Type"].as_str().unwrap_or("");
                    let cond = node["Index Cond"].as_str();
                    let whole = kind == "Seq Scan"
                        || (kind.starts_with("Index") && cond.is_none())
                        || (narrow && kind.starts_with("Index") && !cond.is_some_and(narrower_than_campaign));
                    if whole {
                        let index = node["Index Name"].as_str().unwrap_or("");
                        bad.push(format!("{kind} {index} on {relation} ({})", cond.unwrap_or("no condition")));
                    }
                }
                if node["Node Type"] == "Bitmap Index Scan" && narrow {
                    let cond = node["Index Cond"].as_str().unwrap_or("");
                    let index = node["Index Name"].as_str().unwrap_or("");
                    let big =
                        ["appeals", "children", "ledger", "raids", "findings", "absen", "cases", "steps", "field_days"];
                    if big.iter().any(|b| index.contains(b)) && !narrower_than_campaign(cond) {
                        bad.push(format!("Bitmap Index Scan on {index} ({cond})"));
                    }
                }
                for sub in node["Plans"].as_array().into_iter().flatten() {
                    walk(sub, narrow, bad);
                }
            }
            for p in plan.as_array().into_iter().flatten() {
                walk(&p["Plan"], narrow, &mut bad);
            }
        }
        _ => {
            let explain = Statement {
                sql: format!("EXPLAIN QUERY PLAN {}", stmt.sql),
                values: stmt.values.clone(),
                db_backend: stmt.db_backend,
            };
            let names: Vec<String> = BIG.iter().flat_map(|t| names_of(&stmt.sql, t)).collect();
            for row in db.query_all_raw(explain).await.unwrap() {
                let detail: String = row.try_get("", "detail").unwrap();
                let mut words = detail.split(' ');
                let (verb, name) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
                if !names.iter().any(|n| n == name) {
                    continue;
                }
                let cond = detail.split_once('(').map_or("", |(_, c)| c);
                if verb == "SCAN" || (narrow && verb == "SEARCH" && !narrower_than_campaign(cond)) {
                    bad.push(detail);
                }
            }
        }
    }
    bad
}

/// Runs `work` on a recording core and puts every SELECT it sent to the planner.
async fn plans_of<F, Fut>(app: &TestApp, label: &str, narrow: bool, work: F) -> Vec<String>
where
    F: FnOnce(app::Core) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (core, seen) = recording(app).await;
    work(core).await;
    let statements: Vec<Statement> = std::mem::take(&mut *seen.lock().unwrap());
    let reads: Vec<&Statement> =
        statements.iter().filter(|s| s.sql.trim_start().to_uppercase().starts_with("SELECT")).collect();
    assert!(!reads.is_empty(), "{label}: nothing was read");
    let mut bad = Vec::new();
    for s in reads {
        for b in full_reads(&app.db, s, narrow).await {
            bad.push(format!("{label}: {b}\n    in {}", s.sql));
        }
    }
    bad
}

/// The republic as a scoped unit.
async fn republic_of(app: &TestApp, actors: &[(Actor, bool)]) -> db::scope::InScope<org_unit::Model> {
    db::org::scoped(&app.db, &actors[3].0, actors[3].0.scope.unit()).await.unwrap()
}

async fn actor(app: &TestApp, login: &str, role: Role, unit: i64) -> Actor {
    let id = app.user(login, role, unit).await;
    db::users::by_id(&app.db, domain::UserId(id)).await.unwrap().unwrap().actor()
}

/// A country of 80 schools and 4,000 children with their help, its statistics fresh.
async fn country() -> (TestApp, Vec<(Actor, bool)>, CampaignId) {
    let app = TestApp::new().await;
    let scale =
        db::national::Scale { districts_per_region: 2, schools: 80, children: 4_000, children_per_commit: 2_000 };
    db::national::load(&app.db, scale).await.unwrap();
    app.db.execute_unprepared("ANALYZE").await.unwrap();
    let campaign = db::entity::campaign::Entity::find().one(&app.db).await.unwrap().unwrap();
    let school = child::Entity::find().order_by_asc(child::Column::Id).one(&app.db).await.unwrap().unwrap().school_id;
    let unit = |id: i64| org_unit::Entity::find_by_id(id).one(&app.db);
    let district = unit(school).await.unwrap().unwrap().parent_id.unwrap();
    let region = unit(district).await.unwrap().unwrap().parent_id.unwrap();
    let republic = unit(region).await.unwrap().unwrap().parent_id.unwrap();
    let actors = vec![
        (actor(&app, "sch", Role::SchoolCoordinator, school).await, true),
        (actor(&app, "dis", Role::DistrictCoordinator, district).await, true),
        (actor(&app, "reg", Role::RegionCoordinator, region).await, true),
        (actor(&app, "rep", Role::RepublicCoordinator, republic).await, false),
    ];
    (app, actors, CampaignId(campaign.id))
}

#[tokio::test]
async fn the_registry_list_reads_its_scope_from_an_index_on_every_page() {
    let (app, actors, campaign) = country().await;
    let in_scope = child::Entity::find().filter(child::Column::SchoolId.eq(actors[0].0.scope.unit().0));
    assert!(in_scope.count(&app.db).await.unwrap() > 20, "the school has a list of some pages");
    let mut bad = Vec::new();
    for (who, narrow) in &actors {
        // The republic's scope is the whole campaign, and this country has one: its pages are
        // read for what they show, their plans held only below it.
        let keep = |found: Vec<String>| if *narrow { found } else { Vec::new() };
        for sort in ["surname", "grade", "status", "school", "newest"] {
            let who = who.clone();
            let label = format!("{} sort={sort}", who.login);
            bad.extend(keep(
                plans_of(&app, &label, *narrow, |core| async move {
                    let f = app::children::Filter { sort: sort.into(), ..Default::default() };
                    let first =
                        app::children::list(&core, &who, campaign, &f, app::children::Cursor::First, 10).await.unwrap();
                    let next = first.next.expect("a second page");
                    let second = app::children::list(&core, &who, campaign, &f, next, 10).await.unwrap();
                    assert_ne!(first.rows[0].id, second.rows[0].id);
                    let back = app::children::list(&core, &who, campaign, &f, second.prev.unwrap(), 10).await.unwrap();
                    let ids = |p: &app::children::Page| p.rows.iter().map(|r| r.id).collect::<Vec<_>>();
                    assert_eq!(ids(&back), ids(&first), "the page before the second is the first");
                })
                .await,
            ));
        }
        let who = who.clone();
        let label = format!("{} searches and filters", who.login);
        let store = &app.db;
        bad.extend(keep(
            plans_of(&app, &label, *narrow, |core| async move {
                let some = child::Entity::find()
                    .filter(child::Column::CampaignId.eq(campaign.0))
                    .filter(db::scope::starts_with(
                        sea_orm::sea_query::Expr::col(child::Column::UnitPath),
                        who.scope.path(),
                    ))
                    .one(store)
                    .await
                    .unwrap()
                    .unwrap();
                let filters = [
                    app::children::Filter { q: Some(some.iin.clone()), ..Default::default() },
                    app::children::Filter { q: Some(some.iin[..6].to_owned()), ..Default::default() },
                    app::children::Filter { q: Some(some.surname.chars().take(3).collect()), ..Default::default() },
                    app::children::Filter { grade: Some(5), ..Default::default() },
                    app::children::Filter { category: Some("orphan".into()), ..Default::default() },
                    app::children::Filter {
                        need: Some("backpack".into()),
                        status: Some("identified".into()),
                        ..Default::default()
                    },
                    app::children::Filter { unit: Some(OrgUnitId(some.school_id)), ..Default::default() },
                ];
                for f in filters {
                    let page =
                        app::children::list(&core, &who, campaign, &f, app::children::Cursor::First, 10).await.unwrap();
                    if f.q.as_deref() == Some(some.iin.as_str()) {
                        assert_eq!(page.rows.len(), 1, "an IIN finds its child");
                    }
                }
            })
            .await,
        ));
    }
    assert!(bad.is_empty(), "full reads of a big table:\n{}", bad.join("\n"));
}

#[tokio::test]
async fn the_audit_log_proofs_transfers_passport_checks_and_period_reports_read_their_scope_from_an_index() {
    let (app, actors, campaign) = country().await;
    let mut bad = Vec::new();
    let c = db::entity::campaign::Entity::find_by_id(campaign.0).one(&app.db).await.unwrap().unwrap();
    let today = c.starts_on + chrono::Duration::days(200);
    for (who, narrow) in &actors {
        let cases = [
            ("audit", 0),
            ("proofs", 1),
            ("transfers", 2),
            ("passport", 3),
            ("period report", 4),
            ("dashboard", 5),
            ("checks", 6),
            ("start page", 7),
        ];
        // The republic's reads may span the campaign, never scan a table whole.
        let cases = cases.into_iter().filter(|(_, case)| *narrow || [3, 6, 7].contains(case));
        for (name, case) in cases {
            let (who, c) = (who.clone(), c.clone());
            let label = format!("{} {name}", who.login);
            bad.extend(
                plans_of(&app, &label, *narrow, |core| async move {
                    match case {
                        6 => {
                            let checks = app::checks::run(&core, &who, &c, today).await.unwrap();
                            assert!(!checks.unproven_cash.is_empty() || !checks.undelivered.is_empty(), "{checks:?}");
                        }
                        7 => {
                            let work = app::today::for_actor(&core, &who, today).await.unwrap().unwrap();
                            assert!(!work.overdue.is_empty() || work.identified > 0, "{work:?}");
                            drop(app::ledger::sponsors_for(&core, &who).await.unwrap());
                        }
                        0 => assert!(!app::audit::list(&core, &who, &Default::default(), 50).await.unwrap().is_empty()),
                        1 => drop(app::proofs::pending(&core, &who, 50).await.unwrap()),
                        2 => drop(app::children::pending_transfers(&core, &who).await.unwrap()),
                        3 => {
                            let (_, passport, _) =
                                app::passport::compute(&core, &who, campaign, who.scope.unit()).await.unwrap();
                            assert!(passport.total > 0);
                        }
                        _ => {
                            let unit = who.scope.unit().0.to_string();
                            let q = app::reports::Query {
                                unit: &unit,
                                from: "01.08.2026",
                                to: "20.08.2026",
                                ..Default::default()
                            };
                            let asked = app::reports::ask(&core, &q).await.unwrap();
                            if case == 4 {
                                drop(app::reports::build(&core, &who, &asked).await.unwrap());
                            } else {
                                drop(app::reports::dashboard(&core, &who, &asked).await.unwrap());
                            }
                        }
                    }
                })
                .await,
            );
        }
    }
    // A sponsor's open needs: its region's (and one of its districts'), never the country's.
    let region = actors[2].0.clone();
    let f = domain::aid::SponsorInput {
        kind: "company".into(),
        name: "ТОО «Арман жол»".into(),
        bin_iin: "990140004654".into(),
        ..Default::default()
    };
    let s = db::sponsors::create(&app.db, &region, region.scope.unit(), &f.parse().unwrap()).await.unwrap();
    let hash = domain::password::hash(crate::support::PASSWORD).unwrap();
    let id = db::sponsors::add_account(&app.db, &region, domain::SponsorId(s.id), "armanzhol", "Арман", &hash)
        .await
        .unwrap();
    let sponsor = db::users::by_id(&app.db, domain::UserId(id)).await.unwrap().unwrap().actor();
    for unit in [None, Some(actors[1].0.scope.unit().0)] {
        let (who, c) = (sponsor.clone(), c.clone());
        bad.extend(
            plans_of(&app, "sponsor needs", true, |core| async move {
                let f = db::sponsors::NeedFilter { district: unit, after: Some(1), ..Default::default() };
                drop(app::sponsors::open_needs(&core, &who, &c, &f, 50).await.unwrap());
            })
            .await,
        );
    }
    assert!(bad.is_empty(), "full reads of a big table:\n{}", bad.join("\n"));
}

#[tokio::test]
async fn the_raids_and_the_pupils_out_read_their_scope_from_an_index() {
    let (app, actors, campaign) = country().await;
    let c = db::entity::campaign::Entity::find_by_id(campaign.0).one(&app.db).await.unwrap().unwrap();
    let today = c.starts_on + chrono::Duration::days(60);
    let mut bad = Vec::new();
    for (who, narrow) in &actors {
        for case in 0..4 {
            let (who, c) = (who.clone(), c.clone());
            let label = format!("{} {}", who.login, ["raids", "pupils out", "reasons", "tasks"][case]);
            bad.extend(
                plans_of(&app, &label, *narrow, |core| async move {
                    match case {
                        0 => {
                            let (page, next) = app::raids::list(&core, &who, &c, None).await.unwrap();
                            assert!(!page.is_empty());
                            if let Some(after) = next {
                                drop(app::raids::list(&core, &who, &c, Some(after)).await.unwrap());
                            }
                        }
                        1 => {
                            let (page, next) = app::attendance::list(&core, &who, &c, None, None).await.unwrap();
                            // A school of the small country may have none; every district has some.
                            assert!(!page.is_empty() || who.role == Role::SchoolCoordinator);
                            if let Some(after) = next {
                                drop(app::attendance::list(&core, &who, &c, None, Some(after)).await.unwrap());
                            }
                            let reason = Some(domain::attendance::AbsenceReason::Material);
                            drop(app::attendance::list(&core, &who, &c, reason, None).await.unwrap());
                        }
                        2 => {
                            let total = app::attendance::reasons(&core, &who, &c).await.unwrap().total();
                            assert!(total > 0 || who.role == Role::SchoolCoordinator);
                        }
                        _ => drop(app::attendance::tasks(&core, &who, &c, false, None, today).await.unwrap()),
                    }
                })
                .await,
            );
        }
    }
    assert!(bad.is_empty(), "full reads of a big table:\n{}", bad.join("\n"));
}

#[tokio::test]
async fn the_appeals_lists_read_their_scope_from_an_index_and_the_sweep_its_day() {
    let (app, actors, _) = country().await;
    let schools = org_unit::Entity::find().filter(org_unit::Column::Kind.eq("school")).all(&app.db).await.unwrap();
    let rep = &actors[3].0;
    let now = chrono::Utc::now();
    let mut codes = Vec::new();
    for (i, s) in schools.iter().enumerate() {
        for topic in ["help_not_received", "school_complaint", "sponsor_complaint"] {
            // Half with the applicant's phone, some through the public form (with an address): the
            // queue looks for their second filings.
            let named = i % 2 == 1;
            let input = domain::appeal::AppealInput {
                channel: "hotline".into(),
                topic: topic.into(),
                anonymous: !named,
                applicant_name: if named { "Заявитель".into() } else { String::new() },
                phone: if named { format!("8 701 555 {:02} {:02}", i % 100, i % 7) } else { String::new() },
                school: s.id.to_string(),
                text: format!("Обращение {i}"),
                ..Default::default()
            };
            let when = now - chrono::Duration::days((i % 40) as i64);
            let key = format!("6f1c2d4e-5a6b-4c7d-8e9f-{:012}", codes.len());
            let addr = format!("10.0.{}.{}", i % 3, i % 5);
            let (by, f) = if i % 4 == 0 {
                let by = db::appeals::By::Public { client_key: &key, client_addr: &addr, locale: "ru", limit: None };
                (by, input.parse(Some(domain::appeal::Channel::Qr)).unwrap())
            } else {
                (db::appeals::By::Staff(rep), input.parse(None).unwrap())
            };
            let (a, _) = db::appeals::register(&app.db, by, &f, None, when).await.unwrap();
            codes.push(a.code);
        }
    }
    app.db.execute_unprepared("ANALYZE").await.unwrap();
    let today = app::appeals::today();
    let mut bad = Vec::new();
    // The republic reads its lists in the order of an index with a limit (there is no campaign to
    // narrow by); every scope below it must pin its level.
    for (who, _) in actors.iter().take(3) {
        for view in ["open", "due", "overdue", "mine", "all"] {
            let who = who.clone();
            let label = format!("{} appeals {view}", who.login);
            bad.extend(
                plans_of(&app, &label, true, |core| async move {
                    let v = app::appeals::view(&core, view, today).await.unwrap();
                    let page = app::appeals::list(&core, &who, v, None, today).await.unwrap();
                    // A card: its history, its likely duplicates, its last day to forward.
                    if let Some(a) = page.rows.first() {
                        drop(app::appeals::get(&core, &who, a.id).await.unwrap());
                    }
                    if let Some(after) = page.next {
                        drop(app::appeals::list(&core, &who, v, Some(after), today).await.unwrap());
                    }
                })
                .await,
            );
        }
    }
    // The consolidated report of each scope (and a school's справка) over the weeks the appeals
    // came in: their totals by day and what is overdue, read from the key and the open ones' index.
    let from = (domain::calendar::today() - chrono::Duration::days(45)).format("%d.%m.%Y").to_string();
    let to = domain::calendar::today().format("%d.%m.%Y").to_string();
    for (who, narrow) in &actors {
        let (who, from, to) = (who.clone(), from.clone(), to.clone());
        let label = format!("{} appeals report", who.login);
        bad.extend(
            plans_of(&app, &label, *narrow, |core| async move {
                let unit = who.scope.unit().0.to_string();
                let q = app::reports::Query { unit: &unit, from: &from, to: &to, ..Default::default() };
                let asked = app::reports::ask(&core, &q).await.unwrap();
                let (built, _) = app::reports::build(&core, &who, &asked).await.unwrap();
                let received = match &built {
                    app::reports::Built::School(r) => r.appeals.received,
                    app::reports::Built::Consolidated(r) => r.appeals.received,
                };
                assert!(received > 0, "{}: the appeals are in the report", who.login);
            })
            .await,
        );
    }
    let code = codes[0].clone();
    bad.extend(
        plans_of(&app, "sweep and code", false, |core| async move {
            drop(app::appeals::escalate(&core, today).await.unwrap());
            drop(app::appeals::track(&core, &code, "127.0.0.1").await.unwrap());
        })
        .await,
    );
    assert!(bad.is_empty(), "full reads of a big table:\n{}", bad.join("\n"));
}

#[tokio::test]
async fn a_new_child_is_written_in_the_fewest_statements_and_a_read_writes_nothing() {
    let w = crate::World::new().await;
    crate::children::campaign(&w).await;
    let c = db::campaigns::current(&w.app.db).await.unwrap().unwrap();
    let school = actor(&w.app, "sch", Role::SchoolCoordinator, w.school_s1).await;
    let input = domain::child::ChildInput {
        iin: crate::children::iin(1, true),
        surname: "Ахметова".into(),
        first_name: "Айгерим".into(),
        grade: "3".into(),
        study_language: "kk".into(),
        categories: vec!["asp".into(), "large_family".into()],
        guardian_name: "Ахметова Сауле".into(),
        consent_by: "parent".into(),
        consent_method: "written".into(),
        consent_date: "01.08.2026".into(),
        source: "school_list".into(),
        needs: vec![
            domain::child::NeedInput { item: "backpack".into(), cost: "8 000".into(), ..Default::default() },
            domain::child::NeedInput {
                item: "shoes".into(),
                size: "36".into(),
                cost: "12 000".into(),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    let (core, seen) = recording(&w.app).await;
    let created = app::children::create(&core, &school, &c, OrgUnitId(w.school_s1), &input.parse(c.starts_on).unwrap())
        .await
        .unwrap();
    let sent: Vec<String> =
        seen.lock().unwrap().iter().map(|s| s.sql.split_whitespace().take(3).collect::<Vec<_>>().join(" ")).collect();
    // The school checked, the record, its categories, its needs, its status, the audit entry.
    let writes: Vec<&String> = sent.iter().filter(|s| !s.starts_with("SELECT")).collect();
    assert_eq!(writes.len(), 5, "{sent:#?}");
    assert!(sent.iter().all(|s| !s.starts_with("DELETE")), "a new record has nothing to remove: {sent:#?}");
    assert_eq!(sent.iter().filter(|s| s.starts_with("SELECT")).count(), 1, "only the school is read: {sent:#?}");
    let needs = db::entity::child_need::Entity::find()
        .filter(db::entity::child_need::Column::ChildId.eq(created.id))
        .count(&w.app.db)
        .await
        .unwrap();
    assert_eq!(needs, 2);
    // The same IIN again: refused by the unique key, the existing record named.
    let again =
        app::children::create(&core, &school, &c, OrgUnitId(w.school_s1), &input.parse(c.starts_on).unwrap()).await;
    assert!(matches!(again, Err(app::Error::Registered { child_id, .. }) if child_id == created.id), "{again:?}");

    // An API token is marked used once a minute, not on every request.
    let owner = db::users::by_login(&w.app.db, "sch").await.unwrap().unwrap();
    let (_, secret) = app::tokens::create(&core, &owner, "bench").await.unwrap();
    seen.lock().unwrap().clear();
    for _ in 0..3 {
        assert!(app::tokens::authenticate(&core, &secret).await.unwrap().is_some());
    }
    let updates = seen.lock().unwrap().iter().filter(|s| s.sql.starts_with("UPDATE")).count();
    assert_eq!(updates, 1, "three requests in a minute, one mark");

    // A page of the list over the API: the token with its owner and unit in one read, the
    // current campaign remembered, the page and its total: three statements.
    seen.lock().unwrap().clear();
    for _ in 0..2 {
        let owner = app::tokens::authenticate(&core, &secret).await.unwrap().unwrap();
        let campaign = app::campaigns::chosen(&core, None).await.unwrap();
        let page = app::children::list(
            &core,
            &owner.actor(),
            CampaignId(campaign.id),
            &Default::default(),
            app::children::Cursor::First,
            20,
        )
        .await
        .unwrap();
        assert_eq!(page.rows.len(), 1);
    }
    let sent: Vec<String> = seen.lock().unwrap().iter().map(|s| s.sql.clone()).collect();
    assert_eq!(sent.len(), 3 + 3 + 1, "the second request reads no campaign: {sent:#?}");
    assert!(sent.iter().all(|s| s.starts_with("SELECT")), "{sent:#?}");
    // A campaign opened through this server is current at once.
    let republic = actor(&w.app, "rep", Role::RepublicCoordinator, w.republic).await;
    let f = domain::child::CampaignInput {
        year: "2027".into(),
        starts_on: "01.08.2027".into(),
        ends_on: "30.09.2027".into(),
        motto_ru: "Дорога в школу".into(),
        motto_kk: "Мектепке жол".into(),
        default_norm: "48 000".into(),
    };
    app::campaigns::open(&core, &republic, &f).await.unwrap();
    assert_eq!(app::campaigns::chosen(&core, None).await.unwrap().year, 2027);
}

#[tokio::test]
async fn the_national_loads_field_totals_are_what_its_records_count() {
    // On PostgreSQL the load turns the row triggers off and sums what it wrote at the end; the
    // triggers are on again afterwards.
    let (app, actors, campaign) = country().await;
    let c = db::entity::campaign::Entity::find_by_id(campaign.0).one(&app.db).await.unwrap().unwrap();
    let today = domain::calendar::today();
    let sept = chrono::NaiveDate::from_ymd_opt(c.year, 9, 1).unwrap();
    let period = db::reports::Period::default();
    for (who, _) in &actors {
        let unit = db::org::scoped(&app.db, who, who.scope.unit()).await.unwrap();
        let kept = db::raids::stats(&app.db, c.id, &unit, period).await.unwrap();
        assert_eq!(kept, db::raids::count(&app.db, c.id, &unit, period).await.unwrap(), "{}", who.login);
        let kept = db::attendance::stats(&app.db, c.id, &unit, period, sept, today).await.unwrap();
        assert_eq!(
            kept,
            db::attendance::count(&app.db, c.id, &unit, period, sept, today).await.unwrap(),
            "{}",
            who.login
        );
        if who.role == Role::RepublicCoordinator {
            assert!(kept.pupils > 0, "the load has pupils out");
        }
    }
    // The appeals' totals by day are what the appeals sum to (the load's sums on PostgreSQL, the
    // triggers on SQLite), and the survey's days count its answers.
    let conn = &app.db;
    let all = |sql: &'static str| async move {
        let rows = conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap();
        rows.iter()
            .map(|r| {
                (0..5)
                    .map(|i| {
                        r.try_get_by_index::<i64>(i)
                            .map_or_else(|_| r.try_get_by_index::<String>(i).unwrap(), |n| n.to_string())
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<String>>()
    };
    let read = "SELECT unit_id, CAST(day AS VARCHAR(10)), metric, label, amount FROM appeal_days \
                WHERE amount <> 0 ORDER BY 1, 2, 3, 4";
    let kept = all(read).await;
    app.db.execute_unprepared("DELETE FROM appeal_days").await.unwrap();
    app.db.execute_unprepared(&db::appeals::report::sums()).await.unwrap();
    assert_eq!(kept, all(read).await, "the appeals' totals by day");
    let count = |sql: &str| {
        let sql = sql.to_owned();
        async move {
            let row = conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap();
            row.unwrap().try_get_by_index::<Option<i64>>(0).unwrap().unwrap_or(0)
        }
    };
    let appeals = count("SELECT COUNT(*) FROM appeals").await;
    assert!(appeals >= 1_000, "a year of appeals at this scale: {appeals}");
    let answered = count("SELECT COUNT(*) FROM appeals WHERE answered_on IS NOT NULL").await;
    assert!(answered > appeals / 2 && answered < appeals, "{answered} of {appeals} answered");
    let (year, today) = (
        db::appeals::report::Days {
            from: chrono::NaiveDate::from_ymd_opt(c.year, 1, 1).unwrap(),
            to: chrono::NaiveDate::from_ymd_opt(c.year, 12, 31).unwrap(),
        },
        app::appeals::today(),
    );
    let (stats, below) =
        db::appeals::report::stats(&app.db, &republic_of(&app, &actors).await, year, today).await.unwrap();
    assert_eq!(stats.received, appeals);
    assert_eq!(stats.in_time + stats.late, answered);
    assert!(stats.overdue > 0 && below.len() > 1, "{stats:?}");
    let overdue = format!("SELECT COUNT(*) FROM appeals WHERE answered_at IS NULL AND due_on < '{today}'");
    assert_eq!(stats.overdue, count(&overdue).await);
    let answers = count("SELECT COUNT(*) FROM survey_answers WHERE district_id IS NOT NULL").await;
    assert!(answers >= 3_000, "a summer of answers: {answers}");
    assert_eq!(count("SELECT CAST(SUM(count) AS BIGINT) FROM survey_days WHERE metric = 'answers'").await, answers);

    // The triggers count a raid written after the load.
    let republic = db::org::scoped(&app.db, &actors[3].0, actors[3].0.scope.unit()).await.unwrap();
    let before = db::raids::stats(&app.db, c.id, &republic, period).await.unwrap().raids;
    let f = domain::raid::RaidInput {
        date: "01.09.2026".into(),
        starts_at: "19:00".into(),
        places: vec![domain::raid::PlaceInput { kind: "market".into(), address: String::new() }],
        participants: vec![],
        note: String::new(),
    }
    .parse()
    .unwrap();
    db::raids::create(&app.db, &actors[1].0, &c, actors[1].0.scope.unit(), &f, &[]).await.unwrap();
    assert_eq!(db::raids::stats(&app.db, c.id, &republic, period).await.unwrap().raids, before + 1);
}
