//! Reading a children file: the columns of the template (found by their headers in either
//! language), coded values typed in either language, and the rows streamed from XLSX or CSV in
//! bounded batches.

use std::collections::HashMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use db::org::fold;
use domain::child::{Category, ChildInput, ConsentBy, ConsentMethod, NeedInput, NeedItem, Source, StudyLanguage};
use domain::{ErrorCode, FieldError, Invalid, Locale};
use i18n::Catalog;
use tokio::sync::mpsc;

/// Rows read from the file per batch.
pub(super) const BATCH: usize = db::child_import::BATCH;
/// Most rows one file may have.
pub const MAX_ROWS: usize = 200_000;

/// The columns of the children file, in template order.
pub const COLUMNS: [&str; 32] = [
    "iin",
    "surname",
    "first_name",
    "patronymic",
    "birth_date",
    "grade",
    "age_confirmed",
    "study_language",
    "categories",
    "decision_no",
    "decision_date",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "address",
    "settlement",
    "family_children",
    "consent_by",
    "consent_method",
    "consent_date",
    "source",
    "need_uniform",
    "size_uniform",
    "need_shoes",
    "size_shoes",
    "need_sports_suit",
    "need_backpack",
    "need_stationery",
    "need_textbooks",
    "need_outerwear",
    "need_hot_meals",
    "need_travel",
];

pub(super) const REQUIRED: [&str; 10] = [
    "iin",
    "surname",
    "first_name",
    "grade",
    "study_language",
    "categories",
    "guardian_name",
    "consent_by",
    "consent_method",
    "consent_date",
];

/// The header of a column in a language.
pub fn header(catalog: &Catalog, locale: Locale, column: &str) -> String {
    // The same key as the messages' field names use (`i18n::I18n::field`).
    let key = if column.starts_with("need_") || column.starts_with("size_") {
        format!("import-col-{}", column.replace('_', "-"))
    } else {
        format!("field-{}", column.replace('_', "-"))
    };
    catalog.text(locale, &key, None)
}

/// The coded columns: the column, the catalogue's prefix of its labels, the codes.
pub(super) fn coded() -> [(&'static str, &'static str, Vec<&'static str>); 5] {
    [
        ("study_language", "study-language", StudyLanguage::ALL.iter().map(|v| v.as_str()).collect()),
        ("categories", "category", Category::ALL.iter().map(|v| v.as_str()).collect()),
        ("consent_by", "consent-by", ConsentBy::ALL.iter().map(|v| v.as_str()).collect()),
        ("consent_method", "consent-method", ConsentMethod::ALL.iter().map(|v| v.as_str()).collect()),
        ("source", "source", Source::ALL.iter().map(|v| v.as_str()).collect()),
    ]
}

/// Labels and codes of coded values in both languages, folded, mapped to codes.
pub(super) struct Choices(HashMap<&'static str, HashMap<String, &'static str>>);

impl Choices {
    pub(super) fn new(catalog: &Catalog) -> Self {
        let mut all = HashMap::new();
        let mut add = |name: &'static str, prefix: &str, codes: Vec<&'static str>| {
            let mut map = HashMap::new();
            for code in codes {
                map.insert(fold(code), code);
                for locale in Locale::ALL {
                    let key = format!("{prefix}-{}", code.replace('_', "-"));
                    map.insert(fold(&catalog.text(locale, &key, None)), code);
                    // Short names people write in lists, e.g. «АСП», «многодетные».
                    let aliases = format!("alias-{key}");
                    if catalog.has(locale, &aliases) {
                        for alias in catalog.text(locale, &aliases, None).split('|') {
                            map.insert(fold(alias.trim()), code);
                        }
                    }
                }
            }
            all.insert(name, map);
        };
        for (column, prefix, codes) in coded() {
            add(column, prefix, codes);
        }
        Choices(all)
    }

    /// The code for a typed value; an unknown value passes through so the check names it.
    fn code(&self, field: &str, value: &str) -> String {
        let value = value.trim();
        self.0.get(field).and_then(|m| m.get(&fold(value))).map_or_else(|| value.to_owned(), |c| (*c).to_owned())
    }
}

/// Where each column is in the file, and the marks of the template's example row (folded, in
/// every language), read from the catalogue once per file rather than once per row.
pub struct Columns(HashMap<&'static str, usize>, Vec<String>);

impl Columns {
    /// Finds the columns by their headers (Russian, Kazakh or codes); every missing required
    /// column is reported.
    pub fn find(catalog: &Catalog, head: &[String]) -> Result<Self, Invalid> {
        // The template marks required columns with a star: «ИИН *» is «ИИН».
        let folded: Vec<String> = head.iter().map(|h| fold(h.trim().trim_end_matches('*').trim_end())).collect();
        let mut map = HashMap::new();
        for column in COLUMNS {
            let names: Vec<String> =
                Locale::ALL.iter().map(|l| fold(&header(catalog, *l, column))).chain([column.to_owned()]).collect();
            if let Some(i) = folded.iter().position(|h| names.contains(h)) {
                map.insert(column, i);
            }
        }
        let missing: Vec<FieldError> = REQUIRED
            .iter()
            .filter(|c| !map.contains_key(*c))
            .map(|c| FieldError::new(*c, ErrorCode::MissingColumn).at_row(1))
            .collect();
        let marks = Locale::ALL.iter().map(|l| fold(&catalog.text(*l, "import-example-mark", None))).collect();
        if missing.is_empty() { Ok(Columns(map, marks)) } else { Err(Invalid(missing)) }
    }

    /// Whether the row is the template's example (its IIN cell starts with «Пример» or «Мысал»).
    pub(super) fn is_example(&self, row: &[String]) -> bool {
        let iin = fold(self.cell(row, "iin").trim());
        !iin.is_empty() && self.1.iter().any(|mark| iin.starts_with(mark.as_str()))
    }

    /// The refused fields of a row named by the template's own columns: the row's n-th need is
    /// the column of its item (`needs.0.cost` of a uniform is «Школьная форма, ₸»).
    pub(super) fn own_names(input: &ChildInput, errors: Vec<FieldError>) -> Vec<FieldError> {
        errors
            .into_iter()
            .map(|mut e| {
                let mut parts = e.field.split('.');
                if let (Some("needs"), Some(i), Some(part)) = (parts.next(), parts.next(), parts.next())
                    && let Some(need) = i.parse::<usize>().ok().and_then(|i| input.needs.get(i))
                {
                    let prefix = if part == "size" { "size" } else { "need" };
                    e.field = format!("{prefix}_{}", need.item);
                }
                e
            })
            .collect()
    }

    fn cell<'a>(&self, row: &'a [String], column: &str) -> &'a str {
        self.0.get(column).and_then(|i| row.get(*i)).map_or("", |s| s.as_str())
    }

    pub(super) fn input(&self, choices: &Choices, row: &[String]) -> ChildInput {
        let cell = |c: &str| self.cell(row, c).to_owned();
        let needs = NeedItem::ALL
            .iter()
            .filter(|n| **n != NeedItem::Other)
            .filter_map(|n| {
                let cost = cell(&format!("need_{}", n.as_str()));
                (!cost.trim().is_empty()).then(|| NeedInput {
                    item: n.as_str().to_owned(),
                    size: cell(&format!("size_{}", n.as_str())),
                    quantity: String::new(),
                    cost,
                })
            })
            .collect();
        ChildInput {
            iin: cell("iin"),
            surname: cell("surname"),
            first_name: cell("first_name"),
            patronymic: cell("patronymic"),
            birth_date: cell("birth_date"),
            grade: cell("grade"),
            study_language: choices.code("study_language", self.cell(row, "study_language")),
            categories: self
                .cell(row, "categories")
                .split([';', ',', '\n'])
                .map(|c| choices.code("categories", c))
                .filter(|c| !c.is_empty())
                .collect(),
            decision_no: cell("decision_no"),
            decision_date: cell("decision_date"),
            guardian_name: cell("guardian_name"),
            guardian_relation: cell("guardian_relation"),
            guardian_phone: cell("guardian_phone"),
            address: cell("address"),
            settlement: cell("settlement"),
            family_children: cell("family_children"),
            consent_by: choices.code("consent_by", self.cell(row, "consent_by")),
            consent_method: choices.code("consent_method", self.cell(row, "consent_method")),
            consent_date: cell("consent_date"),
            source: {
                let s = choices.code("source", self.cell(row, "source"));
                if s.is_empty() { "school_list".into() } else { s }
            },
            needs,
            age_confirmed: domain::format::is_yes(self.cell(row, "age_confirmed")),
        }
    }
}

pub(super) type Batch = Result<Vec<(usize, Vec<String>)>, Invalid>;

fn file_error(code: ErrorCode) -> Invalid {
    Invalid::one("file", code)
}

/// Reads the file on a blocking thread and hands rows over in batches (memory stays bounded by
/// the channel). The first batch is the header alone.
pub(super) fn stream(path: PathBuf, tx: mpsc::Sender<Batch>) {
    let result = read_rows(&path, &mut |batch| tx.blocking_send(Ok(batch)).is_ok());
    if let Err(e) = result {
        let _ = tx.blocking_send(Err(e));
    }
}

fn read_rows(path: &Path, send: &mut dyn FnMut(Vec<(usize, Vec<String>)>) -> bool) -> Result<(), Invalid> {
    let mut head = [0u8; 8];
    let read = {
        use std::io::Read;
        let mut f = std::fs::File::open(path).map_err(|_| file_error(ErrorCode::FileEmpty))?;
        f.read(&mut head).map_err(|_| file_error(ErrorCode::FileEmpty))?
    };
    if read == 0 {
        return Err(file_error(ErrorCode::FileEmpty));
    }
    let mut batch = Vec::with_capacity(BATCH);
    let mut count = 0usize;
    let mut push = |row: usize, cells: Vec<String>, batch: &mut Vec<(usize, Vec<String>)>| -> Result<bool, Invalid> {
        count += 1;
        if count > MAX_ROWS + 1 {
            return Err(Invalid(vec![FieldError::new("file", ErrorCode::TooManyRows).with_limit(MAX_ROWS as i64)]));
        }
        if cells.iter().any(|c| c.chars().count() > crate::org_import::MAX_CELL) {
            let cut = cells.into_iter().map(|c| c.chars().take(crate::org_import::MAX_CELL + 1).collect()).collect();
            batch.push((row, cut));
        } else {
            batch.push((row, cells));
        }
        // The header goes alone, so the columns are known before any row.
        if row == 1 || batch.len() >= BATCH {
            return Ok(send(std::mem::take(batch)));
        }
        Ok(true)
    };
    if head.starts_with(b"PK\x03\x04") {
        let file = std::fs::File::open(path).map_err(|_| file_error(ErrorCode::NotSpreadsheet))?;
        check_zip(&file)?;
        let file = std::fs::File::open(path).map_err(|_| file_error(ErrorCode::NotSpreadsheet))?;
        let mut book: Xlsx<_> =
            open_workbook_from_rs(BufReader::new(file)).map_err(|_| file_error(ErrorCode::NotSpreadsheet))?;
        let sheet = book.sheet_names().first().cloned().ok_or_else(|| file_error(ErrorCode::NoSheet))?;
        let mut cells = book.worksheet_cells_reader(&sheet).map_err(|_| file_error(ErrorCode::NotSpreadsheet))?;
        let mut current: Option<(u32, Vec<String>)> = None;
        while let Some(cell) = cells.next_cell().map_err(|_| file_error(ErrorCode::NotSpreadsheet))? {
            let (r, c) = cell.get_position();
            if current.as_ref().is_some_and(|(row, _)| *row != r)
                && let Some((row, values)) = current.take()
                && !push(row as usize + 1, values, &mut batch)?
            {
                return Ok(());
            }
            let entry = current.get_or_insert_with(|| (r, Vec::new()));
            let c = c as usize;
            if c > 200 {
                continue;
            }
            if entry.1.len() <= c {
                entry.1.resize(c + 1, String::new());
            }
            entry.1[c] = cell_text(&Data::from(cell.get_value().clone()));
        }
        if let Some((row, values)) = current.take() {
            push(row as usize + 1, values, &mut batch)?;
        }
    } else if head.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(file_error(ErrorCode::OldExcel));
    } else {
        let file = std::fs::File::open(path).map_err(|_| file_error(ErrorCode::NotSpreadsheet))?;
        let mut first = String::new();
        {
            use std::io::BufRead;
            let mut reader =
                BufReader::new(std::fs::File::open(path).map_err(|_| file_error(ErrorCode::NotSpreadsheet))?);
            reader.read_line(&mut first).map_err(|_| file_error(ErrorCode::Encoding))?;
        }
        let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(BufReader::new(file));
        let mut record = csv::ByteRecord::new();
        let mut row = 0usize;
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(_) => return Err(file_error(ErrorCode::NotSpreadsheet)),
            }
            row += 1;
            let mut cells = Vec::with_capacity(record.len());
            for field in record.iter() {
                let text = std::str::from_utf8(field).map_err(|_| file_error(ErrorCode::Encoding))?;
                if text.contains('\0') {
                    return Err(file_error(ErrorCode::NotSpreadsheet));
                }
                cells.push(text.trim().trim_start_matches('\u{feff}').to_owned());
            }
            if !push(row, cells, &mut batch)? {
                return Ok(());
            }
        }
    }
    if !batch.is_empty() {
        send(batch);
    }
    Ok(())
}

fn check_zip(file: &std::fs::File) -> Result<(), Invalid> {
    let mut archive = zip::ZipArchive::new(file).map_err(|_| file_error(ErrorCode::NotSpreadsheet))?;
    let mut unpacked = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| file_error(ErrorCode::NotSpreadsheet))?;
        unpacked = unpacked.saturating_add(entry.size());
    }
    if unpacked > crate::org_import::MAX_UNPACKED * 4 {
        return Err(file_error(ErrorCode::FileTooLarge));
    }
    Ok(())
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Empty => String::new(),
        // Excel counts days from 30.12.1899.
        Data::DateTime(d) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(d.as_f64().max(0.0) as u64)))
            .map(|day| day.format("%d.%m.%Y").to_string())
            .unwrap_or_default(),
        other => other.to_string().trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coded_values_are_read_in_either_language_and_by_short_names() {
        let catalog = Catalog::load().unwrap();
        let choices = Choices::new(&catalog);
        for (typed, code) in [
            ("АСП", "asp"),
            ("Многодетная семья", "large_family"),
            ("көп балалы отбасы", "large_family"),
            ("Жетім бала", "orphan"),
            ("orphan", "orphan"),
        ] {
            assert_eq!(choices.code("categories", typed), code, "{typed}");
        }
        assert_eq!(choices.code("consent_by", "Родитель"), "parent");
        assert_eq!(choices.code("study_language", "қазақ тілі"), "kk");
        assert_eq!(choices.code("categories", "единорог"), "единорог");
    }
}
