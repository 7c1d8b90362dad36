//! The money invariants of the aid ledger, on both databases, also under concurrent writes:
//! the fund never goes below zero, a child is paid by the fund once, an entry is reversed once,
//! and the ledger is never edited in place.

use domain::aid::{EntryInput, EntryStatus};
use domain::{CampaignId, ChildId, EntryId, OrgUnitId, Role};
use sea_orm::ConnectionTrait;

use crate::World;
use crate::children::{campaign, iin};

pub(crate) struct Setup {
    pub w: World,
    pub c: db::entity::campaign::Model,
    pub school: domain::Actor,
    pub children: Vec<i64>,
}

pub(crate) async fn setup(children: u32, allocation_payments: i64) -> Setup {
    let w = World::new().await;
    campaign(&w).await;
    let c = db::campaigns::current(&w.app.db).await.unwrap().unwrap();
    w.app.user("sch", Role::SchoolCoordinator, w.school_s1).await;
    w.app.user("dis", Role::DistrictCoordinator, w.district_a1).await;
    let school = db::users::by_login(&w.app.db, "sch").await.unwrap().unwrap().actor();
    let district = db::users::by_login(&w.app.db, "dis").await.unwrap().unwrap().actor();
    let mut ids = Vec::new();
    for n in 0..children {
        let input = domain::child::ChildInput {
            iin: iin(100 + n, n % 2 == 0),
            surname: "Ахметова".into(),
            first_name: "Айгерим".into(),
            grade: "3".into(),
            study_language: "kk".into(),
            categories: vec!["asp".into()],
            guardian_name: "Ахметова Сауле".into(),
            consent_by: "parent".into(),
            consent_method: "written".into(),
            consent_date: "01.08.2026".into(),
            source: "school_list".into(),
            ..Default::default()
        };
        let f = input.parse(c.starts_on).unwrap();
        ids.push(db::children::create(&w.app.db, &school, &c, OrgUnitId(w.school_s1), &f).await.unwrap().id);
    }
    let allocation = domain::format::Tenge::from_tenge(46_228 * allocation_payments);
    db::ledger::set_allocation(&w.app.db, &district, OrgUnitId(w.school_s1), &c, allocation).await.unwrap();
    Setup { w, c, school, children: ids }
}

pub(crate) fn cash(amount: &str) -> domain::aid::EntryFields {
    EntryInput {
        source: "fund".into(),
        form: "cash".into(),
        amount: amount.into(),
        date: "15.08.2026".into(),
        ..Default::default()
    }
    .parse()
    .unwrap()
}

pub(crate) fn code(e: db::Error) -> &'static str {
    match e {
        db::Error::Invalid(i) => i.0[0].code.as_str(),
        db::Error::Forbidden => "forbidden",
        other => panic!("unexpected {other:?}"),
    }
}

async fn spent(s: &Setup) -> i64 {
    let school = db::org::scoped(&s.w.app.db, &s.school, OrgUnitId(s.w.school_s1)).await.unwrap();
    db::ledger::fund_of(&s.w.app.db, &school, CampaignId(s.c.id)).await.unwrap().unwrap().spent
}

async fn entries(s: &Setup) -> usize {
    let row =
        s.w.app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                s.w.app.db.get_database_backend(),
                "SELECT COUNT(*) FROM ledger_entries",
            ))
            .await
            .unwrap()
            .unwrap();
    row.try_get_by_index::<i64>(0).unwrap() as usize
}

#[tokio::test]
async fn the_fund_pays_each_child_once_and_never_beyond_its_allocation() {
    let s = setup(3, 2).await;
    let db = &s.w.app.db;
    db::ledger::record(db, &s.school, &s.c, ChildId(s.children[0]), &cash("46 228"), EntryStatus::Delivered)
        .await
        .unwrap();
    assert_eq!(spent(&s).await, 4_622_800);
    let twice =
        db::ledger::record(db, &s.school, &s.c, ChildId(s.children[0]), &cash("46 228"), EntryStatus::Delivered)
            .await
            .unwrap_err();
    assert_eq!(code(twice), "fund_paid_twice");
    db::ledger::record(db, &s.school, &s.c, ChildId(s.children[1]), &cash("46 228"), EntryStatus::Delivered)
        .await
        .unwrap();
    let over = db::ledger::record(db, &s.school, &s.c, ChildId(s.children[2]), &cash("46 228"), EntryStatus::Delivered)
        .await
        .unwrap_err();
    assert_eq!(code(over), "fund_overspent");
    assert_eq!(spent(&s).await, 2 * 4_622_800);
    assert_eq!(entries(&s).await, 2, "refused payments leave no entry");
    // Planned aid does not spend; delivering it does, and is refused when the fund is empty.
    let planned =
        db::ledger::record(db, &s.school, &s.c, ChildId(s.children[2]), &cash("10 000"), EntryStatus::Planned)
            .await
            .unwrap();
    let e = db::ledger::set_status(db, &s.school, EntryId(planned.id), EntryStatus::Delivered).await.unwrap_err();
    assert_eq!(code(e), "fund_overspent");
    let e = db::ledger::set_status(db, &s.school, EntryId(planned.id), EntryStatus::Confirmed).await.unwrap_err();
    assert_eq!(code(e), "status_order");
    // The allocation can never go below what was paid.
    let district = db::users::by_login(db, "dis").await.unwrap().unwrap().actor();
    let e =
        db::ledger::set_allocation(db, &district, OrgUnitId(s.w.school_s1), &s.c, domain::format::Tenge::from_tenge(1))
            .await
            .unwrap_err();
    assert_eq!(code(e), "below_spent");
    let e =
        db::ledger::set_allocation(db, &s.school, OrgUnitId(s.w.school_s1), &s.c, domain::format::Tenge::from_tenge(1))
            .await
            .unwrap_err();
    assert_eq!(code(e), "forbidden");
}

#[tokio::test]
async fn concurrent_payments_never_overspend_the_fund() {
    let s = setup(20, 5).await;
    let tasks: Vec<_> = s
        .children
        .iter()
        .map(|child| {
            let (db, actor, c, child) = (s.w.app.db.clone(), s.school.clone(), s.c.clone(), *child);
            tokio::spawn(async move {
                db::ledger::record(&db, &actor, &c, ChildId(child), &cash("46 228"), EntryStatus::Delivered).await
            })
        })
        .collect();
    let mut paid = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => paid += 1,
            Err(e) => assert_eq!(code(e), "fund_overspent"),
        }
    }
    assert_eq!(paid, 5);
    assert_eq!(spent(&s).await, 5 * 4_622_800);
    assert_eq!(entries(&s).await, 5);
}

#[tokio::test]
async fn concurrent_payments_to_one_child_pay_once() {
    let s = setup(1, 10).await;
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (db, actor, c, child) = (s.w.app.db.clone(), s.school.clone(), s.c.clone(), s.children[0]);
            tokio::spawn(async move {
                db::ledger::record(&db, &actor, &c, ChildId(child), &cash("46 228"), EntryStatus::Delivered).await
            })
        })
        .collect();
    let mut paid = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => paid += 1,
            Err(e) => assert_eq!(code(e), "fund_paid_twice"),
        }
    }
    assert_eq!(paid, 1);
    assert_eq!(spent(&s).await, 4_622_800);
}

#[tokio::test]
async fn a_reversal_restores_the_fund_once_and_cannot_itself_be_reversed() {
    let s = setup(1, 1).await;
    let db = &s.w.app.db;
    let paid = db::ledger::record(db, &s.school, &s.c, ChildId(s.children[0]), &cash("46 228"), EntryStatus::Delivered)
        .await
        .unwrap();
    assert_eq!(code(db::ledger::reverse(db, &s.school, EntryId(paid.id), " ").await.unwrap_err()), "required");
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let (db, actor, id) = (db.clone(), s.school.clone(), paid.id);
            tokio::spawn(async move { db::ledger::reverse(&db, &actor, EntryId(id), "ошибка в сумме").await })
        })
        .collect();
    let mut reversals = Vec::new();
    for t in tasks {
        match t.await.unwrap() {
            Ok(r) => reversals.push(r),
            Err(e) => assert_eq!(code(e), "already_reversed"),
        }
    }
    assert_eq!(reversals.len(), 1);
    assert_eq!(reversals[0].amount, -4_622_800);
    assert_eq!(spent(&s).await, 0);
    let e = db::ledger::reverse(db, &s.school, EntryId(reversals[0].id), "назад").await.unwrap_err();
    assert_eq!(code(e), "reversal_of_reversal");
    // The child can be paid again, correctly.
    db::ledger::record(db, &s.school, &s.c, ChildId(s.children[0]), &cash("46 228"), EntryStatus::Delivered)
        .await
        .unwrap();
    assert_eq!(spent(&s).await, 4_622_800);
    let all = db::ledger::for_child(db, &s.school, ChildId(s.children[0])).await.unwrap();
    assert_eq!(all.iter().map(|e| e.amount).sum::<i64>(), 4_622_800);
}

#[tokio::test]
async fn the_ledger_is_never_edited_or_deleted_in_place() {
    let s = setup(1, 1).await;
    let db = &s.w.app.db;
    let paid = db::ledger::record(db, &s.school, &s.c, ChildId(s.children[0]), &cash("46 228"), EntryStatus::Delivered)
        .await
        .unwrap();
    for sql in [
        format!("UPDATE ledger_entries SET amount = 1 WHERE id = {}", paid.id),
        format!("UPDATE ledger_entries SET child_id = child_id WHERE id = {}", paid.id),
        format!("DELETE FROM ledger_entries WHERE id = {}", paid.id),
    ] {
        let r = db.execute_unprepared(&sql).await;
        if sql.contains("child_id = child_id") {
            assert!(r.is_ok(), "an update that changes nothing passes: {sql}");
        } else {
            assert!(r.is_err(), "{sql} must be refused");
        }
    }
    let after = db::ledger::for_child(db, &s.school, ChildId(s.children[0])).await.unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].amount, 4_622_800);
    // Another school cannot touch it.
    s.w.app.user("other", Role::SchoolCoordinator, s.w.school_s2).await;
    let other = db::users::by_login(db, "other").await.unwrap().unwrap().actor();
    assert!(matches!(db::ledger::reverse(db, &other, EntryId(paid.id), "x").await, Err(db::Error::NotInScope(_))));
}

#[tokio::test]
async fn a_school_plans_the_norm_delivers_while_the_fund_lasts_and_corrects_in_the_pages() {
    let s = setup(3, 2).await;
    let mut sch = s.w.app.client();
    sch.post_form("/login", &[("login", "sch"), ("password", crate::support::PASSWORD)]).await;
    let school = sch.get(&format!("/orgs/{}", s.w.school_s1)).await;
    assert!(school.body.contains("92 456 ₸"), "allocation of two norms: {}", school.body);
    let r = sch.post_form(&format!("/orgs/{}/fund/plan", s.w.school_s1), &[]).await;
    let page = sch.get(r.location()).await;
    assert!(page.body.contains("Запланировано выплат: 3."), "{}", page.body);
    let r = sch.post_form(&format!("/orgs/{}/fund/deliver", s.w.school_s1), &[]).await;
    let page = sch.get(r.location()).await;
    assert!(
        page.body.contains("Оказано выплат: 2.") && page.body.contains("Не хватило средств фонда: 1."),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"fund-balance\">0 ₸"));
    // A payment by hand beyond the balance: a clear message, nothing written, the form kept.
    let child = s.children[2];
    let before = entries(&s).await;
    let r = sch
        .post_form(
            &format!("/children/{child}/aid"),
            &[("source", "fund"), ("form", "goods"), ("amount", "5 000"), ("date", "20.08.2026"), ("delivered", "1")],
        )
        .await;
    assert_eq!(r.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("В фонде всеобуча недостаточно средств для этой выплаты."), "{}", r.body);
    assert!(r.body.contains("value=\"5 000\""));
    assert_eq!(entries(&s).await, before);
    let r = sch
        .post_form(
            &format!("/children/{child}/aid"),
            &[("source", "sponsor"), ("form", "goods"), ("amount", "1196,448"), ("date", "20.08.2026")],
        )
        .await;
    assert!(r.body.contains("сумма в тенге, например 45 000 или 1 196 448,50"), "{}", r.body);
    // Reverse a delivered payment: the fund gets it back, the card shows both lines.
    let paid = db::ledger::for_child(&s.w.app.db, &s.school, ChildId(s.children[0])).await.unwrap();
    let r = sch
        .post_form(&format!("/children/{}/aid/{}/reverse", s.children[0], paid[0].id), &[("reason", "перепутали счёт")])
        .await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(spent(&s).await, 4_622_800);
    let card = sch.get(&format!("/children/{}", s.children[0])).await;
    assert!(card.body.contains("-46 228 ₸") && card.body.contains("перепутали счёт"), "{}", card.body);
}

#[tokio::test]
async fn the_public_page_shows_live_totals_without_personal_data() {
    let s = setup(2, 2).await;
    let db = &s.w.app.db;
    let goods = EntryInput {
        source: "sponsor".into(),
        form: "goods".into(),
        amount: "45 000".into(),
        date: "20.08.2026".into(),
        organised_by: "Выпускники школы 2001 года".into(),
        giver_kind: "alumni".into(),
        items: vec![domain::aid::ItemInput { item: "backpack".into(), quantity: "1".into(), value: "45 000".into() }],
        ..Default::default()
    }
    .parse()
    .unwrap();
    db::ledger::record(db, &s.school, &s.c, ChildId(s.children[0]), &cash("46 228"), EntryStatus::Delivered)
        .await
        .unwrap();
    db::ledger::record(db, &s.school, &s.c, ChildId(s.children[1]), &goods, EntryStatus::Delivered).await.unwrap();
    let mut anyone = s.w.app.client();
    let page = anyone.get("/public").await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    assert!(page.headers.get("cache-control").unwrap().to_str().unwrap().contains("max-age"));
    assert!(page.body.contains("46 228 ₸") && page.body.contains("45 000 ₸"), "{}", page.body);
    assert!(!page.body.contains("Ахметова") && !page.body.contains(&iin(100, true)), "no personal data");
    let region = anyone.get(&format!("/public/{}", s.w.region_a)).await;
    assert!(region.body.contains("г. Балхаш"), "{}", region.body);
    let (total, rows) =
        db::public::totals(db, CampaignId(s.c.id), &db::org::republic(db).await.unwrap().unwrap()).await.unwrap();
    assert_eq!((total.identified, total.helped), (2, 2));
    assert_eq!(total.items["backpack"], 1);
    let karaganda = rows.iter().find(|r| r.unit.id == s.w.region_a).unwrap();
    assert_eq!(karaganda.totals.by_source["fund"], 4_622_800);
    // A reversal takes the help out of the totals (the page itself refreshes within its window).
    let paid = db::ledger::for_child(db, &s.school, ChildId(s.children[1])).await.unwrap();
    db::ledger::reverse(db, &s.school, EntryId(paid[0].id), "не та школа").await.unwrap();
    let (total, _) =
        db::public::totals(db, CampaignId(s.c.id), &db::org::republic(db).await.unwrap().unwrap()).await.unwrap();
    assert_eq!(total.helped, 1);
    assert_eq!(total.by_source.get("sponsor").copied().unwrap_or(0), 0);
    assert_eq!(total.items.get("backpack").copied().unwrap_or(0), 0);
    assert_eq!(anyone.get("/public/999999").await.status, axum::http::StatusCode::NOT_FOUND);
    assert_eq!(anyone.get(&format!("/public/{}", s.w.school_s1)).await.status, axum::http::StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn aid_through_the_api_answers_in_the_envelope() {
    use axum::http::{Method, StatusCode};
    use serde_json::json;
    let s = setup(2, 1).await;
    let mut sch = s.w.app.client();
    sch.post_form("/login", &[("login", "sch"), ("password", crate::support::PASSWORD)]).await;
    let body = json!({ "source": "fund", "form": "cash", "amount": "46 228", "date": "2026-08-15", "delivered": true });
    let r = sch.json(Method::POST, &format!("/api/v1/children/{}/aid", s.children[0]), body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    sch.post_form("/lang", &[("lang", "kk")]).await;
    let r = sch.json(Method::POST, &format!("/api/v1/children/{}/aid", s.children[1]), body).await;
    assert_eq!(r.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "fund_overspent");
    assert_eq!(
        r.json()["error"]["fields"][0]["message"],
        "Бұл төлемге «Жалпыға бірдей білім беру» қорында қаражат жеткіліксіз."
    );
    let bad = sch
        .json(
            Method::POST,
            &format!("/api/v1/children/{}/aid", s.children[1]),
            json!({ "source": "sponsor", "form": "goods", "amount": "1.196.448", "date": "2026-08-15" }),
        )
        .await;
    assert_eq!(bad.json()["error"]["fields"][0]["code"], "amount_format");
    let fund = sch.get(&format!("/api/v1/funds/{}", s.w.school_s1)).await.json();
    assert_eq!(fund["balance"], 0);
    let r = sch.json(Method::POST, &format!("/api/v1/aid/{id}/reverse"), json!({ "reason": "қате" })).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let rev = r.json()["id"].as_i64().unwrap();
    let r = sch.json(Method::POST, &format!("/api/v1/aid/{rev}/reverse"), json!({ "reason": "қайта" })).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "reversal_of_reversal");
    assert_eq!(sch.get(&format!("/api/v1/funds/{}", s.w.school_s1)).await.json()["balance"], 4_622_800);
    let public = s.w.app.client().get("/api/v1/public").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(!public.body.contains("Ахметова"));
    s.w.app.user("far", Role::SchoolCoordinator, s.w.school_s4).await;
    let mut far = s.w.app.client();
    far.post_form("/login", &[("login", "far"), ("password", crate::support::PASSWORD)]).await;
    assert_eq!(far.get(&format!("/api/v1/children/{}/aid", s.children[0])).await.status, StatusCode::FORBIDDEN);
    assert_eq!(far.get(&format!("/api/v1/funds/{}", s.w.school_s1)).await.status, StatusCode::FORBIDDEN);
}

/// Goods from `source` with two items, in the order given.
fn goods(source: &str, first: &str, second: &str) -> domain::aid::EntryFields {
    let item = |code: &str| domain::aid::ItemInput { item: code.into(), quantity: "1".into(), value: "5 000".into() };
    EntryInput {
        source: source.into(),
        form: "goods".into(),
        amount: "10 000".into(),
        date: "15.08.2026".into(),
        organised_by: "Родительский комитет".into(),
        giver_kind: if source == "sponsor" { "parents".into() } else { String::new() },
        items: vec![item(first), item(second)],
        ..Default::default()
    }
    .parse()
    .unwrap()
}

#[tokio::test]
async fn concurrent_writes_at_one_school_keep_the_report_totals_right() {
    let s = setup(30, 30).await;
    let db = &s.w.app.db;
    // Ten planned fund goods to deliver, ten delivered sponsor goods to reverse.
    let mut planned = Vec::new();
    let mut delivered = Vec::new();
    for (i, child) in s.children.iter().take(20).enumerate() {
        let (f, status) = if i < 10 {
            (goods("fund", "shoes", "backpack"), EntryStatus::Planned)
        } else {
            (goods("sponsor", "backpack", "shoes"), EntryStatus::Delivered)
        };
        let id = db::ledger::record(db, &s.school, &s.c, ChildId(*child), &f, status).await.unwrap().id;
        if i < 10 { planned.push(id) } else { delivered.push(id) }
    }
    // At once: the deliveries, the reversals, and new help for every child with its items in
    // one order or the other, from two sources.
    let mut tasks = Vec::new();
    for id in planned {
        let (db, actor) = (db.clone(), s.school.clone());
        tasks.push(tokio::spawn(async move {
            db::ledger::set_status(&db, &actor, EntryId(id), EntryStatus::Delivered).await
        }));
    }
    for id in delivered {
        let (db, actor) = (db.clone(), s.school.clone());
        tasks.push(tokio::spawn(async move {
            db::ledger::reverse(&db, &actor, EntryId(id), "Не доставлено").await
        }));
    }
    for (i, child) in s.children.iter().enumerate() {
        let (db, actor, c, child) = (db.clone(), s.school.clone(), s.c.clone(), *child);
        let f = if i % 2 == 0 { goods("fair", "uniform", "backpack") } else { goods("sponsor", "backpack", "uniform") };
        tasks.push(tokio::spawn(async move {
            db::ledger::record(&db, &actor, &c, ChildId(child), &f, EntryStatus::Delivered).await
        }));
    }
    for t in tasks {
        t.await.unwrap().expect("every write goes through");
    }
    let f = crate::reports::totals_checked(db).await;
    // 10 delivered fund goods and 30 new ones; the 10 sponsor goods reversed.
    assert_eq!((f.helped, f.item("backpack"), f.item("shoes"), f.item("uniform")), (30, 40, 10, 30));
    assert_eq!(f.delivered(), 40 * 1_000_000);
}

fn dated(date: &str) -> domain::aid::EntryFields {
    let item = domain::aid::ItemInput { item: "backpack".into(), quantity: "1".into(), value: "5 000".into() };
    EntryInput {
        source: "sponsor".into(),
        form: "goods".into(),
        amount: "5 000".into(),
        date: date.into(),
        organised_by: "ТОО «Мектеп»".into(),
        giver_kind: "company".into(),
        items: vec![item],
        ..Default::default()
    }
    .parse()
    .unwrap()
}

#[tokio::test]
async fn a_period_counts_the_help_of_its_days_and_a_child_on_its_first_day_of_help() {
    use db::reports::Period;
    let s = setup(3, 3).await;
    let db = &s.w.app.db;
    let (a, b, c) = (ChildId(s.children[0]), ChildId(s.children[1]), ChildId(s.children[2]));
    let day = |d: &str| domain::child::parse_date(d).unwrap();
    // A: helped on the 5th and the 20th; B: help planned on the 10th, delivered later; C: helped
    // on the 12th, and that help reversed.
    let a5 = db::ledger::record(db, &s.school, &s.c, a, &dated("05.08.2026"), EntryStatus::Delivered).await.unwrap();
    db::ledger::record(db, &s.school, &s.c, a, &dated("20.08.2026"), EntryStatus::Delivered).await.unwrap();
    let b10 = db::ledger::record(db, &s.school, &s.c, b, &dated("10.08.2026"), EntryStatus::Planned).await.unwrap();
    let c12 = db::ledger::record(db, &s.school, &s.c, c, &dated("12.08.2026"), EntryStatus::Delivered).await.unwrap();
    let school_unit = db::org::scoped(db, &s.school, OrgUnitId(s.w.school_s1)).await.unwrap();
    let first_half = Period::new(Some(day("01.08.2026")), Some(day("15.08.2026"))).unwrap();
    let report = |period: Period| {
        let school = s.school.clone();
        let c = s.c.clone();
        async move {
            db::reports::consolidated(db, &school, &c, Some(OrgUnitId(s.w.school_s1)), period).await.unwrap().total
        }
    };
    let f = report(first_half).await;
    assert_eq!((f.helped, f.item("backpack"), f.delivered()), (2, 2, 2 * 5_000 * 100), "A on the 5th, C on the 12th");
    db::ledger::set_status(db, &s.school, EntryId(b10.id), EntryStatus::Delivered).await.unwrap();
    db::ledger::reverse(db, &s.school, EntryId(c12.id), "Не доставлено").await.unwrap();
    db::ledger::reverse(db, &s.school, EntryId(a5.id), "Ошибка в дате").await.unwrap();
    // B is now helped on the 10th; C not at all; A first on the 20th, outside the first half.
    let f = report(first_half).await;
    assert_eq!((f.helped, f.item("backpack")), (1, 1), "{f:?}");
    let second_half = Period::new(Some(day("16.08.2026")), Some(day("31.08.2026"))).unwrap();
    let f = report(second_half).await;
    assert_eq!((f.helped, f.item("backpack"), f.delivered()), (1, 1, 5_000 * 100));
    // The dashboard's days: what was delivered on each, the reversals on the day they were made.
    let days = db::reports::daily(db, &s.c, &school_unit, first_half).await.unwrap();
    assert_eq!(days, [(day("05.08.2026"), 500_000), (day("10.08.2026"), 500_000), (day("12.08.2026"), 500_000)]);
    crate::reports::totals_checked(db).await;
}

/// The aid form of issue 15: the source labelled as the help's (not «Как выявлен»), the sponsor
/// chosen from the region's approved sponsors, goods with items and quantities, and a sponsor's
/// goods of unknown value recorded by their items.
#[tokio::test]
async fn the_aid_form_credits_a_sponsor_from_the_list_and_records_goods_by_their_items() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let s = setup(2, 5).await;
    let db = &s.w.app.db;
    let rep = db::users::by_id(db, domain::UserId(s.w.app.user("rep0", Role::RepublicCoordinator, s.w.republic).await))
        .await
        .unwrap()
        .unwrap()
        .actor();
    let fields =
        |name: &str| domain::aid::SponsorInput { kind: "parents".into(), name: name.into(), ..Default::default() };
    let ours = app::sponsors::create(
        &s.w.app.state.core,
        &rep,
        OrgUnitId(s.w.region_a),
        &fields("Родители 5 «А»").parse().unwrap(),
    )
    .await
    .unwrap();
    let theirs = app::sponsors::create(
        &s.w.app.state.core,
        &rep,
        OrgUnitId(s.w.region_b),
        &fields("Чужой фонд").parse().unwrap(),
    )
    .await
    .unwrap();
    let mut sch = s.w.app.client();
    sch.post_form("/login", &[("login", "sch"), ("password", crate::support::PASSWORD)]).await;
    let child = s.children[0];
    let card = sch.get(&format!("/children/{child}")).await;
    assert!(card.body.contains(r#"<label for="aid-source">Источник помощи</label>"#), "{}", card.body);
    assert!(card.body.contains("Родители 5 «А»") && !card.body.contains("Чужой фонд"), "the region's sponsors only");
    assert!(card.body.contains(r#"name="goods_item""#) && card.body.contains(r#"name="goods_quantity""#));

    // Goods from the fund must state what they cost: refused, and the typed goods are kept.
    let fund_goods = [
        ("source", "fund"),
        ("form", "goods"),
        ("amount", ""),
        ("date", "15.08.2026"),
        ("goods_item", "backpack"),
        ("goods_quantity", "1"),
        ("goods_value", ""),
        ("goods_item", ""),
        ("goods_quantity", ""),
        ("goods_value", ""),
    ];
    let r = sch.post_form(&format!("/children/{child}/aid"), &fund_goods).await;
    assert_eq!(r.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(crate::support::alert_messages(&r.body).iter().any(|m| m.contains("Сумма")), "{}", r.body);
    assert!(r.body.contains(r#"<option value="backpack" selected>"#), "the goods typed are kept");
    // Another region's sponsor is not ours to credit.
    let foreign = [
        ("source", "sponsor"),
        ("sponsor_id", &*theirs.id.to_string()),
        ("form", "cash"),
        ("amount", "10 000"),
        ("date", "15.08.2026"),
    ];
    let r = sch.post_form(&format!("/children/{child}/aid"), &foreign).await;
    assert_eq!(r.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // Our sponsor's backpack and two notebooks, value unknown: recorded by their items.
    let sponsor_id = ours.id.to_string();
    let given = [
        ("source", "sponsor"),
        ("sponsor_id", &*sponsor_id),
        ("form", "goods"),
        ("amount", ""),
        ("date", "15.08.2026"),
        ("goods_item", "backpack"),
        ("goods_quantity", "1"),
        ("goods_value", ""),
        ("goods_item", "stationery"),
        ("goods_quantity", "2"),
        ("goods_value", ""),
        ("goods_item", ""),
        ("goods_quantity", ""),
        ("goods_value", ""),
        ("delivered", "1"),
    ];
    let r = sch.post_form(&format!("/children/{child}/aid"), &given).await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.body);
    let entry = db::entity::ledger_entry::Entity::find()
        .filter(db::entity::ledger_entry::Column::ChildId.eq(child))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((entry.sponsor_id, entry.amount, entry.form.as_str()), (Some(ours.id), 0, "goods"));
    let items = db::entity::ledger_item::Entity::find()
        .filter(db::entity::ledger_item::Column::EntryId.eq(entry.id))
        .all(db)
        .await
        .unwrap();
    assert_eq!(items.iter().map(|i| i.quantity).sum::<i32>(), 3, "{items:?}");
    // The reports count the items handed over and the child helped; the sums hold what is known.
    let totals = crate::reports::totals_checked(db).await;
    assert_eq!((totals.item("backpack"), totals.item("stationery")), (1, 2), "{totals:?}");
    assert_eq!(totals.helped, 1, "the child counts as helped");
    assert_eq!(totals.source("sponsor"), 0, "the sum says what is known");
    // The API names the help's source as its own, in its message.
    let r = sch
        .json(
            axum::http::Method::POST,
            &format!("/api/v1/children/{child}/aid"),
            serde_json::json!({"form": "cash", "amount": "100", "date": "15.08.2026"}),
        )
        .await;
    let messages = crate::support::api_messages(&r.json());
    assert!(messages.iter().any(|m| m.contains("Источник помощи")), "{messages:?}");

    // A one-off giver, typed: its kind is asked for, the form keeping what was typed; then kept.
    let one_off = [
        ("source", "sponsor"),
        ("form", "cash"),
        ("amount", "15 000"),
        ("date", "16.08.2026"),
        ("organised_by", "Выпускники 2001 года"),
    ];
    let r = sch.post_form(&format!("/children/{child}/aid"), &one_off).await;
    assert_eq!(r.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"aid-giver-kind-error\""), "{}", r.body);
    assert!(r.body.contains("value=\"Выпускники 2001 года\""), "the giver typed is kept");
    let mut with_kind = one_off.to_vec();
    with_kind.push(("giver_kind", "alumni"));
    let r = sch.post_form(&format!("/children/{child}/aid"), &with_kind).await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.body);
    let listed = sch.get(&format!("/api/v1/children/{child}/aid")).await.json();
    let typed = listed.as_array().unwrap().iter().find(|e| e["organised_by"] == "Выпускники 2001 года").unwrap();
    assert_eq!(typed["giver_kind"], "alumni");
    // A sponsor from the list has its own kind: none is taken beside it.
    let r = sch
        .json(
            axum::http::Method::POST,
            &format!("/api/v1/children/{child}/aid"),
            serde_json::json!({"source": "sponsor", "sponsor_id": sponsor_id, "giver_kind": "person",
                "form": "cash", "amount": "100", "date": "15.08.2026"}),
        )
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["field"], "giver_kind", "{}", r.body);
}
