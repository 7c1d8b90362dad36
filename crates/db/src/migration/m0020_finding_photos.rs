//! Photos of a raid's findings (`finding_photos`): the file lies in the upload directory under a
//! key the server made; the row names its finding, type, size and SHA-256. The same bytes sent
//! again for the same finding (a phone's retry after a lost answer) are the same photo.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "CREATE TABLE finding_photos (id {id}, \
    finding_id BIGINT NOT NULL REFERENCES raid_findings (id), sha256 VARCHAR(64) NOT NULL, \
    storage_key VARCHAR(200) NOT NULL, content_type VARCHAR(64) NOT NULL, size BIGINT NOT NULL, \
    created_by BIGINT NOT NULL REFERENCES users (id), created_at {ts} NOT NULL)";

const INDEX: &str = "CREATE UNIQUE INDEX ux_finding_photos_bytes ON finding_photos (finding_id, sha256)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let (id, ts) = match db.get_database_backend() {
            DatabaseBackend::Postgres => ("BIGSERIAL PRIMARY KEY", "TIMESTAMPTZ"),
            _ => ("INTEGER PRIMARY KEY AUTOINCREMENT", "timestamp_with_timezone_text"),
        };
        db.execute_unprepared(&TABLE.replace("{id}", id).replace("{ts}", ts)).await?;
        db.execute_unprepared(INDEX).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP TABLE finding_photos").await?;
        Ok(())
    }
}
