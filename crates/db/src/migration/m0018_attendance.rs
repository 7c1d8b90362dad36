//! Pupils who do not come to school, and the case that follows each until it is back
//! (MISSION.md §6).
//!
//! - `absent_days`: a pupil (by IIN) absent from its school on a school day, typed by the school or
//!   read from the e-journal; one row per pupil and day, so a file read twice adds nothing.
//! - `journal_coverage`: the last day a school's attendance record covers (the days after it are
//!   not known yet, so they count neither as present nor as absent).
//! - `absences`: a pupil who is not attending, one per pupil and campaign: its name as the school
//!   gave it, the registry record with the same IIN if there is one (a pupil outside the aid
//!   registry has none), the first day missed, the reason (unknown until the school says, for one
//!   the early warning found), the day back, and the school days out so far.
//! - `cases`: the follow-up of an absence, one each; open, awaiting the district's second signature
//!   (closed without the pupil back), or closed.
//! - `case_steps`: what is done for it, each with an owner, a due date and an outcome, keyed by the
//!   phone's id when made offline; `state` is `todo`, `done` or `dropped` (the case closed first),
//!   so that the task lists read only what is still to do from an index.
//! - `warning_thresholds`: a region's early-warning thresholds (the defaults apply without a row).
//! - `calendar_days`: the republic's changes to the built-in calendar (a day off on a weekday, or
//!   a weekend day worked).
//!
//! IINs and paths sort by bytes on PostgreSQL, as in m0008.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables, with `{id}` for the key's type, `{c}` for the bytewise collation, `{ts}` for a
/// timestamp.
const TABLES: [&str; 7] = [
    "CREATE TABLE absent_days (campaign_id BIGINT NOT NULL REFERENCES campaigns (id), \
     iin VARCHAR(12){c} NOT NULL, day DATE NOT NULL, school_id BIGINT NOT NULL REFERENCES org_units (id), \
     PRIMARY KEY (campaign_id, iin, day))",
    "CREATE TABLE journal_coverage (campaign_id BIGINT NOT NULL REFERENCES campaigns (id), \
     school_id BIGINT NOT NULL REFERENCES org_units (id), known_until DATE NOT NULL, \
     PRIMARY KEY (campaign_id, school_id))",
    "CREATE TABLE absences (id {id}, campaign_id BIGINT NOT NULL REFERENCES campaigns (id), \
     unit_path VARCHAR(255){c} NOT NULL, region_id BIGINT NOT NULL, district_id BIGINT NOT NULL, \
     school_id BIGINT NOT NULL REFERENCES org_units (id), iin VARCHAR(12){c} NOT NULL, \
     surname VARCHAR(100) NOT NULL, first_name VARCHAR(100) NOT NULL, grade SMALLINT NULL, \
     child_id BIGINT NULL REFERENCES children (id), first_day DATE NOT NULL, reason VARCHAR(32) NULL, \
     returned_on DATE NULL, days_out INTEGER NOT NULL DEFAULT 0, note TEXT NULL, \
     source VARCHAR(16) NOT NULL, created_by BIGINT NOT NULL REFERENCES users (id), created_at {ts} NOT NULL, \
     updated_by BIGINT NOT NULL REFERENCES users (id), updated_at {ts} NOT NULL, \
     version INTEGER NOT NULL DEFAULT 1)",
    "CREATE TABLE cases (id {id}, absence_id BIGINT NOT NULL REFERENCES absences (id), \
     campaign_id BIGINT NOT NULL REFERENCES campaigns (id), unit_path VARCHAR(255){c} NOT NULL, \
     region_id BIGINT NOT NULL, district_id BIGINT NOT NULL, school_id BIGINT NOT NULL, \
     status VARCHAR(16) NOT NULL, opened_on DATE NOT NULL, opened_by BIGINT NULL REFERENCES users (id), \
     warning VARCHAR(16) NULL, warning_value INTEGER NULL, closing VARCHAR(16) NULL, closed_on DATE NULL, \
     receiving_school VARCHAR(300) NULL, closing_note TEXT NULL, closed_by BIGINT NULL REFERENCES users (id), \
     signed_by BIGINT NULL REFERENCES users (id), signed_at {ts} NULL, created_at {ts} NOT NULL, \
     updated_at {ts} NOT NULL, version INTEGER NOT NULL DEFAULT 1)",
    "CREATE TABLE case_steps (id {id}, case_id BIGINT NOT NULL REFERENCES cases (id), \
     absence_id BIGINT NOT NULL REFERENCES absences (id), \
     client_id VARCHAR(36){c} NULL, campaign_id BIGINT NOT NULL REFERENCES campaigns (id), \
     region_id BIGINT NOT NULL, district_id BIGINT NOT NULL, school_id BIGINT NOT NULL, \
     kind VARCHAR(32) NOT NULL, owner_id BIGINT NULL REFERENCES users (id), due_on DATE NOT NULL, \
     done_on DATE NULL, outcome TEXT NULL, state VARCHAR(8) NOT NULL, \
     created_by BIGINT NULL REFERENCES users (id), created_at {ts} NOT NULL, \
     updated_by BIGINT NULL REFERENCES users (id), updated_at {ts} NOT NULL, version INTEGER NOT NULL DEFAULT 1)",
    "CREATE TABLE warning_thresholds (region_id BIGINT PRIMARY KEY REFERENCES org_units (id), \
     streak SMALLINT NOT NULL, share_permille SMALLINT NOT NULL, \
     updated_by BIGINT NOT NULL REFERENCES users (id), updated_at {ts} NOT NULL)",
    "CREATE TABLE calendar_days (day DATE PRIMARY KEY, school_day SMALLINT NOT NULL, \
     updated_by BIGINT NOT NULL REFERENCES users (id), updated_at {ts} NOT NULL)",
];

const INDEXES: [&str; 24] = [
    // A school's days absent by day (the day's list), and a pupil's run of days from the key.
    "CREATE INDEX ix_absent_days_school ON absent_days (campaign_id, school_id, day)",
    "CREATE UNIQUE INDEX ux_absences_pupil ON absences (campaign_id, iin)",
    // Each scope's list, most days out first, and the same for one reason.
    "CREATE INDEX ix_absences_all ON absences (campaign_id, days_out, id)",
    "CREATE INDEX ix_absences_region ON absences (campaign_id, region_id, days_out, id)",
    "CREATE INDEX ix_absences_district ON absences (campaign_id, district_id, days_out, id)",
    "CREATE INDEX ix_absences_school ON absences (campaign_id, school_id, days_out, id)",
    "CREATE INDEX ix_absences_all_reason ON absences (campaign_id, reason, days_out, id)",
    "CREATE INDEX ix_absences_region_reason ON absences (campaign_id, region_id, reason, days_out, id)",
    "CREATE INDEX ix_absences_district_reason ON absences (campaign_id, district_id, reason, days_out, id)",
    "CREATE INDEX ix_absences_school_reason ON absences (campaign_id, school_id, reason, days_out, id)",
    // A unit's figures for a report: reasons, returns, the curve by day.
    "CREATE INDEX ix_absences_path ON absences (campaign_id, unit_path, first_day)",
    "CREATE INDEX ix_absences_child ON absences (child_id) WHERE child_id IS NOT NULL",
    "CREATE UNIQUE INDEX ux_cases_absence ON cases (absence_id)",
    // Each scope's cases by status, newest first.
    "CREATE INDEX ix_cases_all ON cases (campaign_id, status, id)",
    "CREATE INDEX ix_cases_region ON cases (campaign_id, region_id, status, id)",
    "CREATE INDEX ix_cases_district ON cases (campaign_id, district_id, status, id)",
    "CREATE INDEX ix_cases_school ON cases (campaign_id, school_id, status, id)",
    "CREATE INDEX ix_steps_case ON case_steps (case_id, id)",
    "CREATE UNIQUE INDEX ux_steps_client ON case_steps (client_id)",
    // The task lists: what is still to do, soonest due first, for each scope and an owner.
    "CREATE INDEX ix_steps_all ON case_steps (campaign_id, state, due_on, id)",
    "CREATE INDEX ix_steps_region ON case_steps (campaign_id, region_id, state, due_on, id)",
    "CREATE INDEX ix_steps_district ON case_steps (campaign_id, district_id, state, due_on, id)",
    "CREATE INDEX ix_steps_school ON case_steps (campaign_id, school_id, state, due_on, id)",
    "CREATE INDEX ix_steps_owner ON case_steps (owner_id, state, due_on, id)",
];

const DROPPED: [&str; 7] =
    ["calendar_days", "warning_thresholds", "case_steps", "cases", "absences", "journal_coverage", "absent_days"];

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
