//! The Word writer.

use std::io::Cursor;

use docx_rs::{AlignmentType, Docx, Footer, Paragraph, Run, RunFonts, Shading, Table, TableCell, TableRow, WidthType};
use i18n::I18n;

use crate::{Error, Part, Report};

impl Report {
    /// The Word document.
    pub fn to_docx(&self, t: &I18n) -> Result<Vec<u8>, Error> {
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
                Part::Signature { role, name, after } => {
                    let mut doc = doc
                        .add_paragraph(Paragraph::new())
                        .add_paragraph(Paragraph::new().add_run(run(&format!("{role}  ____________  {name}"))));
                    for line in after {
                        doc = doc.add_paragraph(Paragraph::new().add_run(run(line).size(20)));
                    }
                    doc
                }
                Part::Letterhead { sender, addressee } => {
                    let mut doc = doc;
                    for line in addressee {
                        doc = doc.add_paragraph(Paragraph::new().add_run(run(line)).align(AlignmentType::Right));
                    }
                    for line in sender {
                        doc = doc.add_paragraph(Paragraph::new().add_run(run(line).size(20)));
                    }
                    doc.add_paragraph(Paragraph::new())
                }
                Part::SheetTable { .. } => doc,
            };
        }
        if !self.footer.is_empty() {
            doc = doc.footer(Footer::new().add_paragraph(Paragraph::new().add_run(run(&self.footer).size(16))));
        }
        let mut out = Cursor::new(Vec::new());
        doc.build().pack(&mut out).map_err(|e| Error::new("docx", e))?;
        Ok(out.into_inner())
    }
}
