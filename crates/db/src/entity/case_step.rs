//! `case_steps`: what is done for a case, with an owner, a due date and an outcome.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "case_steps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    /// The case's absence (the task list names the pupil from it).
    pub absence_id: i64,
    /// The phone's id when made offline: the idempotency key.
    pub client_id: Option<String>,
    pub campaign_id: i64,
    pub region_id: i64,
    pub district_id: i64,
    pub school_id: i64,
    /// A step kind code.
    pub kind: String,
    pub owner_id: Option<i64>,
    pub due_on: Date,
    pub done_on: Option<Date>,
    pub outcome: Option<String>,
    /// `todo`, `done` or `dropped`.
    pub state: String,
    /// None when the early warning made it.
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_by: Option<i64>,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
