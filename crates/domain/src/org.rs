//! The org hierarchy: republic → regions → districts → schools.

use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::error::{Checker, FieldError, Invalid};

/// The level of an org unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// The whole country; exactly one.
    Republic,
    /// One of the 20 regions (oblasts and cities of republican significance).
    Region,
    /// A district (or a city's district).
    District,
    /// A school.
    School,
}

impl OrgKind {
    /// The stable code stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Republic => "republic",
            OrgKind::Region => "region",
            OrgKind::District => "district",
            OrgKind::School => "school",
        }
    }

    /// Parses the stored code.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "republic" => Some(OrgKind::Republic),
            "region" => Some(OrgKind::Region),
            "district" => Some(OrgKind::District),
            "school" => Some(OrgKind::School),
            _ => None,
        }
    }

    /// The kind of unit that sits directly below this one.
    pub fn child(self) -> Option<OrgKind> {
        match self {
            OrgKind::Republic => Some(OrgKind::Region),
            OrgKind::Region => Some(OrgKind::District),
            OrgKind::District => Some(OrgKind::School),
            OrgKind::School => None,
        }
    }
}

/// The language a school teaches in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchoolLanguage {
    /// Kazakh.
    Kk,
    /// Russian.
    Ru,
    /// Both (a mixed school).
    Mixed,
}

impl SchoolLanguage {
    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            SchoolLanguage::Kk => "kk",
            SchoolLanguage::Ru => "ru",
            SchoolLanguage::Mixed => "mixed",
        }
    }

    /// Parses the stable code.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "kk" => Some(SchoolLanguage::Kk),
            "ru" => Some(SchoolLanguage::Ru),
            "mixed" => Some(SchoolLanguage::Mixed),
            _ => None,
        }
    }
}

/// The most characters a unit's name may have.
pub const NAME_MAX: usize = 200;
/// The most characters a code (school number, ISO code) may have.
pub const CODE_MAX: usize = 20;
/// The most characters a settlement's name may have.
pub const SETTLEMENT_MAX: usize = 120;

/// The fields of an org unit as typed in a form, an API call or an import row.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct OrgUnitInput {
    /// School number or other short code (optional for districts).
    #[serde(default)]
    pub code: String,
    /// Name in Russian.
    #[serde(default)]
    pub name_ru: String,
    /// Name in Kazakh.
    #[serde(default)]
    pub name_kk: String,
    /// Settlement (schools).
    #[serde(default)]
    pub settlement: String,
    /// `rural` or `urban` (schools).
    #[serde(default)]
    pub locality: String,
    /// `kk`, `ru` or `mixed` (schools).
    #[serde(default)]
    pub language: String,
}

/// A checked org unit, ready to store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgUnitFields {
    /// Short code, if any.
    pub code: Option<String>,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in Kazakh.
    pub name_kk: String,
    /// Settlement (schools).
    pub settlement: Option<String>,
    /// Rural school? (schools)
    pub is_rural: Option<bool>,
    /// Language of instruction (schools).
    pub language: Option<SchoolLanguage>,
}

impl OrgUnitInput {
    /// Checks the input for a unit of `kind`, returning every problem at once.
    pub fn parse(&self, kind: OrgKind) -> Result<OrgUnitFields, Invalid> {
        let mut c = Checker::default();
        let code = if kind == OrgKind::School {
            Some(c.text("code", &self.code, CODE_MAX))
        } else {
            c.optional_text("code", &self.code, CODE_MAX)
        };
        let name_ru = c.text("name_ru", &self.name_ru, NAME_MAX);
        let name_kk = c.text("name_kk", &self.name_kk, NAME_MAX);
        let (settlement, is_rural, language) = if kind == OrgKind::School {
            let settlement = Some(c.text("settlement", &self.settlement, SETTLEMENT_MAX));
            let is_rural = match self.locality.trim() {
                "rural" => Some(true),
                "urban" => Some(false),
                "" => {
                    c.push(FieldError::new("locality", ErrorCode::Required));
                    None
                }
                _ => {
                    c.push(FieldError::new("locality", ErrorCode::InvalidChoice));
                    None
                }
            };
            let language = match self.language.trim() {
                "" => {
                    c.push(FieldError::new("language", ErrorCode::Required));
                    None
                }
                other => {
                    let parsed = SchoolLanguage::parse(other);
                    if parsed.is_none() {
                        c.push(FieldError::new("language", ErrorCode::InvalidChoice));
                    }
                    parsed
                }
            };
            (settlement, is_rural, language)
        } else {
            (c.optional_text("settlement", &self.settlement, SETTLEMENT_MAX), None, None)
        };
        c.finish(OrgUnitFields { code, name_ru, name_kk, settlement, is_rural, language })
    }
}

/// The 20 regions: ISO 3166-2 code, Russian name, Kazakh name (MISSION.md §8).
pub const REGIONS: [(&str, &str, &str); 20] = [
    ("KZ-10", "область Абай", "Абай облысы"),
    ("KZ-11", "Акмолинская область", "Ақмола облысы"),
    ("KZ-15", "Актюбинская область", "Ақтөбе облысы"),
    ("KZ-19", "Алматинская область", "Алматы облысы"),
    ("KZ-23", "Атырауская область", "Атырау облысы"),
    ("KZ-27", "Западно-Казахстанская область", "Батыс Қазақстан облысы"),
    ("KZ-31", "Жамбылская область", "Жамбыл облысы"),
    ("KZ-33", "область Жетісу", "Жетісу облысы"),
    ("KZ-35", "Карагандинская область", "Қарағанды облысы"),
    ("KZ-39", "Костанайская область", "Қостанай облысы"),
    ("KZ-43", "Кызылординская область", "Қызылорда облысы"),
    ("KZ-47", "Мангистауская область", "Маңғыстау облысы"),
    ("KZ-55", "Павлодарская область", "Павлодар облысы"),
    ("KZ-59", "Северо-Казахстанская область", "Солтүстік Қазақстан облысы"),
    ("KZ-61", "Туркестанская область", "Түркістан облысы"),
    ("KZ-62", "область Ұлытау", "Ұлытау облысы"),
    ("KZ-63", "Восточно-Казахстанская область", "Шығыс Қазақстан облысы"),
    ("KZ-71", "г. Астана", "Астана қаласы"),
    ("KZ-75", "г. Алматы", "Алматы қаласы"),
    ("KZ-79", "г. Шымкент", "Шымкент қаласы"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn school() -> OrgUnitInput {
        OrgUnitInput {
            code: "1".into(),
            name_ru: "КГУ «ОШ № 1»".into(),
            name_kk: "№1 ЖББМ".into(),
            settlement: "Балқаш".into(),
            locality: "urban".into(),
            language: "mixed".into(),
        }
    }

    #[test]
    fn a_school_needs_number_settlement_locality_and_language() {
        let ok = school().parse(OrgKind::School).unwrap();
        assert_eq!(ok.is_rural, Some(false));
        assert_eq!(ok.language, Some(SchoolLanguage::Mixed));
        let err =
            OrgUnitInput { name_ru: "x".into(), name_kk: "y".into(), locality: "moon".into(), ..Default::default() }
                .parse(OrgKind::School)
                .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            fields,
            [
                ("code", "required"),
                ("settlement", "required"),
                ("locality", "invalid_choice"),
                ("language", "required")
            ]
        );
    }

    #[test]
    fn a_district_needs_only_names() {
        let d = OrgUnitInput { name_ru: "Балхаш".into(), name_kk: "Балқаш".into(), ..Default::default() };
        let ok = d.parse(OrgKind::District).unwrap();
        assert_eq!(ok.code, None);
        assert_eq!(ok.is_rural, None);
    }

    #[test]
    fn the_regions_are_twenty_with_unique_codes() {
        let mut codes: Vec<_> = REGIONS.iter().map(|r| r.0).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 20);
    }
}
