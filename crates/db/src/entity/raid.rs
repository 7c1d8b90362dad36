//! `raids`: a raid (рейд) held by a region, a district or a school on a day.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "raids")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub campaign_id: i64,
    /// The organiser.
    pub unit_id: i64,
    /// The organiser's path: scope is a prefix of it.
    pub unit_path: String,
    /// The organiser's region, district and school (none above its level).
    pub region_id: Option<i64>,
    pub district_id: Option<i64>,
    pub school_id: Option<i64>,
    pub held_on: Date,
    /// `18:30`.
    pub starts_at: Option<String>,
    pub note: Option<String>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Raised by every change.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
