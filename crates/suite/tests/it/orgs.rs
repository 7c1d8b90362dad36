use axum::http::{Method, StatusCode};
use domain::Role;
use serde_json::json;

use crate::World;
use crate::support::audit_count;

#[tokio::test]
async fn a_district_coordinator_adds_a_school_with_kazakh_letters_and_it_is_audited() {
    let w = World::new().await;
    let mut c = w.app.signed_in("dis", Role::DistrictCoordinator, w.district_a1).await;
    let fields = [
        ("code", "7"),
        ("name_ru", "КГУ «Школа № 7 имени Әлихана Бөкейханова»"),
        ("name_kk", "Әлихан Бөкейханов атындағы № 7 мектеп ғұқңөұүһі"),
        ("settlement", "Балқаш"),
        ("locality", "urban"),
        ("language", "kk"),
    ];
    let r = c.post_form(&format!("/orgs/{}/new", w.district_a1), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = c.get(r.location()).await;
    assert!(page.body.contains("Әлихан Бөкейханов атындағы № 7 мектеп ғұқңөұүһі"));
    let id: i64 = r.location().trim_start_matches("/orgs/").split('?').next().unwrap().parse().unwrap();
    assert_eq!(audit_count(&w.app.db, "create", "org_unit", Some(id)).await, 1);
    // Search folds Kazakh letters on both databases.
    let found = c.get(&format!("/api/v1/org-units?q={}", "%D3%98%D0%9B%D0%98%D0%A5%D0%90%D0%9D")).await.json();
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_the_form_keeps_what_was_typed() {
    let w = World::new().await;
    let mut c = w.app.signed_in("dis", Role::DistrictCoordinator, w.district_a1).await;
    let long = "ы".repeat(201);
    let r = c
        .post_form(
            &format!("/orgs/{}/new", w.district_a1),
            &[
                ("code", "1"),
                ("name_ru", "<script>alert('x')</script>"),
                ("name_kk", &long),
                ("settlement", ""),
                ("locality", "moon"),
                ("language", "kk"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Поле «Название на казахском»: не более 200 символов."), "{}", r.body);
    assert!(r.body.contains("Заполните поле «Населённый пункт»."));
    assert!(r.body.contains("Поле «Город или село»: выберите значение из списка."));
    assert!(
        r.body.contains("value=\"&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;\"")
            || r.body.contains("value=\"&lt;script&gt;"),
        "escaped and kept: {}",
        r.body
    );
    assert!(!r.body.contains("<script>alert"), "never raw");
    assert!(r.body.contains(&long), "the long value is kept to be corrected");
    // A duplicate school number in one district.
    let r = c
        .post_form(
            &format!("/orgs/{}/new", w.district_a1),
            &[
                ("code", "1"),
                ("name_ru", "Дубль"),
                ("name_kk", "Дубль"),
                ("settlement", "Балхаш"),
                ("locality", "urban"),
                ("language", "ru"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Поле «Номер»: такое значение уже есть."), "{}", r.body);
    assert!(r.body.contains("value=\"Дубль\""));
    // The same number in another district is fine.
    let r = c.json(Method::POST, "/api/v1/org-units", json!({ "parent_id": w.district_a1, "code": "1", "name_ru": "x", "name_kk": "y", "settlement": "z", "locality": "rural", "language": "mixed" })).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "duplicate");
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let r = reg.json(Method::POST, "/api/v1/org-units", json!({ "parent_id": w.district_a2, "code": "1", "name_ru": "x", "name_kk": "y", "settlement": "z", "locality": "rural", "language": "mixed" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn the_api_answers_bad_input_in_one_envelope_in_the_users_language() {
    let w = World::new().await;
    let mut c = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    c.post_form("/lang", &[("lang", "kk")]).await;
    let r = c
        .json(
            Method::POST,
            "/api/v1/org-units",
            json!({ "parent_id": w.region_a, "name_ru": "", "name_kk": "Жаңа аудан" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = r.json();
    assert_eq!(e["error"]["code"], "validation");
    assert_eq!(e["error"]["message"], "Енгізілген деректерді тексеріңіз.");
    assert_eq!(e["error"]["fields"][0]["field"], "name_ru");
    assert_eq!(e["error"]["fields"][0]["code"], "required");
    assert_eq!(e["error"]["fields"][0]["message"], "«Орысша атауы» өрісін толтырыңыз.");
    let r = c.send(Method::POST, "/api/v1/org-units", Some("application/json"), b"{not json".to_vec()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "malformed_json");
    let r = c.get("/api/v1/org-units/999999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"]["code"], "not_found");
    let r = c.get("/api/v1/no-such-thing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn deactivation_needs_an_empty_unit_and_is_reversible() {
    let w = World::new().await;
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let r = reg.send(Method::POST, &format!("/api/v1/org-units/{}/deactivate", w.district_a2), None, vec![]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "has_active_children");
    let r = reg.post_form(&format!("/orgs/{}/active", w.school_s3), &[("active", "0")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let list = reg.get(&format!("/api/v1/org-units?parent={}", w.district_a2)).await.json();
    assert!(list.as_array().unwrap().is_empty(), "inactive units are hidden by default");
    let list = reg.get(&format!("/api/v1/org-units?parent={}&include_inactive=true", w.district_a2)).await.json();
    assert_eq!(list[0]["active"], false);
    let r = reg.send(Method::POST, &format!("/api/v1/org-units/{}/deactivate", w.district_a2), None, vec![]).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = reg.send(Method::POST, &format!("/api/v1/org-units/{}/activate", w.district_a2), None, vec![]).await;
    assert_eq!(r.json()["active"], true);
    assert_eq!(audit_count(&w.app.db, "deactivate", "org_unit", Some(w.school_s3)).await, 1);
}

#[tokio::test]
async fn a_school_coordinator_sees_the_school_page_in_kazakh() {
    let w = World::new().await;
    let mut c = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    c.post_form("/lang", &[("lang", "kk")]).await;
    let home = c.get("/").await;
    assert_eq!(home.location(), format!("/orgs/{}", w.school_s1));
    let page = c.get(home.location()).await;
    assert!(page.body.contains("<html lang=\"kk\">"));
    assert!(page.body.contains("Мектеп"));
    assert!(page.body.contains("Школа № 1 (қаз)"));
    assert!(page.body.contains("Мектеп үйлестірушісі"));
    assert!(!page.body.contains("Жаңа мектеп"), "a school has no sub-units to add");
}
