//! `outbox`: a notification to send, written with the event it tells of.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `email` or `sms`.
    pub channel: String,
    pub recipient: String,
    pub locale: String,
    /// What it tells of: `appeal_registered`, `appeal_answered`, …
    pub kind: String,
    /// The message's values, JSON.
    pub params: String,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    /// The unit whose coordinators see it waiting or failed.
    pub unit_path: Option<String>,
    pub created_at: DateTimeUtc,
    pub attempts: i16,
    /// Epoch seconds.
    pub next_at: i64,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<i64>,
    pub sent_at: Option<DateTimeUtc>,
    pub failed_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
