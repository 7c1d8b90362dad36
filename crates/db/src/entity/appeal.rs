//! `appeals`: a citizen's appeal (обращение) with its term, assignee and answer.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "appeals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The tracking code, 12 letters and digits, random.
    pub code: String,
    pub channel: String,
    pub topic: String,
    pub status: String,
    pub anonymous: i16,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub applicant_email: Option<String>,
    pub body: String,
    pub about_school_id: Option<i64>,
    pub child_id: Option<i64>,
    /// The unit in charge.
    pub unit_id: i64,
    pub unit_path: String,
    pub region_id: Option<i64>,
    pub district_id: Option<i64>,
    pub school_id: Option<i64>,
    pub received_at: DateTimeUtc,
    pub received_on: Date,
    /// Receipt, or arrival at the unit a forward sent it to.
    pub term_from: Date,
    pub warn_on: Date,
    pub due_on: Date,
    pub extended: i16,
    pub extension_reason: Option<String>,
    /// 0: none; 1: the level above told (a quarter of the term left); 2: overdue.
    pub escalation: i16,
    pub assignee_id: Option<i64>,
    pub answer: Option<String>,
    pub answered_on: Option<Date>,
    pub answered_at: Option<DateTimeUtc>,
    pub answered_by: Option<i64>,
    pub closed_at: Option<DateTimeUtc>,
    /// The applicant's "was the problem solved?": 1 yes, 0 no.
    pub solved: Option<i16>,
    pub registered_by: Option<i64>,
    pub client_key: Option<String>,
    pub client_addr: Option<String>,
    /// The applicant's language (`ru`, `kk`): what it is written to in.
    pub locale: String,
    pub version: i32,
    pub updated_at: DateTimeUtc,
    /// 1: forwarded later than three working days after it arrived (m0022).
    pub forwarded_late: i16,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
