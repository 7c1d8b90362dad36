//! The start page of issue 15: a coordinator lands on today's work, others where they work.

use axum::http::StatusCode;
use domain::aid::{EntryInput, EntryStatus};
use domain::{ChildId, Role};

use crate::aid::setup;
use crate::proofs::PNG;

fn paid_on(date: &str) -> domain::aid::EntryFields {
    EntryInput {
        source: "fund".into(),
        form: "cash".into(),
        amount: "46 228".into(),
        date: date.into(),
        ..Default::default()
    }
    .parse()
    .unwrap()
}

#[tokio::test]
async fn a_school_lands_on_its_work_for_today_and_a_district_on_the_same_summed() {
    let s = setup(3, 5).await;
    let db = &s.w.app.db;
    let core = &s.w.app.state.core;
    // Paid 01.08 (proof due 31.08) and 15.08 (due 14.09); the third child is not yet helped.
    let late =
        db::ledger::record(db, &s.school, &s.c, ChildId(s.children[0]), &paid_on("01.08.2026"), EntryStatus::Delivered)
            .await
            .unwrap();
    let soon =
        db::ledger::record(db, &s.school, &s.c, ChildId(s.children[1]), &paid_on("15.08.2026"), EntryStatus::Delivered)
            .await
            .unwrap();
    let mut sch = s.w.app.client();
    sch.post_form("/login", &[("login", "sch"), ("password", crate::support::PASSWORD)]).await;
    let r = sch.upload(&format!("/api/v1/aid/{}/proofs", soon.id), "чек.png", PNG).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // On 10.09: the first proof is ten days late, the second due in four days and waiting.
    let day = chrono::NaiveDate::from_ymd_opt(2026, 9, 10).unwrap();
    let work = app::today::for_actor(core, &s.school, day).await.unwrap().expect("a coordinator's work");
    assert_eq!(work.overdue.iter().map(|f| (f.entry.id, f.days_over)).collect::<Vec<_>>(), [(late.id, 10)]);
    assert_eq!(work.due_soon.iter().map(|(f, left)| (f.entry.id, *left)).collect::<Vec<_>>(), [(soon.id, 4)]);
    assert_eq!(work.proofs.iter().map(|(_, child)| *child).collect::<Vec<_>>(), [s.children[1]]);
    let (_, passport, _) =
        app::passport::compute(core, &s.school, domain::CampaignId(s.c.id), s.school.scope.unit()).await.unwrap();
    let waiting = passport.by_status.get("identified").copied().unwrap_or(0);
    assert!(waiting >= 1, "{passport:?}");
    assert_eq!(work.identified, waiting);
    // A week before the first deadline nothing is due yet.
    let early = chrono::NaiveDate::from_ymd_opt(2026, 8, 20).unwrap();
    let quiet = app::today::for_actor(core, &s.school, early).await.unwrap().unwrap();
    assert!(quiet.overdue.is_empty() && quiet.due_soon.is_empty());

    // The page, today: both proofs late, the receipt waits for another account, links to the cards.
    let page = sch.get("/").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("<h1>Работа на сегодня</h1>"), "{}", page.body);
    assert!(page.body.contains(&format!("/children/{}#aid", s.children[0])), "{}", page.body);
    assert!(page.body.contains("срок прошёл"), "{}", page.body);
    assert!(page.body.contains("ждёт решения другого сотрудника"), "{}", page.body);
    assert!(page.body.contains("/children?status=identified"), "{}", page.body);
    assert!(!page.body.contains("по всем школам"), "a school's own numbers");

    // The district sees the same summed, each line naming its school.
    let mut dis = s.w.app.client();
    dis.post_form("/login", &[("login", "dis"), ("password", crate::support::PASSWORD)]).await;
    let page = dis.get("/").await;
    assert!(page.body.contains("по всем школам"), "{}", page.body);
    assert!(page.body.contains(&format!("/children/{}#aid", s.children[0])), "{}", page.body);
    let school = db::org::get(db, &s.school, domain::OrgUnitId(s.w.school_s1)).await.unwrap();
    assert!(page.body.contains(&school.name_ru), "{}", page.body);
}

#[tokio::test]
async fn others_start_where_they_work() {
    let w = crate::World::new().await;
    crate::children::campaign(&w).await;
    let mut raid = w.app.signed_in("raid", Role::RaidMember, w.district_a1).await;
    let r = raid.get("/").await;
    // A raid member starts on its raids (the street work it has an account for).
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/raids"));
    let mut auditor = w.app.signed_in("aud", Role::Auditor, w.region_a).await;
    assert_eq!(auditor.get("/").await.location(), format!("/orgs/{}", w.region_a));
    // A visitor starts at the public front door.
    let r = w.app.client().get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"front-survey\""), "{}", r.body);
}
