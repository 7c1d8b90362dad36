//! `school_reports`: what a school writes into its campaign report by hand.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "school_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub campaign_id: i64,
    pub school_id: i64,
    pub measures: String,
    pub raids: i32,
    pub raids_note: String,
    pub updated_by: i64,
    pub updated_login: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
