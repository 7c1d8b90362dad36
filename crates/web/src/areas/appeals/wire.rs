//! The appeals API's shapes: what goes over the wire, in the OpenAPI description.

use app::appeals::{AppealView, PublicView};
use app::entity::appeal;
use chrono::{DateTime, NaiveDate, Utc};
use domain::appeal::{AppealInput, ExtensionInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An appeal as staff see it in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealLineDto {
    /// Id.
    pub id: i64,
    /// The tracking code, `7KQ2-MX9D-4TRW`.
    pub code: String,
    /// A channel code.
    pub channel: String,
    /// A topic code.
    pub topic: String,
    /// A status code.
    pub status: String,
    /// The unit in charge.
    pub unit_id: i64,
    /// Received.
    pub received_on: NaiveDate,
    /// The last day of the term.
    pub due_on: NaiveDate,
    /// Extended once.
    pub extended: bool,
    /// 0 none, 1 the level above told (a quarter of the term left), 2 overdue.
    pub escalation: i16,
    /// The assignee's account.
    pub assignee_id: Option<i64>,
    /// Answered on.
    pub answered_on: Option<NaiveDate>,
    /// Forwarded later than three working days after it arrived at the unit that passed it on.
    pub forwarded_late: bool,
    /// Looks like a second filing of another appeal (in a list; on a card, see `duplicates`).
    pub likely_duplicate: bool,
}

impl From<&appeal::Model> for AppealLineDto {
    fn from(a: &appeal::Model) -> Self {
        AppealLineDto {
            id: a.id,
            code: domain::appeal::show_code(&a.code),
            channel: a.channel.clone(),
            topic: a.topic.clone(),
            status: a.status.clone(),
            unit_id: a.unit_id,
            received_on: a.received_on,
            due_on: a.due_on,
            extended: a.extended == 1,
            escalation: a.escalation,
            assignee_id: a.assignee_id,
            answered_on: a.answered_on,
            forwarded_late: a.forwarded_late == 1,
            likely_duplicate: false,
        }
    }
}

/// A page of appeals.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealPage {
    /// The appeals.
    pub rows: Vec<AppealLineDto>,
    /// Send as `after` for the next page; none on the last.
    pub next_after: Option<String>,
}

/// One event of an appeal's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealEventDto {
    /// `registered`, `taken`, `assigned`, `forwarded`, `extended`, `answered`, `closed`,
    /// `escalated`, `overdue`, `feedback`.
    pub kind: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (a staff member's name; none for the public or the system).
    pub by: Option<String>,
    /// The unit it concerns (forwarded to, escalated to).
    pub unit_id: Option<i64>,
    /// A note (a forward's or an extension's reason).
    pub note: Option<String>,
}

/// An appeal as its card shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealDto {
    /// The line's fields.
    #[serde(flatten)]
    pub line: AppealLineDto,
    /// Anonymous: handled, no answer sent.
    pub anonymous: bool,
    /// The applicant's name.
    pub applicant_name: Option<String>,
    /// A phone to answer by.
    pub applicant_phone: Option<String>,
    /// An e-mail to answer by.
    pub applicant_email: Option<String>,
    /// The text.
    pub text: String,
    /// The school it is about.
    pub school_id: Option<i64>,
    /// The registry record it is about.
    pub child_id: Option<i64>,
    /// When it was received.
    pub received_at: DateTime<Utc>,
    /// The reason of the extension.
    pub extension_reason: Option<String>,
    /// The answer.
    pub answer: Option<String>,
    /// The applicant's "was it solved?".
    pub solved: Option<bool>,
    /// Raised by every change.
    pub version: i32,
    /// What happened, in order.
    pub events: Vec<AppealEventDto>,
    /// Appeals this one looks like a second filing of, in the caller's scope: their ids, oldest
    /// first.
    pub duplicates: Vec<i64>,
    /// How many more lie outside the caller's scope.
    pub duplicates_elsewhere: usize,
    /// While open: the last day to forward it if it is not the unit's competence.
    pub forward_by: Option<NaiveDate>,
}

impl From<&AppealView> for AppealDto {
    fn from(v: &AppealView) -> Self {
        let a = &v.appeal;
        AppealDto {
            line: AppealLineDto { likely_duplicate: !v.duplicates.0.is_empty() || v.duplicates.1 > 0, ..a.into() },
            duplicates: v.duplicates.0.iter().map(|(id, _)| *id).collect(),
            duplicates_elsewhere: v.duplicates.1,
            forward_by: v.forward_by,
            anonymous: a.anonymous == 1,
            applicant_name: a.applicant_name.clone(),
            applicant_phone: a.applicant_phone.clone(),
            applicant_email: a.applicant_email.clone(),
            text: a.body.clone(),
            school_id: a.about_school_id,
            child_id: v.child.as_ref().map(|(id, _)| *id),
            received_at: a.received_at,
            extension_reason: a.extension_reason.clone(),
            answer: a.answer.clone(),
            solved: a.solved.map(|s| s == 1),
            version: a.version,
            events: v
                .events
                .iter()
                .map(|(e, by, unit)| AppealEventDto {
                    kind: e.kind.clone(),
                    at: e.at,
                    by: by.clone(),
                    unit_id: unit.as_ref().map(|u| u.id),
                    note: e.note.clone(),
                })
                .collect(),
        }
    }
}

/// What the public sees of an appeal by its code.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrackDto {
    /// The code, `7KQ2-MX9D-4TRW`.
    pub code: String,
    /// A status code.
    pub status: String,
    /// Received.
    pub received_on: NaiveDate,
    /// The last day of the term.
    pub due_on: NaiveDate,
    /// Extended.
    pub extended: bool,
    /// The answer, once given (never for an anonymous appeal).
    pub answer: Option<String>,
    /// Answered on.
    pub answered_on: Option<NaiveDate>,
    /// The applicant's "was it solved?", once told.
    pub solved: Option<bool>,
}

impl From<PublicView> for TrackDto {
    fn from(v: PublicView) -> Self {
        TrackDto {
            code: domain::appeal::show_code(&v.code),
            status: v.status,
            received_on: v.received_on,
            due_on: v.due_on,
            extended: v.extended,
            answer: v.answer,
            answered_on: v.answered_on,
            solved: v.solved,
        }
    }
}

/// A public appeal: the form and its own key (a UUID made when the form was shown: the same key
/// sent again is the same appeal).
#[derive(Debug, Deserialize, ToSchema)]
pub struct PublicAppealBody {
    /// The form's key.
    #[serde(default)]
    pub client_key: String,
    /// Opened from a school's QR code.
    #[serde(default)]
    pub qr: bool,
    /// The appeal.
    #[serde(flatten)]
    pub appeal: AppealInput,
}

/// A receipt: the code to follow the appeal by, when and by whom it was received, its last day.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptDto {
    /// The appeal's id (staff only; none for the public).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The code, `7KQ2-MX9D-4TRW`.
    pub code: String,
    /// Received.
    pub received_at: DateTime<Utc>,
    /// The last day of the term.
    pub due_on: NaiveDate,
    /// The unit in charge.
    pub unit_id: i64,
}

impl ReceiptDto {
    /// A receipt of `a`, with its id for staff.
    pub fn of(a: &appeal::Model, staff: bool) -> Self {
        ReceiptDto {
            id: staff.then_some(a.id),
            code: domain::appeal::show_code(&a.code),
            received_at: a.received_at,
            due_on: a.due_on,
            unit_id: a.unit_id,
        }
    }
}

/// A forward to another unit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ForwardBody {
    /// The unit whose competence it is.
    pub unit_id: i64,
    /// Why.
    #[serde(default)]
    pub note: String,
}

/// An assignment.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignBody {
    /// A coordinator of the unit in charge.
    pub assignee_id: i64,
}

/// An answer.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerBody {
    /// The answer's text.
    #[serde(default)]
    pub answer: String,
}

/// The applicant's "was the problem solved?".
#[derive(Debug, Deserialize, ToSchema)]
pub struct FeedbackBody {
    /// Solved.
    pub solved: bool,
}

/// An extension.
pub type ExtendBody = ExtensionInput;
