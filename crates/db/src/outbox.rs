//! The notifications' outbox: a message is written in the same transaction as the event it tells
//! of (so none is lost and none is sent for an event that was rolled back), claimed by one
//! server's worker for a while, sent, or tried again later, and given up after its last attempt;
//! what waits or failed is listed for the coordinators over the unit it concerns.

use chrono::Utc;
use domain::{Actor, Role};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::Db;
use crate::entity::{outbox, unit_contact, user};
use crate::error::Error;

/// A message to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// `email` or `sms`.
    pub channel: &'static str,
    /// An address or a phone.
    pub recipient: String,
    /// `ru` or `kk`.
    pub locale: String,
    /// What it tells of (the catalogues' `mail-{kind}-subject` and `-body`).
    pub kind: &'static str,
    /// The message's values.
    pub params: serde_json::Value,
    /// The record it is about.
    pub entity: Option<(&'static str, i64)>,
    /// The unit whose coordinators see it waiting or failed.
    pub unit_path: Option<String>,
}

/// Writes messages (in the caller's transaction).
pub async fn enqueue(txn: &impl ConnectionTrait, messages: Vec<Message>) -> Result<(), DbErr> {
    if messages.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let rows = messages.into_iter().map(|m| outbox::ActiveModel {
        channel: Set(m.channel.to_owned()),
        recipient: Set(m.recipient),
        locale: Set(m.locale),
        kind: Set(m.kind.to_owned()),
        params: Set(m.params.to_string()),
        entity: Set(m.entity.map(|(e, _)| e.to_owned())),
        entity_id: Set(m.entity.map(|(_, id)| id)),
        unit_path: Set(m.unit_path),
        created_at: Set(now),
        attempts: Set(0),
        next_at: Set(now.timestamp()),
        ..Default::default()
    });
    outbox::Entity::insert_many(rows).exec_without_returning(txn).await?;
    Ok(())
}

/// Where a unit is told of its work: its active coordinators' addresses (in their language) and
/// the unit's own mailbox, each once.
pub async fn unit_addresses(txn: &impl ConnectionTrait, unit_id: i64) -> Result<Vec<(String, String)>, DbErr> {
    use sea_orm::sea_query::{Query, UnionType};
    // The unit's coordinators with an address and the unit's own, in one statement.
    let mut q = Query::select();
    q.column(user::Column::Email)
        .expr(Expr::col(user::Column::Locale))
        .column(user::Column::Role)
        .from(user::Entity)
        .and_where(Expr::col(user::Column::OrgUnitId).eq(unit_id))
        .and_where(Expr::col(user::Column::Active).eq(true))
        .and_where(Expr::col(user::Column::Email).is_not_null());
    let mut own = Query::select();
    own.column(unit_contact::Column::Email)
        .expr(Expr::val(Some("ru")))
        .expr(Expr::val(Option::<String>::None))
        .from(unit_contact::Entity)
        .and_where(Expr::col(unit_contact::Column::UnitId).eq(unit_id))
        .and_where(Expr::col(unit_contact::Column::Email).is_not_null());
    q.union(UnionType::All, own);
    let mut out: Vec<(String, String)> = Vec::new();
    for r in txn.query_all(&q).await? {
        let (email, locale, role): (Option<String>, Option<String>, Option<String>) =
            (r.try_get_by_index(0)?, r.try_get_by_index(1)?, r.try_get_by_index(2)?);
        let told = role.as_deref().is_none_or(|r| Role::parse(r).is_some_and(Role::is_coordinator));
        if let (Some(e), true) = (email, told) {
            out.push((e, locale.unwrap_or_else(|| "ru".into())));
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.0.eq_ignore_ascii_case(&b.0));
    Ok(out)
}

/// The address of one account, if it has one.
pub async fn user_address(txn: &impl ConnectionTrait, id: i64) -> Result<Option<(String, String)>, DbErr> {
    let u = user::Entity::find_by_id(id).one(txn).await?;
    Ok(u.filter(|u| u.active).and_then(|u| u.email.map(|e| (e, u.locale.unwrap_or_else(|| "ru".into())))))
}

/// Messages due at `now` and not claimed by a live server, oldest first.
pub async fn due(db: &Db, now: i64, limit: u64) -> Result<Vec<outbox::Model>, DbErr> {
    outbox::Entity::find()
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::FailedAt.is_null())
        .filter(outbox::Column::NextAt.lte(now))
        .filter(Condition::any().add(outbox::Column::ClaimedUntil.is_null()).add(outbox::Column::ClaimedUntil.lt(now)))
        .order_by_asc(outbox::Column::NextAt)
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Claims a message for `runner` until `until` (epoch seconds); false when another server has it.
pub async fn claim(db: &Db, m: &outbox::Model, runner: &str, now: i64, until: i64) -> Result<bool, DbErr> {
    let done = outbox::Entity::update_many()
        .col_expr(outbox::Column::ClaimedBy, Expr::value(runner.chars().take(64).collect::<String>()))
        .col_expr(outbox::Column::ClaimedUntil, Expr::value(until))
        .filter(outbox::Column::Id.eq(m.id))
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::Attempts.eq(m.attempts))
        .filter(Condition::any().add(outbox::Column::ClaimedUntil.is_null()).add(outbox::Column::ClaimedUntil.lt(now)))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// The message went.
pub async fn sent(db: &Db, id: i64) -> Result<(), DbErr> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::SentAt, Expr::value(Utc::now()))
        .col_expr(outbox::Column::Attempts, Expr::col(outbox::Column::Attempts).add(1))
        .col_expr(outbox::Column::ClaimedUntil, Expr::value(Option::<i64>::None))
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// An attempt failed: tried again at `retry_at`, or given up (`None`).
pub async fn failed(db: &Db, id: i64, error: &str, retry_at: Option<i64>) -> Result<(), DbErr> {
    let mut q = outbox::Entity::update_many()
        .col_expr(outbox::Column::Attempts, Expr::col(outbox::Column::Attempts).add(1))
        .col_expr(outbox::Column::LastError, Expr::value(error.chars().take(1000).collect::<String>()))
        .col_expr(outbox::Column::ClaimedUntil, Expr::value(Option::<i64>::None));
    q = match retry_at {
        Some(at) => q.col_expr(outbox::Column::NextAt, Expr::value(at)),
        None => q.col_expr(outbox::Column::FailedAt, Expr::value(Utc::now())),
    };
    q.filter(outbox::Column::Id.eq(id)).exec(db).await?;
    Ok(())
}

/// Messages not sent (waiting or given up) about units in the coordinator's scope, newest first,
/// before the id of the page before.
pub async fn unsent(db: &Db, actor: &Actor, before: Option<i64>, limit: u64) -> Result<Vec<outbox::Model>, Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let mut q = outbox::Entity::find()
        .filter(outbox::Column::SentAt.is_null())
        .filter(crate::scope::starts_with(Expr::col(outbox::Column::UnitPath), actor.scope.path()));
    if let Some(id) = before {
        q = q.filter(outbox::Column::Id.lt(id));
    }
    Ok(q.order_by_desc(outbox::Column::Id).limit(limit).all(db).await?)
}
