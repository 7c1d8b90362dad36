//! The raids API's shapes: what goes over the wire, in the OpenAPI description.

use app::raids::{FindingView, RaidLine, RaidView};
use chrono::{DateTime, NaiveDate, Utc};
use domain::raid::{FindingInput, RaidInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A raid to plan or record.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RaidBody {
    /// The organiser (a region, a district or a school in scope); the caller's unit by default.
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// The version the change was made on (for a change).
    #[serde(default)]
    pub version: Option<i32>,
    /// The raid.
    pub raid: RaidInput,
    /// The raid members' accounts to assign.
    #[serde(default)]
    pub members: Vec<i64>,
}

/// A place of a raid.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceDto {
    /// A place kind code.
    kind: String,
    /// Address or name.
    address: Option<String>,
}

/// A raid.
#[derive(Debug, Serialize, ToSchema)]
pub struct RaidDto {
    /// Id.
    id: i64,
    /// The organiser.
    unit_id: i64,
    /// The day.
    held_on: NaiveDate,
    /// From, `18:30`.
    starts_at: Option<String>,
    /// A note.
    note: Option<String>,
    /// Raised by every change; send it back with a change.
    version: i32,
    /// Where it goes.
    places: Vec<PlaceDto>,
    /// A count per participant category code.
    participants: Vec<(String, i32)>,
    /// The accounts assigned: id and login.
    members: Vec<(i64, String)>,
}

impl From<RaidView> for RaidDto {
    fn from(v: RaidView) -> Self {
        RaidDto {
            id: v.raid.id,
            unit_id: v.raid.unit_id,
            held_on: v.raid.held_on,
            starts_at: v.raid.starts_at,
            note: v.raid.note,
            version: v.raid.version,
            places: v.places.into_iter().map(|p| PlaceDto { kind: p.kind, address: p.address }).collect(),
            participants: v.participants.into_iter().map(|p| (p.kind, p.count)).collect(),
            members: v.members.into_iter().map(|(id, login, _)| (id, login)).collect(),
        }
    }
}

/// A raid as the list shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RaidLineDto {
    /// Id.
    id: i64,
    /// The organiser.
    unit_id: i64,
    /// The day.
    held_on: NaiveDate,
    /// Place kind codes, in order.
    places: Vec<String>,
    /// Participants in all.
    participants: i64,
    /// Children found.
    findings: i64,
}

impl From<RaidLine> for RaidLineDto {
    fn from(l: RaidLine) -> Self {
        RaidLineDto {
            id: l.raid.id,
            unit_id: l.raid.unit_id,
            held_on: l.raid.held_on,
            places: l.places,
            participants: l.participants,
            findings: l.findings,
        }
    }
}

/// A page of raids, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RaidPage {
    /// The raids.
    pub rows: Vec<RaidLineDto>,
    /// Pass as `after` for the next page (none on the last).
    pub next_after: Option<String>,
}

/// A child a raid found, as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FindingDto {
    /// Id.
    id: i64,
    /// The raid.
    raid_id: i64,
    /// The phone's id.
    client_id: String,
    /// Raised by every change; send it back as `base_version` with a change.
    version: i32,
    /// The IIN (only to whom it may be shown).
    iin: Option<String>,
    /// The name (only to whom it may be shown).
    name: Option<String>,
    /// `male` or `female`.
    sex: String,
    /// Approximate age.
    age: Option<i16>,
    /// Place kind code.
    place: String,
    /// Address or name of the place.
    address: Option<String>,
    /// When, `21:40`.
    found_at: Option<String>,
    /// Circumstances (only to whom they may be shown).
    circumstances: Option<String>,
    /// Action code.
    action: String,
    /// Whether the IIN is on the campaign's registry.
    registered: bool,
    /// The child's record, when the caller's scope covers it.
    child_id: Option<i64>,
    /// Whether the caller wrote it.
    mine: bool,
    /// Its photos the caller may see (ids; in a raid's list of findings).
    photos: Vec<i64>,
    /// Last changed.
    updated_at: DateTime<Utc>,
}

impl From<FindingView> for FindingDto {
    fn from(v: FindingView) -> Self {
        let f = v.finding;
        FindingDto {
            id: f.id,
            raid_id: f.raid_id,
            client_id: f.client_id,
            version: f.version,
            iin: f.iin,
            name: f.name,
            sex: f.sex,
            age: f.age,
            place: f.place,
            address: f.address,
            found_at: f.found_at,
            circumstances: f.circumstances,
            action: f.action,
            registered: v.registered,
            child_id: v.child_id,
            mine: v.mine,
            photos: v.photos,
            updated_at: f.updated_at,
        }
    }
}

/// A finding to record, or a change to one.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FindingBody {
    /// The version the change was made on (none for a new finding).
    #[serde(default)]
    pub base_version: Option<i32>,
    /// The finding.
    pub finding: FindingInput,
}

/// A conflict kept for a coordinator.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictDto {
    /// Id.
    pub id: i64,
    /// The version the phone changed.
    pub base_version: i32,
    /// The finding's version when the change arrived.
    pub server_version: i32,
    /// Who made the change (login).
    pub proposed_by: String,
    /// When it arrived.
    pub proposed_at: DateTime<Utc>,
    /// The phone's change as typed.
    pub proposed: FindingInput,
    /// The finding as the server holds it.
    pub server: FindingDto,
    /// `kept` or `applied` once decided.
    pub resolution: Option<String>,
}

impl From<app::raids::ConflictView> for ConflictDto {
    fn from(c: app::raids::ConflictView) -> Self {
        ConflictDto {
            id: c.conflict.id,
            base_version: c.conflict.base_version,
            server_version: c.conflict.server_version,
            proposed_by: c.proposed_by,
            proposed_at: c.conflict.proposed_at,
            proposed: c.proposed,
            server: c.server.into(),
            resolution: c.conflict.resolution,
        }
    }
}

/// A coordinator's decision on a conflict.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResolveBody {
    /// Apply the phone's change (true) or keep the server's version (false).
    pub apply: bool,
}

/// One record kept on a phone.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SyncItemDto {
    /// The raid.
    pub raid_id: i64,
    /// The version the phone changed (none for a finding made on the phone).
    #[serde(default)]
    pub base_version: Option<i32>,
    /// The finding.
    pub finding: FindingInput,
}

/// What a phone kept while offline.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SyncBody {
    /// The records, at most 500.
    pub items: Vec<SyncItemDto>,
}

/// What became of one record.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncResult {
    /// The phone's id of the record.
    pub client_id: String,
    /// `saved` (held by the server, once), `conflict` (kept for a coordinator) or `refused`.
    pub state: &'static str,
    /// The record as the server holds it (saved or conflict).
    pub finding: Option<FindingDto>,
    /// The conflict (state `conflict`).
    pub conflict_id: Option<i64>,
    /// `kept` or `applied` when a coordinator decided the conflict already.
    pub resolution: Option<String>,
    /// Why it was refused (state `refused`), in the caller's language.
    pub error: Option<crate::error::ApiErrorBody>,
}

/// The batch's answer, one result per record in the order sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncAnswer {
    /// The results.
    pub results: Vec<SyncResult>,
}
