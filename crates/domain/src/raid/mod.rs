//! Children out of school as a raid (рейд) finds them (MISSION.md §6): where a raid goes, who
//! goes, and each child found with what was done. Checked here, in the user's words; stored and
//! scoped by `db`. A finding carries an id made on the phone that sent it, so that a retry after a
//! lost connection is known for what it is.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::codes::code_enum;
use crate::error::{Checker, FieldError, Invalid};
use crate::iin::{Iin, Sex};

code_enum!(
    /// Where a raid looks for children.
    PlaceKind {
        /// A computer club.
        ComputerClub = "computer_club",
        /// A market.
        Market = "market",
        /// A railway or bus station.
        Station = "station",
        /// A place of entertainment.
        Entertainment = "entertainment",
        /// Homes (families visited).
        Home = "home",
        /// Anywhere else.
        Other = "other",
    }
);

code_enum!(
    /// Who takes part in a raid, counted by category.
    ParticipantKind {
        /// Teachers.
        Teacher = "teacher",
        /// Staff of education and of children's rights protection.
        EducationStaff = "education_staff",
        /// Police (juvenile inspectors).
        Police = "police",
        /// Social protection.
        SocialProtection = "social_protection",
        /// NGOs.
        Ngo = "ngo",
        /// Parents.
        Parent = "parent",
    }
);

code_enum!(
    /// What was done for a child a raid found.
    FindingAction {
        /// Taken home.
        TakenHome = "taken_home",
        /// Taken to school.
        TakenToSchool = "taken_to_school",
        /// Handed to the police.
        Police = "police",
        /// Referred to the juvenile commission (КДН).
        Kdn = "kdn",
        /// Referred to social protection.
        SocialProtection = "social_protection",
        /// Handed to a medical service.
        Medical = "medical",
    }
);

/// Most places in one raid.
pub const PLACES_MAX: usize = 20;
/// Longest address.
pub const ADDRESS_MAX: usize = 300;
/// Longest note of a raid.
pub const NOTE_MAX: usize = 2000;
/// Longest account of a finding's circumstances.
pub const CIRCUMSTANCES_MAX: usize = 1000;
/// Most participants of one category in one raid.
pub const PARTICIPANTS_MAX: i32 = 500;
/// The youngest and oldest age a finding without an IIN may be given.
pub const AGE_RANGE: (i16, i16) = (3, 21);

/// A place as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct PlaceInput {
    /// A place kind code.
    #[serde(default)]
    pub kind: String,
    /// Its address or name.
    #[serde(default)]
    pub address: String,
}

/// Participants of one category as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct ParticipantInput {
    /// A participant kind code.
    #[serde(default)]
    pub kind: String,
    /// How many.
    #[serde(default)]
    pub count: String,
}

/// A raid as typed (planned or held).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct RaidInput {
    /// The day, `01.09.2026`.
    #[serde(default)]
    pub date: String,
    /// When it starts, `18:30` (optional).
    #[serde(default)]
    pub starts_at: String,
    /// Where it goes.
    #[serde(default)]
    pub places: Vec<PlaceInput>,
    /// Who goes, by category.
    #[serde(default)]
    pub participants: Vec<ParticipantInput>,
    /// A note.
    #[serde(default)]
    pub note: String,
}

/// A checked place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// Its kind.
    pub kind: PlaceKind,
    /// Its address or name.
    pub address: Option<String>,
}

/// A checked raid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RaidFields {
    /// The day.
    pub date: NaiveDate,
    /// When it starts.
    pub starts_at: Option<NaiveTime>,
    /// Where it goes (at least one place).
    pub places: Vec<Place>,
    /// Who goes: each category once, with a count above zero.
    pub participants: Vec<(ParticipantKind, i32)>,
    /// A note.
    pub note: Option<String>,
}

/// `18:30` or `8:05`.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
}

fn time(c: &mut Checker, field: &str, text: &str) -> Option<NaiveTime> {
    match text.trim() {
        "" => None,
        t => parse_time(t).or_else(|| {
            c.push(FieldError::new(field, ErrorCode::InvalidDate));
            None
        }),
    }
}

impl RaidInput {
    /// Checks every field at once, each error naming its field (`places.1.kind`).
    pub fn parse(&self) -> Result<RaidFields, Invalid> {
        let mut c = Checker::default();
        let date = match crate::child::parse_date(&self.date) {
            Some(d) => Some(d),
            None => {
                let code = if self.date.trim().is_empty() { ErrorCode::Required } else { ErrorCode::InvalidDate };
                c.push(FieldError::new("date", code));
                None
            }
        };
        let starts_at = time(&mut c, "starts_at", &self.starts_at);
        let mut places = Vec::new();
        let typed: Vec<(usize, &PlaceInput)> = self
            .places
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.kind.trim().is_empty() || !p.address.trim().is_empty())
            .collect();
        if typed.len() > PLACES_MAX {
            c.push(FieldError::new("places", ErrorCode::TooMany).with_limit(PLACES_MAX as i64));
        }
        for (i, p) in typed.into_iter().take(PLACES_MAX) {
            let kind = super::aid::parse_choice(&mut c, &format!("places.{i}.kind"), &p.kind, PlaceKind::parse);
            let address = c.optional_text(&format!("places.{i}.address"), &p.address, ADDRESS_MAX);
            if let Some(kind) = kind {
                places.push(Place { kind, address });
            }
        }
        if places.is_empty() && c.is_empty() {
            c.push(FieldError::new("places", ErrorCode::Required));
        }
        let mut participants: Vec<(ParticipantKind, i32)> = Vec::new();
        for (i, p) in self.participants.iter().enumerate() {
            if p.kind.trim().is_empty() && p.count.trim().is_empty() {
                continue;
            }
            let field = |n: &str| format!("participants.{i}.{n}");
            let kind = super::aid::parse_choice(&mut c, &field("kind"), &p.kind, ParticipantKind::parse);
            let count = match p.count.trim() {
                "" => Some(0),
                n => n.parse::<i32>().ok().filter(|n| (0..=PARTICIPANTS_MAX).contains(n)).or_else(|| {
                    c.push(
                        FieldError::new(field("count"), ErrorCode::NumberRange).with_limit(i64::from(PARTICIPANTS_MAX)),
                    );
                    None
                }),
            };
            match (kind, count) {
                (Some(kind), _) if participants.iter().any(|(k, _)| *k == kind) => {
                    c.push(FieldError::new(field("kind"), ErrorCode::Duplicate));
                }
                (Some(kind), Some(n)) if n > 0 => participants.push((kind, n)),
                _ => {}
            }
        }
        let note = c.optional_text("note", &self.note, NOTE_MAX);
        match date {
            Some(date) => c.finish(RaidFields { date, starts_at, places, participants, note }),
            None => Err(c.finish(()).err().unwrap_or_else(|| Invalid::one("date", ErrorCode::Required))),
        }
    }
}

/// A child found, as typed on the phone.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct FindingInput {
    /// The id the phone made for this finding (a UUID): a retry with the same id is the same
    /// finding.
    #[serde(default)]
    pub client_id: String,
    /// The child's IIN, when known.
    #[serde(default)]
    pub iin: String,
    /// The child's name, when known.
    #[serde(default)]
    pub name: String,
    /// `male` or `female` (taken from the IIN when it is given).
    #[serde(default)]
    pub sex: String,
    /// The approximate age, without an IIN.
    #[serde(default)]
    pub age: String,
    /// The kind of place it was found at.
    #[serde(default)]
    pub place: String,
    /// The place's address or name.
    #[serde(default)]
    pub address: String,
    /// When, `21:40`.
    #[serde(default)]
    pub found_at: String,
    /// What the child was doing, with whom, why not at school.
    #[serde(default)]
    pub circumstances: String,
    /// What was done (an action code).
    #[serde(default)]
    pub action: String,
}

/// A checked finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingFields {
    /// The phone's id, lower case.
    pub client_id: String,
    /// The IIN, when known.
    pub iin: Option<Iin>,
    /// The name, when known.
    pub name: Option<String>,
    /// Sex.
    pub sex: Sex,
    /// The approximate age (none when the IIN gives the birth date).
    pub age: Option<i16>,
    /// Where.
    pub place: PlaceKind,
    /// Its address or name.
    pub address: Option<String>,
    /// When.
    pub found_at: Option<NaiveTime>,
    /// Circumstances.
    pub circumstances: Option<String>,
    /// What was done.
    pub action: FindingAction,
}

/// Whether `s` is a UUID as a phone makes one (`crypto.randomUUID()`): 8-4-4-4-12 hex digits.
pub fn is_client_id(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A new id as a phone makes one (a random UUID, version 4), for a form sent without a script:
/// sending the same form again is then the same finding.
pub fn new_client_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

impl FindingInput {
    /// Checks every field at once. A raid finds children on its day: none before it is held
    /// (`raid_date` after `today`).
    pub fn parse(&self, raid_date: NaiveDate, today: NaiveDate) -> Result<FindingFields, Invalid> {
        let mut c = Checker::default();
        if raid_date > today {
            c.push(FieldError::new("date", ErrorCode::DateInFuture));
        }
        let client_id = self.client_id.trim().to_lowercase();
        if !is_client_id(&client_id) {
            c.push(FieldError::new("client_id", ErrorCode::ClientIdFormat));
        }
        let iin = match self.iin.trim() {
            "" => None,
            typed => Iin::parse(typed).map_err(|e| c.push(FieldError::new("iin", e.code()))).ok(),
        };
        let sex = match &iin {
            Some(i) => Some(i.sex()),
            None if self.iin.trim().is_empty() => super::aid::parse_choice(&mut c, "sex", &self.sex, Sex::parse),
            None => None,
        };
        let age = match (&iin, self.age.trim()) {
            (Some(_), _) => None,
            (None, "") if self.iin.trim().is_empty() => {
                c.push(FieldError::new("age", ErrorCode::Required));
                None
            }
            (None, "") => None,
            (None, typed) => {
                typed.parse::<i16>().ok().filter(|a| (AGE_RANGE.0..=AGE_RANGE.1).contains(a)).or_else(|| {
                    c.push(FieldError::new("age", ErrorCode::NumberRange).with_limit(i64::from(AGE_RANGE.1)));
                    None
                })
            }
        };
        let name = c.optional_text("name", &self.name, 200);
        let place = super::aid::parse_choice(&mut c, "place", &self.place, PlaceKind::parse);
        let address = c.optional_text("address", &self.address, ADDRESS_MAX);
        let found_at = time(&mut c, "found_at", &self.found_at);
        let circumstances = c.optional_text("circumstances", &self.circumstances, CIRCUMSTANCES_MAX);
        let action = super::aid::parse_choice(&mut c, "action", &self.action, FindingAction::parse);
        match (sex, place, action) {
            (Some(sex), Some(place), Some(action)) => c.finish(FindingFields {
                client_id,
                iin,
                name,
                sex,
                age,
                place,
                address,
                found_at,
                circumstances,
                action,
            }),
            _ => Err(c.finish(()).err().unwrap_or_else(|| Invalid::one("action", ErrorCode::Required))),
        }
    }
}

#[cfg(test)]
mod tests;
