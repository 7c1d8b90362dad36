//! A sponsor's portal on a phone: the needs a page at a time, narrowed by district, school, item
//! and grade; a hold that says for whom (by code), what, where to bring it and whom to call; a
//! delivery that waits for the school, listed on the school's start page and answered from the
//! child's card; and the details a school fills in once.

use axum::http::{Method, StatusCode};
use domain::aid::SponsorInput;
use domain::{OrgUnitId, Role, SponsorId};

use crate::World;
use crate::children::{campaign, iin};
use crate::support::{Client, PASSWORD};

/// A sponsor of region A with an account that can sign in at once.
async fn sponsor_client(w: &World, login: &str, bin: &str) -> Client {
    let reg = db::users::by_login(&w.app.db, "reg").await.unwrap().unwrap().actor();
    let f = SponsorInput {
        kind: "company".into(),
        name: format!("ТОО «{login}»"),
        bin_iin: bin.into(),
        ..Default::default()
    };
    let s = db::sponsors::create(&w.app.db, &reg, OrgUnitId(w.region_a), &f.parse().unwrap()).await.unwrap();
    let hash = domain::password::hash(PASSWORD).unwrap();
    db::sponsors::add_account(&w.app.db, &reg, SponsorId(s.id), login, login, &hash).await.unwrap();
    db::users::set_password_system(&w.app.db, login, &hash, false).await.unwrap();
    let mut c = w.app.client();
    let r = c.post_form("/login", &[("login", login), ("password", PASSWORD)]).await;
    assert_eq!(r.location(), "/", "{}", r.body);
    c
}

/// Children of a school, each needing a backpack and shoes (grade 3, or 5 for every third).
async fn children(w: &World, school: i64, from: u32, n: u32) {
    let c = db::campaigns::current(&w.app.db).await.unwrap().unwrap();
    let sch = db::users::by_login(&w.app.db, "sch").await.unwrap().unwrap().actor();
    let reg = db::users::by_login(&w.app.db, "reg").await.unwrap().unwrap().actor();
    for i in from..from + n {
        let input = domain::child::ChildInput {
            iin: iin(100 + i, i % 2 == 0),
            surname: format!("Тайная{i}"),
            first_name: "Фамилия".into(),
            grade: if i % 3 == 0 { "5" } else { "3" }.into(),
            age_confirmed: i % 3 == 0,
            study_language: "kk".into(),
            categories: vec!["orphan".into()],
            guardian_name: "Опекун Тайный".into(),
            consent_by: "legal_representative".into(),
            consent_method: "written".into(),
            consent_date: "01.08.2026".into(),
            source: "school_list".into(),
            needs: vec![
                domain::child::NeedInput { item: "backpack".into(), cost: "45 000".into(), ..Default::default() },
                domain::child::NeedInput {
                    item: "shoes".into(),
                    cost: "18 500".into(),
                    size: "34".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let who = if school == w.school_s1 { &sch } else { &reg };
        db::children::create(&w.app.db, who, &c, OrgUnitId(school), &input.parse(c.starts_on).unwrap()).await.unwrap();
    }
}

async fn world() -> World {
    let w = World::new().await;
    campaign(&w).await;
    w.app.user("sch", Role::SchoolCoordinator, w.school_s1).await;
    w.app.user("dist", Role::DistrictCoordinator, w.district_a1).await;
    w.app.user("reg", Role::RegionCoordinator, w.region_a).await;
    w
}

/// The need ids of a portal page, in order.
fn reserve_ids(body: &str) -> Vec<i64> {
    body.split("action=\"/sponsor/reserve/").skip(1).filter_map(|s| s.split('"').next()?.parse().ok()).collect()
}

/// The query of the page's «next» link, if any.
fn next_link(body: &str) -> Option<String> {
    let at = body.find("id=\"next-page\"")?;
    let before = &body[..at];
    let href = before.rfind("href=\"/sponsor?")?;
    Some(before[href + 6..].split('"').next()?.replace("&#38;", "&").replace("&amp;", "&"))
}

#[tokio::test]
async fn the_needs_come_a_page_at_a_time_and_narrow_by_district_school_item_and_grade() {
    let w = world().await;
    children(&w, w.school_s1, 0, 12).await;
    children(&w, w.school_s3, 12, 3).await;
    let mut sp = sponsor_client(&w, "kounrad", "940140000385").await;
    // 30 needs: 20 on the first page, 10 on the second, none twice, none left out.
    let first = sp.get("/sponsor").await;
    assert_eq!(first.status, StatusCode::OK);
    let one = reserve_ids(&first.body);
    assert_eq!(one.len(), 20, "{}", first.body);
    let next = next_link(&first.body).expect("a next page");
    assert!(next.contains("after="), "{next}");
    let second = sp.get(&next).await;
    let two = reserve_ids(&second.body);
    assert_eq!(two.len(), 10);
    assert!(one.iter().max() < two.iter().min(), "the second page goes on where the first ended");
    assert!(next_link(&second.body).is_none(), "the last page has no next");
    assert!(second.body.contains("id=\"first-page\""));
    // By district: the districts are offered, then the schools of the chosen one.
    assert!(first.body.contains("Каркаралинский район") && !first.body.contains("id=\"school\""));
    let a2 = sp.get(&format!("/sponsor?district={}", w.district_a2)).await;
    assert_eq!(reserve_ids(&a2.body).len(), 6, "school 3's three children, two needs each");
    assert!(a2.body.contains("id=\"school\"") && a2.body.contains("Школа № 3") && !a2.body.contains(">Школа № 1<"));
    let s3 = sp.get(&format!("/sponsor?district={}&school={}", w.district_a1, w.school_s3)).await;
    assert_eq!(s3.status, StatusCode::UNPROCESSABLE_ENTITY, "a school of another district is refused, not ignored");
    assert!(crate::support::alert_messages(&s3.body).iter().any(|m| m.contains("«Школа»")), "{}", s3.body);
    let s1 = sp.get(&format!("/sponsor?district={}&school={}&item=shoes&grade=5", w.district_a1, w.school_s1)).await;
    // Children 0, 3, 6, 9 of school 1 are in grade 5.
    assert_eq!(reserve_ids(&s1.body).len(), 4, "{}", s1.body);
    assert!(s1.body.contains("Обувь (34)"), "{}", s1.body);
    // Over the API: the same pages, and the same filters by id.
    let page = sp.get("/api/v1/sponsor/needs").await.json();
    assert_eq!(page["rows"].as_array().unwrap().len(), 30);
    assert!(page["next_after"].is_null());
    let shoes = sp.get(&format!("/api/v1/sponsor/needs?school_id={}&item=shoes", w.school_s3)).await.json();
    assert_eq!(shoes["rows"].as_array().unwrap().len(), 3);
    assert_eq!(shoes["rows"][0]["size"], "34");
    let after = sp.get(&format!("/api/v1/sponsor/needs?after={}", one[19])).await.json();
    assert_eq!(after["rows"][0]["need_id"], two[0]);
}

#[tokio::test]
async fn a_reservation_says_what_for_whom_where_and_whom_to_call_and_the_school_confirms_it() {
    let w = world().await;
    children(&w, w.school_s1, 0, 1).await;
    // The school fills in its details once; a bad phone is named and what was typed is kept.
    let mut sch = w.app.client();
    sch.post_form("/login", &[("login", "sch"), ("password", PASSWORD)]).await;
    let unit = sch.get(&format!("/orgs/{}", w.school_s1)).await;
    assert!(unit.body.contains(&format!("href=\"/orgs/{}/details\"", w.school_s1)), "{}", unit.body);
    let path = format!("/orgs/{}/details", w.school_s1);
    let form = [
        ("address", "г. Балхаш, ул. Ленина, 12"),
        ("coordinator", "Құрманғазы Әсел"),
        ("phone", "4-12"),
        ("director", "Серікова А. М."),
        ("addressee", "Руководителю отдела образования г. Балхаш"),
    ];
    let bad = sch.post_form(&path, &form).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("value=\"г. Балхаш, ул. Ленина, 12\""), "{}", bad.body);
    assert!(bad.body.contains("id=\"phone-error\""), "{}", bad.body);
    let mut good = form;
    good[2] = ("phone", "8 (71036) 4-12-34");
    assert_eq!(sch.post_form(&path, &good).await.status, StatusCode::SEE_OTHER);
    assert!(sch.get(&path).await.body.contains("value=\"+77103641234\""));
    // The same over the API.
    let api = format!("/api/v1/org-units/{}/details", w.school_s1);
    assert_eq!(sch.get(&api).await.json()["phone"], "+77103641234");
    let bad =
        sch.json(Method::PUT, &api, serde_json::json!({"phone": "12", "address": "г. Балхаш, ул. Ленина, 12"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["error"]["fields"][0]["field"], "phone", "{}", bad.body);
    assert_eq!(sch.get(&api).await.json()["director"], "Серікова А. М.", "a refused change changes nothing");
    // Another school's coordinator cannot read or change them.
    let mut other = w.app.signed_in("sch3", Role::SchoolCoordinator, w.school_s3).await;
    assert!(matches!(other.get(&path).await.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND));
    assert!(matches!(other.post_form(&path, &good).await.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND));

    // The sponsor holds the shoes: the hold names the child by code, the size, the school's
    // address and the coordinator's phone; never a name.
    let mut sp = sponsor_client(&w, "kounrad", "940140000385").await;
    let portal = sp.get("/sponsor?item=shoes").await;
    let need = reserve_ids(&portal.body)[0];
    sp.post_form(&format!("/sponsor/reserve/{need}"), &[]).await;
    let portal = sp.get("/sponsor").await;
    let holds = portal.body.split("id=\"holds\"").nth(1).unwrap().split("</ul>").next().unwrap();
    for shown in [
        "D-0",
        "девочка, 5 класс",
        "Обувь (34)",
        "18 500 ₸",
        "Школа № 1",
        "г. Балхаш, ул. Ленина, 12",
        "Құрманғазы Әсел",
        "tel:+77103641234",
    ] {
        assert!(holds.contains(shown), "{shown} in {holds}");
    }
    assert!(!portal.body.contains("Тайная") && !portal.body.contains("Опекун"));
    let api = sp.get("/api/v1/sponsor/holds").await.json();
    assert_eq!(api[0]["size"], "34");
    assert_eq!(api[0]["address"], "г. Балхаш, ул. Ленина, 12");
    assert_eq!(api[0]["phone"], "+77103641234");
    assert_eq!(api[0]["hold"]["status"], "active");
    let hold = api[0]["hold"]["id"].as_i64().unwrap();

    // The sponsor delivers: told it waits for the school; nothing counted yet.
    let r = sp.post_form(&format!("/sponsor/deliver/{hold}"), &[]).await;
    assert_eq!(r.location(), "/sponsor?done=delivered");
    let portal = sp.get("/sponsor?done=delivered").await;
    assert!(portal.body.contains("Когда школа подтвердит получение"), "{}", portal.body);
    assert!(portal.body.contains("передано спонсором, ждёт подтверждения школы"), "{}", portal.body);
    assert!(portal.body.contains("id=\"impact-children\">0<"), "{}", portal.body);
    // The school's start page lists it; the district's too.
    let today = sch.get("/").await;
    let waiting = &today.body[today.body.find("id=\"deliveries\"").unwrap()..];
    assert!(waiting.contains("Обувь, 18 500 ₸") && waiting.contains("ТОО «kounrad»"), "{waiting}");
    let mut dist = w.app.client();
    dist.post_form("/login", &[("login", "dist"), ("password", PASSWORD)]).await;
    assert!(dist.get("/").await.body.contains("ТОО «kounrad»"));
    let listed = dist.get("/api/v1/holds/awaiting").await.json();
    assert_eq!(listed[0]["hold_id"], hold);
    // Confirmed from the child's card: help from then on, counted for the sponsor.
    let child = listed[0]["child_id"].as_i64().unwrap();
    let card = sch.get(&format!("/children/{child}")).await;
    assert!(card.body.contains(&format!("/children/{child}/holds/{hold}/confirm")), "{}", card.body);
    let bad = sch.post_form(&format!("/children/{child}/holds/{hold}/confirm"), &[("received", "maybe")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = sch.post_form(&format!("/children/{child}/holds/{hold}/confirm"), &[("received", "yes")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(sp.get("/sponsor").await.body.contains("id=\"impact-children\">1<"));
    assert!(!sch.get("/").await.body.contains("ТОО «kounrad»"), "no longer waiting");
    // A second answer is refused in the user's words, over the API as well.
    let again =
        sch.json(Method::POST, &format!("/api/v1/holds/{hold}/confirm"), serde_json::json!({"received": false})).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.json()["error"]["fields"][0]["code"], "delivery_not_awaiting", "{}", again.body);
}
