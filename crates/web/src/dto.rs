//! The API's records that more than one area returns.

use app::entity::{ledger_entry, org_unit};
use app::users::UserWithUnit;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// An org unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgUnitDto {
    /// Id.
    pub id: i64,
    /// `republic`, `region`, `district` or `school`.
    pub kind: String,
    /// The unit above.
    pub parent_id: Option<i64>,
    /// School number or ISO code.
    pub code: Option<String>,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in Kazakh.
    pub name_kk: String,
    /// Settlement (schools).
    pub settlement: Option<String>,
    /// Rural school? (schools)
    pub is_rural: Option<bool>,
    /// `kk`, `ru` or `mixed` (schools).
    pub language: Option<String>,
    /// Active?
    pub active: bool,
}

impl From<&org_unit::Model> for OrgUnitDto {
    fn from(u: &org_unit::Model) -> Self {
        OrgUnitDto {
            id: u.id,
            kind: u.kind.clone(),
            parent_id: u.parent_id,
            code: u.code.clone(),
            name_ru: u.name_ru.clone(),
            name_kk: u.name_kk.clone(),
            settlement: u.settlement.clone(),
            is_rural: u.is_rural,
            language: u.language.clone(),
            active: u.active,
        }
    }
}

/// A user account (never its password hash).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDto {
    /// Id.
    pub id: i64,
    /// Login.
    pub login: String,
    /// Full name.
    pub full_name: String,
    /// Role code.
    pub role: String,
    /// Org unit id.
    pub unit_id: i64,
    /// Active?
    pub active: bool,
    /// `ru` or `kk`; absent until the user picks one.
    pub locale: Option<String>,
    /// Must change the one-time password at next sign-in.
    pub must_change_password: bool,
}

impl From<&UserWithUnit> for UserDto {
    fn from(u: &UserWithUnit) -> Self {
        UserDto {
            id: u.user.id,
            login: u.user.login.clone(),
            full_name: u.user.full_name.clone(),
            role: u.user.role.clone(),
            unit_id: u.unit.id,
            active: u.user.active,
            locale: u.user.locale.clone(),
            must_change_password: u.user.must_change_password,
        }
    }
}

/// A ledger entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryDto {
    /// Id.
    id: i64,
    /// Child.
    child_id: i64,
    /// `fund`, `sponsor`, `fair`, `programme`.
    source: String,
    /// The sponsor, for sponsor help.
    sponsor_id: Option<i64>,
    /// `cash`, `goods`, `certificate`, `service`.
    form: String,
    /// Tiyn; negative on a reversing entry.
    amount: i64,
    /// `planned`, `delivered`, `confirmed`.
    status: String,
    /// Date of the help.
    date: NaiveDate,
    /// Soft credit.
    organised_by: Option<String>,
    /// A one-off giver's kind (`company`, `parents`, `alumni`, `person`…).
    giver_kind: Option<String>,
    /// The entry this one reverses.
    reverses_id: Option<i64>,
    /// Why (reversals).
    reason: Option<String>,
    /// Who recorded it.
    recorded_login: String,
    /// When.
    created_at: DateTime<Utc>,
}

impl From<&ledger_entry::Model> for EntryDto {
    fn from(e: &ledger_entry::Model) -> Self {
        EntryDto {
            id: e.id,
            child_id: e.child_id,
            source: e.source.clone(),
            sponsor_id: e.sponsor_id,
            form: e.form.clone(),
            amount: e.amount,
            status: e.status.clone(),
            date: e.entry_date,
            organised_by: e.organised_by.clone(),
            giver_kind: e.giver_kind.clone(),
            reverses_id: e.reverses_id,
            reason: e.reason.clone(),
            recorded_login: e.recorded_login.clone(),
            created_at: e.created_at,
        }
    }
}

/// `2026-09-01.42` → the day and id a page of a list ordered by day ends with.
pub fn parse_day_cursor(s: &str) -> Option<(NaiveDate, i64)> {
    let (day, id) = s.split_once('.')?;
    Some((NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?, id.parse().ok()?))
}

/// The cursor of a page's last row in a list ordered by day.
pub fn day_cursor((day, id): (NaiveDate, i64)) -> String {
    format!("{}.{id}", day.format("%Y-%m-%d"))
}
