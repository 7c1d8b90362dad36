//! One access matrix for both doors, generated from the routers' source: every route of the web
//! crate (read from its `.route(…)` calls, so that a new route cannot be left out), under the
//! door it is served from (found by asking), as every role and as an anonymous visitor, for a
//! record in the user's scope and one outside it. Expected of every cell: no 5xx; an anonymous
//! visitor only on the public routes; nothing outside the scope read or changed; every 403 in the
//! audit log; no child's name or IIN to a sponsor, a raid member or the public; and a page and
//! its API operation giving the same decision.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use axum::http::{Method, StatusCode};
use domain::aid::EntryStatus;
use domain::{ChildId, OrgUnitId, Role};

use crate::aid::{cash, setup};
use crate::support::{Client, Resp};

/// A route as written in the source: its path and methods.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Route {
    path: String,
    methods: Vec<&'static str>,
}

/// Every `.route("…", …)` call under `dir`, with the methods of its method router.
fn routes_in_source(dir: &Path) -> Vec<Route> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(routes_in_source(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            let calls = text.matches(".route(").count();
            let parsed = parse_routes(&text);
            assert_eq!(parsed.len(), calls, "every .route( call in {} is read", path.display());
            found.extend(parsed);
        }
    }
    found
}

fn parse_routes(text: &str) -> Vec<Route> {
    let mut routes = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(".route(") {
        let after = &rest[at + ".route(".len()..];
        let open = after.find('"').expect("a route's path is a string literal");
        let close = open + 1 + after[open + 1..].find('"').unwrap();
        let path = after[open + 1..close].to_owned();
        // The method router: up to the call's closing parenthesis.
        let (mut depth, mut end) = (1, close + 1);
        for (i, ch) in after[close + 1..].char_indices() {
            match ch {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = close + 1 + i;
                break;
            }
        }
        let router = &after[close + 1..end];
        let methods: Vec<&'static str> = ["get", "post", "put", "delete", "patch"]
            .into_iter()
            .filter(|m| {
                router.match_indices(&format!("{m}(")).any(|(i, _)| {
                    i == 0 || !router[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_')
                })
            })
            .collect();
        assert!(!methods.is_empty(), "a method for {path}: {router}");
        routes.push(Route { path, methods });
        rest = &after[end..];
    }
    routes
}

/// The records a route's parameters are filled with: one in the users' scope (school 1 in region
/// A) and one outside it (school 45 in region B). `None` outside: the record is not scoped.
struct Fixtures {
    values: BTreeMap<&'static str, (String, Option<String>)>,
}

impl Fixtures {
    /// The value of `param` in the route `path` (`inside` the scope or not). A parameter not
    /// named here fails the test: a new route's records must be added.
    fn fill(&self, path: &str, inside: bool) -> Option<String> {
        let mut out = String::new();
        let mut scoped = false;
        for part in path.split('/').skip(1) {
            out.push('/');
            if !(part.starts_with('{') && part.ends_with('}')) {
                out.push_str(part);
                continue;
            }
            let kind = param_kind(path, part);
            let (inner, outer) = self.values.get(kind).unwrap_or_else(|| panic!("no fixture for {part} in {path}"));
            match (inside, outer) {
                (true, _) => out.push_str(inner),
                (false, Some(o)) => {
                    out.push_str(o);
                    scoped = true;
                }
                (false, None) => out.push_str(inner),
            }
        }
        (inside || scoped).then_some(out)
    }
}

/// Which record a path parameter names.
fn param_kind(path: &str, param: &str) -> &'static str {
    let p = path.trim_start_matches("/api/v1");
    match param {
        "{decision}" => "decision",
        "{action}" => "action",
        "{entry}" => "entry",
        "{hold}" | "{need}" => "missing",
        "{region}" | "{region_id}" => "region_scoped",
        "{school_id}" | "{unit_id}" => "unit",
        "{format}" => "format",
        "{day}" => "day",
        "{name}" if p.starts_with("/static/") => "asset",
        "{id}" if p.starts_with("/children/import/") => "job",
        "{id}" if p.starts_with("/children/transfer") => "missing",
        "{id}" if p.starts_with("/children/") => "child",
        "{id}" if p.starts_with("/users/") => "user",
        "{id}" if p.starts_with("/orgs/") || p.starts_with("/org-units/") => "unit",
        "{id}" if p.starts_with("/aid/") => "entry",
        "{id}" if p.starts_with("/proofs/") => "proof",
        "{id}" if p.starts_with("/sponsors/") => "sponsor",
        "{id}" if p.starts_with("/holds/") || p.starts_with("/sponsor/") => "missing",
        "{id}" if p.starts_with("/tokens/") => "token",
        "{id}" if p.starts_with("/campaigns/") => "campaign",
        "{id}" if p.starts_with("/public/") => "region",
        "{id}" if p.starts_with("/appeals/") => "appeal",
        "{id}" if p.starts_with("/survey-leads/") => "lead",
        "{code}" => "appeal_code",
        "{topic}" => "topic",
        // Conflicts are made by a phone's stale change; their scope is held by the raids' and the
        // attendance suites.
        "{client_id}" => "finding_client",
        "{id}" if p.starts_with("/finding-photos/") || p.starts_with("/raids/photos/") => "photo",
        "{id}" if p.starts_with("/raids/conflicts/") || p.starts_with("/sync-conflicts/") => "missing",
        "{id}" if p.starts_with("/step-conflicts/") || p.starts_with("/attendance/conflicts/") => "missing",
        "{id}" if p.starts_with("/raids/") => "raid",
        "{id}" if p.starts_with("/absences/") => "absence",
        "{id}" if p.starts_with("/cases/") || p.starts_with("/attendance/cases/") => "case",
        "{id}" if p.starts_with("/steps/") || p.starts_with("/attendance/steps/") => "step",
        "{id}" if p.starts_with("/regions/") => "region_scoped",
        "{id}" if p.starts_with("/passport/") || p.starts_with("/reports/") || p.starts_with("/checks/") => "unit",
        _ => panic!("no fixture for {param} in {path}: name its record in param_kind"),
    }
}

/// What a visitor without a session may open.
const PUBLIC: &[&str] = &[
    "/",
    "/login",
    "/lang",
    "/logout",
    "/sponsors/apply",
    "/public",
    "/public/{id}",
    "/healthz",
    "/metrics",
    "/openapi.json",
    "/static/{name}",
    "/manifest.webmanifest",
    "/sw.js",
    "/api/v1/public",
    "/api/v1/sponsors/apply",
    "/api/v1/openapi.json",
    "/appeal",
    "/track",
    "/track/feedback",
    "/track/receipt",
    "/api/v1/public/appeals",
    "/api/v1/public/appeals/{code}",
    "/api/v1/public/appeals/{code}/feedback",
    "/survey",
    "/api/v1/public/survey",
    "/api/v1/public/survey/totals",
];

/// A page and the API operation that serve the same thing under other names.
const ALIASES: &[(&str, &str)] = &[
    ("/orgs/{id}", "/api/v1/org-units/{id}"),
    ("/children/transfers", "/api/v1/children/transfer-requests"),
    ("/proofs/{id}", "/api/v1/proofs/{id}/file"),
    ("/audit", "/api/v1/audit"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Allowed,
    Refused,
    Other,
}

fn decision(r: &Resp) -> Decision {
    match r.status.as_u16() {
        200..=299 => Decision::Allowed,
        300..=399 if !r.location().starts_with("/login") => Decision::Allowed,
        401 | 403 | 404 => Decision::Refused,
        300..=399 => Decision::Refused,
        _ => Decision::Other,
    }
}

/// Refusals about any record (the entity varies by route).
async fn all_denials(db: &db::Db) -> usize {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    db::entity::audit_log::Entity::find()
        .filter(db::entity::audit_log::Column::Action.is_in(["access_denied", "access_refused"]))
        .count(db)
        .await
        .unwrap() as usize
}

#[tokio::test]
async fn every_route_of_both_doors_as_every_role_in_and_out_of_scope() {
    let s = setup(1, 5).await;
    let (w, db) = (&s.w, &s.w.app.db);
    // Region B's school, its coordinator, child, payment, sponsor, import job; region A's too.
    let schb = w.app.user("schb", Role::SchoolCoordinator, w.school_s4).await;
    let disb = w.app.user("disb", Role::DistrictCoordinator, w.district_b1).await;
    let schb_actor = db::users::by_id(db, domain::UserId(schb)).await.unwrap().unwrap();
    let disb_actor = db::users::by_id(db, domain::UserId(disb)).await.unwrap().unwrap().actor();
    let allocation = domain::format::Tenge::from_tenge(100_000);
    db::ledger::set_allocation(db, &disb_actor, OrgUnitId(w.school_s4), &s.c, allocation).await.unwrap();
    let input = domain::child::ChildInput {
        iin: crate::children::iin(150, false),
        surname: "Сейтжанов".into(),
        first_name: "Ерлан".into(),
        grade: "5".into(),
        study_language: "ru".into(),
        categories: vec!["orphan".into()],
        guardian_name: "Сейтжанова Г.".into(),
        consent_by: "parent".into(),
        consent_method: "written".into(),
        consent_date: "01.08.2026".into(),
        source: "school_list".into(),
        ..Default::default()
    };
    let f = input.parse(s.c.starts_on).unwrap();
    let child_b = db::children::create(db, &schb_actor.actor(), &s.c, OrgUnitId(w.school_s4), &f).await.unwrap();
    let child_a = db::children::card(db, &s.school, ChildId(s.children[0])).await.unwrap();
    let paid_a =
        db::ledger::record(db, &s.school, &s.c, ChildId(child_a.child.id), &cash("46 228"), EntryStatus::Delivered)
            .await
            .unwrap();
    let paid_b =
        db::ledger::record(db, &schb_actor.actor(), &s.c, ChildId(child_b.id), &cash("46 228"), EntryStatus::Delivered)
            .await
            .unwrap();
    let mut sch = w.app.client();
    sch.post_form("/login", &[("login", "sch"), ("password", crate::support::PASSWORD)]).await;
    let proof_a = sch.upload(&format!("/api/v1/aid/{}/proofs", paid_a.id), "a.png", crate::proofs::PNG).await;
    let mut schb_client = w.app.client();
    schb_client.post_form("/login", &[("login", "schb"), ("password", crate::support::PASSWORD)]).await;
    let proof_b = schb_client.upload(&format!("/api/v1/aid/{}/proofs", paid_b.id), "b.png", crate::proofs::PNG).await;
    let rep = db::users::by_id(db, domain::UserId(w.app.user("rep0", Role::RepublicCoordinator, w.republic).await))
        .await
        .unwrap()
        .unwrap()
        .actor();
    let fields =
        |name: &str| domain::aid::SponsorInput { kind: "parents".into(), name: name.into(), ..Default::default() };
    let sponsor_a =
        app::sponsors::create(&w.app.state.core, &rep, OrgUnitId(w.region_a), &fields("A").parse().unwrap())
            .await
            .unwrap();
    let sponsor_b =
        app::sponsors::create(&w.app.state.core, &rep, OrgUnitId(w.region_b), &fields("B").parse().unwrap())
            .await
            .unwrap();
    let (token_b, _) = db::tokens::create(db, &schb_actor, "b").await.unwrap();
    let sch_id = s.school.user_id.0;
    let job_a = crate::support::failed_import_job(db, sch_id, w.school_s1, s.c.id).await;
    let job_b = crate::support::failed_import_job(db, schb, w.school_s4, s.c.id).await;
    // A raid, a pupil out, its case and a step of it in each region.
    let raid_fields = domain::raid::RaidInput {
        date: "01.09.2026".into(),
        places: vec![domain::raid::PlaceInput { kind: "market".into(), address: String::new() }],
        ..Default::default()
    }
    .parse()
    .unwrap();
    let raid_a = db::raids::create(db, &s.school, &s.c, OrgUnitId(w.school_s1), &raid_fields, &[]).await.unwrap();
    let raid_b =
        db::raids::create(db, &schb_actor.actor(), &s.c, OrgUnitId(w.school_s4), &raid_fields, &[]).await.unwrap();
    // A finding with a photo on each raid.
    let (client_a, client_b) = ("5b9b7c3e-6b1f-4c1a-9d3e-1f2a3b4c5d6e", "6c0c8d4f-7c2a-4d2b-8e4f-2a3b4c5d6e7f");
    let photo_a = photo_of(raid_a.id, client_a, &mut sch).await;
    let photo_b = photo_of(raid_b.id, client_b, &mut schb_client).await;
    let today = domain::calendar::today();
    let pupils = [crate::children::iin(160, false), crate::children::iin(161, true)];
    let out = |iin: &str| {
        domain::attendance::AbsenceInput {
            iin: iin.into(),
            surname: "Жоқбаев".into(),
            first_name: "Нұр".into(),
            first_day: "01.09.2026".into(),
            reason: "material".into(),
            ..Default::default()
        }
        .parse(today)
        .unwrap()
    };
    let out_a = db::attendance::record(db, &s.school, &s.c, OrgUnitId(w.school_s1), &out(&pupils[0])).await.unwrap();
    let out_b =
        db::attendance::record(db, &schb_actor.actor(), &s.c, OrgUnitId(w.school_s4), &out(&pupils[1])).await.unwrap();
    let step = domain::attendance::StepInput { kind: "call".into(), due_on: "02.09.2026".into(), ..Default::default() };
    let step = step.parse(today).unwrap();
    let step_id = |a: db::attendance::Added| match a {
        db::attendance::Added::Created(s) | db::attendance::Added::Same(s) => s.id,
    };
    let step_a = step_id(db::attendance::add_step(db, &s.school, out_a.case_id, &step).await.unwrap());
    let step_b = step_id(db::attendance::add_step(db, &schb_actor.actor(), out_b.case_id, &step).await.unwrap());
    // An appeal in each region.
    let appeal_in = |school: i64| domain::appeal::AppealInput {
        channel: "hotline".into(),
        topic: "help_not_received".into(),
        anonymous: true,
        school: school.to_string(),
        text: "Не выдали форму".into(),
        ..Default::default()
    };
    let now = chrono::Utc::now();
    let by_a = db::appeals::By::Staff(&s.school);
    let appeal_a = db::appeals::register(db, by_a, &appeal_in(w.school_s1).parse(None).unwrap(), None, now).await;
    let schb_as = schb_actor.actor();
    let by_b = db::appeals::By::Staff(&schb_as);
    let appeal_b = db::appeals::register(db, by_b, &appeal_in(w.school_s4).parse(None).unwrap(), None, now).await;
    let (appeal_a, appeal_b) = (appeal_a.unwrap().0, appeal_b.unwrap().0);
    // A survey's lead in each region.
    let lead_in = |school: i64, key: &str| {
        let f = domain::survey::SurveyInput {
            school: school.to_string(),
            ready: "no".into(),
            help: "yes".into(),
            contact_name: "Гүлнар".into(),
            phone: "87015551234".into(),
            consent: "yes".into(),
            ..Default::default()
        };
        (f.parse().unwrap(), key.to_owned())
    };
    let mut leads = Vec::new();
    for (school, key) in
        [(w.school_s1, "8b9b7c3e-6b1f-4c1a-9d3e-1f2a3b4c5d6e"), (w.school_s4, "9c0c8d4f-7c2a-4d2b-8e4f-2a3b4c5d6e7f")]
    {
        let (f, key) = lead_in(school, key);
        leads.push(db::survey::submit(db, &f, &key, "127.0.0.1", "ru", None, now).await.unwrap().0.id);
    }
    let id = |v: i64| v.to_string();
    let both = |a: i64, b: i64| (id(a), Some(id(b)));
    let json_id = |r: &Resp| r.json()["id"].as_i64().unwrap();
    let fixtures = Fixtures {
        values: BTreeMap::from([
            ("child", both(child_a.child.id, child_b.id)),
            ("raid", both(raid_a.id, raid_b.id)),
            ("finding_client", (client_a.to_owned(), Some(client_b.to_owned()))),
            ("photo", both(photo_a, photo_b)),
            ("absence", both(out_a.absence.id, out_b.absence.id)),
            ("case", both(out_a.case_id, out_b.case_id)),
            ("step", both(step_a, step_b)),
            ("appeal", both(appeal_a.id, appeal_b.id)),
            ("lead", both(leads[0], leads[1])),
            ("appeal_code", (appeal_a.code.clone(), None)),
            ("topic", ("other".into(), None)),
            ("user", both(sch_id, schb)),
            ("unit", both(w.school_s1, w.school_s4)),
            ("entry", both(paid_a.id, paid_b.id)),
            ("proof", both(json_id(&proof_a), json_id(&proof_b))),
            ("sponsor", both(sponsor_a.id, sponsor_b.id)),
            ("job", both(job_a.id, job_b.id)),
            ("token", (id(token_b.id), Some(id(token_b.id)))),
            ("campaign", (id(s.c.id), None)),
            ("region", (id(w.region_a), None)),
            ("region_scoped", both(w.region_a, w.region_b)),
            ("format", ("pdf".into(), None)),
            ("day", ("2026-10-05".into(), None)),
            ("asset", (web::assets::CSS.path.trim_start_matches("/static/").to_owned(), None)),
            ("decision", ("approve".into(), None)),
            ("action", ("confirm".into(), None)),
            ("missing", ("999999".into(), None)),
        ]),
    };
    let mut personal: Vec<String> =
        vec![child_a.child.surname.clone(), child_a.child.iin.clone(), child_b.surname.clone(), child_b.iin.clone()];
    personal.extend(pupils.iter().cloned().chain(["Жоқбаев".to_owned()]));

    // The routes, and the door each is served from (asked as an anonymous visitor: a route that
    // is not there is the door's 404).
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src");
    let mut routes = routes_in_source(&source);
    routes.sort();
    routes.dedup();
    assert!(routes.len() > 80, "{} routes read", routes.len());
    let mut anonymous = w.app.client();
    let mut served: Vec<(String, &'static str)> = Vec::new();
    for r in &routes {
        for door in ["", "/api/v1"] {
            let template = format!("{door}{}", r.path);
            let path = fixtures.fill(&template, true).unwrap();
            for m in &r.methods {
                let method = Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
                let answer = anonymous.send(method, &path, None, Vec::new()).await;
                let absent = matches!(answer.status, StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED);
                if !absent {
                    served.push((template.clone(), m));
                }
            }
        }
    }
    served.sort();
    served.dedup();
    let doors: HashSet<&str> =
        served.iter().map(|(p, _)| if p.starts_with("/api/") { "api" } else { "page" }).collect();
    assert_eq!(doors.len(), 2, "both doors found");

    let mut clients: Vec<(&str, Client)> = vec![("anonymous", w.app.client())];
    for (name, role, unit) in [
        ("m_rep", Role::RepublicCoordinator, w.republic),
        ("m_reg", Role::RegionCoordinator, w.region_a),
        ("m_dis", Role::DistrictCoordinator, w.district_a1),
        ("m_sch", Role::SchoolCoordinator, w.school_s1),
        ("m_raid", Role::RaidMember, w.district_a1),
        ("m_aud", Role::Auditor, w.region_a),
        ("m_spon", Role::Sponsor, w.region_a),
    ] {
        clients.push((name, w.app.signed_in(name, role, unit).await));
    }

    let mut decisions: BTreeMap<(String, &str, bool, String), Decision> = BTreeMap::new();
    let mut cells = 0;
    for (template, method) in &served {
        let is_public = PUBLIC.contains(&template.as_str());
        for (who, client) in clients.iter_mut() {
            for inside in [true, false] {
                let Some(path) = fixtures.fill(template, inside) else { continue };
                let write = *method != "get";
                // Writes are tried only where they must be refused: outside the scope, or anonymous.
                if write && inside && *who != "anonymous" {
                    continue;
                }
                if write && *who == "anonymous" && is_public {
                    continue;
                }
                if !inside && *who == "m_rep" {
                    continue;
                }
                let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                let before = all_denials(db).await;
                let r = if !write {
                    client.send(m, &path, None, Vec::new()).await
                } else if template.starts_with("/api/") {
                    client.json(m, &path, serde_json::json!({})).await
                } else {
                    client.post_form(&path, &[]).await
                };
                cells += 1;
                let cell = format!("{who} {method} {path}");
                assert!(!r.status.is_server_error(), "{cell}: {} {}", r.status, r.body);
                if *who == "anonymous" && !is_public {
                    assert!(
                        r.status == StatusCode::UNAUTHORIZED || r.location().starts_with("/login"),
                        "{cell}: an anonymous visitor is sent to sign in, got {} {}",
                        r.status,
                        r.location()
                    );
                }
                if !inside {
                    assert_ne!(decision(&r), Decision::Allowed, "{cell}: outside the scope: {} {}", r.status, r.body);
                }
                if r.status == StatusCode::FORBIDDEN {
                    assert!(all_denials(db).await > before, "{cell}: the refusal is in the audit log");
                }
                if matches!(*who, "anonymous" | "m_raid" | "m_spon") && r.status.is_success() {
                    for p in &personal {
                        assert!(!r.body.contains(p.as_str()), "{cell}: shows {p}");
                    }
                }
                if !write {
                    decisions.insert((template.clone(), method, inside, (*who).to_owned()), decision(&r));
                }
            }
        }
    }
    // A page and its API operation decide alike, for every role, in and out of scope.
    let mut pairs = 0;
    for ((template, method, inside, who), d) in &decisions {
        if template.starts_with("/api/") {
            continue;
        }
        let api = ALIASES
            .iter()
            .find(|(page, _)| page == template)
            .map_or_else(|| format!("/api/v1{template}"), |(_, api)| (*api).to_owned());
        if let Some(a) = decisions.get(&(api.clone(), *method, *inside, who.clone())) {
            pairs += 1;
            if *d != Decision::Other && *a != Decision::Other {
                assert_eq!(d, a, "{who} {method} {template} (inside: {inside}) against {api}");
            }
        }
    }
    assert!(pairs > 100, "{pairs} page and API pairs compared");
    assert!(cells > 1000, "{cells} cells");
}

/// A finding the client writes on `raid`, with a photo; the photo's id.
async fn photo_of(raid: i64, client: &str, who: &mut crate::support::Client) -> i64 {
    let finding = serde_json::json!({ "finding": { "client_id": client, "sex": "male", "age": "12",
        "place": "market", "found_at": "20:00", "action": "taken_home" } });
    let r = who.json(axum::http::Method::POST, &format!("/api/v1/raids/{raid}/findings"), finding).await;
    assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.body);
    let bytes = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01 a photo";
    let r = who.upload(&format!("/api/v1/raids/{raid}/findings/{client}/photos"), "p.jpg", bytes).await;
    assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}
