//! Running totals of the appeals by day of receipt (`appeal_days`), so that the consolidated
//! report of any unit for any dates reads a few hundred rows instead of a year's appeals. Per unit
//! in charge and day of receipt, kept for that unit and again for each unit above it (so the
//! republic reads its own rows, a region its own), the appeals received then and what became of
//! them (a cohort, as the report reads: of the appeals received in the period, how many were
//! answered in time):
//!
//! - `received` by channel;
//! - `topic` by topic;
//! - `answered` by `in_time` (on or before the last day) or `late`;
//! - `solved` by `yes` or `no` (the applicant's answer to "was the problem solved?").
//!
//! Triggers keep them in the same transaction as every write: an appeal registered, forwarded to
//! another unit (its figures move there), answered, or given the applicant's feedback. What is
//! still open and past its last day depends on the day, so the report counts it when it is made,
//! from the index of the open appeals.
//!
//! The appeals also get the queue's mark of a late forward and indexes of the applicants'
//! contacts (see `INDEXES`).
//!
//! Self-contained: the statements are written out here for both databases and never change.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "CREATE TABLE appeal_days (unit_id BIGINT NOT NULL, day DATE NOT NULL, \
    metric VARCHAR(16) NOT NULL, label VARCHAR(32) NOT NULL, amount BIGINT NOT NULL DEFAULT 0, \
    PRIMARY KEY (unit_id, day, metric, label))";

/// The open appeals received in a period by due date, with their receipt and level ids, so that
/// the overdue of a scope (and of each unit below it) are counted from the index alone; and the
/// applicants' contacts and addresses by day of receipt, where the queue looks for a second filing
/// of the same appeal.
const INDEXES: [&str; 4] = [
    "CREATE INDEX ix_appeals_overdue ON appeals (due_on, received_on, region_id, district_id, \
     school_id) WHERE answered_at IS NULL",
    "CREATE INDEX ix_appeals_phone ON appeals (applicant_phone, received_on) WHERE applicant_phone IS NOT NULL",
    "CREATE INDEX ix_appeals_email ON appeals (applicant_email, received_on) WHERE applicant_email IS NOT NULL",
    "CREATE INDEX ix_appeals_addr ON appeals (client_addr, received_on) WHERE client_addr IS NOT NULL",
];

/// Whether the appeal was forwarded later than the three working days a unit has to pass on what
/// is not its competence (1), as the queue marks it.
const LATE: &str = "ALTER TABLE appeals ADD COLUMN forwarded_late SMALLINT NOT NULL DEFAULT 0";

/// Adds the rows of `select` (columns `unit_id`, `day`, `metric`, `label`, `amount`) to the totals
/// of the unit and of each unit above it (four levels at most), in key order.
fn bump(select: &str) -> String {
    format!(
        "INSERT INTO appeal_days (unit_id, day, metric, label, amount) \
         SELECT u.id, d.day, d.metric, d.label, SUM(d.amount) FROM ({select}) d \
         JOIN org_units a ON a.id = d.unit_id LEFT JOIN org_units p ON p.id = a.parent_id \
         LEFT JOIN org_units g ON g.id = p.parent_id \
         JOIN org_units u ON u.id IN (a.id, a.parent_id, p.parent_id, g.parent_id) WHERE true \
         GROUP BY u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4 \
         ON CONFLICT (unit_id, day, metric, label) DO UPDATE SET amount = appeal_days.amount + excluded.amount"
    )
}

/// What appeal `rec` (`NEW` or `OLD`) adds to the totals, times `sign`.
fn appeal(rec: &str, sign: &str) -> String {
    let row = |metric: &str, label: String, when: &str| {
        format!(
            "SELECT {rec}.unit_id AS unit_id, {rec}.received_on AS day, '{metric}' AS metric, {label} AS label, \
             {sign} AS amount{when}"
        )
    };
    [
        row("received", format!("{rec}.channel"), ""),
        row("topic", format!("{rec}.topic"), ""),
        row(
            "answered",
            format!("CASE WHEN {rec}.answered_on <= {rec}.due_on THEN 'in_time' ELSE 'late' END"),
            &format!(" WHERE {rec}.answered_on IS NOT NULL"),
        ),
        row(
            "solved",
            format!("CASE WHEN {rec}.solved = 1 THEN 'yes' ELSE 'no' END"),
            &format!(" WHERE {rec}.solved IS NOT NULL"),
        ),
    ]
    .join(" UNION ALL ")
}

/// The sums of what is there, one text for both databases.
fn backfill() -> String {
    bump(
        "SELECT unit_id, received_on AS day, 'received' AS metric, channel AS label, COUNT(*) AS amount \
         FROM appeals GROUP BY unit_id, received_on, channel \
         UNION ALL SELECT unit_id, received_on, 'topic', topic, COUNT(*) FROM appeals \
         GROUP BY unit_id, received_on, topic \
         UNION ALL SELECT unit_id, received_on, 'answered', \
         CASE WHEN answered_on <= due_on THEN 'in_time' ELSE 'late' END, COUNT(*) FROM appeals \
         WHERE answered_on IS NOT NULL GROUP BY unit_id, received_on, \
         CASE WHEN answered_on <= due_on THEN 'in_time' ELSE 'late' END \
         UNION ALL SELECT unit_id, received_on, 'solved', CASE WHEN solved = 1 THEN 'yes' ELSE 'no' END, COUNT(*) \
         FROM appeals WHERE solved IS NOT NULL GROUP BY unit_id, received_on, \
         CASE WHEN solved = 1 THEN 'yes' ELSE 'no' END",
    )
}

/// A trigger: name, event, condition, statement.
struct Trigger {
    name: &'static str,
    event: &'static str,
    when: Option<&'static str>,
    body: String,
}

fn triggers() -> [Trigger; 2] {
    [
        Trigger { name: "appeal_days_new", event: "INSERT", when: None, body: bump(&appeal("NEW", "1")) },
        Trigger {
            name: "appeal_days_changed",
            event: "UPDATE OF unit_id, received_on, channel, topic, answered_on, due_on, solved",
            when: Some(
                "OLD.unit_id <> NEW.unit_id OR OLD.received_on <> NEW.received_on OR OLD.channel <> NEW.channel \
                 OR OLD.topic <> NEW.topic OR OLD.answered_on IS DISTINCT FROM NEW.answered_on \
                 OR (NEW.answered_on IS NOT NULL AND OLD.due_on <> NEW.due_on) \
                 OR OLD.solved IS DISTINCT FROM NEW.solved",
            ),
            body: bump(&format!("{} UNION ALL {}", appeal("OLD", "-1"), appeal("NEW", "1"))),
        },
    ]
}

fn create(backend: DatabaseBackend, t: &Trigger) -> Vec<String> {
    if backend == DatabaseBackend::Postgres {
        let when = t.when.map(|w| format!(" WHEN ({w})")).unwrap_or_default();
        vec![
            format!(
                "CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n{};\nRETURN NULL; END $$",
                t.name, t.body
            ),
            format!(
                "CREATE TRIGGER {} AFTER {} ON appeals FOR EACH ROW{when} EXECUTE FUNCTION {}()",
                t.name, t.event, t.name
            ),
        ]
    } else {
        let when = t.when.map(|w| format!(" WHEN {w}")).unwrap_or_default();
        vec![format!(
            "CREATE TRIGGER {} AFTER {} ON appeals FOR EACH ROW{when} BEGIN\n{};\nEND",
            t.name, t.event, t.body
        )]
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = db.get_database_backend();
        if backend == DatabaseBackend::Postgres {
            db.execute_unprepared("LOCK TABLE appeals IN SHARE ROW EXCLUSIVE MODE").await?;
        }
        // On SQLite the key is the table (a period's rows are one range, nothing looked up twice).
        let rowid = if backend == DatabaseBackend::Sqlite { " WITHOUT ROWID" } else { "" };
        db.execute_unprepared(&format!("{TABLE}{rowid}")).await?;
        db.execute_unprepared(LATE).await?;
        for sql in INDEXES {
            db.execute_unprepared(sql).await?;
        }
        db.execute_unprepared(&backfill()).await?;
        for t in triggers() {
            for sql in create(backend, &t) {
                db.execute_unprepared(&sql).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for t in triggers() {
            if db.get_database_backend() == DatabaseBackend::Postgres {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {} ON appeals", t.name)).await?;
                db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {}()", t.name)).await?;
            } else {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {}", t.name)).await?;
            }
        }
        for name in ["ix_appeals_overdue", "ix_appeals_phone", "ix_appeals_email", "ix_appeals_addr"] {
            db.execute_unprepared(&format!("DROP INDEX {name}")).await?;
        }
        db.execute_unprepared("ALTER TABLE appeals DROP COLUMN forwarded_late").await?;
        db.execute_unprepared("DROP TABLE appeal_days").await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    /// The national loader sums what it wrote with the live text; it must be this migration's.
    #[test]
    fn the_live_sums_are_the_migrations() {
        assert_eq!(super::backfill(), crate::appeals::report::sums());
    }
}
