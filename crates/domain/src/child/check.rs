//! Checking a child's record as typed: every field at once, dates, money and phones as people
//! write them.

use chrono::NaiveDate;

use super::*;
use crate::ErrorCode;
use crate::error::{Checker, FieldError, Invalid};
use crate::format::Tenge;
use crate::iin::Iin;

/// Parses `dd.mm.yyyy`, `d.m.yyyy` or `yyyy-mm-dd`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%d.%m.%Y").or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d")).ok()
}

/// Parses an amount as accountants and people type it: `45000`, `45 000`, `45 000 ₸`,
/// `1 196 448,00`, `1196448.50`: spaces (or none) between the thousands, and at most one decimal
/// comma or point followed by exactly two digits of tiyn. `1.196.448`, `1196,448`, negative
/// amounts and anything else are refused rather than guessed at.
pub fn parse_tenge(text: &str) -> Option<Tenge> {
    let cleaned: String = text
        .trim()
        .trim_end_matches('₸')
        .trim_end()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let (whole, tiyn) = match cleaned.find([',', '.']) {
        Some(at) => (&cleaned[..at], &cleaned[at + 1..]),
        None => (&cleaned[..], "00"),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || whole.len() > 13 || tiyn.len() != 2 || !digits(tiyn) {
        return None;
    }
    Some(Tenge(whole.parse::<i64>().ok()? * 100 + tiyn.parse::<i64>().ok()?))
}

/// Normalises a Kazakhstan phone number to `+7XXXXXXXXXX`.
pub fn parse_phone(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.len() {
        11 if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
        10 => &digits[..],
        _ => return None,
    };
    Some(format!("+7{national}"))
}

pub(super) fn choice<T>(c: &mut Checker, field: &str, value: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
    let value = value.trim();
    if value.is_empty() {
        c.push(FieldError::new(field, ErrorCode::Required));
        return None;
    }
    let parsed = parse(value);
    if parsed.is_none() {
        c.push(FieldError::new(field, ErrorCode::InvalidChoice));
    }
    parsed
}

pub(super) fn date(c: &mut Checker, field: &str, value: &str, required: bool) -> Option<NaiveDate> {
    if value.trim().is_empty() {
        if required {
            c.push(FieldError::new(field, ErrorCode::Required));
        }
        return None;
    }
    let parsed = parse_date(value);
    if parsed.is_none() {
        c.push(FieldError::new(field, ErrorCode::InvalidDate));
    }
    parsed
}

impl ChildInput {
    /// Checks every field and returns every problem at once. `today` bounds consent dates.
    pub fn parse(&self, today: NaiveDate) -> Result<ChildFields, Invalid> {
        let mut c = Checker::default();
        let iin = match Iin::parse(&self.iin) {
            Ok(iin) => Some(iin),
            Err(e) => {
                c.push(FieldError::new("iin", if self.iin.trim().is_empty() { ErrorCode::Required } else { e.code() }));
                None
            }
        };
        let surname = c.text("surname", &self.surname, NAME_MAX);
        let first_name = c.text("first_name", &self.first_name, NAME_MAX);
        let patronymic = c.optional_text("patronymic", &self.patronymic, NAME_MAX);
        let typed_birth = date(&mut c, "birth_date", &self.birth_date, false);
        if let (Some(iin), Some(typed)) = (&iin, typed_birth)
            && iin.birth_date() != typed
        {
            c.push(FieldError::new("birth_date", ErrorCode::BirthDateMismatch));
        }
        let grade = match self.grade.trim().parse::<i16>() {
            Ok(g) if (0..=GRADE_MAX).contains(&g) => Some(g),
            Ok(_) => {
                c.push(FieldError::new("grade", ErrorCode::GradeRange).with_limit(i64::from(GRADE_MAX)));
                None
            }
            Err(_) => {
                c.push(FieldError::new(
                    "grade",
                    if self.grade.trim().is_empty() { ErrorCode::Required } else { ErrorCode::GradeRange },
                ));
                None
            }
        };
        if let (Some(iin), Some(g)) = (&iin, grade) {
            match age::fit(iin.birth_date(), g, today) {
                age::AgeFit::Usual => {}
                age::AgeFit::OutOfSchool(years) => {
                    c.push(FieldError::new("iin", ErrorCode::AgeOutOfSchool).with_limit(years));
                }
                age::AgeFit::Unusual(_) if self.age_confirmed => {}
                age::AgeFit::Unusual(years) => {
                    c.push(FieldError::new("age_confirmed", ErrorCode::AgeUnusual).with_limit(years));
                }
            }
        }
        let study_language = choice(&mut c, "study_language", &self.study_language, StudyLanguage::parse);
        let mut categories = Vec::new();
        for code in self.categories.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            match Category::parse(code) {
                Some(cat) if !categories.contains(&cat) => categories.push(cat),
                Some(_) => {}
                None => c.push(FieldError::new("categories", ErrorCode::InvalidChoice)),
            }
        }
        categories.sort();
        if categories.is_empty() && !self.categories.iter().any(|s| !s.trim().is_empty()) {
            c.push(FieldError::new("categories", ErrorCode::Required));
        }
        let decision = if categories.contains(&Category::Other) {
            let no = c.text("decision_no", &self.decision_no, 50);
            date(&mut c, "decision_date", &self.decision_date, true).map(|d| (no, d))
        } else {
            None
        };
        let guardian_name = c.text("guardian_name", &self.guardian_name, 200);
        let guardian_relation = c.optional_text("guardian_relation", &self.guardian_relation, 50);
        let guardian_phone = match self.guardian_phone.trim() {
            "" => None,
            p => {
                let parsed = parse_phone(p);
                if parsed.is_none() {
                    c.push(FieldError::new("guardian_phone", ErrorCode::PhoneFormat));
                }
                parsed
            }
        };
        let address = c.optional_text("address", &self.address, TEXT_MAX);
        let settlement = c.optional_text("settlement", &self.settlement, 120);
        let family_children = match self.family_children.trim() {
            "" => None,
            n => match n.parse::<i16>() {
                Ok(n) if (1..=30).contains(&n) => Some(n),
                _ => {
                    c.push(FieldError::new("family_children", ErrorCode::NumberRange).with_limit(30));
                    None
                }
            },
        };
        let consent_by = choice(&mut c, "consent_by", &self.consent_by, ConsentBy::parse);
        let consent_method = choice(&mut c, "consent_method", &self.consent_method, ConsentMethod::parse);
        let consent_date = date(&mut c, "consent_date", &self.consent_date, true);
        if consent_date.is_some_and(|d| d > today) {
            c.push(FieldError::new("consent_date", ErrorCode::DateInFuture));
        }
        let source = choice(&mut c, "source", &self.source, Source::parse);
        let mut needs = Vec::new();
        if self.needs.len() > NEEDS_MAX {
            c.push(FieldError::new("needs", ErrorCode::TooMany).with_limit(NEEDS_MAX as i64));
        }
        for (i, n) in self.needs.iter().enumerate().take(NEEDS_MAX) {
            if n.item.trim().is_empty() && n.cost.trim().is_empty() && n.size.trim().is_empty() {
                continue;
            }
            let field = |name: &str| format!("needs.{i}.{name}");
            let item = choice(&mut c, &field("item"), &n.item, NeedItem::parse);
            let size = c.optional_text(&field("size"), &n.size, 20);
            let quantity = match n.quantity.trim() {
                "" => Some(1),
                q => match q.parse::<i32>() {
                    Ok(q) if (1..=QUANTITY_MAX).contains(&q) => Some(q),
                    _ => {
                        c.push(
                            FieldError::new(field("quantity"), ErrorCode::NumberRange)
                                .with_limit(i64::from(QUANTITY_MAX)),
                        );
                        None
                    }
                },
            };
            let cost = if n.cost.trim().is_empty() {
                c.push(FieldError::new(field("cost"), ErrorCode::Required));
                None
            } else {
                let parsed = parse_tenge(&n.cost);
                if parsed.is_none() {
                    c.push(FieldError::new(field("cost"), ErrorCode::AmountFormat));
                }
                parsed
            };
            if let (Some(item), Some(quantity), Some(cost)) = (item, quantity, cost) {
                needs.push(Need { item, size, quantity, cost });
            }
        }
        match (iin, grade, study_language, consent_by, consent_method, consent_date, source) {
            (
                Some(iin),
                Some(grade),
                Some(study_language),
                Some(consent_by),
                Some(consent_method),
                Some(consent_date),
                Some(source),
            ) => {
                let fields = ChildFields {
                    birth_date: iin.birth_date(),
                    sex: iin.sex(),
                    iin,
                    surname,
                    first_name,
                    patronymic,
                    grade,
                    study_language,
                    categories,
                    decision,
                    guardian_name,
                    guardian_relation,
                    guardian_phone,
                    address,
                    settlement,
                    family_children,
                    consent_by,
                    consent_method,
                    consent_date,
                    source,
                    needs,
                };
                c.finish(fields)
            }
            _ => Err(c.finish(()).err().unwrap_or_else(|| Invalid::one("iin", ErrorCode::Required))),
        }
    }
}
