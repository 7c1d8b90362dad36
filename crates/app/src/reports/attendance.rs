//! The report's part on pupils who do not come to school, from the attendance records: how many,
//! from the first school day, by reason, back, still out, and the cases with a step overdue; the
//! consolidated report sets them beside the campaign before.

use db::attendance::Stats;
use domain::attendance::AbsenceReason;
use i18n::I18n;
use reports::{Cell, Part};

use super::{ByUnit, Consolidated, SchoolReport};

/// Pupils of a reason code in a set of figures.
fn of(s: &Stats, code: &str) -> i64 {
    s.by_reason.iter().find(|(c, _)| c == code).map_or(0, |(_, n)| *n)
}

/// The table: label, then one cell per set of figures.
fn table(t: &I18n, columns: Vec<String>, sets: &[&Stats]) -> Part {
    let line = |label: String, value: &dyn Fn(&Stats) -> i64| {
        let mut cells = vec![Cell::Text(label)];
        cells.extend(sets.iter().map(|s| Cell::Count(value(s))));
        cells
    };
    let mut rows =
        vec![line(t.t("report-out-pupils"), &|s| s.pupils), line(t.t("report-out-first-day"), &|s| s.from_first_day)];
    let codes = AbsenceReason::ALL.iter().map(|r| r.as_str()).chain(std::iter::once(""));
    for code in codes {
        if sets.iter().any(|s| of(s, code) > 0) {
            let label = if code.is_empty() { t.t("absence-reason-unknown") } else { t.label("absence-reason", code) };
            rows.push(line(format!("  {label}"), &|s| of(s, code)));
        }
    }
    rows.push(line(t.t("report-out-returned"), &|s| s.returned));
    rows.push(line(t.t("report-out-still"), &|s| s.still_out()));
    rows.push(line(t.t("report-out-overdue"), &|s| s.overdue_cases));
    Part::Table { columns, rows, total: None }
}

/// The consolidated report's pupils out, beside the previous campaign's, then each unit below.
pub fn consolidated(t: &I18n, r: &Consolidated, by: &ByUnit) -> Vec<Part> {
    let mut columns = vec![String::new(), r.campaign.year.to_string()];
    let mut sets = vec![&r.attendance];
    if let Some(p) = &r.previous {
        columns.push(p.campaign.year.to_string());
        sets.push(&p.attendance);
    }
    let heading = Part::Heading(t.t("report-section-attendance"));
    if sets.iter().all(|s| s.pupils == 0) {
        return vec![heading, Part::Para(t.t("report-no-out"))];
    }
    let mut parts = vec![heading, table(t, columns, &sets)];
    if r.rows.is_empty() || r.attendance.pupils == 0 {
        return parts;
    }
    let line = |first: Cell, s: &Stats| {
        vec![
            first,
            Cell::Count(s.pupils),
            Cell::Count(s.from_first_day),
            Cell::Count(s.returned),
            Cell::Count(s.still_out()),
            Cell::Count(s.overdue_cases),
        ]
    };
    let none = Stats::default();
    let of = |id: i64| r.attendance_below.iter().find(|(u, _)| *u == id).map_or(&none, |(_, s)| s);
    parts.push(Part::Table {
        columns: vec![
            by.sub.to_owned(),
            t.t("report-out-pupils"),
            t.t("report-out-first-day"),
            t.t("report-out-returned"),
            t.t("report-out-still"),
            t.t("report-out-overdue"),
        ],
        rows: r.rows.iter().map(|row| line((by.name)(&row.unit), of(row.unit.id))).collect(),
        total: Some(line(Cell::Text(t.t("total")), &r.attendance)),
    });
    parts
}

/// The school's pupils out in the period; a school with none has no such section (its справка
/// keeps to one page).
pub fn school(t: &I18n, r: &SchoolReport) -> Vec<Part> {
    let s = &r.attendance;
    if s.pupils == 0 {
        return Vec::new();
    }
    let heading = Part::Heading(t.t("report-section-attendance"));
    vec![heading, table(t, vec![String::new(), r.campaign.year.to_string()], &[s])]
}
