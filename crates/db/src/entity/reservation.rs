//! `reservations`: a sponsor holds a child's need for 48 hours, then delivers it.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "reservations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub need_id: i64,
    pub child_id: i64,
    pub sponsor_id: i64,
    /// `active` (held), `awaiting` (the sponsor says delivered, the school has not confirmed),
    /// `delivered` (confirmed: help in the ledger), `declined` (the school did not receive it),
    /// `expired`, `cancelled`.
    pub status: String,
    pub expires_at: DateTimeUtc,
    /// The day the sponsor says it delivered (the ledger entry's date once confirmed).
    pub delivered_on: Option<Date>,
    pub entry_id: Option<i64>,
    pub created_at: DateTimeUtc,
    /// 1: the sponsor was told the hold is about to expire.
    pub expiry_told: i16,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
