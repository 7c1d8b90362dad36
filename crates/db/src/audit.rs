//! The audit log: append-only (the database refuses UPDATE and DELETE on it).

use chrono::{DateTime, NaiveDate, Utc};
use domain::Actor;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;

use crate::entity::audit_log;

/// Who did it: a signed-in user, or somebody who only typed a login.
#[derive(Debug, Clone, Copy)]
pub enum Who<'a> {
    /// A signed-in user.
    User(&'a Actor),
    /// An anonymous attempt under this login (failed sign-in), or the command line.
    Login(Option<i64>, &'a str),
}

/// One entry to append.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// `create`, `update`, `deactivate`, `login`, `login_failed`, `access_denied`, `read_personal`, `export_personal`, …
    pub action: &'a str,
    /// `org_unit`, `user`, `api_token`, `session`, `child`, …
    pub entity: &'a str,
    /// The record's id.
    pub entity_id: Option<i64>,
    /// The path of the org unit the record belongs to, so auditors see it within their scope.
    pub unit_path: Option<&'a str>,
    /// The record before the change.
    pub before: Option<serde_json::Value>,
    /// The record after the change.
    pub after: Option<serde_json::Value>,
}

/// Appends an entry; call it inside the transaction that makes the change.
pub async fn record(conn: &impl ConnectionTrait, who: Who<'_>, entry: Entry<'_>) -> Result<(), DbErr> {
    let (actor_id, login) = match who {
        Who::User(a) => (Some(a.user_id.0), a.login.as_str()),
        Who::Login(id, login) => (id, login),
    };
    audit_log::ActiveModel {
        at: Set(Utc::now()),
        actor_id: Set(actor_id),
        actor_login: Set(login.chars().take(64).collect()),
        action: Set(entry.action.to_owned()),
        entity: Set(entry.entity.to_owned()),
        entity_id: Set(entry.entity_id),
        unit_path: Set(entry.unit_path.map(str::to_owned)),
        before: Set(entry.before.map(|v| v.to_string())),
        after: Set(entry.after.map(|v| v.to_string())),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Writes a refused attempt on a record outside the actor's scope; logged in the actor's own
/// scope so that their auditors see it.
pub async fn record_denial(conn: &impl ConnectionTrait, d: &crate::error::Denial) -> Result<(), DbErr> {
    tracing::warn!(login = %d.actor.login, entity = d.entity, id = d.id, "access outside scope refused");
    let entry = Entry {
        action: "access_denied",
        entity: d.entity,
        entity_id: Some(d.id),
        unit_path: Some(d.actor.scope.path()),
        before: None,
        after: Some(serde_json::json!({ "target_unit_path": d.target_path })),
    };
    record(conn, Who::User(&d.actor), entry).await
}

/// Writes a refusal by role (the actor may not do this at all, wherever it is): the route asked.
pub async fn record_refusal(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    method: &str,
    route: &str,
) -> Result<(), DbErr> {
    tracing::warn!(login = %actor.login, method, route, "refused by role");
    let entry = Entry {
        action: "access_refused",
        entity: "route",
        entity_id: None,
        unit_path: Some(actor.scope.path()),
        before: None,
        after: Some(serde_json::json!({ "method": method, "route": route, "role": actor.role.as_str() })),
    };
    record(conn, Who::User(actor), entry).await
}

/// Filters for browsing the log.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Filter {
    /// Exact login of the actor.
    pub actor: Option<String>,
    /// Exact action.
    pub action: Option<String>,
    /// Exact entity type.
    pub entity: Option<String>,
    /// Exact record id.
    pub entity_id: Option<i64>,
    /// From this day (inclusive, UTC).
    pub from: Option<NaiveDate>,
    /// To this day (inclusive, UTC).
    pub to: Option<NaiveDate>,
    /// Only entries older than this id (for paging).
    pub before_id: Option<i64>,
}

/// One entry as shown to an auditor.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// Entry id.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (login).
    pub actor_login: String,
    /// What.
    pub action: String,
    /// On what.
    pub entity: String,
    /// Which record.
    pub entity_id: Option<i64>,
    /// Before (JSON text).
    pub before: Option<String>,
    /// After (JSON text).
    pub after: Option<String>,
}

/// The newest entries in the actor's scope matching the filter, at most `limit`.
pub async fn list(conn: &impl ConnectionTrait, actor: &Actor, filter: &Filter, limit: u64) -> Result<Vec<View>, DbErr> {
    use audit_log::Column as C;
    let mut q = audit_log::Entity::find()
        .filter(crate::scope::starts_with(sea_orm::sea_query::Expr::col(C::UnitPath), actor.scope.path()));
    if let Some(v) = filter.actor.as_deref().filter(|v| !v.is_empty()) {
        q = q.filter(C::ActorLogin.eq(v.trim().to_lowercase()));
    }
    if let Some(v) = filter.action.as_deref().filter(|v| !v.is_empty()) {
        q = q.filter(C::Action.eq(v));
    }
    if let Some(v) = filter.entity.as_deref().filter(|v| !v.is_empty()) {
        q = q.filter(C::Entity.eq(v));
    }
    if let Some(v) = filter.entity_id {
        q = q.filter(C::EntityId.eq(v));
    }
    // The days are Kazakhstan's: a day starts at its midnight there (UTC+5).
    let midnight = |d: chrono::NaiveDate| {
        d.and_time(chrono::NaiveTime::MIN).and_utc() - chrono::Duration::hours(domain::appeal::UTC_OFFSET_HOURS)
    };
    if let Some(d) = filter.from {
        q = q.filter(C::At.gte(midnight(d)));
    }
    if let Some(d) = filter.to.and_then(|d| d.succ_opt()) {
        q = q.filter(C::At.lt(midnight(d)));
    }
    if let Some(v) = filter.before_id {
        q = q.filter(C::Id.lt(v));
    }
    let rows = q.order_by_desc(C::Id).limit(limit).all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| View {
            id: r.id,
            at: r.at,
            actor_login: r.actor_login,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            before: r.before,
            after: r.after,
        })
        .collect())
}
