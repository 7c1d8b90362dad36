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

/// The value of the attribute `attr` that starts with `prefix` in the page, e.g. the versioned
/// stylesheet's path.
fn attr_starting(page: &str, attr: &str, prefix: &str) -> String {
    let start = format!("{attr}=\"{prefix}");
    let at = page.find(&start).unwrap_or_else(|| panic!("no {start} in the page")) + attr.len() + 2;
    page[at..].split('"').next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn static_files_are_served_from_our_own_origin_under_versioned_names_kept_a_year() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let page = c.get("/login").await;
    assert!(!page.body.contains("unpkg") && !page.body.contains("cdn"), "no CDN");
    let js = attr_starting(&page.body, "src", "/static/htmx-2.0.11.min.");
    let css = attr_starting(&page.body, "href", "/static/app.");
    assert!(js.ends_with(".js") && css.ends_with(".css"), "{js} {css}");
    // The name carries a digest of the content: 10 hex digits between the stem and the extension.
    let digest = css.trim_start_matches("/static/app.").trim_end_matches(".css");
    assert_eq!(digest.len(), 10, "{css}");
    assert!(digest.chars().all(|ch| ch.is_ascii_hexdigit()), "{css}");
    for (path, needle) in [(&js, "htmx"), (&css, "box-sizing")] {
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r.body.contains(needle), "{path}");
        assert_eq!(r.headers["cache-control"], "public, max-age=31536000, immutable", "{path}");
    }
    // Only today's names: the old unversioned path and a stale digest are not served.
    for stale in ["/static/app.css", "/static/htmx-2.0.11.min.js", "/static/app.0000000000.css"] {
        assert_eq!(c.get(stale).await.status, StatusCode::NOT_FOUND, "{stale}");
    }
}

async fn raw_get(app: &TestApp, path: &str, encoding: &str) -> (axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::builder()
        .uri(path)
        .header("host", "localhost")
        .header("accept-encoding", encoding)
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.client().router.oneshot(req).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let headers = response.headers().clone();
    (headers, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

#[tokio::test]
async fn pages_and_static_files_are_compressed_for_slow_links() {
    use std::io::Read;
    let app = TestApp::new().await;
    let page = app.client().get("/login").await.body;
    let js = attr_starting(&page, "src", "/static/htmx-2.0.11.min.");
    for path in [js.as_str(), "/login", "/sponsors/apply"] {
        let (plain_headers, plain) = raw_get(&app, path, "identity").await;
        assert!(plain_headers.get("content-encoding").is_none(), "{path}");
        let (headers, gz) = raw_get(&app, path, "gzip").await;
        assert_eq!(headers["content-encoding"], "gzip", "{path}");
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(gz.as_slice()).read_to_end(&mut unpacked).unwrap();
        assert_eq!(unpacked.len(), plain.len(), "{path}: the same content");
        assert!(gz.len() * 3 < plain.len() * 2, "{path}: {} bytes gzipped of {}", gz.len(), plain.len());
        let (headers, br) = raw_get(&app, path, "br;q=1.0, gzip;q=0.5").await;
        assert_eq!(headers["content-encoding"], "br", "{path}");
        // Brotli at the layer's quick default level is about gzip's size; it must be as small.
        assert!(br.len() * 10 <= gz.len() * 11, "{path}: brotli {} against gzip {}", br.len(), gz.len());
    }
    // htmx, the heaviest file, is about a third of its size on the wire.
    let (_, gz) = raw_get(&app, &js, "gzip").await;
    assert!(gz.len() < 20 * 1024, "htmx gzipped: {} bytes", gz.len());
}

#[tokio::test]
async fn an_unknown_address_is_a_page_in_the_visitors_language_and_the_front_door_is_public() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let r = c.get("/no/such/page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("<html lang=\"ru\""), "{}", r.body);
    assert!(r.body.contains("href=\"/\""), "a way back: {}", r.body);
    let ru = crate::support::alert_messages(&r.body);
    assert_eq!(ru.len(), 1, "{}", r.body);
    c.headers.push(("accept-language".into(), "kk-KZ,kk;q=0.9".into()));
    let kk = c.get("/children/999999/nothing").await;
    assert_eq!(kk.status, StatusCode::NOT_FOUND);
    assert!(kk.body.contains("<html lang=\"kk\""), "{}", kk.body);
    let kk_messages = crate::support::alert_messages(&kk.body);
    assert_eq!(kk_messages.len(), 1);
    assert_ne!(kk_messages, ru, "the message is Kazakh, not Russian");
    // The API's unknown addresses stay in its envelope.
    let api = c.get("/api/v1/no-such").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.json()["error"]["code"], "not_found", "{}", api.body);
    // A visitor at the front door sees the public front page, not the sign-in form.
    let home = app.client().get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("id=\"front-appeal\"") && home.body.contains("Контакт-центр 111"), "{}", home.body);
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
    let css = sch.get(&web::assets::CSS.path).await;
    assert_eq!(cache(&css), "public, max-age=31536000, immutable");

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
