//! Import of a school's children list from XLSX or CSV: the file is streamed to disk by the
//! web layer, then read twice in bounded batches here (check every row, then write all of it in
//! one transaction), with the progress kept for the page that polls it.

mod files;
mod read;
mod template;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use domain::child::ChildFields;
use domain::{Actor, CampaignId, ErrorCode, FieldError, ImportJobId, OrgUnitId};
use read::{Batch, Choices, Columns};
use tokio::sync::mpsc;

use crate::entity::{campaign, import_job, org_unit};
use crate::{Core, Error};

pub use files::{HEARTBEAT, Recovered, STALE, fail_stale, folder, new_upload, recover};
pub use read::{COLUMNS, MAX_ROWS, header};
pub use template::template;

/// Where a running import stands, kept by the server that runs it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// 1: checking rows, 2: writing.
    pub phase: u8,
    /// Rows done in this phase.
    pub done: u64,
    /// Rows in the file (known after the check).
    pub total: u64,
}

/// Progress of the imports running in this process.
#[derive(Debug, Default)]
pub struct Jobs(Mutex<HashMap<i64, Progress>>);

impl Jobs {
    /// The progress of a job, if it runs here.
    pub fn get(&self, id: i64) -> Option<Progress> {
        self.0.lock().ok().and_then(|m| m.get(&id).copied())
    }

    fn set(&self, id: i64, p: Progress) {
        if let Ok(mut m) = self.0.lock() {
            m.insert(id, p);
        }
    }

    fn remove(&self, id: i64) {
        if let Ok(mut m) = self.0.lock() {
            m.remove(&id);
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Rows in the file.
    pub rows: u64,
    /// New records.
    pub created: usize,
    /// Records updated by IIN.
    pub updated: usize,
}

/// Runs an import to the end, removes the file and records the outcome on the job.
async fn run(
    core: Core,
    actor: Actor,
    c: campaign::Model,
    school: org_unit::Model,
    file: tempfile::TempPath,
    job: i64,
) {
    let alive = files::beat(&core, job);
    let outcome = import(&core, &actor, &c, &school, &file, job).await;
    drop(alive);
    core.jobs.remove(job);
    // The upload goes before the job says it is over: whoever sees it finished sees no file left.
    drop(file);
    let result = match outcome {
        Ok(summary) => {
            db::child_import::finish_job(
                &core.db,
                ImportJobId(job),
                summary.rows as i64,
                &[],
                0,
                serde_json::to_value(summary).ok(),
            )
            .await
        }
        Err((rows, errors, count)) => {
            db::child_import::finish_job(&core.db, ImportJobId(job), rows as i64, &errors, count as i64, None).await
        }
    };
    if let Err(e) = result {
        tracing::error!(error = %e, job, "recording the end of an import");
    }
}

/// Why an import did not write: the rows read, the errors kept, how many there were in all.
pub type Failure = (u64, Vec<FieldError>, usize);

/// Checks every row, then writes the whole file in one transaction; returns every bad row.
/// [`start`] runs it in a task of its own; the benchmark calls it directly to time it.
pub async fn import(
    core: &Core,
    actor: &Actor,
    c: &campaign::Model,
    school: &org_unit::Model,
    path: &Path,
    job: i64,
) -> Result<Summary, Failure> {
    let choices = Choices::new(&core.catalog);
    let today = domain::calendar::today();
    // Pass 1: check every row; the IINs seen so far stay in memory (12 bytes each).
    let mut errors: Vec<FieldError> = Vec::new();
    let mut error_count = 0usize;
    let mut seen: HashMap<String, usize> = HashMap::new();
    // IINs this school already holds: updated, not inserted, when the file is written.
    let mut known: HashMap<String, i64> = HashMap::new();
    let mut rows = 0u64;
    let mut columns: Option<Columns> = None;
    let mut rx = spawn_reader(path);
    let keep = |errors: &mut Vec<FieldError>, count: &mut usize, e: FieldError| {
        *count += 1;
        if errors.len() < db::child_import::ERRORS_KEPT {
            errors.push(e);
        }
    };
    while let Some(batch) = rx.recv().await {
        let batch = batch.map_err(|e| (rows, e.0.clone(), e.0.len()))?;
        let mut checked: Vec<(usize, String)> = Vec::new();
        for (row, cells) in batch {
            let Some(cols) = &columns else {
                columns = Some(Columns::find(&core.catalog, &cells).map_err(|e| (0, e.0.clone(), e.0.len()))?);
                continue;
            };
            if cells.iter().all(|c| c.is_empty()) || cols.is_example(&cells) {
                continue;
            }
            rows += 1;
            let input = cols.input(&choices, &cells);
            match input.parse(today) {
                Ok(f) => {
                    let iin = f.iin.as_str().to_owned();
                    if let Some(first) = seen.get(&iin) {
                        let mut e = FieldError::new("iin", ErrorCode::DuplicateInFile).at_row(row);
                        e.limit = Some(*first as i64);
                        keep(&mut errors, &mut error_count, e);
                    } else {
                        seen.insert(iin.clone(), row);
                        checked.push((row, iin));
                    }
                }
                Err(invalid) => {
                    for e in Columns::own_names(&input, invalid.0) {
                        keep(&mut errors, &mut error_count, e.at_row(row));
                    }
                }
            }
        }
        // The registry: an IIN another school holds is an error of this file.
        let iins: Vec<String> = checked.iter().map(|(_, i)| i.clone()).collect();
        let found =
            db::child_import::existing(core.bulk(), CampaignId(c.id), &iins).await.map_err(|e| internal(rows, &e))?;
        for (row, iin) in &checked {
            match found.get(iin) {
                Some((_, s)) if *s != school.id => {
                    keep(
                        &mut errors,
                        &mut error_count,
                        FieldError::new("iin", ErrorCode::AlreadyRegistered).at_row(*row),
                    );
                }
                Some((id, _)) => {
                    known.insert(iin.clone(), *id);
                }
                None => {}
            }
        }
        core.jobs.set(job, Progress { phase: 1, done: rows, total: 0 });
    }
    if columns.is_none() {
        return Err((0, vec![FieldError::new("file", ErrorCode::FileEmpty)], 1));
    }
    tracing::info!(job, rows, errors = error_count, "import: rows checked");
    if error_count > 0 {
        return Err((rows, errors, error_count));
    }
    drop(seen);
    // Pass 2: write everything in one transaction, batch by batch.
    let txn = db::write_txn(core.bulk()).await.map_err(|e| internal(rows, &e))?;
    let mut rx = spawn_reader(path);
    let mut summary = Summary { rows, ..Summary::default() };
    let mut done = 0u64;
    let mut header_seen = false;
    while let Some(batch) = rx.recv().await {
        let batch = batch.map_err(|e| (rows, e.0.clone(), e.0.len()))?;
        let mut parsed: Vec<(usize, ChildFields)> = Vec::with_capacity(batch.len());
        for (row, cells) in batch {
            if !header_seen {
                header_seen = true;
                continue;
            }
            let cols = columns.as_ref().ok_or_else(|| (rows, Vec::new(), 0))?;
            if cells.iter().all(|c| c.is_empty()) || cols.is_example(&cells) {
                continue;
            }
            let input = cols.input(&choices, &cells);
            match input.parse(today) {
                Ok(f) => parsed.push((row, f)),
                Err(invalid) => {
                    let errors = Columns::own_names(&input, invalid.0).into_iter().map(|e| e.at_row(row)).collect();
                    return Err((rows, errors, 1));
                }
            }
        }
        if parsed.is_empty() {
            continue;
        }
        match db::child_import::write_batch(&txn, actor, c, school, &parsed, &known).await {
            Ok(w) => {
                summary.created += w.created;
                summary.updated += w.updated;
            }
            Err(db::Error::Invalid(invalid)) => {
                let n = invalid.0.len();
                return Err((rows, invalid.0, n));
            }
            Err(e) => return Err(internal(rows, &e)),
        }
        done += parsed.len() as u64;
        core.jobs.set(job, Progress { phase: 2, done, total: rows });
    }
    txn.commit().await.map_err(|e| internal(rows, &e))?;
    tracing::info!(job, created = summary.created, updated = summary.updated, "import: written");
    if summary.created >= db::child_import::RESTAT_AFTER {
        // The data is written; statistics that lag only slow the next look-ups down.
        if let Err(e) = db::child_import::refresh_statistics(&core.db).await {
            tracing::warn!(error = %e, "import: statistics not refreshed");
        }
    }
    Ok(summary)
}

fn internal(rows: u64, e: &dyn std::fmt::Display) -> Failure {
    tracing::error!(error = %e, "import failed");
    (rows, vec![FieldError::new("file", ErrorCode::ImportFailed)], 1)
}

fn spawn_reader(path: &Path) -> mpsc::Receiver<Batch> {
    let (tx, rx) = mpsc::channel(2);
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || read::stream(path, tx));
    rx
}

/// Starts an import of the file at `path` into a school in scope for the current campaign;
/// returns the job's id at once, and the import runs on. The file is removed when it ends.
pub async fn start(
    core: &Core,
    actor: &Actor,
    school: Option<i64>,
    name: &str,
    path: tempfile::TempPath,
) -> Result<ImportJobId, Error> {
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    let campaign = crate::campaigns::chosen(core, None).await?;
    let school = school.ok_or_else(|| Error::Invalid(domain::Invalid::one("school_id", ErrorCode::Required)))?;
    let school = db::org::get(&core.db, actor, OrgUnitId(school)).await?;
    if school.kind != "school" || !school.active {
        return Err(Error::Invalid(domain::Invalid::one("school_id", ErrorCode::NotASchool)));
    }
    let job = db::child_import::create_job(
        &core.db,
        actor,
        OrgUnitId(school.id),
        CampaignId(campaign.id),
        name,
        core.runner(),
    )
    .await?;
    let path = files::claim(path, job.id)?;
    tokio::spawn(run(core.clone(), actor.clone(), campaign, school, path, job.id));
    Ok(ImportJobId(job.id))
}

/// A job as it stands: the record, the progress while it runs here, the outcome after.
#[derive(Debug, Clone)]
pub struct JobView {
    /// The job's record.
    pub job: import_job::Model,
    /// Where it stands, while this process runs it.
    pub progress: Option<Progress>,
    /// What it did, once it succeeded.
    pub summary: Option<Summary>,
    /// The bad rows kept with a failed job.
    pub errors: Vec<FieldError>,
}

impl JobView {
    /// Still running?
    pub fn running(&self) -> bool {
        self.job.status == "running"
    }

    /// Percent written (0 while the rows are checked).
    pub fn percent(&self) -> u64 {
        self.progress.map_or(0, |p| match p.phase {
            1 => 0,
            _ if p.total == 0 => 0,
            _ => p.done * 100 / p.total,
        })
    }
}

/// A job in the actor's scope, as it stands.
pub async fn job(core: &Core, actor: &Actor, id: ImportJobId) -> Result<JobView, Error> {
    let job = db::child_import::job(&core.db, actor, id).await?;
    let summary =
        job.summary.as_deref().and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok()).map(|v| Summary {
            rows: v["rows"].as_u64().unwrap_or(0),
            created: v["created"].as_u64().unwrap_or(0) as usize,
            updated: v["updated"].as_u64().unwrap_or(0) as usize,
        });
    Ok(JobView { progress: core.jobs.get(job.id), summary, errors: stored_errors(&job), job })
}

/// The row errors kept with a failed job.
fn stored_errors(job: &import_job::Model) -> Vec<FieldError> {
    job.errors
        .as_deref()
        .and_then(|s| serde_json::from_str::<Vec<serde_json::Value>>(s).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|v| {
            // A code no longer known (written by an older version) reads as the file's failure.
            let code = v["code"].as_str().and_then(ErrorCode::parse).unwrap_or(ErrorCode::ImportFailed);
            let mut e = FieldError::new(v["field"].as_str().unwrap_or("file"), code);
            e.row = v["row"].as_u64().map(|r| r as usize);
            e.limit = v["limit"].as_i64();
            e
        })
        .collect()
}
