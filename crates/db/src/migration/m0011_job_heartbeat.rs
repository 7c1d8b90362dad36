//! An import job's heartbeat: the server that runs a job marks it every few seconds, so that a
//! job whose server died (killed, out of power) is told from one still running on another server,
//! and is marked failed at the next start instead of showing "running" forever.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportJobs {
    Table,
    HeartbeatAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(ImportJobs::Table)
                .add_column(ColumnDef::new(ImportJobs::HeartbeatAt).timestamp_with_time_zone().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(ImportJobs::Table).drop_column(ImportJobs::HeartbeatAt).to_owned()).await
    }
}
