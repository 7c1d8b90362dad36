//! The same record written by many at once: one is kept, every other gets its field's error in
//! the caller's language, and no one gets a 500. (Children, fund payments, reversals and holds
//! have theirs beside their own tests.)

use axum::http::{Method, StatusCode};
use domain::Role;
use serde_json::{Value, json};

use crate::World;
use crate::support::{Client, Resp};

/// Sends `body` to `path` from 12 clients at once.
async fn at_once(c: &Client, method: Method, path: &str, body: Value) -> Vec<Resp> {
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let (mut c, path, body, method) = (c.clone(), path.to_owned(), body.clone(), method.clone());
            tokio::spawn(async move { c.json(method, &path, body).await })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    answers
}

/// One answer with `ok`, every other a 422 naming `field` with `code`.
fn one_kept(answers: &[Resp], ok: StatusCode, field: &str, code: &str) {
    let kept = answers.iter().filter(|r| r.status == ok).count();
    assert_eq!(kept, 1, "{:?}", answers.iter().map(|r| (r.status, &r.body)).collect::<Vec<_>>());
    for r in answers.iter().filter(|r| r.status != ok) {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let f = &r.json()["error"]["fields"][0];
        assert_eq!((f["field"].as_str(), f["code"].as_str()), (Some(field), Some(code)), "{}", r.body);
        assert!(!f["message"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn twelve_accounts_with_one_login_at_once_make_one() {
    let w = World::new().await;
    let reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let body = json!({ "login": "aigerim", "full_name": "Айгерім Серікова", "role": "school_coordinator", "unit_id": w.school_s1 });
    let answers = at_once(&reg, Method::POST, "/api/v1/users", body).await;
    one_kept(&answers, StatusCode::CREATED, "login", "duplicate");
}

#[tokio::test]
async fn twelve_sponsors_with_one_bin_at_once_make_one() {
    let w = World::new().await;
    let reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let body =
        json!({ "kind": "company", "name": "ТОО «Коунрад»", "bin_iin": "940140000385", "region_id": w.region_a });
    let answers = at_once(&reg, Method::POST, "/api/v1/sponsors", body).await;
    one_kept(&answers, StatusCode::CREATED, "bin_iin", "duplicate");
}

#[tokio::test]
async fn twelve_first_saves_of_a_schools_notes_at_once_all_land_on_one_row() {
    let w = World::new().await;
    crate::children::campaign(&w).await;
    let sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let body = json!({ "unit": w.school_s1, "measures": "Рейд «Подросток»", "raids": 2, "raids_note": "с полицией" });
    let answers = at_once(&sch, Method::PUT, "/api/v1/reports/school/notes", body).await;
    for r in &answers {
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    }
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(db::entity::school_report::Entity::find().count(&w.app.db).await.unwrap(), 1);
}
