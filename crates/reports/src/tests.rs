//! The writers alone: one small report in, each format read back.

use std::io::Read;
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx};
use domain::Locale;
use i18n::{Catalog, I18n};

use crate::{Cell, Part, Report};

fn t(locale: Locale) -> I18n {
    I18n::new(Arc::new(Catalog::load().expect("catalogues")), locale)
}

fn sample() -> Report {
    Report {
        title: "Отчёт Балхаш".into(),
        subtitle: "за период".into(),
        parts: vec![
            Part::Heading("Деньги".into()),
            Part::Para("Абзац «Мектепке жол»".into()),
            Part::Table {
                columns: vec!["Школа".into(), "Дети".into(), "Сумма".into(), "Охват".into()],
                rows: vec![
                    vec![
                        Cell::Link("Школа №1".into(), "/reports?unit=5".into()),
                        Cell::Count(1234),
                        Cell::Money(119_644_800),
                        Cell::Permille(Some(875)),
                    ],
                    vec![Cell::Text("Школа №2".into()), Cell::Count(0), Cell::Money(5), Cell::Permille(None)],
                ],
                total: Some(vec![
                    Cell::Text("Итого".into()),
                    Cell::Count(1234),
                    Cell::Money(119_644_805),
                    Cell::Permille(Some(875)),
                ]),
            },
            Part::Signature {
                role: "Директор".into(), name: "Әбдіқадырова".into(), after: vec!["М.П.".into()]
            },
            Part::Letterhead {
                sender: vec!["Школа № 1".into()], addressee: vec!["Отделу образования".into()]
            },
        ],
        footer: "Мектепке жол 2026".into(),
        landscape: true,
    }
}

#[test]
fn cells_read_as_people_write_them() {
    let t = t(Locale::Ru);
    assert_eq!(Cell::Count(1234).show(&t), domain::format::group_thousands(1234));
    assert_eq!(Cell::Money(119_644_800).show(&t), t.tiyn(&119_644_800));
    assert_eq!(Cell::Permille(Some(875)).show(&t), "87,5 %");
    assert_eq!(Cell::Permille(None).show(&t), "—");
    assert_eq!(Cell::Link("a".into(), "/x".into()).show(&t), "a");
    assert!(Cell::Money(1).numeric() && !Cell::Link("a".into(), "/x".into()).numeric());
}

#[test]
fn excel_gets_real_numbers_under_their_headings() {
    let bytes = sample().to_xlsx(&t(Locale::Kk)).expect("xlsx");
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("an xlsx");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("the sheet");
    let cells: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    let row_of = |text: &str| {
        cells.iter().position(|r| r.first() == Some(&Data::String(text.into()))).unwrap_or_else(|| panic!("{text}"))
    };
    assert_eq!(cells[0][0], Data::String("Отчёт Балхаш".into()));
    let first = &cells[row_of("Школа №1")];
    assert_eq!(first[1], Data::Float(1234.0));
    assert_eq!(first[2], Data::Float(1_196_448.0), "money in tenge with tiyn");
    assert_eq!(first[3], Data::Float(0.875));
    assert_eq!(cells[row_of("Школа №2")][3], Data::String("—".into()));
    assert_eq!(cells[row_of("Итого")][2], Data::Float(1_196_448.05));
    assert!(row_of("Деньги") < row_of("Школа"), "the heading stands above its table");
}

#[test]
fn word_shows_the_same_figures_formatted() {
    let t = t(Locale::Ru);
    let bytes = sample().to_docx(&t).expect("docx");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a docx is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml").expect("document.xml").read_to_string(&mut xml).expect("utf-8");
    for text in ["Отчёт Балхаш", "Абзац «Мектепке жол»", "Школа №1", "87,5 %", "Әбдіқадырова"]
    {
        assert!(xml.contains(text), "{text}");
    }
    assert!(xml.contains(&t.tiyn(&119_644_805)), "the total, formatted");
    assert!(xml.contains("w:orient=\"landscape\""), "wide tables get landscape pages");
}

#[test]
fn the_pdf_is_a_pdf_with_the_fonts_embedded() {
    let bytes = sample().to_pdf(&t(Locale::Kk)).expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    assert!(bytes.windows(b"DejaVu".len()).any(|w| w == b"DejaVu"), "DejaVu Sans embedded");
}
