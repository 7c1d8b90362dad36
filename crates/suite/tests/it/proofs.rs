//! Proof of purchase, the checks that protect the money, sponsor self-registration and the
//! thank-you letter, on both databases.

use axum::http::{Method, StatusCode};
use domain::aid::{EntryInput, EntryStatus};
use domain::{ChildId, EntryId, HoldId, NeedId, OrgUnitId, Role};

use crate::aid::{cash, code, setup};
use crate::support::{PASSWORD, audit_count};

pub(crate) const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn ledger_rows(db: &db::Db) -> usize {
    use sea_orm::EntityTrait;
    db::entity::ledger_entry::Entity::find().all(db).await.unwrap().len()
}

#[tokio::test]
async fn cash_is_confirmed_only_by_an_accepted_proof_and_bad_files_are_refused() {
    let s = setup(2, 5).await;
    let db = &s.w.app.db;
    let paid = db::ledger::record(db, &s.school, &s.c, ChildId(s.children[0]), &cash("46 228"), EntryStatus::Delivered)
        .await
        .unwrap();
    let planned =
        db::ledger::record(db, &s.school, &s.c, ChildId(s.children[1]), &cash("46 228"), EntryStatus::Planned)
            .await
            .unwrap();
    // Cash is never confirmed by hand.
    let e = db::ledger::set_status(db, &s.school, EntryId(paid.id), EntryStatus::Confirmed).await.unwrap_err();
    assert_eq!(code(e), "proof_required");

    let mut sch = s.w.app.client();
    sch.post_form("/login", &[("login", "sch"), ("password", PASSWORD)]).await;
    let api = format!("/api/v1/aid/{}/proofs", paid.id);
    // Not an image or PDF (an HTML page named .jpg), empty, too large: each a clear message.
    let r = sch.upload(&api, "receipt.jpg", b"<html><script>alert(1)</script></html>").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "file_type", "{}", r.body);
    let r = sch.upload(&api, "empty.pdf", b"").await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "file_empty", "{}", r.body);
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(1024 * 1024 + 10, b'0');
    let r = sch.upload(&api, "big.pdf", &big).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "proof_too_large", "{}", r.body);
    assert!(r.json()["error"]["fields"][0]["message"].as_str().unwrap().contains("1 МБ"), "{}", r.body);
    // A plan has not been paid: no proof yet.
    let r = sch.upload(&format!("/api/v1/aid/{}/proofs", planned.id), "r.png", PNG).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "proof_not_paid", "{}", r.body);
    let kept = std::fs::read_dir(s.w.app.uploads.path().join("proofs"))
        .map(|months| months.flatten().flat_map(|m| std::fs::read_dir(m.path()).unwrap()).count())
        .unwrap_or(0);
    assert_eq!(kept, 0, "no refused file is left behind");

    // A real photo is kept, typed by its bytes, hashed.
    let r = sch.upload(&api, "чек.png", PNG).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let proof = r.json();
    assert_eq!(proof["content_type"], "image/png");
    assert_eq!(proof["file_name"], "чек.png");
    assert_eq!(proof["status"], "uploaded");
    let id = proof["id"].as_i64().unwrap();
    // The file comes back to the school (logged), never to another school.
    let file = sch.get(&format!("/proofs/{id}")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers.get("content-type").unwrap(), "image/png");
    assert_eq!(sch.get_bytes(&format!("/api/v1/proofs/{id}/file")).await, PNG);
    assert_eq!(audit_count(db, "read_personal", "proof", Some(id)).await, 2);
    let mut other = s.w.app.signed_in("other", Role::SchoolCoordinator, s.w.school_s2).await;
    let r = other.get(&format!("/api/v1/proofs/{id}/file")).await;
    assert!(matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", r.status);
    let r = other
        .json(Method::POST, &format!("/api/v1/proofs/{id}/decision"), serde_json::json!({"decision": "confirm"}))
        .await;
    assert!(matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", r.status);

    // The account that uploaded the receipt cannot accept it itself, on the API or the page
    // (the card offers it no buttons and says who decides); another account of the school can.
    let r = sch
        .json(Method::POST, &format!("/api/v1/proofs/{id}/decision"), serde_json::json!({"decision": "confirm"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "proof_own", "{}", r.body);
    assert!(r.json()["error"]["fields"][0]["message"].as_str().unwrap().contains("другой сотрудник"), "{}", r.body);
    let card = sch.get(&format!("/children/{}", s.children[0])).await;
    assert!(!card.body.contains(&format!("/proofs/{id}/decide")), "no buttons for one's own upload");
    assert!(card.body.contains("ждёт решения другого сотрудника"), "{}", card.body);
    let r = sch.post_form(&format!("/proofs/{id}/decide"), &[("decision", "confirm")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(crate::support::alert_messages(&r.body).iter().any(|m| m.contains("другой сотрудник")), "{}", r.body);
    let proof_row = db::proofs::for_child(db, &s.school, ChildId(s.children[0])).await.unwrap();
    assert_eq!(proof_row[0].status, "uploaded", "nothing decided");
    let mut deputy = s.w.app.signed_in("deputy", Role::SchoolCoordinator, s.w.school_s1).await;

    // Rejected needs a reason; a second proof is confirmed and confirms the payment.
    let r = deputy
        .json(Method::POST, &format!("/api/v1/proofs/{id}/decision"), serde_json::json!({"decision": "reject"}))
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "required", "{}", r.body);
    let r = deputy
        .json(
            Method::POST,
            &format!("/api/v1/proofs/{id}/decision"),
            serde_json::json!({"decision": "reject", "reason": "Чек не читается"}),
        )
        .await;
    assert_eq!(r.json()["status"], "rejected", "{}", r.body);
    let r = deputy
        .json(Method::POST, &format!("/api/v1/proofs/{id}/decision"), serde_json::json!({"decision": "confirm"}))
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "proof_decided", "{}", r.body);
    let second = sch.upload(&api, "receipt.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n").await.json();
    assert_eq!(second["content_type"], "application/pdf");
    // In the pages: the card lists both and the deputy accepts the second.
    let card = deputy.get(&format!("/children/{}", s.children[0])).await;
    assert!(card.body.contains("Чек не читается") && card.body.contains("receipt.pdf"), "{}", card.body);
    assert!(card.body.contains(&format!("/proofs/{}/decide", second["id"])), "the deputy is offered the decision");
    let r = deputy.post_form(&format!("/proofs/{}/decide", second["id"]), &[("decision", "confirm")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let entries = db::ledger::for_child(db, &s.school, ChildId(s.children[0])).await.unwrap();
    assert_eq!(entries[0].status, "confirmed");
}

#[tokio::test]
async fn checks_list_unproven_cash_stale_plans_and_aid_above_need_which_needs_a_reason() {
    let s = setup(3, 10).await;
    let db = &s.w.app.db;
    // Paid on 15.08.2026; proofs are due within the campaign's 30 days.
    let paid = db::ledger::record(db, &s.school, &s.c, ChildId(s.children[0]), &cash("46 228"), EntryStatus::Delivered)
        .await
        .unwrap();
    db::ledger::record(db, &s.school, &s.c, ChildId(s.children[1]), &cash("46 228"), EntryStatus::Planned)
        .await
        .unwrap();
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%d.%m.%Y").unwrap();
    let early = db::checks::run(db, &s.school, &s.c, day("25.08.2026")).await.unwrap();
    assert!(early.unproven_cash.is_empty() && early.undelivered.is_empty(), "nothing is late yet");
    let late = db::checks::run(db, &s.school, &s.c, day("20.09.2026")).await.unwrap();
    assert_eq!(late.unproven_cash.len(), 1);
    assert_eq!(late.unproven_cash[0].entry.id, paid.id);
    assert_eq!(late.unproven_cash[0].days_over, 6);
    assert_eq!(late.undelivered.len(), 1, "a plan 36 days old, beyond the 14 days");
    // Other schools' coordinators see none of it.
    s.w.app.user("other", Role::SchoolCoordinator, s.w.school_s2).await;
    let other = db::users::by_login(db, "other").await.unwrap().unwrap().actor();
    let theirs = db::checks::run(db, &other, &s.c, day("20.09.2026")).await.unwrap();
    assert!(theirs.unproven_cash.is_empty() && theirs.undelivered.is_empty());

    // Above the need (the region's norm here: no needs recorded): refused without a reason,
    // and the ledger unchanged; accepted with one, and listed with it.
    let rows = ledger_rows(db).await;
    let extra = EntryInput {
        source: "fair".into(),
        form: "goods".into(),
        amount: "15 000".into(),
        date: "20.08.2026".into(),
        ..Default::default()
    };
    let e = db::ledger::record(
        db,
        &s.school,
        &s.c,
        ChildId(s.children[0]),
        &extra.parse().unwrap(),
        EntryStatus::Delivered,
    )
    .await
    .unwrap_err();
    assert_eq!(code(e), "above_need");
    assert_eq!(ledger_rows(db).await, rows, "a refused entry leaves nothing");
    let mut sch = s.w.app.client();
    sch.post_form("/login", &[("login", "sch"), ("password", PASSWORD)]).await;
    let form =
        [("source", "fair"), ("form", "goods"), ("amount", "15 000"), ("date", "20.08.2026"), ("delivered", "1")];
    let r = sch.post_form(&format!("/children/{}/aid", s.children[0]), &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Помощь превысит потребность ребёнка (46228 ₸")
            || r.body.contains("Помощь превысит потребность ребёнка"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"15 000\""), "the form keeps what was typed");
    let mut with_reason = form.to_vec();
    with_reason.push(("above_need_reason", "Ярмарка собрала на зимнюю куртку"));
    let r = sch.post_form(&format!("/children/{}/aid", s.children[0]), &with_reason).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let checks = sch.get("/api/v1/checks").await.json();
    assert_eq!(checks["above_need"][0]["child_id"], s.children[0]);
    assert_eq!(checks["above_need"][0]["given"], 4_622_800 + 1_500_000);
    assert_eq!(checks["above_need"][0]["reasons"][0], "Ярмарка собрала на зимнюю куртку");
    let page = sch.get("/checks").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Ярмарка собрала на зимнюю куртку"), "{}", page.body);
    // The republic finds the same child the same way (its list walks the campaign's help rows
    // above their needs' cost, not a scope's children), with the same need and reason.
    let mut rep = s.w.app.signed_in("rep", Role::RepublicCoordinator, s.w.republic).await;
    let national = rep.get("/api/v1/checks").await.json();
    assert_eq!(national["above_need"], checks["above_need"], "{national}");
    // A norm raised above what was given takes the child off both lists.
    let raised = domain::format::Tenge(4_622_800 + 1_500_000);
    let rep_actor = db::users::by_login(db, "rep").await.unwrap().unwrap().actor();
    let campaign = domain::CampaignId(s.c.id);
    db::campaigns::set_norm(db, &rep_actor, campaign, OrgUnitId(s.w.region_a), raised).await.unwrap();
    assert_eq!(sch.get("/api/v1/checks").await.json()["above_need"], serde_json::json!([]));
    assert_eq!(rep.get("/api/v1/checks").await.json()["above_need"], serde_json::json!([]));
    // The deadlines are the campaign's: only the republic sets them, within 1..=365.
    let path = format!("/api/v1/campaigns/{}/deadlines", s.c.id);
    let r = rep.json(Method::PUT, &path, serde_json::json!({"proof_days": 0, "pledge_days": 400})).await;
    assert_eq!(r.json()["error"]["fields"].as_array().unwrap().len(), 2, "{}", r.body);
    let r = rep.json(Method::PUT, &path, serde_json::json!({"proof_days": 60, "pledge_days": 60})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let c = db::campaigns::current(db).await.unwrap().unwrap();
    let relaxed = db::checks::run(db, &s.school, &c, day("20.09.2026")).await.unwrap();
    assert!(relaxed.unproven_cash.is_empty() && relaxed.undelivered.is_empty());
    let r = sch.json(Method::PUT, &path, serde_json::json!({"proof_days": 1, "pledge_days": 1})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_sponsor_registers_itself_signs_in_only_once_its_region_approves_and_gets_a_letter() {
    let s = setup(1, 2).await;
    let db = &s.w.app.db;
    let mut visitor = s.w.app.client();
    let page = visitor.get("/sponsors/apply").await;
    assert_eq!(page.status, StatusCode::OK);
    let mut form = vec![
        ("kind", "company"),
        ("name", "ТОО «Балқаш Нан»"),
        ("bin_iin", "940140000386"),
        ("region_id", ""),
        ("phone", ""),
        ("email", ""),
        ("full_name", "Серік Нұрланұлы"),
        ("password", "Нан-2026-тамыз"),
    ];
    // The region is not preset: it must be chosen; a way to answer is asked for.
    assert!(page.body.contains(r#"<option value="">— выберите область —</option>"#), "{}", page.body);
    let r = visitor.post_form("/sponsors/apply", &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let messages = crate::support::alert_messages(&r.body);
    assert!(messages.iter().any(|m| m.contains("Область")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("телефон или электронную почту")), "{messages:?}");
    let region = s.w.region_a.to_string();
    form[3].1 = &region;
    form[5].1 = "nan.balkash@mail";
    let r = visitor.post_form("/sponsors/apply", &form).await;
    assert!(r.body.contains("id=\"email-error\""), "{}", r.body);
    form[5].1 = "Nan.Balkash@mail.kz";
    form[4].1 = "8 (710) 364-12-34";
    // A BIN with a wrong check digit: named, and everything else kept.
    let r = visitor.post_form("/sponsors/apply", &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"bin_iin-error\""), "{}", r.body);
    assert!(r.body.contains("Nan.Balkash@mail.kz"), "{}", r.body);
    assert!(r.body.contains("ТОО «Балқаш Нан»") && r.body.contains("Серік Нұрланұлы"), "{}", r.body);
    form[2].1 = "940140000385";
    let r = visitor.post_form("/sponsors/apply", &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("id=\"applied\""));
    // The account's login is given, not chosen, and shown once the application is sent.
    let login = given_login(&r.body);
    // Not yet: the account waits for the region.
    let mut sp = s.w.app.client();
    // With the right password the sponsor is told its application waits (not a wrong
    // password, which would walk it into the lockout); a wrong password learns nothing.
    let r = sp.post_form("/login", &[("login", &login), ("password", "Нан-2026-тамыз")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("ещё рассматривает координатор области"), "{}", r.body);
    let r = sp.post_form("/login", &[("login", &login), ("password", "Не-тот-пароль-2026")]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(!r.body.contains("рассматривает"), "{}", r.body);
    let pending = db::sponsors::by_bin_iin(db, "940140000385").await.unwrap().unwrap();
    assert!(!pending.approved && pending.self_registered);
    assert_eq!(
        (pending.email.as_deref(), pending.phone.as_deref()),
        (Some("nan.balkash@mail.kz"), Some("+77103641234"))
    );
    // Had the region turned it down, the sponsor would be told so.
    use sea_orm::ConnectionTrait;
    db.execute_unprepared(&format!("UPDATE sponsors SET rejected = true WHERE id = {}", pending.id)).await.unwrap();
    let r = sp.post_form("/login", &[("login", &login), ("password", "Нан-2026-тамыз")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("отклонил заявку"), "{}", r.body);
    db.execute_unprepared(&format!("UPDATE sponsors SET rejected = false WHERE id = {}", pending.id)).await.unwrap();
    // Another region's coordinator cannot decide; this region's can, once.
    let mut other = s.w.app.signed_in("regb", Role::RegionCoordinator, s.w.region_b).await;
    let path = format!("/api/v1/sponsors/{}/decision", pending.id);
    let r = other.json(Method::POST, &path, serde_json::json!({"approve": true})).await;
    assert!(matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", r.status);
    let mut rega = s.w.app.signed_in("rega", Role::RegionCoordinator, s.w.region_a).await;
    let list = rega.get("/sponsors").await;
    assert!(list.body.contains("ждёт подтверждения"), "{}", list.body);
    let r = rega.post_form(&format!("/sponsors/{}/decide", pending.id), &[("decision", "approve")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = rega.json(Method::POST, &path, serde_json::json!({"approve": false})).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "sponsor_decided", "{}", r.body);
    assert_eq!(audit_count(db, "approve", "sponsor", Some(pending.id)).await, 1);
    let r = sp.post_form("/login", &[("login", &login), ("password", "Нан-2026-тамыз")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "approved: the sponsor signs in");

    // The sponsor helps a child (the school records it) and downloads its report and letter.
    let sponsor = db::users::by_login(db, &login).await.unwrap().unwrap().actor();
    let c = &s.c;
    let input = domain::child::ChildInput {
        iin: crate::children::iin(190, true),
        surname: "Ахметова".into(),
        first_name: "Айгерим".into(),
        grade: "2".into(),
        study_language: "kk".into(),
        categories: vec!["large_family".into()],
        guardian_name: "Ахметова Сауле".into(),
        consent_by: "parent".into(),
        consent_method: "written".into(),
        consent_date: "01.08.2026".into(),
        source: "school_list".into(),
        needs: vec![domain::child::NeedInput { item: "backpack".into(), cost: "20 000".into(), ..Default::default() }],
        ..Default::default()
    };
    let child = db::children::create(db, &s.school, c, OrgUnitId(s.w.school_s1), &input.parse(c.starts_on).unwrap())
        .await
        .unwrap();
    let need = db::children::card(db, &s.school, ChildId(child.id)).await.unwrap().needs[0].id;
    let hold = db::sponsors::reserve(db, &sponsor, NeedId(need)).await.unwrap();
    db::sponsors::deliver(db, &sponsor, HoldId(hold.id), chrono::NaiveDate::from_ymd_opt(2026, 8, 20).unwrap())
        .await
        .unwrap();
    // Nothing in the report until the school confirms it received the goods.
    assert_eq!(sp.get("/api/v1/sponsor/report").await.json()["children"], 0);
    db::sponsors::confirm(db, &s.school, HoldId(hold.id), true).await.unwrap();
    let report = sp.get("/api/v1/sponsor/report").await.json();
    assert_eq!(report["children"], 1);
    assert_eq!(report["total"], 2_000_000);
    let text = serde_json::to_string(&report).unwrap();
    assert!(!text.contains("Ахметова") && !text.contains("Айгерим"), "no names in the report: {text}");
    let page = sp.get("/sponsor/report").await;
    assert!(page.body.contains("20 000 ₸") && !page.body.contains("Ахметова"), "{}", page.body);
    let letter = sp.get_bytes("/sponsor/letter.pdf").await;
    assert!(letter.starts_with(b"%PDF-"));
    let text = crate::support::pdf_text(&letter);
    assert!(text.contains("ТОО «Балқаш Нан»"), "{text}");
    assert!(text.contains("1 ребёнку") && text.contains("20 000 ₸"), "{text}");
    assert!(!text.contains("Ахметова") && !text.contains("Айгерим"), "no child is named: {text}");
    // In Kazakh too, with its letters intact.
    sp.post_form("/lang", &[("lang", "kk")]).await;
    let text = crate::support::pdf_text(&sp.get_bytes("/sponsor/letter.pdf").await);
    assert!(text.contains("Алғыс хат") && text.contains("Мектепке жол"), "{text}");
}

/// The login shown on the page after an application is sent.
pub fn given_login(body: &str) -> String {
    let start = body.find("id=\"given-login\">").expect("the given login is shown") + "id=\"given-login\">".len();
    let end = start + body[start..].find('<').unwrap();
    body[start..end].to_owned()
}
