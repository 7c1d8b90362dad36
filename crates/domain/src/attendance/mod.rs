//! Pupils who do not come to school (MISSION.md §6): why, the steps that follow a pupil until it
//! is back, how a case closes, the early warning that opens one, and the calendar of school days
//! it counts on. The calendar is data per year that the republic edits (FIELD.md: the government
//! moves days off by decree), never computed from rules alone; 2026's is given as the first year.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::codes::code_enum;

mod input;

pub use crate::calendar::Calendar;
pub use input::{Absence, AbsenceInput, Closing, ClosingInput, Pupil, Step, StepInput, pupil};

code_enum!(
    /// Why a pupil is not at school.
    AbsenceReason {
        /// The family cannot get the pupil ready (clothes, shoes, supplies).
        Material = "material",
        /// The parents neglect the pupil's schooling.
        Neglect = "neglect",
        /// Left to themselves.
        LeftAlone = "left_alone",
        /// Illness.
        Illness = "illness",
        /// Moved away.
        Moved = "moved",
        /// Working.
        Working = "working",
        /// Another reason.
        Other = "other",
    }
);

code_enum!(
    /// A step of a case that follows a pupil until it is back at school.
    StepKind {
        /// A call to the family.
        Call = "call",
        /// A visit at home.
        HomeVisit = "home_visit",
        /// A talk with the social pedagogue.
        Talk = "talk",
        /// A referral to the juvenile commission (КДН).
        ReferralKdn = "referral_kdn",
        /// A referral to the police.
        ReferralPolice = "referral_police",
        /// A referral to social protection.
        ReferralSocial = "referral_social",
        /// A referral to a health service.
        ReferralHealth = "referral_health",
        /// Material help from the fund or a sponsor.
        MaterialHelp = "material_help",
    }
);

code_enum!(
    /// How a case ends.
    CaseClosing {
        /// The pupil is back at school.
        Returned = "returned",
        /// Moved, with the receiving school.
        Moved = "moved",
        /// Left the country.
        LeftCountry = "left_country",
        /// Another reason.
        Other = "other",
    }
);

impl CaseClosing {
    /// A case closed without the pupil back at school takes the district's second signature.
    pub fn needs_second_signature(self) -> bool {
        self != CaseClosing::Returned
    }
}

/// The first steps an early warning opens a case with, in order (the ladder of FIELD.md: a call,
/// the social pedagogue's talk, a home visit).
pub const FIRST_STEPS: [StepKind; 3] = [StepKind::Call, StepKind::Talk, StepKind::HomeVisit];

/// When a pupil's absences open a case: `streak` school days absent in a row, or present on
/// fewer than `share_permille` thousandths of a month's school days. Set per region; by default
/// 7 days and 33 %, Delhi's thresholds (FIELD.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// School days absent in a row.
    pub streak: u16,
    /// The least share of a month's school days present, in thousandths.
    pub share_permille: u16,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { streak: 7, share_permille: 330 }
    }
}

/// Why a warning was raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Warning {
    /// Absent this many school days in a row, up to the day given.
    Streak {
        /// Days in a row.
        days: u16,
        /// The last of them.
        until: NaiveDate,
    },
    /// Present on this share (thousandths) of the school days of a month that is over.
    LowShare {
        /// Present, thousandths.
        permille: u16,
        /// The month's first day.
        month: NaiveDate,
    },
}

impl Thresholds {
    /// The first warning a pupil's record raises: `days` are the school days (in order) with
    /// whether the pupil was present. A month counts for the share only once its last school day
    /// is in the record.
    pub fn warning(&self, days: &[(NaiveDate, bool)], calendar: &Calendar) -> Option<Warning> {
        let mut streak = 0u16;
        for (day, present) in days {
            streak = if *present { 0 } else { streak.saturating_add(1) };
            if self.streak > 0 && streak >= self.streak {
                return Some(Warning::Streak { days: streak, until: *day });
            }
        }
        let mut months: Vec<NaiveDate> = days.iter().filter_map(|(d, _)| d.with_day(1)).collect();
        months.dedup();
        for month in months {
            let of_month: Vec<&(NaiveDate, bool)> = days.iter().filter(|(d, _)| d.with_day(1) == Some(month)).collect();
            let last = calendar.school_days_of_month(month).last().copied();
            if of_month.last().map(|(d, _)| *d) != last || of_month.is_empty() {
                continue;
            }
            let present = of_month.iter().filter(|(_, p)| *p).count();
            let permille = u16::try_from(present * 1000 / of_month.len()).unwrap_or(1000);
            if permille < self.share_permille {
                return Some(Warning::LowShare { permille, month });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests;
