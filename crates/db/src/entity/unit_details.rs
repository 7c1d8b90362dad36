//! `unit_details`: what an org unit fills in once for its papers and its sponsors.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Default)]
#[sea_orm(table_name = "unit_details")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: i64,
    /// Postal address (where a sponsor brings the goods).
    pub address: Option<String>,
    /// Who prepares the papers and answers sponsors (the campaign's coordinator at the unit).
    pub coordinator: Option<String>,
    /// The coordinator's work phone.
    pub phone: Option<String>,
    /// The director (or head) who signs.
    pub director: Option<String>,
    /// To whom the unit's справка goes, as written in its heading.
    pub addressee: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
