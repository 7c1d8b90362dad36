//! Reports as documents: one typed model of a report (headings, paragraphs, tables whose cells
//! know whether they are text, a count, money or a share) written out as PDF, Word and Excel.
//! Every format is drawn from the same model, so they cannot disagree on a figure; Excel gets
//! real numbers, the PDF and Word the same numbers formatted for reading.

use std::io::Cursor;

use app::entity::org_unit::Model as OrgUnit;
use app::reports::{Consolidated, Figures, SchoolReport};
use docx_rs::{AlignmentType, Docx, Footer, Paragraph, Run, RunFonts, Shading, Table, TableCell, TableRow, WidthType};
use rust_xlsxwriter::{Format, Workbook};

use crate::I18n;
use crate::error::AppError;

/// A table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A count.
    Count(i64),
    /// Money, tiyn.
    Money(i64),
    /// A share in thousandths (coverage); none when there is nothing to divide by.
    Permille(Option<i64>),
    /// Text that links somewhere on the web page (a drill-down); plain text in files.
    Link(String, String),
}

impl Cell {
    /// Whether the cell holds a number (aligned right).
    pub fn numeric(&self) -> bool {
        !matches!(self, Cell::Text(_) | Cell::Link(..))
    }

    /// The cell as read in the PDF and Word.
    pub fn show(&self, t: &I18n) -> String {
        match self {
            Cell::Text(s) | Cell::Link(s, _) => s.clone(),
            Cell::Count(n) => domain::format::group_thousands(*n),
            Cell::Money(m) => t.tiyn(m),
            Cell::Permille(p) => percent(*p),
        }
    }
}

/// `87,5 %`, or a dash.
pub fn percent(permille: Option<i64>) -> String {
    match permille {
        Some(p) => format!("{},{} %", p / 10, p % 10),
        None => "—".into(),
    }
}

/// A part of a report.
#[derive(Debug, Clone)]
pub enum Part {
    /// A section heading.
    Heading(String),
    /// A paragraph.
    Para(String),
    /// A table with a header row, rows and an optional totals row.
    Table {
        /// Header.
        columns: Vec<String>,
        /// Body.
        rows: Vec<Vec<Cell>>,
        /// Totals.
        total: Option<Vec<Cell>>,
    },
    /// A signature line.
    Signature {
        /// Position.
        role: String,
        /// Name.
        name: String,
    },
}

/// A report ready to be written in any format.
#[derive(Debug, Clone)]
pub struct Report {
    /// Title.
    pub title: String,
    /// The line under the title.
    pub subtitle: String,
    /// Content.
    pub parts: Vec<Part>,
    /// Page footer.
    pub footer: String,
    /// Wide tables: landscape pages.
    pub landscape: bool,
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::Internal(format!("xlsx: {e}"))
}

impl Report {
    /// The typst document.
    pub fn to_pdf_doc(&self, t: &I18n) -> pdf::Doc {
        let blocks = self
            .parts
            .iter()
            .map(|p| match p {
                Part::Heading(text) => pdf::Block::Heading { text: text.clone() },
                Part::Para(text) => pdf::Block::Para { text: text.clone() },
                Part::Table { columns, rows, total } => pdf::Block::Table {
                    columns: columns.clone(),
                    rows: rows.iter().map(|r| r.iter().map(|c| c.show(t)).collect()).collect(),
                    total: total.as_ref().map(|r| r.iter().map(|c| c.show(t)).collect()),
                    numeric: rows
                        .first()
                        .or(total.as_ref())
                        .map(|r| r.iter().map(Cell::numeric).collect())
                        .unwrap_or_default(),
                },
                Part::Signature { role, name } => pdf::Block::Signature { role: role.clone(), name: name.clone() },
            })
            .collect();
        pdf::Doc {
            lang: t.locale.code().to_owned(),
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            blocks,
            footer: self.footer.clone(),
            landscape: self.landscape,
        }
    }

    /// The PDF (typeset on a blocking thread).
    pub async fn to_pdf(&self, t: &I18n) -> Result<Vec<u8>, AppError> {
        Ok(app::export::render_pdf(self.to_pdf_doc(t)).await?)
    }

    /// The Word document.
    pub fn to_docx(&self, t: &I18n) -> Result<Vec<u8>, AppError> {
        let fonts = RunFonts::new().ascii("Times New Roman").hi_ansi("Times New Roman").cs("Times New Roman");
        let mut doc = Docx::new().default_fonts(fonts).default_size(24);
        if self.landscape {
            doc = doc.page_size(16838, 11906).page_orient(docx_rs::PageOrientationType::Landscape);
        }
        let run = |text: &str| Run::new().add_text(text);
        doc =
            doc.add_paragraph(Paragraph::new().add_run(run(&self.title).bold().size(30)).align(AlignmentType::Center));
        if !self.subtitle.is_empty() {
            doc = doc.add_paragraph(Paragraph::new().add_run(run(&self.subtitle)).align(AlignmentType::Center));
        }
        for part in &self.parts {
            doc = match part {
                Part::Heading(text) => doc.add_paragraph(Paragraph::new().add_run(run(text).bold().size(26))),
                Part::Para(text) => doc.add_paragraph(Paragraph::new().add_run(run(text)).align(AlignmentType::Both)),
                Part::Table { columns, rows, total } => {
                    let cell = |text: &str, numeric: bool, bold: bool| {
                        let r = if bold { run(text).bold() } else { run(text) };
                        let p = Paragraph::new().add_run(r).align(if numeric {
                            AlignmentType::Right
                        } else {
                            AlignmentType::Left
                        });
                        TableCell::new().add_paragraph(p)
                    };
                    let mut table_rows = vec![TableRow::new(
                        columns.iter().map(|c| cell(c, false, true).shading(Shading::new().fill("E6E6E6"))).collect(),
                    )];
                    for r in rows {
                        table_rows
                            .push(TableRow::new(r.iter().map(|c| cell(&c.show(t), c.numeric(), false)).collect()));
                    }
                    if let Some(r) = total {
                        table_rows.push(TableRow::new(r.iter().map(|c| cell(&c.show(t), c.numeric(), true)).collect()));
                    }
                    doc.add_table(Table::new(table_rows).width(5000, WidthType::Pct)).add_paragraph(Paragraph::new())
                }
                Part::Signature { role, name } => doc
                    .add_paragraph(Paragraph::new())
                    .add_paragraph(Paragraph::new().add_run(run(&format!("{role}  ____________  {name}")))),
            };
        }
        if !self.footer.is_empty() {
            doc = doc.footer(Footer::new().add_paragraph(Paragraph::new().add_run(run(&self.footer).size(16))));
        }
        let mut out = Cursor::new(Vec::new());
        doc.build().pack(&mut out).map_err(|e| AppError::Internal(format!("docx: {e}")))?;
        Ok(out.into_inner())
    }

    /// The Excel workbook: one sheet, the tables with real numbers (money in tenge with tiyn),
    /// each under its heading.
    pub fn to_xlsx(&self, t: &I18n) -> Result<Vec<u8>, AppError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name(t.t("report-title")).map_err(xlsx_err)?;
        let bold = Format::new().set_bold();
        let title = Format::new().set_bold().set_font_size(14);
        let money = Format::new().set_num_format("# ##0.00");
        let money_bold = Format::new().set_num_format("# ##0.00").set_bold();
        let share = Format::new().set_num_format("0.0%");
        let share_bold = Format::new().set_num_format("0.0%").set_bold();
        let mut row = 0u32;
        sheet.write_string_with_format(row, 0, &self.title, &title).map_err(xlsx_err)?;
        row += 1;
        if !self.subtitle.is_empty() {
            sheet.write_string(row, 0, &self.subtitle).map_err(xlsx_err)?;
            row += 1;
        }
        for part in &self.parts {
            match part {
                Part::Heading(text) => {
                    row += 1;
                    sheet.write_string_with_format(row, 0, text, &bold).map_err(xlsx_err)?;
                    row += 1;
                }
                Part::Para(text) => {
                    sheet.write_string(row, 0, text).map_err(xlsx_err)?;
                    row += 1;
                }
                Part::Table { columns, rows, total } => {
                    for (col, c) in columns.iter().enumerate() {
                        sheet.write_string_with_format(row, col as u16, c, &bold).map_err(xlsx_err)?;
                    }
                    row += 1;
                    let lines = rows.iter().map(|r| (r, false)).chain(total.iter().map(|r| (r, true)));
                    for (cells, is_total) in lines {
                        for (col, c) in cells.iter().enumerate() {
                            let col = col as u16;
                            let (m, s) = if is_total { (&money_bold, &share_bold) } else { (&money, &share) };
                            match c {
                                Cell::Text(text) | Cell::Link(text, _) if is_total => {
                                    sheet.write_string_with_format(row, col, text, &bold)
                                }
                                Cell::Text(text) | Cell::Link(text, _) => sheet.write_string(row, col, text),
                                Cell::Count(n) if is_total => {
                                    sheet.write_number_with_format(row, col, *n as f64, &bold)
                                }
                                Cell::Count(n) => sheet.write_number(row, col, *n as f64),
                                // Tiyn to tenge for the spreadsheet's own arithmetic.
                                Cell::Money(v) => sheet.write_number_with_format(row, col, *v as f64 / 100.0, m),
                                Cell::Permille(Some(p)) => {
                                    sheet.write_number_with_format(row, col, *p as f64 / 1000.0, s)
                                }
                                Cell::Permille(None) => sheet.write_string(row, col, "—"),
                            }
                            .map_err(xlsx_err)?;
                        }
                        row += 1;
                    }
                    row += 1;
                }
                Part::Signature { role, name } => {
                    row += 1;
                    sheet.write_string(row, 0, format!("{role}  ____________  {name}")).map_err(xlsx_err)?;
                    row += 1;
                }
            }
        }
        sheet.set_column_width(0, 40).map_err(xlsx_err)?;
        for col in 1..12u16 {
            sheet.set_column_width(col, 16).map_err(xlsx_err)?;
        }
        book.save_to_buffer().map_err(xlsx_err)
    }
}

/// The name of a unit in the reader's language.
fn unit_name(t: &I18n, u: &OrgUnit) -> String {
    t.name(&u.name_ru, &u.name_kk).to_owned()
}

/// `за период с 01.08.2022 по 30.09.2022`, or nothing for the whole campaign.
pub fn period_text(t: &I18n, p: &app::reports::Period) -> String {
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
    domain::child::Category::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .filter(|c| total.categories.contains_key(c))
        .collect()
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
        columns: vec![sub, t.t("report-fund-allocation"), t.t("report-fund-spent"), t.t("report-fund-used")],
        rows: r.rows.iter().map(|row| fund_row(name(&row.unit), &row.figures)).collect(),
        total: Some(fund_row(Cell::Text(t.t("total")), &r.total)),
    });
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

fn fund_row(name: Cell, f: &Figures) -> Vec<Cell> {
    let used = (f.fund_allocation > 0).then(|| f.fund_spent * 1000 / f.fund_allocation);
    vec![name, Cell::Money(f.fund_allocation), Cell::Money(f.fund_spent), Cell::Permille(used)]
}

/// The school's report, shaped like seed 003: the campaign, the measures, the raids, the fund by
/// month, the sponsors, the totals.
pub fn school(t: &I18n, r: &SchoolReport) -> Report {
    let c = &r.campaign;
    let school = unit_name(t, &r.school);
    let motto = t.name(&c.motto_ru, &c.motto_kk).to_owned();
    let mut parts = vec![Part::Para(t.args(
        "report-school-intro",
        &[("year", c.year.to_string()), ("from", t.date(&c.starts_on)), ("to", t.date(&c.ends_on)), ("motto", motto)],
    ))];
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
    parts.push(Part::Heading(t.t("report-section-raids")));
    parts.push(Part::Para(t.count("report-raids-held", r.notes.raids as i64)));
    if !r.notes.raids_note.is_empty() {
        parts.push(Part::Para(r.notes.raids_note.clone()));
    }
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
        parts.push(Part::Table {
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
        parts.push(Part::Table {
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
    parts.push(Part::Signature { role: t.t("report-signed"), name: String::new() });
    let place: Vec<String> = r.ancestors.iter().filter(|a| a.kind != "republic").map(|a| unit_name(t, a)).collect();
    let mut subtitle = school.clone();
    if !place.is_empty() {
        subtitle = format!("{subtitle}, {}", place.join(", "));
    }
    if r.period.from.is_some() || r.period.to.is_some() {
        subtitle = format!("{subtitle}; {}", period_text(t, &r.period));
    }
    Report {
        title: t.t1("report-school-title", "year", c.year),
        subtitle,
        parts,
        footer: t.t1("letter-footer", "year", c.year),
        landscape: false,
    }
}
