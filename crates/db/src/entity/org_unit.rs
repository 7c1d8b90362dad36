//! `org_units`: the republic, regions, districts and schools.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "org_units")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub path: String,
    pub code: Option<String>,
    pub name_ru: String,
    pub name_kk: String,
    pub settlement: Option<String>,
    pub is_rural: Option<bool>,
    pub language: Option<String>,
    /// Lower-cased code, names and settlement, folded in Rust so search works alike on both databases.
    #[serde(skip)]
    pub search_key: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
