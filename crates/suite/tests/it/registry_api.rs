//! The registry through `/api/v1`: the same rules as the pages.

use axum::http::{Method, StatusCode};
use domain::Role;
use serde_json::json;

use crate::World;
use crate::registry::{campaign, iin};
use crate::support::audit_count;

fn body(iin: &str, school: i64) -> serde_json::Value {
    json!({
        "school_id": school, "iin": iin, "surname": "Әбдірахман", "first_name": "Іңкәр", "grade": "1",
        "study_language": "kk", "categories": ["orphan"], "guardian_name": "Әбдірахман Сәуле",
        "consent_by": "legal_representative", "consent_method": "electronic", "consent_date": "2026-08-02",
        "source": "raid", "needs": [{ "item": "uniform", "size": "122", "cost": "25 000" }]
    })
}

#[tokio::test]
async fn children_through_the_api_follow_scope_anonymisation_and_audit() {
    let w = World::new().await;
    campaign(&w).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let r = sch.json(Method::POST, "/api/v1/children", body(&iin(70, true), w.school_s1)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let again = sch.json(Method::POST, "/api/v1/children", body(&iin(70, true), w.school_s1)).await;
    assert_eq!(again.json()["error"]["fields"][0]["code"], "already_registered");
    let bad = sch
        .json(
            Method::POST,
            "/api/v1/children",
            json!({ "school_id": w.school_s1, "iin": "821214240092", "grade": "14" }),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<_> = bad.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    assert!(fields.contains(&"iin_checksum".to_owned()) && fields.contains(&"grade_range".to_owned()), "{fields:?}");

    let card = sch.get(&format!("/api/v1/children/{id}")).await.json();
    assert_eq!(card["child"]["surname"], "Әбдірахман");
    assert_eq!(card["needs"][0]["cost"], 2_500_000);
    assert_eq!(audit_count(&w.app.db, "read_personal", "child", Some(id)).await, 1);

    let mut raid = w.app.signed_in("raid", Role::RaidMember, w.district_a1).await;
    let list = raid.get("/api/v1/children").await.json();
    assert_eq!(list["total"], 1);
    assert_eq!(list["rows"][0]["iin"], "");
    assert!(!list.to_string().contains("Әбдірахман"), "{list}");

    let mut far = w.app.signed_in("far", Role::SchoolCoordinator, w.school_s4).await;
    let r = far.get(&format!("/api/v1/children/{id}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(audit_count(&w.app.db, "access_denied", "child", Some(id)).await, 1);
    let r = far
        .json(Method::POST, &format!("/api/v1/children/{id}/status"), json!({ "status": "closed", "reason": "x" }))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(audit_count(&w.app.db, "access_denied", "child", Some(id)).await, 2, "a refused write is logged too");

    let r = sch.json(Method::POST, &format!("/api/v1/children/{id}/status"), json!({ "status": "verified" })).await;
    assert_eq!(r.json()["status"], "verified");
    let passport = sch.get(&format!("/api/v1/passport/{}", w.school_s1)).await.json();
    assert_eq!(passport["total"]["total"], 1);
    assert_eq!(passport["total"]["by_category"]["orphan"], 1);
}

#[tokio::test]
async fn campaigns_are_set_by_the_republic_and_norms_by_regions() {
    let w = World::new().await;
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let mut list = reg.get("/api/v1/children").await;
    assert_eq!(list.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(list.json()["error"]["fields"][0]["code"], "no_campaign");
    let c = json!({ "year": "2026", "starts_on": "01.08.2026", "ends_on": "30.09.2026", "motto_ru": "Добро", "motto_kk": "Игілік", "default_norm": "46 228" });
    assert_eq!(reg.json(Method::POST, "/api/v1/campaigns", c.clone()).await.status, StatusCode::FORBIDDEN);
    let mut rep = w.app.signed_in("rep", Role::RepublicCoordinator, w.republic).await;
    let created = rep.json(Method::POST, "/api/v1/campaigns", c.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    assert_eq!(rep.json(Method::POST, "/api/v1/campaigns", c).await.json()["error"]["fields"][0]["code"], "duplicate");
    let reversed = json!({ "year": "2027", "starts_on": "30.09.2027", "ends_on": "01.08.2027", "motto_ru": "x", "motto_kk": "y", "default_norm": "1 196 448,50" });
    let fields: Vec<_> = rep.json(Method::POST, "/api/v1/campaigns", reversed).await.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["period_reversed", "amount_format"]);
    let r = reg
        .json(Method::PUT, &format!("/api/v1/campaigns/{id}/norms/{}", w.region_a), json!({ "cash_norm": "47 300" }))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = reg
        .json(Method::PUT, &format!("/api/v1/campaigns/{id}/norms/{}", w.region_b), json!({ "cash_norm": "50 000" }))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let c = db::campaigns::current(&w.app.db).await.unwrap().unwrap();
    assert_eq!(
        db::campaigns::norm_for(&w.app.db, &c, domain::OrgUnitId(w.region_a)).await.unwrap().to_string(),
        "47 300 ₸"
    );
    assert_eq!(
        db::campaigns::norm_for(&w.app.db, &c, domain::OrgUnitId(w.region_b)).await.unwrap().to_string(),
        "46 228 ₸"
    );
    list = reg.get("/api/v1/children").await;
    assert_eq!(list.status, StatusCode::OK);
}

#[tokio::test]
async fn an_import_through_the_api_reports_rows_and_fields() {
    let w = World::new().await;
    campaign(&w).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let csv = format!(
        "iin,surname,first_name,grade,study_language,categories,guardian_name,consent_by,consent_method,consent_date\n{},Ким,Мария,2,ru,asp,Ким Ольга,parent,written,01.08.2026\n123,Ким,Анна,2,ru,asp,Ким Ольга,parent,written,01.08.2026\n",
        iin(71, true)
    );
    let boundary = "bb";
    let mut payload = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"school_id\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n", w.school_s1).into_bytes();
    payload.extend_from_slice(csv.as_bytes());
    payload.extend_from_slice(b"\r\n--bb--\r\n");
    let r = sch.send(Method::POST, "/api/v1/children/import", Some("multipart/form-data; boundary=bb"), payload).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let mut job = serde_json::Value::Null;
    for _ in 0..400 {
        job = sch.get(&format!("/api/v1/children/import/{id}")).await.json();
        if job["running"] == false {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(job["running"], false);
    assert_eq!(job["error_count"], 1, "{job}");
    assert_eq!(job["errors"][0]["row"], 3);
    assert_eq!(job["errors"][0]["field"], "iin");
    assert_eq!(job["errors"][0]["code"], "iin_format");
    assert_eq!(job["errors"][0]["message"], "Строка 3: ИИН — это 12 цифр.");
}
