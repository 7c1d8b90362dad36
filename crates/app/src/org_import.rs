//! Reading uploaded spreadsheets (XLSX or CSV) into checked rows, reporting every bad row and
//! field at once. Nothing is written here: the caller commits the whole file or nothing.

use std::collections::HashSet;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use db::org::{ImportRow, fold};
use domain::org::OrgUnitInput;
use domain::{ErrorCode, FieldError, Invalid, Locale, OrgKind};
use i18n::Catalog;

/// Most data rows one file may have.
pub const MAX_ROWS: usize = 20_000;
/// Most characters in one cell (longer ones are refused, not cut).
pub const MAX_CELL: usize = 1_000;
/// Most bytes an XLSX may unpack to (a zip bomb is refused before it is read).
pub const MAX_UNPACKED: u64 = 100 * 1024 * 1024;

/// The columns of the districts-and-schools file, in template order.
pub const ORG_COLUMNS: [&str; 8] =
    ["district_ru", "district_kk", "code", "name_ru", "name_kk", "settlement", "locality", "language"];

fn file_error(code: ErrorCode) -> Invalid {
    Invalid::one("file", code)
}

/// Reads the first sheet of an XLSX, or a CSV (`,` or `;`, UTF-8), into rows of trimmed text.
pub fn read_table(bytes: &[u8]) -> Result<Vec<Vec<String>>, Invalid> {
    if bytes.is_empty() {
        return Err(file_error(ErrorCode::FileEmpty));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        Err(file_error(ErrorCode::OldExcel))
    } else {
        read_csv(bytes)
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, Invalid> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| file_error(ErrorCode::NotSpreadsheet))?;
    let mut unpacked = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| file_error(ErrorCode::NotSpreadsheet))?;
        unpacked = unpacked.saturating_add(entry.size());
    }
    if unpacked > MAX_UNPACKED {
        return Err(file_error(ErrorCode::FileTooLarge));
    }
    let mut workbook: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| file_error(ErrorCode::NotSpreadsheet))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| file_error(ErrorCode::NoSheet))?
        .map_err(|_| file_error(ErrorCode::NotSpreadsheet))?;
    Ok(range.rows().map(|row| row.iter().map(cell_text).collect()).collect())
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Empty => String::new(),
        other => other.to_string().trim().to_owned(),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, Invalid> {
    let text = std::str::from_utf8(bytes).map_err(|_| file_error(ErrorCode::Encoding))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\0') {
        return Err(file_error(ErrorCode::NotSpreadsheet));
    }
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| file_error(ErrorCode::NotSpreadsheet))?;
        rows.push(record.iter().map(|c| c.trim().to_owned()).collect());
        if rows.len() > MAX_ROWS + 1 {
            return Err(Invalid(vec![FieldError::new("file", ErrorCode::TooManyRows).with_limit(MAX_ROWS as i64)]));
        }
    }
    Ok(rows)
}

/// The header of a column in `locale` (the template's wording).
pub fn column_header(catalog: &Catalog, locale: Locale, column: &str) -> String {
    catalog.text(locale, &format!("import-col-{}", column.replace('_', "-")), None)
}

fn choice(catalog: &Catalog, value: &str, options: &[(&str, &str)]) -> Option<String> {
    let value = fold(value.trim());
    options.iter().find_map(|(code, key)| {
        let matches = value == *code
            || Locale::ALL
                .iter()
                .any(|l| catalog.text(*l, key, None).split('|').any(|word| fold(word.trim()) == value));
        matches.then(|| (*code).to_owned())
    })
}

/// Checks every row of a districts-and-schools table for import under a unit of `target`.
/// Headers may be in Russian, Kazakh, or the column codes, in any order.
pub fn org_rows(catalog: &Catalog, table: &[Vec<String>], target: OrgKind) -> Result<Vec<ImportRow>, Invalid> {
    let Some((header, body)) = table.split_first() else { return Err(file_error(ErrorCode::FileEmpty)) };
    if body.len() > MAX_ROWS {
        return Err(Invalid(vec![FieldError::new("file", ErrorCode::TooManyRows).with_limit(MAX_ROWS as i64)]));
    }
    let position = |column: &str| {
        let names: Vec<String> =
            Locale::ALL.iter().map(|l| fold(&column_header(catalog, *l, column))).chain([column.to_owned()]).collect();
        header.iter().position(|h| names.contains(&fold(h.trim())))
    };
    let columns: Vec<Option<usize>> = ORG_COLUMNS.iter().map(|c| position(c)).collect();
    let mut required = vec!["code", "name_ru", "name_kk", "settlement", "locality", "language"];
    if target == OrgKind::Region {
        required.extend(["district_ru", "district_kk"]);
    }
    let missing: Vec<FieldError> = ORG_COLUMNS
        .iter()
        .zip(&columns)
        .filter(|(name, pos)| pos.is_none() && required.contains(name))
        .map(|(name, _)| FieldError::new(*name, ErrorCode::MissingColumn).at_row(1))
        .collect();
    if !missing.is_empty() {
        return Err(Invalid(missing));
    }
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for (i, raw) in body.iter().enumerate() {
        let row = i + 2;
        let cell = |c: usize| columns[c].and_then(|p| raw.get(p)).map_or("", |s| s.as_str());
        if (0..ORG_COLUMNS.len()).all(|c| cell(c).is_empty()) {
            continue;
        }
        let mut row_errors = Vec::new();
        for (c, name) in ORG_COLUMNS.iter().enumerate() {
            if cell(c).chars().count() > MAX_CELL {
                row_errors.push(FieldError::new(*name, ErrorCode::TooLong).with_limit(MAX_CELL as i64).at_row(row));
            }
        }
        let district = if target == OrgKind::Region {
            let (ru, kk) = (cell(0), cell(1));
            for (name, value) in [("district_ru", ru), ("district_kk", kk)] {
                if value.is_empty() {
                    row_errors.push(FieldError::new(name, ErrorCode::Required).at_row(row));
                } else if value.chars().count() > domain::org::NAME_MAX {
                    row_errors.push(
                        FieldError::new(name, ErrorCode::TooLong).with_limit(domain::org::NAME_MAX as i64).at_row(row),
                    );
                }
            }
            Some((ru.to_owned(), kk.to_owned()))
        } else {
            None
        };
        let school_cells = (2..ORG_COLUMNS.len()).map(cell);
        let school = if school_cells.clone().all(str::is_empty) && target == OrgKind::Region {
            None
        } else {
            let locality = choice(catalog, cell(6), &[("urban", "locality-urban"), ("rural", "locality-rural")]);
            let language =
                choice(catalog, cell(7), &[("kk", "language-kk"), ("ru", "language-ru"), ("mixed", "language-mixed")]);
            let input = OrgUnitInput {
                code: cell(2).to_owned(),
                name_ru: cell(3).to_owned(),
                name_kk: cell(4).to_owned(),
                settlement: cell(5).to_owned(),
                locality: locality.unwrap_or_else(|| if cell(6).is_empty() { String::new() } else { "?".into() }),
                language: language.unwrap_or_else(|| if cell(7).is_empty() { String::new() } else { "?".into() }),
            };
            match input.parse(OrgKind::School) {
                Ok(fields) => {
                    let key = (fold(district.as_ref().map_or("", |d| d.0.as_str())), fields.code.clone());
                    if !seen.insert(key) {
                        row_errors.push(FieldError::new("code", ErrorCode::DuplicateInFile).at_row(row));
                    }
                    Some(fields)
                }
                Err(invalid) => {
                    row_errors.extend(invalid.0.into_iter().map(|e| e.at_row(row)));
                    None
                }
            }
        };
        if row_errors.is_empty() {
            rows.push(ImportRow { row, district, school });
        } else {
            errors.extend(row_errors);
        }
    }
    if errors.is_empty() { Ok(rows) } else { Err(Invalid(errors)) }
}

/// The empty template: the header row in `locale`, as XLSX.
pub fn org_template_xlsx(catalog: &Catalog, locale: Locale) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (i, column) in ORG_COLUMNS.iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(0);
        sheet.write_string_with_format(0, col, column_header(catalog, locale, column), &bold)?;
        sheet.set_column_width(col, 24)?;
    }
    workbook.save_to_buffer()
}

/// Parses a file of districts or schools and imports it under `unit` (in the actor's scope):
/// every row checked and every bad one reported, then all rows written or none.
pub async fn run(
    core: &crate::Core,
    actor: &domain::Actor,
    unit: &crate::entity::org_unit::Model,
    bytes: &[u8],
) -> Result<db::org::ImportSummary, crate::Error> {
    let table = read_table(bytes)?;
    let rows = org_rows(core.catalog(), &table, db::org::kind_of(unit))?;
    crate::orgs::import(core, actor, domain::OrgUnitId(unit.id), &rows).await
}
