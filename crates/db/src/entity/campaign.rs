//! `campaigns` and their regional cash norms.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "campaigns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub year: i32,
    pub starts_on: Date,
    pub ends_on: Date,
    pub motto_ru: String,
    pub motto_kk: String,
    pub is_current: bool,
    /// The cash norm in tiyn where a region has none of its own.
    pub default_norm: i64,
    /// Days after a cash payment by which its proof of purchase is due.
    pub proof_days: i32,
    /// Days a pledge or plan may wait for delivery before it is listed.
    pub pledge_days: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
