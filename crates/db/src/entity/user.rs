//! `users`: accounts with one role at one org unit.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub password_hash: String,
    pub must_change_password: bool,
    pub role: String,
    pub org_unit_id: i64,
    /// `ru` or `kk`; `None` until the user picks one (the browser's language is used).
    pub locale: Option<String>,
    pub active: bool,
    /// Where the account is told of its work (new appeals, escalations, leads).
    pub email: Option<String>,
    pub failed_logins: i32,
    pub locked_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::org_unit::Entity", from = "Column::OrgUnitId", to = "super::org_unit::Column::Id")]
    OrgUnit,
}

impl Related<super::org_unit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OrgUnit.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
