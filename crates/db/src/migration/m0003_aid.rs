//! Aid: each school's fund per campaign, and the ledger of every act of help. Ledger entries
//! are never edited or deleted (only their status moves forward); a correction is a reversing
//! entry. The fund can never be overspent: a CHECK backs the conditional update that spends it.

use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Funds {
    Table,
    Id,
    SchoolId,
    CampaignId,
    Allocation,
    Spent,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LedgerEntries {
    Table,
    Id,
    CampaignId,
    ChildId,
    SchoolId,
    UnitPath,
    Source,
    SponsorId,
    Form,
    Amount,
    Status,
    EntryDate,
    OrganisedBy,
    Note,
    ReversesId,
    Reason,
    RecordedBy,
    RecordedLogin,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LedgerItems {
    Table,
    Id,
    EntryId,
    Item,
    Quantity,
    Value,
}

#[derive(DeriveIden)]
enum LedgerStatus {
    Table,
    Id,
    EntryId,
    FromStatus,
    ToStatus,
    ActorId,
    ActorLogin,
    At,
}

#[derive(DeriveIden)]
enum FundCashPaid {
    Table,
    CampaignId,
    ChildId,
    EntryId,
}

#[derive(DeriveIden)]
enum Sponsors {
    Table,
    Id,
    Kind,
    Name,
    BinIin,
    Contact,
    Phone,
    RegionId,
    Approved,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SponsorAccounts {
    Table,
    UserId,
    SponsorId,
}

#[derive(DeriveIden)]
enum Reservations {
    Table,
    Id,
    NeedId,
    ChildId,
    SponsorId,
    Status,
    ExpiresAt,
    EntryId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ChildNeeds {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum OrgUnits {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Children {
    Table,
    Id,
}

const SQLITE_TRIGGERS: [&str; 4] = [
    "CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries \
     BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END",
    "CREATE TRIGGER ledger_entries_status_only BEFORE UPDATE ON ledger_entries \
     WHEN NEW.amount IS NOT OLD.amount OR NEW.child_id IS NOT OLD.child_id OR NEW.source IS NOT OLD.source \
       OR NEW.form IS NOT OLD.form OR NEW.campaign_id IS NOT OLD.campaign_id OR NEW.school_id IS NOT OLD.school_id \
       OR NEW.sponsor_id IS NOT OLD.sponsor_id OR NEW.entry_date IS NOT OLD.entry_date \
       OR NEW.reverses_id IS NOT OLD.reverses_id OR NEW.recorded_by IS NOT OLD.recorded_by \
     BEGIN SELECT RAISE(ABORT, 'ledger entries are never edited'); END",
    "CREATE TRIGGER ledger_items_no_update BEFORE UPDATE ON ledger_items \
     BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END",
    "CREATE TRIGGER ledger_items_no_delete BEFORE DELETE ON ledger_items \
     BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END",
];

const PG_TRIGGERS: [&str; 5] = [
    "CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS \
     $$ BEGIN RAISE EXCEPTION 'the ledger is append-only'; END $$",
    "CREATE FUNCTION ledger_status_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
       IF NEW.amount IS DISTINCT FROM OLD.amount OR NEW.child_id IS DISTINCT FROM OLD.child_id \
          OR NEW.source IS DISTINCT FROM OLD.source OR NEW.form IS DISTINCT FROM OLD.form \
          OR NEW.campaign_id IS DISTINCT FROM OLD.campaign_id OR NEW.school_id IS DISTINCT FROM OLD.school_id \
          OR NEW.sponsor_id IS DISTINCT FROM OLD.sponsor_id OR NEW.entry_date IS DISTINCT FROM OLD.entry_date \
          OR NEW.reverses_id IS DISTINCT FROM OLD.reverses_id OR NEW.recorded_by IS DISTINCT FROM OLD.recorded_by THEN \
         RAISE EXCEPTION 'ledger entries are never edited'; END IF; RETURN NEW; END $$",
    "CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE OR TRUNCATE ON ledger_entries \
     FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()",
    "CREATE TRIGGER ledger_entries_status_only BEFORE UPDATE ON ledger_entries \
     FOR EACH ROW EXECUTE FUNCTION ledger_status_only()",
    "CREATE TRIGGER ledger_items_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_items \
     FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Funds::Table)
                .col(big_pk_auto(Funds::Id))
                .col(big_integer(Funds::SchoolId))
                .col(big_integer(Funds::CampaignId))
                .col(big_integer(Funds::Allocation))
                .col(big_integer(Funds::Spent).default(0))
                .col(timestamp_with_time_zone(Funds::UpdatedAt))
                .check(Expr::col(Funds::Spent).gte(0).and(Expr::col(Funds::Spent).lte(Expr::col(Funds::Allocation))))
                .foreign_key(ForeignKey::create().from(Funds::Table, Funds::SchoolId).to(OrgUnits::Table, OrgUnits::Id))
                .foreign_key(
                    ForeignKey::create().from(Funds::Table, Funds::CampaignId).to(Campaigns::Table, Campaigns::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_funds_school_campaign")
                .table(Funds::Table)
                .col(Funds::SchoolId)
                .col(Funds::CampaignId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LedgerEntries::Table)
                .col(big_pk_auto(LedgerEntries::Id))
                .col(big_integer(LedgerEntries::CampaignId))
                .col(big_integer(LedgerEntries::ChildId))
                .col(big_integer(LedgerEntries::SchoolId))
                .col(string_len(LedgerEntries::UnitPath, 255))
                .col(string_len(LedgerEntries::Source, 16))
                .col(big_integer_null(LedgerEntries::SponsorId))
                .col(string_len(LedgerEntries::Form, 16))
                .col(big_integer(LedgerEntries::Amount))
                .col(string_len(LedgerEntries::Status, 16))
                .col(date(LedgerEntries::EntryDate))
                .col(string_len_null(LedgerEntries::OrganisedBy, 200))
                .col(string_len_null(LedgerEntries::Note, 300))
                .col(big_integer_null(LedgerEntries::ReversesId))
                .col(string_len_null(LedgerEntries::Reason, 300))
                .col(big_integer(LedgerEntries::RecordedBy))
                .col(string_len(LedgerEntries::RecordedLogin, 64))
                .col(timestamp_with_time_zone(LedgerEntries::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(LedgerEntries::Table, LedgerEntries::ChildId)
                        .to(Children::Table, Children::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LedgerEntries::Table, LedgerEntries::CampaignId)
                        .to(Campaigns::Table, Campaigns::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LedgerEntries::Table, LedgerEntries::ReversesId)
                        .to(LedgerEntries::Table, LedgerEntries::Id),
                )
                .to_owned(),
        )
        .await?;
        // An entry is reversed at most once.
        m.create_index(
            Index::create()
                .name("ux_ledger_reverses")
                .table(LedgerEntries::Table)
                .col(LedgerEntries::ReversesId)
                .unique()
                .and_where(Expr::col(LedgerEntries::ReversesId).is_not_null())
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("ix_ledger_child", vec![LedgerEntries::ChildId]),
            ("ix_ledger_campaign_path", vec![LedgerEntries::CampaignId, LedgerEntries::UnitPath]),
        ] {
            let mut index = Index::create().name(name).table(LedgerEntries::Table).to_owned();
            for c in cols {
                index.col(c);
            }
            m.create_index(index).await?;
        }

        m.create_table(
            Table::create()
                .table(LedgerItems::Table)
                .col(big_pk_auto(LedgerItems::Id))
                .col(big_integer(LedgerItems::EntryId))
                .col(string_len(LedgerItems::Item, 32))
                .col(integer(LedgerItems::Quantity))
                .col(big_integer(LedgerItems::Value))
                .foreign_key(
                    ForeignKey::create()
                        .from(LedgerItems::Table, LedgerItems::EntryId)
                        .to(LedgerEntries::Table, LedgerEntries::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_ledger_items_entry")
                .table(LedgerItems::Table)
                .col(LedgerItems::EntryId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LedgerStatus::Table)
                .col(big_pk_auto(LedgerStatus::Id))
                .col(big_integer(LedgerStatus::EntryId))
                .col(string_len_null(LedgerStatus::FromStatus, 16))
                .col(string_len(LedgerStatus::ToStatus, 16))
                .col(big_integer(LedgerStatus::ActorId))
                .col(string_len(LedgerStatus::ActorLogin, 64))
                .col(timestamp_with_time_zone(LedgerStatus::At))
                .foreign_key(
                    ForeignKey::create()
                        .from(LedgerStatus::Table, LedgerStatus::EntryId)
                        .to(LedgerEntries::Table, LedgerEntries::Id),
                )
                .to_owned(),
        )
        .await?;

        // One fund cash payment per child per campaign, in whichever school: the key refuses the second.
        m.create_table(
            Table::create()
                .table(FundCashPaid::Table)
                .col(big_integer(FundCashPaid::CampaignId))
                .col(big_integer(FundCashPaid::ChildId))
                .col(big_integer(FundCashPaid::EntryId))
                .primary_key(Index::create().col(FundCashPaid::CampaignId).col(FundCashPaid::ChildId))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sponsors::Table)
                .col(big_pk_auto(Sponsors::Id))
                .col(string_len(Sponsors::Kind, 32))
                .col(string_len(Sponsors::Name, 200))
                .col(string_len_null(Sponsors::BinIin, 12))
                .col(string_len_null(Sponsors::Contact, 200))
                .col(string_len_null(Sponsors::Phone, 16))
                .col(big_integer(Sponsors::RegionId))
                .col(boolean(Sponsors::Approved).default(false))
                .col(timestamp_with_time_zone(Sponsors::CreatedAt))
                .foreign_key(
                    ForeignKey::create().from(Sponsors::Table, Sponsors::RegionId).to(OrgUnits::Table, OrgUnits::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_sponsors_bin_iin")
                .table(Sponsors::Table)
                .col(Sponsors::BinIin)
                .unique()
                .and_where(Expr::col(Sponsors::BinIin).is_not_null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SponsorAccounts::Table)
                .col(big_integer(SponsorAccounts::UserId).primary_key())
                .col(big_integer(SponsorAccounts::SponsorId))
                .foreign_key(
                    ForeignKey::create()
                        .from(SponsorAccounts::Table, SponsorAccounts::UserId)
                        .to(Users::Table, Users::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(SponsorAccounts::Table, SponsorAccounts::SponsorId)
                        .to(Sponsors::Table, Sponsors::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Reservations::Table)
                .col(big_pk_auto(Reservations::Id))
                .col(big_integer(Reservations::NeedId))
                .col(big_integer(Reservations::ChildId))
                .col(big_integer(Reservations::SponsorId))
                .col(string_len(Reservations::Status, 16))
                .col(timestamp_with_time_zone(Reservations::ExpiresAt))
                .col(big_integer_null(Reservations::EntryId))
                .col(timestamp_with_time_zone(Reservations::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Reservations::Table, Reservations::NeedId)
                        .to(ChildNeeds::Table, ChildNeeds::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Reservations::Table, Reservations::SponsorId)
                        .to(Sponsors::Table, Sponsors::Id),
                )
                .to_owned(),
        )
        .await?;
        // Two sponsors can never hold the same need: one active (or delivered) reservation per need.
        m.create_index(
            Index::create()
                .name("ux_reservations_need_held")
                .table(Reservations::Table)
                .col(Reservations::NeedId)
                .unique()
                .and_where(Expr::col(Reservations::Status).is_in(["active", "delivered"]))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_reservations_sponsor")
                .table(Reservations::Table)
                .col(Reservations::SponsorId)
                .to_owned(),
        )
        .await?;

        let db = m.get_connection();
        let statements: &[&str] = match m.get_database_backend() {
            DatabaseBackend::Sqlite => &SQLITE_TRIGGERS,
            DatabaseBackend::Postgres => &PG_TRIGGERS,
            other => return Err(DbErr::Migration(format!("unsupported database {other:?}"))),
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
