//! What an anonymous client can try: guessing and locking out logins, finding out which logins
//! and BINs exist, and registering without end. Throttling is counted in the database, so it
//! holds across servers.

use axum::http::{Method, StatusCode};
use domain::Role;
use serde_json::json;

use crate::World;
use crate::support::{Client, PASSWORD, TestApp, audit_count, next_peer};

fn sign_in_form<'a>(login: &'a str, password: &'a str) -> [(&'a str, &'a str); 2] {
    [("login", login), ("password", password)]
}

/// The page's message with the typed login taken out, to compare two answers.
fn answer(body: &str, login: &str) -> String {
    body.replace(&format!("value=\"{login}\""), "value=\"…\"")
}

#[tokio::test]
async fn unknown_wrong_and_held_back_logins_get_one_answer_and_no_account_is_locked() {
    let app = TestApp::new().await;
    let unit = app.region("KZ-35").await;
    let owner = app.user("owner", Role::Auditor, unit).await;
    let mut stranger = app.client();
    // A wrong password and an unknown login: the same status and the same page.
    let wrong = stranger.post_form("/login", &sign_in_form("owner", "guess-0")).await;
    let unknown = stranger.post_form("/login", &sign_in_form("nobody", "guess-0")).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer(&wrong.body, "owner"), answer(&unknown.body, "nobody"));
    // Five failures under each: this client is held back under both, with the same answer.
    for i in 1..5 {
        let guess = format!("guess-{i}");
        assert_eq!(stranger.post_form("/login", &sign_in_form("owner", &guess)).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            stranger.post_form("/login", &sign_in_form("nobody", &guess)).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let held = stranger.post_form("/login", &sign_in_form("owner", "guess-5")).await;
    let held_unknown = stranger.post_form("/login", &sign_in_form("nobody", "guess-5")).await;
    for r in [&held, &held_unknown] {
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        let wait: i64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=900).contains(&wait), "{wait}");
        assert!(r.body.contains("Слишком много попыток входа"), "{}", r.body);
    }
    assert_eq!(answer(&held.body, "owner"), answer(&held_unknown.body, "nobody"));
    // Even the right password waits, from this client …
    let r = stranger.post_form("/login", &sign_in_form("owner", PASSWORD)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // … but the owner, from her own address, is not locked out.
    let mut own = app.client();
    let r = own.post_form("/login", &sign_in_form("owner", PASSWORD)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let u = db::users::by_id(&app.db, domain::UserId(owner)).await.unwrap().unwrap();
    assert!(u.user.locked_until.is_none());
    assert_eq!(audit_count(&app.db, "login_failed", "user", Some(owner)).await, 5);
    assert_eq!(audit_count(&app.db, "login_unknown", "user", None).await, 5);
    assert_eq!(audit_count(&app.db, "login_throttled", "user", None).await, 2, "once per login, when held back");
}

#[tokio::test]
async fn one_client_trying_many_logins_is_held_back_on_every_server() {
    let app = TestApp::new().await;
    let unit = app.region("KZ-35").await;
    app.user("real", Role::Auditor, unit).await;
    let mut one = app.client();
    let mut same_on_another_server = Client { router: app.second_server(), ..app.client() };
    same_on_another_server.peer = one.peer;
    for i in 0..30 {
        let c = if i % 2 == 0 { &mut one } else { &mut same_on_another_server };
        let r = c.post_form("/login", &sign_in_form(&format!("user{i}"), "x")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    // The 31st, on either server, under any login, even a real one with its password.
    let r = same_on_another_server.post_form("/login", &sign_in_form("real", PASSWORD)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.contains_key("retry-after"));
    let r = one.post_form("/login", &sign_in_form("user99", "x")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // Another client is not affected.
    let mut other = app.client();
    assert_eq!(other.post_form("/login", &sign_in_form("real", PASSWORD)).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client() {
    let app = TestApp::new().await;
    let proxy = next_peer();
    let config = web::WebConfig { trusted_proxies: vec![proxy.ip()], ..Default::default() };
    let router = web::app(web::AppState::new(app::Core::new(app.db.clone()).unwrap(), config));
    let client = |addr: &str| {
        let mut c = Client { router: router.clone(), ..app.client() };
        c.peer = proxy;
        c.headers.push(("x-forwarded-for".into(), format!("6.6.6.6, {addr}")));
        c
    };
    let mut a = client("198.51.100.1");
    for i in 0..5 {
        a.post_form("/login", &sign_in_form("someone", &format!("p{i}"))).await;
    }
    assert_eq!(a.post_form("/login", &sign_in_form("someone", "p5")).await.status, StatusCode::TOO_MANY_REQUESTS);
    // Another client through the same proxy (whatever it writes into the header itself).
    let mut b = client("198.51.100.2");
    assert_eq!(b.post_form("/login", &sign_in_form("someone", "p6")).await.status, StatusCode::UNAUTHORIZED);
}

fn application(name: &str, bin: &str, phone: &str, region: i64) -> serde_json::Value {
    let kind = if bin.is_empty() { "parents" } else { "company" };
    json!({
        "kind": kind, "name": name, "bin_iin": bin, "phone": phone, "email": "info@example.kz", "region_id": region,
        "full_name": "Серік Нұрланұлы", "password": "Нан-2026-тамыз-жаңа",
    })
}

#[tokio::test]
async fn an_application_tells_nothing_of_existing_logins_or_bins_and_the_queue_flags_duplicates() {
    let w = World::new().await;
    let db = &w.app.db;
    // A login that exists cannot even be asked for: the login is given.
    let mut a = w.app.client();
    let mut body = application("ТОО «Алтын Дән»", "940140000385", "+7 701 111 22 33", w.region_a);
    body["login"] = json!("republic");
    let first = a.json(Method::POST, "/api/v1/sponsors/apply", body).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let login = first.json()["login"].as_str().unwrap().to_owned();
    assert!(login.starts_with("sponsor-") && login != "republic", "{login}");
    // The same BIN again, from another client: the same answer, no word of the BIN.
    let mut b = w.app.client();
    let second =
        b.json(Method::POST, "/api/v1/sponsors/apply", application("Алтын Дән", "940140000385", "", w.region_a)).await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    let keys = |r: &crate::support::Resp| {
        let mut k: Vec<String> = r.json().as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&first), keys(&second));
    assert!(!second.body.contains("940140000385"));
    // A third from the first client with the first one's phone.
    let third = a
        .json(Method::POST, "/api/v1/sponsors/apply", application("ИП Ахметов", "", "8 (701) 111-22-33", w.region_a))
        .await;
    assert_eq!(third.status, StatusCode::CREATED, "{}", third.body);
    // The coordinator's queue says which look alike and why, on the page and in the API.
    let mut reg = w.app.signed_in("rega", Role::RegionCoordinator, w.region_a).await;
    let list = reg.get("/api/v1/sponsors").await.json();
    let why = |id: &serde_json::Value| -> Vec<String> {
        let s = list.as_array().unwrap().iter().find(|s| s["id"] == *id).unwrap();
        s["likely_duplicate"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(why(&first.json()["id"]), ["name", "phone", "address"], "«ТОО «Алтын Дән»» is «Алтын Дән»");
    assert_eq!(why(&second.json()["id"]), ["bin_iin", "name"]);
    assert_eq!(why(&third.json()["id"]), ["phone", "address"]);
    let page = reg.get("/sponsors").await;
    assert_eq!(page.body.matches("class=\"error likely-duplicate\"").count(), 3, "{}", page.body);
    assert!(page.body.contains("БИН/ИИН уже зарегистрированного спонсора"));
    let kept = db::sponsors::by_bin_iin(db, "940140000385").await.unwrap().unwrap();
    assert_eq!(kept.id, first.json()["id"].as_i64().unwrap(), "the BIN stays with the first");
}

#[tokio::test]
async fn one_client_may_send_five_applications_an_hour_and_a_robot_none() {
    let w = World::new().await;
    let db = &w.app.db;
    let rep = w.app.user("rep", Role::RepublicCoordinator, w.republic).await;
    let rep = db::users::by_id(db, domain::UserId(rep)).await.unwrap().unwrap().actor();
    let count = || async { db::sponsors::list(db, &rep).await.unwrap().len() };
    let before = count().await;
    let mut c = w.app.client();
    // A mistake does not use up the hour: it is not an application.
    let bad = c.json(Method::POST, "/api/v1/sponsors/apply", application("", "", "", w.region_a)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let garbled = c
        .post_form(
            "/sponsors/apply",
            &[("kind", "parents"), ("name", "ТОО «Опечатка»"), ("region_id", "Карагандинская")],
        )
        .await;
    assert_eq!(garbled.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", garbled.body);
    assert!(garbled.body.contains("Поле «Область»: выберите значение из списка."), "{}", garbled.body);
    for i in 0..5 {
        let r = c
            .json(
                Method::POST,
                "/api/v1/sponsors/apply",
                application(&format!("ТОО «Спонсор {i}»"), "", "", w.region_a),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{i}: {}", r.body);
    }
    let r = c.json(Method::POST, "/api/v1/sponsors/apply", application("ТОО «Шестой»", "", "", w.region_a)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.headers.contains_key("retry-after"));
    assert_eq!(r.json()["error"]["code"], "too_many_requests");
    let region = w.region_a.to_string();
    let form = [
        ("kind", "parents"),
        ("name", "ТОО «Седьмой»"),
        ("email", "sedmoy@example.kz"),
        ("region_id", region.as_str()),
        ("full_name", "Серік"),
        ("password", "Нан-2026-тамыз-жаңа"),
    ];
    let page = c.post_form("/sponsors/apply", &form).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.body.contains("Слишком много запросов"), "{}", page.body);
    assert_eq!(count().await, before + 5);
    // A robot fills the field no person sees: answered as sent, kept nowhere.
    let mut robot = w.app.client();
    let mut trap = form.to_vec();
    trap.push(("website", "http://spam.example"));
    let r = robot.post_form("/sponsors/apply", &trap).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"applied\"") && r.body.contains("id=\"given-login\""), "{}", r.body);
    assert_eq!(count().await, before + 5);
    // A person's form (the trap left empty) from another client goes through.
    let mut person = w.app.client();
    let r = person.post_form("/sponsors/apply", &form).await;
    assert!(r.body.contains("id=\"applied\""), "{}", r.body);
    assert_eq!(count().await, before + 6);
}
