//! The report's parts on citizens' appeals (of those received in the period: by channel and
//! topic, answered in time or late, still open and past their last day, solved in the applicant's
//! words) and on the survey «Готов ли Ваш ребёнок к школе?» (answers, families not ready, asking for
//! help, what is missing), each unit below in a row.

use db::appeals::report::Stats;
use db::totals::survey::Figures;
use domain::appeal::{Channel, Topic};
use i18n::I18n;
use reports::{Cell, Part};

use super::{ByUnit, Consolidated, SchoolReport};

/// A count of `list` by code (zero when absent).
fn of(list: &[(String, i64)], code: &str) -> i64 {
    list.iter().find(|(c, _)| c == code).map_or(0, |(_, n)| *n)
}

/// The figures, a line each: received (and by channel, by topic), answered in time, late, open
/// (of them overdue), solved or not.
fn table(t: &I18n, s: &Stats) -> Part {
    let line = |label: String, n: i64| vec![Cell::Text(label), Cell::Count(n)];
    let mut rows = vec![line(t.t("report-appeals-received"), s.received)];
    for c in Channel::ALL {
        if of(&s.by_channel, c.as_str()) > 0 {
            rows.push(line(format!("  {}", t.label("appeal-channel", c.as_str())), of(&s.by_channel, c.as_str())));
        }
    }
    rows.push(line(t.t("report-appeals-by-topic"), s.received));
    for topic in Topic::ALL {
        if of(&s.by_topic, topic.as_str()) > 0 {
            rows.push(line(format!("  {}", t.label("appeal-topic", topic.as_str())), of(&s.by_topic, topic.as_str())));
        }
    }
    rows.push(line(t.t("report-appeals-in-time"), s.in_time));
    rows.push(line(t.t("report-appeals-late"), s.late));
    rows.push(line(t.t("report-appeals-open"), s.open()));
    rows.push(line(format!("  {}", t.t("report-appeals-overdue")), s.overdue));
    rows.push(line(t.t("report-appeals-solved"), s.solved));
    rows.push(line(t.t("report-appeals-unsolved"), s.unsolved));
    Part::Table { columns: vec![String::new(), t.t("report-appeals-count")], rows, total: None }
}

/// The consolidated report's appeals, then each unit below (and the unit's own).
pub fn consolidated(t: &I18n, r: &Consolidated, by: &ByUnit) -> Vec<Part> {
    let heading = Part::Heading(t.t("report-section-appeals"));
    if r.appeals.is_empty() {
        return vec![heading, Part::Para(t.t("report-no-appeals"))];
    }
    let mut parts = vec![heading, table(t, &r.appeals)];
    if r.rows.is_empty() {
        return parts;
    }
    let figures = |s: &Stats| [s.received, s.in_time, s.late, s.open(), s.overdue];
    let line = |first: Cell, n: [i64; 5]| {
        let mut cells = vec![first];
        cells.extend(n.map(Cell::Count));
        cells
    };
    let none = Stats::default();
    let below = |id: i64| r.appeals_below.iter().find(|(u, _)| *u == id).map_or(&none, |(_, s)| s);
    let mut body: Vec<Vec<Cell>> =
        r.rows.iter().map(|row| line((by.name)(&row.unit), figures(below(row.unit.id)))).collect();
    // What the sub-units do not hold is the unit's own (a complaint about a sponsor, say).
    let mut own = figures(&r.appeals);
    for (_, s) in &r.appeals_below {
        own.iter_mut().zip(figures(s)).for_each(|(o, n)| *o -= n);
    }
    if own.iter().any(|n| *n != 0) {
        body.push(line(by.own.clone(), own));
    }
    parts.push(Part::Table {
        columns: vec![
            by.sub.to_owned(),
            t.t("report-appeals-received"),
            t.t("report-appeals-in-time"),
            t.t("report-appeals-late"),
            t.t("report-appeals-open"),
            t.t("report-appeals-overdue"),
        ],
        rows: body,
        total: Some(line(Cell::Text(t.t("total")), figures(&r.appeals))),
    });
    parts
}

/// The school's appeals in the period; a school with none has no such section.
pub fn school(t: &I18n, r: &SchoolReport) -> Vec<Part> {
    if r.appeals.is_empty() {
        return Vec::new();
    }
    vec![Part::Heading(t.t("report-section-appeals")), table(t, &r.appeals)]
}

/// The consolidated report's survey answers (a school's are counted with its district's), then
/// each unit below that has any.
pub fn survey(t: &I18n, r: &Consolidated, by: &ByUnit) -> Vec<Part> {
    let Some(total) = &r.survey else { return Vec::new() };
    let heading = Part::Heading(t.t("survey-public-title"));
    if total.answers == 0 {
        return vec![heading, Part::Para(t.t("report-no-survey"))];
    }
    let missing: Vec<&str> = domain::survey::Missing::ALL.iter().map(|m| m.as_str()).collect();
    let line = |first: Cell, f: &Figures| {
        let mut cells = vec![first, Cell::Count(f.answers), Cell::Count(f.not_ready), Cell::Count(f.help)];
        cells.extend(missing.iter().map(|m| Cell::Count(f.missing(m))));
        cells
    };
    let mut columns =
        vec![by.sub.to_owned(), t.t("survey-public-answers"), t.t("survey-ready-no"), t.t("survey-public-help")];
    columns.extend(missing.iter().map(|m| t.label("survey-missing", m)));
    let none = Figures::empty(0);
    let below = |id: i64| r.survey_below.iter().find(|f| f.unit_id == id).unwrap_or(&none);
    let rows = if r.survey_below.is_empty() {
        Vec::new()
    } else {
        r.rows.iter().map(|row| line((by.name)(&row.unit), below(row.unit.id))).collect()
    };
    vec![heading, Part::Table { columns, rows, total: Some(line(Cell::Text(t.t("total")), total)) }]
}
