//! The child record of the registry (MISSION.md §4): categories, needs, consent, source and
//! status, and the checks on what a form, an API call or an import row says.

use crate::ErrorCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::codes::code_enum;
use crate::error::{Checker, FieldError, Invalid};
use crate::format::Tenge;
use crate::iin::{Iin, Sex};

code_enum!(
    /// Why a child needs help; several may apply.
    Category {
        /// Family entitled to targeted social assistance (АСП).
        Asp = "asp",
        /// Income below the subsistence minimum, without АСП.
        LowIncome = "low_income",
        /// Large family (многодетная).
        LargeFamily = "large_family",
        /// Orphan.
        Orphan = "orphan",
        /// Left without parental care.
        NoParentalCare = "no_parental_care",
        /// Family hit by an emergency (ЧС).
        Emergency = "emergency",
        /// Special educational needs or disability.
        SpecialNeeds = "special_needs",
        /// Other, by decision of the school's collegial body (number and date required).
        Other = "other",
    }
);

code_enum!(
    /// What a child needs.
    NeedItem {
        /// School uniform.
        Uniform = "uniform",
        /// Shoes.
        Shoes = "shoes",
        /// Sports suit.
        SportsSuit = "sports_suit",
        /// Backpack with supplies.
        Backpack = "backpack",
        /// Stationery set.
        Stationery = "stationery",
        /// Textbooks.
        Textbooks = "textbooks",
        /// Outerwear.
        Outerwear = "outerwear",
        /// Hot meals.
        HotMeals = "hot_meals",
        /// Travel.
        Travel = "travel",
        /// Other.
        Other = "other",
    }
);

code_enum!(
    /// Where a child's record stands.
    Status {
        /// Found, not yet checked.
        Identified = "identified",
        /// Checked by the school.
        Verified = "verified",
        /// Help planned.
        AidPlanned = "aid_planned",
        /// Help delivered.
        AidDelivered = "aid_delivered",
        /// Attends school.
        Attending = "attending",
        /// Does not attend (a reason is required).
        NotAttending = "not_attending",
        /// Closed (a reason is required).
        Closed = "closed",
    }
);

code_enum!(
    /// How the child was found.
    Source {
        /// The school's own list.
        SchoolList = "school_list",
        /// The survey «Готов ли Ваш ребенок к школе?».
        Survey = "survey",
        /// A raid.
        Raid = "raid",
        /// A hotline or trust phone.
        Hotline = "hotline",
        /// A request for help.
        Request = "request",
        /// A transfer from another school.
        Transfer = "transfer",
    }
);

code_enum!(
    /// Who gave consent to process the child's data.
    ConsentBy {
        /// A parent.
        Parent = "parent",
        /// A legal representative (guardian, trustee, institution).
        LegalRepresentative = "legal_representative",
    }
);

code_enum!(
    /// How consent was given.
    ConsentMethod {
        /// Signed on paper.
        Written = "written",
        /// Electronic (eGov, signed digitally).
        Electronic = "electronic",
    }
);

code_enum!(
    /// The language a child studies in.
    StudyLanguage {
        /// Kazakh.
        Kk = "kk",
        /// Russian.
        Ru = "ru",
        /// Other.
        Other = "other",
    }
);

impl Status {
    /// Whether moving to this status needs a reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, Status::NotAttending | Status::Closed)
    }
}

/// Grades 0 (pre-school class) to 11.
pub const GRADE_MAX: i16 = 11;
/// Most characters in a name part.
pub const NAME_MAX: usize = 100;
/// Most characters in free text (address, reason).
pub const TEXT_MAX: usize = 300;
/// Most needs one child may list.
pub const NEEDS_MAX: usize = 20;
/// Largest quantity of one need.
pub const QUANTITY_MAX: i32 = 50;

/// One need as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct NeedInput {
    /// Item code.
    #[serde(default)]
    pub item: String,
    /// Size (clothes, shoes).
    #[serde(default)]
    pub size: String,
    /// Quantity (default 1).
    #[serde(default)]
    pub quantity: String,
    /// Estimated cost in tenge, e.g. `45000` or `45 000`.
    #[serde(default)]
    pub cost: String,
}

/// One checked need.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Need {
    /// Item.
    pub item: NeedItem,
    /// Size.
    pub size: Option<String>,
    /// Quantity.
    pub quantity: i32,
    /// Estimated cost of all of them.
    pub cost: Tenge,
}

/// A child's record as typed in a form, an API call or an import row.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct ChildInput {
    /// IIN, 12 digits.
    #[serde(default)]
    pub iin: String,
    /// Surname.
    #[serde(default)]
    pub surname: String,
    /// Name.
    #[serde(default)]
    pub first_name: String,
    /// Patronymic (optional).
    #[serde(default)]
    pub patronymic: String,
    /// Birth date as typed (`dd.mm.yyyy` or `yyyy-mm-dd`); optional, but must match the IIN.
    #[serde(default)]
    pub birth_date: String,
    /// Grade 0–11.
    #[serde(default)]
    pub grade: String,
    /// Language of study.
    #[serde(default)]
    pub study_language: String,
    /// Category codes (a form that ticks one sends one value, not a list: both are read).
    #[serde(default, deserialize_with = "crate::format::one_or_many")]
    pub categories: Vec<String>,
    /// Decision number of the collegial body (category `other`).
    #[serde(default)]
    pub decision_no: String,
    /// Decision date (category `other`).
    #[serde(default)]
    pub decision_date: String,
    /// Guardian's full name.
    #[serde(default)]
    pub guardian_name: String,
    /// Guardian's relation (mother, father, grandmother, guardian…).
    #[serde(default)]
    pub guardian_relation: String,
    /// Guardian's phone.
    #[serde(default)]
    pub guardian_phone: String,
    /// Address.
    #[serde(default)]
    pub address: String,
    /// Settlement.
    #[serde(default)]
    pub settlement: String,
    /// Children in the family.
    #[serde(default)]
    pub family_children: String,
    /// Who consented.
    #[serde(default)]
    pub consent_by: String,
    /// How.
    #[serde(default)]
    pub consent_method: String,
    /// When.
    #[serde(default)]
    pub consent_date: String,
    /// How the child was found.
    #[serde(default)]
    pub source: String,
    /// Needs.
    #[serde(default)]
    pub needs: Vec<NeedInput>,
}

/// A checked child record, ready to store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChildFields {
    /// IIN.
    pub iin: Iin,
    /// Surname.
    pub surname: String,
    /// Name.
    pub first_name: String,
    /// Patronymic.
    pub patronymic: Option<String>,
    /// Birth date (from the IIN).
    pub birth_date: NaiveDate,
    /// Sex (from the IIN).
    pub sex: Sex,
    /// Grade.
    pub grade: i16,
    /// Language of study.
    pub study_language: StudyLanguage,
    /// Categories, sorted, at least one.
    pub categories: Vec<Category>,
    /// Decision of the collegial body (category `other`).
    pub decision: Option<(String, NaiveDate)>,
    /// Guardian's name.
    pub guardian_name: String,
    /// Guardian's relation.
    pub guardian_relation: Option<String>,
    /// Guardian's phone, digits with a leading `+7`.
    pub guardian_phone: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Settlement.
    pub settlement: Option<String>,
    /// Children in the family.
    pub family_children: Option<i16>,
    /// Consent: who.
    pub consent_by: ConsentBy,
    /// Consent: how.
    pub consent_method: ConsentMethod,
    /// Consent: when.
    pub consent_date: NaiveDate,
    /// Source.
    pub source: Source,
    /// Needs.
    pub needs: Vec<Need>,
}

/// Parses `dd.mm.yyyy`, `d.m.yyyy` or `yyyy-mm-dd`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%d.%m.%Y").or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d")).ok()
}

/// Parses an amount of whole tenge as people type it: `45000`, `45 000`, `45 000 ₸`. Commas,
/// dots and negative amounts are refused rather than guessed at.
pub fn parse_tenge(text: &str) -> Option<Tenge> {
    let cleaned: String = text
        .trim()
        .trim_end_matches('₸')
        .trim_end()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if cleaned.is_empty() || !cleaned.bytes().all(|b| b.is_ascii_digit()) || cleaned.len() > 13 {
        return None;
    }
    cleaned.parse::<i64>().ok().map(Tenge::from_tenge)
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

fn choice<T>(c: &mut Checker, field: &str, value: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
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

fn date(c: &mut Checker, field: &str, value: &str, required: bool) -> Option<NaiveDate> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 8, 15).unwrap()
    }

    pub(crate) fn valid() -> ChildInput {
        ChildInput {
            iin: "061211600012".into(),
            surname: "Құрманғазы".into(),
            first_name: "Әлия".into(),
            birth_date: "11.12.2006".into(),
            grade: "11".into(),
            study_language: "kk".into(),
            categories: vec!["large_family".into(), "asp".into()],
            guardian_name: "Құрманғазы Гүлнар".into(),
            guardian_phone: "8 (701) 123-45-67".into(),
            consent_by: "parent".into(),
            consent_method: "written".into(),
            consent_date: "01.08.2026".into(),
            source: "school_list".into(),
            needs: vec![NeedInput { item: "backpack".into(), cost: "45 000".into(), ..Default::default() }],
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_record_takes_birth_date_and_sex_from_the_iin() {
        let f = valid().parse(today()).unwrap();
        assert_eq!(f.sex, Sex::Female);
        assert_eq!(f.birth_date, NaiveDate::from_ymd_opt(2006, 12, 11).unwrap());
        assert_eq!(f.categories, vec![Category::Asp, Category::LargeFamily]);
        assert_eq!(f.guardian_phone.as_deref(), Some("+77011234567"));
        assert_eq!(f.needs[0].cost, Tenge::from_tenge(45_000));
    }

    #[test]
    fn every_bad_field_is_reported() {
        let input = ChildInput {
            iin: "061211600013".into(),
            surname: " ".into(),
            grade: "14".into(),
            categories: vec!["unicorn".into()],
            needs: vec![NeedInput { item: "uniform".into(), cost: "1 196 448,50".into(), ..Default::default() }],
            ..valid()
        };
        let codes: Vec<_> =
            input.parse(today()).unwrap_err().0.into_iter().map(|e| (e.field, e.code.as_str())).collect();
        assert_eq!(
            codes,
            [
                ("iin".to_owned(), "iin_checksum"),
                ("surname".to_owned(), "required"),
                ("grade".to_owned(), "grade_range"),
                ("categories".to_owned(), "invalid_choice"),
                ("needs.0.cost".to_owned(), "amount_format"),
            ]
        );
    }

    #[test]
    fn a_birth_date_that_contradicts_the_iin_is_refused() {
        let input = ChildInput { birth_date: "12.11.2006".into(), ..valid() };
        assert_eq!(input.parse(today()).unwrap_err().0[0].code, ErrorCode::BirthDateMismatch);
    }

    #[test]
    fn category_other_needs_the_decision() {
        let input = ChildInput { categories: vec!["other".into()], ..valid() };
        let fields: Vec<_> = input.parse(today()).unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["decision_no", "decision_date"]);
    }

    #[test]
    fn amounts_are_whole_tenge_as_people_write_them() {
        assert_eq!(parse_tenge("1 196 448"), Some(Tenge::from_tenge(1_196_448)));
        assert_eq!(parse_tenge("45000 ₸"), Some(Tenge::from_tenge(45_000)));
        for bad in ["1 196 448,50", "1.196.448", "-5", "", "12e3"] {
            assert_eq!(parse_tenge(bad), None, "{bad}");
        }
    }
}

/// A campaign as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct CampaignInput {
    /// Year, e.g. `2026`.
    #[serde(default)]
    pub year: String,
    /// First day (`01.08.2026`).
    #[serde(default)]
    pub starts_on: String,
    /// Last day (`30.09.2026`).
    #[serde(default)]
    pub ends_on: String,
    /// Motto in Russian.
    #[serde(default)]
    pub motto_ru: String,
    /// Motto in Kazakh.
    #[serde(default)]
    pub motto_kk: String,
    /// The cash norm in tenge for regions without their own.
    #[serde(default)]
    pub default_norm: String,
}

/// A checked campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignFields {
    /// Year.
    pub year: i32,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Motto in Russian.
    pub motto_ru: String,
    /// Motto in Kazakh.
    pub motto_kk: String,
    /// The default cash norm.
    pub default_norm: Tenge,
}

impl CampaignInput {
    /// Checks every field. Work outside 1 August – 30 September is allowed: help runs all year.
    pub fn parse(&self) -> Result<CampaignFields, Invalid> {
        let mut c = Checker::default();
        let year = match self.year.trim().parse::<i32>() {
            Ok(y) if (2008..=2100).contains(&y) => Some(y),
            _ => {
                c.push(FieldError::new("year", ErrorCode::YearRange));
                None
            }
        };
        let starts_on = date(&mut c, "starts_on", &self.starts_on, true);
        let ends_on = date(&mut c, "ends_on", &self.ends_on, true);
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            c.push(FieldError::new("ends_on", ErrorCode::PeriodReversed));
        }
        let motto_ru = c.text("motto_ru", &self.motto_ru, 300);
        let motto_kk = c.text("motto_kk", &self.motto_kk, 300);
        let default_norm = parse_tenge(&self.default_norm).filter(|t| t.0 > 0);
        if default_norm.is_none() {
            c.push(FieldError::new("default_norm", ErrorCode::AmountFormat));
        }
        match (year, starts_on, ends_on, default_norm) {
            (Some(year), Some(starts_on), Some(ends_on), Some(default_norm)) => {
                c.finish(CampaignFields { year, starts_on, ends_on, motto_ru, motto_kk, default_norm })
            }
            _ => Err(c.finish(()).err().unwrap_or_else(|| Invalid::one("year", ErrorCode::Required))),
        }
    }
}
