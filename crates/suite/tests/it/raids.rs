//! Raids and the children they find: planned by a coordinator with the raid members assigned,
//! each member seeing only its raids; findings keyed by the phone's id, so a retry or a batch
//! sent five times leaves one copy; linked to the registry by the exact IIN without telling a
//! raid member which school; a change made offline to a finding changed meanwhile kept as a
//! conflict for a coordinator; and the field page, with and without its script.

use axum::http::{Method, StatusCode};
use domain::Role;
use serde_json::{Value, json};

use crate::World;
use crate::children::{campaign, iin};
use crate::support::{Client, api_messages, audit_count};

struct Raids {
    w: World,
    dist: Client,
    member: Client,
    member_id: i64,
}

async fn world() -> Raids {
    let w = World::new().await;
    campaign(&w).await;
    let dist = w.app.signed_in("dist", Role::DistrictCoordinator, w.district_a1).await;
    let member_id = w.app.user("police1", Role::RaidMember, w.district_a1).await;
    let mut member = w.app.client();
    let r = member.post_form("/login", &[("login", "police1"), ("password", crate::support::PASSWORD)]).await;
    assert_eq!(r.location(), "/", "{}", r.body);
    Raids { w, dist, member, member_id }
}

fn raid_body(unit: i64, date: &str, members: &[i64]) -> Value {
    json!({
        "unit_id": unit,
        "raid": {
            "date": date,
            "starts_at": "18:30",
            "places": [{"kind": "computer_club", "address": "ул. Ленина, 5"}, {"kind": "station", "address": ""}],
            "participants": [{"kind": "police", "count": "2"}, {"kind": "teacher", "count": "3"}],
            "note": "Вечерний рейд"
        },
        "members": members,
    })
}

async fn new_raid(c: &mut Client, unit: i64, members: &[i64]) -> i64 {
    let r = c.json(Method::POST, "/api/v1/raids", raid_body(unit, "01.09.2026", members)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

fn finding(client_id: &str, iin: &str, action: &str) -> Value {
    json!({
        "client_id": client_id,
        "iin": iin,
        "name": if iin.is_empty() { "" } else { "Асанов Нурлан" },
        "sex": if iin.is_empty() { "male" } else { "" },
        "age": if iin.is_empty() { "12" } else { "" },
        "place": "computer_club",
        "address": "ул. Ленина, 5",
        "found_at": "21:40",
        "circumstances": "Играл в компьютерном клубе в учебное время",
        "action": action,
    })
}

const ID1: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
const ID2: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const ID3: &str = "16fd2706-8baf-433b-82eb-8c7fada847da";

async fn findings_count(w: &World) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    db::entity::raid_finding::Entity::find().count(&w.app.db).await.unwrap()
}

#[tokio::test]
async fn a_coordinator_plans_a_raid_and_a_member_sees_only_the_raids_it_is_assigned_to() {
    let Raids { w, mut dist, mut member, member_id } = world().await;
    let mine = new_raid(&mut dist, w.district_a1, &[member_id]).await;
    let other = new_raid(&mut dist, w.school_s1, &[]).await;
    let r = dist.get(&format!("/api/v1/raids/{mine}")).await.json();
    assert_eq!(r["places"].as_array().unwrap().len(), 2);
    assert_eq!(r["participants"], json!([["police", 2], ["teacher", 3]]));
    assert_eq!(r["members"], json!([[member_id, "police1"]]));
    assert_eq!(r["starts_at"], "18:30");

    // The district sees both, newest first by day; the member only its own.
    let listed = dist.get("/api/v1/raids").await.json();
    assert_eq!(listed["rows"].as_array().unwrap().len(), 2, "{listed}");
    let listed = member.get("/api/v1/raids").await.json();
    let ids: Vec<i64> = listed["rows"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![mine]);
    assert_eq!(member.get(&format!("/api/v1/raids/{other}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(member.get(&format!("/raids/{other}/field")).await.status, StatusCode::NOT_FOUND);
    let page = member.get("/raids").await;
    assert!(page.body.contains(&format!("/raids/{mine}/field")) && !page.body.contains(&format!("/raids/{other}\"")));
    // A raid member may not plan raids; another region's coordinator cannot see this one.
    let r = member.json(Method::POST, "/api/v1/raids", raid_body(w.district_a1, "01.09.2026", &[])).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut far = w.app.signed_in("farreg", Role::RegionCoordinator, w.region_b).await;
    assert_eq!(far.get(&format!("/api/v1/raids/{mine}")).await.status, StatusCode::FORBIDDEN);
    assert!(far.get("/api/v1/raids").await.json()["rows"].as_array().unwrap().is_empty());

    // Bad input: no places, a count out of range, a member of another region; each named.
    let far_member = w.app.user("police2", Role::RaidMember, w.district_b1).await;
    let mut body = raid_body(w.district_a1, "32.09.2026", &[far_member]);
    body["raid"]["places"] = json!([]);
    body["raid"]["participants"] = json!([{"kind": "police", "count": "9000"}]);
    let r = dist.json(Method::POST, "/api/v1/raids", body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let fields_owned: Vec<String> = r.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert!(fields_owned.contains(&"date".to_owned()), "{fields_owned:?}");
    assert!(fields_owned.contains(&"participants.0.count".to_owned()), "{fields_owned:?}");
    let r = dist.json(Method::POST, "/api/v1/raids", raid_body(w.district_a1, "01.09.2026", &[far_member])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "not_raid_member");

    // A change names the version it was made on; a stale one is refused.
    let mut change = raid_body(w.district_a1, "02.09.2026", &[member_id]);
    change["version"] = json!(1);
    let r = dist.json(Method::PUT, &format!("/api/v1/raids/{mine}"), change.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    let r = dist.json(Method::PUT, &format!("/api/v1/raids/{mine}"), change).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "stale_version");
    assert_eq!(audit_count(&w.app.db, "update", "raid", Some(mine)).await, 1);
}

#[tokio::test]
async fn a_finding_sent_again_or_in_a_batch_sent_five_times_is_one_finding() {
    let Raids { w, mut dist, mut member, member_id } = world().await;
    let raid = new_raid(&mut dist, w.district_a1, &[member_id]).await;
    let path = format!("/api/v1/raids/{raid}/findings");
    let r = member.json(Method::POST, &path, json!({ "finding": finding(ID1, "", "taken_home") })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    for _ in 0..4 {
        let r = member.json(Method::POST, &path, json!({ "finding": finding(ID1, "", "taken_home") })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["version"], 1);
    }
    assert_eq!(findings_count(&w).await, 1);

    let items: Vec<Value> = [ID1, ID2, ID3]
        .iter()
        .map(|id| json!({ "raid_id": raid, "finding": finding(id, "", "taken_to_school") }))
        .collect();
    for round in 0..5 {
        let r = member.json(Method::POST, "/api/v1/sync", json!({ "items": items })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let states: Vec<String> =
            r.json()["results"].as_array().unwrap().iter().map(|x| x["state"].as_str().unwrap().to_owned()).collect();
        assert_eq!(states, ["saved", "saved", "saved"], "round {round}: {}", r.body);
    }
    assert_eq!(findings_count(&w).await, 3);
    // The first finding was changed by the batch (its action), once: version 2, not 6.
    let listed = member.get(&path).await.json();
    let first = listed.as_array().unwrap().iter().find(|f| f["client_id"] == ID1).unwrap().clone();
    assert_eq!((first["action"].as_str(), first["version"].as_i64()), (Some("taken_to_school"), Some(2)));

    // One bad record is refused with its reason in the user's language; the others go in.
    let bad = json!({ "raid_id": raid, "finding": finding("not-a-uuid", "", "taken_home") });
    let unknown =
        json!({ "raid_id": raid + 100, "finding": finding("6ba7b810-9dad-41d1-80b4-00c04fd430c8", "", "kdn") });
    let good = json!({ "raid_id": raid, "finding": finding("6ba7b811-9dad-41d1-80b4-00c04fd430c8", "", "kdn") });
    let r = member.json(Method::POST, "/api/v1/sync", json!({ "items": [bad, unknown, good] })).await;
    let results = r.json()["results"].as_array().unwrap().clone();
    assert_eq!(results[0]["state"], "refused");
    assert_eq!(results[0]["error"]["fields"][0]["field"], "client_id");
    assert!(results[0]["error"]["fields"][0]["message"].as_str().unwrap().contains("UUID"), "{results:?}");
    assert_eq!(
        (results[1]["state"].as_str(), results[1]["error"]["code"].as_str()),
        (Some("refused"), Some("not_found"))
    );
    assert_eq!(results[2]["state"], "saved");
    assert_eq!(findings_count(&w).await, 4);

    // An id already taken by another raid's finding is refused, not merged.
    let second = new_raid(&mut dist, w.district_a1, &[member_id]).await;
    let r = member
        .json(Method::POST, &format!("/api/v1/raids/{second}/findings"), json!({ "finding": finding(ID2, "", "kdn") }))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "client_id_taken");
    // A planned raid (its day still to come) takes no findings.
    let r = dist.json(Method::POST, "/api/v1/raids", raid_body(w.district_a1, "01.09.2099", &[member_id])).await;
    let planned = r.json()["id"].as_i64().unwrap();
    let r = member
        .json(Method::POST, &format!("/api/v1/raids/{planned}/findings"), json!({ "finding": finding(ID3, "", "kdn") }))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "date_in_future");
    let big: Vec<Value> = (0..501).map(|_| json!({ "raid_id": raid, "finding": {} })).collect();
    let r = member.json(Method::POST, "/api/v1/sync", json!({ "items": big })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_finding_is_linked_to_the_registry_by_iin_and_a_member_never_learns_the_school() {
    let Raids { w, mut dist, mut member, member_id } = world().await;
    let raid = new_raid(&mut dist, w.district_a1, &[member_id]).await;
    // A child of school 2 (another school than any the member belongs to).
    let mut sch2 = w.app.signed_in("sch2", Role::SchoolCoordinator, w.school_s2).await;
    let child_iin = iin(7, false);
    let s2 = w.school_s2.to_string();
    let form = crate::children::form(&child_iin, "Асанов", &s2, "low_income", "5");
    let child = crate::children::add(&mut sch2, &form).await;
    let path = format!("/api/v1/raids/{raid}/findings");
    let r = member.json(Method::POST, &path, json!({ "finding": finding(ID1, &child_iin, "taken_to_school") })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let f = r.json();
    assert_eq!((f["registered"].as_bool(), f["child_id"].as_i64()), (Some(true), None), "{f}");
    assert_eq!(f["sex"], "male", "the sex comes from the IIN");
    assert!(!r.body.contains("Школа") && !r.body.contains("low_income"), "{}", r.body);
    // An IIN not on the registry is kept, not registered.
    let unknown = iin(8, true);
    let r = member.json(Method::POST, &path, json!({ "finding": finding(ID2, &unknown, "kdn") })).await;
    assert_eq!(r.json()["registered"], false);
    // A wrong check digit is refused, the field named in the user's language.
    let mut wrong = child_iin.clone();
    let last = wrong.pop().unwrap();
    wrong.push(if last == '9' { '0' } else { char::from(last as u8 + 1) });
    let r = member.json(Method::POST, &path, json!({ "finding": finding(ID3, &wrong, "kdn") })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "iin");
    assert!(api_messages(&r.json()).iter().any(|m| m.contains("ИИН")), "{}", r.body);

    // The district's coordinator sees the record it may open; another member sees no personal data.
    let listed = dist.get(&path).await.json();
    let linked = listed.as_array().unwrap().iter().find(|f| f["client_id"] == ID1).unwrap().clone();
    assert_eq!(linked["child_id"].as_i64(), Some(child));
    assert_eq!(linked["name"], "Асанов Нурлан");
    let colleague = w.app.user("police3", Role::RaidMember, w.district_a1).await;
    let mut body = raid_body(w.district_a1, "01.09.2026", &[member_id, colleague]);
    body["version"] = json!(1);
    assert_eq!(dist.json(Method::PUT, &format!("/api/v1/raids/{raid}"), body).await.status, StatusCode::OK);
    let mut other = w.app.client();
    other.post_form("/login", &[("login", "police3"), ("password", crate::support::PASSWORD)]).await;
    let seen = other.get(&path).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(!seen.body.contains(&child_iin) && !seen.body.contains("Асанов"), "{}", seen.body);
    assert!(seen.body.contains("\"registered\":true"));
    // The member's own, in full; the page says only «в реестре».
    let own = member.get(&format!("/raids/{raid}")).await;
    assert!(own.body.contains(&child_iin) && own.body.contains("В реестре"), "{}", own.body);
    assert!(!own.body.contains(&format!("/children/{child}")));
    assert!(audit_count(&w.app.db, "read_personal", "raid", Some(raid)).await >= 2);
}

#[tokio::test]
async fn an_offline_change_to_a_finding_changed_meanwhile_waits_for_a_coordinator() {
    let Raids { w, mut dist, mut member, member_id } = world().await;
    let raid = new_raid(&mut dist, w.district_a1, &[member_id]).await;
    let path = format!("/api/v1/raids/{raid}/findings");
    member.json(Method::POST, &path, json!({ "finding": finding(ID1, "", "taken_home") })).await;
    // The coordinator corrects it on the server (version 1 → 2) while the phone is offline…
    let mut server = finding(ID1, "", "police");
    server["age"] = json!("13");
    let r = dist.json(Method::POST, &path, json!({ "base_version": 1, "finding": server })).await;
    assert_eq!((r.status, r.json()["version"].as_i64()), (StatusCode::OK, Some(2)), "{}", r.body);
    // …and the phone's change, made on version 1, arrives: kept, not applied, twice the same.
    let mut phone = finding(ID1, "", "kdn");
    phone["circumstances"] = json!("Ночью у вокзала");
    let item = json!({ "raid_id": raid, "base_version": 1, "finding": phone });
    let mut ids = Vec::new();
    for _ in 0..3 {
        let r = member.json(Method::POST, "/api/v1/sync", json!({ "items": [item] })).await;
        let x = r.json()["results"][0].clone();
        assert_eq!(x["state"], "conflict", "{x}");
        assert_eq!(x["finding"]["action"], "police");
        ids.push(x["conflict_id"].as_i64().unwrap());
    }
    assert!(ids.windows(2).all(|p| p[0] == p[1]), "one conflict: {ids:?}");
    let listed = dist.get("/api/v1/sync-conflicts").await.json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["proposed"]["action"], "kdn");
    assert_eq!(listed[0]["server"]["action"], "police");
    // The raid's page shows both sides to the coordinator, not to the member.
    let page = dist.get(&format!("/raids/{raid}")).await;
    assert!(
        page.body.contains(&format!("conflict-{}", ids[0])) && page.body.contains("Направлен в КДН"),
        "{}",
        page.body
    );
    assert!(!member.get(&format!("/raids/{raid}")).await.body.contains("conflict-"));
    // Applied: the phone's change over the coordinator's (version 3); a second decision refused.
    let r =
        dist.post_form(&format!("/raids/conflicts/{}", ids[0]), &[("apply", "yes"), ("raid", &raid.to_string())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let now = dist.get(&path).await.json()[0].clone();
    assert_eq!((now["action"].as_str(), now["version"].as_i64()), (Some("kdn"), Some(3)));
    let r = dist.json(Method::POST, &format!("/api/v1/sync-conflicts/{}", ids[0]), json!({ "apply": false })).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "conflict_resolved");
    // The phone sends it once more: it is what the server holds now.
    let r = member.json(Method::POST, "/api/v1/sync", json!({ "items": [item] })).await;
    assert_eq!(r.json()["results"][0]["state"], "saved");

    // Kept: the phone hears that its change was not taken.
    let mut again = finding(ID1, "", "medical");
    again["age"] = json!("11");
    let stale = json!({ "raid_id": raid, "base_version": 2, "finding": again });
    let r = member.json(Method::POST, "/api/v1/sync", json!({ "items": [stale] })).await;
    let id = r.json()["results"][0]["conflict_id"].as_i64().unwrap();
    let r = dist.json(Method::POST, &format!("/api/v1/sync-conflicts/{id}"), json!({ "apply": false })).await;
    assert_eq!(r.json()["resolution"], "kept", "{}", r.body);
    let r = member.json(Method::POST, "/api/v1/sync", json!({ "items": [stale] })).await;
    let x = r.json()["results"][0].clone();
    assert_eq!((x["state"].as_str(), x["resolution"].as_str()), (Some("conflict"), Some("kept")), "{x}");
    assert_eq!(dist.get(&path).await.json()[0]["action"], "kdn");
    assert!(dist.get("/api/v1/sync-conflicts").await.json().as_array().unwrap().is_empty());
    // Another district's coordinator cannot decide it.
    let mut far = w.app.signed_in("dist2", Role::DistrictCoordinator, w.district_a2).await;
    let r = far.json(Method::POST, &format!("/api/v1/sync-conflicts/{id}"), json!({ "apply": true })).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_field_page_works_without_its_script_and_a_form_sent_twice_is_one_finding() {
    let Raids { w, mut dist, mut member, member_id } = world().await;
    let raid = new_raid(&mut dist, w.district_a1, &[member_id]).await;
    let page = member.get(&format!("/raids/{raid}/field")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("/static/field.") && page.body.contains("id=\"outbox\""));
    let client_id =
        page.body.split("name=\"client_id\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert!(domain::raid::is_client_id(&client_id), "{client_id}");
    let fields = [
        ("client_id", client_id.as_str()),
        ("base_version", ""),
        ("iin", ""),
        ("name", ""),
        ("sex", "female"),
        ("age", "40"),
        ("place", "market"),
        ("address", "Центральный рынок"),
        ("found_at", "11:15"),
        ("circumstances", "Торговала"),
        ("action", ""),
    ];
    // Two mistakes: named, and what was typed is kept.
    let r = member.post_form(&format!("/raids/{raid}/findings"), &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Центральный рынок") && r.body.contains(&client_id), "{}", r.body);
    assert!(r.body.contains("id=\"form-errors\""));
    let mut fixed = fields.to_vec();
    fixed[5] = ("age", "10");
    fixed[10] = ("action", "taken_home");
    for _ in 0..2 {
        let r = member.post_form(&format!("/raids/{raid}/findings"), &fixed).await;
        assert_eq!(r.location(), format!("/raids/{raid}/field?sent=1"), "{}", r.body);
    }
    assert_eq!(findings_count(&w).await, 1);
    // The page the phone keeps carries no child's data, even after findings.
    let kept = member.get(&format!("/raids/{raid}/field")).await;
    assert!(!kept.body.contains("Торговала"));
    // The worker and the manifest are served from the site's root.
    let sw = member.get("/sw.js").await;
    assert_eq!(sw.status, StatusCode::OK);
    assert!(sw.body.contains("/static/field.") && !sw.body.contains("__FILES__"), "{}", sw.body);
    let manifest = member.get("/manifest.webmanifest").await.json();
    assert_eq!(manifest["start_url"], "/raids");
    // A raid member's start page is its raids.
    assert_eq!(member.get("/").await.location(), "/raids");
    // The raid's own form keeps what was typed on a mistake, in Kazakh too.
    dist.post_form("/lang", &[("lang", "kk")]).await;
    let r = dist
        .post_form(
            "/raids/new",
            &[
                ("unit_id", &w.district_a1.to_string()),
                ("date", "01.09.2026"),
                ("place_kind", ""),
                ("place_address", "Базар"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Базар") && r.body.contains("Рейд орындары"), "{}", r.body);
}

#[tokio::test]
async fn the_reports_count_raids_participants_and_children_found_from_the_records() {
    let Raids { w, mut dist, mut member, member_id } = world().await;
    let raid = new_raid(&mut dist, w.district_a1, &[member_id]).await;
    let _school_raid = new_raid(&mut dist, w.school_s1, &[]).await;
    let path = format!("/api/v1/raids/{raid}/findings");
    for (id, action) in [(ID1, "taken_home"), (ID2, "kdn"), (ID3, "kdn")] {
        member.json(Method::POST, &path, json!({ "finding": finding(id, "", action) })).await;
    }
    // Another district's raid is not counted in this one's.
    let mut dist2 = w.app.signed_in("dist2", Role::DistrictCoordinator, w.district_a2).await;
    new_raid(&mut dist2, w.district_a2, &[]).await;

    let r = dist.get(&format!("/api/v1/reports/consolidated?unit={}", w.district_a1)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let raids = r.json()["raids"].clone();
    assert_eq!(raids["raids"], 2, "{raids}");
    assert_eq!(raids["participants"], json!([["police", 4], ["teacher", 6]]));
    assert_eq!(raids["findings"], 3);
    assert_eq!(raids["actions"], json!([["kdn", 2], ["taken_home", 1]]));
    let mut region = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let all = region.get(&format!("/api/v1/reports/consolidated?unit={}", w.region_a)).await.json();
    assert_eq!(all["raids"]["raids"], 3);
    // A period that leaves the day out has none.
    let none = dist.get(&format!("/api/v1/reports/consolidated?unit={}&from=2026-09-02", w.district_a1)).await.json();
    assert_eq!(none["raids"]["raids"], 0, "{}", none["raids"]);

    // The same figures in the page, Word, PDF and Excel.
    let page = dist.get(&format!("/reports?unit={}", w.district_a1)).await;
    assert!(page.body.contains("Проведено рейдов") && page.body.contains("Направлен в КДН"), "{}", page.body);
    let docx = crate::reports::docx_text(&dist.get_bytes(&format!("/reports/file/docx?unit={}", w.district_a1)).await);
    assert!(docx.contains("Проведено рейдов") && docx.contains("Участников рейдов"), "{docx}");
    let pdf = crate::support::pdf_text(&dist.get_bytes(&format!("/reports/file/pdf?unit={}", w.district_a1)).await);
    assert!(pdf.contains("Выявлено детей"), "{pdf}");
    let xlsx = dist.get_bytes(&format!("/reports/file/xlsx?unit={}", w.district_a1)).await;
    let rows = crate::reports::xlsx_rows(&xlsx);
    assert!(rows.iter().any(|r| r.starts_with("Проведено рейдов 2")), "{rows:?}");
    // A school's справка lists its raid, without anything typed.
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let docx = crate::reports::docx_text(&sch.get_bytes("/reports/file/docx").await);
    assert!(
        docx.contains("Проведено 1 рейдовое мероприятие.") && docx.contains("01.09.2026 — компьютерный клуб, вокзал."),
        "{docx}"
    );
}

/// A picture's first bytes (the server reads the type from them).
fn jpeg(fill: u8, len: usize) -> Vec<u8> {
    let mut b = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01".to_vec();
    b.resize(len, fill);
    b
}

#[tokio::test]
async fn a_findings_photo_is_kept_once_refused_clearly_when_too_big_and_shown_only_to_whom_it_may_be() {
    let Raids { w, mut dist, mut member, member_id } = world().await;
    let other_id = w.app.user("police2", Role::RaidMember, w.district_a1).await;
    let mut other = w.app.client();
    other.post_form("/login", &[("login", "police2"), ("password", crate::support::PASSWORD)]).await;
    let raid = new_raid(&mut dist, w.district_a1, &[member_id, other_id]).await;
    let path = format!("/api/v1/raids/{raid}/findings");
    let r = member.json(Method::POST, &path, json!({ "finding": finding(ID1, "", "taken_home") })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let photos = format!("/api/v1/raids/{raid}/findings/{ID1}/photos");
    let files = |w: &World| walkdir(&w.app.uploads.path().join("photos"));

    // Sent, and sent again after a lost answer: one photo.
    let r = member.upload(&photos, "IMG_0001.jpg", &jpeg(1, 4096)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let r = member.upload(&photos, "IMG_0001.jpg", &jpeg(1, 4096)).await;
    assert_eq!((r.status, r.json()["id"].as_i64()), (StatusCode::OK, Some(id)), "{}", r.body);
    assert_eq!(files(&w), 1, "the second copy's file is removed");

    // A 20 MB photo on a slow link, a document, a fourth photo: each a clear message, the finding
    // and its photo kept, no file left behind.
    let r = member.upload(&photos, "IMG_RAW.jpg", &jpeg(2, 20 * 1024 * 1024)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let message = r.json()["error"]["fields"][0]["message"].as_str().unwrap().to_owned();
    assert_eq!(r.json()["error"]["fields"][0]["code"], "photo_too_large");
    assert!(message.contains("Фото больше 1 МБ") && message.contains("находка сохранена"), "{message}");
    let r = member.upload(&photos, "act.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "photo_type", "{}", r.body);
    for n in 3..=4 {
        member.upload(&photos, "IMG.jpg", &jpeg(n, 2048)).await;
    }
    let r = member.upload(&photos, "IMG.jpg", &jpeg(9, 2048)).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "too_many_photos", "{}", r.body);
    assert!(api_messages(&r.json())[0].contains("не больше трёх"), "{}", r.body);
    assert_eq!(files(&w), 3);
    assert_eq!(findings_count(&w).await, 1);

    // The author and the district see it (each opening logged); the author's colleague on the
    // raid does not, nor a sponsor; another district's coordinator is refused.
    let r = member.get(&path).await.json();
    assert_eq!(r[0]["photos"].as_array().unwrap().len(), 3, "{r}");
    assert_eq!(dist.get_bytes(&format!("/api/v1/finding-photos/{id}")).await, jpeg(1, 4096));
    assert_eq!(member.get(&format!("/raids/photos/{id}")).await.status, StatusCode::OK);
    assert_eq!(audit_count(&w.app.db, "read_personal", "finding_photo", Some(id)).await, 2);
    assert_eq!(other.get(&path).await.json()[0]["photos"], json!([]));
    assert_eq!(other.get(&format!("/api/v1/finding-photos/{id}")).await.status, StatusCode::NOT_FOUND);
    let r = other.upload(&photos, "mine.jpg", &jpeg(7, 2048)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let mut far = w.app.signed_in("dist2", Role::DistrictCoordinator, w.district_a2).await;
    assert_eq!(far.get(&format!("/api/v1/finding-photos/{id}")).await.status, StatusCode::FORBIDDEN);
    // The raid's page links them for the district.
    let page = dist.get(&format!("/raids/{raid}")).await.body;
    assert!(page.contains(&format!("/raids/photos/{id}")) && page.contains("Фото 1"), "{page}");
}

fn walkdir(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries.flatten().map(|e| if e.path().is_dir() { walkdir(&e.path()) } else { 1 }).sum()
}
