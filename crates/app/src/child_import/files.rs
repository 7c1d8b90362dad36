//! Where an import's upload lives while its job runs, and what a crash leaves behind: the files
//! (children's IINs and names) sit in a private folder of the data directory, each named after
//! its job once the job exists; they go when the job ends, and a start sweeps what a dead server
//! left and marks its jobs failed, with a message the user understands.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use domain::{ErrorCode, FieldError, ImportJobId};

use crate::{Core, Error};

/// How often a running job says it still runs.
pub const HEARTBEAT: Duration = Duration::from_secs(10);
/// Silent this long, a job's server is taken for dead (and an upload not yet a job's, for one
/// that will never be).
pub const STALE: Duration = Duration::from_secs(120);

/// The private folder (0700) of the imports' uploads under `base`, made if missing.
pub fn folder(base: &Path) -> std::io::Result<PathBuf> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    let dir = base.join("imports");
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&dir)?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    Ok(dir)
}

/// A new upload's file in the folder, removed when dropped.
pub fn new_upload(base: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new().prefix("upload-").tempfile_in(folder(base)?)
}

/// The upload renamed after its job (so a sweep can tell whose it is), still removed when dropped.
pub(super) fn claim(upload: tempfile::TempPath, job: i64) -> Result<tempfile::TempPath, Error> {
    let parent = upload.parent().map(Path::to_owned).unwrap_or_default();
    let named = parent.join(format!("job-{job}"));
    upload.persist(&named).map_err(|e| Error::internal(e.error))?;
    tempfile::TempPath::try_from_path(named).map_err(Error::internal)
}

/// A job's heartbeat, stopped when dropped (also when the import panics, so a job that died
/// with its task is not kept alive by a beat of its own).
pub(super) struct Beat(tokio::task::JoinHandle<()>);

impl Drop for Beat {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Marks the job alive every [`HEARTBEAT`] while the returned beat lives.
pub(super) fn beat(core: &Core, job: i64) -> Beat {
    let core = core.clone();
    Beat(tokio::spawn(async move {
        loop {
            tokio::time::sleep(HEARTBEAT).await;
            if let Err(e) = db::child_import::heartbeat(&core.db, ImportJobId(job)).await {
                tracing::warn!(error = %e, job, "marking an import alive");
            }
        }
    }))
}

/// What a start found: jobs marked failed, files removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Recovered {
    /// Jobs whose server died, now failed.
    pub jobs: usize,
    /// Uploads nobody runs, removed.
    pub files: usize,
}

/// At a start: the jobs this server's previous process ran, and those no server has marked for
/// [`STALE`], are failed (their transaction never committed, so nothing of them was written), and
/// the uploads that no live job holds are removed.
pub async fn recover(core: &Core, base: &Path) -> Result<Recovered, Error> {
    let stale = stale_before();
    let jobs = db::child_import::fail_abandoned(&core.db, stale, Some(core.runner()), &interrupted()).await? as usize;
    let live = db::child_import::live_jobs(&core.db, stale).await?;
    let mut files = 0;
    let dir = folder(base).map_err(Error::internal)?;
    for entry in std::fs::read_dir(&dir).map_err(Error::internal)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let keep = match name.strip_prefix("job-").and_then(|id| id.parse::<i64>().ok()) {
            Some(id) => live.contains(&id),
            // An upload still arriving on another server is younger than STALE.
            None => entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|at| SystemTime::now().duration_since(at).unwrap_or_default() < STALE),
        };
        if !keep && std::fs::remove_file(entry.path()).is_ok() {
            files += 1;
        }
    }
    Ok(Recovered { jobs, files })
}

/// While serving, now and then: the jobs of a server that died and was not started again are
/// failed once their heartbeat is [`STALE`] (any server sees it). Returns how many.
pub async fn fail_stale(core: &Core) -> Result<u64, Error> {
    Ok(db::child_import::fail_abandoned(&core.db, stale_before(), None, &interrupted()).await?)
}

/// What an interrupted job says.
fn interrupted() -> [FieldError; 1] {
    [FieldError::new("file", ErrorCode::ImportInterrupted)]
}

/// A heartbeat older than this is a dead server's.
fn stale_before() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() - chrono::Duration::from_std(STALE).unwrap_or_default()
}
