//! Reports: the school's report holds exactly the seed report's figures in Word, PDF and Excel,
//! in Russian and Kazakh; the consolidated reports and the dashboard agree with each other in
//! every format; bad questions get clear answers, never a 500.

use std::collections::HashMap;
use std::io::Read;

use axum::http::{Method, StatusCode};
use domain::aid::{EntryInput, EntryStatus, ItemInput};
use domain::{CampaignId, ChildId, EntryId, OrgUnitId, Role, TransferId};

use crate::World;
use crate::support::{Client, pdf_text};

/// A pupil of grades 1–5 in the 2022 campaign these reports are about.
fn iin(reg: u32, female: bool) -> String {
    crate::children::iin_on(reg, female, 2022)
}

/// The seed report's sponsors (003): name, pupils, sum in tenge.
const SPONSORS: [(&str, i64, i64); 10] = [
    ("Корпоративный фонд «Коунрад»", 18, 400_000),
    ("Коллектив Совета БПО «КәсіпҚорған»", 5, 100_000),
    ("Коллектив РГУ «Управление государственных доходов по городу Балхаш»", 3, 50_000),
    ("Родительская общественность (средства ярмарки)", 3, 75_000),
    ("Союз молодежи группы компаний «Казахмыс»", 3, 45_000),
    ("Мебельный цех «Ксюарт»", 1, 30_000),
    ("ОО Союз молодежи «Jastar Bolashaq» ТОО «Корпорация Казахмыс»", 5, 100_000),
    ("Выпускники школы (2001)", 8, 100_000),
    ("ИП Аспандиров", 3, 60_000),
    ("ИП «Арман жол» (подрядчик)", 1, 40_000),
];

/// The text of a Word document: its paragraphs, one per line.
pub fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a docx is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml").expect("word/document.xml").read_to_string(&mut xml).unwrap();
    let xml = xml.replace("</w:p>", "\n");
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
}

/// Whitespace (line breaks, layout columns) folded to single spaces.
pub fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub struct Seed {
    pub w: World,
    pub school: Client,
}

/// The 2022 campaign and exactly the data behind the seed report, entered as a school would:
/// 45 children, 32 helped from the fund in August (1 196 448 ₸) and 13 in September
/// (486 057 ₸), and 50 others helped by ten sponsors (1 000 000 ₸).
pub async fn seed_school() -> Seed {
    let w = World::new().await;
    let f = domain::child::CampaignInput {
        year: "2022".into(),
        starts_on: "01.08.2022".into(),
        ends_on: "30.09.2022".into(),
        motto_ru: "Дорога в школу — добро без границ".into(),
        motto_kk: "Мектепке жол — шекарасыз игілік".into(),
        default_norm: "46 228".into(),
    }
    .parse()
    .unwrap();
    let c = db::campaigns::create(&w.app.db, None, &f).await.unwrap();
    let school = w.app.signed_in("school1", Role::SchoolCoordinator, w.school_s1).await;
    w.app.user("balkhash", Role::DistrictCoordinator, w.district_a1).await;
    let actor = db::users::by_login(&w.app.db, "school1").await.unwrap().unwrap().actor();
    let district = db::users::by_login(&w.app.db, "balkhash").await.unwrap().unwrap().actor();
    db::ledger::set_allocation(
        &w.app.db,
        &district,
        OrgUnitId(w.school_s1),
        &c,
        domain::format::Tenge::from_tenge(2_000_000),
    )
    .await
    .unwrap();
    let mut n = 0u32;
    let mut child = || {
        n += 1;
        n
    };
    let mut ids = Vec::new();
    for _ in 0..95 {
        let k = child();
        let input = domain::child::ChildInput {
            iin: iin(k, k % 2 == 0),
            surname: "Ахметова".into(),
            first_name: "Айгерим".into(),
            grade: "1".into(),
            study_language: "kk".into(),
            categories: vec![if k % 3 == 0 { "large_family".into() } else { "asp".into() }],
            guardian_name: "Ахметова Сауле".into(),
            consent_by: "parent".into(),
            consent_method: "written".into(),
            consent_date: "01.08.2022".into(),
            source: "school_list".into(),
            ..Default::default()
        };
        let fields = input.parse(c.starts_on).unwrap();
        ids.push(db::children::create(&w.app.db, &actor, &c, OrgUnitId(w.school_s1), &fields).await.unwrap().id);
    }
    let entry = |source: &str, amount: i64, date: &str, by: &str| {
        EntryInput {
            source: source.into(),
            form: "goods".into(),
            amount: amount.to_string(),
            date: date.into(),
            organised_by: by.into(),
            // The seed's givers are typed, not chosen: each says what kind it is.
            giver_kind: if source == "sponsor" { "company".into() } else { String::new() },
            items: if source == "fund" {
                vec![ItemInput { item: "backpack".into(), quantity: "1".into(), value: amount.to_string() }]
            } else {
                vec![]
            },
            ..Default::default()
        }
        .parse()
        .unwrap()
    };
    let mut kids = ids.into_iter();
    // 32 × 37 389 = 1 196 448 and 13 × 37 389 = 486 057.
    for (pupils, date) in [(32, "20.08.2022"), (13, "10.09.2022")] {
        for _ in 0..pupils {
            let e = entry("fund", 37_389, date, "");
            db::ledger::record(&w.app.db, &actor, &c, ChildId(kids.next().unwrap()), &e, EntryStatus::Delivered)
                .await
                .unwrap();
        }
    }
    for (name, pupils, sum) in SPONSORS {
        for k in 0..pupils {
            let share = sum / pupils + if k == pupils - 1 { sum % pupils } else { 0 };
            let e = entry("sponsor", share, "25.08.2022", name);
            db::ledger::record(&w.app.db, &actor, &c, ChildId(kids.next().unwrap()), &e, EntryStatus::Delivered)
                .await
                .unwrap();
        }
    }
    Seed { w, school }
}

async fn download(client: &mut Client, path: &str) -> Vec<u8> {
    let r = client.send(Method::GET, path, None, vec![]).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    client.get_bytes(path).await
}

#[tokio::test]
async fn the_school_report_states_the_seed_figures_in_word_pdf_and_excel_in_both_languages() {
    let Seed { w, mut school } = seed_school().await;
    // The raids are records of their own: three, in the clubs, the market and the station.
    for (day, place) in [("15.08.2022", "computer_club"), ("22.08.2022", "market"), ("29.08.2022", "station")] {
        let body = serde_json::json!({
            "unit_id": w.school_s1,
            "raid": {
                "date": day,
                "places": [{ "kind": place, "address": "" }],
                "participants": [{ "kind": "teacher", "count": "2" }, { "kind": "police", "count": "1" }, { "kind": "ngo", "count": "1" }],
            },
        });
        let r = school.json(Method::POST, "/api/v1/raids", body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    // The part the school writes by hand: the measures it took.
    let saved = school
        .post_form(
            "/reports/notes",
            &[
                ("year", "2022"),
                ("unit", &w.school_s1.to_string()),
                ("measures", "Разработан и утверждён план проведения акции\nОформлен информационный стенд\nФункционирует телефон доверия"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(crate::support::audit_count(&w.app.db, "update", "school_report", None).await, 1);

    // Without its details the справка leaves blanks for the pen.
    let blank = flat(&pdf_text(&download(&mut school, "/reports/file/pdf?year=2022").await));
    assert!(blank.contains("Исх. № ________ от «___» __________ 20___ г."), "{blank}");
    assert!(blank.contains("По месту требования") && blank.contains("Исп.: ____"), "{blank}");
    // The details, filled in once.
    let details = [
        ("address", "г. Балхаш, ул. Ленина, 12"),
        ("coordinator", "Құрманғазы Ә. Н."),
        ("phone", "8 (71036) 4-12-34"),
        ("director", "Серікова А. М."),
        ("addressee", "Руководителю отдела образования города Балхаш"),
    ];
    let r = school.post_form(&format!("/orgs/{}/details", w.school_s1), &details).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let page = school.get("/reports?year=2022").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Справка о проведении республиканской акции «Дорога в школу» в 2022 году"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Функционирует телефон доверия"));
    assert!(page.body.contains(&format!("href=\"/orgs/{}/details\"", w.school_s1)), "the details are a click away");
    let bad = school.get("/reports?year=2022&number=12&dated=31.02.2022").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Дата справки"), "{}", bad.body);

    let q = "year=2022&number=15%2F3&dated=05.10.2022";
    let docx = flat(&docx_text(&download(&mut school, &format!("/reports/file/docx?{q}")).await));
    let pdf_bytes = download(&mut school, &format!("/reports/file/pdf?{q}")).await;
    // Nothing printed over anything; one page (the tighter layout when a few lines spill over).
    assert_eq!(crate::support::pdf_overlaps(&pdf_bytes), Vec::<String>::new());
    let (pages, last) = crate::support::pdf_last_page(&pdf_bytes);
    assert_eq!(pages, 1, "the seed school's справка on one page; the last page held only: {last:?}");
    let pdf = flat(&crate::support::pdf_raw_text(&pdf_bytes));
    for (format, text) in [("docx", &docx), ("pdf", &pdf)] {
        for want in [
            "август 2022: 32 учащимся из социально незащищённых слоёв населения оказана материальная помощь из фонда всеобуча на общую сумму 1 196 448 ₸.",
            "сентябрь 2022: 13 учащимся из социально незащищённых слоёв населения оказана материальная помощь из фонда всеобуча на общую сумму 486 057 ₸.",
            "Спонсорами и меценатами оказана помощь 50 учащимся на общую сумму 1 000 000 ₸.",
            "Мебельный цех «Ксюарт» — помощь 1 учащемуся на общую сумму 30 000 ₸",
            "Проведено 3 рейдовых мероприятия.",
            "Участвовали: Педагоги — 6; Полиция — 3; НПО — 3.",
            "Детей не выявлено",
            "Оформлен информационный стенд",
            "проходила с 01.08.2022 по 30.09.2022 под девизом «Дорога в школу — добро без границ»",
            "Руководителю отдела образования города Балхаш",
            "Исх. № 15/3 от 05.10.2022",
            "г. Балхаш, ул. Ленина, 12",
            "Серікова А. М.",
            "М.П.",
            "Исп.: Құрманғазы Ә. Н., тел. +77103641234",
        ] {
            assert!(text.contains(want), "{format} lacks «{want}»:\n{text}");
        }
        for (name, pupils, sum) in SPONSORS {
            let line = format!(
                "{name} — помощь {pupils} {} на общую сумму {}",
                if pupils == 1 { "учащемуся" } else { "учащимся" },
                domain::format::Tenge::from_tenge(sum)
            );
            assert!(text.contains(&line), "{format} lacks «{line}»");
        }
        assert!(!text.contains("Ахметова"), "{format}: no child is named in the report");
        assert_eq!(text.matches("Школа № 1").count(), 1, "{format}: the school named once: {text}");
    }

    // The same report in Kazakh, from the same figures.
    school.post_form("/lang", &[("lang", "kk")]).await;
    let docx = flat(&docx_text(&download(&mut school, "/reports/file/docx?year=2022").await));
    let pdf = flat(&pdf_text(&download(&mut school, "/reports/file/pdf?year=2022").await));
    for (format, text) in [("docx", &docx), ("pdf", &pdf)] {
        for want in [
            "«Мектепке жол» республикалық акциясын 2022 жылы өткізу туралы анықтама",
            "М.О.",
            "тамыз 2022: әлеуметтік осал топтағы 32 оқушыға жалпыға бірдей білім беру қорынан жалпы сомасы 1 196 448 ₸ материалдық көмек көрсетілді.",
            "қыркүйек 2022: әлеуметтік осал топтағы 13 оқушыға жалпыға бірдей білім беру қорынан жалпы сомасы 486 057 ₸ материалдық көмек көрсетілді.",
            "Демеушілер мен меценаттар 50 оқушыға жалпы сомасы 1 000 000 ₸ көмек көрсетті.",
            "Корпоративный фонд «Коунрад» — 18 оқушыға жалпы сомасы 400 000 ₸ көмек",
            "3 рейдтік іс-шара өткізілді.",
        ] {
            assert!(text.contains(want), "kk {format} lacks «{want}»:\n{text}");
        }
    }

    // Excel: the same tables with real numbers (tenge).
    let xlsx = download(&mut school, "/reports/file/xlsx?year=2022").await;
    let numbers = xlsx_numbers(&xlsx);
    for want in [1_196_448.0, 486_057.0, 1_682_505.0, 400_000.0, 1_000_000.0, 32.0, 13.0, 45.0, 50.0] {
        assert!(numbers.contains(&want), "xlsx lacks {want}: {numbers:?}");
    }
}

/// Every number in the first sheet of a workbook.
pub fn xlsx_numbers(bytes: &[u8]) -> Vec<f64> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    let sheet = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    sheet
        .rows()
        .flat_map(|r| r.iter())
        .filter_map(|c| match c {
            Data::Float(f) => Some(*f),
            Data::Int(i) => Some(*i as f64),
            _ => None,
        })
        .collect()
}

/// The text of every cell in the first sheet, row by row, joined with spaces.
pub fn xlsx_rows(bytes: &[u8]) -> Vec<String> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    let sheet = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(" ").trim().to_owned()).collect()
}

#[tokio::test]
async fn the_region_and_republic_see_one_truth_in_the_dashboard_page_and_every_file() {
    let Seed { w, .. } = seed_school().await;
    // Another district's school has help too, so the region has two rows.
    let c = db::campaigns::by_year(&w.app.db, 2022).await.unwrap().unwrap();
    w.app.user("s3", Role::SchoolCoordinator, w.school_s3).await;
    let s3 = db::users::by_login(&w.app.db, "s3").await.unwrap().unwrap().actor();
    let input = domain::child::ChildInput {
        iin: iin(150, true),
        surname: "Касымова".into(),
        first_name: "Дана".into(),
        grade: "1".into(),
        study_language: "ru".into(),
        categories: vec!["orphan".into()],
        guardian_name: "Касымов Ерлан".into(),
        consent_by: "parent".into(),
        consent_method: "written".into(),
        consent_date: "01.08.2022".into(),
        source: "school_list".into(),
        ..Default::default()
    };
    let child = db::children::create(&w.app.db, &s3, &c, OrgUnitId(w.school_s3), &input.parse(c.starts_on).unwrap())
        .await
        .unwrap();
    let e = EntryInput {
        source: "programme".into(),
        form: "goods".into(),
        amount: "20 000".into(),
        date: "05.09.2022".into(),
        items: vec![ItemInput { item: "uniform".into(), quantity: "1".into(), value: "20 000".into() }],
        ..Default::default()
    }
    .parse()
    .unwrap();
    db::ledger::record(&w.app.db, &s3, &c, ChildId(child.id), &e, EntryStatus::Delivered).await.unwrap();

    let mut region = w.app.signed_in("karaganda", Role::RegionCoordinator, w.region_a).await;
    let q = "year=2022&from=01.08.2022&to=30.09.2022";
    let page = region.get(&format!("/reports?{q}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // A row per district, each a link one level down.
    assert!(page.body.contains(&format!("unit={}", w.district_a1)), "{}", page.body);
    assert!(page.body.contains("г. Балхаш") && page.body.contains("Каркаралинский район"));
    let dash = region.get(&format!("/dashboard?{q}")).await;
    assert_eq!(dash.status, StatusCode::OK, "{}", dash.body);
    assert!(dash.body.contains("<svg id=\"chart-progress\""));
    assert!(dash.body.contains("<svg id=\"chart-daily\""));

    // The totals: 96 identified, 96 helped, fund 1 682 505, sponsors 1 000 000, other 20 000.
    let headline = |id: &str| -> String {
        let start = dash.body.find(&format!("id=\"{id}\">")).unwrap_or_else(|| panic!("{id} in {}", dash.body));
        let rest = &dash.body[start + id.len() + 6..];
        rest[..rest.find("</dd>").unwrap()].to_owned()
    };
    let want: HashMap<&str, &str> = [
        ("dash-identified", "96"),
        ("dash-helped", "96"),
        ("dash-coverage", "100,0 %"),
        ("dash-fund", "1 682 505 ₸"),
        ("dash-sponsors", "1 000 000 ₸"),
        ("dash-other", "20 000 ₸"),
        ("dash-delivered", "2 702 505 ₸"),
    ]
    .into();
    for (id, value) in &want {
        assert_eq!(headline(id), *value, "dashboard {id}");
    }
    // The same totals row on the page, in Word, in PDF; and the numbers in Excel.
    let totals = "Итого 96 96 100,0 % 1 682 505 ₸ 1 000 000 ₸ 20 000 ₸ 2 702 505 ₸";
    let html = flat(&strip_tags(&page.body));
    assert!(html.contains(totals), "page: {html}");
    let docx = flat(&docx_text(&download(&mut region, &format!("/reports/file/docx?{q}")).await));
    assert!(docx.contains(totals), "docx: {docx}");
    let pdf_bytes = download(&mut region, &format!("/reports/file/pdf?{q}")).await;
    let pdf = flat(&pdf_text(&pdf_bytes));
    assert!(pdf.contains(totals), "pdf: {pdf}");
    assert_eq!(crate::support::pdf_overlaps(&pdf_bytes), Vec::<String>::new(), "no text printed over other text");
    let xlsx = download(&mut region, &format!("/reports/file/xlsx?{q}")).await;
    let rows = xlsx_rows(&xlsx);
    let total_row = rows.iter().find(|r| r.starts_with("Итого 96")).unwrap_or_else(|| panic!("{rows:?}"));
    assert!(total_row.starts_with("Итого 96 96 1 1682505 1000000 20000 2702505"), "xlsx totals: {total_row}");
    // Items by type: 45 backpacks from the fund, one uniform from the programme.
    assert!(pdf.contains("Итого 45 1 0 0 0"), "items by type: {pdf}");
    // Children helped by source: 45 from the fund, 50 by sponsors, one from a programme.
    let by_source = "Итого 96 45 50 1";
    assert!(html.contains(by_source), "page: {html}");
    assert!(docx.contains(by_source), "docx: {docx}");
    assert!(pdf.contains(by_source), "pdf: {pdf}");
    assert!(rows.iter().any(|r| r == by_source), "xlsx: {rows:?}");
    assert!(html.contains("Дети, получившие помощь, по источникам"));

    // The republic: one row per region (20), the same totals.
    let mut republic = w.app.signed_in("rep", Role::RepublicCoordinator, w.republic).await;
    let page = republic.get(&format!("/reports?{q}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(flat(&strip_tags(&page.body)).contains(totals));
    assert!(page.body.contains("Карагандинская"));
    // The API gives the same figures.
    let api = republic.get(&format!("/api/v1/reports/consolidated?{q}")).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let j = api.json();
    assert_eq!(j["total"]["identified"], 96);
    assert_eq!(j["total"]["by_source"]["fund"], 168_250_500);
    assert_eq!(j["rows"].as_array().unwrap().len(), 20);
    assert_eq!(
        (j["total"]["helped_by"]["fund"].as_i64(), j["total"]["helped_by"]["sponsor"].as_i64()),
        (Some(45), Some(50))
    );
    // A sponsor helps the programme's child too, after the period: in the whole campaign the
    // child counts once among the helped and once in each of its two sources.
    let gift = EntryInput {
        source: "sponsor".into(),
        form: "goods".into(),
        amount: "10 000".into(),
        date: "05.10.2022".into(),
        organised_by: "ТОО «Арман жол»".into(),
        giver_kind: "company".into(),
        ..Default::default()
    };
    db::ledger::record(&w.app.db, &s3, &c, ChildId(child.id), &gift.parse().unwrap(), EntryStatus::Delivered)
        .await
        .unwrap();
    let whole = republic.get("/api/v1/reports/consolidated?year=2022").await.json();
    let by = |g: &str| whole["total"]["helped_by"][g].as_i64().unwrap_or(0);
    assert_eq!((whole["total"]["helped"].as_i64(), by("fund"), by("sponsor"), by("other")), (Some(96), 45, 51, 1));
    let period = republic.get(&format!("/api/v1/reports/consolidated?{q}")).await.json();
    assert_eq!(period["total"]["helped_by"]["sponsor"], 50, "not before its first day");
    republic.post_form("/lang", &[("lang", "kk")]).await;
    let kk = flat(&strip_tags(&republic.get("/reports?year=2022").await.body));
    assert!(kk.contains("Көмек алған балалар көздер бойынша"), "{kk}");
    crate::reports::totals_checked(&w.app.db).await;
}

/// The page's text without its tags.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn bad_questions_get_clear_answers_never_a_500() {
    let Seed { w, mut school } = seed_school().await;
    let mut region = w.app.signed_in("karaganda", Role::RegionCoordinator, w.region_a).await;
    // A period that ends before it starts: the form comes back with what was typed.
    let r = region.get("/reports?year=2022&from=30.09.2022&to=01.08.2022").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Конец периода раньше его начала."), "{}", r.body);
    assert!(r.body.contains("value=\"30.09.2022\""));
    let r = region.get("/reports?year=2022&from=31.02.2022").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("С даты"), "the field is named: {}", r.body);
    // A year with no campaign.
    let r = region.get("/reports?year=2019").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Акция этого года ещё не заведена"), "{}", r.body);
    let r = region.get("/dashboard?year=2019").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A scope the user does not have: another region, another school.
    let other = w.app.region("KZ-71").await;
    let r = region.get(&format!("/reports?year=2022&unit={other}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = region.get(&format!("/reports/file/pdf?year=2022&unit={}", w.district_b1)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = school.get(&format!("/reports?year=2022&unit={}", w.school_s2)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = region.get(&format!("/api/v1/reports/consolidated?year=2022&unit={other}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A unit with no data: an honest empty report in every format.
    let r = region.get(&format!("/reports?year=2022&unit={}", w.district_a2)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Данных за этот период нет"), "{}", r.body);
    let pdf =
        flat(&pdf_text(&download(&mut region, &format!("/reports/file/pdf?year=2022&unit={}", w.district_a2)).await));
    assert!(pdf.contains("Данных за этот период нет") && pdf.contains("Итого 0 0 —"), "{pdf}");
    let r = region.get(&format!("/reports/file/docx?year=2022&unit={}", w.school_s2)).await;
    assert_eq!(r.status, StatusCode::OK);
    // A period with no help in it.
    let r = region.get("/reports?year=2022&from=01.01.2022&to=31.01.2022").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(strip_tags(&r.body).contains("Итого"));
    // Sponsors see no reports (their own help report is elsewhere).
    let mut sponsor = w.app.signed_in("sp", Role::Sponsor, w.region_a).await;
    assert_eq!(sponsor.get("/reports?year=2022").await.status, StatusCode::FORBIDDEN);
    assert_eq!(sponsor.get("/api/v1/reports/consolidated?year=2022").await.status, StatusCode::FORBIDDEN);
    // The API names the field of a bad hand-written part and keeps nothing of it.
    let long = "м".repeat(4001);
    let r = school
        .json(
            Method::PUT,
            "/api/v1/reports/school/notes",
            serde_json::json!({"unit": w.school_s1, "year": 2022, "measures": long}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "measures");
    let r = school
        .json(
            Method::PUT,
            "/api/v1/reports/school/notes",
            serde_json::json!({"unit": w.school_s1, "year": 2022, "measures": "План"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let j = school.get("/api/v1/reports/school?year=2022").await.json();
    assert_eq!(j["notes"]["measures"], "План");
    // The raids come from their records (none here), never typed.
    assert_eq!(j["raids"]["stats"]["raids"], 0);
    assert!(j["raids"]["lines"].as_array().unwrap().is_empty());
    assert_eq!(j["fund_pupils"], 45);
    // An unknown format, measures too long (what was typed is kept).
    assert_eq!(region.get("/reports/file/exe?year=2022").await.status, StatusCode::NOT_FOUND);
    let typed = format!("План{}", "!".repeat(4000));
    let r = school.post_form("/reports/notes", &[("year", "2022"), ("measures", &typed)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Проведённые мероприятия") && r.body.contains(&format!(">{typed}</textarea>")),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn the_previous_campaign_is_compared_over_the_same_days() {
    let Seed { w, .. } = seed_school().await;
    let f = domain::child::CampaignInput {
        year: "2023".into(),
        starts_on: "01.08.2023".into(),
        ends_on: "30.09.2023".into(),
        motto_ru: "Мектепке жол".into(),
        motto_kk: "Мектепке жол".into(),
        default_norm: "46 228".into(),
    }
    .parse()
    .unwrap();
    db::campaigns::create(&w.app.db, None, &f).await.unwrap();
    let mut district = w.app.signed_in("dist", Role::DistrictCoordinator, w.district_a1).await;
    let r = district.get("/reports?year=2023&from=01.08.2023&to=31.08.2023").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let text = flat(&strip_tags(&r.body));
    // August 2022: 32 pupils from the fund and 50 from sponsors (all sponsor help was on 25.08).
    assert!(text.contains("Получили помощь 0 82"), "{text}");
    assert!(text.contains("Фонд всеобуча 0 ₸ 1 196 448 ₸"), "{text}");
}

#[tokio::test]
async fn the_national_data_set_keeps_the_ledger_invariants_and_the_reports_add_up() {
    let app = crate::support::TestApp::new().await;
    let scale = db::national::Scale::NATIONAL.times(0.002);
    assert_eq!(db::national::Scale::NATIONAL.times(1.0).schools, 7_500);
    let s = db::national::load(&app.db, scale).await.unwrap();
    assert_eq!(s.children, 1_000);
    assert!(s.schools == 20 && s.districts == 20, "one school and district in every region at this scale: {s:?}");
    assert!((2_500..3_600).contains(&s.entries), "about three entries a child: {s:?}");
    // Loading twice is refused rather than doubling the campaign.
    assert!(db::national::load(&app.db, scale).await.is_err());

    use sea_orm::{ConnectionTrait, Statement};
    let one = |sql: &str| {
        let db = app.db.clone();
        let sql = sql.to_owned();
        async move {
            let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
            row.try_get_by_index::<i64>(0).unwrap()
        }
    };
    // Every fund's spent is its delivered entries, never above its allocation.
    let mismatched = one(
        "SELECT COUNT(*) FROM funds f WHERE f.spent <> (SELECT CAST(COALESCE(SUM(e.amount), 0) AS BIGINT) FROM ledger_entries e \
         WHERE e.school_id = f.school_id AND e.campaign_id = f.campaign_id AND e.source = 'fund' \
         AND e.status IN ('delivered', 'confirmed')) OR f.spent > f.allocation",
    )
    .await;
    assert_eq!(mismatched, 0);
    // Reversals negate their entries.
    assert_eq!(
        one("SELECT COUNT(*) FROM ledger_entries r JOIN ledger_entries e ON e.id = r.reverses_id WHERE r.amount <> -e.amount").await,
        0
    );
    // The republic's consolidated totals are the raw totals, and the rows add up to them.
    let republic = db::org::republic(&app.db).await.unwrap().unwrap();
    app.user("rep", Role::RepublicCoordinator, republic.id).await;
    let actor = db::users::by_login(&app.db, "rep").await.unwrap().unwrap().actor();
    let c = db::campaigns::current(&app.db).await.unwrap().unwrap();
    let r = db::reports::consolidated(&app.db, &actor, &c, None, db::reports::Period::default()).await.unwrap();
    assert_eq!(r.rows.len(), 20);
    assert_eq!(r.total.identified, 1_000);
    let delivered =
        one("SELECT CAST(SUM(amount) AS BIGINT) FROM ledger_entries WHERE status IN ('delivered', 'confirmed')").await;
    assert_eq!(r.total.delivered(), delivered);
    let helped =
        one("SELECT COUNT(DISTINCT e.child_id) FROM ledger_entries e WHERE e.status IN ('delivered', 'confirmed') \
         AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)")
        .await;
    assert_eq!(r.total.helped, helped);
    assert_eq!(r.rows.iter().map(|row| row.figures.delivered()).sum::<i64>(), delivered);
    assert_eq!(r.rows.iter().map(|row| row.figures.identified).sum::<i64>(), 1_000);
    let sum_items: i64 = r.total.items.values().sum();
    let raw_items =
        one("SELECT CAST(SUM(i.quantity) AS BIGINT) FROM ledger_items i JOIN ledger_entries e ON e.id = i.entry_id \
         WHERE e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL \
         AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)")
        .await;
    assert_eq!(sum_items, raw_items);
    // The running totals were kept through the load.
    let by_school = totals_match_ledger(&app.db).await;
    assert_eq!(by_school.values().map(|f| f.helped).sum::<i64>(), helped);
    // A new record after the load gets a fresh id (the sequences moved past the loaded ids).
    let region = db::org::region_by_code(&app.db, "KZ-35").await.unwrap().unwrap();
    let d = app.district(region.id, "Новый район", "Жаңа аудан").await;
    assert!(d > 0);
}

/// The running totals the database keeps equal what the registry and the ledger add up to: the
/// whole campaign's school by school, and every period's by day; the figures by school path.
pub async fn totals_match_ledger(db: &db::Db) -> HashMap<String, db::reports::Figures> {
    use sea_orm::EntityTrait;
    let all = whole_totals_match_ledger(db).await;
    for c in db::entity::campaign::Entity::find().all(db).await.unwrap() {
        days_match_ledger(db, &c).await;
        passport_matches_registry(db, &c).await;
    }
    given_matches_ledger(db).await;
    all
}

/// The passport from its running totals equals the passport counted from the registry, for
/// every unit of the country.
async fn passport_matches_registry(db: &db::Db, c: &db::entity::campaign::Model) {
    use sea_orm::EntityTrait;
    let units = db::entity::org_unit::Entity::find().all(db).await.unwrap();
    let Some(root) = units.iter().find(|u| u.parent_id.is_none()) else { return };
    let actor = domain::Actor {
        user_id: domain::UserId(0),
        login: "check".into(),
        role: domain::Role::RepublicCoordinator,
        scope: domain::Scope::new(domain::OrgUnitId(root.id), root.path.clone()),
    };
    for u in &units {
        let (campaign, unit) = (domain::CampaignId(c.id), domain::OrgUnitId(u.id));
        let kept = db::passport::compute(db, &actor, campaign, unit).await.unwrap();
        let counted = db::passport::from_registry(db, &actor, campaign, unit).await.unwrap();
        assert_eq!(kept.1, counted.1, "campaign {}, unit {}: the passport's totals", c.year, u.path);
        let rows = |r: &[db::passport::Row]| r.iter().map(|r| (r.unit.id, r.passport.clone())).collect::<Vec<_>>();
        assert_eq!(rows(&kept.2), rows(&counted.2), "campaign {}, unit {}: the passport's rows", c.year, u.path);
    }
}

/// What each child was given by the ledger and needs by its record, as its help row keeps them.
async fn given_matches_ledger(db: &db::Db) {
    use sea_orm::ConnectionTrait;
    let b = db.get_database_backend();
    let pairs = |sql: &str| {
        let sql = sql.to_owned();
        async move {
            let rows = db.query_all_raw(sea_orm::Statement::from_string(b, sql)).await.unwrap();
            let mut out: Vec<(i64, i64, i64)> = rows
                .iter()
                .map(|r| {
                    (r.try_get_by_index(0).unwrap(), r.try_get_by_index(1).unwrap(), r.try_get_by_index(2).unwrap())
                })
                .collect();
            out.sort_unstable();
            out
        }
    };
    let kept = pairs(
        "SELECT h.child_id, h.given, h.needs_cost FROM child_help h \
         WHERE h.given <> 0 OR EXISTS (SELECT 1 FROM ledger_entries e WHERE e.child_id = h.child_id)",
    )
    .await;
    let counted = pairs(
        "SELECT e.child_id, CAST(SUM(e.amount) AS BIGINT), MAX(c.needs_cost) FROM ledger_entries e \
         JOIN children c ON c.id = e.child_id GROUP BY e.child_id",
    )
    .await;
    assert_eq!(kept, counted, "what each child was given and needs");
    let stale = pairs(
        "SELECT h.child_id, h.needs_cost, c.needs_cost FROM child_help h JOIN children c ON c.id = h.child_id \
         WHERE h.needs_cost <> c.needs_cost",
    )
    .await;
    assert!(stale.is_empty(), "the help rows' copies of the needs: {stale:?}");
}

/// The whole campaign's running totals against the registry and the ledger, school by school.
pub async fn whole_totals_match_ledger(db: &db::Db) -> HashMap<String, db::reports::Figures> {
    whole_totals_match_ledger_as(db, true).await
}

/// The same, on a schema that may be older than the children helped by source (`groups` false:
/// those figures are left out on both sides).
pub async fn whole_totals_match_ledger_as(db: &db::Db, groups: bool) -> HashMap<String, db::reports::Figures> {
    use db::reports::Grouping::School;
    let fold = |statements| async move {
        let mut figures = db::reports::fold(db, statements).await.unwrap();
        if !groups {
            figures.values_mut().for_each(|f| f.helped_by.clear());
        }
        figures
    };
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let b = db.get_database_backend();
    let mut all = HashMap::new();
    for c in db::entity::campaign::Entity::find().all(db).await.unwrap() {
        let kept = fold(db::reports::totals_statements(b, c.id, None, School)).await;
        let whole = db::reports::Period::default();
        let live = fold(db::reports::ledger_statements(b, c.id, None, whole, School)).await;
        assert_eq!(kept, live, "campaign {}: running totals against the ledger", c.year);
        // The same through each district's list of schools (how a district's or region's report
        // reads the ledger).
        let districts = db::entity::org_unit::Entity::find()
            .filter(db::entity::org_unit::Column::Kind.eq("district"))
            .all(db)
            .await
            .unwrap();
        for d in districts {
            let schools = db::reports::school_paths(db, &d.path).await.unwrap();
            let schools = schools.as_deref();
            let kept = fold(db::reports::totals_statements(b, c.id, schools, School)).await;
            let live = fold(db::reports::ledger_statements(b, c.id, schools, whole, School)).await;
            assert_eq!(kept, live, "campaign {}, district {}: running totals against the ledger", c.year, d.path);
        }
        all.extend(kept);
    }
    all
}

/// The running totals by day give every period what the registry and the ledger give it, for
/// the republic, each region and each district, by the units below: periods cut at the days
/// the campaign's help was given on.
async fn days_match_ledger(db: &db::Db, c: &db::entity::campaign::Model) {
    use db::reports::{Grouping::Below, Period};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let b = db.get_database_backend();
    let days: Vec<chrono::NaiveDate> = db::entity::ledger_entry::Entity::find()
        .select_only()
        .column(db::entity::ledger_entry::Column::EntryDate)
        .distinct()
        .filter(db::entity::ledger_entry::Column::CampaignId.eq(c.id))
        .order_by_asc(db::entity::ledger_entry::Column::EntryDate)
        .into_tuple()
        .all(db)
        .await
        .unwrap();
    let (Some(first), Some(last)) = (days.first().copied(), days.last().copied()) else { return };
    let mid = days[days.len() / 2];
    let periods = [
        (Some(first), Some(mid)),
        (mid.succ_opt(), Some(last)),
        (None, Some(mid)),
        (Some(mid), None),
        (Some(last), Some(last)),
    ];
    let units = db::entity::org_unit::Entity::find()
        .filter(db::entity::org_unit::Column::Kind.is_in(["republic", "region", "district"]))
        .all(db)
        .await
        .unwrap();
    for (from, to) in periods {
        let Ok(period) = Period::new(from, to) else { continue };
        for u in &units {
            let schools = db::reports::school_paths(db, &u.path).await.unwrap();
            let kept = db::reports::fold(db, db::reports::day_statements(b, c.id, &u.path, period, Below(&u.path)))
                .await
                .unwrap();
            let live = db::reports::fold(
                db,
                db::reports::ledger_statements(b, c.id, schools.as_deref(), period, Below(&u.path)),
            )
            .await
            .unwrap();
            assert_eq!(kept, live, "campaign {}, {} from {from:?} to {to:?}: days against the ledger", c.year, u.path);
        }
    }
}

/// The running totals of every school and campaign added up, once they are held to the ledger.
pub async fn totals_checked(db: &db::Db) -> db::reports::Figures {
    let mut all = db::reports::Figures::default();
    for f in totals_match_ledger(db).await.values() {
        all.merge(f);
    }
    all
}

/// The seeded school's coordinator, the 2022 campaign and its first child.
async fn first_child(db: &db::Db) -> (domain::Actor, db::entity::campaign::Model, db::entity::child::Model) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let actor = db::users::by_login(db, "school1").await.unwrap().unwrap().actor();
    let c = db::campaigns::by_year(db, 2022).await.unwrap().unwrap();
    let kid = db::entity::child::Entity::find()
        .filter(db::entity::child::Column::Iin.eq(iin(1, false)))
        .one(db)
        .await
        .unwrap()
        .expect("the first child");
    (actor, c, kid)
}

#[tokio::test]
async fn the_running_totals_follow_every_write_and_never_drift_from_the_ledger() {
    use db::reports::Figures;
    let Seed { w, .. } = seed_school().await;
    let db = &w.app.db;
    use sea_orm::EntityTrait;
    let path =
        |id: i64| async move { db::entity::org_unit::Entity::find_by_id(id).one(db).await.unwrap().unwrap().path };
    let (p1, p2) = (path(w.school_s1).await, path(w.school_s3).await);
    let at = |all: &HashMap<String, Figures>, p: &str| all.get(p).cloned().unwrap_or_default();
    let f = at(&totals_match_ledger(db).await, &p1);
    assert_eq!((f.identified, f.helped, f.item("backpack")), (95, 95, 45));
    assert_eq!(f.source("fund"), (1_196_448 + 486_057) * 100);
    assert_eq!((f.category("asp"), f.category("large_family")), (64, 31));

    let (actor, c, kid) = first_child(db).await;
    let fund_entry = db::ledger::for_child(db, &actor, ChildId(kid.id)).await.unwrap().remove(0);

    // A reversal takes the help, the backpack and the money away; the child is no longer helped.
    db::ledger::reverse(db, &actor, EntryId(fund_entry.id), "Ошибка в сумме").await.unwrap();
    let f = at(&totals_match_ledger(db).await, &p1);
    assert_eq!((f.helped, f.item("backpack")), (94, 44));
    assert_eq!(f.source("fund"), (1_196_448 + 486_057 - 37_389) * 100);

    // Planned help counts nowhere until it is delivered, then once.
    let planned_input = EntryInput {
        source: "fund".into(),
        form: "goods".into(),
        amount: "20000".into(),
        date: "01.09.2022".into(),
        items: vec![
            ItemInput { item: "backpack".into(), quantity: "1".into(), value: "12000".into() },
            ItemInput { item: "shoes".into(), quantity: "2".into(), value: "8000".into() },
        ],
        ..Default::default()
    };
    let planned = planned_input.clone().parse().unwrap();
    let e = db::ledger::record(db, &actor, &c, ChildId(kid.id), &planned, EntryStatus::Planned).await.unwrap();
    let f = at(&totals_match_ledger(db).await, &p1);
    assert_eq!((f.helped, f.item("backpack"), f.item("shoes")), (94, 44, 0));
    db::ledger::set_status(db, &actor, EntryId(e.id), EntryStatus::Delivered).await.unwrap();
    let f = at(&totals_match_ledger(db).await, &p1);
    assert_eq!((f.helped, f.item("backpack"), f.item("shoes")), (95, 45, 2));
    assert_eq!(f.source("fund"), (1_196_448 + 486_057 - 37_389 + 20_000) * 100);

    // New categories and needs are counted at once.
    let input = domain::child::ChildInput {
        iin: kid.iin.clone(),
        surname: "Ахметова".into(),
        first_name: "Айгерим".into(),
        grade: "1".into(),
        study_language: "kk".into(),
        categories: vec!["orphan".into(), "large_family".into()],
        guardian_name: "Ахметова Сауле".into(),
        consent_by: "parent".into(),
        consent_method: "written".into(),
        consent_date: "01.08.2022".into(),
        source: "school_list".into(),
        needs: vec![domain::child::NeedInput { item: "backpack".into(), cost: "45 000".into(), ..Default::default() }],
        ..Default::default()
    };
    db::children::update(db, &actor, ChildId(kid.id), &input.parse(c.starts_on).unwrap()).await.unwrap();
    let f = at(&totals_match_ledger(db).await, &p1);
    assert_eq!((f.category("asp"), f.category("large_family"), f.category("orphan")), (63, 32, 1));
    assert_eq!(f.need, 45_000 * 100);

    // A transfer moves the child, its categories, needs and help to the new school.
    w.app.user("school2", Role::SchoolCoordinator, w.school_s3).await;
    let school2 = db::users::by_login(db, "school2").await.unwrap().unwrap().actor();
    let iin1 = domain::iin::Iin::parse(&kid.iin).unwrap();
    let t = db::children::request_transfer(db, &school2, CampaignId(c.id), &iin1, OrgUnitId(w.school_s3), "")
        .await
        .unwrap();
    db::children::decide_transfer(db, &actor, TransferId(t.id), true).await.unwrap();
    let all = totals_match_ledger(db).await;
    let (f1, f2) = (at(&all, &p1), at(&all, &p2));
    assert_eq!((f1.identified, f1.helped, f1.need, f1.category("orphan")), (94, 94, 0, 0));
    assert_eq!((f2.identified, f2.helped, f2.need, f2.category("orphan")), (1, 1, 45_000 * 100, 1));
    // The money stays where it was given.
    assert_eq!((f1.item("shoes"), f2.item("shoes"), f2.delivered()), (2, 0, 0));

    // The sponsors' help, reversed while still planned, never counted.
    let from_sponsor = EntryInput {
        source: "sponsor".into(),
        organised_by: "ИП Аспандиров".into(),
        giver_kind: "entrepreneur".into(),
        ..planned_input
    };
    let e = db::ledger::record(db, &school2, &c, ChildId(kid.id), &from_sponsor.parse().unwrap(), EntryStatus::Planned)
        .await
        .unwrap();
    db::ledger::reverse(db, &school2, EntryId(e.id), "Не состоялось").await.unwrap();
    let all = totals_match_ledger(db).await;
    assert_eq!((at(&all, &p2).helped, at(&all, &p2).item("shoes"), at(&all, &p2).delivered()), (1, 0, 0));
}

#[tokio::test]
async fn one_statement_writing_children_and_categories_at_two_schools_keeps_each_schools_totals() {
    use db::entity::{child, child_category, org_unit};
    use sea_orm::{
        ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    };
    let Seed { w, .. } = seed_school().await;
    let db = &w.app.db;
    let one = |id: i64| async move { org_unit::Entity::find_by_id(id).one(db).await.unwrap().unwrap() };
    let (s1, s3) = (one(w.school_s1).await, one(w.school_s3).await);
    let before = totals_match_ledger(db).await;
    let at = |all: &HashMap<String, db::reports::Figures>, p: &str| all.get(p).cloned().unwrap_or_default();
    let kids = child::Entity::find().filter(child::Column::SchoolId.eq(s1.id)).all(db).await.unwrap();
    let kept = child_category::Entity::find()
        .filter(child_category::Column::ChildId.is_in(kids.iter().map(|k| k.id)))
        .all(db)
        .await
        .unwrap();
    assert_eq!(kids.len(), 95);

    // One statement registers a copy of each of the 95 children, every other one at the second
    // school (in another district); one more gives the copies their categories; one takes every
    // copy's "asp" category away again.
    let txn = db::write_txn(db).await.unwrap();
    let copies = kids.iter().enumerate().map(|(i, k)| {
        let mut m = k.clone().into_active_model().reset_all();
        m.id = NotSet;
        m.iin = Set(format!("99{i:010}"));
        if i % 2 == 1 {
            m.school_id = Set(s3.id);
            m.unit_path = Set(s3.path.clone());
        }
        m
    });
    let added = child::Entity::insert_many(copies).exec_with_returning(&txn).await.unwrap();
    let copy_of: HashMap<i64, i64> =
        added.iter().map(|m| (kids[m.iin[2..].parse::<usize>().unwrap()].id, m.id)).collect();
    let categories = kept.iter().map(|k| child_category::ActiveModel {
        child_id: Set(copy_of[&k.child_id]),
        category: Set(k.category.clone()),
    });
    child_category::Entity::insert_many(categories).exec_without_returning(&txn).await.unwrap();
    txn.commit().await.unwrap();

    let copies_at = |school: i64| added.iter().filter(|m| m.school_id == school).map(|m| m.id).collect::<Vec<_>>();
    let (at_s1, at_s3) = (copies_at(s1.id), copies_at(s3.id));
    assert_eq!((at_s1.len(), at_s3.len()), (48, 47));
    let count = |ids: &[i64], category: &str| {
        kept.iter().filter(|k| k.category == category && ids.contains(&copy_of[&k.child_id])).count() as i64
    };
    let need = |ids: &[i64]| added.iter().filter(|m| ids.contains(&m.id)).map(|m| m.needs_cost).sum::<i64>();
    let after = totals_match_ledger(db).await;
    let (b1, b3, a1, a3) = (at(&before, &s1.path), at(&before, &s3.path), at(&after, &s1.path), at(&after, &s3.path));
    assert_eq!(a1.identified, b1.identified + 48);
    assert_eq!(a3.identified, b3.identified + 47);
    assert_eq!(a1.need, b1.need + need(&at_s1));
    assert_eq!(a3.need, b3.need + need(&at_s3));
    for category in ["asp", "large_family"] {
        assert_eq!(a1.category(category), b1.category(category) + count(&at_s1, category), "{category} at school 1");
        assert_eq!(a3.category(category), b3.category(category) + count(&at_s3, category), "{category} at school 3");
    }
    assert!(count(&at_s1, "asp") > 0 && count(&at_s3, "asp") > 0, "both schools get copies with the category");

    child_category::Entity::delete_many()
        .filter(child_category::Column::ChildId.is_in(added.iter().map(|m| m.id)))
        .filter(child_category::Column::Category.eq("asp"))
        .exec(db)
        .await
        .unwrap();
    let gone = totals_match_ledger(db).await;
    let (g1, g3) = (at(&gone, &s1.path), at(&gone, &s3.path));
    assert_eq!((g1.category("asp"), g3.category("asp")), (b1.category("asp"), b3.category("asp")));
    assert_eq!(g1.category("large_family"), a1.category("large_family"));
}

#[tokio::test]
async fn a_national_load_that_fails_half_way_leaves_its_committed_part_counted_and_the_triggers_kept() {
    use sea_orm::ConnectionTrait;
    let app = crate::support::TestApp::new().await;
    let db = &app.db;
    // Child 700 cannot be written: the load stops after its first transactions are committed.
    let induced = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => vec![
            "CREATE FUNCTION induced_failure() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF NEW.id = 700 THEN RAISE EXCEPTION 'induced failure'; END IF; RETURN NEW; END $$",
            "CREATE TRIGGER induced_failure BEFORE INSERT ON children FOR EACH ROW EXECUTE FUNCTION induced_failure()",
        ],
        _ => vec![
            "CREATE TRIGGER induced_failure BEFORE INSERT ON children WHEN NEW.id = 700 \
             BEGIN SELECT RAISE(ABORT, 'induced failure'); END",
        ],
    };
    for sql in induced {
        db.execute_unprepared(sql).await.unwrap();
    }
    let scale = db::national::Scale { children_per_commit: 250, ..db::national::Scale::NATIONAL.times(0.002) };
    let err = db::national::load(db, scale).await.expect_err("the load stops at child 700");
    assert!(format!("{err:?}").contains("induced failure"), "{err:?}");

    // What was committed is in the totals, equal to the ledger.
    let committed = totals_checked(db).await;
    assert!((250..700).contains(&committed.identified), "{committed:?}");
    assert!(committed.delivered() > 0);
    // And the triggers count what is written next.
    db.execute_unprepared("DELETE FROM child_categories WHERE child_id IN (SELECT id FROM children WHERE id <= 100)")
        .await
        .unwrap();
    let after = totals_checked(db).await;
    let categories = |f: &db::reports::Figures| f.categories.values().sum::<i64>();
    assert!(categories(&after) < categories(&committed), "{after:?}");
}

#[tokio::test]
async fn a_database_with_data_gets_its_running_totals_when_migrated() {
    use sea_orm::ConnectionTrait;
    use sea_orm_migration::MigratorTrait;
    let Seed { w, .. } = seed_school().await;
    let db = &w.app.db;
    let before = totals_match_ledger(db).await;
    assert!(before.values().any(|f| f.helped == 95), "the seeded school is in the totals: {before:?}");
    // Back to the schema before the running totals, with all the data kept, and forward again:
    // the migration sums what is there.
    // A step down over m0022 (appeals' totals by day), one over m0021 (appeals), one over m0020 (findings' photos), one over m0019 (the field's totals by day), one over m0018 (attendance), one over m0017 (raids), one over m0016 (children helped by source: its summed rows
    // stay), one over m0015
    // (deliveries confirmed by the school, unit details), then
    // a first step down (m0014, the sponsors' index by region) and a second (m0013, the search
    // keys' folding), then one more (m0012, throttling),
    // two (m0011, the import jobs' heartbeat), three (m0010, the checks' and passport's totals),
    // four (m0009, the totals by day) and five (m0008, the scope's indexes), nothing changes for
    // the whole campaign's totals; six steps, they are kept by m0006's row triggers again; seven
    // steps, they are gone.
    // Each step is read on new connections: PostgreSQL's cached statements would refuse columns
    // whose collation a step changed.
    let fresh = || async { db::connect(&w.app.url, 2).await.unwrap() };
    let mut older = before.clone();
    older.values_mut().for_each(|f| f.helped_by.clear());
    for step in 0..16 {
        db::migration::Migrator::down(db, Some(1)).await.unwrap();
        // Before m0016 the schema keeps no children by source; the rest must not change.
        let (groups, expected) = if step <= 6 { (true, &before) } else { (false, &older) };
        assert_eq!(&whole_totals_match_ledger_as(&fresh().await, groups).await, expected, "step {step}");
    }
    db::migration::Migrator::down(db, Some(1)).await.unwrap();
    let gone = db.execute_unprepared("SELECT COUNT(*) FROM report_totals").await;
    assert!(gone.is_err(), "the totals table is gone after the step down");
    db::migration::Migrator::up(db, None).await.unwrap();
    assert_eq!(totals_match_ledger(db).await, before);

    // A trigger lost (a national load that died half way drops them) is made again at the next
    // start, and what was written meanwhile is counted.
    let drop = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => "DROP TRIGGER report_totals_entry_new ON ledger_entries",
        _ => "DROP TRIGGER report_totals_entry_new",
    };
    db.execute_unprepared(drop).await.unwrap();
    let (actor, c, kid) = first_child(db).await;
    let gift = EntryInput {
        source: "fair".into(),
        form: "goods".into(),
        amount: "5 000".into(),
        date: "01.09.2022".into(),
        organised_by: "Ярмарка".into(),
        ..Default::default()
    };
    db::ledger::record(db, &actor, &c, ChildId(kid.id), &gift.parse().unwrap(), EntryStatus::Delivered).await.unwrap();
    let all_kept = |m: &HashMap<String, db::reports::Figures>| m.values().map(|f| f.source("fair")).sum::<i64>();
    let b = db.get_database_backend();
    let drifted = db::reports::fold(db, db::reports::totals_statements(b, c.id, None, db::reports::Grouping::School))
        .await
        .unwrap();
    assert_eq!(all_kept(&drifted), 0, "without its trigger the fair's help is not counted");
    db::migrate(db).await.unwrap();
    let healed = totals_match_ledger(db).await;
    assert_eq!(all_kept(&healed), 500_000);
}
