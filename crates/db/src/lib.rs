//! Doroga's storage: one schema and one query path for SQLite (the default) and PostgreSQL.
//!
//! Every function over campaign data takes a [`domain::Actor`] (or its scope) and builds its
//! query from it; every write records an audit entry in the same transaction.

pub mod appeals;
pub mod attendance;
pub mod audit;
pub mod backup;
pub mod campaigns;
pub mod checks;
pub mod child_import;
pub mod children;
pub mod entity;
pub mod error;
pub mod ledger;
pub mod migration;
pub mod national;
pub mod org;
pub mod outbox;
pub mod passport;
pub mod proofs;
pub mod public;
pub mod raids;
pub mod reports;
pub mod scope;
pub mod sessions;
pub mod sponsors;
pub mod survey;
pub mod sync_conflicts;
pub mod throttle;
pub mod tokens;
pub mod totals;
pub mod users;

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

pub use error::Error;
pub use sea_orm::DatabaseConnection as Db;

/// Opens a pool on `url` (`sqlite://path?mode=rwc` or `postgres://…`).
///
/// SQLite runs in WAL mode with foreign keys on and a 30 s busy timeout (a large import holds
/// the write lock for seconds; other writers wait rather than fail); `synchronous=FULL` so a
/// committed ledger entry survives a power cut, not only a process crash.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(30))
                .foreign_keys(true)
        })
        // Reports aggregate millions of ledger rows: enough memory to hash them without spilling
        // to disk, and no JIT compilation, which costs more than it saves on these queries.
        .map_sqlx_postgres_opts(|o| o.options([("work_mem", "64MB"), ("jit", "off")]));
    Database::connect(options).await
}

/// Runs every pending migration, then makes sure the republic and its 20 regions exist and the
/// reports' running totals are kept (a national load killed half way leaves their triggers
/// dropped: they are made again and the totals summed afresh).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    migration::Migrator::up(db, None).await?;
    if !totals::triggers_in_place(db).await? {
        restore_totals(db).await?;
    }
    org::seed_regions(db).await
}

/// Sums the reports' running totals afresh and makes their triggers again, in a transaction of
/// its own.
pub(crate) async fn restore_totals(db: &DatabaseConnection) -> Result<(), DbErr> {
    let txn = write_txn(db).await?;
    totals::rebuild(&txn).await?;
    txn.commit().await
}

/// Whether the database answers (for `/healthz`).
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.ping().await
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`), so a transaction that reads first cannot fail with `SQLITE_BUSY` when
/// it comes to write; PostgreSQL ignores the mode.
pub async fn write_txn(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// A materialised path made safe to write into SQL text: only its digits and slashes, which is
/// all a path ever holds (`/1/4/37/`).
pub(crate) fn sql_path(path: &str) -> String {
    path.chars().filter(|c| c.is_ascii_digit() || *c == '/').collect()
}

/// The region of a materialised path (`/1/4/37/` → 4): the second unit under the republic.
pub fn scope_region(path: &str) -> Option<i64> {
    path.split('/').filter(|p| !p.is_empty()).nth(1).and_then(|p| p.parse().ok())
}
