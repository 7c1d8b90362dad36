//! `survey_answers`: an answer to «Готов ли Ваш ребёнок к школе?», a lead when help is asked.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "survey_answers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub client_key: String,
    /// The school, or the district when no school was named.
    pub unit_id: i64,
    pub unit_path: String,
    pub region_id: Option<i64>,
    pub district_id: Option<i64>,
    pub school_id: Option<i64>,
    pub settlement: Option<String>,
    pub ready: i16,
    /// Comma-separated grades.
    pub grades: String,
    /// Comma-separated codes.
    pub missing: String,
    /// Comma-separated category codes.
    pub situation: String,
    pub contact_name: Option<String>,
    pub phone: Option<String>,
    pub consent: i16,
    pub locale: String,
    pub client_addr: Option<String>,
    pub created_at: DateTimeUtc,
    pub created_on: Date,
    /// `open`, `registered`, `closed`; none when no help was asked.
    pub lead_status: Option<String>,
    pub lead_child_id: Option<i64>,
    pub lead_reason: Option<String>,
    pub lead_by: Option<i64>,
    pub lead_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
