//! Role by role, in the pages and in the API: nobody sees or changes anything outside their scope.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use domain::Role;
use serde_json::json;

use crate::World;
use crate::support::{Client, audit_count};

async fn visible(c: &mut Client) -> BTreeSet<i64> {
    let r = c.get("/api/v1/org-units?limit=5000&include_inactive=true").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json().as_array().unwrap().iter().map(|u| u["id"].as_i64().unwrap()).collect()
}

struct Case {
    login: &'static str,
    role: Role,
    unit: i64,
    inside: Vec<i64>,
    outside: Vec<i64>,
}

#[tokio::test]
async fn every_role_sees_exactly_its_subtree_in_the_api_and_the_pages() {
    let w = World::new().await;
    let all_a = vec![w.region_a, w.district_a1, w.district_a2, w.school_s1, w.school_s2, w.school_s3];
    let cases = vec![
        Case {
            login: "rep",
            role: Role::RepublicCoordinator,
            unit: w.republic,
            inside: vec![w.republic, w.region_b, w.school_s4, w.school_s1],
            outside: vec![],
        },
        Case {
            login: "reg",
            role: Role::RegionCoordinator,
            unit: w.region_a,
            inside: all_a.clone(),
            outside: vec![w.republic, w.region_b, w.district_b1, w.school_s4],
        },
        Case {
            login: "dis",
            role: Role::DistrictCoordinator,
            unit: w.district_a1,
            inside: vec![w.district_a1, w.school_s1, w.school_s2],
            outside: vec![w.region_a, w.district_a2, w.school_s3, w.school_s4],
        },
        Case {
            login: "sch",
            role: Role::SchoolCoordinator,
            unit: w.school_s1,
            inside: vec![w.school_s1],
            outside: vec![w.school_s2, w.district_a1, w.school_s4, w.republic],
        },
        Case {
            login: "raid",
            role: Role::RaidMember,
            unit: w.district_a2,
            inside: vec![w.district_a2, w.school_s3],
            outside: vec![w.school_s1, w.district_a1],
        },
        Case {
            login: "aud",
            role: Role::Auditor,
            unit: w.region_b,
            inside: vec![w.region_b, w.district_b1, w.school_s4],
            outside: vec![w.region_a, w.school_s1],
        },
    ];
    for case in cases {
        let mut c = w.app.signed_in(case.login, case.role, case.unit).await;
        let seen = visible(&mut c).await;
        let unit_path = db::org::republic(&w.app.db).await.unwrap().unwrap().path;
        assert!(!seen.is_empty() && !unit_path.is_empty());
        for id in &case.inside {
            assert!(seen.contains(id), "{}: should see {id}", case.login);
            assert_eq!(
                c.get(&format!("/api/v1/org-units/{id}")).await.status,
                StatusCode::OK,
                "{} api {id}",
                case.login
            );
            assert_eq!(c.get(&format!("/orgs/{id}")).await.status, StatusCode::OK, "{} page {id}", case.login);
        }
        for id in &case.outside {
            assert!(!seen.contains(id), "{}: must not see {id}", case.login);
            let before = audit_count(&w.app.db, "access_denied", "org_unit", Some(*id)).await;
            let api = c.get(&format!("/api/v1/org-units/{id}")).await;
            assert_eq!(api.status, StatusCode::FORBIDDEN, "{} api {id}", case.login);
            assert_eq!(api.json()["error"]["code"], "not_in_scope");
            let page = c.get(&format!("/orgs/{id}")).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{} page {id}", case.login);
            assert!(page.body.contains("вне вашей зоны доступа"));
            assert!(!page.body.contains("Школа № 45") || case.inside.contains(&w.school_s4));
            assert_eq!(
                audit_count(&w.app.db, "access_denied", "org_unit", Some(*id)).await,
                before + 2,
                "both attempts logged"
            );
        }
    }
}

#[tokio::test]
async fn a_sponsor_sees_no_org_data() {
    let w = World::new().await;
    let mut c = w.app.signed_in("spon", Role::Sponsor, w.region_a).await;
    let r = c.get("/api/v1/org-units").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(c.get(&format!("/api/v1/org-units/{}", w.school_s1)).await.status, StatusCode::FORBIDDEN);
    let home = c.get("/").await;
    assert_eq!(home.location(), "/sponsor", "a sponsor's start page is the portal");
    // An account not linked to a registered sponsor gets nothing there either.
    let portal = c.get("/sponsor").await;
    assert_eq!(portal.status, StatusCode::FORBIDDEN);
    assert!(!portal.body.contains("Школа № 1"));
    assert_eq!(c.get("/api/v1/users").await.status, StatusCode::FORBIDDEN);
    assert_eq!(c.get("/api/v1/audit").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn nobody_changes_anything_outside_their_scope() {
    let w = World::new().await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let body = json!({ "code": "2", "name_ru": "Захвачено", "name_kk": "Басып алынды", "settlement": "X", "locality": "urban", "language": "kk" });
    let r = sch.json(Method::PUT, &format!("/api/v1/org-units/{}", w.school_s2), body.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The refused write is logged even though its transaction rolled back.
    assert_eq!(audit_count(&w.app.db, "access_denied", "org_unit", Some(w.school_s2)).await, 1);
    let page = sch
        .post_form(
            &format!("/orgs/{}/edit", w.school_s2),
            &[
                ("code", "2"),
                ("name_ru", "Захвачено"),
                ("name_kk", "x"),
                ("settlement", "x"),
                ("locality", "urban"),
                ("language", "kk"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let s2 = db::org::ensure_child_system(
        &w.app.db,
        domain::OrgUnitId(w.district_a1),
        &domain::org::OrgUnitFields {
            code: Some("2".into()),
            name_ru: String::new(),
            name_kk: String::new(),
            settlement: None,
            is_rural: None,
            language: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(s2.name_ru, "Школа № 2", "unchanged");
    // A district coordinator cannot create a school in another district, nor deactivate its own district.
    let mut dis = w.app.signed_in("dis", Role::DistrictCoordinator, w.district_a1).await;
    let r = dis.json(Method::POST, "/api/v1/org-units", json!({ "parent_id": w.district_a2, "code": "9", "name_ru": "Н", "name_kk": "Н", "settlement": "С", "locality": "rural", "language": "ru" })).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = dis.send(Method::POST, &format!("/api/v1/org-units/{}/deactivate", w.district_a1), None, vec![]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Raid members and auditors change nothing, even inside their scope.
    for (login, role, unit) in [("raid", Role::RaidMember, w.district_a1), ("aud", Role::Auditor, w.region_a)] {
        let mut c = w.app.signed_in(login, role, unit).await;
        let r = c.json(Method::PUT, &format!("/api/v1/org-units/{}", w.school_s1), body.clone()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{login}");
        let r = c.json(Method::POST, "/api/v1/org-units", json!({ "parent_id": w.district_a1, "code": "99", "name_ru": "Н", "name_kk": "Н", "settlement": "С", "locality": "rural", "language": "ru" })).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{login}");
        let r = c
            .json(
                Method::POST,
                "/api/v1/users",
                json!({ "login": "x-x", "full_name": "X", "role": "raid_member", "unit_id": unit }),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{login}");
        assert_eq!(r.json()["error"]["fields"][0]["code"], "cannot_grant");
    }
}

#[tokio::test]
async fn users_and_the_audit_log_are_scoped_too() {
    let w = World::new().await;
    w.app.user("far-away", Role::SchoolCoordinator, w.school_s4).await;
    let near = w.app.user("near", Role::SchoolCoordinator, w.school_s2).await;
    let mut dis = w.app.signed_in("dis", Role::DistrictCoordinator, w.district_a1).await;
    let users = dis.get("/api/v1/users").await.json();
    let logins: Vec<_> = users.as_array().unwrap().iter().map(|u| u["login"].as_str().unwrap().to_owned()).collect();
    assert!(logins.contains(&"near".to_owned()) && logins.contains(&"dis".to_owned()));
    assert!(!logins.contains(&"far-away".to_owned()), "{logins:?}");
    let far = db::users::by_login(&w.app.db, "far-away").await.unwrap().unwrap().user.id;
    let r = dis.get(&format!("/api/v1/users/{far}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(audit_count(&w.app.db, "access_denied", "user", Some(far)).await, 1);
    assert_eq!(dis.get(&format!("/api/v1/users/{near}")).await.status, StatusCode::OK);
    let page = dis.get("/users").await;
    assert!(page.body.contains("near") && !page.body.contains("far-away"));
    // The audit log shows entries of the district only.
    let mut rep = w.app.signed_in("rep", Role::RepublicCoordinator, w.republic).await;
    rep.json(Method::PUT, &format!("/api/v1/org-units/{}", w.school_s4), json!({ "code": "45", "name_ru": "Гимназия № 45", "name_kk": "№ 45 гимназия", "settlement": "Астана", "locality": "urban", "language": "kk" })).await;
    let entries = dis.get("/api/v1/audit?action=update").await.json();
    assert!(entries.as_array().unwrap().is_empty(), "{entries}");
    let entries = rep.get("/api/v1/audit?action=update&entity=org_unit").await.json();
    assert_eq!(entries.as_array().unwrap().len(), 1);
}

/// What the API refuses a sponsor or a raid member, the pages refuse too: another account, an
/// import job (its errors name children by IIN), the transfer requests.
#[tokio::test]
async fn pages_refuse_sponsors_and_raid_members_what_the_api_refuses() {
    let w = World::new().await;
    crate::children::campaign(&w).await;
    let c = db::campaigns::current(&w.app.db).await.unwrap().unwrap();
    let coordinator = w.app.user("dist", Role::DistrictCoordinator, w.district_a1).await;
    let job = crate::support::failed_import_job(&w.app.db, coordinator, w.school_s1, c.id).await;
    let raid = w.app.signed_in("raid", Role::RaidMember, w.district_a1).await;
    let sponsor = w.app.signed_in("spon", Role::Sponsor, w.region_a).await;
    for (name, mut who) in [("raid", raid), ("sponsor", sponsor)] {
        for (page, api) in [
            (format!("/users/{coordinator}"), format!("/api/v1/users/{coordinator}")),
            (format!("/children/import/{}", job.id), format!("/api/v1/children/import/{}", job.id)),
            ("/children/transfers".to_owned(), "/api/v1/children/transfer-requests".to_owned()),
        ] {
            let a = who.get(&api).await.status;
            let p = who.get(&page).await.status;
            assert_eq!(a, StatusCode::FORBIDDEN, "{name} {api}");
            assert_eq!(p, a, "{name} {page}: the page answers as the API does");
        }
    }
}
