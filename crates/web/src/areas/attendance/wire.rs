//! The attendance API's shapes: what goes over the wire, in the OpenAPI description.

use app::attendance::{AbsenceLine, CaseView, Task};
use app::entity::{absence, case, case_step};
use chrono::NaiveDate;
use domain::attendance::{AbsenceInput, ClosingInput, StepInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A pupil who did not come, for a school (the caller's own by default).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AbsenceBody {
    /// The school.
    #[serde(default)]
    pub school_id: Option<i64>,
    /// The pupil and the absence.
    pub absence: AbsenceInput,
}

/// A pupil out of school.
#[derive(Debug, Serialize, ToSchema)]
pub struct AbsenceDto {
    id: i64,
    school_id: i64,
    iin: String,
    surname: String,
    first_name: String,
    grade: Option<i16>,
    /// The aid registry's record with the same IIN, if there is one.
    child_id: Option<i64>,
    first_day: NaiveDate,
    /// A reason code; none until the school says.
    reason: Option<String>,
    returned_on: Option<NaiveDate>,
    /// School days out so far.
    days_out: i32,
    note: Option<String>,
    /// `typed` or `journal`.
    source: String,
    version: i32,
    /// Its case.
    case_id: Option<i64>,
    /// `open`, `signing` or `closed`.
    case_status: Option<String>,
}

impl AbsenceDto {
    /// An absence with its case.
    pub fn new(a: absence::Model, case: Option<(i64, String)>) -> Self {
        AbsenceDto {
            id: a.id,
            school_id: a.school_id,
            iin: a.iin,
            surname: a.surname,
            first_name: a.first_name,
            grade: a.grade,
            child_id: a.child_id,
            first_day: a.first_day,
            reason: a.reason,
            returned_on: a.returned_on,
            days_out: a.days_out,
            note: a.note,
            source: a.source,
            version: a.version,
            case_id: case.as_ref().map(|c| c.0),
            case_status: case.map(|c| c.1),
        }
    }
}

impl From<AbsenceLine> for AbsenceDto {
    fn from(l: AbsenceLine) -> Self {
        AbsenceDto::new(l.absence, l.case)
    }
}

/// A page of pupils out.
#[derive(Debug, Serialize, ToSchema)]
pub struct AbsencePage {
    /// Most days out first.
    pub rows: Vec<AbsenceDto>,
    /// Pass as `after` for the next page.
    pub next_after: Option<String>,
}

/// Pupils out by reason.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonsDto {
    /// Pupils in all.
    pub total: i64,
    /// Back at school.
    pub back: i64,
    /// Still out.
    pub out: i64,
    /// `(reason code, or "" not yet known; pupils; back)`.
    pub by_reason: Vec<(String, i64, i64)>,
}

/// The day's roll of a school.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RollBody {
    /// The school (the caller's own by default).
    #[serde(default)]
    pub school_id: Option<i64>,
    /// The school day, `02.09.2026`.
    pub day: String,
    /// Absences of pupils still out that day.
    #[serde(default)]
    pub out: Vec<i64>,
    /// Absences of pupils who came back that day.
    #[serde(default)]
    pub back: Vec<i64>,
}

/// A step of a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepDto {
    id: i64,
    client_id: Option<String>,
    kind: String,
    owner_id: Option<i64>,
    owner: Option<String>,
    due_on: NaiveDate,
    done_on: Option<NaiveDate>,
    outcome: Option<String>,
    /// `todo`, `done` or `dropped` (the case closed first).
    state: String,
    /// Due before today and not done.
    overdue: bool,
    version: i32,
}

impl StepDto {
    /// A step with its owner's name.
    pub fn new(s: case_step::Model, owner: Option<String>, overdue: bool) -> Self {
        StepDto {
            id: s.id,
            client_id: s.client_id,
            kind: s.kind,
            owner_id: s.owner_id,
            owner,
            due_on: s.due_on,
            done_on: s.done_on,
            outcome: s.outcome,
            state: s.state,
            overdue,
            version: s.version,
        }
    }
}

/// A case.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDto {
    id: i64,
    /// `open`, `signing` (awaiting the district's second signature) or `closed`.
    status: String,
    opened_on: NaiveDate,
    /// Who opened it; none when the early warning did.
    opened_by: Option<i64>,
    /// `streak` or `low_share` when the early warning opened it.
    warning: Option<String>,
    /// Days in a row, or the share present in thousandths.
    warning_value: Option<i32>,
    closing: Option<String>,
    closed_on: Option<NaiveDate>,
    receiving_school: Option<String>,
    closing_note: Option<String>,
    signed_by: Option<i64>,
    version: i32,
    absence: AbsenceDto,
    steps: Vec<StepDto>,
}

impl From<CaseView> for CaseDto {
    fn from(v: CaseView) -> Self {
        let k: case::Model = v.case;
        CaseDto {
            id: k.id,
            absence: AbsenceDto::new(v.absence, Some((k.id, k.status.clone()))),
            status: k.status,
            opened_on: k.opened_on,
            opened_by: k.opened_by,
            warning: k.warning,
            warning_value: k.warning_value,
            closing: k.closing,
            closed_on: k.closed_on,
            receiving_school: k.receiving_school,
            closing_note: k.closing_note,
            signed_by: k.signed_by,
            version: k.version,
            steps: v.steps.into_iter().map(|s| StepDto::new(s.step, s.owner, s.overdue)).collect(),
        }
    }
}

/// A step to add, or a change to one.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StepBody {
    /// The version read (for a change).
    #[serde(default)]
    pub version: Option<i32>,
    /// The step.
    pub step: StepInput,
    /// Sent from the phone's outbox: a change on a version changed since is kept as a conflict
    /// (answered 409 with the conflict) instead of refused.
    #[serde(default)]
    pub offline: bool,
}

/// How a case closes.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CloseBody {
    /// The closing.
    pub closing: ClosingInput,
}

/// The district's second signature.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SignBody {
    /// Sign (true) or refuse, which opens the case again (false).
    pub agree: bool,
}

/// A step still to do.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskDto {
    /// The case.
    case_id: i64,
    /// The pupil, `Surname First`.
    pupil: String,
    /// The step.
    step: StepDto,
}

impl From<Task> for TaskDto {
    fn from(t: Task) -> Self {
        TaskDto { case_id: t.step.case_id, pupil: t.pupil, step: StepDto::new(t.step, None, t.overdue) }
    }
}

/// A page of the task list.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskPage {
    /// Soonest due first.
    pub rows: Vec<TaskDto>,
    /// Pass as `after` for the next page.
    pub next_after: Option<String>,
}

/// A region's early-warning thresholds.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ThresholdsDto {
    /// School days absent in a row.
    pub streak: u16,
    /// The least share of a month's school days present, in thousandths (330: 33 %).
    pub share_permille: u16,
}
