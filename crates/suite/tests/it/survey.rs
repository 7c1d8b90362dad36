//! The survey «Готов ли Ваш ребёнок к школе?»: answered without a script (a check step, one
//! answer per form), counted into the public figures by district, an answer asking for help a
//! lead that only its school and those above see, turned into a registry record (source
//! «survey», the consent from the survey) or closed with a reason.

use axum::http::{Method, StatusCode};
use domain::Role;
use serde_json::json;

use crate::World;
use crate::children::{campaign, iin};
use crate::support::{alert_messages, form_value};

fn answer(key: &str, school: i64, help: bool) -> serde_json::Value {
    json!({ "client_key": key, "school": school.to_string(), "ready": if help { "no" } else { "yes" },
        "grades": ["1", "5"], "missing": if help { vec!["uniform", "shoes"] } else { vec![] },
        "situation": ["large_family"], "help": if help { "yes" } else { "" },
        "contact_name": "Айгерим", "phone": "8 701 555 12 34", "consent": if help { "yes" } else { "" } })
}

#[tokio::test]
async fn answers_become_figures_and_leads_that_become_registry_records() {
    let w = World::new().await;
    campaign(&w).await;
    let mut v = w.app.client();
    // Bad input: every field named, nothing kept.
    let mut bad = answer("1a1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f", 99_999, true);
    bad["consent"] = json!("");
    let r = v.json(Method::POST, "/api/v1/public/survey", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "consent_required", "{}", r.body);
    let r = v
        .json(Method::POST, "/api/v1/public/survey", answer("1a1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f", 99_999, true))
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["field"], "school", "{}", r.body);
    // A family ready (no contact kept) and one asking for help, sent twice.
    let r = v
        .json(Method::POST, "/api/v1/public/survey", answer("2a1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f", w.school_s1, false))
        .await;
    assert_eq!((r.status, r.json()["lead"].as_bool()), (StatusCode::CREATED, Some(false)), "{}", r.body);
    for _ in 0..2 {
        let r = v
            .json(
                Method::POST,
                "/api/v1/public/survey",
                answer("3a1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f", w.school_s1, true),
            )
            .await;
        assert_eq!(r.json()["lead"], true, "{}", r.body);
    }
    use sea_orm::{EntityTrait, PaginatorTrait};
    let answers = db::entity::survey_answer::Entity::find().all(&w.app.db).await.unwrap();
    assert_eq!(answers.len(), 2);
    assert!(answers.iter().find(|a| a.lead_status.is_none()).unwrap().phone.is_none(), "no contact without a request");
    // The public figures, by district of the region and by region.
    let r = v.get(&format!("/api/v1/public/survey/totals?region={}", w.region_a)).await;
    let d = r.json().as_array().unwrap().iter().find(|f| f["unit_id"] == w.district_a1).cloned().unwrap();
    assert_eq!(
        (d["answers"].as_i64(), d["not_ready"].as_i64(), d["help"].as_i64()),
        (Some(2), Some(1), Some(1)),
        "{d}"
    );
    assert_eq!(d["missing"][0], json!(["uniform", 1]), "{d}");
    assert!(!r.body.contains("Айгерим") && !r.body.contains("7015551234"));
    let r = v.get("/api/v1/public/survey/totals").await;
    assert!(r.json().as_array().unwrap().iter().any(|f| f["unit_id"] == w.region_a && f["answers"] == 2), "{}", r.body);
    // The transparency page shows them too, by district, without a name.
    let page = v.get(&format!("/public/{}", w.region_a)).await;
    let table = page.body.split("id=\"survey-public\"").nth(1).unwrap_or_else(|| panic!("{}", page.body));
    assert!(table.contains("г. Балхаш") && table.contains("data-label=\"Ответов\">2<"), "{table}");
    assert!(!page.body.contains("Айгерим"));
    let r = v.get("/api/v1/public/survey/totals?from=2026-12-31&to=2026-01-01").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

    // The lead: the school and its district see it with the contact; another region and a sponsor do not.
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let mut other = w.app.signed_in("schb", Role::SchoolCoordinator, w.school_s4).await;
    let mut sponsor = w.app.signed_in("spon", Role::Sponsor, w.region_a).await;
    let page = sch.get("/api/v1/survey-leads").await.json();
    assert_eq!(page["rows"].as_array().unwrap().len(), 1, "{page}");
    let id = page["rows"][0]["id"].as_i64().unwrap();
    assert_eq!(page["rows"][0]["phone"], "+77015551234");
    assert_eq!(other.get("/api/v1/survey-leads").await.json()["rows"].as_array().unwrap().len(), 0);
    assert_eq!(other.get(&format!("/api/v1/survey-leads/{id}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(sponsor.get("/api/v1/survey-leads").await.status, StatusCode::FORBIDDEN);
    assert!(crate::support::audit_count(&w.app.db, "read_personal", "survey_lead", None).await == 0);
    let r = sch.get(&format!("/survey-leads/{id}")).await;
    assert!(r.body.contains("+77015551234") && r.body.contains("Многодетная"), "{}", r.body);
    assert_eq!(crate::support::audit_count(&w.app.db, "read_personal", "survey_lead", Some(id)).await, 1);

    // Into the registry from the lead: the form starts from it, the record is «survey».
    let r = sch.get(&format!("/children/new?lead={id}")).await;
    assert!(r.body.contains("id=\"from-lead\""), "{}", r.body);
    assert_eq!(form_value(&r.body, "lead_id"), id.to_string());
    assert_eq!(form_value(&r.body, "guardian_phone"), "+77015551234");
    let kid = iin(3, false);
    let s1 = w.school_s1.to_string();
    let lead = id.to_string();
    let mut fields = crate::children::form(&kid, "Сапаров", &s1, "large_family", "1");
    fields.retain(|(k, _)| !matches!(*k, "source" | "consent_method"));
    fields.extend([("source", "survey"), ("consent_method", "electronic"), ("lead_id", lead.as_str())]);
    let child = crate::children::add(&mut sch, &fields).await;
    let r = sch.get(&format!("/api/v1/survey-leads/{id}")).await.json();
    assert_eq!((r["status"].as_str(), r["child_id"].as_i64()), (Some("registered"), Some(child)), "{r}");
    assert_eq!(sch.get("/api/v1/survey-leads").await.json()["rows"].as_array().unwrap().len(), 0);

    // Another lead closed with a reason (none given: refused); closed twice: refused.
    v.json(Method::POST, "/api/v1/public/survey", answer("4a1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f", w.school_s1, true))
        .await;
    let second = sch.get("/api/v1/survey-leads").await.json()["rows"][0]["id"].as_i64().unwrap();
    let r = sch.post_form(&format!("/survey-leads/{second}/close"), &[("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!alert_messages(&r.body).is_empty());
    let r = sch
        .json(Method::POST, &format!("/api/v1/survey-leads/{second}/close"), json!({ "reason": "Семья переехала" }))
        .await;
    assert_eq!(r.json()["status"], "closed", "{}", r.body);
    let r =
        sch.json(Method::POST, &format!("/api/v1/survey-leads/{second}/close"), json!({ "reason": "ещё раз" })).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "lead_not_open", "{}", r.body);
    assert_eq!(db::entity::survey_answer::Entity::find().count(&w.app.db).await.unwrap(), 3);
}

#[tokio::test]
async fn the_survey_form_works_without_a_script_in_both_languages() {
    let w = World::new().await;
    let mut v = w.app.client();
    let r = v.get(&format!("/survey?school={}&qr=1", w.school_s1)).await;
    assert!(r.body.contains("id=\"survey-form\""), "{}", r.body);
    let key = form_value(&r.body, "client_key");
    let (s1, d1) = (w.school_s1.to_string(), w.district_a1.to_string());
    let mut f = vec![
        ("client_key", key.as_str()),
        ("district", d1.as_str()),
        ("school", s1.as_str()),
        ("ready", "no"),
        ("grades", "2"),
        ("grades", ""),
        ("missing", "outerwear"),
        ("help", "yes"),
        ("contact_name", "Гүлнар"),
        ("phone", "87015551234"),
        ("step", "check"),
    ];
    let r = v.post_form("/survey", &f).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "no consent: {}", r.body);
    assert!(r.body.contains("Гүлнар"), "what was typed is kept");
    f.push(("consent", "yes"));
    let r = v.post_form("/survey", &f).await;
    assert!(r.body.contains("id=\"survey-check\"") && r.body.contains("Верхняя одежда"), "{}", r.body);
    let sent: Vec<(&str, &str)> = f.iter().map(|(k, x)| if *k == "step" { (*k, "send") } else { (*k, *x) }).collect();
    let r = v.post_form("/survey", &sent).await;
    assert!(r.body.contains("id=\"survey-lead\""), "{}", r.body);
    v.post_form("/survey", &sent).await;
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(db::entity::survey_answer::Entity::find().count(&w.app.db).await.unwrap(), 1);
    v.post_form("/lang", &[("lang", "kk")]).await;
    let r = v.get(&format!("/survey?school={}", w.school_s1)).await;
    assert!(r.body.contains("Балаңыз мектепке дайын ба?"), "{}", r.body);
}
