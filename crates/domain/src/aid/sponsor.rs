//! Sponsors as typed: the sponsor itself (BIN or IIN checked by kind) and a sponsor's own
//! application, with the account it signs in with.

use serde::{Deserialize, Serialize};

use super::parse_choice;
use crate::ErrorCode;
use crate::codes::code_enum;
use crate::error::{Checker, FieldError, Invalid};
use crate::role::Role;
use crate::user::NewUser;

code_enum!(
    /// The kind of a sponsor.
    SponsorKind {
        /// A company (ТОО, АО).
        Company = "company",
        /// A sole entrepreneur (ИП).
        Entrepreneur = "entrepreneur",
        /// The staff collective of a state body.
        StateCollective = "state_collective",
        /// An NGO or foundation.
        Ngo = "ngo",
        /// A religious organisation.
        Religious = "religious",
        /// A parents' community.
        Parents = "parents",
        /// Alumni.
        Alumni = "alumni",
        /// A private person.
        Person = "person",
    }
);

/// A sponsor as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct SponsorInput {
    /// Kind code.
    #[serde(default)]
    pub kind: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// BIN (organisations) or IIN (entrepreneurs, persons); optional for collectives, parents, alumni.
    #[serde(default)]
    pub bin_iin: String,
    /// Contact person.
    #[serde(default)]
    pub contact: String,
    /// Phone.
    #[serde(default)]
    pub phone: String,
    /// E-mail.
    #[serde(default)]
    pub email: String,
}

/// A checked sponsor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SponsorFields {
    /// Kind.
    pub kind: SponsorKind,
    /// Name.
    pub name: String,
    /// BIN or IIN, checked.
    pub bin_iin: Option<String>,
    /// Contact person.
    pub contact: Option<String>,
    /// Phone, `+7XXXXXXXXXX`.
    pub phone: Option<String>,
    /// E-mail, lower case.
    pub email: Option<String>,
}

/// An address a message can be sent to: one `@`, a name before it, a domain with a dot after it,
/// no spaces, at most 254 characters (the mail server is the final judge).
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    text.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(|ch| ch.is_whitespace() || ch.is_control())
}

impl SponsorInput {
    /// Checks every field: a company's BIN and an entrepreneur's or person's IIN by their check
    /// digit.
    pub fn parse(&self) -> Result<SponsorFields, Invalid> {
        let mut c = Checker::default();
        let kind = parse_choice(&mut c, "kind", &self.kind, SponsorKind::parse);
        let name = c.text("name", &self.name, 200);
        let number = self.bin_iin.trim();
        let bin_iin = match (kind, number.is_empty()) {
            (
                Some(
                    SponsorKind::Company
                    | SponsorKind::Ngo
                    | SponsorKind::Religious
                    | SponsorKind::Entrepreneur
                    | SponsorKind::Person,
                ),
                true,
            ) => {
                c.push(FieldError::new("bin_iin", ErrorCode::Required));
                None
            }
            (_, true) => None,
            (Some(SponsorKind::Entrepreneur | SponsorKind::Person), false) => match crate::iin::Iin::parse(number) {
                Ok(iin) => Some(iin.as_str().to_owned()),
                Err(e) => {
                    c.push(FieldError::new("bin_iin", e.code()));
                    None
                }
            },
            (_, false) => match crate::iin::Bin::parse(number) {
                Ok(bin) => Some(bin.as_str().to_owned()),
                Err(e) => {
                    c.push(FieldError::new(
                        "bin_iin",
                        if e == crate::iin::IdError::Checksum { ErrorCode::BinChecksum } else { e.code() },
                    ));
                    None
                }
            },
        };
        let contact = c.optional_text("contact", &self.contact, 200);
        let phone = match self.phone.trim() {
            "" => None,
            p => crate::child::parse_phone(p).or_else(|| {
                c.push(FieldError::new("phone", ErrorCode::PhoneFormat));
                None
            }),
        };
        let email = match self.email.trim() {
            "" => None,
            e if is_email(e) => Some(e.to_lowercase()),
            _ => {
                c.push(FieldError::new("email", ErrorCode::EmailFormat));
                None
            }
        };
        match kind {
            Some(kind) => c.finish(SponsorFields { kind, name, bin_iin, contact, phone, email }),
            None => Err(c.finish(()).err().unwrap_or_else(|| Invalid::one("kind", ErrorCode::Required))),
        }
    }
}

/// A sponsor's own application (no sign-in): the sponsor, its region, and the account it will
/// sign in with once the region approves it. The form and the API send the same fields. The login
/// is not chosen: the system gives one (a chosen login that is taken would tell anyone that it
/// exists).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct SponsorApplication {
    /// The sponsor.
    #[serde(flatten)]
    pub sponsor: SponsorInput,
    /// The region (none until one is chosen).
    #[serde(default, deserialize_with = "crate::format::optional_id")]
    pub region_id: Option<i64>,
    /// The contact person's full name.
    #[serde(default)]
    pub full_name: String,
    /// The password it chose.
    #[serde(default)]
    pub password: String,
}

impl SponsorApplication {
    /// Checks the sponsor, the account under the given `login` and the region, every problem
    /// listed at once.
    pub fn parse(&self, login: &str) -> Result<(SponsorFields, NewUser, i64), Invalid> {
        let mut c = Checker::default();
        let login = login.to_owned();
        let full_name = c.text("full_name", &self.full_name, 200);
        let mut errors = c.finish(()).err().map(|i| i.0).unwrap_or_default();
        let fields = self.sponsor.parse().map_err(|i| errors.extend(i.0)).ok();
        if self.region_id.is_none() {
            errors.push(FieldError::new("region", ErrorCode::Required));
        }
        // The region answers an application by phone or mail: at least one is needed.
        if self.sponsor.phone.trim().is_empty() && self.sponsor.email.trim().is_empty() {
            errors.push(FieldError::new("email", ErrorCode::ContactRequired));
        }
        if let Err(i) = crate::password::check_new("password", &self.password, &login) {
            errors.extend(i.0);
        }
        match (fields, self.region_id) {
            (Some(fields), Some(region)) if errors.is_empty() => {
                Ok((fields, NewUser { login, full_name, role: Role::Sponsor, unit_id: region }, region))
            }
            _ => Err(Invalid(errors)),
        }
    }
}

#[cfg(test)]
mod sponsor_tests {
    use super::*;

    #[test]
    fn a_company_needs_a_valid_bin_and_a_person_a_valid_iin() {
        let ok = SponsorInput {
            kind: "company".into(),
            name: "ТОО «Коунрад»".into(),
            bin_iin: "940140000385".into(),
            ..Default::default()
        };
        assert_eq!(ok.parse().unwrap().bin_iin.as_deref(), Some("940140000385"));
        let bad = SponsorInput { bin_iin: "940140000386".into(), ..ok.clone() };
        assert_eq!(bad.parse().unwrap_err().0[0].code, ErrorCode::BinChecksum);
        let person = SponsorInput {
            kind: "person".into(),
            name: "Аспандиров".into(),
            bin_iin: "871008401427".into(),
            ..Default::default()
        };
        assert!(person.parse().is_ok());
        let alumni =
            SponsorInput { kind: "alumni".into(), name: "Выпускники 2001".into(), ..Default::default() };
        assert_eq!(alumni.parse().unwrap().bin_iin, None);
    }
}
