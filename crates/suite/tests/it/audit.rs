use axum::http::{Method, StatusCode};
use domain::Role;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::World;

#[tokio::test]
async fn every_write_is_logged_with_before_and_after_and_the_auditor_can_filter() {
    let w = World::new().await;
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let r = reg
        .json(Method::PUT, &format!("/api/v1/org-units/{}", w.school_s1), json!({ "code": "1", "name_ru": "Школа № 1 имени Абая", "name_kk": "Абай атындағы № 1 мектеп", "settlement": "Балқаш", "locality": "urban", "language": "mixed" }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut aud = w.app.signed_in("aud", Role::Auditor, w.region_a).await;
    let entries =
        aud.get(&format!("/api/v1/audit?entity=org_unit&entity_id={}&action=update", w.school_s1)).await.json();
    let e = &entries[0];
    assert_eq!(e["actor_login"], "reg");
    assert!(e["before"].as_str().unwrap().contains("Школа № 1\""), "{e}");
    assert!(e["after"].as_str().unwrap().contains("Школа № 1 имени Абая"), "{e}");
    let page = aud.get("/audit?actor=reg").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Школа № 1 имени Абая"));
    let bad = aud.get("/audit?from=32.13.2026").await;
    assert!(bad.body.contains("укажите дату в виде ДД.ММ.ГГГГ"), "{}", bad.body);
    let reversed = aud.get("/api/v1/audit?from=2026-09-30&to=2026-08-01").await;
    assert_eq!(reversed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reversed.json()["error"]["fields"][0]["code"], "period_reversed");
    let today = domain::calendar::today().format("%d.%m.%Y").to_string();
    let dated = aud.get(&format!("/api/v1/audit?from={today}&to={today}&actor=reg")).await.json();
    assert!(!dated.as_array().unwrap().is_empty());
}

#[tokio::test]
async fn nothing_in_the_api_or_the_database_can_change_the_log() {
    let w = World::new().await;
    let mut rep = w.app.signed_in("rep", Role::RepublicCoordinator, w.republic).await;
    for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
        let r = rep.json(method.clone(), "/api/v1/audit", json!({})).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
    let update = w.app.db.execute_unprepared("UPDATE audit_log SET action = 'tampered'").await;
    assert!(update.is_err(), "UPDATE must be refused");
    let delete = w.app.db.execute_unprepared("DELETE FROM audit_log").await;
    assert!(delete.is_err(), "DELETE must be refused");
    let entries = rep.get("/api/v1/audit").await.json();
    assert!(entries.as_array().unwrap().iter().all(|e| e["action"] != "tampered"));
    assert!(!entries.as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_school_coordinator_cannot_read_other_schools_in_the_log_and_a_raid_member_not_at_all() {
    let w = World::new().await;
    let mut s2 = w.app.signed_in("s2", Role::SchoolCoordinator, w.school_s2).await;
    s2.get(&format!("/orgs/{}", w.school_s1)).await;
    let mut s1 = w.app.signed_in("s1", Role::SchoolCoordinator, w.school_s1).await;
    let seen = s1.get("/api/v1/audit").await.json();
    assert!(seen.as_array().unwrap().iter().all(|e| e["actor_login"] != "s2"), "{seen}");
    let mut raid = w.app.signed_in("raid", Role::RaidMember, w.district_a1).await;
    assert_eq!(raid.get("/api/v1/audit").await.status, StatusCode::FORBIDDEN);
    assert_eq!(raid.get("/audit").await.status, StatusCode::FORBIDDEN);
}

/// A refusal by role is in the audit log through both doors: who, what route, which role.
#[tokio::test]
async fn a_refusal_by_role_is_in_the_audit_log() {
    use db::entity::audit_log::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let w = crate::World::new().await;
    let mut raid = w.app.signed_in("raid", domain::Role::RaidMember, w.district_a1).await;
    assert_eq!(raid.get("/api/v1/users").await.status, axum::http::StatusCode::FORBIDDEN);
    assert_eq!(raid.get("/users").await.status, axum::http::StatusCode::FORBIDDEN);
    let mut sponsor = w.app.signed_in("spon", domain::Role::Sponsor, w.region_a).await;
    assert_eq!(sponsor.get("/api/v1/audit").await.status, axum::http::StatusCode::FORBIDDEN);
    let rows = Entity::find()
        .filter(Column::Action.eq("access_refused"))
        .order_by_asc(Column::Id)
        .all(&w.app.db)
        .await
        .unwrap();
    let seen: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            let after: serde_json::Value = serde_json::from_str(r.after.as_deref().unwrap_or("{}")).unwrap_or_default();
            (r.actor_login.clone(), after["route"].as_str().unwrap_or_default().to_owned())
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("raid".to_owned(), "/api/v1/users".to_owned()),
            ("raid".to_owned(), "/users".to_owned()),
            ("spon".to_owned(), "/api/v1/audit".to_owned())
        ]
    );
    // Anonymous callers are sent to sign in, not logged as anyone.
    assert!(w.app.client().get("/api/v1/users").await.status == axum::http::StatusCode::UNAUTHORIZED);
}

/// Refusals answered as "not found" (so as not to say the record exists) are still logged: a
/// sponsor's hold on another region's need, and revoking another account's token.
#[tokio::test]
async fn refusals_answered_as_not_found_are_logged_too() {
    use axum::http::{Method, StatusCode};
    use domain::Role;
    let w = crate::World::new().await;
    crate::children::campaign(&w).await;
    // A need in region B.
    let mut far = w.app.signed_in("far", Role::SchoolCoordinator, w.school_s4).await;
    let s4 = w.school_s4.to_string();
    let far_iin = crate::children::iin(80, true);
    let fields = crate::children::form(&far_iin, "Далёкова", &s4, "asp", "4");
    let child = crate::children::add(&mut far, &fields).await;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let need = db::entity::child_need::Entity::find()
        .filter(db::entity::child_need::Column::ChildId.eq(child))
        .one(&w.app.db)
        .await
        .unwrap()
        .expect("the child's need")
        .id;
    // A sponsor of region A.
    let reg = w.app.user("reg", Role::RegionCoordinator, w.region_a).await;
    let reg = db::users::by_id(&w.app.db, domain::UserId(reg)).await.unwrap().unwrap().actor();
    let f = domain::aid::SponsorInput {
        kind: "company".into(),
        name: "ТОО «Арман жол»".into(),
        bin_iin: "990140004654".into(),
        ..Default::default()
    };
    let s = db::sponsors::create(&w.app.db, &reg, domain::OrgUnitId(w.region_a), &f.parse().unwrap()).await.unwrap();
    let hash = domain::password::hash(crate::support::PASSWORD).unwrap();
    db::sponsors::add_account(&w.app.db, &reg, domain::SponsorId(s.id), "armanzhol", "Арман", &hash).await.unwrap();
    let mut sponsor = w.app.client();
    sponsor.post_form("/login", &[("login", "armanzhol"), ("password", crate::support::PASSWORD)]).await;
    let new_password = "Арман-жол-2026-август";
    let changed = sponsor
        .post_form(
            "/password",
            &[("current", crate::support::PASSWORD), ("new_password", new_password), ("confirm", new_password)],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let r = sponsor.json(Method::POST, "/api/v1/sponsor/holds", serde_json::json!({ "need_id": need })).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert_eq!(crate::support::audit_count(&w.app.db, "access_denied", "child_need", Some(need)).await, 1);

    // Another account's token.
    let created = far.json(Method::POST, "/api/v1/tokens", serde_json::json!({ "name": "выгрузка" })).await;
    let token = created.json()["token"]["id"].as_i64().unwrap();
    let mut other = w.app.signed_in("other", Role::SchoolCoordinator, w.school_s1).await;
    let r = other.send(Method::DELETE, &format!("/api/v1/tokens/{token}"), None, vec![]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(crate::support::audit_count(&w.app.db, "access_denied", "api_token", Some(token)).await, 1);
    // One's own token that is not there: nothing to log.
    let r = other.send(Method::DELETE, "/api/v1/tokens/999999", None, vec![]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(crate::support::audit_count(&w.app.db, "access_denied", "api_token", None).await, 1);
}
