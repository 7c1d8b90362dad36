//! What a school writes into its campaign report by hand (the measures it took and the raids it
//! held) until plans and raids have their own records, and an index for reports by date.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SchoolReports {
    Table,
    Id,
    CampaignId,
    SchoolId,
    Measures,
    Raids,
    RaidsNote,
    UpdatedBy,
    UpdatedLogin,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LedgerEntries {
    Table,
    CampaignId,
    EntryDate,
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum OrgUnits {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SchoolReports::Table)
                .col(big_pk_auto(SchoolReports::Id))
                .col(big_integer(SchoolReports::CampaignId))
                .col(big_integer(SchoolReports::SchoolId))
                .col(text(SchoolReports::Measures))
                .col(integer(SchoolReports::Raids))
                .col(text(SchoolReports::RaidsNote))
                .col(big_integer(SchoolReports::UpdatedBy))
                .col(string_len(SchoolReports::UpdatedLogin, 64))
                .col(timestamp_with_time_zone(SchoolReports::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(SchoolReports::Table, SchoolReports::CampaignId)
                        .to(Campaigns::Table, Campaigns::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(SchoolReports::Table, SchoolReports::SchoolId)
                        .to(OrgUnits::Table, OrgUnits::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_school_reports")
                .table(SchoolReports::Table)
                .col(SchoolReports::CampaignId)
                .col(SchoolReports::SchoolId)
                .unique()
                .to_owned(),
        )
        .await?;
        // Daily dynamics and reports for a period read entries by campaign and date.
        m.create_index(
            Index::create()
                .name("ix_ledger_campaign_date")
                .table(LedgerEntries::Table)
                .col(LedgerEntries::CampaignId)
                .col(LedgerEntries::EntryDate)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
