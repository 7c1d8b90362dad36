//! The child registry: campaigns with their regional cash norms, children (one per IIN per
//! campaign across the whole country), their categories, needs, status history, and transfer
//! requests between schools.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    Id,
    Year,
    StartsOn,
    EndsOn,
    MottoRu,
    MottoKk,
    IsCurrent,
    DefaultNorm,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CampaignNorms {
    Table,
    Id,
    CampaignId,
    RegionId,
    CashNorm,
}

#[derive(DeriveIden)]
#[allow(clippy::enum_variant_names)]
enum Children {
    Table,
    Id,
    CampaignId,
    Iin,
    Surname,
    FirstName,
    Patronymic,
    BirthDate,
    Sex,
    SchoolId,
    UnitPath,
    Grade,
    StudyLanguage,
    Categories,
    DecisionNo,
    DecisionDate,
    GuardianName,
    GuardianRelation,
    GuardianPhone,
    Address,
    Settlement,
    FamilyChildren,
    ConsentBy,
    ConsentMethod,
    ConsentDate,
    Source,
    Status,
    StatusReason,
    SearchKey,
    NeedsCost,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ChildCategories {
    Table,
    ChildId,
    Category,
}

#[derive(DeriveIden)]
enum ChildNeeds {
    Table,
    Id,
    ChildId,
    Item,
    Size,
    Quantity,
    Cost,
}

#[derive(DeriveIden)]
enum ChildStatusHistory {
    Table,
    Id,
    ChildId,
    FromStatus,
    ToStatus,
    Reason,
    ActorId,
    ActorLogin,
    At,
}

#[derive(DeriveIden)]
enum TransferRequests {
    Table,
    Id,
    ChildId,
    FromSchoolId,
    ToSchoolId,
    RequestedBy,
    RequestedAt,
    Status,
    DecidedBy,
    DecidedAt,
    Note,
}

#[derive(DeriveIden)]
enum ImportJobs {
    Table,
    Id,
    UserId,
    UnitId,
    CampaignId,
    FileName,
    Status,
    TotalRows,
    ErrorCount,
    Errors,
    Summary,
    CreatedAt,
    FinishedAt,
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
                .table(Campaigns::Table)
                .col(big_pk_auto(Campaigns::Id))
                .col(integer_uniq(Campaigns::Year))
                .col(date(Campaigns::StartsOn))
                .col(date(Campaigns::EndsOn))
                .col(string_len(Campaigns::MottoRu, 300))
                .col(string_len(Campaigns::MottoKk, 300))
                .col(boolean(Campaigns::IsCurrent).default(false))
                .col(big_integer(Campaigns::DefaultNorm))
                .col(timestamp_with_time_zone(Campaigns::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CampaignNorms::Table)
                .col(big_pk_auto(CampaignNorms::Id))
                .col(big_integer(CampaignNorms::CampaignId))
                .col(big_integer(CampaignNorms::RegionId))
                .col(big_integer(CampaignNorms::CashNorm))
                .foreign_key(
                    ForeignKey::create()
                        .from(CampaignNorms::Table, CampaignNorms::CampaignId)
                        .to(Campaigns::Table, Campaigns::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(CampaignNorms::Table, CampaignNorms::RegionId)
                        .to(OrgUnits::Table, OrgUnits::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_campaign_norms")
                .table(CampaignNorms::Table)
                .col(CampaignNorms::CampaignId)
                .col(CampaignNorms::RegionId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Children::Table)
                .col(big_pk_auto(Children::Id))
                .col(big_integer(Children::CampaignId))
                .col(string_len(Children::Iin, 12))
                .col(string_len(Children::Surname, 100))
                .col(string_len(Children::FirstName, 100))
                .col(string_len_null(Children::Patronymic, 100))
                .col(date(Children::BirthDate))
                .col(string_len(Children::Sex, 8))
                .col(big_integer(Children::SchoolId))
                .col(string_len(Children::UnitPath, 255))
                .col(small_integer(Children::Grade))
                .col(string_len(Children::StudyLanguage, 8))
                .col(string_len(Children::Categories, 200))
                .col(string_len_null(Children::DecisionNo, 50))
                .col(date_null(Children::DecisionDate))
                .col(string_len(Children::GuardianName, 200))
                .col(string_len_null(Children::GuardianRelation, 50))
                .col(string_len_null(Children::GuardianPhone, 16))
                .col(string_len_null(Children::Address, 300))
                .col(string_len_null(Children::Settlement, 120))
                .col(small_integer_null(Children::FamilyChildren))
                .col(string_len(Children::ConsentBy, 32))
                .col(string_len(Children::ConsentMethod, 16))
                .col(date(Children::ConsentDate))
                .col(string_len(Children::Source, 16))
                .col(string_len(Children::Status, 16))
                .col(string_len_null(Children::StatusReason, 300))
                .col(string_len(Children::SearchKey, 400))
                .col(big_integer(Children::NeedsCost).default(0))
                .col(timestamp_with_time_zone(Children::CreatedAt))
                .col(timestamp_with_time_zone(Children::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Children::Table, Children::CampaignId)
                        .to(Campaigns::Table, Campaigns::Id),
                )
                .foreign_key(
                    ForeignKey::create().from(Children::Table, Children::SchoolId).to(OrgUnits::Table, OrgUnits::Id),
                )
                .to_owned(),
        )
        .await?;
        // One child, one record per campaign, across the whole country.
        m.create_index(
            Index::create()
                .name("ux_children_campaign_iin")
                .table(Children::Table)
                .col(Children::CampaignId)
                .col(Children::Iin)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_children_campaign_path")
                .table(Children::Table)
                .col(Children::CampaignId)
                .col(Children::UnitPath)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_children_school").table(Children::Table).col(Children::SchoolId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ChildCategories::Table)
                .col(big_integer(ChildCategories::ChildId))
                .col(string_len(ChildCategories::Category, 32))
                .primary_key(Index::create().col(ChildCategories::ChildId).col(ChildCategories::Category))
                .foreign_key(
                    ForeignKey::create()
                        .from(ChildCategories::Table, ChildCategories::ChildId)
                        .to(Children::Table, Children::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_child_categories_category")
                .table(ChildCategories::Table)
                .col(ChildCategories::Category)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ChildNeeds::Table)
                .col(big_pk_auto(ChildNeeds::Id))
                .col(big_integer(ChildNeeds::ChildId))
                .col(string_len(ChildNeeds::Item, 32))
                .col(string_len_null(ChildNeeds::Size, 20))
                .col(integer(ChildNeeds::Quantity))
                .col(big_integer(ChildNeeds::Cost))
                .foreign_key(
                    ForeignKey::create()
                        .from(ChildNeeds::Table, ChildNeeds::ChildId)
                        .to(Children::Table, Children::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_child_needs_child").table(ChildNeeds::Table).col(ChildNeeds::ChildId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ChildStatusHistory::Table)
                .col(big_pk_auto(ChildStatusHistory::Id))
                .col(big_integer(ChildStatusHistory::ChildId))
                .col(string_len_null(ChildStatusHistory::FromStatus, 16))
                .col(string_len(ChildStatusHistory::ToStatus, 16))
                .col(string_len_null(ChildStatusHistory::Reason, 300))
                .col(big_integer_null(ChildStatusHistory::ActorId))
                .col(string_len(ChildStatusHistory::ActorLogin, 64))
                .col(timestamp_with_time_zone(ChildStatusHistory::At))
                .foreign_key(
                    ForeignKey::create()
                        .from(ChildStatusHistory::Table, ChildStatusHistory::ChildId)
                        .to(Children::Table, Children::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_child_status_history_child")
                .table(ChildStatusHistory::Table)
                .col(ChildStatusHistory::ChildId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(TransferRequests::Table)
                .col(big_pk_auto(TransferRequests::Id))
                .col(big_integer(TransferRequests::ChildId))
                .col(big_integer(TransferRequests::FromSchoolId))
                .col(big_integer(TransferRequests::ToSchoolId))
                .col(big_integer(TransferRequests::RequestedBy))
                .col(timestamp_with_time_zone(TransferRequests::RequestedAt))
                .col(string_len(TransferRequests::Status, 16))
                .col(big_integer_null(TransferRequests::DecidedBy))
                .col(timestamp_with_time_zone_null(TransferRequests::DecidedAt))
                .col(string_len_null(TransferRequests::Note, 300))
                .foreign_key(
                    ForeignKey::create()
                        .from(TransferRequests::Table, TransferRequests::ChildId)
                        .to(Children::Table, Children::Id),
                )
                .to_owned(),
        )
        .await?;
        // At most one pending transfer per child.
        m.create_index(
            Index::create()
                .name("ux_transfer_pending")
                .table(TransferRequests::Table)
                .col(TransferRequests::ChildId)
                .unique()
                .and_where(Expr::col(TransferRequests::Status).eq("pending"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ImportJobs::Table)
                .col(big_pk_auto(ImportJobs::Id))
                .col(big_integer(ImportJobs::UserId))
                .col(big_integer(ImportJobs::UnitId))
                .col(big_integer(ImportJobs::CampaignId))
                .col(string_len(ImportJobs::FileName, 255))
                .col(string_len(ImportJobs::Status, 16))
                .col(big_integer(ImportJobs::TotalRows).default(0))
                .col(big_integer(ImportJobs::ErrorCount).default(0))
                .col(text_null(ImportJobs::Errors))
                .col(text_null(ImportJobs::Summary))
                .col(timestamp_with_time_zone(ImportJobs::CreatedAt))
                .col(timestamp_with_time_zone_null(ImportJobs::FinishedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
