//! `import_jobs`: imports of the children list, their outcome and every bad row.
#![allow(missing_docs)]

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub unit_id: i64,
    pub campaign_id: i64,
    pub file_name: String,
    /// `running`, `done` or `failed`.
    pub status: String,
    pub total_rows: i64,
    pub error_count: i64,
    /// JSON list of field errors (the first thousand).
    pub errors: Option<String>,
    /// JSON summary (created, updated).
    pub summary: Option<String>,
    pub created_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    /// When the server running the job last said it still runs it (m0011).
    pub heartbeat_at: Option<DateTimeUtc>,
    /// The server running it (its `--server-id`; m0012).
    pub runner: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
