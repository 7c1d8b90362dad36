//! Import of a school's children list from XLSX or CSV: the file is streamed to disk, read
//! twice in bounded batches (check every row, then write all of it in one transaction), with
//! the progress kept for the page that polls it.

use std::collections::HashMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use db::entity::{campaign, org_unit};
use db::org::fold;
use domain::child::{
    Category, ChildFields, ChildInput, ConsentBy, ConsentMethod, NeedInput, NeedItem, Source, StudyLanguage,
};
use domain::{Actor, FieldError, Invalid, Locale};
use tokio::sync::mpsc;

use crate::{AppState, Catalog};

/// Rows read from the file per batch.
const BATCH: usize = db::child_import::BATCH;
/// Most rows one file may have.
pub const MAX_ROWS: usize = 200_000;

/// The columns of the children file, in template order.
pub const COLUMNS: [&str; 31] = [
    "iin",
    "surname",
    "first_name",
    "patronymic",
    "birth_date",
    "grade",
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

const REQUIRED: [&str; 10] = [
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
    let key = if column.starts_with("need_") || column.starts_with("size_") {
        format!("import-col-{}", column.replace('_', "-"))
    } else {
        format!("field-{}", column.replace('_', "-"))
    };
    catalog.text(locale, &key, None)
}

/// Labels and codes of coded values in both languages, folded, mapped to codes.
struct Choices(HashMap<&'static str, HashMap<String, &'static str>>);

impl Choices {
    fn new(catalog: &Catalog) -> Self {
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
        add("study_language", "study-language", StudyLanguage::ALL.iter().map(|v| v.as_str()).collect());
        add("categories", "category", Category::ALL.iter().map(|v| v.as_str()).collect());
        add("consent_by", "consent-by", ConsentBy::ALL.iter().map(|v| v.as_str()).collect());
        add("consent_method", "consent-method", ConsentMethod::ALL.iter().map(|v| v.as_str()).collect());
        add("source", "source", Source::ALL.iter().map(|v| v.as_str()).collect());
        Choices(all)
    }

    /// The code for a typed value; an unknown value passes through so the check names it.
    fn code(&self, field: &str, value: &str) -> String {
        let value = value.trim();
        self.0.get(field).and_then(|m| m.get(&fold(value))).map_or_else(|| value.to_owned(), |c| (*c).to_owned())
    }
}

/// Where each column is in the file.
pub struct Columns(HashMap<&'static str, usize>);

impl Columns {
    /// Finds the columns by their headers (Russian, Kazakh or codes); every missing required
    /// column is reported.
    pub fn find(catalog: &Catalog, head: &[String]) -> Result<Self, Invalid> {
        let folded: Vec<String> = head.iter().map(|h| fold(h.trim())).collect();
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
            .map(|c| FieldError::new(*c, "missing_column").at_row(1))
            .collect();
        if missing.is_empty() { Ok(Columns(map)) } else { Err(Invalid(missing)) }
    }

    fn cell<'a>(&self, row: &'a [String], column: &str) -> &'a str {
        self.0.get(column).and_then(|i| row.get(*i)).map_or("", |s| s.as_str())
    }

    fn input(&self, choices: &Choices, row: &[String]) -> ChildInput {
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
        }
    }
}

type Batch = Result<Vec<(usize, Vec<String>)>, Invalid>;

fn file_error(code: &'static str) -> Invalid {
    Invalid::one("file", code)
}

/// Reads the file on a blocking thread and hands rows over in batches (memory stays bounded by
/// the channel). The first batch is the header alone.
fn stream(path: PathBuf, tx: mpsc::Sender<Batch>) {
    let result = read_rows(&path, &mut |batch| tx.blocking_send(Ok(batch)).is_ok());
    if let Err(e) = result {
        let _ = tx.blocking_send(Err(e));
    }
}

fn read_rows(path: &Path, send: &mut dyn FnMut(Vec<(usize, Vec<String>)>) -> bool) -> Result<(), Invalid> {
    let mut head = [0u8; 8];
    let read = {
        use std::io::Read;
        let mut f = std::fs::File::open(path).map_err(|_| file_error("file_empty"))?;
        f.read(&mut head).map_err(|_| file_error("file_empty"))?
    };
    if read == 0 {
        return Err(file_error("file_empty"));
    }
    let mut batch = Vec::with_capacity(BATCH);
    let mut count = 0usize;
    let mut push = |row: usize, cells: Vec<String>, batch: &mut Vec<(usize, Vec<String>)>| -> Result<bool, Invalid> {
        count += 1;
        if count > MAX_ROWS + 1 {
            return Err(Invalid(vec![FieldError::new("file", "too_many_rows").with_limit(MAX_ROWS as i64)]));
        }
        if cells.iter().any(|c| c.chars().count() > crate::import::MAX_CELL) {
            let cut = cells.into_iter().map(|c| c.chars().take(crate::import::MAX_CELL + 1).collect()).collect();
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
        let file = std::fs::File::open(path).map_err(|_| file_error("not_spreadsheet"))?;
        check_zip(&file)?;
        let file = std::fs::File::open(path).map_err(|_| file_error("not_spreadsheet"))?;
        let mut book: Xlsx<_> =
            open_workbook_from_rs(BufReader::new(file)).map_err(|_| file_error("not_spreadsheet"))?;
        let sheet = book.sheet_names().first().cloned().ok_or_else(|| file_error("no_sheet"))?;
        let mut cells = book.worksheet_cells_reader(&sheet).map_err(|_| file_error("not_spreadsheet"))?;
        let mut current: Option<(u32, Vec<String>)> = None;
        while let Some(cell) = cells.next_cell().map_err(|_| file_error("not_spreadsheet"))? {
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
        return Err(file_error("old_excel"));
    } else {
        let file = std::fs::File::open(path).map_err(|_| file_error("not_spreadsheet"))?;
        let mut first = String::new();
        {
            use std::io::BufRead;
            let mut reader = BufReader::new(std::fs::File::open(path).map_err(|_| file_error("not_spreadsheet"))?);
            reader.read_line(&mut first).map_err(|_| file_error("encoding"))?;
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
                Err(_) => return Err(file_error("not_spreadsheet")),
            }
            row += 1;
            let mut cells = Vec::with_capacity(record.len());
            for field in record.iter() {
                let text = std::str::from_utf8(field).map_err(|_| file_error("encoding"))?;
                if text.contains('\0') {
                    return Err(file_error("not_spreadsheet"));
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
    let mut archive = zip::ZipArchive::new(file).map_err(|_| file_error("not_spreadsheet"))?;
    let mut unpacked = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| file_error("not_spreadsheet"))?;
        unpacked = unpacked.saturating_add(entry.size());
    }
    if unpacked > crate::import::MAX_UNPACKED * 4 {
        return Err(file_error("file_too_large"));
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

/// Where a running import stands, kept by the server that runs it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// 1: checking rows, 2: writing.
    pub phase: u8,
    /// Rows done in this phase.
    pub done: u64,
    /// Rows in the file (known after the check).
    pub total: u64,
}

/// Progress of the imports running in this process.
#[derive(Debug, Default)]
pub struct Jobs(Mutex<HashMap<i64, Progress>>);

impl Jobs {
    /// The progress of a job, if it runs here.
    pub fn get(&self, id: i64) -> Option<Progress> {
        self.0.lock().ok().and_then(|m| m.get(&id).copied())
    }

    fn set(&self, id: i64, p: Progress) {
        if let Ok(mut m) = self.0.lock() {
            m.insert(id, p);
        }
    }

    fn remove(&self, id: i64) {
        if let Ok(mut m) = self.0.lock() {
            m.remove(&id);
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Rows in the file.
    pub rows: u64,
    /// New records.
    pub created: usize,
    /// Records updated by IIN.
    pub updated: usize,
}

/// Runs an import to the end and records the outcome on the job. The file is removed after.
pub async fn run(
    state: AppState,
    actor: Actor,
    c: campaign::Model,
    school: org_unit::Model,
    file: tempfile::TempPath,
    job: i64,
) {
    let outcome = import(&state, &actor, &c, &school, &file, job).await;
    state.jobs.remove(job);
    let result = match outcome {
        Ok(summary) => {
            db::child_import::finish_job(
                &state.db,
                job,
                summary.rows as i64,
                &[],
                0,
                serde_json::to_value(summary).ok(),
            )
            .await
        }
        Err((rows, errors, count)) => {
            db::child_import::finish_job(&state.db, job, rows as i64, &errors, count as i64, None).await
        }
    };
    if let Err(e) = result {
        tracing::error!(error = %e, job, "recording the end of an import");
    }
    drop(file);
}

type Failure = (u64, Vec<FieldError>, usize);

/// Checks every row, then writes the whole file in one transaction; returns every bad row.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    c: &campaign::Model,
    school: &org_unit::Model,
    path: &Path,
    job: i64,
) -> Result<Summary, Failure> {
    let choices = Choices::new(&state.catalog);
    let today = chrono::Utc::now().date_naive();
    // Pass 1: check every row; the IINs seen so far stay in memory (12 bytes each).
    let mut errors: Vec<FieldError> = Vec::new();
    let mut error_count = 0usize;
    let mut seen: HashMap<String, usize> = HashMap::new();
    // IINs this school already holds: updated, not inserted, when the file is written.
    let mut known: HashMap<String, i64> = HashMap::new();
    let mut rows = 0u64;
    let mut columns: Option<Columns> = None;
    let mut rx = spawn_reader(path);
    let keep = |errors: &mut Vec<FieldError>, count: &mut usize, e: FieldError| {
        *count += 1;
        if errors.len() < db::child_import::ERRORS_KEPT {
            errors.push(e);
        }
    };
    while let Some(batch) = rx.recv().await {
        let batch = batch.map_err(|e| (rows, e.0.clone(), e.0.len()))?;
        let mut checked: Vec<(usize, String)> = Vec::new();
        for (row, cells) in batch {
            let Some(cols) = &columns else {
                columns = Some(Columns::find(&state.catalog, &cells).map_err(|e| (0, e.0.clone(), e.0.len()))?);
                continue;
            };
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            rows += 1;
            match cols.input(&choices, &cells).parse(today) {
                Ok(f) => {
                    let iin = f.iin.as_str().to_owned();
                    if let Some(first) = seen.get(&iin) {
                        let mut e = FieldError::new("iin", "duplicate_in_file").at_row(row);
                        e.limit = Some(*first as i64);
                        keep(&mut errors, &mut error_count, e);
                    } else {
                        seen.insert(iin.clone(), row);
                        checked.push((row, iin));
                    }
                }
                Err(invalid) => {
                    for e in invalid.0 {
                        keep(&mut errors, &mut error_count, e.at_row(row));
                    }
                }
            }
        }
        // The registry: an IIN another school holds is an error of this file.
        let iins: Vec<String> = checked.iter().map(|(_, i)| i.clone()).collect();
        let found = db::child_import::existing(&state.db, c.id, &iins).await.map_err(|e| internal(rows, &e))?;
        for (row, iin) in &checked {
            match found.get(iin) {
                Some((_, s)) if *s != school.id => {
                    keep(&mut errors, &mut error_count, FieldError::new("iin", "already_registered").at_row(*row));
                }
                Some((id, _)) => {
                    known.insert(iin.clone(), *id);
                }
                None => {}
            }
        }
        state.jobs.set(job, Progress { phase: 1, done: rows, total: 0 });
    }
    if columns.is_none() {
        return Err((0, vec![FieldError::new("file", "file_empty")], 1));
    }
    tracing::info!(job, rows, errors = error_count, "import: rows checked");
    if error_count > 0 {
        return Err((rows, errors, error_count));
    }
    drop(seen);
    // Pass 2: write everything in one transaction, batch by batch.
    let txn = db::write_txn(&state.db).await.map_err(|e| internal(rows, &e))?;
    let mut rx = spawn_reader(path);
    let mut summary = Summary { rows, ..Summary::default() };
    let mut done = 0u64;
    let mut header_seen = false;
    while let Some(batch) = rx.recv().await {
        let batch = batch.map_err(|e| (rows, e.0.clone(), e.0.len()))?;
        let mut parsed: Vec<(usize, ChildFields)> = Vec::with_capacity(batch.len());
        for (row, cells) in batch {
            if !header_seen {
                header_seen = true;
                continue;
            }
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            let cols = columns.as_ref().ok_or_else(|| (rows, Vec::new(), 0))?;
            match cols.input(&choices, &cells).parse(today) {
                Ok(f) => parsed.push((row, f)),
                Err(invalid) => return Err((rows, invalid.0.into_iter().map(|e| e.at_row(row)).collect(), 1)),
            }
        }
        if parsed.is_empty() {
            continue;
        }
        match db::child_import::write_batch(&txn, actor, c, school, &parsed, &known).await {
            Ok(w) => {
                summary.created += w.created;
                summary.updated += w.updated;
            }
            Err(db::Error::Invalid(invalid)) => {
                let n = invalid.0.len();
                return Err((rows, invalid.0, n));
            }
            Err(e) => return Err(internal(rows, &e)),
        }
        done += parsed.len() as u64;
        state.jobs.set(job, Progress { phase: 2, done, total: rows });
    }
    txn.commit().await.map_err(|e| internal(rows, &e))?;
    tracing::info!(job, created = summary.created, updated = summary.updated, "import: written");
    if summary.created >= db::child_import::RESTAT_AFTER {
        // The data is written; statistics that lag only slow the next look-ups down.
        if let Err(e) = db::child_import::refresh_statistics(&state.db).await {
            tracing::warn!(error = %e, "import: statistics not refreshed");
        }
    }
    Ok(summary)
}

fn internal(rows: u64, e: &dyn std::fmt::Display) -> Failure {
    tracing::error!(error = %e, "import failed");
    (rows, vec![FieldError::new("file", "import_failed")], 1)
}

fn spawn_reader(path: &Path) -> mpsc::Receiver<Batch> {
    let (tx, rx) = mpsc::channel(2);
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || stream(path, tx));
    rx
}

/// The empty template in a language, as XLSX.
pub fn template(catalog: &Catalog, locale: Locale) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (i, column) in COLUMNS.iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(0);
        sheet.write_string_with_format(0, col, header(catalog, locale, column), &bold)?;
        sheet.set_column_width(col, 20)?;
    }
    workbook.save_to_buffer()
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
