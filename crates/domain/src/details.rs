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

#[cfg(test)]
mod tests {
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
