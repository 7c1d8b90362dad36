//! Reports as documents: one typed model of a report (headings, paragraphs, tables whose cells
//! know whether they are text, a count, money or a share) written out as PDF, Word and Excel.
//! Every format is drawn from the same model, so they cannot disagree on a figure; Excel gets
//! real numbers, the PDF and Word the same numbers formatted for reading. Rows in, bytes out: no
//! storage, no HTTP.

mod docx;
mod xlsx;

use i18n::I18n;

/// A writer failed.
#[derive(Debug, thiserror::Error)]
#[error("{format}: {message}")]
pub struct Error {
    /// `docx`, `xlsx` or `pdf`.
    pub format: &'static str,
    /// What the writer said.
    pub message: String,
}

impl Error {
    fn new(format: &'static str, e: impl std::fmt::Display) -> Self {
        Error { format, message: e.to_string() }
    }
}

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
    /// A table only the spreadsheet shows (the document says the same in sentences).
    SheetTable {
        /// Header.
        columns: Vec<String>,
        /// Body.
        rows: Vec<Vec<Cell>>,
        /// Totals.
        total: Option<Vec<Cell>>,
    },
    /// The head of a letter: who sends it (name, address, outgoing number) on the left, to whom
    /// on the right.
    Letterhead {
        /// The sender's lines.
        sender: Vec<String>,
        /// The addressee's lines.
        addressee: Vec<String>,
    },
    /// A signature line, and small lines under it (the stamp's place, who prepared it).
    Signature {
        /// Position.
        role: String,
        /// Name.
        name: String,
        /// Lines under the signature.
        after: Vec<String>,
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
                Part::Signature { role, name, after } => {
                    pdf::Block::Signature { role: role.clone(), name: name.clone(), after: after.clone() }
                }
                Part::Letterhead { sender, addressee } => {
                    pdf::Block::Letterhead { sender: sender.clone(), addressee: addressee.clone() }
                }
                Part::SheetTable { .. } => pdf::Block::Para { text: String::new() },
            })
            .filter(|b| !matches!(b, pdf::Block::Para { text } if text.is_empty()))
            .collect();
        pdf::Doc {
            lang: t.locale.code().to_owned(),
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            blocks,
            footer: self.footer.clone(),
            landscape: self.landscape,
            compact: false,
        }
    }

    /// The PDF, typeset by typst (tens of milliseconds: run it off the async threads).
    pub fn to_pdf(&self, t: &I18n) -> Result<Vec<u8>, Error> {
        pdf::render(&self.to_pdf_doc(t)).map_err(|e| Error::new("pdf", e))
    }
}

#[cfg(test)]
mod tests;
