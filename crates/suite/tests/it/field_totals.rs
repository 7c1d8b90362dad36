//! The running totals by day of raids and pupils out (`field_days`): every write through the
//! system's own doors — a raid made by a school, a district or a region, moved to another day
//! with its participants written afresh, a finding made and its action changed, a pupil recorded,
//! recorded again with another reason and its return — leaves the totals of every unit above it
//! equal to what the records count, for the whole campaign and for any days; the consolidated
//! report shows them by sub-unit, with a region's own raid on a line of its own.

use axum::http::{Method, StatusCode};
use db::reports::Period;
use domain::{OrgUnitId, Role};
use serde_json::{Value, json};

use crate::World;
use crate::children::{campaign, iin};

fn raid(unit: i64, date: &str, police: &str) -> Value {
    json!({
        "unit_id": unit,
        "raid": {
            "date": date, "starts_at": "18:30",
            "places": [{"kind": "market", "address": "Рынок"}],
            "participants": [{"kind": "police", "count": police}, {"kind": "teacher", "count": "3"}],
            "note": ""
        },
        "members": [],
    })
}

fn finding(client_id: &str, action: &str) -> Value {
    json!({ "finding": {
        "client_id": client_id, "iin": "", "name": "", "sex": "male", "age": "12", "place": "market",
        "address": "", "found_at": "20:00", "circumstances": "", "action": action,
    }})
}

fn pupil(iin: &str, first_day: &str, reason: &str, back: &str) -> Value {
    json!({ "absence": {
        "iin": iin, "surname": "Серіков", "first_name": "Данияр", "grade": "5",
        "first_day": first_day, "reason": reason, "returned_on": back,
    }})
}

/// The totals of every unit of the world, for three periods, against the records' counts.
async fn totals_hold_the_records(w: &World, c: &db::entity::campaign::Model) -> db::raids::Stats {
    let db = &w.app.db;
    let actor = db::users::by_login(db, "rep").await.unwrap().unwrap().actor();
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 9, d);
    let periods = [Period::default(), Period { from: day(2), to: None }, Period { from: None, to: day(1) }];
    let units = [
        w.republic,
        w.region_a,
        w.region_b,
        w.district_a1,
        w.district_a2,
        w.district_b1,
        w.school_s1,
        w.school_s2,
        w.school_s3,
    ];
    let today = domain::calendar::today();
    let first = day(1).unwrap();
    for unit in units {
        let scoped = db::org::scoped(db, &actor, OrgUnitId(unit)).await.unwrap();
        for period in periods {
            let (kept, counted) = (
                db::raids::stats(db, c.id, &scoped, period).await.unwrap(),
                db::raids::count(db, c.id, &scoped, period).await.unwrap(),
            );
            assert_eq!(kept, counted, "raids of unit {unit}, {period:?}");
            let (kept, counted) = (
                db::attendance::stats(db, c.id, &scoped, period, first, today).await.unwrap(),
                db::attendance::count(db, c.id, &scoped, period, first, today).await.unwrap(),
            );
            assert_eq!(kept, counted, "pupils out of unit {unit}, {period:?}");
        }
    }
    let whole = db::org::scoped(db, &actor, OrgUnitId(w.republic)).await.unwrap();
    db::raids::stats(db, c.id, &whole, Period::default()).await.unwrap()
}

#[tokio::test]
async fn the_running_totals_of_raids_and_pupils_out_follow_every_write() {
    let w = World::new().await;
    campaign(&w).await;
    let c = db::campaigns::by_year(&w.app.db, 2026).await.unwrap().unwrap();
    let _rep = w.app.signed_in("rep", Role::RepublicCoordinator, w.republic).await;
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let mut dist = w.app.signed_in("dist", Role::DistrictCoordinator, w.district_a1).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let mut sch3 = w.app.signed_in("sch3", Role::SchoolCoordinator, w.school_s3).await;

    // Raids of a district, one of its schools and the region itself, on two days.
    let mut made = Vec::new();
    for (who, unit, date) in [
        (&mut dist, w.district_a1, "01.09.2026"),
        (&mut sch, w.school_s1, "02.09.2026"),
        (&mut reg, w.region_a, "01.09.2026"),
    ] {
        let r = who.json(Method::POST, "/api/v1/raids", raid(unit, date, "2")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        made.push(r.json()["id"].as_i64().unwrap());
    }
    let ids = ["0f8fad5b-d9cb-469f-a165-70867728950e", "7c9e6679-7425-40de-944b-e07fc1f90ae7"];
    for (id, action) in ids.iter().zip(["taken_home", "kdn"]) {
        let r = dist.json(Method::POST, &format!("/api/v1/raids/{}/findings", made[0]), finding(id, action)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    reg.json(
        Method::POST,
        &format!("/api/v1/raids/{}/findings", made[2]),
        finding("16fd2706-8baf-433b-82eb-8c7fada847da", "police"),
    )
    .await;
    // Pupils out at two schools of two districts, each with its reason.
    let mut cases = Vec::new();
    for (n, day, reason) in [(1, "01.09.2026", "material"), (2, "03.09.2026", "working")] {
        let r = sch.json(Method::POST, "/api/v1/absences", pupil(&iin(n, false), day, reason, "")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        cases.push(r.json()["case_id"].as_i64().unwrap());
    }
    // A step of the first pupil's case, past its due date and not done.
    let step = json!({ "step": { "kind": "call", "due_on": "04.09.2026" } });
    let r = sch.json(Method::POST, &format!("/api/v1/cases/{}/steps", cases[0]), step).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = sch3.json(Method::POST, "/api/v1/absences", pupil(&iin(3, true), "01.09.2026", "neglect", "")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let before = totals_hold_the_records(&w, &c).await;
    assert_eq!((before.raids, before.findings, before.participants_total()), (3, 3, 15), "{before:?}");

    // The district's raid moved a day on with more police; a finding's action changed; a pupil
    // recorded again with its reason and its return; another's first day moved.
    let r = dist
        .json(Method::PUT, &format!("/api/v1/raids/{}", made[0]), {
            let mut b = raid(w.district_a1, "02.09.2026", "7");
            b["version"] = json!(1);
            b
        })
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut change = finding(ids[1], "social_protection");
    change["base_version"] = json!(1);
    let r = dist.json(Method::POST, &format!("/api/v1/raids/{}/findings", made[0]), change).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r =
        sch.json(Method::POST, "/api/v1/absences", pupil(&iin(1, false), "01.09.2026", "illness", "07.09.2026")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = sch.json(Method::POST, "/api/v1/absences", pupil(&iin(2, false), "02.09.2026", "moved", "")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let after = totals_hold_the_records(&w, &c).await;
    assert_eq!((after.raids, after.findings, after.participants_total()), (3, 3, 20), "{after:?}");
    assert_eq!(
        after.actions,
        [("police".to_owned(), 1), ("social_protection".to_owned(), 1), ("taken_home".to_owned(), 1)]
    );

    // The region's consolidated report: a line per district and one for the region's own raid.
    let r = reg.get(&format!("/api/v1/reports/consolidated?unit={}", w.region_a)).await.json();
    let below: Vec<(i64, i64)> = r["raids_below"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x[0].as_i64().unwrap(), x[1]["raids"].as_i64().unwrap()))
        .collect();
    assert_eq!(below, [(w.district_a1, 2)], "{}", r["raids_below"]);
    let out: Vec<(i64, i64, i64)> = r["attendance_below"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x[0].as_i64().unwrap(), x[1]["pupils"].as_i64().unwrap(), x[1]["returned"].as_i64().unwrap()))
        .collect();
    assert_eq!(out, [(w.district_a1, 2, 1), (w.district_a2, 1, 0)]);
    let overdue: Vec<i64> =
        r["attendance_below"].as_array().unwrap().iter().map(|x| x[1]["overdue_cases"].as_i64().unwrap()).collect();
    assert_eq!(overdue, [1, 0]);
    // In the page and the workbook: the district's two raids with 15 participants and 2 children
    // found, the other district's none, the region's own raid on its own line, and the total.
    let page = reg.get(&format!("/reports?unit={}", w.region_a)).await.body;
    assert!(page.contains("Каркаралинский район"), "{page}");
    let xlsx = crate::reports::xlsx_rows(&reg.get_bytes(&format!("/reports/file/xlsx?unit={}", w.region_a)).await);
    for line in ["г. Балхаш 2 15 2", "Каркаралинский район 0 0 0", "Карагандинская область 1 5 1", "Итого 3 20 3"]
    {
        assert!(xlsx.iter().any(|r| r == line), "{line}: {xlsx:?}");
    }
    // Pupils out, from the first day, back, still out, cases with a step overdue.
    for line in ["г. Балхаш 2 1 1 1 1", "Каркаралинский район 1 1 0 1 0", "Итого 3 2 1 2 1"]
    {
        assert!(xlsx.iter().any(|r| r == line), "{line}: {xlsx:?}");
    }
}
