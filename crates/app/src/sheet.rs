//! Reading a spreadsheet a user sends, XLSX or CSV (either delimiter, UTF-8 with or without a
//! BOM), row by row in bounded batches: the children's file and the e-journal's read it the same
//! way. An old .xls, a zip bomb, a binary file or too many rows is a clear error about the file.

use std::io::BufReader;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use domain::{ErrorCode, FieldError, Invalid};

/// Rows handed over per batch.
pub(crate) const BATCH: usize = db::child_import::BATCH;
/// Most rows one file may have.
pub const MAX_ROWS: usize = 200_000;

pub(crate) fn file_error(code: ErrorCode) -> Invalid {
    Invalid::one("file", code)
}

pub(crate) fn read_rows(path: &Path, send: &mut dyn FnMut(Vec<(usize, Vec<String>)>) -> bool) -> Result<(), Invalid> {
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
