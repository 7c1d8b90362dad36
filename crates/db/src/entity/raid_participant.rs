//! `raid_participants`: how many of each category took part in a raid.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "raid_participants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub raid_id: i64,
    /// A participant kind code.
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    pub count: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
