//! Throttling counted in the database, so that it holds across servers: hits per bucket (a rule
//! and a key, such as sign-ins from one client address) per fixed time window. And the client
//! address a sponsor's application came from, and the sponsor already registered under the BIN or
//! IIN it gave, so that the coordinator's queue can flag likely duplicates (the public form does
//! not say that a BIN is taken: for a person it is an IIN). And which server runs an import job,
//! so that a server started again fails at once the jobs its killed self left running.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ThrottleHits {
    Table,
    Bucket,
    WindowStart,
    Hits,
}

#[derive(DeriveIden)]
enum ImportJobs {
    Table,
    Runner,
}

#[derive(DeriveIden)]
enum Sponsors {
    Table,
    AppliedFrom,
    DuplicateOf,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ThrottleHits::Table)
                .col(ColumnDef::new(ThrottleHits::Bucket).string_len(200).not_null())
                .col(ColumnDef::new(ThrottleHits::WindowStart).big_integer().not_null())
                .col(ColumnDef::new(ThrottleHits::Hits).integer().not_null())
                .primary_key(Index::create().col(ThrottleHits::Bucket).col(ThrottleHits::WindowStart))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_throttle_hits_window")
                .table(ThrottleHits::Table)
                .col(ThrottleHits::WindowStart)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Sponsors::Table)
                .add_column(ColumnDef::new(Sponsors::AppliedFrom).string_len(64).null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Sponsors::Table)
                .add_column(ColumnDef::new(Sponsors::DuplicateOf).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(ImportJobs::Table)
                .add_column(ColumnDef::new(ImportJobs::Runner).string_len(100).null())
                .to_owned(),
        )
        .await?;
        // Every server looks for running jobs every half minute: only those rows are indexed.
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_import_jobs_running ON import_jobs (heartbeat_at) WHERE status = 'running'",
            )
            .await
            .map(|_| ())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP INDEX ix_import_jobs_running").await?;
        m.alter_table(Table::alter().table(ImportJobs::Table).drop_column(ImportJobs::Runner).to_owned()).await?;
        m.alter_table(Table::alter().table(Sponsors::Table).drop_column(Sponsors::DuplicateOf).to_owned()).await?;
        m.alter_table(Table::alter().table(Sponsors::Table).drop_column(Sponsors::AppliedFrom).to_owned()).await?;
        m.drop_table(Table::drop().table(ThrottleHits::Table).to_owned()).await
    }
}
