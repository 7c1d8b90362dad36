//! The test harness: a fresh database per test (SQLite file, or a PostgreSQL database created
//! and dropped by the test when `DOROGA_TEST_DB=postgres`), the real router driven in-process,
//! and a small cookie-keeping client.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use db::Db;
use domain::org::OrgUnitFields;
use domain::user::NewUser;
use domain::{OrgUnitId, Role, SchoolLanguage};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Database};
use tower::ServiceExt;
use web::{AppState, WebConfig};

/// The password every test user gets.
pub const PASSWORD: &str = "Тест-пароль-2026";

enum Guard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Guard::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop is synchronous: drop the database from a runtime of its own.
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
                rt.block_on(async move {
                    if let Ok(admin) = Database::connect(&admin_url).await {
                        let _ =
                            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await;
                    }
                });
            })
            .join();
        }
    }
}

/// Which database the suite runs on.
pub fn backend() -> String {
    std::env::var("DOROGA_TEST_DB").unwrap_or_else(|_| "sqlite".into())
}

/// An application on a database of its own.
pub struct TestApp {
    pub db: Db,
    pub state: AppState,
    pub router: Router,
    pub url: String,
    /// Where this app keeps proof files (removed with the app).
    pub uploads: tempfile::TempDir,
    _guard: Guard,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestApp {
    pub async fn new() -> TestApp {
        let (url, guard) = if backend() == "postgres" {
            let base =
                std::env::var("DOROGA_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
            let name =
                format!("doroga_t_{}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst), rand_suffix());
            let admin_url = format!("{base}/postgres");
            let admin =
                Database::connect(&admin_url).await.expect("PostgreSQL must be running for DOROGA_TEST_DB=postgres");
            admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create test database");
            (format!("{base}/{name}"), Guard::Postgres { admin_url, name })
        } else {
            let dir = tempfile::tempdir().expect("tempdir");
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            (url, Guard::Sqlite(dir))
        };
        let db = db::connect(&url, 8).await.expect("connect");
        db::migrate(&db).await.expect("migrate");
        let uploads = tempfile::tempdir().expect("uploads dir");
        let config = WebConfig {
            body_limit: 2 * 1024 * 1024,
            upload_dir: uploads.path().to_owned(),
            proof_limit: 1024 * 1024,
            ..Default::default()
        };
        let state = AppState::new(app::Core::new(db.clone()).expect("core"), config);
        let router = web::app(state.clone());
        TestApp { db, state, router, url, uploads, _guard: guard }
    }

    /// A second server on the same database (as behind a load balancer).
    pub fn second_server(&self) -> Router {
        let state = AppState::new(app::Core::new(self.db.clone()).expect("core"), WebConfig::default());
        web::app(state)
    }

    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookies: HashMap::new(),
            token: None,
            headers: Vec::new(),
            peer: next_peer(),
        }
    }

    pub async fn region(&self, code: &str) -> i64 {
        db::org::region_by_code(&self.db, code).await.unwrap().unwrap().id
    }

    pub async fn republic(&self) -> i64 {
        db::org::republic(&self.db).await.unwrap().unwrap().id
    }

    pub async fn district(&self, region: i64, ru: &str, kk: &str) -> i64 {
        let f = OrgUnitFields {
            code: None,
            name_ru: ru.into(),
            name_kk: kk.into(),
            settlement: None,
            is_rural: None,
            language: None,
        };
        db::org::ensure_child_system(&self.db, OrgUnitId(region), &f).await.unwrap().id
    }

    pub async fn school(&self, district: i64, code: &str, ru: &str) -> i64 {
        let f = OrgUnitFields {
            code: Some(code.into()),
            name_ru: ru.into(),
            name_kk: format!("{ru} (қаз)"),
            settlement: Some("Балқаш".into()),
            is_rural: Some(false),
            language: Some(SchoolLanguage::Kk),
        };
        db::org::ensure_child_system(&self.db, OrgUnitId(district), &f).await.unwrap().id
    }

    /// Creates a user with [`PASSWORD`] (no forced change).
    pub async fn user(&self, login: &str, role: Role, unit: i64) -> i64 {
        let hash = domain::password::hash(PASSWORD).unwrap();
        let new = NewUser { login: login.into(), full_name: format!("Тестов {login}"), role, unit_id: unit };
        db::users::create_system(&self.db, &new, &hash, false).await.unwrap().id
    }

    /// A client signed in as a new user of `role` at `unit`.
    pub async fn signed_in(&self, login: &str, role: Role, unit: i64) -> Client {
        self.user(login, role, unit).await;
        let mut c = self.client();
        let r = c.post_form("/login", &[("login", login), ("password", PASSWORD)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "sign-in of {login}: {}", r.body);
        c
    }
}

pub fn rand_suffix() -> String {
    domain::token::generate()[4..12].to_owned()
}

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

/// A client that keeps cookies like a browser and can carry a bearer token.
#[derive(Clone)]
pub struct Client {
    pub router: Router,
    pub cookies: HashMap<String, String>,
    pub token: Option<String>,
    pub headers: Vec<(String, String)>,
    /// The client's address as the server sees it (each client its own, unless a test sets it).
    pub peer: std::net::SocketAddr,
}

static PEERS: AtomicU32 = AtomicU32::new(1);

/// A new client address, 10.x.y.z.
pub fn next_peer() -> std::net::SocketAddr {
    let n = PEERS.fetch_add(1, Ordering::SeqCst).to_be_bytes();
    std::net::SocketAddr::from(([10, n[1], n[2], n[3]], 40_000))
}

impl Client {
    pub async fn send(&mut self, method: Method, path: &str, content_type: Option<&str>, body: Vec<u8>) -> Resp {
        // Like a browser: non-ASCII and spaces in the address are percent-encoded.
        let uri: String = path
            .bytes()
            .map(|b| if b >= 0x80 || b == b' ' { format!("%{b:02X}") } else { (b as char).to_string() })
            .collect();
        let mut req = Request::builder().method(method).uri(uri).header(header::HOST, "localhost");
        if !self.cookies.is_empty() {
            let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            req = req.header(header::COOKIE, cookie);
        }
        if let Some(token) = &self.token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        if !body.is_empty() {
            req = req.header(header::CONTENT_LENGTH, body.len());
        }
        for (k, v) in &self.headers {
            req = req.header(k.as_str(), v.as_str());
        }
        let mut req = req.body(Body::from(body)).unwrap();
        req.extensions_mut().insert(axum::extract::ConnectInfo(self.peer));
        let response = self.router.clone().oneshot(req).await.unwrap();
        for value in response.headers().get_all(header::SET_COOKIE) {
            let value = value.to_str().unwrap();
            let pair = value.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if value.contains("Max-Age=0") || v.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Resp { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        self.send(Method::GET, path, None, Vec::new()).await
    }

    pub async fn get_bytes(&mut self, path: &str) -> Vec<u8> {
        let req = Request::builder().uri(path).header(header::HOST, "localhost");
        let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let req = req.header(header::COOKIE, cookie).body(Body::empty()).unwrap();
        let response = self.router.clone().oneshot(req).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.into_body().collect().await.unwrap().to_bytes().to_vec()
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body = fields.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&");
        self.send(Method::POST, path, Some("application/x-www-form-urlencoded"), body.into_bytes()).await
    }

    pub async fn json(&mut self, method: Method, path: &str, value: serde_json::Value) -> Resp {
        self.send(method, path, Some("application/json"), value.to_string().into_bytes()).await
    }

    pub async fn upload(&mut self, path: &str, filename: &str, bytes: &[u8]) -> Resp {
        let boundary = "doroga-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.send(Method::POST, path, Some(&format!("multipart/form-data; boundary={boundary}")), body).await
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The audit entries with this action on this entity id.
pub async fn audit_count(db: &Db, action: &str, entity: &str, id: Option<i64>) -> usize {
    use db::entity::audit_log::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mut q = Entity::find().filter(Column::Action.eq(action)).filter(Column::Entity.eq(entity));
    if let Some(id) = id {
        q = q.filter(Column::EntityId.eq(id));
    }
    q.all(db).await.unwrap().len()
}

/// What poppler's `pdftotext` prints for a PDF with `args` (installed by scripts/test; a missing
/// tool fails the test rather than skipping it).
pub fn pdftotext(bytes: &[u8], args: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, bytes).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .args(args)
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian package poppler-utils) must be installed: scripts/test installs it");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 text")
}

/// The text of a PDF as laid out on its pages.
pub fn pdf_text(bytes: &[u8]) -> String {
    pdftotext(bytes, &["-layout"])
}

/// The messages of a page's error summary (`<div class="alert" role="alert"><ul><li>…`), in
/// order, as the reader sees them.
pub fn alert_messages(html: &str) -> Vec<String> {
    let Some(start) = html.find("role=\"alert\"") else { return Vec::new() };
    let rest = &html[start..];
    let end = rest.find("</ul>").unwrap_or(rest.len());
    rest[..end]
        .split("<li>")
        .skip(1)
        .map(|li| {
            let text = li.split("</li>").next().unwrap_or_default();
            text.replace("&#34;", "\"")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .collect()
}

/// The messages of the API's error envelope, in order.
pub fn api_messages(body: &serde_json::Value) -> Vec<String> {
    body["error"]["fields"]
        .as_array()
        .map(|fields| fields.iter().map(|f| f["message"].as_str().unwrap_or_default().to_owned()).collect())
        .unwrap_or_default()
}

/// A failed import job of `user` into `unit`, whose one error names a row by its IIN (what a
/// sponsor or raid member must not open).
pub async fn failed_import_job(db: &Db, user: i64, unit: i64, campaign: i64) -> db::entity::import_job::Model {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    db::entity::import_job::ActiveModel {
        user_id: Set(user),
        unit_id: Set(unit),
        campaign_id: Set(campaign),
        file_name: Set("список.xlsx".into()),
        status: Set("failed".into()),
        total_rows: Set(1),
        error_count: Set(1),
        errors: Set(Some(r#"[{"row":2,"field":"iin","code":"iin_checksum"}]"#.into())),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
}

/// The text of a PDF in the order it was written (a letter's two columns one after the other).
pub fn pdf_raw_text(bytes: &[u8]) -> String {
    pdftotext(bytes, &["-raw"])
}

/// The words of a PDF with their boxes, page by page, by poppler's `pdftotext -bbox`.
pub fn pdf_words(bytes: &[u8]) -> Vec<(usize, [f64; 4], String)> {
    let html = pdftotext(bytes, &["-bbox"]);
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!("{name}=\"")).map(|i| i + name.len() + 2).unwrap_or(0);
        tag[at..].split('"').next().and_then(|v| v.parse().ok()).unwrap_or(0.0)
    };
    let mut words = Vec::new();
    for (page, body) in html.split("<page ").skip(1).enumerate() {
        for w in body.split("<word ").skip(1) {
            let (tag, rest) = w.split_once('>').unwrap_or((w, ""));
            let text = rest.split("</word>").next().unwrap_or_default().to_owned();
            let b = [attr(tag, "xMin"), attr(tag, "yMin"), attr(tag, "xMax"), attr(tag, "yMax")];
            words.push((page + 1, b, text));
        }
    }
    words
}

/// Pairs of words of a PDF printed over each other (their boxes overlap by more than a point
/// both ways), as «page: word / word».
pub fn pdf_overlaps(bytes: &[u8]) -> Vec<String> {
    let words = pdf_words(bytes);
    let mut found = Vec::new();
    for (i, (p, a, wa)) in words.iter().enumerate() {
        for (q, b, wb) in &words[i + 1..] {
            let dx = a[2].min(b[2]) - a[0].max(b[0]);
            let dy = a[3].min(b[3]) - a[1].max(b[1]);
            if p == q && dx > 1.0 && dy > 1.0 {
                found.push(format!("page {p}: «{wa}» / «{wb}»"));
            }
        }
    }
    found
}

/// How many pages a PDF has, and the words on its last page.
pub fn pdf_last_page(bytes: &[u8]) -> (usize, Vec<String>) {
    let words = pdf_words(bytes);
    let pages = words.iter().map(|w| w.0).max().unwrap_or(0);
    (pages, words.into_iter().filter(|w| w.0 == pages).map(|w| w.2).collect())
}

/// The value of the first input named `name` in a page.
pub fn form_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.split(&marker).nth(1).and_then(|s| s.split('"').next()).unwrap_or_default().to_owned()
}

/// The text of the element with this id (no nested markup).
pub fn element_text(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    html.split(&marker)
        .nth(1)
        .and_then(|s| s.split_once('>'))
        .and_then(|(_, s)| s.split('<').next())
        .unwrap_or_default()
        .trim()
        .to_owned()
}
