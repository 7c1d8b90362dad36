//! `sync_conflicts`: a change made offline to a record changed meanwhile, kept for a coordinator.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "sync_conflicts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `finding` (a raid's) or `step` (a case's).
    pub record_kind: String,
    pub record_id: i64,
    /// The record's path.
    pub unit_path: String,
    /// The version the phone changed.
    pub base_version: i32,
    /// The record's version when the change arrived.
    pub server_version: i32,
    /// The change as sent (JSON).
    pub proposed: String,
    pub proposed_by: i64,
    pub proposed_at: DateTimeUtc,
    pub resolved_by: Option<i64>,
    pub resolved_at: Option<DateTimeUtc>,
    /// `kept` (the server's version stays) or `applied` (the phone's change was applied).
    pub resolution: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
