//! What an org unit fills in once for its papers and its sponsors: the address, the coordinator
//! and the coordinator's work phone, the director, and to whom its справка goes.

use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::error::{Checker, FieldError, Invalid};

/// Longest address or addressee.
pub const ADDRESS_MAX: usize = 300;
/// Longest name of a person.
pub const PERSON_MAX: usize = 200;

/// The details as typed (every field optional: a blank is left for the pen).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct DetailsInput {
    /// Postal address, where a sponsor brings the goods.
    #[serde(default)]
    pub address: String,
    /// Who prepares the papers and answers sponsors.
    #[serde(default)]
    pub coordinator: String,
    /// The coordinator's work phone.
    #[serde(default)]
    pub phone: String,
    /// The director (or head) who signs.
    #[serde(default)]
    pub director: String,
    /// To whom the справка goes («Руководителю отдела образования …»).
    #[serde(default)]
    pub addressee: String,
}

/// The details checked, ready to store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Details {
    /// Postal address.
    pub address: Option<String>,
    /// Coordinator.
    pub coordinator: Option<String>,
    /// Work phone, `+7XXXXXXXXXX`.
    pub phone: Option<String>,
    /// Director.
    pub director: Option<String>,
    /// Addressee.
    pub addressee: Option<String>,
}

impl DetailsInput {
    /// Checks the details, returning every problem at once.
    pub fn parse(&self) -> Result<Details, Invalid> {
        let mut c = Checker::default();
        let address = c.optional_text("address", &self.address, ADDRESS_MAX);
        let coordinator = c.optional_text("coordinator", &self.coordinator, PERSON_MAX);
        let director = c.optional_text("director", &self.director, PERSON_MAX);
        let addressee = c.optional_text("addressee", &self.addressee, ADDRESS_MAX);
        let phone = match self.phone.trim() {
            "" => None,
            p => {
                let parsed = crate::child::parse_phone(p);
                if parsed.is_none() {
                    c.push(FieldError::new("phone", ErrorCode::PhoneFormat));
                }
                parsed
            }
        };
        c.finish(Details { address, coordinator, phone, director, addressee })
    }
}

/// Where the public reaches a unit, as typed: its hotline and trust phone (as people write them:
/// several numbers, extensions), its public reception (place and hours), its e-mail.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct ContactsInput {
    /// The hotline, «8 (7212) 56-78-90».
    #[serde(default)]
    pub hotline: String,
    /// The trust phone.
    #[serde(default)]
    pub trust_phone: String,
    /// The public reception: where and when.
    #[serde(default)]
    pub reception: String,
    /// The unit's e-mail (told of new appeals and leads too).
    #[serde(default)]
    pub email: String,
}

/// A unit's contacts, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Contacts {
    /// Hotline.
    pub hotline: Option<String>,
    /// Trust phone.
    pub trust_phone: Option<String>,
    /// Reception.
    pub reception: Option<String>,
    /// E-mail, lower case.
    pub email: Option<String>,
}

impl ContactsInput {
    /// Checks the contacts: phones of digits and the usual signs, at most 64 characters.
    pub fn parse(&self) -> Result<Contacts, Invalid> {
        let mut c = Checker::default();
        let phone = |c: &mut Checker, field: &str, text: &str| {
            let v = c.optional_text(field, text, 64);
            if v.as_deref().is_some_and(|p| !p.chars().all(|ch| ch.is_ascii_digit() || " +-(),;доб.".contains(ch))) {
                c.push(FieldError::new(field, ErrorCode::PhoneFormat));
            }
            v
        };
        let hotline = phone(&mut c, "hotline", &self.hotline);
        let trust_phone = phone(&mut c, "trust_phone", &self.trust_phone);
        let reception = c.optional_text("reception", &self.reception, 500);
        let email = match self.email.trim() {
            "" => None,
            e if crate::aid::is_email(e) => Some(e.to_lowercase()),
            _ => {
                c.push(FieldError::new("email", ErrorCode::EmailFormat));
                None
            }
        };
        c.finish(Contacts { hotline, trust_phone, reception, email })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn contacts_take_phones_as_people_write_them() {
        let c = super::ContactsInput {
            hotline: "8 (7212) 56-78-90, доб. 12".into(),
            trust_phone: "111".into(),
            email: "Goroo@Edu.kz".into(),
            ..Default::default()
        };
        let ok = c.parse().unwrap();
        assert_eq!((ok.trust_phone.as_deref(), ok.email.as_deref()), (Some("111"), Some("goroo@edu.kz")));
        let bad = super::ContactsInput { hotline: "звоните".into(), email: "x".into(), ..Default::default() };
        let fields: Vec<String> = bad.parse().unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["hotline", "email"]);
    }

    use super::*;

    #[test]
    fn blanks_are_none_a_phone_is_normalised_and_every_problem_is_named() {
        let ok =
            DetailsInput {
                phone: "8 (7172) 55-01-02".into(), director: " Серікова А. ".into(), ..Default::default()
            };
        let d = ok.parse().unwrap();
        assert_eq!(d.phone.as_deref(), Some("+77172550102"));
        assert_eq!(d.director.as_deref(), Some("Серікова А."));
        assert_eq!(d.address, None);
        let bad = DetailsInput { phone: "55-01".into(), address: "а".repeat(301), ..Default::default() };
        let fields: Vec<_> = bad.parse().unwrap_err().0.into_iter().map(|e| (e.field, e.code)).collect();
        assert!(fields.contains(&("phone".into(), ErrorCode::PhoneFormat)), "{fields:?}");
        assert!(fields.contains(&("address".into(), ErrorCode::TooLong)), "{fields:?}");
    }
}
