//! The children file's template as a school fills it in Excel: the headers in the user's
//! language (the required ones marked), an example row that is never imported, drop-downs of
//! the coded columns' labels in that language, and a sheet of instructions.

use domain::Locale;
use i18n::Catalog;
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Formula, Workbook, XlsxError};

use super::read::{COLUMNS, REQUIRED, coded, header};

/// Rows the drop-downs cover (the most a file may have is larger; a school's list is smaller).
const ROWS_WITH_LISTS: u32 = 5_000;

/// The example row: a made-up pupil, each value as the column takes it. The IIN cell carries
/// the mark that makes the reader skip the row.
fn example(catalog: &Catalog, locale: Locale, column: &str) -> String {
    let label = |key: &str| catalog.text(locale, key, None);
    match column {
        "iin" => format!("{} 150301650012", label("import-example-mark")),
        "surname" => "Ахметова".into(),
        "first_name" => "Айгерим".into(),
        "patronymic" => "Ерлановна".into(),
        "birth_date" => "01.03.2015".into(),
        "grade" => "5".into(),
        "study_language" => label("study-language-kk"),
        "categories" => format!("{}; {}", label("category-asp"), label("category-large-family")),
        "guardian_name" => "Ахметова Сауле Маратовна".into(),
        "guardian_relation" => label("import-example-mother"),
        "guardian_phone" => "+7 701 123 45 67".into(),
        "settlement" => "г. Балхаш".into(),
        "family_children" => "4".into(),
        "consent_by" => label("consent-by-parent"),
        "consent_method" => label("consent-method-written"),
        "consent_date" => "01.08.2026".into(),
        "source" => label("source-school-list"),
        "need_uniform" => "25 000".into(),
        "size_uniform" => "134".into(),
        "need_shoes" => "12 000".into(),
        "size_shoes" => "34".into(),
        "need_stationery" => "8 500".into(),
        _ => String::new(),
    }
}

/// The template in a language, as XLSX.
pub fn template(catalog: &Catalog, locale: Locale) -> Result<Vec<u8>, XlsxError> {
    let text = |key: &str| catalog.text(locale, key, None);
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let required = Format::new().set_bold().set_text_wrap().set_background_color("#FFF2CC");
    let sample = Format::new().set_italic().set_font_color("#5A5A5A").set_background_color("#EEF2F6");
    // The coded columns' labels, one column each, on a hidden sheet the drop-downs read.
    let mut lists = Vec::new();
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name(text("import-sheet-children"))?;
        sheet.set_freeze_panes(1, 0)?;
        for (i, column) in COLUMNS.iter().enumerate() {
            let col = u16::try_from(i).unwrap_or(0);
            let mut title = header(catalog, locale, column);
            let format = if REQUIRED.contains(column) {
                title.push_str(" *");
                &required
            } else {
                &bold
            };
            sheet.write_string_with_format(0, col, title, format)?;
            sheet.write_string_with_format(1, col, example(catalog, locale, column), &sample)?;
            sheet.set_column_width(col, 22)?;
        }
        sheet.set_row_height(0, 45)?;
        for (n, (column, prefix, codes)) in coded().into_iter().enumerate() {
            let Some(col) = COLUMNS.iter().position(|c| *c == column) else { continue };
            let labels: Vec<String> =
                codes.iter().map(|code| text(&format!("{prefix}-{}", code.replace('_', "-")))).collect();
            let letter = char::from(b'A' + u8::try_from(n).unwrap_or(0));
            let range = format!("=Lists!${letter}$1:${letter}${}", labels.len());
            // Categories may be several («АСП; Многодетная семья»): the list helps, never refuses.
            let style = if column == "categories" {
                DataValidationErrorStyle::Information
            } else {
                DataValidationErrorStyle::Warning
            };
            let rule = DataValidation::new()
                .allow_list_formula(Formula::new(range))
                .ignore_blank(true)
                .set_error_style(style)
                .set_error_message(text("import-list-error"))?;
            let col = u16::try_from(col).unwrap_or(0);
            sheet.add_data_validation(1, col, ROWS_WITH_LISTS, col, &rule)?;
            lists.push(labels);
        }
    }
    {
        let help = workbook.add_worksheet();
        help.set_name(text("import-sheet-help"))?;
        help.set_column_width(0, 110)?;
        let wrap = Format::new().set_text_wrap();
        help.write_string_with_format(
            0,
            0,
            text("child-template-help-title"),
            &Format::new().set_bold().set_font_size(14),
        )?;
        for (i, line) in text("child-template-help").lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
            help.write_string_with_format(u32::try_from(i).unwrap_or(0) + 2, 0, line, &wrap)?;
        }
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("Lists")?;
    sheet.set_hidden(true);
    for (n, labels) in lists.iter().enumerate() {
        for (row, label) in labels.iter().enumerate() {
            sheet.write_string(u32::try_from(row).unwrap_or(0), u16::try_from(n).unwrap_or(0), label)?;
        }
    }
    workbook.save_to_buffer()
}
