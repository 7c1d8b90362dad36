//! `cases`: the follow-up of a pupil who is not attending, until it is back.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub absence_id: i64,
    pub campaign_id: i64,
    pub unit_path: String,
    pub region_id: i64,
    pub district_id: i64,
    pub school_id: i64,
    /// `open`, `signing` (closed without the pupil back, awaiting the district) or `closed`.
    pub status: String,
    pub opened_on: Date,
    /// Who opened it; none when the early warning did.
    pub opened_by: Option<i64>,
    /// `streak` or `low_share` when the early warning opened it.
    pub warning: Option<String>,
    /// Days in a row, or the share present in thousandths.
    pub warning_value: Option<i32>,
    /// A closing code.
    pub closing: Option<String>,
    pub closed_on: Option<Date>,
    pub receiving_school: Option<String>,
    pub closing_note: Option<String>,
    pub closed_by: Option<i64>,
    /// The district's second signature.
    pub signed_by: Option<i64>,
    pub signed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::absence::Entity", from = "Column::AbsenceId", to = "super::absence::Column::Id")]
    Absence,
}

impl Related<super::absence::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Absence.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
