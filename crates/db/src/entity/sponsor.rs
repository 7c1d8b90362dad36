//! `sponsors`: companies, entrepreneurs, collectives and people who help.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "sponsors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub bin_iin: Option<String>,
    pub contact: Option<String>,
    pub phone: Option<String>,
    /// E-mail (asked of a sponsor's own application).
    pub email: Option<String>,
    pub region_id: i64,
    pub approved: bool,
    /// Refused by the region coordinator (a self-registration).
    pub rejected: bool,
    /// Registered by the sponsor itself, not by a coordinator.
    pub self_registered: bool,
    pub created_at: DateTimeUtc,
    /// The client address a self-registration came from (to flag likely duplicates).
    pub applied_from: Option<String>,
    /// The sponsor already registered under the BIN or IIN this application gave (the
    /// application keeps no BIN of its own then).
    pub duplicate_of: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
