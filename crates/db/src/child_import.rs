//! Bulk import of a school's children list: jobs, the registry look-up for a batch of IINs,
//! and batched writes inside the one transaction the caller holds for the whole file.

use std::collections::HashMap;

use chrono::Utc;
use domain::child::{ChildFields, Status};
use domain::{Actor, CampaignId, ErrorCode, FieldError, ImportJobId, Invalid, OrgUnitId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    IntoActiveModel, Iterable, QueryFilter, QuerySelect,
};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{campaign, child, child_status, import_job, org_unit};
use crate::error::Error;

/// Rows written per statement (SQLite allows 32,766 bound values; a child has 30 columns).
pub const BATCH: usize = 500;
/// Most row errors kept with a failed job.
pub const ERRORS_KEPT: usize = 1_000;

/// Records added by one import from which the planner's statistics are refreshed at once.
pub const RESTAT_AFTER: usize = 1_000;

/// Refreshes the statistics of the registry's tables after a large import. Until autovacuum
/// catches up (a minute or more), PostgreSQL plans from the sizes it saw before: it then reads
/// the IINs of a corrected file, imported right after, by scanning the campaign's records for
/// each batch (10,000 records re-imported took 6.2–7.1 s instead of 2.3 s). SQLite gets
/// `PRAGMA optimize`.
pub async fn refresh_statistics(db: &Db) -> Result<(), DbErr> {
    let sql = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => "ANALYZE children, child_categories, child_needs",
        _ => "PRAGMA optimize",
    };
    db.execute_unprepared(sql).await.map(|_| ())
}

/// Starts a job for `file_name`, importing into `school`.
pub async fn create_job(
    db: &Db,
    actor: &Actor,
    school: OrgUnitId,
    campaign_id: CampaignId,
    file_name: &str,
    runner: &str,
) -> Result<import_job::Model, DbErr> {
    let school = school.0;
    let campaign_id = campaign_id.0;
    import_job::ActiveModel {
        user_id: Set(actor.user_id.0),
        unit_id: Set(school),
        campaign_id: Set(campaign_id),
        file_name: Set(file_name.chars().take(200).collect()),
        status: Set("running".into()),
        total_rows: Set(0),
        error_count: Set(0),
        created_at: Set(Utc::now()),
        heartbeat_at: Set(Some(Utc::now())),
        runner: Set(Some(runner.chars().take(100).collect())),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Marks a running job as alive now (its server calls it every few seconds).
pub async fn heartbeat(db: &Db, id: ImportJobId) -> Result<(), DbErr> {
    import_job::Entity::update_many()
        .col_expr(import_job::Column::HeartbeatAt, Expr::value(Utc::now()))
        .filter(import_job::Column::Id.eq(id.0))
        .filter(import_job::Column::Status.eq("running"))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks failed, with `errors`, every job still "running" whose server has not marked it since
/// `stale_before` (that server died), and, given `dead_runner`, every one that server ran (a
/// server starting again: its jobs died with its previous process). Returns how many.
pub async fn fail_abandoned(
    db: &Db,
    stale_before: chrono::DateTime<Utc>,
    dead_runner: Option<&str>,
    errors: &[FieldError],
) -> Result<u64, DbErr> {
    let mut dead = sea_orm::Condition::any()
        .add(import_job::Column::HeartbeatAt.is_null())
        .add(import_job::Column::HeartbeatAt.lt(stale_before));
    if let Some(runner) = dead_runner {
        dead = dead.add(import_job::Column::Runner.eq(runner));
    }
    let done = import_job::Entity::update_many()
        .col_expr(import_job::Column::Status, Expr::value("failed"))
        .col_expr(import_job::Column::Errors, Expr::value(serde_json::to_string(errors).unwrap_or_default()))
        .col_expr(import_job::Column::ErrorCount, Expr::value(errors.len() as i64))
        .col_expr(import_job::Column::FinishedAt, Expr::value(Utc::now()))
        .filter(import_job::Column::Status.eq("running"))
        .filter(dead)
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

/// The ids of the jobs running with a fresh heartbeat (since `fresh_after`), on any server.
pub async fn live_jobs(db: &Db, fresh_after: chrono::DateTime<Utc>) -> Result<Vec<i64>, DbErr> {
    import_job::Entity::find()
        .select_only()
        .column(import_job::Column::Id)
        .filter(import_job::Column::Status.eq("running"))
        .filter(import_job::Column::HeartbeatAt.gte(fresh_after))
        .into_tuple()
        .all(db)
        .await
}

/// Records a job's end: `done` with a summary, or `failed` with its row errors.
pub async fn finish_job(
    db: &Db,
    id: ImportJobId,
    total_rows: i64,
    errors: &[FieldError],
    error_count: i64,
    summary: Option<serde_json::Value>,
) -> Result<(), DbErr> {
    let id = id.0;
    let job = import_job::Entity::find_by_id(id).one(db).await?;
    let Some(job) = job else { return Ok(()) };
    let mut job: import_job::ActiveModel = job.into();
    job.status = Set(if error_count == 0 && summary.is_some() { "done" } else { "failed" }.into());
    job.total_rows = Set(total_rows);
    job.error_count = Set(error_count);
    job.errors = Set((!errors.is_empty())
        .then(|| serde_json::to_string(&errors[..errors.len().min(ERRORS_KEPT)]).unwrap_or_default()));
    job.summary = Set(summary.map(|s| s.to_string()));
    job.finished_at = Set(Some(Utc::now()));
    job.update(db).await?;
    Ok(())
}

/// A job the actor started, or one for a school in the actor's scope.
pub async fn job(db: &impl ConnectionTrait, actor: &Actor, id: ImportJobId) -> Result<import_job::Model, Error> {
    let id = id.0;
    let job = import_job::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    if job.user_id == actor.user_id.0 {
        return Ok(job);
    }
    // A job's errors name children by IIN: only those who may read personal data see another's.
    if !actor.role.can_read_personal_data() {
        return Err(Error::Forbidden);
    }
    crate::org::get(db, actor, domain::OrgUnitId(job.unit_id)).await?;
    Ok(job)
}

/// Where each of these IINs is already registered in the campaign: IIN → (child, school).
pub async fn existing(
    db: &impl ConnectionTrait,
    campaign_id: CampaignId,
    iins: &[String],
) -> Result<HashMap<String, (i64, i64)>, DbErr> {
    let campaign_id = campaign_id.0;
    let rows: Vec<(String, i64, i64)> = child::Entity::find()
        .select_only()
        .column(child::Column::Iin)
        .column(child::Column::Id)
        .column(child::Column::SchoolId)
        .filter(child::Column::CampaignId.eq(campaign_id))
        .filter(child::Column::Iin.is_in(iins.iter().cloned()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(iin, id, school)| (iin, (id, school))).collect())
}

/// What a batch did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    /// New records.
    pub created: usize,
    /// Records of the same school updated by IIN.
    pub updated: usize,
}

/// Writes one batch of checked rows into the open transaction: IINs the school already holds
/// (`known`, found while checking the file) are updated, the others inserted in bulk. An IIN
/// registered meanwhile by someone else hits the unique index and fails the whole import.
pub async fn write_batch(
    txn: &DatabaseTransaction,
    actor: &Actor,
    c: &campaign::Model,
    school: &org_unit::Model,
    rows: &[(usize, ChildFields)],
    known: &HashMap<String, i64>,
) -> Result<Written, Error> {
    let now = Utc::now();
    let mut written = Written::default();
    let (old_rows, new_rows): (Vec<_>, Vec<_>) =
        rows.iter().map(|(_, f)| f).partition(|f| known.contains_key(f.iin.as_str()));
    if !old_rows.is_empty() {
        let ids = old_rows.iter().filter_map(|f| known.get(f.iin.as_str()).copied());
        let before: HashMap<i64, child::Model> = child::Entity::find()
            .filter(child::Column::Id.is_in(ids))
            .all(txn)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        let mut parts = Vec::with_capacity(old_rows.len());
        let mut models = Vec::with_capacity(old_rows.len());
        for f in &old_rows {
            let id = known[f.iin.as_str()];
            let mut m = before.get(&id).cloned().ok_or(Error::NotFound)?.into_active_model().reset_all();
            crate::children::apply(&mut m, f);
            models.push(m);
            parts.push((id, *f));
        }
        // One statement updates the whole batch: an upsert on the id, which every row already
        // has, writing every column (those the file does not carry keep their values).
        let columns = child::Column::iter().filter(|c| !matches!(c, child::Column::Id));
        child::Entity::insert_many(models)
            .on_conflict(OnConflict::column(child::Column::Id).update_columns(columns).to_owned())
            .exec_without_returning(txn)
            .await?;
        crate::children::replace_parts(txn, &parts).await?;
        written.updated += old_rows.len();
    }
    if !new_rows.is_empty() {
        let models = new_rows.iter().map(|f| {
            let mut m = child::ActiveModel {
                campaign_id: Set(c.id),
                school_id: Set(school.id),
                unit_path: Set(school.path.clone()),
                status: Set(Status::Identified.as_str().to_owned()),
                status_reason: Set(None),
                created_at: Set(now),
                ..Default::default()
            };
            crate::children::apply(&mut m, f);
            m
        });
        let inserted = child::Entity::insert_many(models)
            .exec_with_returning(txn)
            .await
            .map_err(crate::error::unique_as("iin"))
            .map_err(|e| match e {
                Error::Invalid(_) => Error::Invalid(Invalid::one("iin", ErrorCode::AlreadyRegistered)),
                other => other,
            })?;
        let ids: HashMap<String, i64> = inserted.into_iter().map(|m| (m.iin, m.id)).collect();
        let mut parts = Vec::with_capacity(new_rows.len());
        let mut history = Vec::new();
        for f in &new_rows {
            let Some(id) = ids.get(f.iin.as_str()) else { continue };
            parts.push((*id, *f));
            history.push(child_status::ActiveModel {
                child_id: Set(*id),
                from_status: Set(None),
                to_status: Set(Status::Identified.as_str().to_owned()),
                reason: Set(None),
                actor_id: Set(Some(actor.user_id.0)),
                actor_login: Set(actor.login.clone()),
                at: Set(now),
                ..Default::default()
            });
        }
        crate::children::insert_parts(txn, &parts).await?;
        child_status::Entity::insert_many(history).exec_without_returning(txn).await?;
        written.created += new_rows.len();
    }
    let entry = Entry {
        action: "import",
        entity: "child",
        entity_id: None,
        unit_path: Some(&school.path),
        before: None,
        after: Some(json!({ "rows": rows.iter().map(|(r, f)| json!([r, f.iin.as_str()])).collect::<Vec<_>>(),
                            "created": written.created, "updated": written.updated })),
    };
    audit::record(txn, Who::User(actor), entry).await?;
    Ok(written)
}
