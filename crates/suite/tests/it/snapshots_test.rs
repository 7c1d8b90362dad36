//! Snapshots of what people read: the sign-in page in both languages and the API's error
//! envelope. A change shows up as a diff to review (`cargo insta review`), not as a silent drift.

use axum::http::Method;
use domain::Role;
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn the_sign_in_page_in_russian_and_kazakh() {
    let app = TestApp::new().await;
    for lang in ["ru", "kk"] {
        let mut c = app.client();
        c.headers.push(("accept-language".into(), lang.into()));
        let page = c.get("/login").await;
        // The static files' names carry a digest of their content; the snapshot names them by stem.
        let body = page
            .body
            .replace(web::assets::CSS.path.as_str(), "/static/app.[digest].css")
            .replace(web::assets::HTMX_JS.path.as_str(), "/static/htmx-2.0.11.min.[digest].js");
        insta::assert_snapshot!(format!("login_{lang}"), body);
    }
}

#[tokio::test]
async fn the_api_error_envelope_in_kazakh() {
    let app = TestApp::new().await;
    let region = app.region("KZ-35").await;
    let mut c = app.signed_in("snap", Role::RegionCoordinator, region).await;
    c.post_form("/lang", &[("lang", "kk")]).await;
    let r = c
        .json(
            Method::POST,
            "/api/v1/org-units",
            json!({ "parent_id": region, "code": "x".repeat(30), "name_kk": "Жаңа аудан" }),
        )
        .await;
    insta::assert_json_snapshot!("api_validation_kk", r.json());
}
