//! `unit_contacts`: where the public reaches a unit (hotline, trust phone, reception, e-mail).
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Default)]
#[sea_orm(table_name = "unit_contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: i64,
    pub hotline: Option<String>,
    pub trust_phone: Option<String>,
    /// The public reception's place and hours.
    pub reception: Option<String>,
    pub email: Option<String>,
    pub updated_by: Option<i64>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
