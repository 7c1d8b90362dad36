//! The appeals and the survey in the consolidated reports: of the appeals received in the period,
//! by channel and topic, answered in time or late, still open past their last day, solved in the
//! applicant's words, for the unit and each unit below; an appeal forwarded counts where it went.
//! The running totals the reports read are held to what the appeals themselves add up to; the
//! survey's answers appear beside them; both in the Word, PDF and Excel files.

use axum::http::{Method, StatusCode};
use domain::Role;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::World;
use crate::children::campaign;
use crate::reports::{docx_text, flat};
use crate::support::{Client, pdf_text};

fn appeal(channel: &str, topic: &str, school: i64) -> Value {
    json!({ "channel": channel, "topic": topic, "applicant_name": "Сапарова Айгерим", "phone": "8 701 555 12 34",
        "school": school.to_string(), "text": "Ребёнку не выдали форму" })
}

async fn register(c: &mut Client, body: Value) -> i64 {
    let r = c.json(Method::POST, "/api/v1/appeals", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

async fn post(c: &mut Client, path: &str, body: Value) {
    let r = c.json(Method::POST, path, body).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
}

/// The appeals part of a unit's consolidated report for the days around today.
async fn report(c: &mut Client, unit: i64, days: &str) -> Value {
    let r = c.get(&format!("/api/v1/reports/consolidated?unit={unit}&{days}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

fn figures(v: &Value) -> [i64; 7] {
    ["received", "in_time", "late", "overdue", "solved", "unsolved"]
        .map(|k| v[k].as_i64().unwrap())
        .into_iter()
        .chain([v["by_channel"].as_array().map_or(0, |a| a.len() as i64)])
        .collect::<Vec<_>>()
        .try_into()
        .unwrap()
}

fn below(v: &Value, unit: i64) -> Value {
    v["appeals_below"].as_array().unwrap().iter().find(|p| p[0] == unit).map(|p| p[1].clone()).unwrap_or(Value::Null)
}

/// What `appeal_days` holds for a unit, beside the same counted from the appeals under it.
async fn totals_and_rows(w: &World, unit: i64) -> (Vec<(String, String, i64)>, Vec<(String, String, i64)>) {
    let db = &w.app.db;
    let b = db.get_database_backend();
    let read = |sql: String| async move {
        let rows = db.query_all_raw(Statement::from_string(b, sql)).await.unwrap();
        let mut out: Vec<(String, String, i64)> = rows
            .iter()
            .map(|r| (r.try_get_by_index(0).unwrap(), r.try_get_by_index(1).unwrap(), r.try_get_by_index(2).unwrap()))
            .filter(|(_, _, n): &(String, String, i64)| *n != 0)
            .collect();
        out.sort();
        out
    };
    let kept = read(format!(
        "SELECT metric, label, CAST(SUM(amount) AS BIGINT) FROM appeal_days WHERE unit_id = {unit} GROUP BY metric, label"
    ))
    .await;
    let under = format!("unit_path LIKE (SELECT path FROM org_units WHERE id = {unit}) || '%'");
    let counted = read(format!(
        "SELECT 'received', channel, COUNT(*) FROM appeals WHERE {under} GROUP BY channel \
         UNION ALL SELECT 'topic', topic, COUNT(*) FROM appeals WHERE {under} GROUP BY topic \
         UNION ALL SELECT 'answered', CASE WHEN answered_on <= due_on THEN 'in_time' ELSE 'late' END, COUNT(*) \
         FROM appeals WHERE {under} AND answered_on IS NOT NULL \
         GROUP BY CASE WHEN answered_on <= due_on THEN 'in_time' ELSE 'late' END \
         UNION ALL SELECT 'solved', CASE WHEN solved = 1 THEN 'yes' ELSE 'no' END, COUNT(*) FROM appeals \
         WHERE {under} AND solved IS NOT NULL GROUP BY CASE WHEN solved = 1 THEN 'yes' ELSE 'no' END"
    ))
    .await;
    (kept, counted)
}

#[tokio::test]
async fn the_reports_count_appeals_by_unit_channel_topic_and_term_and_the_survey_beside_them() {
    let w = World::new().await;
    campaign(&w).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let mut dist = w.app.signed_in("dist", Role::DistrictCoordinator, w.district_a1).await;
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let mut rep = w.app.signed_in("rep", Role::RepublicCoordinator, w.republic).await;
    let mut other = w.app.signed_in("schb", Role::SchoolCoordinator, w.school_s4).await;

    // School 1: two of help not received (hotline, 111); its district: a complaint about it.
    let answered = register(&mut sch, appeal("hotline", "help_not_received", w.school_s1)).await;
    let overdue = register(&mut sch, appeal("center_111", "help_not_received", w.school_s1)).await;
    let complaint = register(&mut sch, appeal("reception", "school_complaint", w.school_s1)).await;
    let forwarded = register(&mut sch, appeal("letter", "school_complaint", w.school_s2)).await;
    let late = register(&mut other, appeal("hotline", "not_at_school", w.school_s4)).await;
    // One answered in time, then called solved; one past its last day, open; one answered late.
    post(&mut sch, &format!("/api/v1/appeals/{answered}/answer"), json!({ "answer": "Форма выдана." })).await;
    let mut visitor = w.app.client();
    let code: String = {
        let r = sch.get(&format!("/api/v1/appeals/{answered}")).await;
        r.json()["code"].as_str().unwrap().to_owned()
    };
    let r =
        visitor.json(Method::POST, &format!("/api/v1/public/appeals/{code}/feedback"), json!({ "solved": true })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Received a month ago, due five days ago.
    let today = app::appeals::today();
    let ago = |n: u64| today - chrono::Days::new(n);
    let past = |id: i64| {
        format!(
            "UPDATE appeals SET received_on = '{}', term_from = '{}', warn_on = '{}', due_on = '{}' WHERE id = {id}",
            ago(30),
            ago(30),
            ago(8),
            ago(5)
        )
    };
    for id in [overdue, late] {
        w.app.db.execute_unprepared(&past(id)).await.unwrap();
    }
    post(&mut other, &format!("/api/v1/appeals/{late}/answer"), json!({ "answer": "Ребёнок в школе." })).await;
    // A complaint forwarded from the district to the region counts at the region.
    post(&mut dist, &format!("/api/v1/appeals/{forwarded}/forward"), json!({ "unit_id": w.region_a, "note": "" }))
        .await;
    let _ = complaint;

    let days = format!("from={}&to={}", ago(40), today);
    // [received, in time, late, overdue, solved, not solved, channels]
    let r = report(&mut rep, w.republic, &days).await;
    assert_eq!(figures(&r["appeals"]), [5, 1, 1, 1, 1, 0, 4], "{}", r["appeals"]);
    assert_eq!(figures(&below(&r, w.region_a)), [4, 1, 0, 1, 1, 0, 4]);
    assert_eq!(figures(&below(&r, w.region_b)), [1, 0, 1, 0, 0, 0, 1]);
    let r = report(&mut reg, w.region_a, &days).await;
    assert_eq!(figures(&r["appeals"]), [4, 1, 0, 1, 1, 0, 4]);
    assert_eq!(figures(&below(&r, w.district_a1)), [3, 1, 0, 1, 1, 0, 3], "the forwarded one left: {r}");
    assert_eq!(below(&r, w.district_a2), Value::Null);
    let topics = r["appeals"]["by_topic"].clone();
    assert_eq!(topics, json!([["help_not_received", 2], ["school_complaint", 2]]));
    let r = report(&mut dist, w.district_a1, &days).await;
    assert_eq!(figures(&r["appeals"]), [3, 1, 0, 1, 1, 0, 3]);
    assert_eq!(figures(&below(&r, w.school_s1)), [2, 1, 0, 1, 1, 0, 2], "the complaint is the district's own");
    // Another period: nothing.
    let r = report(&mut rep, w.republic, "from=2026-01-01&to=2026-01-31").await;
    assert_eq!(figures(&r["appeals"]), [0; 7]);
    // Out of scope: refused.
    let r = other.get(&format!("/api/v1/reports/consolidated?unit={}&{days}", w.region_a)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // The running totals are what the appeals add up to, at every level.
    for unit in [w.republic, w.region_a, w.region_b, w.district_a1, w.school_s1, w.school_s2] {
        let (kept, counted) = totals_and_rows(&w, unit).await;
        assert_eq!(kept, counted, "unit {unit}");
    }

    // The survey beside them: two answers at school 1, one asking for help.
    for (key, help) in [("5a1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f", false), ("6a1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f", true)]
    {
        let body = json!({ "client_key": key, "school": w.school_s1.to_string(), "ready": if help { "no" } else { "yes" },
            "grades": ["1"], "missing": if help { vec!["shoes"] } else { vec![] }, "situation": ["large_family"],
            "help": if help { "yes" } else { "" }, "contact_name": "Айгерим", "phone": "8 701 555 12 34",
            "consent": if help { "yes" } else { "" } });
        let r = visitor.json(Method::POST, "/api/v1/public/survey", body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let r = report(&mut reg, w.region_a, &days).await;
    let s = &r["survey"];
    assert_eq!((s["answers"].as_i64(), s["not_ready"].as_i64(), s["help"].as_i64()), (Some(2), Some(1), Some(1)));
    let a1 = r["survey_below"].as_array().unwrap().iter().find(|f| f["unit_id"] == w.district_a1).unwrap();
    assert_eq!(a1["answers"], 2);
    let r = report(&mut dist, w.district_a1, &days).await;
    assert_eq!(r["survey"]["answers"], 2);
    let r = report(&mut rep, w.republic, &days).await;
    assert_eq!(r["survey"]["answers"], 2);

    // In the files, in both languages.
    let q = format!("unit={}&{days}", w.region_a);
    let docx = flat(&docx_text(&reg.get_bytes(&format!("/reports/file/docx?{q}")).await));
    for want in ["Обращения граждан", "Поступило обращений", "Контакт-центр 111", "Рассмотрено в срок", "Балхаш"]
    {
        assert!(docx.contains(want), "{want} in the Word file: {docx}");
    }
    assert!(docx.contains("Готов ли ваш ребёнок к школе?"), "{docx}");
    let pdf = flat(&pdf_text(&reg.get_bytes(&format!("/reports/file/pdf?{q}")).await));
    assert!(pdf.contains("Обращения граждан"), "{pdf}");
    reg.post_form("/lang", &[("lang", "kk")]).await;
    let docx = flat(&docx_text(&reg.get_bytes(&format!("/reports/file/docx?{q}")).await));
    assert!(docx.contains("Азаматтардың өтініштері") && docx.contains("Мерзімінде қаралды"), "{docx}");
}
