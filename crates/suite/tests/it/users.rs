use axum::http::{Method, StatusCode};
use domain::Role;
use serde_json::json;

use crate::World;
use crate::support::{PASSWORD, audit_count};

#[tokio::test]
async fn coordinators_create_users_in_scope_and_never_grant_more_than_they_have() {
    let w = World::new().await;
    let mut dis = w.app.signed_in("dis", Role::DistrictCoordinator, w.district_a1).await;
    let r = dis.json(Method::POST, "/api/v1/users", json!({ "login": "Social.Ped", "full_name": "Нұрғалиева Әйгерім", "role": "school_coordinator", "unit_id": w.school_s2 })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let created = r.json();
    assert_eq!(created["user"]["login"], "social.ped");
    assert_eq!(created["user"]["must_change_password"], true);
    let otp = created["one_time_password"].as_str().unwrap().to_owned();
    assert!(!r.body.contains("argon2"), "never the hash");
    // The new user signs in with the one-time password and must change it.
    let mut fresh = w.app.client();
    let login = fresh.post_form("/login", &[("login", "social.ped"), ("password", &otp)]).await;
    assert_eq!(login.location(), "/password");
    for (role, unit, code) in [
        ("region_coordinator", w.region_a, "cannot_grant"),
        ("sponsor", w.district_a1, "cannot_grant"),
        ("school_coordinator", w.district_a1, "role_unit_mismatch"),
    ] {
        let r = dis
            .json(
                Method::POST,
                "/api/v1/users",
                json!({ "login": "xx1", "full_name": "X", "role": role, "unit_id": unit }),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{role}");
        assert_eq!(r.json()["error"]["fields"][0]["code"], code, "{role}");
    }
    let r = dis
        .json(
            Method::POST,
            "/api/v1/users",
            json!({ "login": "xx2", "full_name": "X", "role": "school_coordinator", "unit_id": w.school_s3 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a school outside the district");
    let r = dis
        .json(
            Method::POST,
            "/api/v1/users",
            json!({ "login": "social.ped", "full_name": "X", "role": "raid_member", "unit_id": w.district_a1 }),
        )
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "duplicate");
    // The page form keeps what was typed and names the field.
    let r = dis
        .post_form(
            "/users/new",
            &[
                ("login", "ab"),
                ("full_name", "Қасымов Ерлан"),
                ("role", "raid_member"),
                ("unit_id", &w.district_a1.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Логин: от 3 до 64"), "{}", r.body);
    assert!(r.body.contains("value=\"Қасымов Ерлан\""));
    let ok = dis
        .post_form(
            "/users/new",
            &[
                ("login", "raid.1"),
                ("full_name", "Қасымов Ерлан"),
                ("role", "raid_member"),
                ("unit_id", &w.district_a1.to_string()),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(ok.body.contains("id=\"one-time-password\""));
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions_and_tokens() {
    let w = World::new().await;
    let mut victim = w.app.signed_in("victim", Role::SchoolCoordinator, w.school_s1).await;
    let token = victim.json(Method::POST, "/api/v1/tokens", json!({ "name": "t" })).await.json()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = db::users::by_login(&w.app.db, "victim").await.unwrap().unwrap().user.id;
    let mut other_school = w.app.signed_in("other", Role::SchoolCoordinator, w.school_s2).await;
    let r = other_school.send(Method::POST, &format!("/api/v1/users/{id}/disable"), None, vec![]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut dis = w.app.signed_in("dis", Role::DistrictCoordinator, w.district_a1).await;
    let r = dis.send(Method::POST, &format!("/api/v1/users/{id}/disable"), None, vec![]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(victim.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let mut bot = w.app.client();
    bot.token = Some(token);
    assert_eq!(bot.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    let mut again = w.app.client();
    let r = again.post_form("/login", &[("login", "victim"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(audit_count(&w.app.db, "disable", "user", Some(id)).await, 1);
    let me = db::users::by_login(&w.app.db, "dis").await.unwrap().unwrap().user.id;
    let r = dis.send(Method::POST, &format!("/api/v1/users/{me}/disable"), None, vec![]).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "cannot_disable_self");
}

#[tokio::test]
async fn a_password_reset_gives_a_new_one_time_password_that_works_at_once_after_too_many_tries() {
    let w = World::new().await;
    let id = w.app.user("forgot", Role::SchoolCoordinator, w.school_s1).await;
    w.app.user("forgotten", Role::SchoolCoordinator, w.school_s1).await;
    let mut c = w.app.client();
    for _ in 0..5 {
        c.post_form("/login", &[("login", "forgot"), ("password", "wrong")]).await;
        c.post_form("/login", &[("login", "forgotten"), ("password", "wrong")]).await;
    }
    let r = c.post_form("/login", &[("login", "forgot"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "held back after five tries");
    let mut dis = w.app.signed_in("dis", Role::DistrictCoordinator, w.district_a1).await;
    let r = dis.post_form(&format!("/users/{id}/reset"), &[]).await;
    let otp = r.body.split("id=\"one-time-password\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let r = c.post_form("/login", &[("login", "forgot"), ("password", &otp)]).await;
    assert_eq!(r.location(), "/password");
    // Only that login's count is forgotten (a login that its prefix starts is another login).
    let r = c.post_form("/login", &[("login", "forgotten"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let kept = db::entity::throttle_hit::Entity::find()
        .filter(db::entity::throttle_hit::Column::Bucket.starts_with("signin-login:forgotten"))
        .count(&w.app.db)
        .await
        .unwrap();
    assert_eq!(kept, 1, "the other login's count from everywhere is kept too");
}

#[tokio::test]
async fn coordinators_change_name_role_and_unit_within_what_they_may_grant() {
    let w = World::new().await;
    let id = w.app.user("moved", Role::SchoolCoordinator, w.school_s1).await;
    let mut moved = w.app.client();
    moved.post_form("/login", &[("login", "moved"), ("password", PASSWORD)]).await;
    assert_eq!(moved.get(&format!("/api/v1/org-units/{}", w.school_s2)).await.status, StatusCode::FORBIDDEN);
    let mut dis = w.app.signed_in("dis", Role::DistrictCoordinator, w.district_a1).await;
    let r = dis
        .json(
            Method::PUT,
            &format!("/api/v1/users/{id}"),
            json!({ "full_name": "Қасымова Әйгерім", "role": "region_coordinator", "unit_id": w.region_a }),
        )
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "cannot_grant");
    let r = dis
        .json(
            Method::PUT,
            &format!("/api/v1/users/{id}"),
            json!({ "full_name": "Қасымова Әйгерім", "role": "school_coordinator", "unit_id": w.school_s3 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a unit outside the district");
    let page = dis
        .post_form(
            &format!("/users/{id}/edit"),
            &[("full_name", ""), ("role", "raid_member"), ("unit_id", &w.district_a1.to_string())],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Заполните поле «Фамилия, имя, отчество»."), "{}", page.body);
    let ok = dis
        .post_form(
            &format!("/users/{id}/edit"),
            &[("full_name", "Қасымова Әйгерім"), ("role", "raid_member"), ("unit_id", &w.district_a1.to_string())],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    // The new scope applies to the open session at once.
    let me = moved.get("/api/v1/me").await.json();
    assert_eq!(me["user"]["role"], "raid_member");
    assert_eq!(moved.get(&format!("/api/v1/org-units/{}", w.school_s2)).await.status, StatusCode::OK);
    assert_eq!(audit_count(&w.app.db, "update", "user", Some(id)).await, 1);
    let me_id = db::users::by_login(&w.app.db, "dis").await.unwrap().unwrap().user.id;
    let r = dis
        .json(
            Method::PUT,
            &format!("/api/v1/users/{me_id}"),
            json!({ "full_name": "X", "role": "district_coordinator", "unit_id": w.district_a1 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "nobody edits their own role");
}

#[tokio::test]
async fn an_account_opens_only_for_those_who_manage_or_audit_accounts_through_both_doors() {
    let w = World::new().await;
    let target = w.app.user("sch", Role::SchoolCoordinator, w.school_s1).await;
    for (login, role, unit) in [("raid", Role::RaidMember, w.district_a1), ("spons", Role::Sponsor, w.region_a)] {
        let mut c = w.app.signed_in(login, role, unit).await;
        assert_eq!(c.get(&format!("/users/{target}")).await.status, StatusCode::FORBIDDEN, "{login}: the page");
        assert_eq!(c.get(&format!("/api/v1/users/{target}")).await.status, StatusCode::FORBIDDEN, "{login}: the API");
    }
    let mut auditor = w.app.signed_in("aud", Role::Auditor, w.region_a).await;
    assert_eq!(auditor.get(&format!("/users/{target}")).await.status, StatusCode::OK);
}
