//! A sponsor's delivery waits for the school: the sponsor says it delivered (on a date), the
//! school confirms it received the goods (only then is it help in the ledger, the totals and the
//! letter) or says it did not (the need is free again). A need stays held while its delivery
//! waits, so the unique index of held needs now counts `awaiting` too; the waiting ones are
//! indexed on their own (a start page lists them for a school, a district, a region).
//!
//! A one-off giver's kind on its entries (a company, parents, alumni, a person…), as a sponsor
//! from the list has its own.
//!
//! And what an org unit fills in once for its papers: its address, the coordinator's name and
//! work phone (shown to the sponsor who delivers, printed as "prepared by"), the director, and
//! to whom its справка goes.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reservations {
    Table,
    DeliveredOn,
}

#[derive(DeriveIden)]
enum LedgerEntries {
    Table,
    GiverKind,
}

#[derive(DeriveIden)]
enum UnitDetails {
    Table,
    UnitId,
    Address,
    Coordinator,
    Phone,
    Director,
    Addressee,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrgUnits {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Reservations::Table)
                .add_column(ColumnDef::new(Reservations::DeliveredOn).date().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(LedgerEntries::Table)
                .add_column(ColumnDef::new(LedgerEntries::GiverKind).string_len(32).null())
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared("DROP INDEX ux_reservations_need_held").await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_reservations_need_taken ON reservations (need_id) \
             WHERE status IN ('active', 'awaiting', 'delivered')",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX ix_reservations_awaiting ON reservations (child_id) WHERE status = 'awaiting'",
        )
        .await?;
        m.create_table(
            Table::create()
                .table(UnitDetails::Table)
                .col(ColumnDef::new(UnitDetails::UnitId).big_integer().not_null().primary_key())
                .col(ColumnDef::new(UnitDetails::Address).string_len(300).null())
                .col(ColumnDef::new(UnitDetails::Coordinator).string_len(200).null())
                .col(ColumnDef::new(UnitDetails::Phone).string_len(32).null())
                .col(ColumnDef::new(UnitDetails::Director).string_len(200).null())
                .col(ColumnDef::new(UnitDetails::Addressee).string_len(300).null())
                .col(ColumnDef::new(UnitDetails::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(UnitDetails::Table, UnitDetails::UnitId)
                        .to(OrgUnits::Table, OrgUnits::Id),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(UnitDetails::Table).to_owned()).await?;
        let db = m.get_connection();
        db.execute_unprepared("DROP INDEX ix_reservations_awaiting").await?;
        db.execute_unprepared("DROP INDEX ux_reservations_need_taken").await?;
        // Before this migration a delivery was help at once: one still waiting is a hold again,
        // for the sponsor to deliver once more.
        db.execute_unprepared("UPDATE reservations SET status = 'active' WHERE status = 'awaiting'").await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_reservations_need_held ON reservations (need_id) \
             WHERE status IN ('active', 'delivered')",
        )
        .await?;
        m.alter_table(Table::alter().table(LedgerEntries::Table).drop_column(LedgerEntries::GiverKind).to_owned())
            .await?;
        m.alter_table(Table::alter().table(Reservations::Table).drop_column(Reservations::DeliveredOn).to_owned()).await
    }
}
