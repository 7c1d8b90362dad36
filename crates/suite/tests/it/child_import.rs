//! Importing a school's children list: every bad row reported, nothing half-imported,
//! re-import updates by IIN.

use axum::http::StatusCode;
use domain::{CampaignId, Role};

use crate::World;
use crate::children::{campaign, iin};
use crate::support::Client;

const HEADER: &str = "ИИН;Фамилия;Имя;Класс;Язык обучения;Категории;ФИО родителя или законного представителя;Кто дал согласие;Как;Дата согласия;Рюкзак с принадлежностями, ₸;Школьная форма, ₸;Размер формы";

fn row(iin: &str, surname: &str, grade: &str, categories: &str) -> String {
    format!(
        "{iin};{surname};Айгерим;{grade};Казахский;{categories};{surname} Гүлнар;Родитель;Письменно;01.08.2026;45 000;25 000;134"
    )
}

fn file(rows: &[String]) -> Vec<u8> {
    let mut s = HEADER.to_owned();
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s.into_bytes()
}

async fn wait(c: &mut Client, location: &str) -> String {
    for _ in 0..400 {
        let page = c.get(location).await;
        if !page.body.contains("hx-trigger=\"every 1s\"") {
            return page.body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the import did not finish");
}

async fn upload(c: &mut Client, school: i64, bytes: &[u8]) -> String {
    let boundary = "b0undary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"school_id\"\r\n\r\n{school}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"list.csv\"\r\n\r\n").into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = c
        .send(
            axum::http::Method::POST,
            "/children/import",
            Some(&format!("multipart/form-data; boundary={boundary}")),
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.location().to_owned();
    wait(c, &location).await
}

async fn count(w: &World) -> u64 {
    let actor = db::users::by_login(&w.app.db, "sch").await.unwrap().unwrap().actor();
    let c = db::campaigns::current(&w.app.db).await.unwrap().unwrap();
    db::children::list(
        &w.app.db,
        &actor,
        CampaignId(c.id),
        &db::children::Filter::default(),
        db::children::Cursor::First,
        10,
    )
    .await
    .unwrap()
    .total
}

#[tokio::test]
async fn a_file_with_bad_rows_is_refused_whole_then_imports_and_reimports_by_iin() {
    let w = World::new().await;
    campaign(&w).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    // A child another school already holds.
    let mut other = w.app.signed_in("other", Role::SchoolCoordinator, w.school_s2).await;
    let taken = iin(30, true);
    let s2 = w.school_s2.to_string();
    let r = other.post_form("/children/new", &crate::children::form(&taken, "Занятова", &s2, "asp", "2")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let good: Vec<String> =
        (0..6).map(|i| row(&iin(40 + i, i % 2 == 0), "Сәрсенова", "3", "Многодетная семья, АСП")).collect();
    let mut bad_iin = iin(50, true);
    bad_iin.replace_range(11..12, &(((bad_iin.as_bytes()[11] - b'0' + 1) % 10).to_string()));
    let mut rows = good.clone();
    rows[1] = row(&bad_iin, "Ошибкина", "3", "АСП");
    rows[3] = row(&iin(43, false), "Ошибкин", "14", "АСП");
    rows[4] = row(&iin(44, true), "Ошибкина", "2", "единорог");
    rows.push(row(&iin(40, true), "Дубль", "3", "АСП"));
    rows.push(row(&taken, "Занятова", "2", "АСП"));
    let page = upload(&mut sch, w.school_s1, &file(&rows)).await;
    assert!(page.contains("id=\"import-errors\""), "{page}");
    assert!(page.contains("Строка 3: ИИН с ошибкой: не сходится контрольная цифра."), "{page}");
    assert!(page.contains("Строка 5: Класс — число от 0 до 11."));
    assert!(page.contains("Строка 6: Поле «Категории»: выберите значение из списка."));
    assert!(page.contains("Строка 8: Поле «ИИН»: это значение уже встречается выше в файле."), "{page}");
    assert!(page.contains("Строка 9: Ребёнок с этим ИИН уже есть в списках этой акции."));
    assert_eq!(count(&w).await, 0, "nothing half-imported");

    let page = upload(&mut sch, w.school_s1, &file(&good)).await;
    assert!(page.contains("Добавлено детей: 6."), "{page}");
    assert_eq!(count(&w).await, 6);
    let mut changed = good.clone();
    changed[0] = row(&iin(40, true), "Сәрсенова-Ахметова", "4", "АСП");
    let page = upload(&mut sch, w.school_s1, &file(&changed)).await;
    assert!(page.contains("Добавлено детей: 0.") && page.contains("Обновлено: 6."), "{page}");
    assert_eq!(count(&w).await, 6);
    // The reports' running totals followed the import and the re-import (one child lost a category).
    let kept = crate::reports::totals_checked(&w.app.db).await;
    assert_eq!((kept.identified, kept.category("asp"), kept.category("large_family")), (7, 7, 5));
    let list = sch.get("/children?q=сәрсенова-ахм").await;
    assert!(list.body.contains("Сәрсенова-Ахметова"));
    assert!(crate::support::audit_count(&w.app.db, "import", "child", None).await >= 2);
    // What an import of 1,000 records or more runs after it, on either database.
    db::child_import::refresh_statistics(&w.app.db).await.unwrap();
    assert_eq!(count(&w).await, 6);
}

#[tokio::test]
async fn wrong_files_get_a_clear_message() {
    let w = World::new().await;
    campaign(&w).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let page = upload(&mut sch, w.school_s1, b"PK\x03\x04 not a zip at all").await;
    assert!(page.contains("Файл не похож на таблицу Excel (.xlsx) или CSV."), "{page}");
    let page = upload(&mut sch, w.school_s1, "Фамилия;Имя\nИванов;Иван".as_bytes()).await;
    assert!(page.contains("В файле нет столбца «ИИН»."), "{page}");
    let huge = format!("{HEADER}\n{}", row(&iin(60, true), &"я".repeat(5 * 1024 * 1024 / 2), "3", "АСП"));
    let page = upload(&mut sch, w.school_s1, huge.as_bytes()).await;
    assert!(page.contains("Строка 2: Поле «Фамилия»: не более 100 символов."), "{page}");
    assert_eq!(count(&w).await, 0);
    // Another school's id is refused.
    let boundary = "b";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"school_id\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n{HEADER}\r\n--{boundary}--\r\n",
        w.school_s2
    );
    let r = sch
        .send(axum::http::Method::POST, "/children/import", Some("multipart/form-data; boundary=b"), body.into_bytes())
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// A ZIP whose one entry claims to unpack to 3 GiB (a zip bomb as the reader sees it).
fn zip_bomb() -> Vec<u8> {
    let name = b"xl/worksheets/sheet1.xml";
    let data = b"x";
    let claimed: u32 = 3 * 1024 * 1024 * 1024;
    let mut out = Vec::new();
    // Local file header.
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&0u32.to_le_bytes()); // crc
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&claimed.to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name);
    out.extend_from_slice(data);
    let central = out.len() as u32;
    // Central directory.
    out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    out.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&claimed.to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(name);
    let size = out.len() as u32 - central;
    // End of central directory.
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&central.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[tokio::test]
async fn a_zip_bomb_is_refused_before_it_is_unpacked() {
    let w = World::new().await;
    campaign(&w).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let page = upload(&mut sch, w.school_s1, &zip_bomb()).await;
    assert!(page.contains("Файл слишком большой."), "{page}");
    // The districts-and-schools import refuses it too.
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let r = reg.upload(&format!("/api/v1/org-units/{}/import", w.region_a), "bomb.xlsx", &zip_bomb()).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "file_too_large", "{}", r.body);
}

#[tokio::test]
async fn campaigns_and_norms_from_the_pages() {
    let w = World::new().await;
    let mut rep = w.app.signed_in("rep", Role::RepublicCoordinator, w.republic).await;
    let bad = rep
        .post_form(
            "/campaigns",
            &[
                ("year", "2026"),
                ("starts_on", "30.09.2026"),
                ("ends_on", "01.08.2026"),
                ("motto_ru", "Добро без границ"),
                ("motto_kk", "Шекарасыз игілік"),
                ("default_norm", "46 228"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Конец периода раньше его начала."), "{}", bad.body);
    assert!(bad.body.contains("value=\"Шекарасыз игілік\""));
    let ok = rep
        .post_form(
            "/campaigns",
            &[
                ("year", "2026"),
                ("starts_on", "01.08.2026"),
                ("ends_on", "30.09.2026"),
                ("motto_ru", "Добро без границ"),
                ("motto_kk", "Шекарасыз игілік"),
                ("default_norm", "46 228"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let mut reg = w.app.signed_in("reg", Role::RegionCoordinator, w.region_a).await;
    let page = reg.get("/campaigns").await;
    assert!(page.body.contains("46 228"), "{}", page.body);
    assert!(!page.body.contains("Астана"), "only the own region's norm is shown");
    let r = reg.post_form(&format!("/campaigns/norms/{}", w.region_a), &[("cash_norm", "47,300")]).await;
    assert!(r.body.contains("сумма в тенге, например 45 000 или 1 196 448,50"), "{}", r.body);
    let r = reg.post_form(&format!("/campaigns/norms/{}", w.region_a), &[("cash_norm", "47 300")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(reg.get("/campaigns").await.body.contains("value=\"47 300\""));
    assert_eq!(reg.post_form("/campaigns", &[("year", "2027")]).await.status, StatusCode::FORBIDDEN);
}

/// An upload lives in the data directory's private folder and is gone when its job ends; a job
/// whose server died is failed at the next start with a message, its upload swept, while a job
/// another server still runs, and an upload still arriving, are left alone.
#[tokio::test]
async fn uploads_stay_private_and_a_dead_servers_jobs_are_failed_at_the_next_start() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
    use std::os::unix::fs::PermissionsExt;
    let w = World::new().await;
    campaign(&w).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let page = upload(&mut sch, w.school_s1, &file(&[row(&iin(60, true), "Тасова", "2", "АСП")])).await;
    assert!(!page.contains("hx-trigger"), "finished");
    let folder = w.app.uploads.path().join("imports");
    let mode = std::fs::metadata(&folder).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "the uploads' folder is private");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0, "the upload is gone with its job");

    // What a server killed mid-import leaves, beside what another server is doing right now.
    let c = db::campaigns::current(&w.app.db).await.unwrap().unwrap();
    let owner = db::users::by_login(&w.app.db, "sch").await.unwrap().unwrap().user.id;
    let now = chrono::Utc::now();
    let job = |beat: chrono::DateTime<chrono::Utc>, runner: &str| db::entity::import_job::ActiveModel {
        user_id: Set(owner),
        unit_id: Set(w.school_s1),
        campaign_id: Set(c.id),
        file_name: Set("список.xlsx".into()),
        status: Set("running".into()),
        total_rows: Set(0),
        error_count: Set(0),
        created_at: Set(beat),
        heartbeat_at: Set(Some(beat)),
        runner: Set(Some(runner.into())),
        ..Default::default()
    };
    let dead = job(now - chrono::Duration::minutes(10), "server-b").insert(&w.app.db).await.unwrap();
    let alive = job(now, "server-b").insert(&w.app.db).await.unwrap();
    // This server's own, beating a second ago: its process was killed just before this start.
    let killed = job(now, "server-a").insert(&w.app.db).await.unwrap();
    for name in [
        format!("job-{}", dead.id),
        format!("job-{}", alive.id),
        format!("job-{}", killed.id),
        "upload-arriving".into(),
        "upload-old".into(),
    ] {
        std::fs::write(folder.join(name), "ИИН;Фамилия\n080101500006;Тасова").unwrap();
    }
    let old = std::fs::File::options().write(true).open(folder.join("upload-old")).unwrap();
    old.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3_600)).unwrap();

    let core = app::Core::new(w.app.db.clone()).unwrap().with_runner("server-a");
    let found = app::child_import::recover(&core, w.app.uploads.path()).await.unwrap();
    assert_eq!(found, app::child_import::Recovered { jobs: 2, files: 3 });
    let mut left: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    left.sort();
    assert_eq!(left, [format!("job-{}", alive.id), "upload-arriving".to_owned()]);
    let status = |id: i64| {
        let db = w.app.db.clone();
        async move { db::entity::import_job::Entity::find_by_id(id).one(&db).await.unwrap().unwrap().status }
    };
    assert_eq!(status(dead.id).await, "failed");
    assert_eq!(status(killed.id).await, "failed", "this server's own, at once");
    assert_eq!(status(alive.id).await, "running", "another server's job is left to it");
    // Server B dies and never comes back: once its beat is stale, any server fails its job.
    assert_eq!(app::child_import::fail_stale(&core).await.unwrap(), 0, "not yet");
    use sea_orm::{ColumnTrait, QueryFilter};
    db::entity::import_job::Entity::update_many()
        .col_expr(
            db::entity::import_job::Column::HeartbeatAt,
            sea_orm::sea_query::Expr::value(now - chrono::Duration::minutes(3)),
        )
        .filter(db::entity::import_job::Column::Id.eq(alive.id))
        .exec(&w.app.db)
        .await
        .unwrap();
    assert_eq!(app::child_import::fail_stale(&core).await.unwrap(), 1);
    assert_eq!(status(alive.id).await, "failed");
    let page = sch.get(&format!("/children/import/{}", dead.id)).await;
    assert!(page.body.contains("Импорт прервался"), "{}", page.body);
    assert!(!page.body.contains("hx-trigger"), "the page stops polling");
    let api = sch.get(&format!("/api/v1/children/import/{}", dead.id)).await.json();
    assert_eq!(api["running"], false, "{api}");
    assert_eq!(api["errors"][0]["code"], "import_interrupted", "{api}");
}

/// The template a school fills: required columns marked, an example row that is never imported,
/// drop-downs of the coded columns in the user's language, an instructions sheet; and an error
/// names the template's own column («Школьная форма, ₸», not «Потребность 1: стоимость»).
#[tokio::test]
async fn the_template_has_an_example_lists_and_instructions_and_errors_name_its_columns() {
    use calamine::Reader;
    let w = World::new().await;
    campaign(&w).await;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    for (lang, sheets, iin_head, mark, category) in [
        ("kk", ["Балалар", "Нұсқаулық", "Lists"], "ЖСН *", "Мысал:", "АӘК алушылар"),
        ("ru", ["Дети", "Инструкция", "Lists"], "ИИН *", "Пример:", "Получатели АСП"),
    ] {
        sch.post_form("/lang", &[("lang", lang)]).await;
        let bytes = sch.get_bytes("/children/import/template.xlsx").await;
        let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
        assert_eq!(book.sheet_names(), sheets.map(str::to_owned).to_vec(), "{lang}");
        let lists = book.sheets_metadata().iter().find(|s| s.name == "Lists").unwrap().visible;
        assert_ne!(lists, calamine::SheetVisible::Visible, "the lists behind the drop-downs are hidden");
        let children = book.worksheet_range(sheets[0]).unwrap();
        assert_eq!(children.get((0, 0)).map(ToString::to_string).as_deref(), Some(iin_head));
        let example = children.get((1, 0)).map(ToString::to_string).unwrap_or_default();
        assert!(example.starts_with(mark), "{lang}: {example}");
        let labels: Vec<String> =
            book.worksheet_range("Lists").unwrap().rows().filter_map(|r| r.get(1)).map(ToString::to_string).collect();
        assert!(labels.iter().any(|l| l == category), "{lang}: {labels:?}");
        let help = book.worksheet_range(sheets[1]).unwrap();
        assert!(help.rows().count() >= 8, "{lang}: the instructions");
        // The template as downloaded imports nothing: its only row is the example.
        let page = upload(&mut sch, w.school_s1, &bytes).await;
        assert!(!page.contains("id=\"import-errors\""), "{lang}: {page}");
        assert_eq!(count(&w).await, 0, "{lang}: the example is not a child");
    }
    // The template's headers (stars included) with the example, one good row and one bad cost.
    let head = "ИИН *;Фамилия *;Имя *;Класс *;Язык обучения *;Категории *;ФИО родителя или законного представителя *;Кто дал согласие *;Как *;Дата согласия *;Школьная форма, ₸;Размер формы";
    let line = |iin: &str, cost: &str| {
        format!("{iin};Ахметова;Айгерим;2;Казахский;АСП;Ахметова Сауле;Родитель;Письменно;01.08.2026;{cost};134")
    };
    let csv = format!(
        "{head}\n{}\n{}\n{}",
        line("Пример: 150301650012", "25 000"),
        line(&iin(61, true), "25 000"),
        line(&iin(62, true), "25,5")
    );
    let page = upload(&mut sch, w.school_s1, csv.as_bytes()).await;
    assert!(page.contains("Строка 4: Поле «Школьная форма, ₸»"), "{page}");
    assert!(!page.contains("Потребность 1"), "{page}");
    assert!(!page.contains("Строка 2"), "the example row is never checked: {page}");
    let fixed = format!(
        "{head}\n{}\n{}\n{}",
        line("Пример: 150301650012", "25 000"),
        line(&iin(61, true), "25 000"),
        line(&iin(62, true), "25 500")
    );
    let page = upload(&mut sch, w.school_s1, fixed.as_bytes()).await;
    assert!(page.contains("Добавлено детей: 2."), "{page}");
}
