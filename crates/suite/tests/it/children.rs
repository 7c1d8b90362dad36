//! The child registry, its pages and its API together: the list, the record, the card, the
//! social passport's rows, transfers, and the same rules through `/api/v1`.

use axum::http::{Method, StatusCode};
use domain::{CampaignId, Role};
use serde_json::json;

use crate::World;
use crate::support::{Client, audit_count};

/// A valid IIN with registration number `reg` for a child of eight on this school year's
/// 1 September (born on 1 March), the usual age of grades 1–5, whatever year the suite runs in.
pub fn iin(reg: u32, female: bool) -> String {
    let start = domain::child::age::school_year_start(domain::calendar::today());
    iin_on(reg, female, chrono::Datelike::year(&start))
}

/// The same for a child of eight on 1 September of `school_year`.
pub fn iin_on(reg: u32, female: bool, school_year: i32) -> String {
    let born = school_year - 8;
    (0..50)
        .find_map(|k| {
            let head = format!("{:02}0301{}{:04}", born % 100, if female { 6 } else { 5 }, reg * 50 + k);
            let d: Vec<u32> = head.bytes().map(|b| u32::from(b - b'0')).collect();
            domain::iin::check_digit(&d).map(|c| format!("{head}{c}"))
        })
        .unwrap()
}

pub async fn campaign(w: &World) -> i64 {
    let f = domain::child::CampaignInput {
        year: "2026".into(),
        starts_on: "01.08.2026".into(),
        ends_on: "30.09.2026".into(),
        motto_ru: "Дорога в школу — добро без границ".into(),
        motto_kk: "Мектепке жол".into(),
        default_norm: "46 228".into(),
    }
    .parse()
    .unwrap();
    db::campaigns::create(&w.app.db, None, &f).await.unwrap().id
}

pub fn form<'a>(
    iin: &'a str,
    surname: &'a str,
    school: &'a str,
    category: &'a str,
    grade: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("school_id", school),
        ("iin", iin),
        ("surname", surname),
        ("first_name", "Әлия"),
        ("grade", grade),
        ("study_language", "kk"),
        ("categories", category),
        ("guardian_name", "Құрманғазы Гүлнар"),
        ("guardian_phone", "+7 701 123 45 67"),
        ("consent_by", "parent"),
        ("consent_method", "written"),
        ("consent_date", "01.08.2026"),
        ("source", "school_list"),
        ("need_item", "backpack"),
        ("need_size", ""),
        ("need_quantity", "1"),
        ("need_cost", "45 000"),
    ]
}

pub async fn add(c: &mut Client, fields: &[(&str, &str)]) -> i64 {
    let r = c.post_form("/children/new", fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location().trim_start_matches("/children/").split('?').next().unwrap().parse().unwrap()
}

/// Keys stored before search folded Kazakh letters are folded by the migration that brought it.
#[tokio::test]
async fn the_stored_search_keys_are_folded_by_the_migration() {
    use sea_orm::ConnectionTrait;
    use sea_orm_migration::MigratorTrait;
    let w = World::new().await;
    campaign(&w).await;
    let s1 = w.school_s1.to_string();
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let id = add(&mut sch, &form(&iin(1, true), "Құрманғазы", &s1, "large_family", "3")).await;
    let db = &w.app.db;
    // As an earlier version stored it: lower case, the Kazakh letters kept.
    db.execute_unprepared(&format!("UPDATE children SET search_key = 'құрманғазы әлия' WHERE id = {id}"))
        .await
        .unwrap();
    db.execute_unprepared("UPDATE org_units SET search_key = 'өскемен' WHERE id = 1").await.unwrap();
    // Down over m0022 (appeals' totals), m0021 (appeals), m0020 (findings' photos), m0019 (the field's totals by day), m0018 (attendance), m0017 (raids), m0016 (helped by source), m0015 (deliveries confirmed, unit details), m0014 (the
    // sponsors' index) and m0013 (the folding), and up again.
    db::migration::Migrator::down(db, Some(10)).await.unwrap();
    db::migration::Migrator::up(db, None).await.unwrap();
    let key = |sql: String| async move {
        let row = db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
        row.unwrap().try_get_by_index::<String>(0).unwrap()
    };
    assert_eq!(key(format!("SELECT search_key FROM children WHERE id = {id}")).await, "курмангазы алия");
    assert_eq!(key("SELECT search_key FROM org_units WHERE id = 1".into()).await, "оскемен");
    assert!(sch.get("/children?q=Курманг").await.body.contains("Құрманғазы Әлия"));
}

#[tokio::test]
async fn a_school_builds_its_list_and_every_card_view_is_audited() {
    let w = World::new().await;
    campaign(&w).await;
    let s1 = w.school_s1.to_string();
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let id = add(&mut sch, &form(&iin(1, true), "Құрманғазы", &s1, "large_family", "3")).await;
    let card = sch.get(&format!("/children/{id}")).await;
    assert_eq!(card.status, StatusCode::OK);
    assert!(card.body.contains("Құрманғазы Әлия"));
    assert!(card.body.contains("45 000 ₸"), "{}", card.body);
    assert!(card.body.contains("Многодетная семья"));
    assert_eq!(audit_count(&w.app.db, "read_personal", "child", Some(id)).await, 1);
    sch.get(&format!("/children/{id}")).await;
    assert_eq!(audit_count(&w.app.db, "read_personal", "child", Some(id)).await, 2);
    // The auditor sees who looked at the child and when.
    let mut aud = w.app.signed_in("aud", Role::Auditor, w.region_a).await;
    let log = aud.get(&format!("/api/v1/audit?entity=child&entity_id={id}&action=read_personal")).await.json();
    let logins: Vec<_> =
        log.as_array().unwrap().iter().map(|e| e["actor_login"].as_str().unwrap().to_owned()).collect();
    assert_eq!(logins, ["sch", "sch"]);
    // Search by IIN prefix and by surname in any case, Kazakh letters included.
    let list = sch.get("/children?q=құрманғазы").await;
    assert!(list.body.contains("Құрманғазы Әлия"), "{}", list.body);
    // Typed with Russian look-alike letters, as people do on phones (Қ→К, ұ→у, ғ→г).
    let list = sch.get("/children?q=Курманг").await;
    assert!(list.body.contains("Құрманғазы Әлия"), "{}", list.body);
    let api = sch.get("/api/v1/children?q=курмангазы").await.json();
    assert_eq!(api["rows"].as_array().map(Vec::len), Some(1), "{api}");
    let list = sch.get(&format!("/children?q={}", &iin(1, true)[..6])).await;
    assert!(list.body.contains("Құрманғазы Әлия"));
    let list = sch.get("/children?category=orphan").await;
    assert!(!list.body.contains("Құрманғазы Әлия"));
}

#[tokio::test]
async fn a_wrong_iin_gets_a_message_in_kazakh_and_the_form_keeps_what_was_typed() {
    let w = World::new().await;
    campaign(&w).await;
    let s1 = w.school_s1.to_string();
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    sch.post_form("/lang", &[("lang", "kk")]).await;
    let good = iin(2, false);
    let mut bad = good.clone();
    bad.replace_range(11..12, &(((good.as_bytes()[11] - b'0' + 1) % 10).to_string()));
    let mut fields = form(&bad, "Сейткали", &s1, "asp", "14");
    fields.push(("birth_date", "01.01.2014"));
    let r = sch.post_form("/children/new", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ЖСН қате: бақылау цифры сәйкес келмейді."), "{}", r.body);
    assert!(r.body.contains("Сынып — 0-ден 11-ге дейінгі сан."));
    assert!(r.body.contains("value=\"Сейткали\""), "kept");
    assert!(r.body.contains(&format!("value=\"{bad}\"")));
    let mut fields = form(&good, "Сейткали", &s1, "asp", "4");
    fields.push(("birth_date", "02.03.2015"));
    let r = sch.post_form("/children/new", &fields).await;
    assert!(r.body.contains("Туған күні ЖСН-ге сәйкес келмейді."), "{}", r.body);
    let fields = form(&good, "Сейткали", &s1, "asp", "4");
    let r = sch.post_form("/children/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn one_child_one_record_across_the_country_and_transfers_move_it() {
    let w = World::new().await;
    campaign(&w).await;
    let (s1, s2, s4) = (w.school_s1.to_string(), w.school_s2.to_string(), w.school_s4.to_string());
    let child_iin = iin(3, true);
    let mut sch1 = w.app.signed_in("sch1", Role::SchoolCoordinator, w.school_s1).await;
    let id = add(&mut sch1, &form(&child_iin, "Бекова", &s1, "orphan", "2")).await;
    // Another school in another region: refused, the first school not named, a transfer offered.
    let mut sch4 = w.app.signed_in("sch4", Role::SchoolCoordinator, w.school_s4).await;
    let r = sch4.post_form("/children/new", &form(&child_iin, "Бекова", &s4, "orphan", "2")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("уже в списке другой школы"), "{}", r.body);
    assert!(!r.body.contains("Школа № 1"), "the other school is not named outside scope");
    // The district coordinator is told which school.
    let mut dis = w.app.signed_in("dis", Role::DistrictCoordinator, w.district_a1).await;
    let r = dis.post_form("/children/new", &form(&child_iin, "Бекова", &s2, "orphan", "2")).await;
    assert!(r.body.contains("Этот ребёнок уже в списке: Школа № 1."), "{}", r.body);
    // School 4 asks for a transfer; school 1 accepts it.
    let r = sch4.post_form("/children/transfer", &[("iin", &child_iin), ("school_id", &s4)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = sch1.get("/children/transfers").await;
    assert!(page.body.contains("Передать"), "{}", page.body);
    let transfer = db::children::pending_transfers(
        &w.app.db,
        &db::users::by_login(&w.app.db, "sch1").await.unwrap().unwrap().actor(),
    )
    .await
    .unwrap();
    assert_eq!(transfer.len(), 1);
    // School 4 cannot decide its own request.
    let r = sch4.post_form(&format!("/children/transfers/{}/accept", transfer[0].id), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = sch1.post_form(&format!("/children/transfers/{}/accept", transfer[0].id), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(sch4.get(&format!("/children/{id}")).await.status, StatusCode::OK);
    assert_eq!(sch1.get(&format!("/children/{id}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(audit_count(&w.app.db, "access_denied", "child", Some(id)).await, 2);
}

#[tokio::test]
async fn roles_without_the_right_to_personal_data_see_anonymised_records() {
    let w = World::new().await;
    campaign(&w).await;
    let s1 = w.school_s1.to_string();
    let child_iin = iin(4, false);
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let id = add(&mut sch, &form(&child_iin, "Жумабаев", &s1, "asp", "5")).await;
    let mut raid = w.app.signed_in("raid", Role::RaidMember, w.district_a1).await;
    let list = raid.get("/children").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("Жумабаев") && !list.body.contains(&child_iin), "{}", list.body);
    assert!(list.body.contains(&format!("D-{id:06}")));
    let card = raid.get(&format!("/children/{id}")).await;
    assert!(
        !card.body.contains("Жумабаев") && !card.body.contains(&child_iin) && !card.body.contains("Құрманғазы Гүлнар")
    );
    assert!(card.body.contains("Персональные данные скрыты"));
    assert_eq!(audit_count(&w.app.db, "read_personal", "child", Some(id)).await, 0);
    let mut sponsor = w.app.signed_in("spon", Role::Sponsor, w.region_a).await;
    assert_eq!(sponsor.get("/children").await.status, StatusCode::FORBIDDEN);
    assert_eq!(sponsor.get(&format!("/children/{id}")).await.status, StatusCode::FORBIDDEN);
    let export = raid.get("/children/export.xlsx").await;
    assert_eq!(export.status, StatusCode::OK);
}

#[tokio::test]
async fn an_export_is_logged_and_holds_the_filtered_list() {
    let w = World::new().await;
    campaign(&w).await;
    let s1 = w.school_s1.to_string();
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    for (i, cat) in [(5, "asp"), (6, "orphan"), (7, "asp")] {
        add(&mut sch, &form(&iin(i, false), "Оспанов", &s1, cat, "1")).await;
    }
    let r = sch.send(axum::http::Method::GET, "/children/export.xlsx?category=asp", None, vec![]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(audit_count(&w.app.db, "export_personal", "child", None).await, 1);
    let bytes = sch.get_bytes("/children/export.xlsx?category=asp").await;
    let table = app::org_import::read_table(&bytes).unwrap();
    assert_eq!(table.len(), 3, "header and two rows: {table:?}");
    assert_eq!(table[0][1], "ИИН");
    assert_eq!(audit_count(&w.app.db, "export_personal", "child", None).await, 2);
}

#[tokio::test]
async fn status_changes_keep_who_when_and_why() {
    let w = World::new().await;
    campaign(&w).await;
    let s1 = w.school_s1.to_string();
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let id = add(&mut sch, &form(&iin(8, true), "Ким", &s1, "asp", "1")).await;
    let r = sch.post_form(&format!("/children/{id}/status"), &[("status", "not_attending"), ("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Заполните поле «Причина»."), "{}", r.body);
    let r = sch
        .post_form(&format!("/children/{id}/status"), &[("status", "not_attending"), ("reason", "уехали на заработки")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let card = sch.get(&format!("/children/{id}")).await;
    assert!(card.body.contains("Не посещает школу: уехали на заработки"), "{}", card.body);
    assert!(card.body.contains("sch: Не посещает школу (уехали на заработки)"));
    assert!(card.body.contains("sch: Выявлен"));
}

#[tokio::test]
async fn the_social_passport_rolls_up_from_school_to_region() {
    let w = World::new().await;
    campaign(&w).await;
    let (s1, s2) = (w.school_s1.to_string(), w.school_s2.to_string());
    let mut dis = w.app.signed_in("dis", Role::DistrictCoordinator, w.district_a1).await;
    add(&mut dis, &form(&iin(9, true), "А", &s1, "asp", "1")).await;
    add(&mut dis, &form(&iin(10, true), "Б", &s1, "orphan", "1")).await;
    add(&mut dis, &form(&iin(11, true), "В", &s2, "asp", "4")).await;
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let actor = db::users::by_login(&w.app.db, "reg").await.unwrap().unwrap().actor();
    let c = db::campaigns::current(&w.app.db).await.unwrap().unwrap();
    let (_, total, rows) =
        db::passport::compute(&w.app.db, &actor, CampaignId(c.id), domain::OrgUnitId(w.region_a)).await.unwrap();
    assert_eq!(total.total, 3);
    assert_eq!(total.new_intake, 2);
    assert_eq!(total.by_category["asp"], 2);
    assert_eq!(total.needs_cost, 3 * 45_000 * 100);
    let a1 = rows.iter().find(|r| r.unit.id == w.district_a1).unwrap();
    assert_eq!(a1.passport.total, 3);
    let a2 = rows.iter().find(|r| r.unit.id == w.district_a2).unwrap();
    assert_eq!(a2.passport.total, 0);
    let page = reg.get(&format!("/passport/{}", w.region_a)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("135 000 ₸"), "{}", page.body);
    let xlsx = reg.get_bytes(&format!("/passport/{}/export.xlsx", w.region_a)).await;
    let table = app::org_import::read_table(&xlsx).unwrap();
    let last = table.last().unwrap();
    assert_eq!(last[0], "Итого");
    assert_eq!(last[1], "3");
    // A school coordinator cannot open the district's passport.
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    assert_eq!(sch.get(&format!("/passport/{}", w.district_a1)).await.status, StatusCode::FORBIDDEN);
    let own = sch.get(&format!("/passport/{}", w.school_s1)).await;
    assert!(own.body.contains("90 000 ₸"));
}

fn body(iin: &str, school: i64) -> serde_json::Value {
    json!({
        "school_id": school, "iin": iin, "surname": "Әбдірахман", "first_name": "Іңкәр", "grade": "1",
        "study_language": "kk", "categories": ["orphan"], "guardian_name": "Әбдірахман Сәуле",
        "consent_by": "legal_representative", "consent_method": "electronic", "consent_date": "2026-08-02",
        "source": "raid", "needs": [{ "item": "uniform", "size": "122", "cost": "25 000" }]
    })
}

#[tokio::test]
async fn children_through_the_api_follow_scope_anonymisation_and_audit() {
    let w = World::new().await;
    campaign(&w).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let r = sch.json(Method::POST, "/api/v1/children", body(&iin(70, true), w.school_s1)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let again = sch.json(Method::POST, "/api/v1/children", body(&iin(70, true), w.school_s1)).await;
    assert_eq!(again.json()["error"]["fields"][0]["code"], "already_registered", "{}", again.body);
    let bad = sch
        .json(
            Method::POST,
            "/api/v1/children",
            json!({ "school_id": w.school_s1, "iin": "821214240092", "grade": "14" }),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<_> = bad.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    assert!(fields.contains(&"iin_checksum".to_owned()) && fields.contains(&"grade_range".to_owned()), "{fields:?}");

    let card = sch.get(&format!("/api/v1/children/{id}")).await.json();
    assert_eq!(card["child"]["surname"], "Әбдірахман");
    assert_eq!(card["needs"][0]["cost"], 2_500_000);
    assert_eq!(audit_count(&w.app.db, "read_personal", "child", Some(id)).await, 1);

    let mut raid = w.app.signed_in("raid", Role::RaidMember, w.district_a1).await;
    let list = raid.get("/api/v1/children").await.json();
    assert_eq!(list["total"], 1);
    assert_eq!(list["rows"][0]["iin"], "");
    assert!(!list.to_string().contains("Әбдірахман"), "{list}");

    let mut far = w.app.signed_in("far", Role::SchoolCoordinator, w.school_s4).await;
    let r = far.get(&format!("/api/v1/children/{id}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(audit_count(&w.app.db, "access_denied", "child", Some(id)).await, 1);
    let r = far
        .json(Method::POST, &format!("/api/v1/children/{id}/status"), json!({ "status": "closed", "reason": "x" }))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(audit_count(&w.app.db, "access_denied", "child", Some(id)).await, 2, "a refused write is logged too");

    let r = sch.json(Method::POST, &format!("/api/v1/children/{id}/status"), json!({ "status": "verified" })).await;
    assert_eq!(r.json()["status"], "verified");
    let passport = sch.get(&format!("/api/v1/passport/{}", w.school_s1)).await.json();
    assert_eq!(passport["total"]["total"], 1);
    assert_eq!(passport["total"]["by_category"]["orphan"], 1);
}

#[tokio::test]
async fn campaigns_are_set_by_the_republic_and_norms_by_regions() {
    let w = World::new().await;
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let mut list = reg.get("/api/v1/children").await;
    assert_eq!(list.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(list.json()["error"]["fields"][0]["code"], "no_campaign");
    let c = json!({ "year": "2026", "starts_on": "01.08.2026", "ends_on": "30.09.2026", "motto_ru": "Добро", "motto_kk": "Игілік", "default_norm": "46 228" });
    assert_eq!(reg.json(Method::POST, "/api/v1/campaigns", c.clone()).await.status, StatusCode::FORBIDDEN);
    let mut rep = w.app.signed_in("rep", Role::RepublicCoordinator, w.republic).await;
    let created = rep.json(Method::POST, "/api/v1/campaigns", c.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    assert_eq!(rep.json(Method::POST, "/api/v1/campaigns", c).await.json()["error"]["fields"][0]["code"], "duplicate");
    let reversed = json!({ "year": "2027", "starts_on": "30.09.2027", "ends_on": "01.08.2027", "motto_ru": "x", "motto_kk": "y", "default_norm": "1196,448" });
    let fields: Vec<_> = rep.json(Method::POST, "/api/v1/campaigns", reversed).await.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["period_reversed", "amount_format"]);
    let r = reg
        .json(Method::PUT, &format!("/api/v1/campaigns/{id}/norms/{}", w.region_a), json!({ "cash_norm": "47 300" }))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = reg
        .json(Method::PUT, &format!("/api/v1/campaigns/{id}/norms/{}", w.region_b), json!({ "cash_norm": "50 000" }))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let c = db::campaigns::current(&w.app.db).await.unwrap().unwrap();
    assert_eq!(
        db::campaigns::norm_for(&w.app.db, &c, domain::OrgUnitId(w.region_a)).await.unwrap().to_string(),
        "47 300 ₸"
    );
    assert_eq!(
        db::campaigns::norm_for(&w.app.db, &c, domain::OrgUnitId(w.region_b)).await.unwrap().to_string(),
        "46 228 ₸"
    );
    list = reg.get("/api/v1/children").await;
    assert_eq!(list.status, StatusCode::OK);
}

#[tokio::test]
async fn an_import_through_the_api_reports_rows_and_fields() {
    let w = World::new().await;
    campaign(&w).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let csv = format!(
        "iin,surname,first_name,grade,study_language,categories,guardian_name,consent_by,consent_method,consent_date\n{},Ким,Мария,2,ru,asp,Ким Ольга,parent,written,01.08.2026\n123,Ким,Анна,2,ru,asp,Ким Ольга,parent,written,01.08.2026\n",
        iin(71, true)
    );
    let boundary = "bb";
    let mut payload = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"school_id\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n", w.school_s1).into_bytes();
    payload.extend_from_slice(csv.as_bytes());
    payload.extend_from_slice(b"\r\n--bb--\r\n");
    let r = sch.send(Method::POST, "/api/v1/children/import", Some("multipart/form-data; boundary=bb"), payload).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let mut job = serde_json::Value::Null;
    for _ in 0..400 {
        job = sch.get(&format!("/api/v1/children/import/{id}")).await.json();
        if job["running"] == false {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(job["running"], false);
    assert_eq!(job["error_count"], 1, "{job}");
    assert_eq!(job["errors"][0]["row"], 3);
    assert_eq!(job["errors"][0]["field"], "iin");
    assert_eq!(job["errors"][0]["code"], "iin_format");
    assert_eq!(job["errors"][0]["message"], "Строка 3: ИИН — это 12 цифр.");
}

#[tokio::test]
async fn a_region_narrows_its_list_by_district_and_every_row_names_its_school() {
    let w = World::new().await;
    campaign(&w).await;
    let (s1, s3) = (w.school_s1.to_string(), w.school_s3.to_string());
    let mut sch1 = w.app.signed_in("sch1", Role::SchoolCoordinator, w.school_s1).await;
    add(&mut sch1, &form(&iin(41, true), "Бекова", &s1, "orphan", "2")).await;
    let mut sch3 = w.app.signed_in("sch3", Role::SchoolCoordinator, w.school_s3).await;
    add(&mut sch3, &form(&iin(42, true), "Серікова", &s3, "orphan", "2")).await;
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let list = reg.get("/children").await;
    // The region picks among its districts (not every school of the region), each row its school.
    assert!(list.body.contains("Организация") && list.body.contains("г. Балхаш"), "{}", list.body);
    assert!(!list.body.contains(r#"<option value="{}""#.replace("{}", &s1).as_str()), "no school in the picker");
    let rows = crate::reports::strip_tags(&list.body);
    assert!(rows.contains("Школа № 1") && rows.contains("Школа № 3"), "{rows}");
    let one = reg.get(&format!("/children?unit={}", w.district_a2)).await;
    assert!(one.body.contains("Серікова") && !one.body.contains("Бекова"), "{}", one.body);
    // A district picks among its schools.
    let mut dis = w.app.signed_in("dis", Role::DistrictCoordinator, w.district_a1).await;
    let list = dis.get("/children").await;
    assert!(list.body.contains(&format!(r#"<option value="{s1}""#)), "{}", list.body);
}

/// Sixteen registrations of one IIN at once (two schools, both doors' API): one record, the
/// rest told the child is already registered, none a 500.
#[tokio::test]
async fn sixteen_registrations_of_one_iin_at_once_make_one_record_and_no_500() {
    let w = World::new().await;
    campaign(&w).await;
    let a = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let b = w.app.signed_in("sch2", Role::SchoolCoordinator, w.school_s2).await;
    let child = iin(71, false);
    let tries: Vec<_> = (0..16)
        .map(|i| {
            let (mut c, school) = if i % 2 == 0 { (a.clone(), w.school_s1) } else { (b.clone(), w.school_s2) };
            let body = body(&child, school);
            tokio::spawn(async move { c.json(Method::POST, "/api/v1/children", body).await })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tries {
        answers.push(t.await.unwrap());
    }
    let created = answers.iter().filter(|r| r.status == StatusCode::CREATED).count();
    assert_eq!(created, 1, "{:?}", answers.iter().map(|r| (r.status, r.body.clone())).collect::<Vec<_>>());
    for r in answers.iter().filter(|r| r.status != StatusCode::CREATED) {
        assert!(r.status.is_client_error(), "{} {}", r.status, r.body);
        assert_eq!(r.json()["error"]["fields"][0]["code"], "already_registered", "{}", r.body);
    }
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let stored = db::entity::child::Entity::find()
        .filter(db::entity::child::Column::Iin.eq(child.as_str()))
        .all(&w.app.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
}

/// A raid member re-identifies no one: no door gives a name, an IIN, categories, a full birth
/// date or the sex; a search is by the whole IIN only, answering whether the child is registered
/// and its code, and each lookup is in the audit log.
#[tokio::test]
async fn a_raid_member_learns_only_whether_an_iin_is_registered_and_its_code() {
    let w = World::new().await;
    campaign(&w).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let child_iin = iin(72, true);
    let r = sch.json(Method::POST, "/api/v1/children", body(&child_iin, w.school_s1)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let mut raid = w.app.signed_in("raid", Role::RaidMember, w.district_a1).await;
    let personal = |text: &str| {
        ["Әбдірахман", "Іңкәр", child_iin.as_str(), "orphan", "female", "Сәуле"]
            .iter()
            .filter(|p| text.contains(**p))
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
    };
    // The whole IIN: registered, and the code.
    let found = raid.get(&format!("/api/v1/children?q={child_iin}")).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    let j = found.json();
    assert_eq!(j["total"], 1);
    assert_eq!(j["rows"][0]["id"], id);
    assert_eq!(personal(&found.body), Vec::<String>::new(), "{}", found.body);
    assert_eq!(j["rows"][0]["categories"], json!([]));
    assert_eq!(j["rows"][0]["sex"], "");
    assert!(j["rows"][0]["birth_date"].as_str().unwrap_or_default().ends_with("01-01"), "{j}");
    let missing = raid.get(&format!("/api/v1/children?q={}", iin(73, false))).await.json();
    assert_eq!(missing["total"], 0, "not registered: {missing}");
    assert_eq!(audit_count(&w.app.db, "lookup_iin", "child", Some(id)).await, 1);
    assert_eq!(audit_count(&w.app.db, "lookup_iin", "child", None).await, 2, "a miss is logged too");
    // Anything that could pick a child out by a personal detail is refused, in words.
    let prefix = &child_iin[..6];
    for (query, field, code) in [
        ("q=%D3%98%D0%B1%D0%B4", "q", "iin_only"),
        (&format!("q={prefix}") as &str, "q", "iin_only"),
        ("category=orphan", "category", "personal_filter"),
        ("need=uniform", "need", "personal_filter"),
    ] {
        let r = raid.get(&format!("/api/v1/children?{query}")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", r.body);
        assert_eq!(r.json()["error"]["fields"][0]["field"], field, "{query}");
        assert_eq!(r.json()["error"]["fields"][0]["code"], code, "{query}");
        let page = raid.get(&format!("/children?{query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{query}");
        // (The page repeats what was typed in its links, a category's code among it.)
        let named = personal(&page.body).into_iter().filter(|p| !["orphan", "female"].contains(&p.as_str()));
        assert_eq!(named.collect::<Vec<_>>(), Vec::<String>::new(), "{query}");
        let export = raid.get(&format!("/children/export.xlsx?{query}")).await;
        assert!(export.status.is_client_error(), "{query}: {}", export.status);
    }
    assert!(raid.get("/children?q=%D3%98%D0%B1%D0%B4").await.body.contains("введите ИИН целиком"));
    // The list, the card and the export: the code, the grade, the status, the school.
    let paths = ["/api/v1/children".to_owned(), format!("/api/v1/children/{id}"), "/children".to_owned()];
    for path in paths.into_iter().chain([format!("/children/{id}")]) {
        let r = raid.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(personal(&r.body), Vec::<String>::new(), "{path}: {}", r.body);
    }
    let xlsx = raid.get_bytes("/children/export.xlsx").await;
    let table = app::org_import::read_table(&xlsx).unwrap();
    let text = format!("{table:?}");
    assert_eq!(personal(&text), Vec::<String>::new(), "{text}");
    assert!(!text.contains("Сирота") && !text.contains("Женский") && !text.contains("Пол"), "{text}");
    // A coordinator still searches by surname and sees the categories.
    let list = sch.get("/api/v1/children?q=%D3%98%D0%B1%D0%B4").await.json();
    assert_eq!(list["rows"][0]["categories"], json!(["orphan"]));
}

async fn import_csv(c: &mut Client, school: i64, csv: &str) -> serde_json::Value {
    let mut payload = format!("--bb\r\nContent-Disposition: form-data; name=\"school_id\"\r\n\r\n{school}\r\n--bb\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n").into_bytes();
    payload.extend_from_slice(csv.as_bytes());
    payload.extend_from_slice(b"\r\n--bb--\r\n");
    let r = c.send(Method::POST, "/api/v1/children/import", Some("multipart/form-data; boundary=bb"), payload).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    for _ in 0..400 {
        let job = c.get(&format!("/api/v1/children/import/{id}")).await.json();
        if job["running"] == false {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the import did not finish");
}

/// A pupil's age on 1 September must fit school (5–21) and, unless the school confirms it, the
/// grade (within two years of its usual age): on the form, the API and an import alike.
#[tokio::test]
async fn an_age_outside_school_is_refused_and_an_unusual_one_is_taken_once_confirmed() {
    let w = World::new().await;
    campaign(&w).await;
    let s1 = w.school_s1.to_string();
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    // Born 12.02.1976 (the IIN from the field): refused as a pupil of grade 3, whatever is ticked.
    let adult = serde_json::json!({
        "school_id": w.school_s1, "iin": "760212350620", "surname": "Ахметов", "first_name": "Ерлан",
        "grade": "3", "study_language": "kk", "categories": ["asp"], "guardian_name": "Ахметова Г.",
        "consent_by": "parent", "consent_method": "written", "consent_date": "01.08.2026",
        "source": "school_list", "age_confirmed": true
    });
    let r = sch.json(Method::POST, "/api/v1/children", adult).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let field = &r.json()["error"]["fields"][0];
    assert_eq!(
        (field["field"].as_str(), field["code"].as_str()),
        (Some("iin"), Some("age_out_of_school")),
        "{}",
        r.body
    );
    let year = chrono::Datelike::year(&domain::child::age::school_year_start(domain::calendar::today()));
    let age = i64::from(year) - 1976;
    assert!(field["message"].as_str().unwrap().contains(&format!("{age} лет")), "{}", r.body);

    // Eight in grade 7 (usually twelve): the form asks to confirm, keeps what was typed, then takes it.
    let late = iin(181, true);
    let mut fields = form(&late, "Серикова", &s1, "asp", "7");
    let r = sch.post_form("/children/new", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains(r#"name="age_confirmed""#),
        "the box to confirm is offered: {:?}",
        crate::support::alert_messages(&r.body)
    );
    assert!(r.body.contains(r#"value="Серикова""#), "what was typed is kept");
    let messages = crate::support::alert_messages(&r.body);
    assert!(messages.iter().any(|m| m.contains("8 лет") && m.contains("Возраст подтверждён")), "{messages:?}");
    fields.push(("age_confirmed", "1"));
    let id = add(&mut sch, &fields).await;
    let edit = sch.get(&format!("/children/{id}/edit")).await;
    assert!(edit.body.contains(r#"name="age_confirmed" value="1" checked"#), "the stored record shows it confirmed");

    // The API and an import the same way: refused unconfirmed (naming the row), taken with «да».
    let mut api = serde_json::json!({
        "school_id": w.school_s1, "iin": iin(182, false), "surname": "Ким", "first_name": "Олег",
        "grade": "9", "study_language": "ru", "categories": ["asp"], "guardian_name": "Ким О.",
        "consent_by": "parent", "consent_method": "written", "consent_date": "01.08.2026", "source": "school_list"
    });
    let r = sch.json(Method::POST, "/api/v1/children", api.clone()).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "age_unusual", "{}", r.body);
    api["age_confirmed"] = serde_json::json!(true);
    assert_eq!(sch.json(Method::POST, "/api/v1/children", api).await.status, StatusCode::CREATED);
    let head = "iin,surname,first_name,grade,age_confirmed,study_language,categories,guardian_name,consent_by,consent_method,consent_date";
    let row = |n: u32, confirmed: &str| {
        format!("{},Ким,Мария,10,{confirmed},ru,asp,Ким Ольга,parent,written,01.08.2026", iin(n, true))
    };
    let job = import_csv(&mut sch, w.school_s1, &format!("{head}\n{}\n{}\n", row(183, "да"), row(184, ""))).await;
    assert_eq!(job["error_count"], 1, "{job}");
    assert_eq!(
        (job["errors"][0]["row"].as_i64(), job["errors"][0]["code"].as_str()),
        (Some(3), Some("age_unusual")),
        "{job}"
    );
    let job = import_csv(&mut sch, w.school_s1, &format!("{head}\n{}\n{}\n", row(183, "да"), row(184, "иә"))).await;
    assert_eq!(job["error_count"], 0, "{job}");
}
