//! `absences`: a pupil who is not attending, one per pupil and campaign.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "absences")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub campaign_id: i64,
    /// The school's path.
    pub unit_path: String,
    pub region_id: i64,
    pub district_id: i64,
    pub school_id: i64,
    pub iin: String,
    pub surname: String,
    pub first_name: String,
    pub grade: Option<i16>,
    /// The registry record with the same IIN in the campaign, if any.
    pub child_id: Option<i64>,
    pub first_day: Date,
    /// A reason code; none until the school says (for a pupil the early warning found).
    pub reason: Option<String>,
    pub returned_on: Option<Date>,
    /// School days out so far.
    pub days_out: i32,
    pub note: Option<String>,
    /// `typed`, `journal` (the e-journal's file) or `warning` (the early warning).
    pub source: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_by: i64,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
