//! Proofs of purchase: the file a school keeps for cash help, accepted or rejected with a reason.
//! The files lie in the upload directory under keys the server made; the records in the database.

use std::path::{Path, PathBuf};

use domain::{Actor, ChildId, EntryId, ProofId};

use crate::entity::proof;
use crate::{Core, Error};

pub use db::proofs::{Decision, StoredFile};

/// Where a stored file lies; the key was made by the server, never by a user.
pub fn path_of(dir: &Path, key: &str) -> Option<PathBuf> {
    let safe = key.split('/').all(|p| !p.is_empty() && p != ".." && p != "." && !p.contains('\\'));
    safe.then(|| dir.join(key))
}

/// Records a stored file as the proof of a ledger entry; a file whose record is refused is
/// removed again from `dir`.
pub async fn add(
    core: &Core,
    actor: &Actor,
    dir: &Path,
    entry_id: EntryId,
    file: &StoredFile,
) -> Result<proof::Model, Error> {
    match db::proofs::add(&core.db, actor, entry_id, file).await {
        Ok(p) => Ok(p),
        Err(e) => {
            remove(dir, &file.storage_key).await;
            Err(e.into())
        }
    }
}

/// A proof in the actor's scope.
pub async fn get(core: &Core, actor: &Actor, id: ProofId) -> Result<proof::Model, Error> {
    Ok(db::proofs::get(&core.db, actor, id).await?)
}

/// A proof and its file, for someone whose scope covers the child; the opening is logged.
pub async fn open(core: &Core, actor: &Actor, dir: &Path, id: ProofId) -> Result<(proof::Model, Vec<u8>), Error> {
    let p = get(core, actor, id).await?;
    let path = path_of(dir, &p.storage_key).ok_or(Error::NotFound)?;
    let bytes = tokio::fs::read(&path).await.map_err(|e| {
        tracing::error!(error = %e, path = %path.display(), "a proof's file is missing");
        Error::NotFound
    })?;
    db::proofs::log_read(&core.db, actor, &p).await?;
    Ok((p, bytes))
}

/// The child whose help a proof belongs to.
pub async fn child_of(core: &Core, actor: &Actor, id: ProofId) -> Result<i64, Error> {
    Ok(db::proofs::child_of(&core.db, actor, id).await?)
}

/// Accepts or rejects a proof.
pub async fn decide(core: &Core, actor: &Actor, id: ProofId, decision: &Decision) -> Result<proof::Model, Error> {
    Ok(db::proofs::decide(&core.db, actor, id, decision).await?)
}

/// A child's proofs.
pub async fn for_child(core: &Core, actor: &Actor, child_id: ChildId) -> Result<Vec<proof::Model>, Error> {
    Ok(db::proofs::for_child(&core.db, actor, child_id).await?)
}

/// Proofs waiting for a decision in the actor's scope, at most `limit`.
pub async fn pending(core: &Core, actor: &Actor, limit: u64) -> Result<Vec<proof::Model>, Error> {
    Ok(db::proofs::pending(&core.db, actor, limit).await?)
}

/// Removes a stored file whose record was refused.
pub async fn remove(dir: &Path, key: &str) {
    if let Some(path) = path_of(dir, key)
        && let Err(e) = tokio::fs::remove_file(&path).await
    {
        tracing::warn!(error = %e, path = %path.display(), "removing a refused upload");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cannot_leave_the_directory() {
        let dir = Path::new("/srv/uploads");
        assert!(path_of(dir, "proofs/2026-08/abc.pdf").is_some());
        assert!(path_of(dir, "../etc/passwd").is_none());
        assert!(path_of(dir, "proofs//x").is_none());
    }
}
