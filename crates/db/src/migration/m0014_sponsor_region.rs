//! Sponsors as the aid form and a sponsor's own application need them: an index that lists a
//! region's sponsors by name without reading every sponsor of the country, and the e-mail an
//! application gives (the region answers it by phone or mail).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sponsors {
    Table,
    RegionId,
    Name,
    Email,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ix_sponsors_region_name")
                .table(Sponsors::Table)
                .col(Sponsors::RegionId)
                .col(Sponsors::Name)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Sponsors::Table)
                .add_column(ColumnDef::new(Sponsors::Email).string_len(254).null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Sponsors::Table).drop_column(Sponsors::Email).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_sponsors_region_name").table(Sponsors::Table).to_owned()).await
    }
}
