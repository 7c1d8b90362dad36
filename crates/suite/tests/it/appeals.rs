//! Citizens' appeals: registered by staff and routed by topic, the term counted on the
//! working-day calendar the republic edits (a term across the New Year lands past its days off),
//! forwarded, extended, answered and closed; filed by the public through the form with and
//! without a script, one appeal per form however often it is sent, throttled per client; followed
//! by a code that shows nothing but where the appeal stands; escalated once per level; each list
//! a page after a cursor; every scope kept.

use axum::http::{Method, StatusCode};
use chrono::{NaiveDate, TimeZone, Utc};
use domain::Role;
use serde_json::{Value, json};

use crate::World;
use crate::children::{add, campaign, form, iin};
use crate::support::{Client, api_messages, audit_count};

fn staff_appeal(topic: &str, school: i64) -> Value {
    json!({ "channel": "hotline", "topic": topic, "applicant_name": "Сапарова Айгерим", "phone": "8 701 555 12 34",
        "school": school.to_string(), "text": "Ребёнку не выдали форму" })
}

async fn register(c: &mut Client, body: Value) -> Value {
    let r = c.json(Method::POST, "/api/v1/appeals", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()
}

/// The `key` of every item of the array at `pointer`.
fn each(v: &Value, pointer: &str, key: &str) -> Vec<String> {
    let items = v.pointer(pointer).and_then(Value::as_array).cloned().unwrap_or_default();
    items.iter().map(|i| i[key].as_str().unwrap_or_default().to_owned()).collect()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[tokio::test]
async fn staff_register_route_forward_extend_answer_and_close_an_appeal() {
    let w = World::new().await;
    campaign(&w).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let mut dist = w.app.signed_in("dist", Role::DistrictCoordinator, w.district_a1).await;
    let mut other = w.app.signed_in("schb", Role::SchoolCoordinator, w.school_s4).await;
    let mut sponsor = w.app.signed_in("spon", Role::Sponsor, w.region_a).await;

    // A complaint about a school goes to its district; help not received stays at the school.
    let complaint = register(&mut sch, staff_appeal("school_complaint", w.school_s1)).await;
    let help = register(&mut sch, staff_appeal("help_not_received", w.school_s1)).await;
    assert_eq!(complaint["unit_id"], w.district_a1);
    assert_eq!(help["unit_id"], w.school_s1);
    let code = complaint["code"].as_str().unwrap();
    assert_eq!(code.len(), 14, "{code}: three groups of four");
    let id = complaint["id"].as_i64().unwrap();
    // The school does not see the complaint about itself; the district does, and logs the opening.
    let r = sch.get(&format!("/api/v1/appeals/{id}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = dist.get(&format!("/api/v1/appeals/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["applicant_name"], "Сапарова Айгерим");
    assert_eq!(r.json()["applicant_phone"], "+77015551234");
    assert!(audit_count(&w.app.db, "read_personal", "appeal", Some(id)).await >= 1);
    // Out of scope and by role: refused.
    for c in [&mut other, &mut sponsor] {
        let r = c.get(&format!("/api/v1/appeals/{id}")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
    let r = sponsor.json(Method::POST, "/api/v1/appeals", staff_appeal("other", w.school_s1)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // Every bad field at once, in the user's language.
    let bad = json!({ "channel": "web", "topic": "", "phone": "12", "school": "x", "iin": "123", "text": "" });
    let r = dist.json(Method::POST, "/api/v1/appeals", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let fields = each(&r.json(), "/error/fields", "field");
    for f in ["channel", "topic", "applicant_name", "phone", "school", "iin", "text"] {
        assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
    }
    assert!(api_messages(&r.json()).iter().any(|m| m.contains("Как поступило")), "{}", r.body);
    // A child by IIN: one in the school's registry links; another region's does not, and is not named.
    let kid = iin(7, true);
    add(&mut sch, &form(&kid, "Құрманғазы", &w.school_s1.to_string(), "large_family", "3")).await;
    let mut with_child = staff_appeal("not_at_school", w.school_s1);
    with_child["iin"] = json!(kid);
    let linked = register(&mut sch, with_child.clone()).await;
    let card = sch.get(&format!("/api/v1/appeals/{}", linked["id"])).await.json();
    assert!(card["child_id"].is_i64(), "{card}");
    let r = other.json(Method::POST, "/api/v1/appeals", with_child).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "child_not_in_registry");

    // Worked at the district: taken, then forwarded to the region (its term counted again).
    let r = dist.json(Method::POST, &format!("/api/v1/appeals/{id}/take"), json!({})).await;
    assert_eq!(r.json()["status"], "in_work", "{}", r.body);
    let r =
        dist.json(Method::POST, &format!("/api/v1/appeals/{id}/forward"), json!({ "unit_id": w.district_a1 })).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "forward_target", "{}", r.body);
    let r = dist
        .json(
            Method::POST,
            &format!("/api/v1/appeals/{id}/forward"),
            json!({ "unit_id": w.region_a, "note": "Не наша компетенция" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.json()["status"].as_str(), r.json()["unit_id"].as_i64()), (Some("forwarded"), Some(w.region_a)));
    let r = dist.get(&format!("/api/v1/appeals/{id}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "the district no longer holds it: {}", r.body);
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let before = reg.get(&format!("/api/v1/appeals/{id}")).await.json();
    let due: NaiveDate = serde_json::from_value(before["due_on"].clone()).unwrap();
    // Extended once, with a reason, no further than two months.
    let r = reg
        .json(Method::POST, &format!("/api/v1/appeals/{id}/extend"), json!({ "until": "01.01.2020", "reason": "" }))
        .await;
    let codes = each(&r.json(), "/error/fields", "code");
    assert_eq!(codes, ["required", "extension_too_short"], "{}", r.body);
    let until = due + chrono::Days::new(10);
    let ext = json!({ "until": until.format("%d.%m.%Y").to_string(), "reason": "Запрошены сведения у акимата" });
    let r = reg.json(Method::POST, &format!("/api/v1/appeals/{id}/extend"), ext.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.json()["due_on"].as_str().map(str::to_owned), r.json()["extended"].as_bool()),
        (Some(until.to_string()), Some(true))
    );
    let r = reg.json(Method::POST, &format!("/api/v1/appeals/{id}/extend"), ext).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "already_extended", "{}", r.body);
    // Closing waits for the answer; the answer once; then closed.
    let r = reg.json(Method::POST, &format!("/api/v1/appeals/{id}/close"), json!({})).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "appeal_not_answered", "{}", r.body);
    let r = reg.json(Method::POST, &format!("/api/v1/appeals/{id}/answer"), json!({ "answer": "" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = reg
        .json(Method::POST, &format!("/api/v1/appeals/{id}/answer"), json!({ "answer": "Форма выдана 5 сентября." }))
        .await;
    assert_eq!(r.json()["status"], "answered", "{}", r.body);
    let r = reg.json(Method::POST, &format!("/api/v1/appeals/{id}/answer"), json!({ "answer": "ещё раз" })).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "appeal_not_open", "{}", r.body);
    let r = reg.json(Method::POST, &format!("/api/v1/appeals/{id}/close"), json!({})).await;
    assert_eq!(r.json()["status"], "closed", "{}", r.body);
    let kinds = each(&r.json(), "/events", "kind");
    assert_eq!(kinds, ["registered", "taken", "forwarded", "extended", "answered", "closed"]);

    // The public follows it by its code, lower case with spaces as typed: status, days, answer.
    let mut visitor = w.app.client();
    let typed = code.to_lowercase().replace('-', " ");
    let r = visitor.get(&format!("/api/v1/public/appeals/{}", typed.replace(' ', "%20"))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.json()["status"].as_str(), r.json()["answer"].as_str()),
        (Some("closed"), Some("Форма выдана 5 сентября."))
    );
    for secret in ["Сапарова", "7015551234", "Ребёнку не выдали", "Не наша компетенция", "акимата"]
    {
        assert!(!r.body.contains(secret), "the public sees {secret}: {}", r.body);
    }
    let r =
        visitor.json(Method::POST, &format!("/api/v1/public/appeals/{code}/feedback"), json!({ "solved": true })).await;
    assert_eq!(r.json()["solved"], true, "{}", r.body);
}

#[tokio::test]
async fn a_term_lands_past_the_public_holidays_and_the_republic_edits_the_calendar() {
    let w = World::new().await;
    let db = &w.app.db;
    let dist = db::users::by_id(db, domain::UserId(w.app.user("dist", Role::DistrictCoordinator, w.district_a1).await))
        .await
        .unwrap()
        .unwrap()
        .actor();
    let input = domain::appeal::AppealInput {
        channel: "letter".into(),
        topic: "other".into(),
        anonymous: true,
        school: w.school_s1.to_string(),
        text: "Письмо".into(),
        ..Default::default()
    };
    let f = input.parse(None).unwrap();
    // Friday 11 December 2026, 23:30 in Almaty (18:30 UTC): 16 December, 1 January, 4 January (for
    // the 2nd, a Saturday) are off; the 15th working day is Wednesday 6 January 2027.
    let friday = Utc.with_ymd_and_hms(2026, 12, 11, 18, 30, 0).unwrap();
    let (a, _) = db::appeals::register(db, db::appeals::By::Staff(&dist), &f, None, friday).await.unwrap();
    assert_eq!((a.received_on, a.due_on), (d(2026, 12, 11), d(2027, 1, 6)));
    // 01:00 in Almaty on Saturday is still Friday in UTC: the day is Almaty's.
    let late = Utc.with_ymd_and_hms(2026, 12, 11, 20, 0, 0).unwrap();
    let (b, _) = db::appeals::register(db, db::appeals::By::Staff(&dist), &f, None, late).await.unwrap();
    assert_eq!((b.received_on, b.due_on), (d(2026, 12, 12), d(2027, 1, 6)));

    // The republic marks 6 January off (a decree): the next appeal's term steps over it and the
    // 7th (Orthodox Christmas) to the 8th. Nobody else may.
    let mut rep = w.app.signed_in("rep", Role::RepublicCoordinator, w.republic).await;
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let off = json!({ "working": false, "note": "Постановление № 1" });
    let r = reg.json(Method::PUT, "/api/v1/work-days/2027-01-06", off.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = rep.json(Method::PUT, "/api/v1/work-days/2027-01-06", off).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = rep.get("/api/v1/work-days?year=2027").await;
    let days = r.json();
    assert!(days.as_array().unwrap().iter().any(|x| x["day"] == "2027-01-06" && x["working"] == false), "{days}");
    assert!(days.as_array().unwrap().iter().any(|x| x["day"] == "2027-01-07" && x["note"] == "orthodox_christmas"));
    let (c, _) = db::appeals::register(db, db::appeals::By::Staff(&dist), &f, None, friday).await.unwrap();
    assert_eq!(c.due_on, d(2027, 1, 8));
    // A weekend day worked counts: Saturday 19 December, then the term ends a day sooner.
    let r = rep.json(Method::PUT, "/api/v1/work-days/2026-12-19", json!({ "working": true })).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let (e, _) = db::appeals::register(db, db::appeals::By::Staff(&dist), &f, None, friday).await.unwrap();
    assert_eq!(e.due_on, d(2027, 1, 5));
    // A topic's term, set by the republic (1–30 working days).
    let r = rep.json(Method::PUT, "/api/v1/appeal-terms/other", json!({ "days": 31 })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = rep.json(Method::PUT, "/api/v1/appeal-terms/other", json!({ "days": 5 })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let (g, _) = db::appeals::register(db, db::appeals::By::Staff(&dist), &f, None, friday).await.unwrap();
    assert_eq!(g.due_on, d(2026, 12, 19), "5 working days: 16 December off, the 19th worked");

    // The sweep: a quarter of the term left, then overdue; each once.
    let warned = db::appeals::escalate(db, g.warn_on).await.unwrap();
    assert!(warned.iter().any(|x| x.id == g.id && x.level == 1), "{warned:?}");
    let again = db::appeals::escalate(db, g.warn_on).await.unwrap();
    assert!(!again.iter().any(|x| x.id == g.id), "{again:?}");
    let late = db::appeals::escalate(db, d(2026, 12, 21)).await.unwrap();
    assert!(late.iter().any(|x| x.id == g.id && x.level == 2), "{late:?}");
    assert!(db::appeals::escalate(db, d(2026, 12, 22)).await.unwrap().iter().all(|x| x.id != g.id));
    let card = db::appeals::get(db, &dist, g.id).await.unwrap();
    let kinds: Vec<&str> = card.events.iter().map(|(e, _, _)| e.kind.as_str()).collect();
    assert_eq!(kinds, ["registered", "escalated", "overdue"]);
    assert_eq!(card.events[1].2.as_ref().map(|u| u.id), Some(w.district_a1), "told the level above the school");
    // The lists: overdue, due, the actor's own.
    let today = d(2026, 12, 21);
    let (overdue, _) = db::appeals::list(db, &dist, db::appeals::View::Overdue, None, today).await.unwrap();
    assert_eq!(overdue.iter().map(|a| a.id).collect::<Vec<_>>(), [g.id]);
    let (due, _) =
        db::appeals::list(db, &dist, db::appeals::View::Due { until: d(2027, 1, 6) }, None, today).await.unwrap();
    assert_eq!(due.len(), 3, "{due:?}");
}

fn public_appeal(key: &str, school: i64) -> Value {
    json!({ "client_key": key, "qr": true, "topic": "help_not_received", "applicant_name": "Аслан",
        "email": "Aslan@Mail.KZ", "school": school.to_string(), "text": "<script>alert(1)</script> нет рюкзака" })
}

#[tokio::test]
async fn the_public_files_once_per_form_is_throttled_and_cannot_guess_codes() {
    let w = World::new().await;
    let mut visitor = w.app.client();
    let key = "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
    let r = visitor.json(Method::POST, "/api/v1/public/appeals", public_appeal(key, w.school_s1)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.json()["code"].as_str().unwrap().to_owned();
    assert!(r.json().get("id").is_none(), "no id for the public: {}", r.body);
    // The same form sent again (a lost answer, a double tap) is the same appeal.
    let r = visitor.json(Method::POST, "/api/v1/public/appeals", public_appeal(key, w.school_s1)).await;
    assert_eq!(r.json()["code"], code.as_str(), "{}", r.body);
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(db::entity::appeal::Entity::find().count(&w.app.db).await.unwrap(), 1);
    // A school that does not exist, a missing school, a missing key: clear messages, nothing kept.
    let mut bad = public_appeal("4f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f", 99_999);
    let r = visitor.json(Method::POST, "/api/v1/public/appeals", bad.clone()).await;
    assert_eq!(
        (r.status, r.json()["error"]["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("school"))
    );
    bad["school"] = json!("");
    let r = visitor.json(Method::POST, "/api/v1/public/appeals", bad.clone()).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "required", "{}", r.body);
    bad["client_key"] = json!("1");
    let r = visitor.json(Method::POST, "/api/v1/public/appeals", bad).await;
    assert_eq!(r.json()["error"]["fields"][0]["field"], "client_key", "{}", r.body);
    let big = json!({ "client_key": "5f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "topic": "other", "anonymous": true,
        "school": w.school_s1.to_string(), "text": "x".repeat(1_000_000) });
    let r = visitor.json(Method::POST, "/api/v1/public/appeals", big).await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert_eq!(db::entity::appeal::Entity::find().count(&w.app.db).await.unwrap(), 1);
    // Ten an hour from one client; the eleventh waits.
    for n in 1..10 {
        let key = format!("{n:08}-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
        let r = visitor.json(Method::POST, "/api/v1/public/appeals", public_appeal(&key, w.school_s1)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{n}: {}", r.body);
    }
    let r = visitor
        .json(
            Method::POST,
            "/api/v1/public/appeals",
            public_appeal("aaaaaaaa-5a6b-4c7d-8e9f-0a1b2c3d4e5f", w.school_s1),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.headers.contains_key("retry-after"));

    // Following: a malformed code, an unknown one, the real one; then the look-ups run out.
    let mut guesser = w.app.client();
    let r = guesser.get("/api/v1/public/appeals/12345").await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "code_format", "{}", r.body);
    let r = guesser.get("/api/v1/public/appeals/AAAA-BBBB-CCCC").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = guesser.get(&format!("/api/v1/public/appeals/{code}")).await;
    assert_eq!(r.json()["status"], "registered", "{}", r.body);
    // The receipt as PDF, by the code: the code, how and when it came, who has it, the last day.
    let pdf = guesser.get_bytes(&format!("/track/receipt?code={code}")).await;
    let text = crate::support::pdf_text(&pdf);
    assert!(text.contains(&code) && text.contains("QR-код в школе") && text.contains("Срок ответа"), "{text}");
    assert!(!text.contains("Аслан"), "no applicant on the receipt: {text}");
    assert!(!r.body.contains("Аслан") && !r.body.contains("script"), "{}", r.body);
    let mut last = StatusCode::OK;
    for _ in 0..59 {
        last = guesser.get("/api/v1/public/appeals/AAAA-BBBB-CCCD").await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    // Feedback waits for the answer.
    let r = visitor
        .json(Method::POST, &format!("/api/v1/public/appeals/{code}/feedback"), json!({ "solved": false }))
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "appeal_not_answered", "{}", r.body);

    // Staff see it with the e-mail as typed, lower case, the markup as text; 10 lines on a page.
    let mut dist = w.app.signed_in("dist", Role::DistrictCoordinator, w.district_a1).await;
    let page = dist.get("/api/v1/appeals?view=open").await.json();
    assert_eq!(page["rows"].as_array().unwrap().len(), 10, "{page}");
    assert_eq!(page["rows"][0]["channel"], "qr");
    let r = dist.get("/appeals").await;
    assert!(r.body.contains(&code), "the list shows the code");
    let id = page["rows"][0]["id"].as_i64().unwrap();
    let card = dist.get(&format!("/appeals/{id}")).await;
    assert!(
        card.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || card.body.contains("&#60;script"),
        "{}",
        card.body
    );
    assert!(card.body.contains("aslan@mail.kz"));
}

#[tokio::test]
async fn lists_page_after_a_cursor_in_every_scope() {
    let w = World::new().await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    for _ in 0..23 {
        register(&mut sch, staff_appeal("help_not_received", w.school_s1)).await;
    }
    let mut schb = w.app.signed_in("schb", Role::SchoolCoordinator, w.school_s4).await;
    register(&mut schb, staff_appeal("help_not_received", w.school_s4)).await;
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    for view in ["open", "all"] {
        let first = reg.get(&format!("/api/v1/appeals?view={view}")).await.json();
        assert_eq!(first["rows"].as_array().unwrap().len(), 20, "{first}");
        let after = first["next_after"].as_str().unwrap();
        let second = reg.get(&format!("/api/v1/appeals?view={view}&after={after}")).await.json();
        assert_eq!(second["rows"].as_array().unwrap().len(), 3, "{second}");
        assert!(second["next_after"].is_null());
        let ids: std::collections::HashSet<i64> = first["rows"]
            .as_array()
            .unwrap()
            .iter()
            .chain(second["rows"].as_array().unwrap())
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids.len(), 23, "no line twice, none of region B");
    }
    let r = reg.get("/api/v1/appeals?view=everything").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = reg.get("/api/v1/appeals?after=yesterday").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let mut rep = w.app.signed_in("rep", Role::RepublicCoordinator, w.republic).await;
    let all = rep.get("/api/v1/appeals?view=mine").await.json();
    assert_eq!(all["rows"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn the_public_form_works_without_a_script_with_a_check_step() {
    let w = World::new().await;
    let mut v = w.app.client();
    // From a school's QR code: the school, its district and region are chosen already.
    let r = v.get(&format!("/appeal?school={}&qr=1", w.school_s1)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"appeal-form\""), "{}", r.body);
    let key = crate::support::form_value(&r.body, "client_key");
    let s1 = w.school_s1.to_string();
    let d1 = w.district_a1.to_string();
    let mut fields = vec![
        ("client_key", key.as_str()),
        ("qr", "1"),
        ("district", d1.as_str()),
        ("school", s1.as_str()),
        ("topic", "not_at_school"),
        ("text", "Соседский мальчик\nне ходит в школу"),
        ("applicant_name", "Гүлнар"),
        ("phone", ""),
        ("step", "check"),
    ];
    // No way to answer and not anonymous: the form again, with what was typed.
    let r = v.post_form("/appeal", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Соседский мальчик") && r.body.contains("Гүлнар"));
    assert!(crate::support::alert_messages(&r.body).iter().any(|m| m.contains("Анонимно")), "{}", r.body);
    fields.push(("anonymous", "yes"));
    let r = v.post_form("/appeal", &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", crate::support::alert_messages(&r.body));
    assert!(r.body.contains("id=\"appeal-check\""), "the check step: {}", r.body);
    let sent: Vec<(&str, &str)> =
        fields.iter().map(|(k, val)| if *k == "step" { (*k, "send") } else { (*k, *val) }).collect();
    let r = v.post_form("/appeal", &sent).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let code = crate::support::element_text(&r.body, "appeal-code");
    assert_eq!(code.len(), 14, "{}", r.body);
    let again = v.post_form("/appeal", &sent).await;
    assert_eq!(crate::support::element_text(&again.body, "appeal-code"), code, "the same form, the same appeal");
    // The robots' field filled: a receipt, nothing kept.
    let mut trap = sent.clone();
    trap[0] = ("client_key", "6f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
    trap.push(("website", "http://spam"));
    v.post_form("/appeal", &trap).await;
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(db::entity::appeal::Entity::find().count(&w.app.db).await.unwrap(), 1);
    // Followed by its code; an unknown code is said so by the field.
    let r = v.get(&format!("/track?code={}", code.to_lowercase())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("data-status=\"registered\""), "{}", r.body);
    assert!(!r.body.contains("Соседский"), "the text is not shown to the public");
    let r = v.get("/track?code=AAAA-BBBB-CCCC").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(crate::support::alert_messages(&r.body).iter().any(|m| m.contains("не найдено")), "{}", r.body);
    // In Kazakh too.
    let r = v.post_form("/lang", &[("lang", "kk")]).await;
    assert!(r.status.is_redirection());
    let r = v.get(&format!("/appeal?school={}", w.school_s1)).await;
    assert!(r.body.contains("Өтініштің мәні"), "{}", r.body);
}

#[tokio::test]
async fn the_front_page_shows_the_contacts_of_the_place_chosen_and_units_set_their_own() {
    let w = World::new().await;
    let mut dist = w.app.signed_in("dist", Role::DistrictCoordinator, w.district_a1).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let contacts = json!({ "hotline": "8 (71036) 4-12-34", "trust_phone": "8 (71036) 4-00-00",
        "reception": "ул. Ленина, 5, каб. 12; пн–пт 9:00–18:00", "email": "Balkhash@Edu.kz" });
    let r = dist.json(Method::PUT, &format!("/api/v1/org-units/{}/contacts", w.district_a1), contacts.clone()).await;
    assert_eq!(r.json()["email"], "balkhash@edu.kz", "{}", r.body);
    let r = sch.json(Method::PUT, &format!("/api/v1/org-units/{}/contacts", w.district_a1), contacts.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a school does not set its district's: {}", r.body);
    let r = dist
        .json(Method::PUT, &format!("/api/v1/org-units/{}/contacts", w.school_s1), json!({ "hotline": "звоните" }))
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["field"], "hotline", "{}", r.body);
    let r = sch
        .post_form(
            &format!("/orgs/{}/contacts", w.school_s1),
            &[("hotline", "8 (71036) 4-55-55"), ("reception", "Каб. 3")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A visitor chooses the school: the district's and the school's contacts; the links carry the school.
    let mut v = w.app.client();
    let r = v.get("/").await;
    assert!(!r.body.contains("id=\"front-contacts\""));
    let r = v.get(&format!("/?school={}", w.school_s1)).await;
    assert!(
        r.body.contains("4-12-34") && r.body.contains("пн–пт 9:00–18:00") && r.body.contains("4-55-55"),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!("href=\"/appeal?school={}\"", w.school_s1)), "{}", r.body);
    let r = v.get(&format!("/?district={}", w.district_a2)).await;
    assert!(r.body.contains("id=\"front-no-contacts\""), "{}", r.body);
    // A new appeal at the district is mailed to the district's own address too.
    let mut staff = w.app.signed_in("dist2", Role::DistrictCoordinator, w.district_a1).await;
    register(&mut staff, json!({ "channel": "letter", "topic": "other", "anonymous": true, "text": "Письмо" })).await;
    use sea_orm::EntityTrait;
    let to: Vec<String> =
        db::entity::outbox::Entity::find().all(&w.app.db).await.unwrap().into_iter().map(|m| m.recipient).collect();
    assert_eq!(to, ["balkhash@edu.kz"]);
}
