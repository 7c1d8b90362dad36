//! The two doors agree: the same bad input sent through a form and through the API gets the same
//! field errors, in the same order and words, because both call the same use case.

use axum::http::{Method, StatusCode};
use domain::Role;
use serde_json::json;

use crate::World;
use crate::children::{campaign, iin};
use crate::support::{alert_messages, api_messages};

#[tokio::test]
async fn a_child_record_gets_the_same_errors_through_the_form_and_the_api() {
    let w = World::new().await;
    campaign(&w).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    // No school, a broken IIN, a grade out of range, one unknown category, a need of no cost.
    let page = sch
        .post_form(
            "/children/new",
            &[
                ("iin", "821214240092"),
                ("surname", "Әбдірахман"),
                ("first_name", "Іңкәр"),
                ("grade", "14"),
                ("study_language", "kk"),
                ("categories", "единорог"),
                ("guardian_name", "Әбдірахман Сәуле"),
                ("consent_by", "legal_representative"),
                ("consent_method", "electronic"),
                ("consent_date", "02.08.2026"),
                ("source", "raid"),
                ("need_item", "uniform"),
                ("need_size", ""),
                ("need_quantity", ""),
                ("need_cost", "abc"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    let api = sch
        .json(
            Method::POST,
            "/api/v1/children",
            json!({
                "iin": "821214240092", "surname": "Әбдірахман", "first_name": "Іңкәр", "grade": "14",
                "study_language": "kk", "categories": ["единорог"], "guardian_name": "Әбдірахман Сәуле",
                "consent_by": "legal_representative", "consent_method": "electronic", "consent_date": "02.08.2026",
                "source": "raid", "needs": [{ "item": "uniform", "size": "", "quantity": "", "cost": "abc" }]
            }),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    let codes: Vec<String> = api.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}:{}", f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    for expected in ["school_id:required", "iin:iin_checksum", "grade:grade_range", "categories:invalid_choice"] {
        assert!(codes.contains(&expected.to_owned()), "{expected} in {codes:?}");
    }
    assert!(codes.iter().any(|c| c.ends_with(":amount_format")), "the need's cost: {codes:?}");
    let messages = api_messages(&api.json());
    assert_eq!(alert_messages(&page.body), messages, "the form lists what the API lists");

    // One category ticked comes as one value, not a list: it is read and kept.
    let ok = sch
        .post_form(
            "/children/new",
            &[
                ("school_id", &w.school_s1.to_string()),
                ("iin", &iin(71, true)),
                ("surname", "Әбдірахман"),
                ("first_name", "Іңкәр"),
                ("grade", "1"),
                ("study_language", "kk"),
                ("categories", "orphan"),
                ("guardian_name", "Әбдірахман Сәуле"),
                ("consent_by", "legal_representative"),
                ("consent_method", "electronic"),
                ("consent_date", "02.08.2026"),
                ("source", "raid"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let id: i64 = ok.location().trim_start_matches("/children/").split('?').next().unwrap().parse().unwrap();
    let card = sch.get(&format!("/api/v1/children/{id}")).await.json();
    assert_eq!(card["child"]["categories"], json!(["orphan"]));
}

#[tokio::test]
async fn an_aid_entry_gets_the_same_errors_through_the_card_and_the_api() {
    let w = World::new().await;
    campaign(&w).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let child = sch
        .json(
            Method::POST,
            "/api/v1/children",
            json!({
                "school_id": w.school_s1, "iin": iin(72, false), "surname": "Серікұлы", "first_name": "Нұрлан",
                "grade": "3", "study_language": "kk", "categories": ["large_family"], "guardian_name": "Серікова Гүл",
                "consent_by": "legal_representative", "consent_method": "electronic", "consent_date": "02.08.2026",
                "source": "raid"
            }),
        )
        .await;
    assert_eq!(child.status, StatusCode::CREATED, "{}", child.body);
    let id = child.json()["id"].as_i64().unwrap();
    let path = format!("/children/{id}/aid");
    let page = sch
        .post_form(&path, &[("source", "lottery"), ("form", "cash"), ("amount", "12,3x"), ("date", "32.13.2026")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    let api = sch
        .json(
            Method::POST,
            &format!("/api/v1{path}"),
            json!({ "source": "lottery", "form": "cash", "amount": "12,3x", "date": "32.13.2026" }),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    let messages = api_messages(&api.json());
    assert!(messages.len() >= 3, "source, amount and date each named: {messages:?}");
    assert_eq!(alert_messages(&page.body), messages);
}

#[tokio::test]
async fn a_sponsor_application_gets_the_same_errors_through_the_form_and_the_api() {
    let w = World::new().await;
    let mut visitor = w.app.client();
    let page = visitor
        .post_form(
            "/sponsors/apply",
            &[
                ("kind", "company"),
                ("name", ""),
                ("bin_iin", "123"),
                ("full_name", "Иванов Иван"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    let api = visitor
        .json(
            Method::POST,
            "/api/v1/sponsors/apply",
            json!({ "kind": "company", "name": "", "bin_iin": "123", "full_name": "Иванов Иван", "password": "short" }),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    let fields: Vec<String> = api.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    for f in ["name", "bin_iin", "region", "password"] {
        assert!(fields.contains(&f.to_owned()), "{f} in {fields:?}");
    }
    assert_eq!(alert_messages(&page.body), api_messages(&api.json()));
}

#[tokio::test]
async fn an_org_unit_gets_the_same_errors_through_the_form_and_the_api() {
    let w = World::new().await;
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let page = reg
        .post_form(
            &format!("/orgs/{}/new", w.district_a1),
            &[("code", ""), ("name_ru", ""), ("name_kk", "Мектеп"), ("locality", "town"), ("language", "xx")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    let api = reg
        .json(
            Method::POST,
            "/api/v1/org-units",
            json!({ "parent_id": w.district_a1, "code": "", "name_ru": "", "name_kk": "Мектеп", "locality": "town", "language": "xx" }),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    let messages = api_messages(&api.json());
    assert!(messages.len() >= 3, "the code, the Russian name and the language: {messages:?}");
    assert_eq!(alert_messages(&page.body), messages);
    // A school can have no units below it: both doors say so on the parent.
    let under_school = reg
        .json(Method::POST, "/api/v1/org-units", json!({ "parent_id": w.school_s1, "name_ru": "x", "name_kk": "x" }))
        .await;
    assert_eq!(under_school.json()["error"]["fields"][0]["field"], "parent_id");
}

#[tokio::test]
async fn an_account_change_gets_the_same_errors_through_the_form_and_the_api() {
    let w = World::new().await;
    let target = w.app.user("sch", Role::SchoolCoordinator, w.school_s1).await;
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let page = reg.post_form(&format!("/users/{target}/edit"), &[("full_name", "Иванов"), ("role", "king")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    let api = reg
        .json(Method::PUT, &format!("/api/v1/users/{target}"), json!({ "full_name": "Иванов", "role": "king" }))
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    let fields: Vec<String> = api.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["role", "unit_id"], "the role and the missing unit, both");
    assert_eq!(alert_messages(&page.body), api_messages(&api.json()));
}

#[tokio::test]
async fn a_bad_list_query_is_named_in_the_users_language_through_both_doors_never_a_500() {
    let w = World::new().await;
    campaign(&w).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let long = "я".repeat(5_000);
    let cases: [(&str, &str, &str); 9] = [
        ("q=%D0%B0", "too_short", "Поле «ИИН или фамилия»: введите не менее 2 символов."),
        ("q=150", "too_short", "Поле «ИИН или фамилия»: введите не менее 4 символов."),
        (&format!("q={long}"), "too_long", "Поле «ИИН или фамилия»: не более 100 символов."),
        ("sort=age", "invalid_choice", "Поле «Порядок»: выберите значение из списка."),
        ("grade=12", "grade_range", ""),
        ("after=999999999", "stale_cursor", "Список изменился, пока вы его листали: начните с первой страницы."),
        ("after=abc", "not_a_number", "Поле «Страница»: нужно число."),
        ("before=1e5", "not_a_number", "Поле «Страница»: нужно число."),
        ("unit=%D1%88%D0%BA%D0%BE%D0%BB%D0%B0", "not_a_number", "Поле «Район или школа»: нужно число."),
    ];
    for (query, code, message) in cases {
        let api = sch.get(&format!("/api/v1/children?{query}")).await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", api.body);
        let body = api.json();
        assert_eq!(body["error"]["fields"][0]["code"], code, "{query}");
        let page = sch.get(&format!("/children?{query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{query}: the list again, with the reason");
        assert_eq!(alert_messages(&page.body), api_messages(&body), "{query}: the same words through both doors");
        if !message.is_empty() {
            assert_eq!(api_messages(&body), [message], "{query}");
        }
    }
    // What was typed stays in the form.
    let page = sch.get("/children?q=%D0%B0&grade=3").await;
    assert!(page.body.contains(r#"name="q" value="а""#), "{}", page.body);
    // A page number past the end or absurdly large is only a label: the first page, honestly.
    for page in ["1000000000000000000", "18446744073709551615", "99999999999999999999999", "-1", "два"] {
        let page = page.replace("два", "%D0%B4%D0%B2%D0%B0");
        let r = sch.get(&format!("/children?page={page}")).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        let r = sch.get(&format!("/api/v1/children?page={page}")).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        assert_eq!(r.json()["rows"], json!([]), "an empty campaign, an empty page");
    }
}

/// Random query strings at every list, both doors: whatever a client sends, never a 5xx.
#[test]
fn random_query_strings_at_every_list_get_no_5xx() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (w, dis) = rt.block_on(async {
        let w = World::new().await;
        campaign(&w).await;
        let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
        let s1 = w.school_s1.to_string();
        for i in 0..3 {
            crate::children::add(
                &mut sch,
                &crate::children::form(&crate::children::iin(90 + i, true), "Ахмет", &s1, "asp", "3"),
            )
            .await;
        }
        let dis = w.app.signed_in("dis", Role::DistrictCoordinator, w.district_a1).await;
        (w, dis)
    });
    let paths = [
        "/children",
        "/children/export.xlsx",
        "/audit",
        "/users",
        "/reports",
        "/dashboard",
        "/checks",
        "/public",
        "/api/v1/children",
        "/api/v1/children/export.xlsx",
        "/api/v1/audit",
        "/api/v1/users",
        "/api/v1/org-units",
        "/api/v1/reports/consolidated",
        "/api/v1/reports/school",
        "/api/v1/checks",
        "/api/v1/children/transfer-requests",
    ];
    let keys = [
        "q", "page", "after", "before", "unit", "year", "sort", "grade", "category", "status", "need", "from", "to",
        "limit", "per_page", "action", "entity", "school", "level", "format",
    ];
    let value = prop_oneof![
        Just(String::new()),
        any::<i64>().prop_map(|n| n.to_string()),
        Just("18446744073709551616".to_owned()),
        Just("99999999999999999999999999".to_owned()),
        "[0-9]{1,20}",
        "[a-zA-Zа-яӘәІіҢңҒғҮүҰұҚқӨөҺһ ._%-]{0,40}",
        "\\PC{0,30}",
        Just("31.02.2026".to_owned()),
        Just("2026-13-45".to_owned()),
        Just("'; DROP TABLE children; --".to_owned()),
    ];
    let query = proptest::collection::vec((0..keys.len(), value), 0..5);
    let strategy = (0..paths.len(), query);
    let mut runner = TestRunner::new(Config { cases: 300, failure_persistence: None, ..Config::default() });
    let result = runner.run(&strategy, |(p, pairs)| {
        let mut s = form_urlencoded_query(&pairs.iter().map(|(k, v)| (keys[*k], v.as_str())).collect::<Vec<_>>());
        if s.is_empty() {
            s.push_str("x=");
        }
        let path = format!("{}?{s}", paths[p]);
        let mut c = dis.clone();
        let status = rt.block_on(c.get(&path)).status;
        prop_assert!(status.as_u16() < 500, "{path}: {status}");
        Ok(())
    });
    drop(w);
    result.unwrap();
}

/// `key=value&…`, percent-encoded as a browser sends it.
fn form_urlencoded_query(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}
