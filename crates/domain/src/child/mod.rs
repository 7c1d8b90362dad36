//! The child record of the registry (MISSION.md §4): categories, needs, consent, source and
//! status, and the checks on what a form, an API call or an import row says.

pub mod age;
mod campaign;
mod check;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::codes::code_enum;
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
        /// The school's attendance record (a pupil who did not come).
        Attendance = "attendance",
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

pub use campaign::{CampaignFields, CampaignInput};
pub use check::{parse_date, parse_phone, parse_tenge};

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
    /// The school confirms an age more than two years off the grade's usual age (a late start,
    /// a repeated year): `true`, or a form's ticked box.
    #[serde(default, deserialize_with = "crate::format::flag")]
    pub age_confirmed: bool,
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
