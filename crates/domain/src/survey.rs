//! The survey «Готов ли Ваш ребёнок к школе?» (MISSION.md §6): a family says whether its children
//! are ready for school, in which grades, what is missing, its situation by the campaign's
//! categories, and, asking for help, a contact and its consent; such an answer becomes a lead at
//! its school (or district) that the school turns into a registry record or closes with a reason.

use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::child::{Category, GRADE_MAX};
use crate::codes::code_enum;
use crate::error::{Checker, FieldError, Invalid};

code_enum!(
    /// What a family lacks to get its children ready.
    Missing {
        /// School uniform.
        Uniform = "uniform",
        /// Shoes.
        Shoes = "shoes",
        /// A backpack and supplies.
        BackpackSupplies = "backpack_supplies",
        /// Outerwear.
        Outerwear = "outerwear",
        /// Anything else.
        Other = "other",
    }
);

code_enum!(
    /// What became of a lead.
    LeadStatus {
        /// Waiting for the school.
        Open = "open",
        /// Turned into a registry record.
        Registered = "registered",
        /// Closed without one, with a reason.
        Closed = "closed",
    }
);

/// Most children one answer names.
pub const CHILDREN_MAX: usize = 6;
/// Longest text field.
pub const TEXT_MAX: usize = 300;

/// An answer as typed (every field a string or a list of strings, as a form sends them).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct SurveyInput {
    /// The district (its id), when no school is named.
    #[serde(default)]
    pub district: String,
    /// The school (its id).
    #[serde(default)]
    pub school: String,
    /// The settlement (town or village).
    #[serde(default)]
    pub settlement: String,
    /// `yes` (ready) or `no`.
    #[serde(default)]
    pub ready: String,
    /// The children's grades, one each (0 for pre-school).
    #[serde(default)]
    pub grades: Vec<String>,
    /// What is missing (codes).
    #[serde(default)]
    pub missing: Vec<String>,
    /// The family's situation (the campaign's category codes).
    #[serde(default)]
    pub situation: Vec<String>,
    /// `yes`: the family asks for help.
    #[serde(default)]
    pub help: String,
    /// Whom to call.
    #[serde(default)]
    pub contact_name: String,
    /// A phone.
    #[serde(default)]
    pub phone: String,
    /// `yes`: the family agrees that its answer and contact are kept and passed to its school.
    #[serde(default)]
    pub consent: String,
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SurveyFields {
    /// The district named (ignored when a school is).
    pub district: Option<i64>,
    /// The school named.
    pub school: Option<i64>,
    /// The settlement.
    pub settlement: Option<String>,
    /// Ready for school.
    pub ready: bool,
    /// The children's grades.
    pub grades: Vec<i16>,
    /// What is missing.
    pub missing: Vec<Missing>,
    /// The family's situation.
    pub situation: Vec<Category>,
    /// Asks for help: then the contact and the consent.
    pub help: Option<(String, String)>,
}

fn yes(text: &str) -> bool {
    matches!(text.trim(), "yes" | "true" | "1" | "on")
}

fn codes<T: Copy + PartialEq>(
    c: &mut Checker,
    field: &str,
    typed: &[String],
    parse: impl Fn(&str) -> Option<T>,
) -> Vec<T> {
    let mut out = Vec::new();
    for t in typed.iter().filter(|t| !t.trim().is_empty()) {
        match parse(t) {
            Some(v) if !out.contains(&v) => out.push(v),
            Some(_) => {}
            None => c.push(FieldError::new(field, ErrorCode::InvalidChoice)),
        }
    }
    out
}

impl SurveyInput {
    /// Checks every field at once: a school or a district; ready or not; the grades (0–11, at
    /// most six children); codes from the lists; asking for help, a name, a phone and the consent.
    pub fn parse(&self) -> Result<SurveyFields, Invalid> {
        let mut c = Checker::default();
        let id = |c: &mut Checker, field: &str, t: &str| match t.trim() {
            "" => None,
            t => t.parse::<i64>().ok().filter(|n| *n > 0).or_else(|| {
                c.push(FieldError::new(field, ErrorCode::InvalidChoice));
                None
            }),
        };
        let district = id(&mut c, "district", &self.district);
        let school = id(&mut c, "school", &self.school);
        if district.is_none() && school.is_none() && self.school.trim().is_empty() && self.district.trim().is_empty() {
            c.push(FieldError::new("school", ErrorCode::Required));
        }
        let settlement = c.optional_text("settlement", &self.settlement, TEXT_MAX);
        let ready = match self.ready.trim() {
            "yes" => Some(true),
            "no" => Some(false),
            "" => {
                c.push(FieldError::new("ready", ErrorCode::Required));
                None
            }
            _ => {
                c.push(FieldError::new("ready", ErrorCode::InvalidChoice));
                None
            }
        };
        let typed: Vec<&String> = self.grades.iter().filter(|g| !g.trim().is_empty()).collect();
        if typed.len() > CHILDREN_MAX {
            c.push(FieldError::new("grades", ErrorCode::TooMany).with_limit(CHILDREN_MAX as i64));
        }
        let grades: Vec<i16> = typed
            .iter()
            .take(CHILDREN_MAX)
            .filter_map(|g| match g.trim().parse::<i16>() {
                Ok(n) if (0..=GRADE_MAX).contains(&n) => Some(n),
                _ => {
                    c.push(FieldError::new("grades", ErrorCode::GradeRange));
                    None
                }
            })
            .collect();
        let missing = codes(&mut c, "missing", &self.missing, Missing::parse);
        let situation = codes(&mut c, "situation", &self.situation, Category::parse);
        let help = if yes(&self.help) {
            let name = c.text("contact_name", &self.contact_name, TEXT_MAX);
            let phone = match self.phone.trim() {
                "" => {
                    c.push(FieldError::new("phone", ErrorCode::Required));
                    None
                }
                p => crate::child::parse_phone(p).or_else(|| {
                    c.push(FieldError::new("phone", ErrorCode::PhoneFormat));
                    None
                }),
            };
            if !yes(&self.consent) {
                c.push(FieldError::new("consent", ErrorCode::ConsentRequired));
            }
            phone.map(|p| (name, p))
        } else {
            None
        };
        match ready {
            Some(ready) => {
                c.finish(SurveyFields { district, school, settlement, ready, grades, missing, situation, help })
            }
            None => Err(c.finish(()).err().unwrap_or_else(|| Invalid::one("ready", ErrorCode::Required))),
        }
    }
}

/// Checks a lead's closing reason.
pub fn parse_reason(text: &str) -> Result<String, Invalid> {
    let mut c = Checker::default();
    let reason = c.lines("reason", text, 1000);
    c.finish(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SurveyInput {
        SurveyInput {
            school: "12".into(),
            ready: "no".into(),
            grades: vec!["1".into(), "".into(), "7".into()],
            missing: vec!["uniform".into(), "shoes".into(), "uniform".into()],
            situation: vec!["large_family".into()],
            help: "yes".into(),
            contact_name: "Сапарова Айгерим".into(),
            phone: "+7 701 555 12 34".into(),
            consent: "yes".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_answer_asking_for_help_has_a_contact_and_a_consent() {
        let f = input().parse().unwrap();
        assert_eq!((f.ready, f.grades.clone()), (false, vec![1, 7]));
        assert_eq!(f.missing, [Missing::Uniform, Missing::Shoes], "each once");
        assert_eq!(f.help, Some(("Сапарова Айгерим".into(), "+77015551234".into())));
        let no = SurveyInput { help: String::new(), contact_name: String::new(), phone: String::new(), ..input() };
        assert_eq!(no.parse().unwrap().help, None, "no help asked: no contact kept");
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = SurveyInput {
            school: String::new(),
            ready: "maybe".into(),
            grades: vec!["12".into()],
            missing: vec!["caviar".into()],
            situation: vec!["rich".into()],
            contact_name: String::new(),
            phone: "12".into(),
            consent: String::new(),
            ..input()
        };
        let e = bad.parse().unwrap_err();
        let fields: Vec<(&str, &str)> = e.0.iter().map(|f| (f.field.as_str(), f.code.as_str())).collect();
        assert_eq!(
            fields,
            [
                ("school", "required"),
                ("ready", "invalid_choice"),
                ("grades", "grade_range"),
                ("missing", "invalid_choice"),
                ("situation", "invalid_choice"),
                ("contact_name", "required"),
                ("phone", "phone_format"),
                ("consent", "consent_required"),
            ]
        );
        let many = SurveyInput { grades: vec!["1".into(); 7], ..input() };
        assert_eq!(many.parse().unwrap_err().0[0].code, ErrorCode::TooMany);
    }
}
