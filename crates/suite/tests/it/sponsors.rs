//! Sponsors: registered with a checked BIN, they see anonymised needs of their region, hold a
//! need for 48 hours (never two sponsors at once, also under concurrency), and deliver it into
//! the ledger.

use domain::aid::SponsorInput;
use domain::{CampaignId, ChildId, ErrorCode, HoldId, NeedId, OrgUnitId, Role, SponsorId};
use sea_orm::ConnectionTrait;

use crate::World;
use crate::children::{campaign, iin};

async fn sponsor(w: &World, reg: &domain::Actor, name: &str, bin: &str, login: &str) -> domain::Actor {
    let f = SponsorInput { kind: "company".into(), name: name.into(), bin_iin: bin.into(), ..Default::default() }
        .parse()
        .unwrap();
    let s = db::sponsors::create(&w.app.db, reg, OrgUnitId(w.region_a), &f).await.unwrap();
    let hash = domain::password::hash(crate::support::PASSWORD).unwrap();
    let id = db::sponsors::add_account(&w.app.db, reg, SponsorId(s.id), login, name, &hash).await.unwrap();
    db::users::by_id(&w.app.db, domain::UserId(id)).await.unwrap().unwrap().actor()
}

struct Setup {
    w: World,
    c: db::entity::campaign::Model,
    a: domain::Actor,
    b: domain::Actor,
    need: i64,
}

async fn setup() -> Setup {
    let w = World::new().await;
    campaign(&w).await;
    let c = db::campaigns::current(&w.app.db).await.unwrap().unwrap();
    w.app.user("sch", Role::SchoolCoordinator, w.school_s1).await;
    w.app.user("reg", Role::RegionCoordinator, w.region_a).await;
    let school = db::users::by_login(&w.app.db, "sch").await.unwrap().unwrap().actor();
    let reg = db::users::by_login(&w.app.db, "reg").await.unwrap().unwrap().actor();
    let input = domain::child::ChildInput {
        iin: iin(150, true),
        surname: "Тайная".into(),
        first_name: "Фамилия".into(),
        grade: "3".into(),
        study_language: "kk".into(),
        categories: vec!["orphan".into()],
        guardian_name: "Опекун Тайный".into(),
        consent_by: "legal_representative".into(),
        consent_method: "written".into(),
        consent_date: "01.08.2026".into(),
        source: "school_list".into(),
        needs: vec![domain::child::NeedInput { item: "backpack".into(), cost: "45 000".into(), ..Default::default() }],
        ..Default::default()
    };
    let child =
        db::children::create(&w.app.db, &school, &c, OrgUnitId(w.school_s1), &input.parse(c.starts_on).unwrap())
            .await
            .unwrap();
    let a = sponsor(&w, &reg, "Корпоративный фонд «Коунрад»", "940140000385", "kounrad").await;
    let b = sponsor(&w, &reg, "ТОО «Арман жол»", "990140004654", "armanzhol").await;
    let need = db::entity::child_need::Entity::find()
        .all(&w.app.db)
        .await
        .unwrap()
        .iter()
        .find(|n| n.child_id == child.id)
        .unwrap()
        .id;
    Setup { w, c, a, b, need }
}

use sea_orm::EntityTrait as _;

#[tokio::test]
async fn sponsors_are_checked_and_see_needs_without_names() {
    let s = setup().await;
    let reg = db::users::by_login(&s.w.app.db, "reg").await.unwrap().unwrap().actor();
    let bad =
        SponsorInput { kind: "company".into(), name: "X".into(), bin_iin: "940140000386".into(), ..Default::default() }
            .parse()
            .unwrap_err();
    assert_eq!(bad.0[0].code, ErrorCode::BinChecksum);
    let dup =
        SponsorInput { kind: "company".into(), name: "Y".into(), bin_iin: "940140000385".into(), ..Default::default() }
            .parse()
            .unwrap();
    let e = db::sponsors::create(&s.w.app.db, &reg, OrgUnitId(s.w.region_a), &dup).await.unwrap_err();
    assert!(matches!(e, db::Error::Invalid(ref i) if i.0[0].code == ErrorCode::Duplicate), "{e:?}");
    let needs = db::sponsors::open_needs(&s.w.app.db, &s.a, &s.c, &Default::default(), 100).await.unwrap();
    assert_eq!(needs.len(), 1);
    let shown = serde_json::to_string(&needs).unwrap();
    assert!(!shown.contains("Тайная") && !shown.contains(&iin(150, true)) && !shown.contains("Опекун"), "{shown}");
    assert!(shown.contains("backpack") && shown.contains("Школа № 1"));
    // A coordinator is not a sponsor.
    assert!(matches!(
        db::sponsors::open_needs(&s.w.app.db, &reg, &s.c, &Default::default(), 10).await,
        Err(db::Error::Forbidden)
    ));
}

#[tokio::test]
async fn two_sponsors_can_never_hold_the_same_need() {
    let s = setup().await;
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let (db, actor, need) = (s.w.app.db.clone(), if i % 2 == 0 { s.a.clone() } else { s.b.clone() }, s.need);
            tokio::spawn(async move { db::sponsors::reserve(&db, &actor, NeedId(need)).await })
        })
        .collect();
    let mut held = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => held += 1,
            Err(db::Error::Invalid(i)) => assert_eq!(i.0[0].code, ErrorCode::NeedTaken),
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(held, 1);
    assert!(db::sponsors::open_needs(&s.w.app.db, &s.a, &s.c, &Default::default(), 10).await.unwrap().is_empty());
    assert!(db::sponsors::open_needs(&s.w.app.db, &s.b, &s.c, &Default::default(), 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_hold_expires_after_48_hours_and_a_delivery_lands_in_the_ledger() {
    let s = setup().await;
    let db = &s.w.app.db;
    let first = db::sponsors::reserve(db, &s.a, NeedId(s.need)).await.unwrap();
    assert!(first.expires_at > chrono::Utc::now() + chrono::Duration::hours(47));
    // Two days pass.
    db.execute_unprepared(
        &format!("UPDATE reservations SET expires_at = created_at - 1 WHERE id = {}", first.id)
            .replace("created_at - 1", &expired_sql(db)),
    )
    .await
    .unwrap();
    let e = db::sponsors::deliver(db, &s.a, HoldId(first.id), s.c.starts_on).await.unwrap_err();
    assert!(matches!(e, db::Error::Invalid(ref i) if i.0[0].code == ErrorCode::ReservationExpired), "{e:?}");
    assert_eq!(
        db::sponsors::open_needs(db, &s.b, &s.c, &Default::default(), 10).await.unwrap().len(),
        1,
        "the need is free again"
    );
    let second = db::sponsors::reserve(db, &s.b, NeedId(s.need)).await.unwrap();
    let e = db::sponsors::deliver(db, &s.a, HoldId(first.id), s.c.starts_on).await.unwrap_err();
    assert!(matches!(e, db::Error::Invalid(ref i) if i.0[0].code == ErrorCode::ReservationNotActive), "{e:?}");
    // The sponsor says it delivered: nothing counts until the school has seen the goods.
    let on = s.c.starts_on + chrono::Days::new(3);
    let announced = db::sponsors::deliver(db, &s.b, HoldId(second.id), on).await.unwrap();
    assert_eq!((announced.status.as_str(), announced.entry_id, announced.delivered_on), ("awaiting", None, Some(on)));
    assert_eq!(db::sponsors::impact(db, &s.b).await.unwrap(), (0, 0, 0), "not in the sponsor's impact yet");
    let republic = db::org::republic(db).await.unwrap().unwrap();
    let (total, _) = db::public::totals(db, CampaignId(s.c.id), &republic).await.unwrap();
    assert_eq!(total.by_source.get("sponsor").copied().unwrap_or(0), 0, "not in the public totals yet");
    let kept = crate::reports::totals_checked(db).await;
    assert_eq!((kept.source("sponsor"), kept.helped), (0, 0), "not in the reports' totals yet");
    assert!(db::sponsors::help_report(db, &s.b).await.unwrap().1.is_empty(), "not in the letter yet");
    // The sponsor cannot confirm its own delivery, nor announce it twice; the need stays held.
    assert!(matches!(db::sponsors::confirm(db, &s.b, HoldId(second.id), true).await, Err(db::Error::Forbidden)));
    let e = db::sponsors::deliver(db, &s.b, HoldId(second.id), on).await.unwrap_err();
    assert!(matches!(e, db::Error::Invalid(ref i) if i.0[0].code == ErrorCode::ReservationNotActive), "{e:?}");
    let e = db::sponsors::reserve(db, &s.a, NeedId(s.need)).await.unwrap_err();
    assert!(matches!(e, db::Error::Invalid(ref i) if i.0[0].code == ErrorCode::NeedTaken), "{e:?}");
    // The school sees it waiting, on its start page's list, and confirms it.
    let school = db::users::by_login(db, "sch").await.unwrap().unwrap().actor();
    let waiting = db::sponsors::awaiting(db, &school, 10).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(
        (waiting[0].hold_id, waiting[0].sponsor.as_str(), waiting[0].cost),
        (second.id, "ТОО «Арман жол»", 4_500_000)
    );
    let confirmed = db::sponsors::confirm(db, &school, HoldId(second.id), true).await.unwrap();
    assert_eq!(confirmed.status, "delivered");
    let entry =
        db::entity::ledger_entry::Entity::find_by_id(confirmed.entry_id.unwrap()).one(db).await.unwrap().unwrap();
    assert_eq!(
        (entry.amount, entry.source.as_str(), entry.entry_date),
        (4_500_000, "sponsor", on),
        "dated as delivered"
    );
    assert!(db::sponsors::awaiting(db, &school, 10).await.unwrap().is_empty());
    let e = db::sponsors::confirm(db, &school, HoldId(second.id), false).await.unwrap_err();
    assert!(matches!(e, db::Error::Invalid(ref i) if i.0[0].code == ErrorCode::DeliveryNotAwaiting), "{e:?}");
    assert_eq!(db::sponsors::impact(db, &s.b).await.unwrap(), (1, 1, 4_500_000));
    let (total, _) = db::public::totals(db, CampaignId(s.c.id), &republic).await.unwrap();
    assert_eq!(total.by_source["sponsor"], 4_500_000);
    assert_eq!(total.items["backpack"], 1);
    // The reports' running totals took the sponsor's delivery too.
    let kept = crate::reports::totals_checked(db).await;
    assert_eq!((kept.source("sponsor"), kept.item("backpack"), kept.helped), (4_500_000, 1, 1));
    // A delivered need stays held.
    let e = db::sponsors::reserve(db, &s.a, NeedId(s.need)).await.unwrap_err();
    assert!(matches!(e, db::Error::Invalid(ref i) if i.0[0].code == ErrorCode::NeedTaken), "{e:?}");
}

#[tokio::test]
async fn a_delivery_the_school_did_not_receive_frees_the_need_and_counts_nowhere() {
    let s = setup().await;
    let db = &s.w.app.db;
    let school = db::users::by_login(db, "sch").await.unwrap().unwrap().actor();
    let held = db::sponsors::reserve(db, &s.a, NeedId(s.need)).await.unwrap();
    db::sponsors::deliver(db, &s.a, HoldId(held.id), s.c.starts_on).await.unwrap();
    // Another school cannot answer it.
    s.w.app.user("other", Role::SchoolCoordinator, s.w.school_s2).await;
    let other = db::users::by_login(db, "other").await.unwrap().unwrap().actor();
    assert!(db::sponsors::awaiting(db, &other, 10).await.unwrap().is_empty());
    assert!(db::sponsors::confirm(db, &other, HoldId(held.id), false).await.is_err());
    // The district sees it among its schools'.
    s.w.app.user("dist", Role::DistrictCoordinator, s.w.district_a1).await;
    let district = db::users::by_login(db, "dist").await.unwrap().unwrap().actor();
    assert_eq!(db::sponsors::awaiting(db, &district, 10).await.unwrap().len(), 1);
    let declined = db::sponsors::confirm(db, &school, HoldId(held.id), false).await.unwrap();
    assert_eq!((declined.status.as_str(), declined.entry_id), ("declined", None));
    assert_eq!(db::sponsors::impact(db, &s.a).await.unwrap(), (0, 0, 0));
    let kept = crate::reports::totals_checked(db).await;
    assert_eq!((kept.source("sponsor"), kept.helped), (0, 0));
    // The need is open again, for any sponsor.
    assert_eq!(db::sponsors::open_needs(db, &s.b, &s.c, &Default::default(), 10).await.unwrap().len(), 1);
    db::sponsors::reserve(db, &s.b, NeedId(s.need)).await.unwrap();
    // Both answers are in the audit log.
    let actions: Vec<String> = db::entity::audit_log::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "reservation")
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"deliver".to_owned()) && actions.contains(&"decline".to_owned()), "{actions:?}");
}

fn expired_sql(db: &db::Db) -> String {
    match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => "now() - interval '49 hours'".into(),
        _ => "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now', '-49 hours')".into(),
    }
}

#[tokio::test]
async fn the_portal_in_the_pages_reserve_once_school_delivers_public_totals_move() {
    let s = setup().await;
    let mut reg = s.w.app.client();
    reg.post_form("/login", &[("login", "reg"), ("password", crate::support::PASSWORD)]).await;
    let region = s.w.region_a.to_string();
    let bad = reg
        .post_form(
            "/sponsors",
            &[
                ("kind", "company"),
                ("name", "ТОО «Ксюарт»"),
                ("bin_iin", "070941024692"),
                ("region_id", &region),
                ("login", "ksuart"),
            ],
        )
        .await;
    assert_eq!(bad.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("БИН с ошибкой: не сходится контрольная цифра."), "{}", bad.body);
    assert!(bad.body.contains("value=\"ТОО «Ксюарт»\"") || bad.body.contains("ТОО «Ксюарт»"));
    let ok = reg
        .post_form(
            "/sponsors",
            &[
                ("kind", "company"),
                ("name", "ТОО «Ксюарт»"),
                ("bin_iin", "070941024691"),
                ("region_id", &region),
                ("login", "ksuart"),
            ],
        )
        .await;
    assert!(ok.body.contains("id=\"one-time-password\""), "{}", ok.body);
    // Sponsor A (signed in through the pages) reserves; sponsor B no longer sees the need.
    let mut a = s.w.app.client();
    let r = a.post_form("/login", &[("login", "kounrad"), ("password", crate::support::PASSWORD)]).await;
    assert_eq!(r.location(), "/password", "a sponsor account starts with a one-time password");
    a.post_form(
        "/password",
        &[
            ("current", crate::support::PASSWORD),
            ("new_password", "Коунрад-2026-сентябрь"),
            ("confirm", "Коунрад-2026-сентябрь"),
        ],
    )
    .await;
    let portal = a.get("/sponsor").await;
    assert!(portal.body.contains("девочка, 3 класс"), "{}", portal.body);
    assert!(!portal.body.contains("Тайная") && !portal.body.contains("Опекун"), "no names for sponsors");
    let r = a.post_form(&format!("/sponsor/reserve/{}", s.need), &[]).await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER);
    let mut b = s.w.app.client();
    b.post_form("/login", &[("login", "armanzhol"), ("password", crate::support::PASSWORD)]).await;
    b.post_form(
        "/password",
        &[
            ("current", crate::support::PASSWORD),
            ("new_password", "Арман-жол-2026-август"),
            ("confirm", "Арман-жол-2026-август"),
        ],
    )
    .await;
    let r = b.post_form(&format!("/sponsor/reserve/{}", s.need), &[]).await;
    assert_eq!(r.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Эту потребность уже забронировал другой спонсор."), "{}", r.body);
    assert!(!b.get("/sponsor").await.body.contains("девочка, 3 класс"));
    // The school records the delivery from the child's card.
    let mut sch = s.w.app.client();
    sch.post_form("/login", &[("login", "sch"), ("password", crate::support::PASSWORD)]).await;
    let child = db::entity::child_need::Entity::find_by_id(s.need).one(&s.w.app.db).await.unwrap().unwrap().child_id;
    let card = sch.get(&format!("/children/{child}")).await;
    let hold = db::sponsors::for_child(
        &s.w.app.db,
        &db::users::by_login(&s.w.app.db, "sch").await.unwrap().unwrap().actor(),
        ChildId(child),
    )
    .await
    .unwrap()[0]
        .0
        .id;
    assert!(card.body.contains("Корпоративный фонд «Коунрад»: забронировано"), "{}", card.body);
    let r = sch.post_form(&format!("/children/{child}/holds/{hold}/deliver"), &[]).await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.body);
    let portal = a.get("/sponsor").await;
    assert!(portal.body.contains("id=\"impact-children\">1<"), "{}", portal.body);
    let public = s.w.app.client().get("/public").await;
    assert!(public.body.contains("45 000 ₸"), "{}", public.body);
    // Sponsors cannot see the registry pages.
    assert_eq!(a.get("/children").await.status, axum::http::StatusCode::FORBIDDEN);
    assert_eq!(a.get("/sponsors").await.status, axum::http::StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_sponsor_is_told_once_that_its_hold_is_about_to_expire_and_of_its_applications_decision() {
    use sea_orm::{EntityTrait, QueryOrder};
    let s = setup().await;
    let db = &s.w.app.db;
    let sponsor_id = db::sponsors::sponsor_of(db, &s.a).await.unwrap().id;
    db.execute_unprepared(&format!("UPDATE sponsors SET email = 'fund@kounrad.kz' WHERE id = {sponsor_id}"))
        .await
        .unwrap();
    let hold = db::sponsors::reserve(db, &s.a, NeedId(s.need)).await.unwrap();
    let early = hold.expires_at - chrono::Duration::hours(13);
    assert_eq!(db::sponsors::warn_expiring(db, early).await.unwrap(), 0, "not yet");
    let late = hold.expires_at - chrono::Duration::hours(11);
    assert_eq!(db::sponsors::warn_expiring(db, late).await.unwrap(), 1);
    assert_eq!(db::sponsors::warn_expiring(db, late).await.unwrap(), 0, "once");
    let sent = db::entity::outbox::Entity::find().order_by_asc(db::entity::outbox::Column::Id).all(db).await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!((sent[0].recipient.as_str(), sent[0].kind.as_str()), ("fund@kounrad.kz", "hold_expiring"));
    assert!(!sent[0].params.contains("Тайная"), "no child's name: {}", sent[0].params);
    let text = app::notify::render(&s.w.app.state.core, &sent[0]);
    assert!(text.body.contains(&db::children::code(hold.child_id)), "{}", text.body);

    // A self-registered sponsor with an address is told the region's decision.
    let mut visitor = s.w.app.client();
    let form = [
        ("kind", "company"),
        ("name", "ТОО «Береке»"),
        ("bin_iin", "000740000728"),
        ("email", "office@bereke.kz"),
        ("region_id", &s.w.region_a.to_string()),
        ("full_name", "Береке Әлия"),
        ("password", "Жазғы-демалыс-2026!"),
    ];
    let r = visitor.post_form("/sponsors/apply", &form).await;
    assert!(r.body.contains("given-login"), "{}", r.body);
    let reg = db::users::by_login(db, "reg").await.unwrap().unwrap().actor();
    let pending = db::sponsors::list(db, &reg).await.unwrap().into_iter().find(|x| x.name == "ТОО «Береке»").unwrap();
    db::sponsors::decide(db, &reg, SponsorId(pending.id), true).await.unwrap();
    let sent = db::entity::outbox::Entity::find().order_by_asc(db::entity::outbox::Column::Id).all(db).await.unwrap();
    assert_eq!((sent[1].recipient.as_str(), sent[1].kind.as_str()), ("office@bereke.kz", "sponsor_approved"));
    let text = app::notify::render(&s.w.app.state.core, &sent[1]);
    assert!(text.subject.contains("одобрена") && text.body.contains("Карагандинская"), "{text:?}");
}
