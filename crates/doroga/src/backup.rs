//! `doroga backup` and `doroga restore`: the database and the uploaded proofs, into one folder
//! and back into a fresh database (checked against the backup's manifest).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;

/// Where the proofs lie (the server's `--upload-dir`).
#[derive(Debug, Args)]
pub struct Uploads {
    /// The folder of proof-of-purchase files.
    #[arg(long, env = "DOROGA_UPLOAD_DIR", default_value = "uploads")]
    pub upload_dir: PathBuf,
}

/// `doroga backup --to DIR`: an online copy, while the server goes on.
pub async fn backup(url: &str, to: &Path, uploads: &Uploads) -> Result<()> {
    anyhow::ensure!(!to.exists() || std::fs::read_dir(to)?.next().is_none(), "{} is not empty", to.display());
    let db = db::connect(url, 2).await.context("connecting to the database")?;
    let m = app::backup::backup(&db, url, &uploads.upload_dir, to).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "backed up into {}: {} children, {} ledger entries, {} audit entries, {} proof files",
        to.display(),
        m.counts.children,
        m.counts.ledger_entries,
        m.counts.audit_entries,
        m.proof_files
    );
    Ok(())
}

/// `doroga restore --from DIR`: into a fresh database and upload folder, then checked.
pub async fn restore(url: &str, from: &Path, uploads: &Uploads) -> Result<()> {
    let m = app::backup::restore(url, from, &uploads.upload_dir).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "restored the backup of {} and checked it: {} children, {} ledger entries, {} audit entries, {} proof files",
        m.made_at, m.counts.children, m.counts.ledger_entries, m.counts.audit_entries, m.proof_files
    );
    Ok(())
}
