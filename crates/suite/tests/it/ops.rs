use axum::http::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn health_checks_the_database_and_metrics_count_requests() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let r = c.get("/healthz").await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok"));
    c.get("/login").await;
    let m = c.get("/metrics").await;
    assert_eq!(m.status, StatusCode::OK);
    assert!(m.body.contains("http_requests_total"), "{}", m.body);
    assert!(m.body.contains("route=\"/login\""), "{}", m.body);
    assert!(m.body.contains("db_pool_connections"), "{}", m.body);
    assert!(m.body.contains("http_request_duration_seconds"), "{}", m.body);
    // A histogram (fixed buckets, summed across servers), not a summary that keeps samples.
    assert!(m.body.contains("http_request_duration_seconds_bucket{"), "{}", m.body);
}

#[tokio::test]
async fn static_files_are_served_from_our_own_origin() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let htmx = c.get("/static/htmx-2.0.11.min.js").await;
    assert_eq!(htmx.status, StatusCode::OK);
    assert!(htmx.body.contains("htmx"));
    let page = c.get("/login").await;
    assert!(page.body.contains("src=\"/static/htmx-2.0.11.min.js\""));
    assert!(!page.body.contains("unpkg") && !page.body.contains("cdn"), "no CDN");
}

#[tokio::test]
async fn openapi_describes_the_api() {
    let app = TestApp::new().await;
    let r = app.client().get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert_eq!(doc["openapi"].as_str().map(|v| v.starts_with("3.")), Some(true));
    for path in [
        "/api/v1/me",
        "/api/v1/org-units",
        "/api/v1/org-units/{id}",
        "/api/v1/users",
        "/api/v1/tokens",
        "/api/v1/audit",
    ] {
        assert!(doc["paths"][path].is_object(), "missing {path}");
    }
    assert!(doc["components"]["schemas"]["ApiErrorEnvelope"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("big", domain::Role::RegionCoordinator, app.region("KZ-35").await).await;
    let region = app.region("KZ-35").await;
    let big = vec![b'a'; 3 * 1024 * 1024];
    let r = c.upload(&format!("/orgs/{region}/import"), "big.csv", &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn the_schema_uses_native_types_on_each_database() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = TestApp::new().await;
    let backend = app.db.get_database_backend();
    if crate::support::backend() == "postgres" {
        let sql =
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'audit_log' AND column_name = 'at'";
        let row = app.db.query_one_raw(Statement::from_string(backend, sql)).await.unwrap().unwrap();
        assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "timestamp with time zone");
        let sql =
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'org_units' AND column_name = 'id'";
        let row = app.db.query_one_raw(Statement::from_string(backend, sql)).await.unwrap().unwrap();
        assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "bigint");
    } else {
        let row = app.db.query_one_raw(Statement::from_string(backend, "PRAGMA journal_mode")).await.unwrap().unwrap();
        assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "wal");
        let row = app.db.query_one_raw(Statement::from_string(backend, "PRAGMA foreign_keys")).await.unwrap().unwrap();
        assert_eq!(row.try_get_by_index::<i64>(0).unwrap(), 1);
    }
}

#[tokio::test]
async fn pages_carry_security_headers() {
    let app = TestApp::new().await;
    let r = app.client().get("/login").await;
    let csp = r.headers.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(r.headers.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(r.headers.get("x-frame-options").unwrap(), "DENY");
}

/// Every response that may carry personal data is kept by no browser or proxy (the static files
/// may be); over HTTPS (secure cookies) browsers are told to keep to it.
#[tokio::test]
async fn nothing_with_personal_data_is_cached_and_https_is_strict_when_cookies_are_secure() {
    use domain::Role;
    let w = crate::World::new().await;
    crate::children::campaign(&w).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let s1 = w.school_s1.to_string();
    let id = crate::children::add(
        &mut sch,
        &crate::children::form(&crate::children::iin(3, true), "Оспанова", &s1, "asp", "2"),
    )
    .await;
    let cache = |r: &crate::support::Resp| {
        r.headers.get("cache-control").map(|v| v.to_str().unwrap_or_default().to_owned()).unwrap_or_default()
    };
    for path in [
        "/children".to_owned(),
        format!("/children/{id}"),
        "/children/export.xlsx".to_owned(),
        "/api/v1/children".to_owned(),
        format!("/api/v1/children/{id}"),
        "/login".to_owned(),
        "/no/such/page".to_owned(),
    ] {
        let r = sch.get(&path).await;
        assert_eq!(cache(&r), "no-store", "{path}: {}", r.status);
        assert!(r.headers.get("strict-transport-security").is_none(), "{path}: plain HTTP in tests");
    }
    let css = sch.get("/static/app.css").await;
    assert_eq!(cache(&css), "public, max-age=86400");

    let secure = web::WebConfig { secure_cookies: true, ..Default::default() };
    let router = web::app(web::AppState::new(app::Core::new(w.app.db.clone()).unwrap(), secure));
    let mut c = crate::support::Client {
        router,
        cookies: Default::default(),
        token: None,
        headers: Vec::new(),
        peer: crate::support::next_peer(),
    };
    let r = c.get("/login").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers.get("strict-transport-security").unwrap(), "max-age=31536000; includeSubDomains");
    assert_eq!(cache(&r), "no-store");
}
