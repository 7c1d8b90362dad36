//! Reading a children file: the columns of the template (found by their headers in either
//! language), coded values typed in either language, and the rows streamed from XLSX or CSV in
//! bounded batches.

use std::collections::HashMap;
use std::path::PathBuf;

use db::org::fold;
use domain::child::{Category, ChildInput, ConsentBy, ConsentMethod, NeedInput, NeedItem, Source, StudyLanguage};
use domain::{ErrorCode, FieldError, Invalid, Locale};
use i18n::Catalog;
use tokio::sync::mpsc;

pub use crate::sheet::MAX_ROWS;
use crate::sheet::read_rows;

/// The columns of the children file, in template order.
pub const COLUMNS: [&str; 32] = [
    "iin",
    "surname",
    "first_name",
    "patronymic",
    "birth_date",
    "grade",
    "age_confirmed",
    "study_language",
    "categories",
    "decision_no",
    "decision_date",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "address",
    "settlement",
    "family_children",
    "consent_by",
    "consent_method",
    "consent_date",
    "source",
    "need_uniform",
    "size_uniform",
    "need_shoes",
    "size_shoes",
    "need_sports_suit",
    "need_backpack",
    "need_stationery",
    "need_textbooks",
    "need_outerwear",
    "need_hot_meals",
    "need_travel",
];

pub(super) const REQUIRED: [&str; 10] = [
    "iin",
    "surname",
    "first_name",
    "grade",
    "study_language",
    "categories",
    "guardian_name",
    "consent_by",
    "consent_method",
    "consent_date",
];

/// The header of a column in a language.
pub fn header(catalog: &Catalog, locale: Locale, column: &str) -> String {
    // The same key as the messages' field names use (`i18n::I18n::field`).
    let key = if column.starts_with("need_") || column.starts_with("size_") {
        format!("import-col-{}", column.replace('_', "-"))
    } else {
        format!("field-{}", column.replace('_', "-"))
    };
    catalog.text(locale, &key, None)
}

/// The coded columns: the column, the catalogue's prefix of its labels, the codes.
pub(super) fn coded() -> [(&'static str, &'static str, Vec<&'static str>); 5] {
    [
        ("study_language", "study-language", StudyLanguage::ALL.iter().map(|v| v.as_str()).collect()),
        ("categories", "category", Category::ALL.iter().map(|v| v.as_str()).collect()),
        ("consent_by", "consent-by", ConsentBy::ALL.iter().map(|v| v.as_str()).collect()),
        ("consent_method", "consent-method", ConsentMethod::ALL.iter().map(|v| v.as_str()).collect()),
        ("source", "source", Source::ALL.iter().map(|v| v.as_str()).collect()),
    ]
}

/// Labels and codes of coded values in both languages, folded, mapped to codes.
pub(super) struct Choices(HashMap<&'static str, HashMap<String, &'static str>>);

impl Choices {
    pub(super) fn new(catalog: &Catalog) -> Self {
        let mut all = HashMap::new();
        let mut add = |name: &'static str, prefix: &str, codes: Vec<&'static str>| {
            let mut map = HashMap::new();
            for code in codes {
                map.insert(fold(code), code);
                for locale in Locale::ALL {
                    let key = format!("{prefix}-{}", code.replace('_', "-"));
                    map.insert(fold(&catalog.text(locale, &key, None)), code);
                    // Short names people write in lists, e.g. «АСП», «многодетные».
                    let aliases = format!("alias-{key}");
                    if catalog.has(locale, &aliases) {
                        for alias in catalog.text(locale, &aliases, None).split('|') {
                            map.insert(fold(alias.trim()), code);
                        }
                    }
                }
            }
            all.insert(name, map);
        };
        for (column, prefix, codes) in coded() {
            add(column, prefix, codes);
        }
        Choices(all)
    }

    /// The code for a typed value; an unknown value passes through so the check names it.
    fn code(&self, field: &str, value: &str) -> String {
        let value = value.trim();
        self.0.get(field).and_then(|m| m.get(&fold(value))).map_or_else(|| value.to_owned(), |c| (*c).to_owned())
    }
}

/// Where each column is in the file, and the marks of the template's example row (folded, in
/// every language), read from the catalogue once per file rather than once per row.
pub struct Columns(HashMap<&'static str, usize>, Vec<String>);

impl Columns {
    /// Finds the columns by their headers (Russian, Kazakh or codes); every missing required
    /// column is reported.
    pub fn find(catalog: &Catalog, head: &[String]) -> Result<Self, Invalid> {
        // The template marks required columns with a star: «ИИН *» is «ИИН».
        let folded: Vec<String> = head.iter().map(|h| fold(h.trim().trim_end_matches('*').trim_end())).collect();
        let mut map = HashMap::new();
        for column in COLUMNS {
            let names: Vec<String> =
                Locale::ALL.iter().map(|l| fold(&header(catalog, *l, column))).chain([column.to_owned()]).collect();
            if let Some(i) = folded.iter().position(|h| names.contains(h)) {
                map.insert(column, i);
            }
        }
        let missing: Vec<FieldError> = REQUIRED
            .iter()
            .filter(|c| !map.contains_key(*c))
            .map(|c| FieldError::new(*c, ErrorCode::MissingColumn).at_row(1))
            .collect();
        let marks = Locale::ALL.iter().map(|l| fold(&catalog.text(*l, "import-example-mark", None))).collect();
        if missing.is_empty() { Ok(Columns(map, marks)) } else { Err(Invalid(missing)) }
    }

    /// Whether the row is the template's example (its IIN cell starts with «Пример» or «Мысал»).
    pub(super) fn is_example(&self, row: &[String]) -> bool {
        let iin = fold(self.cell(row, "iin").trim());
        !iin.is_empty() && self.1.iter().any(|mark| iin.starts_with(mark.as_str()))
    }

    /// The refused fields of a row named by the template's own columns: the row's n-th need is
    /// the column of its item (`needs.0.cost` of a uniform is «Школьная форма, ₸»).
    pub(super) fn own_names(input: &ChildInput, errors: Vec<FieldError>) -> Vec<FieldError> {
        errors
            .into_iter()
            .map(|mut e| {
                let mut parts = e.field.split('.');
                if let (Some("needs"), Some(i), Some(part)) = (parts.next(), parts.next(), parts.next())
                    && let Some(need) = i.parse::<usize>().ok().and_then(|i| input.needs.get(i))
                {
                    let prefix = if part == "size" { "size" } else { "need" };
                    e.field = format!("{prefix}_{}", need.item);
                }
                e
            })
            .collect()
    }

    fn cell<'a>(&self, row: &'a [String], column: &str) -> &'a str {
        self.0.get(column).and_then(|i| row.get(*i)).map_or("", |s| s.as_str())
    }

    pub(super) fn input(&self, choices: &Choices, row: &[String]) -> ChildInput {
        let cell = |c: &str| self.cell(row, c).to_owned();
        let needs = NeedItem::ALL
            .iter()
            .filter(|n| **n != NeedItem::Other)
            .filter_map(|n| {
                let cost = cell(&format!("need_{}", n.as_str()));
                (!cost.trim().is_empty()).then(|| NeedInput {
                    item: n.as_str().to_owned(),
                    size: cell(&format!("size_{}", n.as_str())),
                    quantity: String::new(),
                    cost,
                })
            })
            .collect();
        ChildInput {
            iin: cell("iin"),
            surname: cell("surname"),
            first_name: cell("first_name"),
            patronymic: cell("patronymic"),
            birth_date: cell("birth_date"),
            grade: cell("grade"),
            study_language: choices.code("study_language", self.cell(row, "study_language")),
            categories: self
                .cell(row, "categories")
                .split([';', ',', '\n'])
                .map(|c| choices.code("categories", c))
                .filter(|c| !c.is_empty())
                .collect(),
            decision_no: cell("decision_no"),
            decision_date: cell("decision_date"),
            guardian_name: cell("guardian_name"),
            guardian_relation: cell("guardian_relation"),
            guardian_phone: cell("guardian_phone"),
            address: cell("address"),
            settlement: cell("settlement"),
            family_children: cell("family_children"),
            consent_by: choices.code("consent_by", self.cell(row, "consent_by")),
            consent_method: choices.code("consent_method", self.cell(row, "consent_method")),
            consent_date: cell("consent_date"),
            source: {
                let s = choices.code("source", self.cell(row, "source"));
                if s.is_empty() { "school_list".into() } else { s }
            },
            needs,
            age_confirmed: domain::format::is_yes(self.cell(row, "age_confirmed")),
        }
    }
}

pub(super) type Batch = Result<Vec<(usize, Vec<String>)>, Invalid>;

/// Reads the file on a blocking thread and hands rows over in batches (memory stays bounded by
/// the channel). The first batch is the header alone.
pub(super) fn stream(path: PathBuf, tx: mpsc::Sender<Batch>) {
    let result = read_rows(&path, &mut |batch| tx.blocking_send(Ok(batch)).is_ok());
    if let Err(e) = result {
        let _ = tx.blocking_send(Err(e));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coded_values_are_read_in_either_language_and_by_short_names() {
        let catalog = Catalog::load().unwrap();
        let choices = Choices::new(&catalog);
        for (typed, code) in [
            ("АСП", "asp"),
            ("Многодетная семья", "large_family"),
            ("көп балалы отбасы", "large_family"),
            ("Жетім бала", "orphan"),
            ("orphan", "orphan"),
        ] {
            assert_eq!(choices.code("categories", typed), code, "{typed}");
        }
        assert_eq!(choices.code("consent_by", "Родитель"), "parent");
        assert_eq!(choices.code("study_language", "қазақ тілі"), "kk");
        assert_eq!(choices.code("categories", "единорог"), "единорог");
    }
}
