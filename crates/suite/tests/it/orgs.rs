//! The org hierarchy, its pages and its API together, and the import of districts and schools.

use axum::http::{Method, StatusCode};
use domain::Role;
use serde_json::json;

use crate::World;
use crate::support::audit_count;

#[tokio::test]
async fn a_district_coordinator_adds_a_school_with_kazakh_letters_and_it_is_audited() {
    let w = World::new().await;
    let mut c = w.app.signed_in("dis", Role::DistrictCoordinator, w.district_a1).await;
    let fields = [
        ("code", "7"),
        ("name_ru", "КГУ «Школа № 7 имени Әлихана Бөкейханова»"),
        ("name_kk", "Әлихан Бөкейханов атындағы № 7 мектеп ғұқңөұүһі"),
        ("settlement", "Балқаш"),
        ("locality", "urban"),
        ("language", "kk"),
    ];
    let r = c.post_form(&format!("/orgs/{}/new", w.district_a1), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = c.get(r.location()).await;
    assert!(page.body.contains("Әлихан Бөкейханов атындағы № 7 мектеп ғұқңөұүһі"));
    let id: i64 = r.location().trim_start_matches("/orgs/").split('?').next().unwrap().parse().unwrap();
    assert_eq!(audit_count(&w.app.db, "create", "org_unit", Some(id)).await, 1);
    // Search folds Kazakh letters on both databases.
    let found = c.get(&format!("/api/v1/org-units?q={}", "%D3%98%D0%9B%D0%98%D0%A5%D0%90%D0%9D")).await.json();
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_the_form_keeps_what_was_typed() {
    let w = World::new().await;
    let mut c = w.app.signed_in("dis", Role::DistrictCoordinator, w.district_a1).await;
    let long = "ы".repeat(201);
    let r = c
        .post_form(
            &format!("/orgs/{}/new", w.district_a1),
            &[
                ("code", "1"),
                ("name_ru", "<script>alert('x')</script>"),
                ("name_kk", &long),
                ("settlement", ""),
                ("locality", "moon"),
                ("language", "kk"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Поле «Название на казахском»: не более 200 символов."), "{}", r.body);
    assert!(r.body.contains("Заполните поле «Населённый пункт»."));
    assert!(r.body.contains("Поле «Город или село»: выберите значение из списка."));
    assert!(
        r.body.contains("value=\"&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;\"")
            || r.body.contains("value=\"&lt;script&gt;"),
        "escaped and kept: {}",
        r.body
    );
    assert!(!r.body.contains("<script>alert"), "never raw");
    assert!(r.body.contains(&long), "the long value is kept to be corrected");
    // A duplicate school number in one district.
    let r = c
        .post_form(
            &format!("/orgs/{}/new", w.district_a1),
            &[
                ("code", "1"),
                ("name_ru", "Дубль"),
                ("name_kk", "Дубль"),
                ("settlement", "Балхаш"),
                ("locality", "urban"),
                ("language", "ru"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Поле «Номер»: такое значение уже есть."), "{}", r.body);
    assert!(r.body.contains("value=\"Дубль\""));
    // The same number in another district is fine.
    let r = c.json(Method::POST, "/api/v1/org-units", json!({ "parent_id": w.district_a1, "code": "1", "name_ru": "x", "name_kk": "y", "settlement": "z", "locality": "rural", "language": "mixed" })).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "duplicate");
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let r = reg.json(Method::POST, "/api/v1/org-units", json!({ "parent_id": w.district_a2, "code": "1", "name_ru": "x", "name_kk": "y", "settlement": "z", "locality": "rural", "language": "mixed" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn the_api_answers_bad_input_in_one_envelope_in_the_users_language() {
    let w = World::new().await;
    let mut c = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    c.post_form("/lang", &[("lang", "kk")]).await;
    let r = c
        .json(
            Method::POST,
            "/api/v1/org-units",
            json!({ "parent_id": w.region_a, "name_ru": "", "name_kk": "Жаңа аудан" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = r.json();
    assert_eq!(e["error"]["code"], "validation");
    assert_eq!(e["error"]["message"], "Енгізілген деректерді тексеріңіз.");
    assert_eq!(e["error"]["fields"][0]["field"], "name_ru");
    assert_eq!(e["error"]["fields"][0]["code"], "required");
    assert_eq!(e["error"]["fields"][0]["message"], "«Орысша атауы» өрісін толтырыңыз.");
    let r = c.send(Method::POST, "/api/v1/org-units", Some("application/json"), b"{not json".to_vec()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "malformed_json");
    let r = c.get("/api/v1/org-units/999999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"]["code"], "not_found");
    let r = c.get("/api/v1/no-such-thing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn deactivation_needs_an_empty_unit_and_is_reversible() {
    let w = World::new().await;
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let r = reg.send(Method::POST, &format!("/api/v1/org-units/{}/deactivate", w.district_a2), None, vec![]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "has_active_children");
    let r = reg.post_form(&format!("/orgs/{}/active", w.school_s3), &[("active", "0")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let list = reg.get(&format!("/api/v1/org-units?parent={}", w.district_a2)).await.json();
    assert!(list.as_array().unwrap().is_empty(), "inactive units are hidden by default");
    let list = reg.get(&format!("/api/v1/org-units?parent={}&include_inactive=true", w.district_a2)).await.json();
    assert_eq!(list[0]["active"], false);
    let r = reg.send(Method::POST, &format!("/api/v1/org-units/{}/deactivate", w.district_a2), None, vec![]).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = reg.send(Method::POST, &format!("/api/v1/org-units/{}/activate", w.district_a2), None, vec![]).await;
    assert_eq!(r.json()["active"], true);
    assert_eq!(audit_count(&w.app.db, "deactivate", "org_unit", Some(w.school_s3)).await, 1);
}

#[tokio::test]
async fn a_school_coordinator_sees_the_school_page_in_kazakh() {
    let w = World::new().await;
    let mut c = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    c.post_form("/lang", &[("lang", "kk")]).await;
    let home = c.get("/").await;
    assert_eq!(home.location(), format!("/orgs/{}", w.school_s1));
    let page = c.get(home.location()).await;
    assert!(page.body.contains("<html lang=\"kk\">"));
    assert!(page.body.contains("Мектеп"));
    assert!(page.body.contains("Школа № 1 (қаз)"));
    assert!(page.body.contains("Мектеп үйлестірушісі"));
    assert!(!page.body.contains("Жаңа мектеп"), "a school has no sub-units to add");
}

const HEADER_RU: &str = "Район (рус);Район (каз);Номер школы;Название школы (рус);Название школы (каз);Населённый пункт;Город или село;Язык обучения";

fn good_rows() -> Vec<String> {
    vec![
        "г. Балхаш;Балқаш қаласы;5;КГУ «Школа № 5»;«№ 5 мектеп» КММ;Балхаш;город;русский".into(),
        "Актогайский район;Ақтоғай ауданы;1;КГУ «Актогайская СШ»;«Ақтоғай ОМ» КММ;с. Актогай;село;казахский".into(),
        "Актогайский район;Ақтоғай ауданы;2;КГУ «Сарытерекская ОШ»;«Сарытерек ЖББМ» КММ;с. Сарытерек;ауыл;аралас"
            .into(),
        "Актогайский район;Ақтоғай ауданы;3;КГУ «Шабанбайская ОШ»;«Шабанбай ЖББМ» КММ;с. Шабанбай би;село;kk".into(),
    ]
}

fn csv(rows: &[String]) -> Vec<u8> {
    let mut s = String::from(HEADER_RU);
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s.into_bytes()
}

async fn school_count(w: &World) -> usize {
    let actor = db::users::by_login(&w.app.db, "reg").await.unwrap().unwrap().actor();
    let filter =
        db::org::ListFilter { kind: Some(domain::OrgKind::School), include_inactive: true, ..Default::default() };
    db::org::list(&w.app.db, &actor, &filter, 10_000).await.unwrap().len()
}

#[tokio::test]
async fn a_file_with_bad_rows_is_refused_whole_with_every_row_named_then_imports_when_fixed() {
    let w = World::new().await;
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let before = school_count(&w).await;
    let mut rows = good_rows();
    rows[1] =
        "Актогайский район;Ақтоғай ауданы;;КГУ «Актогайская СШ»;«Ақтоғай ОМ» КММ;с. Актогай;село;казахский".into();
    rows[2] =
        "Актогайский район;Ақтоғай ауданы;2;КГУ «Сарытерекская ОШ»;«Сарытерек ЖББМ» КММ;с. Сарытерек;на луне;аралас"
            .into();
    rows.push("Актогайский район;Ақтоғай ауданы;3;Дубль;Дубль;с. Х;село;kk".into());
    let r = reg.upload(&format!("/orgs/{}/import", w.region_a), "schools.csv", &csv(&rows)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("найдены 3 ошибки"), "{}", r.body);
    assert!(r.body.contains("Строка 3: Заполните поле «Номер»."), "{}", r.body);
    assert!(r.body.contains("Строка 4: Поле «Город или село»: выберите значение из списка."));
    assert!(r.body.contains("Строка 6: Поле «Номер»: это значение уже встречается выше в файле."));
    assert_eq!(school_count(&w).await, before, "nothing half-imported");
    let r = reg.upload(&format!("/orgs/{}/import", w.region_a), "schools.csv", &csv(&good_rows())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Создано районов: 1."), "{}", r.body);
    assert!(r.body.contains("Создано школ: 4."));
    assert_eq!(school_count(&w).await, before + 4);
    // Re-import updates by number instead of duplicating.
    let mut changed = good_rows();
    changed[0] =
        "г. Балхаш;Балқаш қаласы;5;КГУ «Школа-гимназия № 5»;«№ 5 мектеп-гимназия» КММ;Балхаш;город;русский".into();
    let r = reg.upload(&format!("/orgs/{}/import", w.region_a), "schools.csv", &csv(&changed)).await;
    assert!(r.body.contains("Обновлено школ: 4."), "{}", r.body);
    assert_eq!(school_count(&w).await, before + 4);
    let found = reg.get("/api/v1/org-units?q=гимназия").await.json();
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
}

#[tokio::test]
async fn an_xlsx_with_kazakh_headers_imports_into_a_district() {
    let w = World::new().await;
    let mut dis = w.app.signed_in("dis", Role::DistrictCoordinator, w.district_a1).await;
    let template = dis.get(&format!("/orgs/{}/import/template.xlsx", w.district_a1)).await;
    assert_eq!(template.status, StatusCode::OK);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let header = [
        "Мектеп нөмірі",
        "Мектеп атауы (орысша)",
        "Мектеп атауы (қазақша)",
        "Елді мекен",
        "Қала немесе ауыл",
        "Оқыту тілі",
    ];
    for (i, h) in header.iter().enumerate() {
        sheet.write_string(0, i as u16, *h).unwrap();
    }
    sheet.write_number(1, 0, 8.0).unwrap();
    for (i, v) in ["КГУ «ОШ № 8»", "№ 8 ЖББМ", "Балқаш", "қала", "қазақ тілі"].iter().enumerate()
    {
        sheet.write_string(1, i as u16 + 1, *v).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let r = dis.upload(&format!("/api/v1/org-units/{}/import", w.district_a1), "schools.xlsx", &bytes).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["schools_created"], 1);
    let list = dis.get(&format!("/api/v1/org-units?parent={}&q=ОШ № 8", w.district_a1)).await.json();
    assert_eq!(list[0]["code"], "8", "a numeric cell reads as 8, not 8.0: {list}");
    assert_eq!(list[0]["language"], "kk");
}

#[tokio::test]
async fn files_that_are_not_tables_or_have_the_wrong_columns_get_a_clear_message() {
    let w = World::new().await;
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let path = format!("/api/v1/org-units/{}/import", w.region_a);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("a.xlsx", b"PK\x03\x04 this is no zip".to_vec(), "not_spreadsheet"),
        ("a.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old".to_vec(), "old_excel"),
        ("a.csv", vec![0xFF, 0xFE, 0x41, 0x00], "encoding"),
        ("a.csv", Vec::new(), "file_empty"),
    ];
    for (name, bytes, code) in cases {
        let r = reg.upload(&path, name, &bytes).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(r.json()["error"]["fields"][0]["code"], code, "{name}");
    }
    let r = reg.upload(&path, "a.csv", "Фамилия;Имя\nИванов;Иван".as_bytes()).await;
    let fields: Vec<_> = r.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert!(fields.contains(&"code".to_owned()) && fields.contains(&"district_ru".to_owned()), "{fields:?}");
    let page =
        reg.upload(&format!("/orgs/{}/import", w.region_a), "a.csv", "Фамилия;Имя\nИванов;Иван".as_bytes()).await;
    assert!(page.body.contains("В файле нет столбца «Номер»."), "{}", page.body);
    let huge_cell = format!("{HEADER_RU}\nг. Балхаш;Балқаш;1;{};x;y;город;ru", "я".repeat(5000));
    let r = reg.upload(&path, "a.csv", huge_cell.as_bytes()).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "too_long");
    assert_eq!(r.json()["error"]["fields"][0]["row"], 2);
}
