//! Backup and restore: the database (an online copy or PostgreSQL's dump) with the uploaded proofs
//! of purchase, in one folder with a manifest of what it holds; a restore into a fresh database
//! is checked against the manifest (the counts, and every proof file against its SHA-256) before
//! it is called done. Imports' uploads are not kept: they live only while their job runs.

use std::path::{Path, PathBuf};

use db::backup::Counts;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Error;

/// The manifest's file name in a backup folder.
pub const MANIFEST: &str = "backup.json";

/// The folder of proof files inside a backup.
const PROOFS: &str = "proofs";

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// When it was made (RFC 3339).
    pub made_at: String,
    /// The database's counts at the copy.
    pub counts: Counts,
    /// Proof files copied.
    pub proof_files: u64,
}

fn io(what: &str, path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let what = format!("{what} {}", path.display());
    move |e| Error::Internal(format!("{what}: {e}"))
}

async fn sha256_of(path: &Path) -> Result<String, Error> {
    let bytes = tokio::fs::read(path).await.map_err(io("reading", path))?;
    Ok(hex::encode(Sha256::digest(&bytes)))
}

/// Backs up the database at `url` (open as `db`) and the proofs under `upload_dir` into the new
/// folder `to`, while the server goes on. The proofs copied are those the database copy knows: a
/// proof's file is stored before its row is written, so each has its file.
pub async fn backup(db: &db::Db, url: &str, upload_dir: &Path, to: &Path) -> Result<Manifest, Error> {
    tokio::fs::create_dir_all(to.join(PROOFS)).await.map_err(io("making", to))?;
    let dumped = db::backup::dump(db, url, to).await?;
    for p in &dumped.proofs {
        copy_proof(upload_dir, &to.join(PROOFS), &p.storage_key).await?;
    }
    let manifest = Manifest {
        backend: backend_name(url).to_owned(),
        made_at: chrono::Utc::now().to_rfc3339(),
        counts: dumped.counts,
        proof_files: dumped.proofs.len() as u64,
    };
    let text = serde_json::to_vec_pretty(&manifest).map_err(Error::internal)?;
    tokio::fs::write(to.join(MANIFEST), text).await.map_err(io("writing", to))?;
    Ok(manifest)
}

fn backend_name(url: &str) -> &'static str {
    if url.starts_with("postgres") { "postgres" } else { "sqlite" }
}

/// Restores the backup in `from` into the fresh database at `url` and its proofs into
/// `upload_dir`, then checks the restored database's counts and every proof file against the
/// backup. Returns the manifest.
pub async fn restore(url: &str, from: &Path, upload_dir: &Path) -> Result<Manifest, Error> {
    let text = tokio::fs::read(from.join(MANIFEST)).await.map_err(io("reading", &from.join(MANIFEST)))?;
    let manifest: Manifest = serde_json::from_slice(&text).map_err(Error::internal)?;
    if manifest.backend != backend_name(url) {
        return Err(Error::Internal(format!(
            "a {} backup cannot be restored into {}",
            manifest.backend,
            backend_name(url)
        )));
    }
    db::backup::restore(url, from).await?;
    let restored = db::connect(url, 2).await?;
    let counts = db::backup::counts(&restored).await?;
    if counts != manifest.counts {
        return Err(Error::Internal(format!("restored {counts:?}, the backup holds {:?}", manifest.counts)));
    }
    let proofs = db::backup::proof_files(&restored).await?;
    for p in &proofs {
        let into = copy_proof(&from.join(PROOFS), upload_dir, &p.storage_key).await?;
        if sha256_of(&into).await? != p.sha256 {
            return Err(Error::Internal(format!("proof {}: the restored file differs from its record", p.id)));
        }
    }
    let checked = proofs.len() as u64;
    restored.close().await?;
    if checked != manifest.proof_files {
        return Err(Error::Internal(format!(
            "restored {checked} proof files, the backup holds {}",
            manifest.proof_files
        )));
    }
    Ok(manifest)
}

/// Copies the proof file `key` from the folder `from` into the folder `into` (making its
/// subfolders); returns where it now lies.
async fn copy_proof(from: &Path, into: &Path, key: &str) -> Result<PathBuf, Error> {
    let (source, target) = (proof_path(from, key)?, proof_path(into, key)?);
    if let Some(parent) = target.parent() {
        tokio::fs::create_dir_all(parent).await.map_err(io("making", parent))?;
    }
    tokio::fs::copy(&source, &target).await.map_err(io("copying", &source))?;
    Ok(target)
}

fn proof_path(dir: &Path, key: &str) -> Result<PathBuf, Error> {
    crate::proofs::path_of(dir, key)
        .ok_or_else(|| Error::Internal(format!("a proof's storage key is not a plain path: {key}")))
}
