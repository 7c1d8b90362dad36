//! The Excel writer.

use i18n::I18n;
use rust_xlsxwriter::{Format, Workbook};

use crate::{Cell, Error, Part, Report};

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::new("xlsx", e)
}

impl Report {
    /// The Excel workbook: one sheet, the tables with real numbers (money in tenge with tiyn),
    /// each under its heading.
    pub fn to_xlsx(&self, t: &I18n) -> Result<Vec<u8>, Error> {
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
                Part::Table { columns, rows, total } | Part::SheetTable { columns, rows, total } => {
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
                Part::Signature { role, name, after } => {
                    row += 1;
                    sheet.write_string(row, 0, format!("{role}  ____________  {name}")).map_err(xlsx_err)?;
                    row += 1;
                    for line in after {
                        sheet.write_string(row, 0, line).map_err(xlsx_err)?;
                        row += 1;
                    }
                }
                Part::Letterhead { sender, addressee } => {
                    for line in addressee.iter().chain(sender) {
                        sheet.write_string(row, 0, line).map_err(xlsx_err)?;
                        row += 1;
                    }
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
