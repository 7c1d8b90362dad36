//! The database's half of a backup: an online copy of SQLite (`VACUUM INTO`, consistent while
//! the server writes) or PostgreSQL's own dump (`pg_dump`, one snapshot), restored into a fresh
//! database (a copy of the file; `pg_restore` in one transaction). And the counts a restore is
//! checked against.

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

use crate::Db;
use crate::entity::{audit_log, child, ledger_entry, proof};

/// The file the database is kept in inside a backup folder.
pub fn file_name(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "database.dump",
        _ => "database.sqlite",
    }
}

/// What a database holds, to check a restore against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Entries in the audit log.
    pub audit_entries: u64,
    /// Children's records (every campaign).
    pub children: u64,
    /// Ledger entries (every campaign).
    pub ledger_entries: u64,
    /// Proofs of purchase.
    pub proofs: u64,
}

/// The counts of `db`.
pub async fn counts(db: &impl ConnectionTrait) -> Result<Counts, DbErr> {
    Ok(Counts {
        audit_entries: audit_log::Entity::find().count(db).await?,
        children: child::Entity::find().count(db).await?,
        ledger_entries: ledger_entry::Entity::find().count(db).await?,
        proofs: proof::Entity::find().count(db).await?,
    })
}

/// A proof's file as its record names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofFile {
    /// The proof.
    pub id: i64,
    /// Where it lies under the upload folder.
    pub storage_key: String,
    /// Its SHA-256, hex.
    pub sha256: String,
}

/// Every proof's file, in pages by id.
pub async fn proof_files(db: &impl ConnectionTrait) -> Result<Vec<ProofFile>, DbErr> {
    use sea_orm::ColumnTrait;
    let mut all = Vec::new();
    loop {
        let after = all.last().map_or(0, |p: &ProofFile| p.id);
        let page = proof::Entity::find()
            .filter(proof::Column::Id.gt(after))
            .order_by_asc(proof::Column::Id)
            .limit(1000)
            .all(db)
            .await?;
        if page.is_empty() {
            return Ok(all);
        }
        all.extend(page.into_iter().map(|p| ProofFile { id: p.id, storage_key: p.storage_key, sha256: p.sha256 }));
    }
}

/// A copy made: its file, and what it holds (read from the copy's own snapshot).
#[derive(Debug)]
pub struct Dumped {
    /// The file written.
    pub file: PathBuf,
    /// Its counts.
    pub counts: Counts,
    /// Its proofs' files.
    pub proofs: Vec<ProofFile>,
}

fn failed(what: &str, e: impl std::fmt::Display) -> DbErr {
    DbErr::Custom(format!("{what}: {e}"))
}

/// Runs a program to its end; its error output is the error.
async fn run(mut command: std::process::Command) -> Result<(), DbErr> {
    let name = command.get_program().to_string_lossy().into_owned();
    let out = tokio::task::spawn_blocking(move || command.output())
        .await
        .map_err(|e| failed(&name, e))?
        .map_err(|e| failed(&format!("starting {name}"), e))?;
    if out.status.success() { Ok(()) } else { Err(failed(&name, String::from_utf8_lossy(&out.stderr).trim())) }
}

/// The file behind a `sqlite://` address.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// Copies the database at `url` (open as `db`) into the folder `to`, while the server goes on.
/// PostgreSQL: `pg_dump` reads a snapshot exported by a read-only transaction that also counts,
/// so the counts and proofs are those of the dump to the row. SQLite: `VACUUM INTO`, then the
/// copy itself is counted.
pub async fn dump(db: &Db, url: &str, to: &Path) -> Result<Dumped, DbErr> {
    use sea_orm::{AccessMode, IsolationLevel, TransactionTrait};
    let file = to.join(file_name(db.get_database_backend()));
    if file.exists() {
        return Err(failed("backup", format!("{} exists already", file.display())));
    }
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let txn = db.begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly)).await?;
            let row = txn
                .query_one_raw(sea_orm::Statement::from_string(DbBackend::Postgres, "SELECT pg_export_snapshot() AS s"))
                .await?
                .ok_or_else(|| failed("backup", "no snapshot"))?;
            let snapshot: String = row.try_get("", "s")?;
            let counts = counts(&txn).await?;
            let proofs = proof_files(&txn).await?;
            let mut c = std::process::Command::new("pg_dump");
            c.arg("--format=custom").arg("--no-owner").arg("--snapshot").arg(&snapshot);
            c.arg("--file").arg(&file).arg("--dbname").arg(url);
            run(c).await?;
            txn.commit().await?;
            Ok(Dumped { file, counts, proofs })
        }
        _ => {
            let quoted = file.to_string_lossy().replace('\'', "''");
            db.execute_unprepared(&format!("VACUUM INTO '{quoted}'")).await?;
            // Read only, as it is (no change of journal mode): the copy stays one plain file.
            let copy = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", file.display())).await?;
            let (counts, proofs) = (counts(&copy).await?, proof_files(&copy).await?);
            copy.close().await?;
            Ok(Dumped { file, counts, proofs })
        }
    }
}

/// Restores the copy in the folder `from` into the fresh database at `url`: a SQLite file that
/// does not exist yet, or a PostgreSQL database that does not exist or holds no tables (it is
/// made if missing). Refuses to write over a database in use.
pub async fn restore(url: &str, from: &Path) -> Result<(), DbErr> {
    if url.starts_with("postgres") {
        let source = from.join(file_name(DbBackend::Postgres));
        ensure_empty_postgres(url).await?;
        let mut c = std::process::Command::new("pg_restore");
        c.arg("--no-owner").arg("--exit-on-error").arg("--single-transaction").arg("--dbname").arg(url).arg(&source);
        run(c).await
    } else {
        let source = from.join(file_name(DbBackend::Sqlite));
        let target = sqlite_path(url).ok_or_else(|| failed("restore", "a SQLite address names no file"))?;
        if target.exists() {
            return Err(failed("restore", format!("{} exists already; restore into a new file", target.display())));
        }
        tokio::fs::copy(&source, &target).await.map_err(|e| failed(&format!("copying {}", source.display()), e))?;
        Ok(())
    }
}

/// Makes the database at `url` if it is missing; refuses one that holds tables.
async fn ensure_empty_postgres(url: &str) -> Result<(), DbErr> {
    let (server, name) = url.rsplit_once('/').ok_or_else(|| failed("restore", "no database in the address"))?;
    let name = name.split('?').next().unwrap_or(name);
    let admin = sea_orm::Database::connect(format!("{server}/postgres")).await?;
    let exists = admin
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT 1 FROM pg_database WHERE datname = $1",
            [name.into()],
        ))
        .await?
        .is_some();
    if !exists {
        admin.execute_unprepared(&format!("CREATE DATABASE \"{}\"", name.replace('"', "\"\""))).await?;
    }
    admin.close().await?;
    let target = sea_orm::Database::connect(url).await?;
    let tables = target
        .query_one_raw(sea_orm::Statement::from_string(
            DbBackend::Postgres,
            "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    target.close().await?;
    if tables > 0 {
        return Err(failed("restore", format!("database {name} holds {tables} tables; restore into a new one")));
    }
    Ok(())
}
