//! Citizens' appeals (обращения, MISSION.md §6, FIELD.md) and what their deadlines count on.
//!
//! - `work_days`: the working-day calendar's exceptions, as data per year that the republic edits:
//!   a weekday off (a public holiday, a day a decree moves one to) or a weekend day worked. 2026 is
//!   given as FIELD.md has it (the decree's moves included); 2027 by the law's rule alone (a holiday
//!   on a weekend moves the day off to the next working day), until the republic adds the decree's
//!   moves and the first day of Kurban Ait, which moves with the lunar calendar. A day missing here
//!   makes a deadline earlier, never later, than the law's.
//! - `appeal_terms`: each topic's term in working days (15 by default).
//! - `unit_contacts`: a unit's hotline, trust phone, public reception (place and hours) and e-mail,
//!   for the public front page.
//! - `appeals`: one appeal: its random tracking code (unique), channel, topic, status, the applicant
//!   (none when anonymous), the text, the school and child it is about, the unit in charge (path and
//!   level ids on the row, so that every scope's lists read an index in due-date or receipt order),
//!   the dates of its term (`term_from`: receipt, or arrival at the unit it was forwarded to;
//!   `warn_on`: the day a quarter of the term is left; `due_on`), the escalation reached (1: the
//!   level above told, 2: overdue), the assignee, the answer and the applicant's "was it solved?",
//!   the key a public form's submission carries (unique: a form sent twice is one appeal).
//! - `appeal_events`: what happened to an appeal, in order (registered, taken, assigned, forwarded,
//!   extended, answered, closed, escalated, feedback), with the unit and note it concerns.
//! - `outbox`: the notifications to send (e-mail, SMS), written in the same transaction as what
//!   they tell of: the kind, the recipient, the language and the values of the message (the text
//!   is made when it is sent), the unit whose coordinators see it fail, the attempts, when the next
//!   is due (epoch seconds, as the throttle's), the claim of the server sending it, sent or given up.
//! - `survey_answers`: an answer to «Готов ли Ваш ребёнок к школе?»: where (the school or district,
//!   and their level ids), ready or not, the grades, what is missing and the family's situation
//!   (codes, comma-separated), and, asking for help, the contact and the consent; such an answer is
//!   a lead (`lead_status` open, registered with its registry record, or closed with a reason).
//!   The form's key is unique: a form sent twice is one answer.
//! - `survey_days`: the survey's running totals per day and district (answers, not ready, asking
//!   for help, each thing missing), written in the answer's transaction, so that the reports and the
//!   public page sum a few rows for any period.
//! - `users.email`: where an account is told of its work (new appeals, escalations, leads).
//! - `reservations.expiry_told`: the sponsor was told its hold is about to expire.
//!
//! Codes, keys and paths sort by bytes on PostgreSQL, as in m0008.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables, with `{id}` for the key's type, `{c}` for the bytewise collation, `{ts}` for a
/// timestamp.
const TABLES: [&str; 8] = [
    "CREATE TABLE work_days (day DATE PRIMARY KEY, working SMALLINT NOT NULL, note VARCHAR(200) NULL, \
     updated_by BIGINT NULL REFERENCES users (id), updated_at {ts} NULL)",
    "CREATE TABLE appeal_terms (topic VARCHAR(32) PRIMARY KEY, days SMALLINT NOT NULL, \
     updated_by BIGINT NULL REFERENCES users (id), updated_at {ts} NULL)",
    "CREATE TABLE unit_contacts (unit_id BIGINT PRIMARY KEY REFERENCES org_units (id), \
     hotline VARCHAR(64) NULL, trust_phone VARCHAR(64) NULL, reception VARCHAR(500) NULL, \
     email VARCHAR(254) NULL, updated_by BIGINT NULL REFERENCES users (id), updated_at {ts} NOT NULL)",
    "CREATE TABLE appeals (id {id}, code VARCHAR(12){c} NOT NULL, channel VARCHAR(16) NOT NULL, \
     topic VARCHAR(32) NOT NULL, status VARCHAR(16) NOT NULL, anonymous SMALLINT NOT NULL, \
     applicant_name VARCHAR(200) NULL, applicant_phone VARCHAR(16) NULL, applicant_email VARCHAR(254) NULL, \
     body TEXT NOT NULL, about_school_id BIGINT NULL REFERENCES org_units (id), \
     child_id BIGINT NULL REFERENCES children (id), unit_id BIGINT NOT NULL REFERENCES org_units (id), \
     unit_path VARCHAR(255){c} NOT NULL, region_id BIGINT NULL, district_id BIGINT NULL, school_id BIGINT NULL, \
     received_at {ts} NOT NULL, received_on DATE NOT NULL, term_from DATE NOT NULL, warn_on DATE NOT NULL, \
     due_on DATE NOT NULL, extended SMALLINT NOT NULL DEFAULT 0, extension_reason TEXT NULL, \
     escalation SMALLINT NOT NULL DEFAULT 0, assignee_id BIGINT NULL REFERENCES users (id), \
     answer TEXT NULL, answered_on DATE NULL, answered_at {ts} NULL, answered_by BIGINT NULL REFERENCES users (id), \
     closed_at {ts} NULL, solved SMALLINT NULL, registered_by BIGINT NULL REFERENCES users (id), \
     client_key VARCHAR(36){c} NULL, client_addr VARCHAR(64) NULL, locale VARCHAR(2) NOT NULL DEFAULT 'ru', \
     version INTEGER NOT NULL DEFAULT 1, updated_at {ts} NOT NULL)",
    "CREATE TABLE appeal_events (id {id}, appeal_id BIGINT NOT NULL REFERENCES appeals (id), \
     kind VARCHAR(16) NOT NULL, unit_id BIGINT NULL REFERENCES org_units (id), note TEXT NULL, \
     user_id BIGINT NULL REFERENCES users (id), at {ts} NOT NULL)",
    "CREATE TABLE outbox (id {id}, channel VARCHAR(8) NOT NULL, recipient VARCHAR(254) NOT NULL, \
     locale VARCHAR(2) NOT NULL, kind VARCHAR(32) NOT NULL, params TEXT NOT NULL, entity VARCHAR(16) NULL, \
     entity_id BIGINT NULL, unit_path VARCHAR(255){c} NULL, created_at {ts} NOT NULL, \
     attempts SMALLINT NOT NULL DEFAULT 0, next_at BIGINT NOT NULL, claimed_by VARCHAR(64) NULL, \
     claimed_until BIGINT NULL, sent_at {ts} NULL, failed_at {ts} NULL, last_error TEXT NULL)",
    "CREATE TABLE survey_answers (id {id}, client_key VARCHAR(36){c} NOT NULL, unit_id BIGINT NOT NULL \
     REFERENCES org_units (id), unit_path VARCHAR(255){c} NOT NULL, region_id BIGINT NULL, district_id BIGINT NULL, \
     school_id BIGINT NULL, settlement VARCHAR(300) NULL, ready SMALLINT NOT NULL, grades VARCHAR(64) NOT NULL, \
     missing VARCHAR(128) NOT NULL, situation VARCHAR(256) NOT NULL, contact_name VARCHAR(300) NULL, \
     phone VARCHAR(16) NULL, consent SMALLINT NOT NULL, locale VARCHAR(2) NOT NULL, client_addr VARCHAR(64) NULL, \
     created_at {ts} NOT NULL, created_on DATE NOT NULL, lead_status VARCHAR(16) NULL, \
     lead_child_id BIGINT NULL REFERENCES children (id), lead_reason TEXT NULL, \
     lead_by BIGINT NULL REFERENCES users (id), lead_at {ts} NULL)",
    "CREATE TABLE survey_days (day DATE NOT NULL, district_id BIGINT NOT NULL, region_id BIGINT NOT NULL, \
     metric VARCHAR(32) NOT NULL, count BIGINT NOT NULL, PRIMARY KEY (day, district_id, metric))",
];

/// Columns added to tables of earlier migrations.
const COLUMNS: [&str; 2] = [
    "ALTER TABLE users ADD COLUMN email VARCHAR(254) NULL",
    "ALTER TABLE reservations ADD COLUMN expiry_told SMALLINT NOT NULL DEFAULT 0",
];

const INDEXES: [&str; 22] = [
    "CREATE UNIQUE INDEX ux_appeals_code ON appeals (code)",
    "CREATE UNIQUE INDEX ux_appeals_client ON appeals (client_key)",
    // What is still to answer, by due date, at each level of the hierarchy.
    "CREATE INDEX ix_appeals_open ON appeals (due_on, id) WHERE answered_at IS NULL",
    "CREATE INDEX ix_appeals_open_region ON appeals (region_id, due_on, id) WHERE answered_at IS NULL",
    "CREATE INDEX ix_appeals_open_district ON appeals (district_id, due_on, id) WHERE answered_at IS NULL",
    "CREATE INDEX ix_appeals_open_school ON appeals (school_id, due_on, id) WHERE answered_at IS NULL",
    // Every appeal, by receipt, at each level.
    "CREATE INDEX ix_appeals_all ON appeals (received_on, id)",
    "CREATE INDEX ix_appeals_region ON appeals (region_id, received_on, id)",
    "CREATE INDEX ix_appeals_district ON appeals (district_id, received_on, id)",
    "CREATE INDEX ix_appeals_school ON appeals (school_id, received_on, id)",
    // The day's escalations: a quarter of the term left, not yet told.
    "CREATE INDEX ix_appeals_warn ON appeals (warn_on, id) WHERE answered_at IS NULL AND escalation = 0",
    "CREATE INDEX ix_appeals_assignee ON appeals (assignee_id, due_on, id) WHERE answered_at IS NULL",
    "CREATE INDEX ix_appeals_child ON appeals (child_id) WHERE child_id IS NOT NULL",
    "CREATE INDEX ix_appeal_events ON appeal_events (appeal_id, id)",
    // The worker's queue: what is due, oldest first; and what a unit's coordinators see waiting.
    "CREATE INDEX ix_outbox_due ON outbox (next_at, id) WHERE sent_at IS NULL AND failed_at IS NULL",
    "CREATE INDEX ix_outbox_unit ON outbox (unit_path, id) WHERE sent_at IS NULL",
    "CREATE UNIQUE INDEX ux_survey_client ON survey_answers (client_key)",
    // Each scope's open leads, oldest first, at each level.
    "CREATE INDEX ix_leads_region ON survey_answers (region_id, id) WHERE lead_status = 'open'",
    "CREATE INDEX ix_leads_district ON survey_answers (district_id, id) WHERE lead_status = 'open'",
    "CREATE INDEX ix_leads_school ON survey_answers (school_id, id) WHERE lead_status = 'open'",
    // The survey's totals of a region (or the republic's) for a period.
    "CREATE INDEX ix_survey_days_region ON survey_days (region_id, day, district_id, metric, count)",
    // Holds about to expire whose sponsor was not told yet.
    "CREATE INDEX ix_reservations_expiring ON reservations (expires_at) WHERE status = 'active' AND expiry_told = 0",
];

/// The working-day calendar's exceptions given: `(year, month, day, note)`, each a day off.
const DAYS_OFF: [(i32, u32, u32, &str); 39] = [
    (2026, 1, 1, "new_year"),
    (2026, 1, 2, "new_year"),
    (2026, 1, 7, "orthodox_christmas"),
    (2026, 3, 8, "womens_day"),
    (2026, 3, 9, "moved"),
    (2026, 3, 21, "nauryz"),
    (2026, 3, 22, "nauryz"),
    (2026, 3, 23, "nauryz"),
    (2026, 3, 24, "moved"),
    (2026, 3, 25, "moved"),
    (2026, 5, 1, "unity_day"),
    (2026, 5, 7, "defenders_day"),
    (2026, 5, 9, "victory_day"),
    (2026, 5, 11, "moved"),
    (2026, 5, 27, "kurban_ait"),
    (2026, 7, 6, "capital_day"),
    (2026, 8, 30, "constitution_day"),
    (2026, 8, 31, "moved"),
    (2026, 10, 25, "republic_day"),
    (2026, 10, 26, "moved"),
    (2026, 12, 16, "independence_day"),
    (2027, 1, 1, "new_year"),
    (2027, 1, 2, "new_year"),
    (2027, 1, 4, "moved"),
    (2027, 1, 7, "orthodox_christmas"),
    (2027, 3, 8, "womens_day"),
    (2027, 3, 21, "nauryz"),
    (2027, 3, 22, "nauryz"),
    (2027, 3, 23, "nauryz"),
    (2027, 3, 24, "moved"),
    (2027, 5, 1, "unity_day"),
    (2027, 5, 3, "moved"),
    (2027, 5, 7, "defenders_day"),
    (2027, 5, 9, "victory_day"),
    (2027, 5, 10, "moved"),
    (2027, 7, 6, "capital_day"),
    (2027, 8, 30, "constitution_day"),
    (2027, 10, 25, "republic_day"),
    (2027, 12, 16, "independence_day"),
];

const TOPICS: [&str; 5] = ["help_not_received", "not_at_school", "school_complaint", "sponsor_complaint", "other"];

const DROPPED: [&str; 8] = [
    "survey_days",
    "survey_answers",
    "outbox",
    "appeal_events",
    "appeals",
    "unit_contacts",
    "appeal_terms",
    "work_days",
];

fn statements(backend: DatabaseBackend) -> Vec<String> {
    let (id, c, ts) = match backend {
        DatabaseBackend::Postgres => ("BIGSERIAL PRIMARY KEY", " COLLATE \"C\"", "TIMESTAMPTZ"),
        _ => ("INTEGER PRIMARY KEY AUTOINCREMENT", "", "timestamp_with_timezone_text"),
    };
    let tables = TABLES.iter().map(|t| t.replace("{id}", id).replace("{c}", c).replace("{ts}", ts));
    let columns = COLUMNS.iter().map(|c| (*c).to_owned());
    let mut out: Vec<String> = tables.chain(columns).chain(INDEXES.iter().map(|i| (*i).to_owned())).collect();
    let rows: Vec<String> =
        DAYS_OFF.iter().map(|(y, m, d, note)| format!("('{y:04}-{m:02}-{d:02}', 0, '{note}')")).collect();
    out.push(format!("INSERT INTO work_days (day, working, note) VALUES {}", rows.join(", ")));
    let terms: Vec<String> = TOPICS.iter().map(|t| format!("('{t}', 15)")).collect();
    out.push(format!("INSERT INTO appeal_terms (topic, days) VALUES {}", terms.join(", ")));
    out
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
        db.execute_unprepared("DROP INDEX ix_reservations_expiring").await?;
        for (table, column) in [("reservations", "expiry_told"), ("users", "email")] {
            db.execute_unprepared(&format!("ALTER TABLE {table} DROP COLUMN {column}")).await?;
        }
        for table in DROPPED {
            db.execute_unprepared(&format!("DROP TABLE {table}")).await?;
        }
        Ok(())
    }
}
