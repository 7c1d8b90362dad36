//! The foundation: org units, users, sessions, API tokens and the append-only audit log.

use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrgUnits {
    Table,
    Id,
    Kind,
    ParentId,
    Path,
    Code,
    NameRu,
    NameKk,
    Settlement,
    IsRural,
    Language,
    SearchKey,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Login,
    FullName,
    PasswordHash,
    MustChangePassword,
    Role,
    OrgUnitId,
    Locale,
    Active,
    FailedLogins,
    LockedUntil,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Data,
    ExpiresAt,
    UserId,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    ActorLogin,
    Action,
    Entity,
    EntityId,
    UnitPath,
    Before,
    After,
}

fn tstz(col: impl IntoIden) -> ColumnDef {
    timestamp_with_time_zone(col)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OrgUnits::Table)
                .col(big_pk_auto(OrgUnits::Id))
                .col(string_len(OrgUnits::Kind, 16))
                .col(big_integer_null(OrgUnits::ParentId))
                .col(string_len(OrgUnits::Path, 255))
                .col(string_len_null(OrgUnits::Code, 20))
                .col(string_len(OrgUnits::NameRu, 200))
                .col(string_len(OrgUnits::NameKk, 200))
                .col(string_len_null(OrgUnits::Settlement, 120))
                .col(boolean_null(OrgUnits::IsRural))
                .col(string_len_null(OrgUnits::Language, 8))
                .col(string_len(OrgUnits::SearchKey, 700))
                .col(boolean(OrgUnits::Active).default(true))
                .col(tstz(OrgUnits::CreatedAt))
                .col(tstz(OrgUnits::UpdatedAt))
                .foreign_key(
                    ForeignKey::create().from(OrgUnits::Table, OrgUnits::ParentId).to(OrgUnits::Table, OrgUnits::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_org_units_path").table(OrgUnits::Table).col(OrgUnits::Path).to_owned())
            .await?;
        m.create_index(
            Index::create().name("ix_org_units_parent").table(OrgUnits::Table).col(OrgUnits::ParentId).to_owned(),
        )
        .await?;
        // One school number per district (and one ISO code per country).
        m.create_index(
            Index::create()
                .name("ux_org_units_parent_code")
                .table(OrgUnits::Table)
                .col(OrgUnits::ParentId)
                .col(OrgUnits::Code)
                .unique()
                .and_where(Expr::col(OrgUnits::Code).is_not_null())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(big_pk_auto(Users::Id))
                .col(string_len_uniq(Users::Login, 64))
                .col(string_len(Users::FullName, 200))
                .col(string_len(Users::PasswordHash, 255))
                .col(boolean(Users::MustChangePassword).default(true))
                .col(string_len(Users::Role, 32))
                .col(big_integer(Users::OrgUnitId))
                .col(string_len_null(Users::Locale, 2))
                .col(boolean(Users::Active).default(true))
                .col(integer(Users::FailedLogins).default(0))
                .col(timestamp_with_time_zone_null(Users::LockedUntil))
                .col(tstz(Users::CreatedAt))
                .col(tstz(Users::UpdatedAt))
                .foreign_key(
                    ForeignKey::create().from(Users::Table, Users::OrgUnitId).to(OrgUnits::Table, OrgUnits::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_users_unit").table(Users::Table).col(Users::OrgUnitId).to_owned())
            .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(string_len(Sessions::Id, 64).primary_key())
                .col(text(Sessions::Data))
                .col(big_integer(Sessions::ExpiresAt))
                .col(big_integer_null(Sessions::UserId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_sessions_user").table(Sessions::Table).col(Sessions::UserId).to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_sessions_expires").table(Sessions::Table).col(Sessions::ExpiresAt).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .col(big_pk_auto(ApiTokens::Id))
                .col(big_integer(ApiTokens::UserId))
                .col(string_len(ApiTokens::Name, 100))
                .col(string_len_uniq(ApiTokens::TokenHash, 64))
                .col(tstz(ApiTokens::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                .foreign_key(ForeignKey::create().from(ApiTokens::Table, ApiTokens::UserId).to(Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(big_pk_auto(AuditLog::Id))
                .col(tstz(AuditLog::At))
                .col(big_integer_null(AuditLog::ActorId))
                .col(string_len(AuditLog::ActorLogin, 64))
                .col(string_len(AuditLog::Action, 32))
                .col(string_len(AuditLog::Entity, 32))
                .col(big_integer_null(AuditLog::EntityId))
                .col(string_len_null(AuditLog::UnitPath, 255))
                .col(text_null(AuditLog::Before))
                .col(text_null(AuditLog::After))
                .to_owned(),
        )
        .await?;
        for (name, col) in [("ix_audit_at", AuditLog::At), ("ix_audit_unit_path", AuditLog::UnitPath)] {
            m.create_index(Index::create().name(name).table(AuditLog::Table).col(col).to_owned()).await?;
        }
        m.create_index(
            Index::create()
                .name("ix_audit_entity")
                .table(AuditLog::Table)
                .col(AuditLog::Entity)
                .col(AuditLog::EntityId)
                .to_owned(),
        )
        .await?;

        // The audit log is append-only: the database itself refuses to change or remove an entry.
        let db = m.get_connection();
        match m.get_database_backend() {
            DatabaseBackend::Sqlite => {
                for op in ["UPDATE", "DELETE"] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER audit_log_no_{op} BEFORE {op} ON audit_log \
                         BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
                    ))
                    .await?;
                }
            }
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS \
                     $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log \
                     FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
                )
                .await?;
            }
            other => return Err(DbErr::Migration(format!("unsupported database {other:?}"))),
        }
        Ok(())
    }
}
