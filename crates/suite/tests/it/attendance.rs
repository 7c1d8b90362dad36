//! Pupils who do not come to school: any pupil recorded once (a form sent twice, or the same
//! pupil typed again, is the same record; another school's pupil is refused), its days out by the
//! day's roll or the e-journal's file (a file read twice adds nothing; a bad row writes nothing
//! and every bad row is named), the case that follows it (steps with owners and due dates,
//! overdue flagged on the task lists, closing, and the district's second signature), and the
//! early warning that opens a case by itself at the region's thresholds.

use axum::http::{Method, StatusCode};
use chrono::NaiveDate;
use domain::Role;
use serde_json::{Value, json};

use crate::World;
use crate::children::{campaign, iin};
use crate::support::{api_messages, audit_count};

fn absence(iin: &str, first_day: &str, reason: &str) -> Value {
    json!({ "absence": {
        "iin": iin, "surname": "Серіков", "first_name": "Данияр", "grade": "5",
        "first_day": first_day, "reason": reason,
    }})
}

async fn count(w: &World, table: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let db = &w.app.db;
    let sql = format!("SELECT COUNT(*) FROM {table}");
    let row = db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
    row.unwrap().try_get_by_index::<i64>(0).unwrap()
}

const STEP_ID: &str = "3b241101-e2bb-4255-8caf-4136c566a962";

#[tokio::test]
async fn a_school_records_a_pupil_who_did_not_come_and_follows_its_case_until_it_is_back() {
    let w = World::new().await;
    campaign(&w).await;
    let mut school = w.app.signed_in("s1", Role::SchoolCoordinator, w.school_s1).await;
    let mut other = w.app.signed_in("s2", Role::SchoolCoordinator, w.school_s2).await;
    let mut dist = w.app.signed_in("dist", Role::DistrictCoordinator, w.district_a1).await;
    let mut far = w.app.signed_in("dist2", Role::DistrictCoordinator, w.district_a2).await;
    let pupil = iin(7, false);

    // Any pupil, not in the aid registry: a record of its own, its case opened, its first day out.
    let r = school.json(Method::POST, "/api/v1/absences", absence(&pupil, "01.09.2026", "material")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let a = r.json();
    let (id, case_id) = (a["id"].as_i64().unwrap(), a["case_id"].as_i64().unwrap());
    assert_eq!((a["days_out"].as_i64(), a["child_id"].is_null(), a["source"].as_str()), (Some(1), true, Some("typed")));
    // Sent again: the same record, changed, never a second.
    let again = school.json(Method::POST, "/api/v1/absences", absence(&pupil, "01.09.2026", "neglect")).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!((again.json()["id"].as_i64(), again.json()["reason"].as_str()), (Some(id), Some("neglect")));
    assert_eq!(count(&w, "absences").await, 1);
    assert_eq!(count(&w, "cases").await, 1);
    // Another school's pupil is refused, without a second record.
    let r = other.json(Method::POST, "/api/v1/absences", absence(&pupil, "02.09.2026", "material")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(api_messages(&r.json())[0].contains("другая школа"), "{}", r.body);

    // Bad input, every field named in the user's language.
    let mut bad = absence("871008401428", "01.12.2099", "sleepy");
    bad["absence"]["returned_on"] = json!("01.08.2026");
    let r = school.json(Method::POST, "/api/v1/absences", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.json();
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["iin", "first_day", "reason"], "{}", r.body);

    // The day's roll: still out on a school day; a Saturday or a day to come refused; back.
    let r = school.json(Method::POST, "/api/v1/attendance/roll", json!({ "day": "02.09.2026", "out": [id] })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = school.json(Method::POST, "/api/v1/attendance/roll", json!({ "day": "05.09.2026", "out": [id] })).await;
    assert!(api_messages(&r.json())[0].contains("нет занятий"), "{}", r.body);
    let r = school.json(Method::POST, "/api/v1/attendance/roll", json!({ "day": "02.09.2099", "out": [id] })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // The same day twice is one day out.
    school.json(Method::POST, "/api/v1/attendance/roll", json!({ "day": "02.09.2026", "out": [id] })).await;
    assert_eq!(school.get(&format!("/api/v1/absences/{id}")).await.json()["days_out"], 2);

    // Steps: the phone's id twice is one step; it is overdue on the school's and the district's lists.
    let step = json!({ "step": { "client_id": STEP_ID, "kind": "call", "due_on": "03.09.2026" } });
    let r = school.json(Method::POST, &format!("/api/v1/cases/{case_id}/steps"), step.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let step_id = r.json()["id"].as_i64().unwrap();
    let r = school.json(Method::POST, &format!("/api/v1/cases/{case_id}/steps"), step).await;
    assert_eq!((r.status, r.json()["id"].as_i64()), (StatusCode::OK, Some(step_id)));
    assert_eq!(count(&w, "case_steps").await, 1);
    for c in [&mut school, &mut dist] {
        let tasks = c.get("/api/v1/tasks").await.json();
        assert_eq!(tasks["rows"][0]["step"]["id"].as_i64(), Some(step_id), "{tasks}");
        assert_eq!(tasks["rows"][0]["step"]["overdue"], true);
        assert_eq!(tasks["rows"][0]["pupil"], "Серіков Данияр");
    }
    assert_eq!(far.get("/api/v1/tasks").await.json()["rows"], json!([]));
    let page = school.get(&format!("/attendance/cases/{case_id}")).await;
    assert!(page.body.contains("Просрочено"), "{}", page.body);
    // The school's and the district's start pages count it.
    for c in [&mut school, &mut dist] {
        let today = c.get("/").await;
        assert!(today.body.contains("1 шаг по случаям учеников, не посещающих школу, просрочен"), "{}", today.body);
    }
    // Done without what came of it: refused; with it: off the lists.
    let done = |outcome: &str, version: i64| json!({ "version": version, "step": { "kind": "call", "due_on": "03.09.2026", "done_on": "03.09.2026", "outcome": outcome } });
    let r = school.json(Method::PUT, &format!("/api/v1/steps/{step_id}"), done("", 1)).await;
    assert_eq!(r.json()["error"]["fields"][0]["field"], "outcome", "{}", r.body);
    let r = school.json(Method::PUT, &format!("/api/v1/steps/{step_id}"), done("Мать обещала привести", 1)).await;
    assert_eq!(r.json()["state"], "done", "{}", r.body);
    let r = school.json(Method::PUT, &format!("/api/v1/steps/{step_id}"), done("Снова", 1)).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "stale_version", "{}", r.body);
    assert_eq!(school.get("/api/v1/tasks").await.json()["rows"], json!([]));

    // Moved: the receiving school is required, then the district signs (never the school).
    let close = |closing: &str, school: &str| json!({ "closing": { "closing": closing, "closed_on": "10.09.2026", "receiving_school": school } });
    let r = school.json(Method::POST, &format!("/api/v1/cases/{case_id}/close"), close("moved", "")).await;
    assert_eq!(r.json()["error"]["fields"][0]["field"], "receiving_school", "{}", r.body);
    let r =
        school.json(Method::POST, &format!("/api/v1/cases/{case_id}/close"), close("moved", "Школа № 5, Астана")).await;
    assert_eq!(r.json()["status"], "signing", "{}", r.body);
    let r = school.json(Method::POST, &format!("/api/v1/cases/{case_id}/signature"), json!({ "agree": true })).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = far.json(Method::POST, &format!("/api/v1/cases/{case_id}/signature"), json!({ "agree": true })).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = dist.json(Method::POST, &format!("/api/v1/cases/{case_id}/signature"), json!({ "agree": true })).await;
    assert_eq!((r.json()["status"].as_str(), r.json()["signed_by"].is_null()), (Some("closed"), false), "{}", r.body);

    // A second pupil comes back: the case closes at once and the return is recorded.
    let second = iin(8, true);
    let r = school.json(Method::POST, "/api/v1/absences", absence(&second, "01.09.2026", "illness")).await;
    let (id2, case2) = (r.json()["id"].as_i64().unwrap(), r.json()["case_id"].as_i64().unwrap());
    let r = school.json(Method::POST, &format!("/api/v1/cases/{case2}/close"), close("returned", "")).await;
    assert_eq!(r.json()["status"], "closed", "{}", r.body);
    assert_eq!(school.get(&format!("/api/v1/absences/{id2}")).await.json()["returned_on"], "2026-09-10");
    let r = school
        .json(
            Method::POST,
            &format!("/api/v1/cases/{case2}/steps"),
            json!({ "step": { "kind": "call", "due_on": "11.09.2026" } }),
        )
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "case_not_open", "{}", r.body);

    // The district sees its schools' pupils by reason; another district does not; the reads are logged.
    let listed = dist.get("/api/v1/absences").await.json();
    assert_eq!(listed["rows"].as_array().unwrap().len(), 2, "{listed}");
    let reasons = dist.get("/api/v1/absences/reasons").await.json();
    assert_eq!((reasons["total"].as_i64(), reasons["back"].as_i64()), (Some(2), Some(1)), "{reasons}");
    assert_eq!(far.get("/api/v1/absences").await.json()["rows"], json!([]));
    assert_eq!(far.get(&format!("/api/v1/absences/{id}")).await.status, StatusCode::FORBIDDEN);
    assert!(audit_count(&w.app.db, "read_personal", "attendance", None).await >= 1);
    assert!(audit_count(&w.app.db, "read_personal", "case_step", None).await >= 1);
    // The dashboard's curve: both out from 1 September, one back on the 10th.
    let actor = db::users::by_login(&w.app.db, "dist").await.unwrap().unwrap().actor();
    let unit = w.district_a1.to_string();
    let q = app::reports::Query { unit: &unit, from: "01.08.2026", to: "30.09.2026", ..Default::default() };
    let asked = app::reports::ask(&w.app.state.core, &q).await.unwrap();
    let d = app::reports::dashboard(&w.app.state.core, &actor, &asked).await.unwrap();
    let on =
        |day: u32| d.out.iter().find(|(x, _)| *x == NaiveDate::from_ymd_opt(2026, 9, day).unwrap()).map(|(_, n)| *n);
    assert_eq!((on(1), on(9), on(10), on(30)), (Some(2), Some(2), Some(1), Some(1)), "{:?}", d.out);
    let (t, r) = (&d.report.attendance, &d.report.raids);
    assert_eq!((t.pupils, t.from_first_day, t.returned, t.still_out(), r.raids), (2, 2, 1, 1, 0), "{t:?}");
    let mut member = w.app.signed_in("police1", Role::RaidMember, w.district_a1).await;
    assert_eq!(member.get("/api/v1/absences").await.status, StatusCode::FORBIDDEN);
    assert_eq!(member.get(&format!("/api/v1/cases/{case_id}")).await.status, StatusCode::FORBIDDEN);

    // The second pupil is out again in October: its case opens again, for the school to follow.
    let r = school.json(Method::POST, "/api/v1/absences", absence(&second, "05.10.2026", "neglect")).await;
    assert_eq!((r.status, r.json()["case_id"].as_i64()), (StatusCode::OK, Some(case2)), "{}", r.body);
    let k = school.get(&format!("/api/v1/cases/{case2}")).await.json();
    let seen = (k["status"].as_str(), k["closing"].is_null(), k["opened_on"].as_str());
    assert_eq!(seen, (Some("open"), true, Some("2026-10-05")), "{k}");
    assert_eq!(audit_count(&w.app.db, "reopen", "case", Some(case2)).await, 1);
}

/// A CSV of the e-journal: the header, then `(iin, surname, day)` rows.
fn journal(rows: &[(&str, &str, NaiveDate)]) -> Vec<u8> {
    let mut out = String::from("ИИН;Фамилия;Имя;Класс;Дата;Причина\n");
    for (iin, surname, day) in rows {
        out.push_str(&format!("{iin};{surname};Ученик;6;{};\n", day.format("%d.%m.%Y")));
    }
    out.into_bytes()
}

fn sept(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, d).unwrap()
}

#[tokio::test]
async fn the_e_journal_opens_a_case_by_itself_at_the_regions_thresholds() {
    let w = World::new().await;
    campaign(&w).await;
    let mut school = w.app.signed_in("s1", Role::SchoolCoordinator, w.school_s1).await;
    let (a, b, d) = (iin(11, false), iin(12, true), iin(13, false));
    let cal = domain::attendance::Calendar::kazakhstan_2026();
    let september = cal.school_days_of_month(sept(1));
    let mut rows: Vec<(&str, &str, NaiveDate)> = Vec::new();
    // A: seven school days in a row (7–15 September, over a weekend).
    rows.extend(cal.school_days(sept(7), sept(15)).into_iter().map(|day| (a.as_str(), "Алиев", day)));
    // B: two days, as any pupil has.
    rows.extend([(b.as_str(), "Бекова", sept(2)), (b.as_str(), "Бекова", sept(3))]);
    // D: at school one day in four, never seven days out in a row: 6 of September's 22.
    rows.extend(september.iter().enumerate().filter(|(i, _)| i % 4 != 0).map(|(_, day)| (d.as_str(), "Досов", *day)));
    let file = journal(&rows);
    let r = school.upload("/api/v1/attendance/journal", "journal.csv", &file).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json(), json!({ "days": rows.len(), "pupils": 3, "opened": 2 }));
    let listed = school.get("/api/v1/absences").await.json();
    let by_iin = |iin: &str| listed["rows"].as_array().unwrap().iter().find(|r| r["iin"] == iin).cloned();
    assert!(by_iin(&b).is_none(), "{listed}");
    let (ra, rd) = (by_iin(&a).unwrap(), by_iin(&d).unwrap());
    assert_eq!(
        (ra["first_day"].as_str(), ra["days_out"].as_i64(), ra["source"].as_str()),
        (Some("2026-09-07"), Some(7), Some("journal"))
    );
    assert_eq!(rd["days_out"].as_i64(), Some(16));
    let case = school.get(&format!("/api/v1/cases/{}", ra["case_id"])).await.json();
    assert_eq!((case["warning"].as_str(), case["warning_value"].as_i64()), (Some("streak"), Some(7)), "{case}");
    let steps: Vec<(&str, &str)> = case["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["kind"].as_str().unwrap(), s["due_on"].as_str().unwrap()))
        .collect();
    assert_eq!(steps, [("call", "2026-09-16"), ("talk", "2026-09-18"), ("home_visit", "2026-09-22")]);
    let case = school.get(&format!("/api/v1/cases/{}", rd["case_id"])).await.json();
    assert_eq!((case["warning"].as_str(), case["warning_value"].as_i64()), (Some("low_share"), Some(272)), "{case}");

    // The same file again adds nothing.
    let days = count(&w, "absent_days").await;
    let r = school.upload("/api/v1/attendance/journal", "journal.csv", &file).await;
    assert_eq!(r.json()["opened"], 0, "{}", r.body);
    assert_eq!(count(&w, "absent_days").await, days);
    assert_eq!(count(&w, "cases").await, 2);

    // A file with bad rows writes nothing and names each row.
    let bad = "ИИН;Фамилия;Имя;Дата\n871008401428;Ким;Ли;08.09.2026\n".to_owned()
        + &format!("{};Ким;Ли;12.09.2026\n{};Ким;Ли;01.09.2099\n", iin(14, false), iin(14, false));
    let r = school.upload("/api/v1/attendance/journal", "bad.csv", bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let messages = api_messages(&r.json());
    assert_eq!(messages.len(), 3, "{messages:?}");
    for (m, row) in messages.iter().zip(["2", "3", "4"]) {
        assert!(m.contains(&format!("Строка {row}")), "{m}");
    }
    assert_eq!(count(&w, "absent_days").await, days);

    // The region lowers its threshold to three days: a pupil out three days in a row gets a case.
    let mut school_sets = w.app.signed_in("s1b", Role::SchoolCoordinator, w.school_s1).await;
    let path = format!("/api/v1/regions/{}/warning-thresholds", w.region_a);
    let lower = json!({ "streak": 3, "share_permille": 330 });
    assert_eq!(school_sets.json(Method::PUT, &path, lower.clone()).await.status, StatusCode::FORBIDDEN);
    let mut region = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let r = region.json(Method::PUT, &path, lower).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(region.get(&path).await.json()["streak"], 3);
    let c = iin(15, true);
    let three: Vec<(&str, &str, NaiveDate)> = [21, 22, 23].iter().map(|d| (c.as_str(), "Жанова", sept(*d))).collect();
    let r = school.upload("/api/v1/attendance/journal", "three.csv", &journal(&three)).await;
    assert_eq!(r.json()["opened"], 1, "{}", r.body);
}

#[tokio::test]
async fn the_pages_keep_what_was_typed_and_flag_the_overdue_in_both_languages() {
    let w = World::new().await;
    campaign(&w).await;
    let mut school = w.app.signed_in("s1", Role::SchoolCoordinator, w.school_s1).await;
    let pupil = iin(21, false);
    let bad = [
        ("iin", "871008401428"),
        ("surname", "Серіков"),
        ("first_name", "Данияр"),
        ("first_day", "01.09.2026"),
        ("reason", "material"),
    ];
    let r = school.post_form("/attendance/new", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("value=\"Серіков\"") && r.body.contains("ИИН"), "{}", r.body);
    let good = [
        ("iin", pupil.as_str()),
        ("surname", "Серіков"),
        ("first_name", "Данияр"),
        ("first_day", "01.09.2026"),
        ("reason", "material"),
    ];
    let r = school.post_form("/attendance/new", &good).await;
    let case_page = r.location().to_owned();
    assert!(case_page.starts_with("/attendance/cases/"), "{}", r.body);
    let r = school
        .post_form(
            &format!("{}/steps", case_page.split('?').next().unwrap()),
            &[("kind", "home_visit"), ("due_on", "02.09.2026")],
        )
        .await;
    assert!(r.location().contains("saved=1"), "{}", r.body);
    let list = school.get("/attendance").await;
    assert!(list.body.contains("Серіков Данияр") && list.body.contains("Материальные трудности"), "{}", list.body);
    let tasks = school.get("/attendance/tasks").await;
    assert!(tasks.body.contains("Просрочено") && tasks.body.contains("Посещение на дому"), "{}", tasks.body);
    school.post_form("/lang", &[("lang", "kk")]).await;
    let tasks = school.get("/attendance/tasks").await;
    assert!(tasks.body.contains("Мерзімі өтті"), "{}", tasks.body);
    let page = school.get(case_page.split('?').next().unwrap()).await;
    assert!(page.body.contains("Ашық") && page.body.contains("Істі жабу"), "{}", page.body);
}

#[tokio::test]
async fn the_republic_moves_a_day_off_and_the_journal_and_the_roll_follow_it() {
    let w = World::new().await;
    campaign(&w).await;
    let mut republic = w.app.signed_in("rep", Role::RepublicCoordinator, w.republic).await;
    let mut school = w.app.signed_in("s1", Role::SchoolCoordinator, w.school_s1).await;
    let days = |r: &crate::support::Resp| {
        r.json().as_array().unwrap().iter().map(|d| d.as_str().unwrap().to_owned()).collect::<Vec<_>>()
    };
    let week = school.get("/api/v1/calendar?from=05.10.2026&to=11.10.2026").await;
    assert_eq!(days(&week), ["2026-10-05", "2026-10-06", "2026-10-07", "2026-10-08", "2026-10-09"]);
    // Only the republic sets the calendar.
    let off = json!({ "school_day": false });
    assert_eq!(
        school.json(Method::PUT, "/api/v1/calendar/2026-10-05", off.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(republic.json(Method::PUT, "/api/v1/calendar/2026-10-05", off).await.status, StatusCode::NO_CONTENT);
    let worked = json!({ "school_day": true });
    assert_eq!(republic.json(Method::PUT, "/api/v1/calendar/2026-10-10", worked).await.status, StatusCode::NO_CONTENT);
    let week = school.get("/api/v1/calendar?from=05.10.2026&to=11.10.2026").await;
    assert_eq!(days(&week), ["2026-10-06", "2026-10-07", "2026-10-08", "2026-10-09", "2026-10-10"]);
    // A day out on the day off is refused by the journal and by the roll; the Saturday worked is taken.
    let pupil = iin(31, false);
    let file = journal(&[(pupil.as_str(), "Ермеков", NaiveDate::from_ymd_opt(2026, 10, 5).unwrap())]);
    let r = school.upload("/api/v1/attendance/journal", "moved.csv", &file).await;
    assert!(api_messages(&r.json())[0].contains("нет занятий"), "{}", r.body);
    let file = journal(&[(pupil.as_str(), "Ермеков", NaiveDate::from_ymd_opt(2026, 10, 10).unwrap())]);
    let r = school.upload("/api/v1/attendance/journal", "worked.csv", &file).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let a =
        school.json(Method::POST, "/api/v1/absences", absence(&iin(32, true), "01.10.2026", "illness")).await.json();
    let r =
        school.json(Method::POST, "/api/v1/attendance/roll", json!({ "day": "05.10.2026", "out": [a["id"]] })).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "not_school_day", "{}", r.body);
    // A stretch that ends before it starts is a clear error.
    let r = school.get("/api/v1/calendar?from=11.10.2026&to=05.10.2026").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}

#[tokio::test]
async fn a_step_changed_offline_after_the_server_changed_it_waits_for_a_coordinator() {
    let w = World::new().await;
    campaign(&w).await;
    let mut school = w.app.signed_in("s1", Role::SchoolCoordinator, w.school_s1).await;
    let mut dist = w.app.signed_in("dist", Role::DistrictCoordinator, w.district_a1).await;
    let mut far = w.app.signed_in("dist2", Role::DistrictCoordinator, w.district_a2).await;
    let r = school.json(Method::POST, "/api/v1/absences", absence(&iin(8, true), "01.09.2026", "material")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let case_id = r.json()["case_id"].as_i64().unwrap();
    let step = json!({ "step": { "client_id": STEP_ID, "kind": "home_visit", "due_on": "04.09.2026" } });
    let r = school.json(Method::POST, &format!("/api/v1/cases/{case_id}/steps"), step).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let step_id = r.json()["id"].as_i64().unwrap();
    let change = |outcome: &str, offline: bool| json!({ "version": 1, "offline": offline, "step": { "kind": "home_visit", "due_on": "04.09.2026", "done_on": "04.09.2026", "outcome": outcome } });
    // The district marks it done on the server (version 1 → 2) while the school's phone is
    // offline with its own change on version 1.
    let r = dist.json(Method::PUT, &format!("/api/v1/steps/{step_id}"), change("Семья переехала", false)).await;
    assert_eq!(r.json()["version"], 2, "{}", r.body);
    // The phone's change arrives: kept, never written over; sent three times, one conflict.
    let mut ids = Vec::new();
    for _ in 0..3 {
        let r =
            school.json(Method::PUT, &format!("/api/v1/steps/{step_id}"), change("Мать обещала привести", true)).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(r.json()["server"]["outcome"], "Семья переехала");
        ids.push(r.json()["id"].as_i64().unwrap());
    }
    assert!(ids.windows(2).all(|p| p[0] == p[1]), "one conflict: {ids:?}");
    assert_eq!(count(&w, "sync_conflicts").await, 1);
    // Typed on the page (not from the outbox), the same is refused as stale.
    let r = school.json(Method::PUT, &format!("/api/v1/steps/{step_id}"), change("Мать обещала привести", false)).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "stale_version", "{}", r.body);
    let listed = school.get(&format!("/api/v1/cases/{case_id}/conflicts")).await.json();
    assert_eq!(
        (listed[0]["proposed"]["outcome"].as_str(), listed[0]["base_version"].as_i64()),
        (Some("Мать обещала привести"), Some(1))
    );
    assert_eq!(far.get(&format!("/api/v1/cases/{case_id}/conflicts")).await.status, StatusCode::FORBIDDEN);
    // The raids' conflicts are the findings' only.
    assert_eq!(dist.get("/api/v1/sync-conflicts").await.json(), json!([]));
    let r = dist.json(Method::POST, &format!("/api/v1/sync-conflicts/{}", ids[0]), json!({ "apply": true })).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // The case's page shows both sides, in both languages.
    let page = dist.get(&format!("/attendance/cases/{case_id}")).await.body;
    assert!(page.contains(&format!("conflict-{}", ids[0])) && page.contains("С телефона (s1)"), "{page}");
    assert!(page.contains("Семья переехала") && page.contains("Мать обещала привести"), "{page}");
    dist.post_form("/lang", &[("lang", "kk")]).await;
    assert!(dist.get(&format!("/attendance/cases/{case_id}")).await.body.contains("Телефоннан (s1)"));
    // Another district may not decide it; the district applies the phone's change (version 3).
    let r = far.json(Method::POST, &format!("/api/v1/step-conflicts/{}", ids[0]), json!({ "apply": true })).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let form = [("apply", "yes"), ("case_id", &case_id.to_string())];
    let r = dist.post_form(&format!("/attendance/conflicts/{}", ids[0]), &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let case = school.get(&format!("/api/v1/cases/{case_id}")).await.json();
    let s = &case["steps"][0];
    assert_eq!((s["outcome"].as_str(), s["version"].as_i64()), (Some("Мать обещала привести"), Some(3)), "{case}");
    let r = dist.json(Method::POST, &format!("/api/v1/step-conflicts/{}", ids[0]), json!({ "apply": false })).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "conflict_resolved", "{}", r.body);
    assert_eq!(school.get(&format!("/api/v1/cases/{case_id}/conflicts")).await.json(), json!([]));
    // The phone that never heard back sends its change once more: the step already says it, so it
    // is answered as done, with no new conflict.
    let r = school.json(Method::PUT, &format!("/api/v1/steps/{step_id}"), change("Мать обещала привести", true)).await;
    assert_eq!((r.status, r.json()["version"].as_i64()), (StatusCode::OK, Some(3)), "{}", r.body);
    assert_eq!(count(&w, "sync_conflicts").await, 1);
}
