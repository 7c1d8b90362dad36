//! The e-journal's file of days out (XLSX or CSV, one row per pupil and day out), read whole and
//! checked before anything is written: a file with a bad row writes nothing and names every bad
//! row and column. The columns, found by their headers in Russian, in Kazakh or by code, in any
//! order: ИИН (`iin`), Фамилия (`surname`), Имя (`first_name`), Класс (`grade`, may be empty),
//! Дата (`date`: the school day out, `02.09.2026`), Причина (`reason`, may be empty: a reason's
//! name in either language or its code).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use chrono::NaiveDate;
use db::attendance::JournalRow;
use db::org::fold;
use domain::attendance::{AbsenceReason, pupil};
use domain::error::Checker;
use domain::{Actor, ErrorCode, FieldError, Invalid, Locale, OrgUnitId};

use crate::entity::campaign;
use crate::{Core, Error};

/// The columns of the file.
pub const JOURNAL_COLUMNS: [&str; 6] = ["iin", "surname", "first_name", "grade", "date", "reason"];

/// Most bad rows one answer lists.
const ERRORS_SHOWN: usize = 500;

/// Where each column is, by header.
fn columns(core: &Core, head: &[String]) -> Result<HashMap<&'static str, usize>, Invalid> {
    let mut found = HashMap::new();
    for (i, h) in head.iter().enumerate() {
        let h = fold(h);
        for col in JOURNAL_COLUMNS {
            let key = format!("field-{}", col.replace('_', "-"));
            let names = Locale::ALL.iter().map(|l| fold(&core.catalog().text(*l, &key, None)));
            if h == fold(col) || names.into_iter().any(|n| n == h) {
                found.entry(col).or_insert(i);
            }
        }
    }
    let missing: Vec<FieldError> = ["iin", "surname", "first_name", "date"]
        .iter()
        .filter(|c| !found.contains_key(*c))
        .map(|c| FieldError::new(*c, ErrorCode::MissingColumn))
        .collect();
    if missing.is_empty() { Ok(found) } else { Err(Invalid(missing)) }
}

/// The text of a row's cell in a column (empty when the column or the cell is missing).
fn cell<'a>(cols: &HashMap<&'static str, usize>, row: &'a [String], col: &str) -> &'a str {
    cols.get(col).and_then(|i| row.get(*i)).map_or("", |s| s.as_str())
}

/// Reason codes by their names in both languages and by code, folded.
fn reasons(core: &Core) -> HashMap<String, AbsenceReason> {
    let mut map = HashMap::new();
    for r in AbsenceReason::ALL.iter().copied() {
        map.insert(fold(r.as_str()), r);
        for l in Locale::ALL {
            let label = core.catalog().text(l, &format!("absence-reason-{}", r.as_str().replace('_', "-")), None);
            map.insert(fold(&label), r);
        }
    }
    map
}

/// Reads a school's e-journal file and records its days out, or says what is wrong with it.
pub async fn import(
    core: &Core,
    actor: &Actor,
    c: &campaign::Model,
    school: OrgUnitId,
    path: PathBuf,
    today: NaiveDate,
) -> Result<db::attendance::JournalSummary, Error> {
    // The school and the actor first: a file for a school out of scope is not even read.
    db::attendance::school_for_import(&core.db, actor, school).await?;
    let rows = tokio::task::spawn_blocking(move || {
        let mut all = Vec::new();
        crate::sheet::read_rows(&path, &mut |batch| {
            all.extend(batch);
            true
        })
        .map(|()| all)
    })
    .await
    .map_err(|_| Error::from(Invalid::one("file", ErrorCode::NotSpreadsheet)))??;
    let Some(((_, head), body)) = rows.split_first() else {
        return Err(Invalid::one("file", ErrorCode::FileEmpty).into());
    };
    let cols = columns(core, head)?;
    let reasons = reasons(core);
    let from = NaiveDate::from_ymd_opt(c.year, 1, 1).unwrap_or(today);
    let cal = db::attendance::calendar(&core.db, from, today).await?;
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(body.len());
    let mut seen = HashSet::new();
    for (n, row) in body {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut ch = Checker::default();
        let p = pupil(
            &mut ch,
            cell(&cols, row, "iin"),
            cell(&cols, row, "surname"),
            cell(&cols, row, "first_name"),
            cell(&cols, row, "grade"),
        );
        let day = match (cell(&cols, row, "date").trim(), domain::child::parse_date(cell(&cols, row, "date"))) {
            ("", _) => {
                ch.push(FieldError::new("date", ErrorCode::Required));
                None
            }
            (_, None) => {
                ch.push(FieldError::new("date", ErrorCode::InvalidDate));
                None
            }
            (_, Some(d)) if d > today => {
                ch.push(FieldError::new("date", ErrorCode::DateInFuture));
                None
            }
            (_, Some(d)) if !cal.is_school_day(d) || d < from => {
                ch.push(FieldError::new("date", ErrorCode::NotSchoolDay));
                None
            }
            (_, Some(d)) => Some(d),
        };
        let reason = match cell(&cols, row, "reason").trim() {
            "" => None,
            r => {
                let found = reasons.get(&fold(r)).copied();
                if found.is_none() {
                    ch.push(FieldError::new("reason", ErrorCode::InvalidChoice));
                }
                found
            }
        };
        match (ch.finish(()), p, day) {
            (Ok(()), Some(pupil), Some(day)) => {
                // The same pupil and day twice in a file is the same day out.
                if seen.insert((pupil.iin.as_str().to_owned(), day)) {
                    out.push(JournalRow { pupil, day, reason });
                }
            }
            (Err(e), _, _) => errors.extend(e.0.into_iter().map(|e| e.at_row(*n))),
            _ => errors.push(FieldError::new("iin", ErrorCode::Required).at_row(*n)),
        }
        if errors.len() >= ERRORS_SHOWN {
            break;
        }
    }
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    if out.is_empty() {
        return Err(Invalid::one("file", ErrorCode::FileEmpty).into());
    }
    Ok(db::attendance::import_journal(&core.db, actor, c, school, &out).await?)
}
