//! An absence and a case's step as typed (on the school's page, in an e-journal's row, on a
//! phone that was offline): checked here, every problem at once.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{AbsenceReason, CaseClosing, StepKind};
use crate::ErrorCode;
use crate::child::GRADE_MAX;
use crate::error::{Checker, FieldError, Invalid};
use crate::iin::Iin;

/// Longest outcome or note.
pub const TEXT_MAX: usize = 1000;

/// A pupil who did not come, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct AbsenceInput {
    /// The pupil's IIN.
    #[serde(default)]
    pub iin: String,
    /// Surname.
    #[serde(default)]
    pub surname: String,
    /// First name.
    #[serde(default)]
    pub first_name: String,
    /// Grade, 0 to 11 (empty when not known).
    #[serde(default)]
    pub grade: String,
    /// The first school day missed, `01.09.2026`.
    #[serde(default)]
    pub first_day: String,
    /// A reason code.
    #[serde(default)]
    pub reason: String,
    /// The day the pupil came back, if it has.
    #[serde(default)]
    pub returned_on: String,
    /// A note.
    #[serde(default)]
    pub note: String,
}

/// A checked absence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Absence {
    /// The pupil.
    pub pupil: Pupil,
    /// The first school day missed.
    pub first_day: NaiveDate,
    /// Why.
    pub reason: AbsenceReason,
    /// Back at school on.
    pub returned_on: Option<NaiveDate>,
    /// A note.
    pub note: Option<String>,
}

/// A pupil as a school names it: any pupil, in the aid registry or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pupil {
    /// IIN.
    pub iin: Iin,
    /// Surname.
    pub surname: String,
    /// First name.
    pub first_name: String,
    /// Grade.
    pub grade: Option<i16>,
}

/// Longest name.
const NAME_MAX: usize = 100;

/// Checks a pupil's IIN, names and grade (empty when not known).
pub fn pupil(c: &mut Checker, iin: &str, surname: &str, first_name: &str, grade: &str) -> Option<Pupil> {
    let iin = match Iin::parse(iin) {
        Ok(iin) => Some(iin),
        Err(e) => {
            c.push(FieldError::new("iin", if iin.trim().is_empty() { ErrorCode::Required } else { e.code() }));
            None
        }
    };
    let surname = c.text("surname", surname, NAME_MAX);
    let first_name = c.text("first_name", first_name, NAME_MAX);
    let grade = match grade.trim() {
        "" => None,
        g => match g.parse::<i16>() {
            Ok(g) if (0..=GRADE_MAX).contains(&g) => Some(g),
            _ => {
                c.push(FieldError::new("grade", ErrorCode::GradeRange).with_limit(i64::from(GRADE_MAX)));
                None
            }
        },
    };
    Some(Pupil { iin: iin?, surname, first_name, grade })
}

/// A required date, not after `today`.
fn past_date(c: &mut Checker, field: &str, text: &str, today: NaiveDate, required: bool) -> Option<NaiveDate> {
    match (text.trim(), crate::child::parse_date(text)) {
        ("", _) => {
            if required {
                c.push(FieldError::new(field, ErrorCode::Required));
            }
            None
        }
        (_, None) => {
            c.push(FieldError::new(field, ErrorCode::InvalidDate));
            None
        }
        (_, Some(d)) if d > today => {
            c.push(FieldError::new(field, ErrorCode::DateInFuture));
            None
        }
        (_, Some(d)) => Some(d),
    }
}

impl AbsenceInput {
    /// Checks every field: no day after `today`, no return before the absence.
    pub fn parse(&self, today: NaiveDate) -> Result<Absence, Invalid> {
        let mut c = Checker::default();
        let pupil = pupil(&mut c, &self.iin, &self.surname, &self.first_name, &self.grade);
        let first_day = past_date(&mut c, "first_day", &self.first_day, today, true);
        let reason = crate::aid::parse_choice(&mut c, "reason", &self.reason, AbsenceReason::parse);
        let returned_on = past_date(&mut c, "returned_on", &self.returned_on, today, false);
        if let (Some(first), Some(back)) = (first_day, returned_on)
            && back <= first
        {
            c.push(FieldError::new("returned_on", ErrorCode::ReturnBeforeAbsence));
        }
        let note = c.optional_text("note", &self.note, TEXT_MAX);
        match (pupil, first_day, reason) {
            (Some(pupil), Some(first_day), Some(reason)) => {
                c.finish(Absence { pupil, first_day, reason, returned_on, note })
            }
            _ => Err(c.finish(()).err().unwrap_or_else(|| Invalid::one("first_day", ErrorCode::Required))),
        }
    }
}

/// A case's step as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct StepInput {
    /// The id the phone made for it, when it was made offline (a UUID).
    #[serde(default)]
    pub client_id: String,
    /// A step kind code.
    #[serde(default)]
    pub kind: String,
    /// Due by, `10.09.2026`.
    #[serde(default)]
    pub due_on: String,
    /// Done on, when done.
    #[serde(default)]
    pub done_on: String,
    /// What came of it (required once done).
    #[serde(default)]
    pub outcome: String,
    /// The account that does it (by default whoever records the step).
    #[serde(default)]
    pub owner_id: Option<i64>,
}

/// A checked step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The phone's id, lower case.
    pub client_id: Option<String>,
    /// What.
    pub kind: StepKind,
    /// Due by.
    pub due_on: NaiveDate,
    /// Done on.
    pub done_on: Option<NaiveDate>,
    /// What came of it.
    pub outcome: Option<String>,
    /// Who does it.
    pub owner_id: Option<i64>,
}

impl StepInput {
    /// Checks every field: a step has a due date; one done says when (not after `today`) and what
    /// came of it.
    pub fn parse(&self, today: NaiveDate) -> Result<Step, Invalid> {
        let mut c = Checker::default();
        let client_id = match self.client_id.trim() {
            "" => None,
            id => {
                let id = id.to_lowercase();
                if !crate::raid::is_client_id(&id) {
                    c.push(FieldError::new("client_id", ErrorCode::ClientIdFormat));
                }
                Some(id)
            }
        };
        let kind = crate::aid::parse_choice(&mut c, "kind", &self.kind, StepKind::parse);
        let due_on = match crate::child::parse_date(&self.due_on) {
            Some(d) => Some(d),
            None => {
                let code = if self.due_on.trim().is_empty() { ErrorCode::Required } else { ErrorCode::InvalidDate };
                c.push(FieldError::new("due_on", code));
                None
            }
        };
        let done_on = past_date(&mut c, "done_on", &self.done_on, today, false);
        let outcome = c.optional_text("outcome", &self.outcome, TEXT_MAX);
        if done_on.is_some() && outcome.is_none() {
            c.push(FieldError::new("outcome", ErrorCode::Required));
        }
        match (kind, due_on) {
            (Some(kind), Some(due_on)) => {
                c.finish(Step { client_id, kind, due_on, done_on, outcome, owner_id: self.owner_id })
            }
            _ => Err(c.finish(()).err().unwrap_or_else(|| Invalid::one("kind", ErrorCode::Required))),
        }
    }
}

/// How a case is closed, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct ClosingInput {
    /// A closing code: `returned`, `moved`, `left_country`, `other`.
    #[serde(default)]
    pub closing: String,
    /// The day the pupil came back, or left.
    #[serde(default)]
    pub closed_on: String,
    /// The receiving school (required when the pupil moved).
    #[serde(default)]
    pub receiving_school: String,
    /// A note (required for another reason).
    #[serde(default)]
    pub note: String,
}

/// A checked closing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Closing {
    /// How.
    pub closing: CaseClosing,
    /// When.
    pub closed_on: NaiveDate,
    /// The receiving school.
    pub receiving_school: Option<String>,
    /// A note.
    pub note: Option<String>,
}

impl ClosingInput {
    /// Checks every field: a day not after `today` nor before the absence's `first_day`; the
    /// receiving school for a move; a note for another reason.
    pub fn parse(&self, first_day: NaiveDate, today: NaiveDate) -> Result<Closing, Invalid> {
        let mut c = Checker::default();
        let closing = crate::aid::parse_choice(&mut c, "closing", &self.closing, CaseClosing::parse);
        let closed_on = past_date(&mut c, "closed_on", &self.closed_on, today, true);
        if let Some(d) = closed_on
            && d < first_day
        {
            c.push(FieldError::new("closed_on", ErrorCode::ReturnBeforeAbsence));
        }
        let receiving_school = c.optional_text("receiving_school", &self.receiving_school, 300);
        let note = c.optional_text("note", &self.note, TEXT_MAX);
        if closing == Some(CaseClosing::Moved) && receiving_school.is_none() {
            c.push(FieldError::new("receiving_school", ErrorCode::Required));
        }
        if closing == Some(CaseClosing::Other) && note.is_none() {
            c.push(FieldError::new("note", ErrorCode::Required));
        }
        match (closing, closed_on) {
            (Some(closing), Some(closed_on)) => c.finish(Closing { closing, closed_on, receiving_school, note }),
            _ => Err(c.finish(()).err().unwrap_or_else(|| Invalid::one("closing", ErrorCode::Required))),
        }
    }
}
