//! `proofs`: receipts and photos proving a cash payment was spent on the child. The file lives
//! in the upload directory under `storage_key`; the row says whose it is and what became of it.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "proofs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub entry_id: i64,
    pub unit_path: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    #[serde(skip)]
    pub storage_key: String,
    /// `uploaded`, `confirmed` or `rejected`.
    pub status: String,
    pub reason: Option<String>,
    pub uploaded_by: i64,
    pub uploaded_login: String,
    pub uploaded_at: DateTimeUtc,
    pub decided_by: Option<i64>,
    pub decided_login: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
