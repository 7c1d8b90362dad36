//! `ledger_entries`: every act of help; never edited (only `status` moves forward) or deleted.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "ledger_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub campaign_id: i64,
    pub child_id: i64,
    pub school_id: i64,
    pub unit_path: String,
    pub source: String,
    pub sponsor_id: Option<i64>,
    pub form: String,
    /// Tiyn; negative on a reversing entry.
    pub amount: i64,
    pub status: String,
    pub entry_date: Date,
    pub organised_by: Option<String>,
    /// A one-off giver's kind (a sponsor's kind code), when the giver is typed, not chosen.
    pub giver_kind: Option<String>,
    pub note: Option<String>,
    pub reverses_id: Option<i64>,
    pub reason: Option<String>,
    pub recorded_by: i64,
    pub recorded_login: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
