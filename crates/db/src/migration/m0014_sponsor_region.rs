//! The aid form lists the approved sponsors of the school's region by name: an index that
//! serves it (and the coordinators' sponsor list) without reading every sponsor of the country.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sponsors {
    Table,
    RegionId,
    Name,
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
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_sponsors_region_name").table(Sponsors::Table).to_owned()).await
    }
}
