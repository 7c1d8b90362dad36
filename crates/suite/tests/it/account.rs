use axum::http::{Method, StatusCode};
use domain::Role;

use crate::support::{PASSWORD, TestApp, audit_count};

#[tokio::test]
async fn a_wrong_password_gets_a_clear_message_in_the_visitors_language() {
    let app = TestApp::new().await;
    let school = app.region("KZ-35").await;
    app.user("aigul", Role::Auditor, school).await;
    let mut ru = app.client();
    let r = ru.post_form("/login", &[("login", "aigul"), ("password", "wrong-password")]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("Неверный логин или пароль."), "{}", r.body);
    assert!(r.body.contains("value=\"aigul\""), "the login stays typed");
    let mut kk = app.client();
    kk.headers.push(("accept-language".into(), "kk-KZ,ru;q=0.5".into()));
    let r = kk.post_form("/login", &[("login", "nobody"), ("password", "x")]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("Логин немесе құпиясөз қате."), "{}", r.body);
    assert!(r.body.contains("<html lang=\"kk\">"));
    assert_eq!(audit_count(&app.db, "login_unknown", "user", None).await, 1);
}

#[tokio::test]
async fn a_one_time_password_must_be_changed_before_anything_else() {
    let app = TestApp::new().await;
    let unit = app.region("KZ-35").await;
    let hash = domain::password::hash("одноразовый-1").unwrap();
    let new = domain::user::NewUser {
        login: "fresh".into(),
        full_name: "Жаңа".into(),
        role: Role::RegionCoordinator,
        unit_id: unit,
    };
    db::users::create_system(&app.db, &new, &hash, true).await.unwrap();
    let mut c = app.client();
    let r = c.post_form("/login", &[("login", "fresh"), ("password", "одноразовый-1")]).await;
    assert_eq!(r.location(), "/password");
    assert_eq!(c.get(&format!("/orgs/{unit}")).await.location(), "/password");
    let api = c.get("/api/v1/me").await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert_eq!(api.json()["error"]["code"], "password_change_required");
    let bad = c
        .post_form("/password", &[("current", "одноразовый-1"), ("new_password", "short"), ("confirm", "other")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("не короче 12 символов"), "{}", bad.body);
    assert!(bad.body.contains("Пароли не совпадают."));
    // Long enough and guessable: refused, in the user's words.
    for weak in ["aaaaaaaaaaaa", "123456789012", "password1234"] {
        let r =
            c.post_form("/password", &[("current", "одноразовый-1"), ("new_password", weak), ("confirm", weak)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{weak}");
        assert!(r.body.contains("Этот пароль легко подобрать"), "{weak}: {}", r.body);
    }
    // A second device signed in with the one-time password.
    let mut other = app.client();
    other.post_form("/login", &[("login", "fresh"), ("password", "одноразовый-1")]).await;
    assert_eq!(other.get("/password").await.status, StatusCode::OK);
    let before = c.cookies.get("doroga_session").cloned().expect("a session cookie");
    let ok = c
        .post_form(
            "/password",
            &[("current", "одноразовый-1"), ("new_password", "Жаңа-құпиясөз-1"), ("confirm", "Жаңа-құпиясөз-1")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    // This device goes on under a new session id; the other one is signed out.
    let after = c.cookies.get("doroga_session").cloned().expect("a session cookie");
    assert_ne!(before, after, "the session id is cycled");
    assert_eq!(c.get(&format!("/orgs/{unit}")).await.status, StatusCode::OK);
    assert!(other.get("/password").await.location().starts_with("/login"), "the other session ended");
    let mut stale = app.client();
    stale.cookies.insert("doroga_session".into(), before);
    assert_eq!(stale.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED, "the old id is dead");
    let mut again = app.client();
    let r = again.post_form("/login", &[("login", "fresh"), ("password", "Жаңа-құпиясөз-1")]).await;
    assert_eq!(r.location(), "/");
}

#[tokio::test]
async fn sessions_live_in_the_database_and_survive_a_restart_and_a_second_server() {
    let app = TestApp::new().await;
    let unit = app.region("KZ-35").await;
    let mut c = app.signed_in("shared", Role::RegionCoordinator, unit).await;
    assert_eq!(c.get("/api/v1/me").await.status, StatusCode::OK);
    // Another server process on the same database, with no memory of this session.
    let mut other = c.clone();
    other.router = app.second_server();
    let me = other.get("/api/v1/me").await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.json()["user"]["login"], "shared");
    // Sign-out on one server ends the session everywhere.
    let out = c.post_form("/logout", &[]).await;
    assert_eq!(out.location(), "/login");
    let mut stale = other.clone();
    stale.cookies = other.cookies.clone();
    assert_eq!(stale.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_and_the_id_changes_at_sign_in() {
    let app = TestApp::new().await;
    let unit = app.region("KZ-35").await;
    app.user("cookie", Role::Auditor, unit).await;
    let mut c = app.client();
    c.get("/login").await;
    let before = c.cookies.get("doroga_session").cloned();
    let r = c.post_form("/login", &[("login", "cookie"), ("password", PASSWORD)]).await;
    let set_cookie: Vec<_> = r.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    let session = set_cookie.iter().find(|c| c.starts_with("doroga_session=")).expect("session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
    assert_ne!(before, c.cookies.get("doroga_session").cloned());
}

#[tokio::test]
async fn a_cross_site_post_is_refused_and_a_same_origin_one_is_not() {
    let app = TestApp::new().await;
    let unit = app.region("KZ-35").await;
    let uid = app.user("csrf", Role::Auditor, unit).await;
    let mut evil = app.client();
    evil.headers.push(("sec-fetch-site".into(), "cross-site".into()));
    evil.headers.push(("origin".into(), "http://evil.example".into()));
    let r = evil.post_form("/login", &[("login", "csrf"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut good = app.client();
    good.headers.push(("sec-fetch-site".into(), "same-origin".into()));
    good.headers.push(("origin".into(), "http://localhost".into()));
    let r = good.post_form("/login", &[("login", "csrf"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Signed in, a forged cross-site POST still fails.
    let mut forged = good.clone();
    forged.headers =
        vec![("sec-fetch-site".into(), "cross-site".into()), ("origin".into(), "http://evil.example".into())];
    assert_eq!(forged.post_form("/tokens", &[("name", "stolen")]).await.status, StatusCode::FORBIDDEN);
    assert!(db::tokens::list(&app.db, domain::UserId(uid)).await.unwrap().is_empty());
}

#[tokio::test]
async fn api_tokens_work_until_revoked() {
    let app = TestApp::new().await;
    let unit = app.region("KZ-35").await;
    let mut c = app.signed_in("tok", Role::RegionCoordinator, unit).await;
    let created = c.json(Method::POST, "/api/v1/tokens", serde_json::json!({ "name": "1С выгрузка" })).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let body = created.json();
    let secret = body["secret"].as_str().unwrap().to_owned();
    let id = body["token"]["id"].as_i64().unwrap();
    let mut bot = app.client();
    bot.token = Some(secret.clone());
    let me = bot.get("/api/v1/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["user"]["login"], "tok");
    let listed = c.get("/api/v1/tokens").await.json();
    assert!(listed[0]["last_used_at"].is_string(), "{listed}");
    assert!(!listed.to_string().contains(&secret), "the secret is never listed");
    assert_eq!(
        c.send(Method::DELETE, &format!("/api/v1/tokens/{id}"), None, vec![]).await.status,
        StatusCode::NO_CONTENT
    );
    let r = bot.get("/api/v1/me").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "unauthorized");
    let empty = c.json(Method::POST, "/api/v1/tokens", serde_json::json!({ "name": " " })).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.json()["error"]["fields"][0]["field"], "name");
}

#[tokio::test]
async fn the_language_switch_is_remembered_for_visitors_and_users() {
    let app = TestApp::new().await;
    let unit = app.region("KZ-35").await;
    let mut visitor = app.client();
    let r = visitor.post_form("/lang", &[("lang", "kk"), ("back", "/login")]).await;
    assert_eq!(r.location(), "/login");
    let page = visitor.get("/login").await;
    assert!(page.body.contains("Жүйеге кіру"), "{}", page.body);
    let mut user = app.signed_in("lang", Role::RegionCoordinator, unit).await;
    user.post_form("/lang", &[("lang", "kk")]).await;
    let me = user.get("/api/v1/me").await.json();
    assert_eq!(me["user"]["locale"], "kk");
    let page = user.get(&format!("/orgs/{unit}")).await;
    assert!(page.body.contains("Аудандар"), "{}", page.body);
    assert!(page.body.contains("Қарағанды облысы"));
    let r = user.post_form("/lang", &[("lang", "ru"), ("back", "//evil.example/")]).await;
    assert_eq!(r.location(), "/", "no open redirect");
}
