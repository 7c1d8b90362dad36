//! The report a unit gets, as a document in the reader's language: the model `crates/reports`
//! writes as Word, PDF and Excel, and the page shows.

use domain::child::Category;
use i18n::I18n;

pub use reports::{Cell, Part, Report, percent};

use super::{Consolidated, Figures, Period, SchoolReport};
use crate::Error;
use crate::entity::org_unit::Model as OrgUnit;

/// The formats a report downloads in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Word.
    Docx,
    /// PDF.
    Pdf,
    /// Excel.
    Xlsx,
}

impl Format {
    /// `docx`, `pdf` or `xlsx`.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "docx" => Some(Format::Docx),
            "pdf" => Some(Format::Pdf),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Xlsx => "xlsx",
        }
    }

    /// The content type.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format::Pdf => "application/pdf",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// Writes a report in a format (the PDF typeset on a blocking thread).
pub async fn write(t: &I18n, report: &Report, format: Format) -> Result<Vec<u8>, Error> {
    match format {
        Format::Docx => report.to_docx(t).map_err(Error::internal),
        Format::Xlsx => report.to_xlsx(t).map_err(Error::internal),
        Format::Pdf => crate::export::render_pdf(report.to_pdf_doc(t)).await,
    }
}

/// The name of a unit in the reader's language.
fn unit_name(t: &I18n, u: &OrgUnit) -> String {
    t.name(&u.name_ru, &u.name_kk).to_owned()
}

/// `за период с 01.08.2022 по 30.09.2022`, or nothing for the whole campaign.
pub fn period_text(t: &I18n, p: &Period) -> String {
    match (p.from, p.to) {
        (Some(f), Some(to)) => t.args("report-period-between", &[("from", t.date(&f)), ("to", t.date(&to))]),
        (Some(f), None) => t.t1("report-period-from", "from", t.date(&f)),
        (None, Some(to)) => t.t1("report-period-to", "to", t.date(&to)),
        (None, None) => t.t("report-period-all"),
    }
}

/// A month as people write it: `август 2022`.
pub fn month_name(t: &I18n, year: i32, month: u32) -> String {
    format!("{} {year}", t.t(&format!("month-{month}")))
}

/// Item types shown in every consolidated report (MISSION.md §7), then any others present.
pub const MAIN_ITEMS: [&str; 5] = ["backpack", "uniform", "sports_suit", "shoes", "stationery"];

/// The item columns of a report: the five main types and any other present in `total`.
pub fn item_columns(total: &Figures) -> Vec<String> {
    let mut out: Vec<String> = MAIN_ITEMS.iter().map(|s| (*s).to_owned()).collect();
    out.extend(total.items.keys().filter(|k| !MAIN_ITEMS.contains(&k.as_str())).cloned());
    out
}

/// The categories present, in the order of the registry's list.
pub fn category_columns(total: &Figures) -> Vec<String> {
    Category::ALL.iter().map(|c| c.as_str().to_owned()).filter(|c| total.categories.contains_key(c)).collect()
}

fn money_row(name: Cell, f: &Figures) -> Vec<Cell> {
    vec![
        name,
        Cell::Count(f.identified),
        Cell::Count(f.helped),
        Cell::Permille(f.coverage_permille()),
        Cell::Money(f.source("fund")),
        Cell::Money(f.source("sponsor")),
        Cell::Money(f.other()),
        Cell::Money(f.delivered()),
        Cell::Money(f.need),
    ]
}

/// The consolidated report of a district, a region or the republic.
pub fn consolidated(t: &I18n, r: &Consolidated, link: impl Fn(&OrgUnit) -> Option<String>) -> Report {
    let unit = unit_name(t, &r.unit);
    let name = |u: &OrgUnit| match link(u) {
        Some(href) => Cell::Link(unit_name(t, u), href),
        None => Cell::Text(unit_name(t, u)),
    };
    let mut parts = Vec::new();
    let sub = t.kind(match r.unit.kind.as_str() {
        "republic" => "region",
        "region" => "district",
        _ => "school",
    });
    if r.total.is_empty() {
        parts.push(Part::Para(t.t("report-empty")));
    }
    parts.push(Part::Heading(t.t("report-section-money")));
    let money_cols = vec![
        sub.clone(),
        t.t("report-identified"),
        t.t("report-helped"),
        t.t("report-coverage"),
        t.t("aid-source-fund"),
        t.t("report-sponsors"),
        t.t("report-other"),
        t.t("report-delivered"),
        t.t("report-need"),
    ];
    parts.push(Part::Table {
        columns: money_cols,
        rows: r.rows.iter().map(|row| money_row(name(&row.unit), &row.figures)).collect(),
        total: Some(money_row(Cell::Text(t.t("total")), &r.total)),
    });
    parts.push(Part::Heading(t.t("report-section-helped-by")));
    parts.push(Part::Table {
        columns: vec![
            sub.clone(),
            t.t("report-helped"),
            t.t("report-helped-fund"),
            t.t("report-helped-sponsor"),
            t.t("report-helped-other"),
        ],
        rows: r.rows.iter().map(|row| helped_row(name(&row.unit), &row.figures)).collect(),
        total: Some(helped_row(Cell::Text(t.t("total")), &r.total)),
    });
    parts.push(Part::Para(t.t("report-helped-by-note")));
    let cats = category_columns(&r.total);
    if !cats.is_empty() {
        parts.push(Part::Heading(t.t("report-section-categories")));
        let mut columns = vec![sub.clone()];
        columns.extend(cats.iter().map(|c| t.label("category", c)));
        let line = |first: Cell, f: &Figures| {
            let mut cells = vec![first];
            cells.extend(cats.iter().map(|c| Cell::Count(f.category(c))));
            cells
        };
        parts.push(Part::Table {
            columns,
            rows: r.rows.iter().map(|row| line(name(&row.unit), &row.figures)).collect(),
            total: Some(line(Cell::Text(t.t("total")), &r.total)),
        });
    }
    parts.push(Part::Heading(t.t("report-section-items")));
    let items = item_columns(&r.total);
    let mut columns = vec![sub.clone()];
    columns.extend(items.iter().map(|i| t.label("need", i)));
    let line = |first: Cell, f: &Figures| {
        let mut cells = vec![first];
        cells.extend(items.iter().map(|i| Cell::Count(f.item(i))));
        cells
    };
    parts.push(Part::Table {
        columns,
        rows: r.rows.iter().map(|row| line(name(&row.unit), &row.figures)).collect(),
        total: Some(line(Cell::Text(t.t("total")), &r.total)),
    });
    parts.push(Part::Heading(t.t("report-section-fund")));
    parts.push(Part::Table {
        columns: vec![sub.clone(), t.t("report-fund-allocation"), t.t("report-fund-spent"), t.t("report-fund-used")],
        rows: r.rows.iter().map(|row| fund_row(name(&row.unit), &row.figures)).collect(),
        total: Some(fund_row(Cell::Text(t.t("total")), &r.total)),
    });
    let by_unit = super::ByUnit { sub: &sub, name: &name, own: Cell::Text(unit.clone()) };
    parts.extend(super::raids::consolidated(t, r, &by_unit));
    parts.extend(super::attendance::consolidated(t, r, &by_unit));
    parts.extend(super::appeals::consolidated(t, r, &by_unit));
    parts.extend(super::appeals::survey(t, r, &by_unit));
    parts.push(Part::Heading(t.t("report-section-previous")));
    match &r.previous {
        Some(p) => {
            let cmp = |key: &str, now: Cell, before: Cell| vec![Cell::Text(t.t(key)), now, before];
            parts.push(Part::Table {
                columns: vec![String::new(), r.campaign.year.to_string(), p.campaign.year.to_string()],
                rows: vec![
                    cmp("report-identified", Cell::Count(r.total.identified), Cell::Count(p.total.identified)),
                    cmp("report-helped", Cell::Count(r.total.helped), Cell::Count(p.total.helped)),
                    cmp(
                        "report-helped-fund",
                        Cell::Count(r.total.helped_by("fund")),
                        Cell::Count(p.total.helped_by("fund")),
                    ),
                    cmp(
                        "report-helped-sponsor",
                        Cell::Count(r.total.helped_by("sponsor")),
                        Cell::Count(p.total.helped_by("sponsor")),
                    ),
                    cmp(
                        "report-helped-other",
                        Cell::Count(r.total.helped_by("other")),
                        Cell::Count(p.total.helped_by("other")),
                    ),
                    cmp(
                        "report-coverage",
                        Cell::Permille(r.total.coverage_permille()),
                        Cell::Permille(p.total.coverage_permille()),
                    ),
                    cmp("aid-source-fund", Cell::Money(r.total.source("fund")), Cell::Money(p.total.source("fund"))),
                    cmp(
                        "report-sponsors",
                        Cell::Money(r.total.source("sponsor")),
                        Cell::Money(p.total.source("sponsor")),
                    ),
                    cmp("report-other", Cell::Money(r.total.other()), Cell::Money(p.total.other())),
                    cmp("report-delivered", Cell::Money(r.total.delivered()), Cell::Money(p.total.delivered())),
                ],
                total: None,
            });
        }
        None => parts.push(Part::Para(t.t("report-no-previous"))),
    }
    Report {
        title: t.args("report-consolidated-title", &[("year", r.campaign.year.to_string()), ("unit", unit)]),
        subtitle: period_text(t, &r.period),
        parts,
        footer: t.t1("letter-footer", "year", r.campaign.year),
        landscape: true,
    }
}

fn helped_row(name: Cell, f: &Figures) -> Vec<Cell> {
    let by = |g: &str| Cell::Count(f.helped_by(g));
    vec![name, Cell::Count(f.helped), by("fund"), by("sponsor"), by("other")]
}

fn fund_row(name: Cell, f: &Figures) -> Vec<Cell> {
    let used = (f.fund_allocation > 0).then(|| f.fund_spent * 1000 / f.fund_allocation);
    vec![name, Cell::Money(f.fund_allocation), Cell::Money(f.fund_spent), Cell::Permille(used)]
}

/// The school's report, shaped like seed 003: the campaign, the measures, the raids, the fund by
/// month, the sponsors, the totals.
pub fn school(t: &I18n, r: &SchoolReport, out: &super::Outgoing) -> Report {
    let c = &r.campaign;
    let school = unit_name(t, &r.school);
    let motto = t.name(&c.motto_ru, &c.motto_kk).to_owned();
    let d = &r.details;
    let blank = |v: &Option<String>, width: usize| v.clone().unwrap_or_else(|| "_".repeat(width));
    let place: Vec<String> = r.ancestors.iter().filter(|a| a.kind != "republic").map(|a| unit_name(t, a)).collect();
    let mut sender = vec![school.clone()];
    if !place.is_empty() {
        sender.push(place.join(", "));
    }
    sender.extend(d.address.clone());
    sender.extend(d.phone.as_ref().map(|p| t.t1("report-phone", "phone", p)));
    let date = out.date.map(|d| t.date(&d)).unwrap_or_else(|| t.t("report-date-blank"));
    sender.push(t.args("report-outgoing", &[("number", blank(&out.number, 8)), ("date", date)]));
    let addressee = vec![d.addressee.clone().unwrap_or_else(|| t.t("report-addressee-none"))];
    let mut parts = vec![Part::Letterhead { sender, addressee }];
    parts.push(Part::Para(t.args(
        "report-school-intro",
        &[("year", c.year.to_string()), ("from", t.date(&c.starts_on)), ("to", t.date(&c.ends_on)), ("motto", motto)],
    )));
    let f = &r.figures;
    parts.push(Part::Para(
        t.args("report-school-identified", &[("children", f.identified.to_string()), ("need", t.tiyn(&f.need))]),
    ));
    let cats = category_columns(f);
    if !cats.is_empty() {
        parts.push(Part::Table {
            columns: vec![t.field("categories"), t.t("report-children")],
            rows: cats.iter().map(|c| vec![Cell::Text(t.label("category", c)), Cell::Count(f.category(c))]).collect(),
            total: None,
        });
    }
    parts.push(Part::Heading(t.t("report-section-measures")));
    let measures: Vec<&str> = r.notes.measures.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if measures.is_empty() {
        parts.push(Part::Para(t.t("report-not-filled")));
    } else {
        parts.extend(measures.iter().map(|m| Part::Para(format!("· {m}"))));
    }
    parts.extend(super::raids::school(t, r));
    parts.extend(super::attendance::school(t, r));
    parts.extend(super::appeals::school(t, r));
    parts.push(Part::Heading(t.t("report-section-fund-help")));
    if r.fund.is_empty() {
        parts.push(Part::Para(t.t("report-no-fund-help")));
    } else {
        for m in &r.fund {
            parts.push(Part::Para(t.args(
                "report-fund-month",
                &[
                    ("pupils", m.pupils.to_string()),
                    ("sum", t.tiyn(&m.amount)),
                    ("month", month_name(t, m.year, m.month)),
                ],
            )));
        }
        parts.push(Part::SheetTable {
            columns: vec![t.t("report-month"), t.t("report-pupils"), t.field("amount")],
            rows: r
                .fund
                .iter()
                .map(|m| vec![Cell::Text(month_name(t, m.year, m.month)), Cell::Count(m.pupils), Cell::Money(m.amount)])
                .collect(),
            total: Some(vec![Cell::Text(t.t("total")), Cell::Count(r.fund_pupils), Cell::Money(r.fund_total())]),
        });
    }
    parts.push(Part::Heading(t.t("report-section-sponsors")));
    if r.givers.is_empty() {
        parts.push(Part::Para(t.t("report-no-sponsors")));
    } else {
        parts.push(Part::Para(t.args(
            "report-sponsors-total",
            &[("pupils", r.givers_pupils.to_string()), ("sum", t.tiyn(&r.givers_total()))],
        )));
        for g in &r.givers {
            let name = if g.name.is_empty() { t.label("aid-source", &g.source) } else { g.name.clone() };
            parts.push(Part::Para(format!(
                "· {}",
                t.args(
                    "report-sponsor-line",
                    &[("name", name), ("pupils", g.pupils.to_string()), ("sum", t.tiyn(&g.amount))]
                )
            )));
        }
        parts.push(Part::SheetTable {
            columns: vec![t.t("report-sponsor"), t.t("report-pupils"), t.field("amount")],
            rows: r
                .givers
                .iter()
                .map(|g| {
                    let name = if g.name.is_empty() { t.label("aid-source", &g.source) } else { g.name.clone() };
                    vec![Cell::Text(name), Cell::Count(g.pupils), Cell::Money(g.amount)]
                })
                .collect(),
            total: Some(vec![Cell::Text(t.t("total")), Cell::Count(r.givers_pupils), Cell::Money(r.givers_total())]),
        });
    }
    parts.push(Part::Heading(t.t("report-section-results")));
    parts.push(Part::Para(t.args(
        "report-school-results",
        &[
            ("helped", f.helped.to_string()),
            ("identified", f.identified.to_string()),
            ("coverage", percent(f.coverage_permille())),
            ("sum", t.tiyn(&f.delivered())),
        ],
    )));
    let items: Vec<(&String, &i64)> = f.items.iter().filter(|(_, n)| **n != 0).collect();
    if !items.is_empty() {
        parts.push(Part::Table {
            columns: vec![t.t("need"), t.field("quantity")],
            rows: items.iter().map(|(i, n)| vec![Cell::Text(t.label("need", i)), Cell::Count(**n)]).collect(),
            total: None,
        });
    }
    let prepared = t.args("report-prepared", &[("name", blank(&d.coordinator, 20)), ("phone", blank(&d.phone, 14))]);
    let after = vec![t.t("report-stamp"), prepared];
    parts.push(Part::Signature { role: t.t("report-signed"), name: d.director.clone().unwrap_or_default(), after });
    // The school is named once, in the letter's head; the subtitle says the period, if any.
    let subtitle = if r.period.is_whole() { String::new() } else { period_text(t, &r.period) };
    Report {
        title: t.t1("report-school-title", "year", c.year),
        subtitle,
        parts,
        footer: t.t1("letter-footer", "year", c.year),
        landscape: false,
    }
}
