//! The coordinator's queue marks what needs a second look: an appeal that looks like a second
//! filing of another (the same topic within a month from the same phone or e-mail, or from the
//! same address about the same school), naming those in the reader's scope and counting the
//! rest; and a forward later than the three working days a unit has to pass on what is not its
//! competence, with the last day to forward shown on an open appeal's card.

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use domain::Role;
use serde_json::{Value, json};

use crate::World;
use crate::support::Client;

fn staff_appeal(topic: &str, school: i64, phone: &str) -> Value {
    json!({ "channel": "hotline", "topic": topic, "applicant_name": "Сапарова Айгерим", "phone": phone,
        "school": school.to_string(), "text": "Ребёнку не выдали форму" })
}

async fn id_of(c: &mut Client, body: Value) -> i64 {
    let r = c.json(Method::POST, "/api/v1/appeals", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

/// The ids a list marks as likely duplicates.
async fn marked(c: &mut Client) -> Vec<i64> {
    let r = c.get("/api/v1/appeals?view=all").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rows = r.json()["rows"].as_array().cloned().unwrap_or_default();
    let mut ids: Vec<i64> =
        rows.iter().filter(|a| a["likely_duplicate"] == true).filter_map(|a| a["id"].as_i64()).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn the_queue_marks_likely_duplicates_within_the_scope() {
    let w = World::new().await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let mut dist = w.app.signed_in("dist", Role::DistrictCoordinator, w.district_a1).await;
    // The same phone (typed two ways) on the same topic: both marked. The same phone on another
    // topic, and another phone on the same topic: not.
    let a = id_of(&mut sch, staff_appeal("help_not_received", w.school_s1, "8 701 555 12 34")).await;
    let b = id_of(&mut sch, staff_appeal("help_not_received", w.school_s1, "+7 701 555 12 34")).await;
    let other_topic = id_of(&mut sch, staff_appeal("other", w.school_s1, "8 701 555 12 34")).await;
    let other_phone = id_of(&mut sch, staff_appeal("help_not_received", w.school_s1, "8 702 000 00 00")).await;
    assert_eq!(marked(&mut sch).await, [a, b]);
    let card = sch.get(&format!("/api/v1/appeals/{a}")).await.json();
    assert_eq!((card["duplicates"].clone(), card["duplicates_elsewhere"].clone()), (json!([b]), json!(0)));
    assert_eq!(card["likely_duplicate"], true);
    for id in [other_topic, other_phone] {
        let card = sch.get(&format!("/api/v1/appeals/{id}")).await.json();
        assert_eq!((card["likely_duplicate"].clone(), card["duplicates"].clone()), (json!(false), json!([])));
    }
    // A third filing at another school: the school is told one more lies outside its scope, and
    // not which; the district sees all three.
    let elsewhere = id_of(&mut dist, staff_appeal("help_not_received", w.school_s2, "87015551234")).await;
    let card = sch.get(&format!("/api/v1/appeals/{a}")).await.json();
    assert_eq!((card["duplicates"].clone(), card["duplicates_elsewhere"].clone()), (json!([b]), json!(1)));
    let html = sch.get(&format!("/appeals/{a}")).await.body;
    assert!(html.contains("id=\"appeal-duplicates\"") && html.contains(&format!("href=\"/appeals/{b}\"")), "{html}");
    assert!(!html.contains(&format!("href=\"/appeals/{elsewhere}\"")), "a link outside the scope");
    assert!(html.contains("и ещё 1 в других организациях"), "{html}");
    assert_eq!(marked(&mut dist).await, [a, b, elsewhere]);
    let list = dist.get("/appeals?view=all").await.body;
    assert_eq!(list.matches("Возможный дубль").count(), 3, "{list}");

    // The public form, anonymous, from one address: twice about the same school is marked, once
    // about another school is not.
    let mut visitor = w.app.client();
    let public = |key: &str, school: i64| {
        json!({ "client_key": key, "topic": "not_at_school", "anonymous": true, "school": school.to_string(),
            "text": "Сосед не ходит в школу" })
    };
    let mut codes = Vec::new();
    for (key, school) in [
        ("5f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e51", w.school_s2),
        ("5f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e52", w.school_s2),
        ("5f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e53", w.school_s1),
    ] {
        let r = visitor.json(Method::POST, "/api/v1/public/appeals", public(key, school)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        codes.push(r.json()["code"].as_str().unwrap().to_owned());
    }
    let rows = dist.get("/api/v1/appeals?view=all").await.json()["rows"].as_array().cloned().unwrap();
    let flag = |code: &str| rows.iter().find(|a| a["code"] == code).map(|a| a["likely_duplicate"].clone());
    assert_eq!(
        codes.iter().map(|c| flag(c)).collect::<Vec<_>>(),
        [Some(json!(true)), Some(json!(true)), Some(json!(false))]
    );
}

#[tokio::test]
async fn a_forward_after_three_working_days_is_marked_late() {
    let w = World::new().await;
    let id = w.app.user("sch", Role::SchoolCoordinator, w.school_s1).await;
    let actor = db::users::by_id(&w.app.db, domain::UserId(id)).await.unwrap().unwrap().actor();
    let mut sch = w.app.client();
    let r = sch.post_form("/login", &[("login", "sch"), ("password", crate::support::PASSWORD)]).await;
    assert!(r.status.is_redirection(), "{}", r.body);
    let fields = domain::appeal::AppealInput {
        channel: "hotline".into(),
        topic: "help_not_received".into(),
        anonymous: true,
        school: w.school_s1.to_string(),
        text: "Не выдали форму".into(),
        ..Default::default()
    }
    .parse(None)
    .unwrap();
    let by = db::appeals::By::Staff(&actor);
    let (old, _) = db::appeals::register(&w.app.db, by, &fields, None, Utc::now() - Duration::days(12)).await.unwrap();
    let (new, _) = db::appeals::register(&w.app.db, by, &fields, None, Utc::now()).await.unwrap();
    // Its card says by when it may be forwarded; past it, that the time is over.
    let card = sch.get(&format!("/appeals/{}", old.id)).await.body;
    assert!(card.contains("id=\"forward-by\"") && card.contains("истёк"), "{card}");
    let card = sch.get(&format!("/appeals/{}", new.id)).await.body;
    assert!(card.contains("id=\"forward-by\"") && card.contains("переадресуйте до"), "{card}");
    let api = sch.get(&format!("/api/v1/appeals/{}", new.id)).await.json();
    let by_day: chrono::NaiveDate = serde_json::from_value(api["forward_by"].clone()).unwrap();
    let today = app::appeals::today();
    assert!(by_day >= today + Duration::days(3) && by_day <= today + Duration::days(12), "{by_day} from {today}");
    for (a, late) in [(&old, true), (&new, false)] {
        let r = sch
            .json(
                Method::POST,
                &format!("/api/v1/appeals/{}/forward", a.id),
                json!({ "unit_id": w.school_s2, "note": "Не наша школа" }),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["forwarded_late"], late, "{}", r.body);
    }
    // The school it went to sees the mark in its list and on the card.
    let mut s2 = w.app.signed_in("sch2", Role::SchoolCoordinator, w.school_s2).await;
    let list = s2.get("/appeals?view=open").await.body;
    assert_eq!(list.matches("Переадресовано с опозданием").count(), 1, "{list}");
    let card = s2.get(&format!("/appeals/{}", old.id)).await.body;
    assert!(card.contains("id=\"appeal-forwarded-late\""), "{card}");
    let card = s2.get(&format!("/appeals/{}", new.id)).await.body;
    assert!(!card.contains("id=\"appeal-forwarded-late\""), "{card}");
}
