//! What an appeal's events tell, and to whom, written to the outbox in the event's transaction:
//! the applicant who gave an address (registered, forwarded, extended, answered), the unit in
//! charge (a new appeal, one forwarded to it), the level above and the assignee (escalations).

use domain::format::date;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use serde_json::{Value, json};

use crate::entity::{appeal, org_unit};
use crate::outbox::{Message, enqueue, unit_addresses, user_address};

fn message(a: &appeal::Model, to: (String, String), kind: &'static str, params: Value) -> Message {
    Message {
        channel: "email",
        recipient: to.0,
        locale: to.1,
        kind,
        params,
        entity: Some(("appeal", a.id)),
        unit_path: Some(a.unit_path.clone()),
    }
}

/// The values every message of an appeal carries.
async fn values(txn: &impl ConnectionTrait, a: &appeal::Model) -> Result<Value, DbErr> {
    let unit = org_unit::Entity::find_by_id(a.unit_id).one(txn).await?;
    Ok(json!({
        "code": domain::appeal::show_code(&a.code),
        "id": a.id,
        "topic": a.topic,
        "due_on": date(a.due_on),
        "unit_ru": unit.as_ref().map(|u| u.name_ru.clone()).unwrap_or_default(),
        "unit_kk": unit.as_ref().map(|u| u.name_kk.clone()).unwrap_or_default(),
    }))
}

/// Tells the applicant (if it gave an e-mail) of `kind`, with `extra` values.
pub(super) async fn applicant(
    txn: &impl ConnectionTrait,
    a: &appeal::Model,
    kind: &'static str,
    extra: Value,
) -> Result<(), DbErr> {
    let Some(email) = a.applicant_email.clone() else { return Ok(()) };
    let mut v = values(txn, a).await?;
    if let (Some(v), Some(extra)) = (v.as_object_mut(), extra.as_object()) {
        v.extend(extra.clone());
    }
    enqueue(txn, vec![message(a, (email, a.locale.clone()), kind, v)]).await
}

/// Tells the unit in charge it has an appeal (new, or forwarded to it).
pub(super) async fn unit(txn: &impl ConnectionTrait, a: &appeal::Model) -> Result<(), DbErr> {
    let to = unit_addresses(txn, a.unit_id).await?;
    if to.is_empty() {
        return Ok(());
    }
    let v = values(txn, a).await?;
    enqueue(txn, to.into_iter().map(|t| message(a, t, "appeal_new", v.clone())).collect()).await
}

/// Tells the level above (and the assignee) that a quarter of the term is left (1) or it is
/// overdue (2).
pub(super) async fn escalated(
    txn: &impl ConnectionTrait,
    a: &appeal::Model,
    above: Option<i64>,
    level: i16,
) -> Result<(), DbErr> {
    let v = values(txn, a).await?;
    let mut to = match above {
        Some(u) => unit_addresses(txn, u).await?,
        None => Vec::new(),
    };
    if let Some(assignee) = a.assignee_id
        && let Some(addr) = user_address(txn, assignee).await?
    {
        to.push(addr);
    }
    to.sort();
    to.dedup();
    let kind = if level == 1 { "appeal_due_soon" } else { "appeal_overdue" };
    enqueue(txn, to.into_iter().map(|t| message(a, t, kind, v.clone())).collect()).await
}
