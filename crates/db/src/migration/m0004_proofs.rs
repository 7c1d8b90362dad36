//! Proof of purchase for cash aid (receipts and photos, stored outside the database), the
//! campaign's deadlines for proofs and pledges, and self-registered sponsors awaiting a region
//! coordinator's decision.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Proofs {
    Table,
    Id,
    EntryId,
    UnitPath,
    FileName,
    ContentType,
    Size,
    Sha256,
    StorageKey,
    Status,
    Reason,
    UploadedBy,
    UploadedLogin,
    UploadedAt,
    DecidedBy,
    DecidedLogin,
    DecidedAt,
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    ProofDays,
    PledgeDays,
}

#[derive(DeriveIden)]
enum Sponsors {
    Table,
    Rejected,
    SelfRegistered,
}

#[derive(DeriveIden)]
enum LedgerEntries {
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
                .table(Proofs::Table)
                .col(big_pk_auto(Proofs::Id))
                .col(big_integer(Proofs::EntryId))
                .col(string_len(Proofs::UnitPath, 128))
                .col(string_len(Proofs::FileName, 200))
                .col(string_len(Proofs::ContentType, 64))
                .col(big_integer(Proofs::Size))
                .col(string_len(Proofs::Sha256, 64))
                .col(string_len(Proofs::StorageKey, 128))
                .col(string_len(Proofs::Status, 16))
                .col(string_len_null(Proofs::Reason, 300))
                .col(big_integer(Proofs::UploadedBy))
                .col(string_len(Proofs::UploadedLogin, 64))
                .col(timestamp_with_time_zone(Proofs::UploadedAt))
                .col(big_integer_null(Proofs::DecidedBy))
                .col(string_len_null(Proofs::DecidedLogin, 64))
                .col(timestamp_with_time_zone_null(Proofs::DecidedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Proofs::Table, Proofs::EntryId)
                        .to(LedgerEntries::Table, LedgerEntries::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_proofs_entry").table(Proofs::Table).col(Proofs::EntryId).to_owned())
            .await?;
        // Days after a cash payment by which its receipt is due; days a pledge may wait for delivery.
        m.alter_table(
            Table::alter().table(Campaigns::Table).add_column(integer(Campaigns::ProofDays).default(30)).to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(Campaigns::Table).add_column(integer(Campaigns::PledgeDays).default(14)).to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(Sponsors::Table).add_column(boolean(Sponsors::Rejected).default(false)).to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Sponsors::Table)
                .add_column(boolean(Sponsors::SelfRegistered).default(false))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
