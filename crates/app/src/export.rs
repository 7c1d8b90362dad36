//! Spreadsheets out: the filtered list of children (an export of personal data, written to the
//! audit log before the file
//! leaves) and the social passport.

use db::children::{Cursor, Filter};
use db::passport::Passport;
use domain::child::{Category, Status};
use domain::{Actor, CampaignId};
use i18n::I18n;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::entity::campaign;
use crate::{Core, Error};

fn xlsx(e: XlsxError) -> Error {
    Error::Internal(e.to_string())
}

/// Rows fetched from the database at a time while writing the export.
const CHUNK: u64 = 2_000;

/// The children in scope matching the filter, as XLSX in the user's language. Roles without
/// the right to personal data get the anonymised columns only.
pub async fn children_xlsx(
    core: &Core,
    actor: &Actor,
    t: &I18n,
    c: &campaign::Model,
    f: &Filter,
) -> Result<Vec<u8>, Error> {
    let personal = actor.role.can_read_personal_data();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    let mut headers = vec!["code"];
    if personal {
        headers.extend(["iin", "surname", "first_name", "patronymic", "birth_date"]);
    }
    if personal {
        headers.extend(["sex", "categories"]);
    }
    headers.extend(["grade", "status", "school_id", "needs_cost"]);
    if personal {
        headers.extend(["guardian_name", "guardian_phone", "address", "settlement"]);
    }
    for (col, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, t.field(h), &bold).map_err(xlsx)?;
    }
    let mut row = 1u32;
    let mut cursor = Some(Cursor::First);
    while let Some(at) = cursor {
        let (chunk, next) = db::children::chunk(&core.db, actor, CampaignId(c.id), f, at, CHUNK).await?;
        cursor = next;
        for c in chunk {
            let mut cells: Vec<String> = vec![db::children::code(c.id)];
            if personal {
                cells.extend([
                    c.iin.clone(),
                    c.surname.clone(),
                    c.first_name.clone(),
                    c.patronymic.clone().unwrap_or_default(),
                    domain::format::date(c.birth_date),
                ]);
            }
            let categories: Vec<String> = c
                .categories
                .split(',')
                .filter_map(Category::parse)
                .map(|k| t.t(&format!("category-{}", k.as_str().replace('_', "-"))))
                .collect();
            if personal {
                cells.extend([t.t(&format!("sex-{}", c.sex)), categories.join(", ")]);
            }
            cells.extend([
                c.grade.to_string(),
                Status::parse(&c.status)
                    .map(|s| t.t(&format!("status-{}", s.as_str().replace('_', "-"))))
                    .unwrap_or_default(),
                c.school_id.to_string(),
                domain::format::Tenge(c.needs_cost).to_string(),
            ]);
            if personal {
                cells.extend([
                    c.guardian_name.clone(),
                    c.guardian_phone.clone().unwrap_or_default(),
                    c.address.clone().unwrap_or_default(),
                    c.settlement.clone().unwrap_or_default(),
                ]);
            }
            for (col, v) in cells.iter().enumerate() {
                sheet.write_string(row, col as u16, v).map_err(xlsx)?;
            }
            row += 1;
        }
    }
    // Logged once the rows are known and before the file leaves: a failed export logs nothing.
    db::children::log_export(
        &core.db,
        actor,
        u64::from(row - 1),
        serde_json::json!({
            "campaign": c.year, "q": f.q, "category": f.category, "grade": f.grade, "status": f.status,
            "need": f.need, "unit": f.unit.map(|u| u.0), "personal": personal,
        }),
    )
    .await?;
    book.save_to_buffer().map_err(xlsx)
}

/// The social passport (the unit and each unit below it) as XLSX.
pub fn passport_xlsx(t: &I18n, title: &str, total: &Passport, rows: &[(String, Passport)]) -> Result<Vec<u8>, Error> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    sheet.write_string_with_format(0, 0, title, &bold).map_err(xlsx)?;
    let mut headers =
        vec![t.t("passport-unit"), t.t("passport-total"), t.t("passport-new-intake"), t.t("passport-not-attending")];
    headers.extend(Category::ALL.iter().map(|c| t.t(&format!("category-{}", c.as_str().replace('_', "-")))));
    headers.extend([t.t("passport-needs-cost"), t.t("passport-covered-cost")]);
    for (col, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(2, col as u16, h, &bold).map_err(xlsx)?;
    }
    let mut write_row = |r: u32, name: &str, p: &Passport| -> Result<(), XlsxError> {
        sheet.write_string(r, 0, name)?;
        let mut col = 1u16;
        for n in [p.total, p.new_intake, p.not_attending] {
            sheet.write_number(r, col, n as f64)?;
            col += 1;
        }
        for c in Category::ALL {
            sheet.write_number(r, col, *p.by_category.get(c.as_str()).unwrap_or(&0) as f64)?;
            col += 1;
        }
        // Money as whole tenge numbers, so Excel can add them up.
        sheet.write_number(r, col, (p.needs_cost / 100) as f64)?;
        sheet.write_number(r, col + 1, (p.covered_cost / 100) as f64)?;
        Ok(())
    };
    let mut r = 3u32;
    for (name, p) in rows {
        write_row(r, name, p).map_err(xlsx)?;
        r += 1;
    }
    write_row(r, &t.t("total"), total).map_err(xlsx)?;
    book.save_to_buffer().map_err(xlsx)
}

/// Items of a help line as people read them: `Рюкзак × 1, Обувь × 2`.
pub fn items_text(t: &I18n, items: &[(String, i32)]) -> String {
    items.iter().map(|(i, q)| format!("{} × {q}", t.label("need", i))).collect::<Vec<_>>().join(", ")
}

/// The sponsor's help report as XLSX: anonymised lines and the total.
pub fn sponsor_report_xlsx(t: &I18n, lines: &[db::sponsors::HelpLine]) -> Result<Vec<u8>, Error> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("# ##0.00");
    let headers =
        [t.field("date"), t.t("child-code"), t.field("grade"), t.field("school_id"), t.t("need"), t.field("amount")];
    for (col, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, h, &bold).map_err(xlsx)?;
    }
    let mut row = 1u32;
    for l in lines {
        sheet.write_string(row, 0, t.date(&l.date)).map_err(xlsx)?;
        sheet.write_string(row, 1, &l.code).map_err(xlsx)?;
        sheet.write_number(row, 2, f64::from(l.grade)).map_err(xlsx)?;
        sheet.write_string(row, 3, t.name(&l.school_ru, &l.school_kk)).map_err(xlsx)?;
        sheet.write_string(row, 4, items_text(t, &l.items)).map_err(xlsx)?;
        // Whole tiyn to tenge for the spreadsheet's own arithmetic; the text elsewhere stays exact.
        sheet.write_number_with_format(row, 5, l.amount as f64 / 100.0, &money).map_err(xlsx)?;
        row += 1;
    }
    let (_, total) = db::sponsors::summary(lines);
    sheet.write_string_with_format(row, 4, t.t("total"), &bold).map_err(xlsx)?;
    sheet.write_number_with_format(row, 5, total as f64 / 100.0, &money).map_err(xlsx)?;
    sheet.autofit();
    book.save_to_buffer().map_err(xlsx)
}

/// The signed-in sponsor's thank-you letter as PDF (typeset on a blocking thread).
pub async fn letter_pdf(core: &Core, actor: &Actor, t: &I18n) -> Result<Vec<u8>, Error> {
    let (sponsor, lines) = db::sponsors::help_report(&core.db, actor).await?;
    let c = crate::campaigns::chosen(core, None).await?;
    render_pdf(thank_you(t, &c, &sponsor, &lines, domain::calendar::today())).await
}

/// Typesets a document on a blocking thread (typst takes tens of milliseconds).
pub async fn render_pdf(doc: pdf::Doc) -> Result<Vec<u8>, Error> {
    let internal = |e: String| Error::Internal(e);
    tokio::task::spawn_blocking(move || pdf::render(&doc))
        .await
        .map_err(|e| internal(e.to_string()))?
        .map_err(|e| internal(e.to_string()))
}

/// The thank-you letter to a sponsor: what its help did, by school and by item, no child named.
pub fn thank_you(
    t: &I18n,
    c: &campaign::Model,
    sponsor: &db::entity::sponsor::Model,
    lines: &[db::sponsors::HelpLine],
    today: chrono::NaiveDate,
) -> pdf::Doc {
    use std::collections::{BTreeMap, HashSet};
    let (children, total) = db::sponsors::summary(lines);
    let mut by_school: BTreeMap<String, (HashSet<&str>, i64)> = BTreeMap::new();
    let mut by_item: BTreeMap<String, i64> = BTreeMap::new();
    for l in lines {
        let s = by_school.entry(t.name(&l.school_ru, &l.school_kk).to_owned()).or_default();
        if l.amount > 0 {
            s.0.insert(&l.code);
        }
        s.1 += l.amount;
        for (item, q) in &l.items {
            *by_item.entry(t.label("need", item)).or_default() += i64::from(if l.amount < 0 { -q } else { *q });
        }
    }
    let motto = if t.locale == domain::Locale::Kk { &c.motto_kk } else { &c.motto_ru };
    let mut blocks = vec![
        pdf::Block::Para { text: t.t1("letter-dear", "name", sponsor.name.as_str()) },
        pdf::Block::Para {
            text: t.args(
                "letter-body",
                &[("year", c.year.to_string()), ("children", children.to_string()), ("sum", t.tiyn(&total))],
            ),
        },
    ];
    if !motto.is_empty() {
        blocks.push(pdf::Block::Para { text: format!("«{motto}»") });
    }
    blocks.push(pdf::Block::Heading { text: t.t("letter-by-school") });
    blocks.push(pdf::Block::Table {
        columns: vec![t.field("school_id"), t.t("public-helped"), t.field("amount")],
        rows: by_school
            .iter()
            .map(|(name, (kids, sum))| vec![name.clone(), kids.len().to_string(), t.tiyn(sum)])
            .collect(),
        total: Some(vec![t.t("total"), children.to_string(), t.tiyn(&total)]),
        numeric: vec![false, true, true],
    });
    if !by_item.is_empty() {
        blocks.push(pdf::Block::Heading { text: t.t("letter-by-item") });
        blocks.push(pdf::Block::Table {
            columns: vec![t.t("need"), t.field("quantity")],
            rows: by_item.iter().map(|(item, q)| vec![item.clone(), q.to_string()]).collect(),
            total: None,
            numeric: vec![false, true],
        });
    }
    blocks.push(pdf::Block::Para { text: t.t("letter-privacy") });
    blocks.push(pdf::Block::Signature { role: t.t("letter-signed"), name: String::new(), after: Vec::new() });
    pdf::Doc {
        lang: t.locale.code().to_owned(),
        title: t.t("letter-title"),
        subtitle: t.date(&today),
        blocks,
        footer: t.t1("letter-footer", "year", c.year),
        landscape: false,
        compact: false,
    }
}
