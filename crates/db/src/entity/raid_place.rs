//! `raid_places`: where a raid goes, in order.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "raid_places")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub raid_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i16,
    /// A place kind code.
    pub kind: String,
    pub address: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
