//! An absence and a case's step as typed (on the school's page, in an e-journal's row, on a
//! phone that was offline): checked here, every problem at once.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{AbsenceReason, StepKind};
use crate::ErrorCode;
use crate::error::{Checker, FieldError, Invalid};

/// Longest outcome or note.
pub const TEXT_MAX: usize = 1000;

/// A pupil who did not come, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct AbsenceInput {
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
    /// The first school day missed.
    pub first_day: NaiveDate,
    /// Why.
    pub reason: AbsenceReason,
    /// Back at school on.
    pub returned_on: Option<NaiveDate>,
    /// A note.
    pub note: Option<String>,
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
        let first_day = past_date(&mut c, "first_day", &self.first_day, today, true);
        let reason = crate::aid::parse_choice(&mut c, "reason", &self.reason, AbsenceReason::parse);
        let returned_on = past_date(&mut c, "returned_on", &self.returned_on, today, false);
        if let (Some(first), Some(back)) = (first_day, returned_on)
            && back <= first
        {
            c.push(FieldError::new("returned_on", ErrorCode::ReturnBeforeAbsence));
        }
        let note = c.optional_text("note", &self.note, TEXT_MAX);
        match (first_day, reason) {
            (Some(first_day), Some(reason)) => c.finish(Absence { first_day, reason, returned_on, note }),
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
            (Some(kind), Some(due_on)) => c.finish(Step { client_id, kind, due_on, done_on, outcome }),
            _ => Err(c.finish(()).err().unwrap_or_else(|| Invalid::one("kind", ErrorCode::Required))),
        }
    }
}
