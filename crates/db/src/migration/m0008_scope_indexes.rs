//! Scope served by an index on both databases at national scale.
//!
//! Two changes:
//!
//! - **Paths, search keys and IINs compare byte by byte on PostgreSQL too** (`COLLATE "C"`),
//!   as they always have on SQLite. A scope is a prefix of a materialised path (`/1/16/22/`),
//!   and the code asks for it as a range (`path >= '/1/16/22/' AND path < '/1/16/220'`), which
//!   a plain btree serves on both databases only when the column sorts by bytes: under a
//!   language's collation (ru_RU, en_US, even C.UTF-8 for `LIKE`) the slashes are ignored or the
//!   prefix is not recognised, and every scoped query was a scan of the whole table.
//! - **A child's region and district on the child's own row**, taken from the school's path by
//!   the database itself (generated columns: stored on PostgreSQL, virtual on SQLite, which
//!   cannot add a stored one), so no writer can forget them, and the registry's list for a
//!   school, a district, a region or the republic reads its page in the list's order straight
//!   from an index, whatever page it is.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns that sort by bytes on PostgreSQL from now on: table, column, type.
const BYTEWISE: [(&str, &str, &str); 7] = [
    ("org_units", "path", "varchar(255)"),
    ("children", "unit_path", "varchar(255)"),
    ("children", "search_key", "varchar(400)"),
    ("children", "iin", "varchar(12)"),
    ("ledger_entries", "unit_path", "varchar(255)"),
    ("proofs", "unit_path", "varchar(255)"),
    ("audit_log", "unit_path", "varchar(255)"),
];

/// The list's indexes: one per level of scope in the list's default order (by surname), and one
/// per level below the republic newest first (the republic's newest are the table's last rows).
const LIST_INDEXES: [(&str, &str); 7] = [
    ("ix_children_list_school", "campaign_id, school_id, search_key, id"),
    ("ix_children_list_district", "campaign_id, district_id, search_key, id"),
    ("ix_children_list_region", "campaign_id, region_id, search_key, id"),
    ("ix_children_list_all", "campaign_id, search_key, id"),
    ("ix_children_new_school", "campaign_id, school_id, id"),
    ("ix_children_new_district", "campaign_id, district_id, id"),
    ("ix_children_new_region", "campaign_id, region_id, id"),
];

/// The SQLite expression for the `n`-th unit of `unit_path` after the republic (1 = region,
/// 2 = district), or NULL where the path is shorter.
fn sqlite_segment(n: usize) -> String {
    // `rest` is the path after its first `k` units and their slashes: '/1/16/22/' → '16/22/'.
    let mut rest = "substr(unit_path, 2)".to_owned();
    for _ in 0..n {
        rest = format!("substr({rest}, instr({rest}, '/') + 1)");
    }
    format!("NULLIF(CAST(substr({rest}, 1, instr({rest}, '/') - 1) AS INTEGER), 0)")
}

fn statements(backend: DatabaseBackend) -> Vec<String> {
    let mut sql = Vec::new();
    match backend {
        DatabaseBackend::Postgres => {
            for (table, column, ty) in BYTEWISE {
                sql.push(format!("ALTER TABLE {table} ALTER COLUMN {column} TYPE {ty} COLLATE \"C\""));
            }
            sql.push(
                "ALTER TABLE children \
                 ADD COLUMN region_id BIGINT GENERATED ALWAYS AS \
                 (CAST(NULLIF(split_part(unit_path, '/', 3), '') AS BIGINT)) STORED, \
                 ADD COLUMN district_id BIGINT GENERATED ALWAYS AS \
                 (CAST(NULLIF(split_part(unit_path, '/', 4), '') AS BIGINT)) STORED"
                    .to_owned(),
            );
        }
        _ => {
            for (column, n) in [("region_id", 1), ("district_id", 2)] {
                sql.push(format!(
                    "ALTER TABLE children ADD COLUMN {column} INTEGER GENERATED ALWAYS AS ({}) VIRTUAL",
                    sqlite_segment(n)
                ));
            }
        }
    }
    for (name, columns) in LIST_INDEXES {
        sql.push(format!("CREATE INDEX {name} ON children ({columns})"));
    }
    // The audit log of a scope, newest first.
    sql.push("CREATE INDEX ix_audit_path_id ON audit_log (unit_path, id)".to_owned());
    sql
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
        let backend = db.get_database_backend();
        db.execute_unprepared("DROP INDEX ix_audit_path_id").await?;
        for (name, _) in LIST_INDEXES {
            db.execute_unprepared(&format!("DROP INDEX {name}")).await?;
        }
        for column in ["district_id", "region_id"] {
            db.execute_unprepared(&format!("ALTER TABLE children DROP COLUMN {column}")).await?;
        }
        if backend == DatabaseBackend::Postgres {
            for (table, column, ty) in BYTEWISE {
                db.execute_unprepared(&format!(
                    "ALTER TABLE {table} ALTER COLUMN {column} TYPE {ty} COLLATE \"default\""
                ))
                .await?;
            }
        }
        Ok(())
    }
}
