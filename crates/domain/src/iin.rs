//! IIN (ЖСН) of a person and BIN (БСН) of an organisation: 12 digits with a check digit
//! (MISSION.md §8). Parsing is the proof: an [`Iin`] value always has a valid check digit and a
//! real birth date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ErrorCode;

/// The weights of the second pass of the check digit.
const SECOND_PASS: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// Why twelve characters are not an IIN or BIN; the codes are the error codes shown to users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Not exactly twelve digits.
    #[error("iin_format")]
    Format,
    /// The check digit does not match (or both passes give 10).
    #[error("iin_checksum")]
    Checksum,
    /// Digits 1–6 and 7 do not make a real date, or digit 7 is not 1–6.
    #[error("iin_birth_date")]
    BirthDate,
    /// The fifth digit of a BIN is not an organisation type (4, 5 or 6).
    #[error("bin_type")]
    BinType,
}

impl IdError {
    /// The stable error code.
    pub fn code(self) -> ErrorCode {
        match self {
            IdError::Format => ErrorCode::IinFormat,
            IdError::Checksum => ErrorCode::IinChecksum,
            IdError::BirthDate => ErrorCode::IinBirthDate,
            IdError::BinType => ErrorCode::BinType,
        }
    }
}

fn digits(s: &str) -> Result<[u32; 12], IdError> {
    let s = s.trim();
    if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdError::Format);
    }
    let mut d = [0u32; 12];
    for (slot, b) in d.iter_mut().zip(s.bytes()) {
        *slot = u32::from(b - b'0');
    }
    Ok(d)
}

/// The check digit of the first eleven digits, or `None` if both passes give 10.
pub fn check_digit(d: &[u32]) -> Option<u32> {
    let first: u32 = d.iter().take(11).zip(1..).map(|(x, w)| x * w).sum::<u32>() % 11;
    if first != 10 {
        return Some(first);
    }
    let second: u32 = d.iter().take(11).zip(SECOND_PASS).map(|(x, w)| x * w).sum::<u32>() % 11;
    (second != 10).then_some(second)
}

fn checked(s: &str) -> Result<[u32; 12], IdError> {
    let d = digits(s)?;
    match check_digit(&d) {
        Some(c) if c == d[11] => Ok(d),
        _ => Err(IdError::Checksum),
    }
}

/// A person's sex, as the IIN states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Male (odd seventh digit).
    Male,
    /// Female (even seventh digit).
    Female,
}

impl Sex {
    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    /// Parses the stable code.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "male" => Some(Sex::Male),
            "female" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// A valid individual identification number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Iin(String);

impl Iin {
    /// Parses twelve digits: check digit, century-and-sex digit and birth date.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let d = checked(s)?;
        let iin = Iin(s.trim().to_owned());
        iin.birth_date_of(&d)?;
        Ok(iin)
    }

    fn birth_date_of(&self, d: &[u32; 12]) -> Result<NaiveDate, IdError> {
        let century = match d[6] {
            1 | 2 => 1800,
            3 | 4 => 1900,
            5 | 6 => 2000,
            _ => return Err(IdError::BirthDate),
        };
        let year = century + (d[0] * 10 + d[1]) as i32;
        NaiveDate::from_ymd_opt(year, d[2] * 10 + d[3], d[4] * 10 + d[5]).ok_or(IdError::BirthDate)
    }

    /// The birth date the IIN states.
    pub fn birth_date(&self) -> NaiveDate {
        let d = digits(&self.0).unwrap_or([0; 12]);
        self.birth_date_of(&d).unwrap_or_default()
    }

    /// The sex the IIN states.
    pub fn sex(&self) -> Sex {
        if self.0.as_bytes()[6] % 2 == 1 { Sex::Male } else { Sex::Female }
    }

    /// The twelve digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `8710******27`: for places where the number may be recognised but not read.
    pub fn masked(&self) -> String {
        format!("{}******{}", &self.0[..4], &self.0[10..])
    }
}

impl std::fmt::Display for Iin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A valid business identification number of an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Bin(String);

impl Bin {
    /// Parses twelve digits: check digit, month, and the organisation type in digit 5.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let d = checked(s)?;
        if !(1..=12).contains(&(d[2] * 10 + d[3])) {
            return Err(IdError::Format);
        }
        if !matches!(d[4], 4..=6) {
            return Err(IdError::BinType);
        }
        Ok(Bin(s.trim().to_owned()))
    }

    /// The twelve digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_samples_parse() {
        for s in ["871008401427", "760212350620", "800416300257", "061211600012"] {
            assert!(Iin::parse(s).is_ok(), "{s}");
        }
        assert_eq!(Iin::parse("821214240092"), Err(IdError::Checksum));
        for s in ["940140000385", "990140004654", "070941024691"] {
            assert!(Bin::parse(s).is_ok(), "{s}");
        }
    }

    #[test]
    fn birth_date_and_sex_come_from_the_iin() {
        let iin = Iin::parse("061211600012").unwrap();
        assert_eq!(iin.birth_date(), NaiveDate::from_ymd_opt(2006, 12, 11).unwrap());
        assert_eq!(iin.sex(), Sex::Female);
        let iin = Iin::parse("871008401427").unwrap();
        assert_eq!(iin.birth_date(), NaiveDate::from_ymd_opt(1987, 10, 8).unwrap());
        assert_eq!(iin.masked(), "8710******27");
    }

    #[test]
    fn malformed_numbers_say_why() {
        assert_eq!(Iin::parse("12345"), Err(IdError::Format));
        assert_eq!(Iin::parse("87100840142a"), Err(IdError::Format));
        assert_eq!(Iin::parse(" 871008401427 ").map(|i| i.to_string()), Ok("871008401427".to_owned()));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    fn first_pass(d: &[u32]) -> u32 {
        d.iter().take(11).zip(1..).map(|(x, w)| x * w).sum::<u32>() % 11
    }

    /// A valid IIN built from a birth date, a sex and a registration number.
    fn valid_iin() -> impl Strategy<Value = (String, NaiveDate, Sex)> {
        (1900i32..2030, 1u32..=12, 1u32..=31, any::<bool>(), 0u32..10_000).prop_filter_map(
            "no such date, or no check digit",
            |(year, month, day, male, reg)| {
                let date = NaiveDate::from_ymd_opt(year, month, day)?;
                let century = if year >= 2000 { 5 } else { 3 } + u32::from(!male);
                let head = format!("{:02}{month:02}{day:02}{century}{reg:04}", year % 100);
                let d: Vec<u32> = head.bytes().map(|b| u32::from(b - b'0')).collect();
                let check = check_digit(&d)?;
                Some((format!("{head}{check}"), date, if male { Sex::Male } else { Sex::Female }))
            },
        )
    }

    proptest! {
        #[test]
        fn every_valid_iin_parses_back_to_its_birth_date_and_sex((s, date, sex) in valid_iin()) {
            let iin = Iin::parse(&s).unwrap();
            prop_assert_eq!(iin.birth_date(), date);
            prop_assert_eq!(iin.sex(), sex);
        }

        /// A single changed digit among digits 1–10 is always caught, unless one of the two
        /// numbers falls to the second pass (first-pass sum 10). Digit 11 has weight 11 ≡ 0
        /// (mod 11), so the first pass cannot see it: see `the_eleventh_digit_is_a_blind_spot`.
        #[test]
        fn one_changed_digit_among_the_first_ten_is_caught(
            (s, _, _) in valid_iin(), pos in 0usize..10, delta in 1u32..10,
        ) {
            let mut d: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
            let original_first = first_pass(&d);
            d[pos] = (d[pos] + delta) % 10;
            let changed: String = d.iter().map(|x| char::from(b'0' + *x as u8)).collect();
            if original_first != 10 && first_pass(&d) != 10 {
                prop_assert_eq!(checked(&changed), Err(IdError::Checksum));
            }
        }

        #[test]
        fn a_changed_check_digit_is_always_caught((s, _, _) in valid_iin(), delta in 1u32..10) {
            let mut d: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
            d[11] = (d[11] + delta) % 10;
            let changed: String = d.iter().map(|x| char::from(b'0' + *x as u8)).collect();
            prop_assert_eq!(Iin::parse(&changed), Err(IdError::Checksum));
        }
    }

    #[test]
    fn the_eleventh_digit_is_a_blind_spot_of_the_algorithm() {
        // 871008401427 is valid; so is 871008401417: digit 11 carries weight 11 ≡ 0 (mod 11).
        assert!(Iin::parse("871008401427").is_ok());
        assert!(Iin::parse("871008401417").is_ok());
    }
}
