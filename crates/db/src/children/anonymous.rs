//! What a role that sees anonymised records may ask of the registry (a raid member): whether a
//! child is registered, by the exact IIN, and the child's code to link a finding to. Any search
//! that could pick a child out by a personal detail (a surname, part of an IIN, a category, a
//! need) is refused, and every lookup is in the audit log.

use domain::{Actor, ErrorCode, FieldError, Invalid};
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::json;

use super::list::Filter;
use crate::audit::{self, Entry, Who};

/// The filter's refusals for a role without personal data (none for the others).
pub(super) fn refusals(actor: &Actor, f: &Filter) -> Result<(), Invalid> {
    if actor.role.can_read_personal_data() {
        return Ok(());
    }
    let mut errors = Vec::new();
    let q = f.q.as_deref().map(str::trim).unwrap_or("");
    let whole_iin = q.len() == 12 && q.bytes().all(|b| b.is_ascii_digit());
    if !q.is_empty() && !whole_iin {
        errors.push(FieldError::new("q", ErrorCode::IinOnly));
    }
    for (field, value) in [("category", &f.category), ("need", &f.need)] {
        if value.as_deref().is_some_and(|v| !v.trim().is_empty()) {
            errors.push(FieldError::new(field, ErrorCode::PersonalFilter));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(Invalid(errors)) }
}

/// Writes a role without personal data's lookup by IIN to the audit log, with what it found.
pub(super) async fn log_lookup(
    db: &impl ConnectionTrait,
    actor: &Actor,
    f: &Filter,
    found: Option<i64>,
) -> Result<(), DbErr> {
    let q = f.q.as_deref().map(str::trim).unwrap_or("");
    if actor.role.can_read_personal_data() || q.is_empty() {
        return Ok(());
    }
    let entry = Entry {
        action: "lookup_iin",
        entity: "child",
        entity_id: found,
        unit_path: Some(actor.scope.path()),
        before: None,
        after: Some(json!({ "iin": q, "found": found.is_some() })),
    };
    audit::record(db, Who::User(actor), entry).await
}
