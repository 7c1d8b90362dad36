//! Raids (рейды) and the children they find (MISSION.md §6).
//!
//! - `raids`: held by a region, a district or a school (the organiser's path and its level ids on
//!   the row, so that a list for any scope reads its page in date order from an index, as the
//!   registry's does), on a day, from a time, with a note and a version that every change raises.
//! - `raid_places` (by kind, with an address), `raid_participants` (a count per category) and
//!   `raid_members` (the accounts assigned to it: a raid member sees only those raids).
//! - `raid_findings`: each child found, keyed by the id the phone made (`client_id`, unique: a
//!   retry of a lost request is the same finding, never a second), with the IIN when known (the
//!   registry is joined on it, never copied), and a version for edits made offline.
//! - `sync_conflicts`: a change made offline to a record someone changed meanwhile, kept whole
//!   for a coordinator to resolve, never applied over the other change.
//!
//! Paths and IINs sort by bytes on PostgreSQL, as in m0008.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables, with `{id}` for the key's type and `{c}` for the bytewise collation.
const TABLES: [&str; 6] = [
    "CREATE TABLE raids (id {id}, campaign_id BIGINT NOT NULL REFERENCES campaigns (id), \
     unit_id BIGINT NOT NULL REFERENCES org_units (id), unit_path VARCHAR(255){c} NOT NULL, \
     region_id BIGINT NULL, district_id BIGINT NULL, school_id BIGINT NULL, held_on DATE NOT NULL, \
     starts_at VARCHAR(5) NULL, note TEXT NULL, created_by BIGINT NOT NULL REFERENCES users (id), \
     created_at {ts} NOT NULL, updated_at {ts} NOT NULL, version INTEGER NOT NULL DEFAULT 1)",
    "CREATE TABLE raid_places (raid_id BIGINT NOT NULL REFERENCES raids (id) ON DELETE CASCADE, \
     position SMALLINT NOT NULL, kind VARCHAR(32) NOT NULL, address VARCHAR(300) NULL, \
     PRIMARY KEY (raid_id, position))",
    "CREATE TABLE raid_participants (raid_id BIGINT NOT NULL REFERENCES raids (id) ON DELETE CASCADE, \
     kind VARCHAR(32) NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (raid_id, kind))",
    "CREATE TABLE raid_members (raid_id BIGINT NOT NULL REFERENCES raids (id) ON DELETE CASCADE, \
     user_id BIGINT NOT NULL REFERENCES users (id), PRIMARY KEY (raid_id, user_id))",
    "CREATE TABLE raid_findings (id {id}, raid_id BIGINT NOT NULL REFERENCES raids (id), \
     campaign_id BIGINT NOT NULL REFERENCES campaigns (id), unit_path VARCHAR(255){c} NOT NULL, \
     client_id VARCHAR(36){c} NOT NULL, iin VARCHAR(12){c} NULL, name VARCHAR(200) NULL, \
     sex VARCHAR(8) NOT NULL, age SMALLINT NULL, place VARCHAR(32) NOT NULL, address VARCHAR(300) NULL, \
     found_at VARCHAR(5) NULL, circumstances TEXT NULL, action VARCHAR(32) NOT NULL, \
     created_by BIGINT NOT NULL REFERENCES users (id), created_at {ts} NOT NULL, \
     updated_by BIGINT NOT NULL REFERENCES users (id), updated_at {ts} NOT NULL, \
     version INTEGER NOT NULL DEFAULT 1)",
    "CREATE TABLE sync_conflicts (id {id}, record_kind VARCHAR(16) NOT NULL, record_id BIGINT NOT NULL, \
     unit_path VARCHAR(255){c} NOT NULL, base_version INTEGER NOT NULL, server_version INTEGER NOT NULL, \
     proposed TEXT NOT NULL, proposed_by BIGINT NOT NULL REFERENCES users (id), proposed_at {ts} NOT NULL, \
     resolved_by BIGINT NULL REFERENCES users (id), resolved_at {ts} NULL, resolution VARCHAR(16) NULL)",
];

const INDEXES: [&str; 11] = [
    // A scope's raids by date, newest first, at each level of the hierarchy.
    "CREATE INDEX ix_raids_all ON raids (campaign_id, held_on, id)",
    "CREATE INDEX ix_raids_region ON raids (campaign_id, region_id, held_on, id)",
    "CREATE INDEX ix_raids_district ON raids (campaign_id, district_id, held_on, id)",
    "CREATE INDEX ix_raids_school ON raids (campaign_id, school_id, held_on, id)",
    "CREATE INDEX ix_raid_members_user ON raid_members (user_id, raid_id)",
    "CREATE UNIQUE INDEX ux_findings_client ON raid_findings (client_id)",
    "CREATE INDEX ix_findings_raid ON raid_findings (raid_id, id)",
    "CREATE INDEX ix_findings_iin ON raid_findings (campaign_id, iin) WHERE iin IS NOT NULL",
    // A retry of the same offline change replaces its proposal rather than adding another.
    "CREATE UNIQUE INDEX ux_conflicts_change ON sync_conflicts (record_kind, record_id, proposed_by, base_version)",
    "CREATE INDEX ix_conflicts_open ON sync_conflicts (unit_path, id) WHERE resolved_at IS NULL",
    "CREATE INDEX ix_conflicts_record ON sync_conflicts (record_kind, record_id)",
];

const DROPPED: [&str; 6] =
    ["sync_conflicts", "raid_findings", "raid_members", "raid_participants", "raid_places", "raids"];

fn statements(backend: DatabaseBackend) -> Vec<String> {
    let (id, c, ts) = match backend {
        DatabaseBackend::Postgres => ("BIGSERIAL PRIMARY KEY", " COLLATE \"C\"", "TIMESTAMPTZ"),
        _ => ("INTEGER PRIMARY KEY AUTOINCREMENT", "", "timestamp_with_timezone_text"),
    };
    let tables = TABLES.iter().map(|t| t.replace("{id}", id).replace("{c}", c).replace("{ts}", ts));
    tables.chain(INDEXES.iter().map(|i| (*i).to_owned())).collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for sql in statements(db.get_database_backend()) {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for table in DROPPED {
            db.execute_unprepared(&format!("DROP TABLE {table}")).await?;
        }
        Ok(())
    }
}
