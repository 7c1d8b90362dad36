//! Running totals by day of the half that keeps children in school (`field_days`), so that a
//! report of any unit for any dates reads a few rows instead of every raid, participant, finding
//! and pupil out of the republic. Per campaign, unit and day, kept for the unit that holds the
//! record and again for each unit above it (so the republic reads its own rows, a region its own):
//!
//! - `raids`: raids on their day (a raid counts once its day has come; the reader stops at today);
//! - `people` by participant category: the participants of those raids;
//! - `found` by action: the children found on them;
//! - `out` by reason (`''` while unknown): pupils out, on their first day out;
//! - `back`: of them, those back at school, also on their first day out (a report counts the
//!   pupils whose first day falls in its period, and how many of those are back).
//!
//! What is there is summed in; triggers keep the rest in the same transaction as every write:
//! a raid made or moved to another day, its participants written afresh, a finding made or its
//! action changed, a pupil recorded or its first day, reason or return changed.
//!
//! The cases with a step overdue are counted at the moment a report is made (they depend on the
//! day), from an index of the steps still to do that holds the case and region too, so that the
//! republic's count and its count by region read the index alone.
//!
//! Self-contained: the statements are written out here for both databases and never change.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The steps still to do by due date, with their case and region (read without the table).
const OVERDUE: &str = "CREATE INDEX ix_steps_overdue ON case_steps (campaign_id, state, due_on, region_id, case_id)";

const TABLE: &str = "CREATE TABLE field_days (campaign_id BIGINT NOT NULL, unit_id BIGINT NOT NULL, \
    day DATE NOT NULL, metric VARCHAR(16) NOT NULL, label VARCHAR(32) NOT NULL, amount BIGINT NOT NULL DEFAULT 0, \
    PRIMARY KEY (campaign_id, unit_id, day, metric, label))";

/// Adds the rows of `select` (columns `campaign_id`, `unit_id`, `day`, `metric`, `label`,
/// `amount`) to the totals of the unit and of each unit above it (four levels at most), in key
/// order, so that two writes take their rows in one order.
fn bump(select: &str) -> String {
    format!(
        "INSERT INTO field_days (campaign_id, unit_id, day, metric, label, amount) \
         SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM ({select}) d \
         JOIN org_units a ON a.id = d.unit_id LEFT JOIN org_units p ON p.id = a.parent_id \
         LEFT JOIN org_units g ON g.id = p.parent_id \
         JOIN org_units u ON u.id IN (a.id, a.parent_id, p.parent_id, g.parent_id) WHERE true \
         GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 \
         ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = field_days.amount + excluded.amount"
    )
}

fn row(campaign: &str, unit: &str, day: &str, metric: &str, label: &str, amount: &str) -> String {
    format!(
        "SELECT {campaign} AS campaign_id, {unit} AS unit_id, {day} AS day, '{metric}' AS metric, \
         {label} AS label, {amount} AS amount"
    )
}

/// A raid's participants and findings on day `day` of raid `raid`, times `sign`.
fn raid_parts(day: &str, sign: &str) -> [String; 2] {
    [
        format!(
            "{} FROM raid_participants p WHERE p.raid_id = NEW.id",
            row("NEW.campaign_id", "NEW.unit_id", day, "people", "p.kind", &format!("{sign} * p.count"))
        ),
        format!(
            "{} FROM raid_findings f WHERE f.raid_id = NEW.id GROUP BY f.action",
            row("NEW.campaign_id", "NEW.unit_id", day, "found", "f.action", &format!("{sign} * COUNT(*)"))
        ),
    ]
}

/// A participant category's `count` of raid `raid`.
fn people(raid: &str, kind: &str, amount: &str) -> String {
    format!(
        "{} FROM raids r WHERE r.id = {raid}",
        row("r.campaign_id", "r.unit_id", "r.held_on", "people", kind, amount)
    )
}

/// A finding with `action` of raid `raid`.
fn found(raid: &str, action: &str, amount: &str) -> String {
    format!(
        "{} FROM raids r WHERE r.id = {raid}",
        row("r.campaign_id", "r.unit_id", "r.held_on", "found", action, amount)
    )
}

/// A pupil out (`rec` is `NEW` or `OLD`), times `sign`.
fn pupil(rec: &str, sign: &str) -> String {
    let out = row(
        &format!("{rec}.campaign_id"),
        &format!("{rec}.school_id"),
        &format!("{rec}.first_day"),
        "out",
        &format!("COALESCE({rec}.reason, '')"),
        sign,
    );
    let back = row(
        &format!("{rec}.campaign_id"),
        &format!("{rec}.school_id"),
        &format!("{rec}.first_day"),
        "back",
        "''",
        sign,
    );
    format!("{out} UNION ALL {back} WHERE {rec}.returned_on IS NOT NULL")
}

/// A trigger: name, event, table, condition, statements.
struct Trigger {
    name: &'static str,
    event: &'static str,
    table: &'static str,
    when: Option<&'static str>,
    body: Vec<String>,
}

fn triggers() -> Vec<Trigger> {
    let raid_new = row("NEW.campaign_id", "NEW.unit_id", "NEW.held_on", "raids", "''", "1");
    let [people_old, found_old] = raid_parts("OLD.held_on", "-1");
    let [people_new, found_new] = raid_parts("NEW.held_on", "1");
    let raid_moved = [
        row("NEW.campaign_id", "NEW.unit_id", "OLD.held_on", "raids", "''", "-1"),
        row("NEW.campaign_id", "NEW.unit_id", "NEW.held_on", "raids", "''", "1"),
        people_old,
        people_new,
        found_old,
        found_new,
    ]
    .join(" UNION ALL ");
    vec![
        Trigger {
            name: "field_days_raid_new",
            event: "INSERT",
            table: "raids",
            when: None,
            body: vec![bump(&raid_new)],
        },
        Trigger {
            name: "field_days_raid_moved",
            event: "UPDATE OF held_on",
            table: "raids",
            when: Some("OLD.held_on <> NEW.held_on"),
            body: vec![bump(&raid_moved)],
        },
        Trigger {
            name: "field_days_people_new",
            event: "INSERT",
            table: "raid_participants",
            when: None,
            body: vec![bump(&people("NEW.raid_id", "NEW.kind", "NEW.count"))],
        },
        Trigger {
            name: "field_days_people_changed",
            event: "UPDATE",
            table: "raid_participants",
            when: None,
            body: vec![bump(&format!(
                "{} UNION ALL {}",
                people("OLD.raid_id", "OLD.kind", "-OLD.count"),
                people("NEW.raid_id", "NEW.kind", "NEW.count")
            ))],
        },
        Trigger {
            name: "field_days_people_gone",
            event: "DELETE",
            table: "raid_participants",
            when: None,
            body: vec![bump(&people("OLD.raid_id", "OLD.kind", "-OLD.count"))],
        },
        Trigger {
            name: "field_days_found_new",
            event: "INSERT",
            table: "raid_findings",
            when: None,
            body: vec![bump(&found("NEW.raid_id", "NEW.action", "1"))],
        },
        Trigger {
            name: "field_days_found_changed",
            event: "UPDATE OF action",
            table: "raid_findings",
            when: Some("OLD.action <> NEW.action"),
            body: vec![bump(&format!(
                "{} UNION ALL {}",
                found("OLD.raid_id", "OLD.action", "-1"),
                found("NEW.raid_id", "NEW.action", "1")
            ))],
        },
        Trigger {
            name: "field_days_pupil_new",
            event: "INSERT",
            table: "absences",
            when: None,
            body: vec![bump(&pupil("NEW", "1"))],
        },
        Trigger {
            name: "field_days_pupil_changed",
            event: "UPDATE OF first_day, reason, returned_on",
            table: "absences",
            when: Some(
                "OLD.first_day <> NEW.first_day OR OLD.reason IS DISTINCT FROM NEW.reason \
                 OR (OLD.returned_on IS NULL) <> (NEW.returned_on IS NULL)",
            ),
            body: vec![bump(&format!("{} UNION ALL {}", pupil("OLD", "-1"), pupil("NEW", "1")))],
        },
    ]
}

/// The sums of what is there, one text for both databases.
fn backfill() -> Vec<String> {
    [
        "SELECT campaign_id, unit_id, held_on AS day, 'raids' AS metric, '' AS label, COUNT(*) AS amount \
         FROM raids GROUP BY campaign_id, unit_id, held_on",
        "SELECT r.campaign_id, r.unit_id, r.held_on AS day, 'people' AS metric, p.kind AS label, SUM(p.count) AS amount \
         FROM raid_participants p JOIN raids r ON r.id = p.raid_id GROUP BY r.campaign_id, r.unit_id, r.held_on, p.kind",
        "SELECT r.campaign_id, r.unit_id, r.held_on AS day, 'found' AS metric, f.action AS label, COUNT(*) AS amount \
         FROM raid_findings f JOIN raids r ON r.id = f.raid_id GROUP BY r.campaign_id, r.unit_id, r.held_on, f.action",
        "SELECT campaign_id, school_id AS unit_id, first_day AS day, 'out' AS metric, COALESCE(reason, '') AS label, \
         COUNT(*) AS amount FROM absences GROUP BY campaign_id, school_id, first_day, COALESCE(reason, '')",
        "SELECT campaign_id, school_id AS unit_id, first_day AS day, 'back' AS metric, '' AS label, COUNT(*) AS amount \
         FROM absences WHERE returned_on IS NOT NULL GROUP BY campaign_id, school_id, first_day",
    ]
    .iter()
    .map(|s| bump(s))
    .collect()
}

fn create(backend: DatabaseBackend, t: &Trigger) -> Vec<String> {
    let body: String = t.body.iter().map(|s| format!("{s};\n")).collect();
    if backend == DatabaseBackend::Postgres {
        let when = t.when.map(|w| format!(" WHEN ({w})")).unwrap_or_default();
        vec![
            format!(
                "CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n{body}RETURN NULL; END $$",
                t.name
            ),
            format!(
                "CREATE TRIGGER {} AFTER {} ON {} FOR EACH ROW{when} EXECUTE FUNCTION {}()",
                t.name, t.event, t.table, t.name
            ),
        ]
    } else {
        let when = t.when.map(|w| format!(" WHEN {w}")).unwrap_or_default();
        vec![format!("CREATE TRIGGER {} AFTER {} ON {} FOR EACH ROW{when} BEGIN\n{body}END", t.name, t.event, t.table)]
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
            db.execute_unprepared(
                "LOCK TABLE raids, raid_participants, raid_findings, absences, case_steps IN SHARE ROW EXCLUSIVE MODE",
            )
            .await?;
        }
        db.execute_unprepared(TABLE).await?;
        db.execute_unprepared(OVERDUE).await?;
        for sql in backfill() {
            db.execute_unprepared(&sql).await?;
        }
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
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {} ON {}", t.name, t.table)).await?;
                db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {}()", t.name)).await?;
            } else {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {}", t.name)).await?;
            }
        }
        db.execute_unprepared("DROP TABLE field_days").await?;
        db.execute_unprepared("DROP INDEX ix_steps_overdue").await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    /// The national loader sums what it wrote with the live text; it must be this migration's.
    #[test]
    fn the_live_sums_are_the_migrations() {
        let select = "SELECT 1 AS campaign_id, 2 AS unit_id, 3 AS day, 'raids' AS metric, '' AS label, 1 AS amount";
        assert_eq!(super::bump(select), crate::totals::field::bump(select));
    }
}
