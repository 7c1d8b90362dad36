//! The raids' part of a report, from the raids' own records: held, participants by category,
//! children found and what was done for them; a school's report lists its raids one by one.

use db::raids::Stats;
use domain::raid::{FindingAction, ParticipantKind};
use i18n::I18n;
use reports::{Cell, Part};

use super::{ByUnit, Consolidated, SchoolReport};

/// Most raids a справка names one by one in its text.
const PROSE_LINES: usize = 12;

/// A figure of `stats` by code (zero when absent).
fn of(list: &[(String, i64)], code: &str) -> i64 {
    list.iter().find(|(c, _)| c == code).map_or(0, |(_, n)| *n)
}

/// The rows of the figures: label, then one cell per set of figures (now, and a year before).
fn rows(t: &I18n, sets: &[&Stats]) -> Vec<Vec<Cell>> {
    let line = |label: String, value: &dyn Fn(&Stats) -> i64| {
        let mut cells = vec![Cell::Text(label)];
        cells.extend(sets.iter().map(|s| Cell::Count(value(s))));
        cells
    };
    let mut out = vec![
        line(t.t("report-raids-count"), &|s| s.raids),
        line(t.t("report-raid-participants"), &|s| s.participants_total()),
    ];
    for kind in ParticipantKind::ALL {
        if sets.iter().any(|s| of(&s.participants, kind.as_str()) > 0) {
            let label = format!("  {}", t.label("raid-participant", kind.as_str()));
            out.push(line(label, &|s| of(&s.participants, kind.as_str())));
        }
    }
    out.push(line(t.t("report-raid-found"), &|s| s.findings));
    for action in FindingAction::ALL {
        if sets.iter().any(|s| of(&s.actions, action.as_str()) > 0) {
            let label = format!("  {}", t.label("raid-action", action.as_str()));
            out.push(line(label, &|s| of(&s.actions, action.as_str())));
        }
    }
    out
}

/// The consolidated report's raids: the period's figures beside the previous campaign's, then
/// each unit below (and the unit's own raids, if it held any itself).
pub fn consolidated(t: &I18n, r: &Consolidated, by: &ByUnit) -> Vec<Part> {
    let mut columns = vec![String::new(), r.campaign.year.to_string()];
    let mut sets = vec![&r.raids];
    if let Some(p) = &r.previous {
        columns.push(p.campaign.year.to_string());
        sets.push(&p.raids);
    }
    if sets.iter().all(|s| s.raids == 0) {
        return vec![Part::Heading(t.t("report-section-raids")), Part::Para(t.t("report-no-raids"))];
    }
    let mut parts =
        vec![Part::Heading(t.t("report-section-raids")), Part::Table { columns, rows: rows(t, &sets), total: None }];
    if r.rows.is_empty() || r.raids.raids == 0 {
        return parts;
    }
    // Raids held, participants, children found.
    let figures = |s: &Stats| [s.raids, s.participants_total(), s.findings];
    let line = |first: Cell, n: [i64; 3]| {
        let mut cells = vec![first];
        cells.extend(n.map(Cell::Count));
        cells
    };
    let none = Stats::default();
    let of = |id: i64| r.raids_below.iter().find(|(u, _)| *u == id).map_or(&none, |(_, s)| s);
    let mut body: Vec<Vec<Cell>> =
        r.rows.iter().map(|row| line((by.name)(&row.unit), figures(of(row.unit.id)))).collect();
    // What the sub-units do not hold is the unit's own.
    let mut own = figures(&r.raids);
    for (_, s) in &r.raids_below {
        own.iter_mut().zip(figures(s)).for_each(|(o, n)| *o -= n);
    }
    if own[0] > 0 {
        body.push(line(by.own.clone(), own));
    }
    parts.push(Part::Table {
        columns: vec![
            by.sub.to_owned(),
            t.t("report-raids-count"),
            t.t("report-raid-participants"),
            t.t("report-raid-found"),
        ],
        rows: body,
        total: Some(line(Cell::Text(t.t("total")), figures(&r.raids))),
    });
    parts
}

/// The school's raids: how many, each with its day, places and people, and what they found.
pub fn school(t: &I18n, r: &SchoolReport) -> Vec<Part> {
    let s = &r.raids.stats;
    let mut parts = vec![Part::Heading(t.t("report-section-raids")), Part::Para(t.count("report-raids-held", s.raids))];
    if s.raids == 0 {
        return parts;
    }
    // In prose, as a справка reads (a list of days and places); the table goes to the workbook.
    let places = |l: &db::raids::RaidLine| l.places.iter().map(|k| t.label("raid-place", k)).collect::<Vec<_>>();
    let days: Vec<String> = r
        .raids
        .lines
        .iter()
        .take(PROSE_LINES)
        .map(|l| format!("{} — {}", t.date(&l.raid.held_on), places(l).join(", ").to_lowercase()))
        .collect();
    if r.raids.lines.len() <= PROSE_LINES {
        parts.push(Part::Para(format!("{}.", days.join("; "))));
    }
    parts.push(Part::SheetTable {
        columns: vec![t.field("date"), t.field("places"), t.t("report-raid-participants"), t.t("report-raid-found")],
        rows: r
            .raids
            .lines
            .iter()
            .map(|l| {
                vec![
                    Cell::Text(t.date(&l.raid.held_on)),
                    Cell::Text(places(l).join(", ")),
                    Cell::Count(l.participants),
                    Cell::Count(l.findings),
                ]
            })
            .collect(),
        total: Some(vec![
            Cell::Text(t.t("total")),
            Cell::Text(String::new()),
            Cell::Count(s.participants_total()),
            Cell::Count(s.findings),
        ]),
    });
    let who: Vec<String> = ParticipantKind::ALL
        .iter()
        .filter(|k| of(&s.participants, k.as_str()) > 0)
        .map(|k| format!("{} — {}", t.label("raid-participant", k.as_str()), of(&s.participants, k.as_str())))
        .collect();
    if !who.is_empty() {
        parts.push(Part::Para(t.t1("report-raid-with", "who", who.join("; "))));
    }
    let done: Vec<String> = FindingAction::ALL
        .iter()
        .filter(|a| of(&s.actions, a.as_str()) > 0)
        .map(|a| format!("{} — {}", t.label("raid-action", a.as_str()), of(&s.actions, a.as_str())))
        .collect();
    let found = t.count("report-raid-found-count", s.findings);
    parts.push(Part::Para(if done.is_empty() { found } else { format!("{found}: {}", done.join("; ")) }));
    parts
}
