//! `children`: the registry, one record per IIN per campaign.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "children")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub campaign_id: i64,
    pub iin: String,
    pub surname: String,
    pub first_name: String,
    pub patronymic: Option<String>,
    pub birth_date: Date,
    pub sex: String,
    pub school_id: i64,
    /// The school's path, so scope is a prefix test on the child's own row.
    pub unit_path: String,
    pub grade: i16,
    pub study_language: String,
    /// Category codes, comma-separated (the `child_categories` rows are for filtering).
    pub categories: String,
    pub decision_no: Option<String>,
    pub decision_date: Option<Date>,
    pub guardian_name: String,
    pub guardian_relation: Option<String>,
    pub guardian_phone: Option<String>,
    pub address: Option<String>,
    pub settlement: Option<String>,
    pub family_children: Option<i16>,
    pub consent_by: String,
    pub consent_method: String,
    pub consent_date: Date,
    pub source: String,
    pub status: String,
    pub status_reason: Option<String>,
    #[serde(skip)]
    pub search_key: String,
    /// The estimated cost of all needs, in tiyn.
    pub needs_cost: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
