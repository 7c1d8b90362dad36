//! Children helped by each source: per child and group of sources (the school's fund,
//! sponsors, every other source together), its kept, delivered entries and the day of the first
//! (`child_source_help`), and from them the children each group helped in the reports' running
//! totals (`report_totals`, metric `helped_by`) and by day (`report_days`). A child helped from
//! the fund and by a sponsor counts once in each, and once in the total.
//!
//! What is there already is summed in. Self-contained: the statements are the text `db::totals`
//! generated when this migration was written, frozen here for each database; a test holds the
//! live triggers to these, to the letter. A step down leaves the summed `helped_by` rows (the
//! code before it reads no such metric); a step up sums them afresh.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "CREATE TABLE child_source_help (child_id BIGINT NOT NULL, grp VARCHAR(16) NOT NULL, \
    helps BIGINT NOT NULL DEFAULT 0, first_day DATE NULL, PRIMARY KEY (child_id, grp))";

/// The triggers this migration adds, with their tables.
const ADDED: [(&str, &str); 6] = [
    ("source_help_entry_new", "ledger_entries"),
    ("source_help_entry_status", "ledger_entries"),
    ("source_help_counted", "child_source_help"),
    ("source_help_changed", "child_source_help"),
    ("source_help_moved", "child_source_help"),
    ("source_help_children_moved", "children"),
];

/// The groups' rows summed before (a step up after a step down sums them afresh).
const CLEARED: [&str; 2] =
    ["DELETE FROM report_totals WHERE metric = 'helped_by'", "DELETE FROM report_days WHERE metric = 'helped_by'"];

/// What the ledger already holds adds up to.
const BACKFILL: [&str; 3] = [
    r#"INSERT INTO child_source_help (child_id, grp, helps, first_day) SELECT e.child_id, CASE WHEN e.source = 'fund' THEN 'fund' WHEN e.source = 'sponsor' THEN 'sponsor' ELSE 'other' END, COUNT(*), MIN(e.entry_date) FROM ledger_entries e WHERE e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id) GROUP BY e.child_id, CASE WHEN e.source = 'fund' THEN 'fund' WHEN e.source = 'sponsor' THEN 'sponsor' ELSE 'other' END"#,
    r#"INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT c.campaign_id, c.school_id, 'helped_by', h.grp, COUNT(*) FROM child_source_help h JOIN children c ON c.id = h.child_id WHERE h.helps > 0 GROUP BY c.campaign_id, c.school_id, h.grp ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount"#,
    r#"INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, h.first_day AS day, 'helped_by' AS metric, h.grp AS label, COUNT(*) AS amount FROM child_source_help h JOIN children c ON c.id = h.child_id WHERE h.first_day IS NOT NULL GROUP BY c.campaign_id, c.school_id, h.first_day, h.grp) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount"#,
];

/// The triggers on SQLite.
const SQLITE: [&str; 6] = [
    r#"CREATE TRIGGER source_help_entry_new AFTER INSERT ON ledger_entries FOR EACH ROW BEGIN
INSERT INTO child_source_help (child_id, grp, helps, first_day) SELECT NEW.child_id, CASE WHEN NEW.source = 'fund' THEN 'fund' WHEN NEW.source = 'sponsor' THEN 'sponsor' ELSE 'other' END, 1, NEW.entry_date WHERE NEW.status IN ('delivered', 'confirmed') AND NEW.reverses_id IS NULL ON CONFLICT (child_id, grp) DO UPDATE SET helps = child_source_help.helps + 1, first_day = CASE WHEN child_source_help.first_day IS NULL OR excluded.first_day < child_source_help.first_day THEN excluded.first_day ELSE child_source_help.first_day END;
UPDATE child_source_help SET helps = helps - 1, first_day = (SELECT MIN(e.entry_date) FROM ledger_entries e WHERE e.child_id = NEW.child_id AND CASE WHEN e.source = 'fund' THEN 'fund' WHEN e.source = 'sponsor' THEN 'sponsor' ELSE 'other' END = CASE WHEN NEW.source = 'fund' THEN 'fund' WHEN NEW.source = 'sponsor' THEN 'sponsor' ELSE 'other' END AND e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)) WHERE child_id = NEW.child_id AND grp = CASE WHEN NEW.source = 'fund' THEN 'fund' WHEN NEW.source = 'sponsor' THEN 'sponsor' ELSE 'other' END AND EXISTS (SELECT 1 FROM ledger_entries x WHERE x.id = NEW.reverses_id AND x.status IN ('delivered', 'confirmed') AND x.reverses_id IS NULL);
END"#,
    r#"CREATE TRIGGER source_help_entry_status AFTER UPDATE OF status ON ledger_entries FOR EACH ROW BEGIN
INSERT INTO child_source_help (child_id, grp, helps, first_day) SELECT NEW.child_id, CASE WHEN NEW.source = 'fund' THEN 'fund' WHEN NEW.source = 'sponsor' THEN 'sponsor' ELSE 'other' END, 1, NEW.entry_date WHERE (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) AND NEW.status IN ('delivered', 'confirmed') AND NEW.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = NEW.id) ON CONFLICT (child_id, grp) DO UPDATE SET helps = child_source_help.helps + 1, first_day = CASE WHEN child_source_help.first_day IS NULL OR excluded.first_day < child_source_help.first_day THEN excluded.first_day ELSE child_source_help.first_day END;
UPDATE child_source_help SET helps = helps - 1, first_day = (SELECT MIN(e.entry_date) FROM ledger_entries e WHERE e.child_id = NEW.child_id AND CASE WHEN e.source = 'fund' THEN 'fund' WHEN e.source = 'sponsor' THEN 'sponsor' ELSE 'other' END = CASE WHEN NEW.source = 'fund' THEN 'fund' WHEN NEW.source = 'sponsor' THEN 'sponsor' ELSE 'other' END AND e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)) WHERE child_id = NEW.child_id AND grp = CASE WHEN NEW.source = 'fund' THEN 'fund' WHEN NEW.source = 'sponsor' THEN 'sponsor' ELSE 'other' END AND (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) AND NOT (NEW.status IN ('delivered', 'confirmed')) AND NEW.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = NEW.id);
END"#,
    r#"CREATE TRIGGER source_help_counted AFTER INSERT ON child_source_help FOR EACH ROW WHEN (NEW.helps > 0 OR NEW.first_day IS NOT NULL) BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT c.campaign_id, c.school_id, 'helped_by', NEW.grp, 1 FROM children c WHERE c.id = NEW.child_id AND NEW.helps > 0 ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, NEW.first_day AS day, 'helped_by' AS metric, NEW.grp AS label, 1 AS amount FROM children c WHERE c.id = NEW.child_id AND NEW.first_day IS NOT NULL) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
END"#,
    r#"CREATE TRIGGER source_help_changed AFTER UPDATE OF helps ON child_source_help FOR EACH ROW WHEN ((OLD.helps > 0) <> (NEW.helps > 0)) BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT c.campaign_id, c.school_id, 'helped_by', NEW.grp, CASE WHEN NEW.helps > 0 THEN 1 ELSE -1 END FROM children c WHERE c.id = NEW.child_id AND (OLD.helps > 0) <> (NEW.helps > 0) ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
END"#,
    r#"CREATE TRIGGER source_help_moved AFTER UPDATE OF first_day ON child_source_help FOR EACH ROW WHEN (OLD.first_day IS DISTINCT FROM NEW.first_day) BEGIN
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, OLD.first_day AS day, 'helped_by' AS metric, NEW.grp AS label, -1 AS amount FROM children c WHERE c.id = NEW.child_id AND OLD.first_day IS NOT NULL AND OLD.first_day IS DISTINCT FROM NEW.first_day UNION ALL SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, NEW.first_day AS day, 'helped_by' AS metric, NEW.grp AS label, 1 AS amount FROM children c WHERE c.id = NEW.child_id AND NEW.first_day IS NOT NULL AND OLD.first_day IS DISTINCT FROM NEW.first_day) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
END"#,
    r#"CREATE TRIGGER source_help_children_moved AFTER UPDATE OF school_id ON children FOR EACH ROW BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT d.campaign_id, d.school_id, d.metric, d.label, SUM(d.amount) FROM (SELECT o.campaign_id AS campaign_id, o.school_id AS school_id, 'helped_by' AS metric, h.grp AS label, -1 AS amount FROM (SELECT OLD.id AS id, OLD.campaign_id AS campaign_id, OLD.school_id AS school_id) o JOIN (SELECT NEW.id AS id, NEW.campaign_id AS campaign_id, NEW.school_id AS school_id) w ON w.id = o.id JOIN child_source_help h ON h.child_id = o.id WHERE h.helps > 0 AND o.school_id <> w.school_id UNION ALL SELECT w.campaign_id, w.school_id, 'helped_by', h.grp, 1 FROM (SELECT OLD.id AS id, OLD.campaign_id AS campaign_id, OLD.school_id AS school_id) o JOIN (SELECT NEW.id AS id, NEW.campaign_id AS campaign_id, NEW.school_id AS school_id) w ON w.id = o.id JOIN child_source_help h ON h.child_id = o.id WHERE h.helps > 0 AND o.school_id <> w.school_id) d WHERE true GROUP BY d.campaign_id, d.school_id, d.metric, d.label ORDER BY 1, 2, 3, 4 ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT m.campaign_id AS campaign_id, m.school_id AS school_id, m.day AS day, m.metric AS metric, m.label AS label, SUM(m.amount) AS amount FROM (SELECT o.campaign_id AS campaign_id, o.school_id AS school_id, h.first_day AS day, 'helped_by' AS metric, h.grp AS label, -1 AS amount FROM (SELECT OLD.id AS id, OLD.campaign_id AS campaign_id, OLD.school_id AS school_id) o JOIN (SELECT NEW.id AS id, NEW.campaign_id AS campaign_id, NEW.school_id AS school_id) w ON w.id = o.id JOIN child_source_help h ON h.child_id = o.id WHERE h.first_day IS NOT NULL AND o.school_id <> w.school_id UNION ALL SELECT w.campaign_id, w.school_id, h.first_day, 'helped_by', h.grp, 1 FROM (SELECT OLD.id AS id, OLD.campaign_id AS campaign_id, OLD.school_id AS school_id) o JOIN (SELECT NEW.id AS id, NEW.campaign_id AS campaign_id, NEW.school_id AS school_id) w ON w.id = o.id JOIN child_source_help h ON h.child_id = o.id WHERE h.first_day IS NOT NULL AND o.school_id <> w.school_id) m WHERE true GROUP BY m.campaign_id, m.school_id, m.day, m.metric, m.label) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
END"#,
];

/// The triggers on PostgreSQL (a function and a trigger each).
const POSTGRES: [&str; 12] = [
    r#"CREATE OR REPLACE FUNCTION source_help_entry_new() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO child_source_help (child_id, grp, helps, first_day) SELECT NEW.child_id, CASE WHEN NEW.source = 'fund' THEN 'fund' WHEN NEW.source = 'sponsor' THEN 'sponsor' ELSE 'other' END, 1, NEW.entry_date WHERE NEW.status IN ('delivered', 'confirmed') AND NEW.reverses_id IS NULL ON CONFLICT (child_id, grp) DO UPDATE SET helps = child_source_help.helps + 1, first_day = CASE WHEN child_source_help.first_day IS NULL OR excluded.first_day < child_source_help.first_day THEN excluded.first_day ELSE child_source_help.first_day END;
UPDATE child_source_help SET helps = helps - 1, first_day = (SELECT MIN(e.entry_date) FROM ledger_entries e WHERE e.child_id = NEW.child_id AND CASE WHEN e.source = 'fund' THEN 'fund' WHEN e.source = 'sponsor' THEN 'sponsor' ELSE 'other' END = CASE WHEN NEW.source = 'fund' THEN 'fund' WHEN NEW.source = 'sponsor' THEN 'sponsor' ELSE 'other' END AND e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)) WHERE child_id = NEW.child_id AND grp = CASE WHEN NEW.source = 'fund' THEN 'fund' WHEN NEW.source = 'sponsor' THEN 'sponsor' ELSE 'other' END AND EXISTS (SELECT 1 FROM ledger_entries x WHERE x.id = NEW.reverses_id AND x.status IN ('delivered', 'confirmed') AND x.reverses_id IS NULL);
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER source_help_entry_new AFTER INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION source_help_entry_new()"#,
    r#"CREATE OR REPLACE FUNCTION source_help_entry_status() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO child_source_help (child_id, grp, helps, first_day) SELECT NEW.child_id, CASE WHEN NEW.source = 'fund' THEN 'fund' WHEN NEW.source = 'sponsor' THEN 'sponsor' ELSE 'other' END, 1, NEW.entry_date WHERE (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) AND NEW.status IN ('delivered', 'confirmed') AND NEW.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = NEW.id) ON CONFLICT (child_id, grp) DO UPDATE SET helps = child_source_help.helps + 1, first_day = CASE WHEN child_source_help.first_day IS NULL OR excluded.first_day < child_source_help.first_day THEN excluded.first_day ELSE child_source_help.first_day END;
UPDATE child_source_help SET helps = helps - 1, first_day = (SELECT MIN(e.entry_date) FROM ledger_entries e WHERE e.child_id = NEW.child_id AND CASE WHEN e.source = 'fund' THEN 'fund' WHEN e.source = 'sponsor' THEN 'sponsor' ELSE 'other' END = CASE WHEN NEW.source = 'fund' THEN 'fund' WHEN NEW.source = 'sponsor' THEN 'sponsor' ELSE 'other' END AND e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)) WHERE child_id = NEW.child_id AND grp = CASE WHEN NEW.source = 'fund' THEN 'fund' WHEN NEW.source = 'sponsor' THEN 'sponsor' ELSE 'other' END AND (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) AND NOT (NEW.status IN ('delivered', 'confirmed')) AND NEW.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = NEW.id);
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER source_help_entry_status AFTER UPDATE OF status ON ledger_entries FOR EACH ROW EXECUTE FUNCTION source_help_entry_status()"#,
    r#"CREATE OR REPLACE FUNCTION source_help_counted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT c.campaign_id, c.school_id, 'helped_by', NEW.grp, 1 FROM children c WHERE c.id = NEW.child_id AND NEW.helps > 0 ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, NEW.first_day AS day, 'helped_by' AS metric, NEW.grp AS label, 1 AS amount FROM children c WHERE c.id = NEW.child_id AND NEW.first_day IS NOT NULL) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER source_help_counted AFTER INSERT ON child_source_help FOR EACH ROW WHEN (NEW.helps > 0 OR NEW.first_day IS NOT NULL) EXECUTE FUNCTION source_help_counted()"#,
    r#"CREATE OR REPLACE FUNCTION source_help_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT c.campaign_id, c.school_id, 'helped_by', NEW.grp, CASE WHEN NEW.helps > 0 THEN 1 ELSE -1 END FROM children c WHERE c.id = NEW.child_id AND (OLD.helps > 0) <> (NEW.helps > 0) ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER source_help_changed AFTER UPDATE OF helps ON child_source_help FOR EACH ROW WHEN ((OLD.helps > 0) <> (NEW.helps > 0)) EXECUTE FUNCTION source_help_changed()"#,
    r#"CREATE OR REPLACE FUNCTION source_help_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, OLD.first_day AS day, 'helped_by' AS metric, NEW.grp AS label, -1 AS amount FROM children c WHERE c.id = NEW.child_id AND OLD.first_day IS NOT NULL AND OLD.first_day IS DISTINCT FROM NEW.first_day UNION ALL SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, NEW.first_day AS day, 'helped_by' AS metric, NEW.grp AS label, 1 AS amount FROM children c WHERE c.id = NEW.child_id AND NEW.first_day IS NOT NULL AND OLD.first_day IS DISTINCT FROM NEW.first_day) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER source_help_moved AFTER UPDATE OF first_day ON child_source_help FOR EACH ROW WHEN (OLD.first_day IS DISTINCT FROM NEW.first_day) EXECUTE FUNCTION source_help_moved()"#,
    r#"CREATE OR REPLACE FUNCTION source_help_children_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows w ON w.id = o.id WHERE o.school_id <> w.school_id) THEN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT d.campaign_id, d.school_id, d.metric, d.label, SUM(d.amount) FROM (SELECT o.campaign_id AS campaign_id, o.school_id AS school_id, 'helped_by' AS metric, h.grp AS label, -1 AS amount FROM old_rows o JOIN new_rows w ON w.id = o.id JOIN child_source_help h ON h.child_id = o.id WHERE h.helps > 0 AND o.school_id <> w.school_id UNION ALL SELECT w.campaign_id, w.school_id, 'helped_by', h.grp, 1 FROM old_rows o JOIN new_rows w ON w.id = o.id JOIN child_source_help h ON h.child_id = o.id WHERE h.helps > 0 AND o.school_id <> w.school_id) d WHERE true GROUP BY d.campaign_id, d.school_id, d.metric, d.label ORDER BY 1, 2, 3, 4 ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT m.campaign_id AS campaign_id, m.school_id AS school_id, m.day AS day, m.metric AS metric, m.label AS label, SUM(m.amount) AS amount FROM (SELECT o.campaign_id AS campaign_id, o.school_id AS school_id, h.first_day AS day, 'helped_by' AS metric, h.grp AS label, -1 AS amount FROM old_rows o JOIN new_rows w ON w.id = o.id JOIN child_source_help h ON h.child_id = o.id WHERE h.first_day IS NOT NULL AND o.school_id <> w.school_id UNION ALL SELECT w.campaign_id, w.school_id, h.first_day, 'helped_by', h.grp, 1 FROM old_rows o JOIN new_rows w ON w.id = o.id JOIN child_source_help h ON h.child_id = o.id WHERE h.first_day IS NOT NULL AND o.school_id <> w.school_id) m WHERE true GROUP BY m.campaign_id, m.school_id, m.day, m.metric, m.label) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
END IF;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER source_help_children_moved AFTER UPDATE ON children REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION source_help_children_moved()"#,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = db.get_database_backend();
        if backend == DatabaseBackend::Postgres {
            db.execute_unprepared("LOCK TABLE children, ledger_entries IN SHARE ROW EXCLUSIVE MODE").await?;
        }
        db.execute_unprepared(TABLE).await?;
        let triggers: &[&str] = if backend == DatabaseBackend::Postgres { &POSTGRES } else { &SQLITE };
        for sql in CLEARED.iter().chain(BACKFILL.iter()).chain(triggers) {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for (name, table) in ADDED {
            let sql = match db.get_database_backend() {
                DatabaseBackend::Postgres => {
                    vec![
                        format!("DROP TRIGGER IF EXISTS {name} ON {table}"),
                        format!("DROP FUNCTION IF EXISTS {name}()"),
                    ]
                }
                _ => vec![format!("DROP TRIGGER IF EXISTS {name}")],
            };
            for sql in sql {
                db.execute_unprepared(&sql).await?;
            }
        }
        db.execute_unprepared("DROP TABLE child_source_help").await?;
        Ok(())
    }
}
