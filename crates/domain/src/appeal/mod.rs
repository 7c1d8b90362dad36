//! Citizens' appeals (обращения, MISSION.md §6, FIELD.md): how one reaches the campaign, what it is
//! about, who may be told the answer, the term it must be answered in (15 working days by
//! default, counted on the working-day calendar), an extension (up to two months from receipt,
//! with a reason), the tracking code the applicant follows it by. Checked here, in the user's
//! words; stored, routed and scoped by `db`.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::calendar::Calendar;
use crate::codes::code_enum;
use crate::error::{Checker, FieldError, Invalid};
use crate::iin::Iin;

code_enum!(
    /// How an appeal reached the campaign.
    Channel {
        /// The education department's hotline.
        Hotline = "hotline",
        /// A trust phone (телефон доверия).
        TrustPhone = "trust_phone",
        /// A public reception (in person).
        Reception = "reception",
        /// The national contact centre 111.
        Center111 = "center_111",
        /// A messenger.
        Messenger = "messenger",
        /// A letter.
        Letter = "letter",
        /// The public web form.
        Web = "web",
        /// The web form opened from a school's QR code.
        Qr = "qr",
    }
);

code_enum!(
    /// What an appeal is about.
    Topic {
        /// Help was asked for and not received.
        HelpNotReceived = "help_not_received",
        /// A child does not go to school.
        NotAtSchool = "not_at_school",
        /// A complaint about a school.
        SchoolComplaint = "school_complaint",
        /// A complaint about a sponsor.
        SponsorComplaint = "sponsor_complaint",
        /// Anything else.
        Other = "other",
    }
);

code_enum!(
    /// Where an appeal stands.
    Status {
        /// Received, nobody working on it yet.
        Registered = "registered",
        /// Someone is working on it.
        InWork = "in_work",
        /// Answered.
        Answered = "answered",
        /// Closed after the answer.
        Closed = "closed",
        /// Sent to the unit whose competence it is, not yet taken there.
        Forwarded = "forwarded",
    }
);

impl Status {
    /// Whether the appeal still waits for its answer.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Registered | Status::InWork | Status::Forwarded)
    }
}

impl Channel {
    /// The channels staff register an appeal from (the web form and QR codes file themselves).
    pub const STAFF: &'static [Channel] = &[
        Channel::Hotline,
        Channel::TrustPhone,
        Channel::Reception,
        Channel::Center111,
        Channel::Messenger,
        Channel::Letter,
    ];
}

/// Longest appeal text.
pub const TEXT_MAX: usize = 5000;
/// Longest answer.
pub const ANSWER_MAX: usize = 5000;
/// Longest reason of an extension or a forward.
pub const REASON_MAX: usize = 1000;
/// Longest applicant's name.
pub const NAME_MAX: usize = 200;
/// The term of an appeal, in working days, unless its topic's is set otherwise.
pub const TERM_DAYS: u32 = 15;
/// The working days within which an appeal outside the unit's competence is forwarded, and
/// within which the applicant is told of an extension.
pub const NOTICE_DAYS: u32 = 3;
/// The longest an extension may reach, in months from the appeal's receipt.
pub const EXTENSION_MONTHS: u32 = 2;
/// The shortest and longest term a topic may be given.
pub const TERM_RANGE: (u32, u32) = (1, 30);

/// Who filed it and how to answer, unless anonymous.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applicant {
    /// The applicant's name.
    pub name: String,
    /// A phone, `+7XXXXXXXXXX`.
    pub phone: Option<String>,
    /// An e-mail address.
    pub email: Option<String>,
}

/// An appeal as typed by staff or by a visitor.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct AppealInput {
    /// A channel code (staff only; the public form sets its own).
    #[serde(default)]
    pub channel: String,
    /// A topic code.
    #[serde(default)]
    pub topic: String,
    /// Anonymous: handled, but no answer is sent.
    #[serde(default)]
    pub anonymous: bool,
    /// The applicant's name.
    #[serde(default)]
    pub applicant_name: String,
    /// A phone to answer by.
    #[serde(default)]
    pub phone: String,
    /// An e-mail address to answer by.
    #[serde(default)]
    pub email: String,
    /// The district the appeal is about (its id), when no school is named.
    #[serde(default)]
    pub district: String,
    /// The school the appeal is about (its id).
    #[serde(default)]
    pub school: String,
    /// The child's IIN (staff only: the registry is searched within their scope).
    #[serde(default)]
    pub iin: String,
    /// What happened, what is asked.
    #[serde(default)]
    pub text: String,
}

/// A checked appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppealFields {
    /// How it came.
    pub channel: Channel,
    /// What about.
    pub topic: Topic,
    /// Who, unless anonymous.
    pub applicant: Option<Applicant>,
    /// The district named (ignored when a school is).
    pub district: Option<i64>,
    /// The school named.
    pub school: Option<i64>,
    /// The child's IIN.
    pub iin: Option<Iin>,
    /// The text.
    pub text: String,
}

fn id_field(c: &mut Checker, field: &str, text: &str) -> Option<i64> {
    match text.trim() {
        "" => None,
        t => t.parse::<i64>().ok().filter(|n| *n > 0).or_else(|| {
            c.push(FieldError::new(field, ErrorCode::InvalidChoice));
            None
        }),
    }
}

impl AppealInput {
    /// Checks every field at once. `public` is the channel of the public form (web or QR): then
    /// no channel is typed, no IIN is taken and a school or district must be named; staff type
    /// one of [`Channel::STAFF`]. Unless anonymous, a name and a phone or e-mail are asked for;
    /// an anonymous appeal keeps none of them.
    pub fn parse(&self, public: Option<Channel>) -> Result<AppealFields, Invalid> {
        let mut c = Checker::default();
        let channel = match public {
            Some(ch) => Some(ch),
            None => crate::aid::parse_choice(&mut c, "channel", &self.channel, |s| {
                Channel::parse(s).filter(|ch| Channel::STAFF.contains(ch))
            }),
        };
        let topic = crate::aid::parse_choice(&mut c, "topic", &self.topic, Topic::parse);
        let applicant = if self.anonymous {
            None
        } else {
            let name = c.text("applicant_name", &self.applicant_name, NAME_MAX);
            let phone = match self.phone.trim() {
                "" => None,
                p => crate::child::parse_phone(p).or_else(|| {
                    c.push(FieldError::new("phone", ErrorCode::PhoneFormat));
                    None
                }),
            };
            let email = match self.email.trim() {
                "" => None,
                e if crate::aid::is_email(e) => Some(e.to_lowercase()),
                _ => {
                    c.push(FieldError::new("email", ErrorCode::EmailFormat));
                    None
                }
            };
            if self.phone.trim().is_empty() && self.email.trim().is_empty() {
                c.push(FieldError::new("phone", ErrorCode::AppealContactRequired));
            }
            Some(Applicant { name, phone, email })
        };
        let district = id_field(&mut c, "district", &self.district);
        let school = id_field(&mut c, "school", &self.school);
        if public.is_some() && district.is_none() && school.is_none() && self.school.trim().is_empty() {
            c.push(FieldError::new("school", ErrorCode::Required));
        }
        let iin = match (public, self.iin.trim()) {
            (_, "") | (Some(_), _) => None,
            (None, typed) => Iin::parse(typed).map_err(|e| c.push(FieldError::new("iin", e.code()))).ok(),
        };
        let text = c.lines("text", &self.text, TEXT_MAX);
        match (channel, topic) {
            (Some(channel), Some(topic)) => {
                c.finish(AppealFields { channel, topic, applicant, district, school, iin, text })
            }
            _ => Err(c.finish(()).err().unwrap_or_else(|| Invalid::one("topic", ErrorCode::Required))),
        }
    }
}

/// Kazakhstan's offset from UTC (one time zone, UTC+5, since 1 March 2024).
pub const UTC_OFFSET_HOURS: i64 = 5;

/// The day in Kazakhstan at `t`: an appeal received at 01:00 in Almaty counts from that day,
/// not from the day before in UTC.
pub fn local_day(t: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    (t + chrono::Duration::hours(UTC_OFFSET_HOURS)).date_naive()
}

/// When an appeal is due, and the day it is escalated to the level above (when a quarter of
/// the term or less is left); it is escalated again the day after it is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Term {
    /// The last day of the term.
    pub due_on: NaiveDate,
    /// The working day after which a quarter of the term or less is left.
    pub warn_on: NaiveDate,
}

/// The term of `days` working days from `from` (the day of receipt, or of arrival at the unit a
/// forward sent it to), on the working-day calendar.
pub fn term(cal: &Calendar, from: NaiveDate, days: u32) -> Term {
    let days = days.max(1);
    Term { due_on: cal.add_working_days(from, days), warn_on: cal.add_working_days(from, days - days / 4) }
}

/// An extension as typed: the new last day and why.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct ExtensionInput {
    /// The new last day, `15.12.2026`.
    #[serde(default)]
    pub until: String,
    /// The reasoned decision.
    #[serde(default)]
    pub reason: String,
}

impl ExtensionInput {
    /// Checks the new day: after the present due day, at most two months from receipt; and a
    /// reason. The new term's warning day is a quarter of its working days before it.
    pub fn parse(&self, cal: &Calendar, received: NaiveDate, due: NaiveDate) -> Result<(Term, String), Invalid> {
        let mut c = Checker::default();
        let reason = c.lines("reason", &self.reason, REASON_MAX);
        let latest = received.checked_add_months(Months::new(EXTENSION_MONTHS)).unwrap_or(received);
        let until = match crate::child::parse_date(&self.until) {
            None => {
                let code = if self.until.trim().is_empty() { ErrorCode::Required } else { ErrorCode::InvalidDate };
                c.push(FieldError::new("until", code));
                None
            }
            Some(d) if d <= due => {
                c.push(FieldError::new("until", ErrorCode::ExtensionTooShort));
                None
            }
            Some(d) if d > latest => {
                c.push(FieldError::new("until", ErrorCode::ExtensionTooLong).with_limit(i64::from(EXTENSION_MONTHS)));
                None
            }
            Some(d) => Some(d),
        };
        let until = c.finish(until)?.unwrap_or(due);
        let days = cal.working_days_between(received, until);
        let warn_on = cal.add_working_days(received, days - days / 4);
        Ok((Term { due_on: until, warn_on: warn_on.min(until) }, reason))
    }
}

/// Checks an answer's text.
pub fn parse_answer(text: &str) -> Result<String, Invalid> {
    let mut c = Checker::default();
    let answer = c.lines("answer", text, ANSWER_MAX);
    c.finish(answer)
}

/// Checks a topic's term typed by the republic.
pub fn parse_term_days(text: &str) -> Result<u32, Invalid> {
    text.trim().parse::<u32>().ok().filter(|n| (TERM_RANGE.0..=TERM_RANGE.1).contains(n)).ok_or_else(|| {
        Invalid(vec![FieldError::new("days", ErrorCode::NumberRange).with_limit(i64::from(TERM_RANGE.1))])
    })
}

/// The letters a tracking code is made of: digits and capitals, without 0, 1, I and O, which a
/// person reading one aloud confuses.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// How many letters a tracking code has: 12 of 32 are 60 random bits.
pub const CODE_LEN: usize = 12;

/// A new random tracking code, `7KQ2-MX9D-4TRW` (shown in three groups, stored without dashes).
pub fn new_code() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..CODE_LEN).map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())])).collect()
}

/// A tracking code as a person may type it (lower case, with spaces or dashes, `O` for zero is
/// not possible: there is none), as stored; none if it cannot be one.
pub fn normalize_code(text: &str) -> Option<String> {
    let code: String =
        text.chars().filter(|c| !matches!(c, ' ' | '-' | '\u{a0}')).map(|c| c.to_ascii_uppercase()).collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// A stored code in the groups it is shown in.
pub fn show_code(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    chars.chunks(4).map(|g| g.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// The unit an appeal belongs with, by what it is about: a complaint about a school goes to the
/// school's district (a school does not judge complaints about itself), one about a sponsor to
/// the region (sponsors are the region's), anything else to the school named, or the district.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Routing {
    /// The school named.
    School,
    /// The district of the school named (or the district named).
    District,
    /// The region.
    Region,
}

impl Topic {
    /// Where an appeal on this topic is routed.
    pub fn routing(self) -> Routing {
        match self {
            Topic::SchoolComplaint => Routing::District,
            Topic::SponsorComplaint => Routing::Region,
            _ => Routing::School,
        }
    }
}

#[cfg(test)]
mod tests;
