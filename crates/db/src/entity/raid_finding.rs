//! `raid_findings`: a child a raid found, keyed by the id the phone made for it.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "raid_findings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub raid_id: i64,
    pub campaign_id: i64,
    /// The raid's path.
    pub unit_path: String,
    /// The phone's id (a UUID, lower case): the idempotency key.
    pub client_id: String,
    pub iin: Option<String>,
    pub name: Option<String>,
    pub sex: String,
    pub age: Option<i16>,
    /// A place kind code.
    pub place: String,
    pub address: Option<String>,
    /// `21:40`.
    pub found_at: Option<String>,
    pub circumstances: Option<String>,
    /// An action code.
    pub action: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_by: i64,
    pub updated_at: DateTimeUtc,
    /// Raised by every change; an offline change names the version it was made on.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
