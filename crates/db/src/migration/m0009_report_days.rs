//! Running totals by day (`report_days`), so that a report for any dates and the dashboard's help
//! by day read a few rows per unit and day instead of the ledger: per campaign, unit (each school,
//! and again its district) and day, the help delivered by source, the items of kept entries, and
//! the children helped for the first time that day (`child_help.first_day`, at the school that
//! holds the child's record). What is there already is summed in; the ledger's three triggers are
//! made again with the days' statements in them (each where the same kind of row of the whole
//! campaign's totals is taken, so that every write takes its rows in one order), and three
//! triggers are added: a child's first day added or moved, and a child moved to another school.
//! A school's reversals get an index of their own (a school's report reads the set of them), and
//! the totals one by figure (a region's count of children reads it alone).
//!
//! Self-contained: the statements are the text `db::totals` generated when this migration was
//! written, frozen here for each database (and the three triggers as m0006 made them, for the
//! step down), so that no change to live code changes what a fresh database replays; a test holds
//! the live triggers to these, to the letter.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "CREATE TABLE report_days (campaign_id BIGINT NOT NULL, unit_id BIGINT NOT NULL, \
    day DATE NOT NULL, metric VARCHAR(16) NOT NULL, label VARCHAR(32) NOT NULL, amount BIGINT NOT NULL DEFAULT 0, \
    PRIMARY KEY (campaign_id, unit_id, day, metric, label))";

/// A school's reversals in a campaign (a school's report reads the set of them, never the
/// country's).
const REVERSALS: &str = "CREATE INDEX ix_ledger_reversals_at ON ledger_entries (campaign_id, unit_path) \
    WHERE reverses_id IS NOT NULL";

/// One figure of every school of a campaign, read from the index alone (the children on a
/// region's lists are the sum of a thousand schools' rows, which a probe of the primary key per
/// school made PostgreSQL read by scanning the table).
const BY_METRIC: &str =
    "CREATE INDEX ix_report_totals_metric ON report_totals (campaign_id, metric, label, school_id, amount)";

/// The ledger's triggers this migration makes again, with their tables.
const REMADE: [(&str, &str); 3] = [
    ("report_totals_entry_new", "ledger_entries"),
    ("report_totals_entry_status", "ledger_entries"),
    ("report_totals_item_new", "ledger_items"),
];

/// The triggers this migration adds, with their tables.
const ADDED: [(&str, &str); 3] = [
    ("report_days_help_new", "child_help"),
    ("report_days_help_moved", "child_help"),
    ("report_totals_children_days", "children"),
];

/// The sums of what is there (first each child's first day of help), one text for both databases.
const BACKFILL: [&str; 4] = [
    r#"UPDATE child_help SET first_day = (SELECT MIN(e.entry_date) FROM ledger_entries e WHERE e.child_id = child_help.child_id AND e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id))"#,
    r#"INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT e.campaign_id AS campaign_id, e.school_id AS school_id, e.entry_date AS day, 'source' AS metric, e.source AS label, SUM(e.amount) AS amount FROM ledger_entries e WHERE e.status IN ('delivered', 'confirmed') GROUP BY e.campaign_id, e.school_id, e.entry_date, e.source) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount"#,
    r#"INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT e.campaign_id AS campaign_id, e.school_id AS school_id, e.entry_date AS day, 'item' AS metric, i.item AS label, SUM(i.quantity) AS amount FROM ledger_items i JOIN ledger_entries e ON e.id = i.entry_id WHERE e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id) GROUP BY e.campaign_id, e.school_id, e.entry_date, i.item) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount"#,
    r#"INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, h.first_day AS day, 'helped' AS metric, '' AS label, COUNT(*) AS amount FROM child_help h JOIN children c ON c.id = h.child_id WHERE h.first_day IS NOT NULL GROUP BY c.campaign_id, c.school_id, h.first_day) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount"#,
];

/// The triggers, on PostgreSQL.
const POSTGRES: [&str; 12] = [
    r#"CREATE OR REPLACE FUNCTION report_totals_entry_new() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT NEW.campaign_id, NEW.school_id, 'source', NEW.source, NEW.amount WHERE NEW.status IN ('delivered', 'confirmed') ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT NEW.campaign_id AS campaign_id, NEW.school_id AS school_id, NEW.entry_date AS day, 'source' AS metric, NEW.source AS label, NEW.amount AS amount WHERE NEW.status IN ('delivered', 'confirmed')) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
INSERT INTO child_help (child_id, helps) SELECT NEW.child_id, 1 WHERE NEW.status IN ('delivered', 'confirmed') AND NEW.reverses_id IS NULL ON CONFLICT (child_id) DO UPDATE SET helps = child_help.helps + excluded.helps;
UPDATE child_help SET helps = helps - 1 WHERE child_id IN (SELECT x.child_id FROM ledger_entries x WHERE x.id = NEW.reverses_id AND x.status IN ('delivered', 'confirmed') AND x.reverses_id IS NULL);
INSERT INTO child_help (child_id, helps, first_day) SELECT NEW.child_id, 0, (SELECT MIN(e.entry_date) FROM ledger_entries e WHERE e.child_id = NEW.child_id AND e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)) WHERE NEW.status IN ('delivered', 'confirmed') ON CONFLICT (child_id) DO UPDATE SET first_day = excluded.first_day;
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT x.campaign_id, x.school_id, 'item', i.item, -SUM(i.quantity) FROM ledger_entries x JOIN ledger_items i ON i.entry_id = x.id WHERE x.id = NEW.reverses_id AND x.status IN ('delivered', 'confirmed') AND x.reverses_id IS NULL GROUP BY x.campaign_id, x.school_id, i.item ORDER BY i.item ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT x.campaign_id AS campaign_id, x.school_id AS school_id, x.entry_date AS day, 'item' AS metric, i.item AS label, -SUM(i.quantity) AS amount FROM ledger_entries x JOIN ledger_items i ON i.entry_id = x.id WHERE x.id = NEW.reverses_id AND x.status IN ('delivered', 'confirmed') AND x.reverses_id IS NULL GROUP BY x.campaign_id, x.school_id, x.entry_date, i.item) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER report_totals_entry_new AFTER INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION report_totals_entry_new()"#,
    r#"CREATE OR REPLACE FUNCTION report_totals_entry_status() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT NEW.campaign_id, NEW.school_id, 'source', NEW.source, (CASE WHEN NEW.status IN ('delivered', 'confirmed') THEN 1 ELSE -1 END) * NEW.amount WHERE (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT NEW.campaign_id AS campaign_id, NEW.school_id AS school_id, NEW.entry_date AS day, 'source' AS metric, NEW.source AS label, (CASE WHEN NEW.status IN ('delivered', 'confirmed') THEN 1 ELSE -1 END) * NEW.amount AS amount WHERE (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed'))) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
INSERT INTO child_help (child_id, helps) SELECT NEW.child_id, CASE WHEN NEW.status IN ('delivered', 'confirmed') THEN 1 ELSE -1 END WHERE (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) AND NEW.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = NEW.id) ON CONFLICT (child_id) DO UPDATE SET helps = child_help.helps + excluded.helps;
INSERT INTO child_help (child_id, helps, first_day) SELECT NEW.child_id, 0, (SELECT MIN(e.entry_date) FROM ledger_entries e WHERE e.child_id = NEW.child_id AND e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)) WHERE (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) ON CONFLICT (child_id) DO UPDATE SET first_day = excluded.first_day;
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT NEW.campaign_id, NEW.school_id, 'item', i.item, (CASE WHEN NEW.status IN ('delivered', 'confirmed') THEN 1 ELSE -1 END) * SUM(i.quantity) FROM ledger_items i WHERE i.entry_id = NEW.id AND (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) AND NEW.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = NEW.id) GROUP BY i.item ORDER BY i.item ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT NEW.campaign_id AS campaign_id, NEW.school_id AS school_id, NEW.entry_date AS day, 'item' AS metric, i.item AS label, (CASE WHEN NEW.status IN ('delivered', 'confirmed') THEN 1 ELSE -1 END) * SUM(i.quantity) AS amount FROM ledger_items i WHERE i.entry_id = NEW.id AND (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) AND NEW.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = NEW.id) GROUP BY i.item) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER report_totals_entry_status AFTER UPDATE OF status ON ledger_entries FOR EACH ROW EXECUTE FUNCTION report_totals_entry_status()"#,
    r#"CREATE OR REPLACE FUNCTION report_totals_item_new() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT e.campaign_id, e.school_id, 'item', NEW.item, NEW.quantity FROM ledger_entries e WHERE e.id = NEW.entry_id AND e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id) ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT e.campaign_id AS campaign_id, e.school_id AS school_id, e.entry_date AS day, 'item' AS metric, NEW.item AS label, NEW.quantity AS amount FROM ledger_entries e WHERE e.id = NEW.entry_id AND e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER report_totals_item_new AFTER INSERT ON ledger_items FOR EACH ROW EXECUTE FUNCTION report_totals_item_new()"#,
    r#"CREATE OR REPLACE FUNCTION report_days_help_new() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, NEW.first_day AS day, 'helped' AS metric, '' AS label, 1 AS amount FROM children c WHERE c.id = NEW.child_id AND NEW.first_day IS NOT NULL) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER report_days_help_new AFTER INSERT ON child_help FOR EACH ROW EXECUTE FUNCTION report_days_help_new()"#,
    r#"CREATE OR REPLACE FUNCTION report_days_help_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, OLD.first_day AS day, 'helped' AS metric, '' AS label, -1 AS amount FROM children c WHERE c.id = NEW.child_id AND OLD.first_day IS NOT NULL AND OLD.first_day IS DISTINCT FROM NEW.first_day UNION ALL SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, NEW.first_day AS day, 'helped' AS metric, '' AS label, 1 AS amount FROM children c WHERE c.id = NEW.child_id AND NEW.first_day IS NOT NULL AND OLD.first_day IS DISTINCT FROM NEW.first_day) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER report_days_help_moved AFTER UPDATE OF first_day ON child_help FOR EACH ROW EXECUTE FUNCTION report_days_help_moved()"#,
    r#"CREATE OR REPLACE FUNCTION report_totals_children_days() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows w ON w.id = o.id WHERE o.school_id <> w.school_id) THEN
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT m.campaign_id AS campaign_id, m.school_id AS school_id, m.day AS day, 'helped' AS metric, '' AS label, SUM(m.amount) AS amount FROM (SELECT o.campaign_id AS campaign_id, o.school_id AS school_id, h.first_day AS day, -1 AS amount FROM old_rows o JOIN new_rows w ON w.id = o.id JOIN child_help h ON h.child_id = o.id WHERE h.first_day IS NOT NULL AND o.school_id <> w.school_id UNION ALL SELECT w.campaign_id, w.school_id, h.first_day, 1 FROM old_rows o JOIN new_rows w ON w.id = o.id JOIN child_help h ON h.child_id = o.id WHERE h.first_day IS NOT NULL AND o.school_id <> w.school_id) m WHERE true GROUP BY m.campaign_id, m.school_id, m.day) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
END IF;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER report_totals_children_days AFTER UPDATE ON children REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_totals_children_days()"#,
];

/// The same on SQLite.
const SQLITE: [&str; 6] = [
    r#"CREATE TRIGGER report_totals_entry_new AFTER INSERT ON ledger_entries FOR EACH ROW BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT NEW.campaign_id, NEW.school_id, 'source', NEW.source, NEW.amount WHERE NEW.status IN ('delivered', 'confirmed') ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT NEW.campaign_id AS campaign_id, NEW.school_id AS school_id, NEW.entry_date AS day, 'source' AS metric, NEW.source AS label, NEW.amount AS amount WHERE NEW.status IN ('delivered', 'confirmed')) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
INSERT INTO child_help (child_id, helps) SELECT NEW.child_id, 1 WHERE NEW.status IN ('delivered', 'confirmed') AND NEW.reverses_id IS NULL ON CONFLICT (child_id) DO UPDATE SET helps = child_help.helps + excluded.helps;
UPDATE child_help SET helps = helps - 1 WHERE child_id IN (SELECT x.child_id FROM ledger_entries x WHERE x.id = NEW.reverses_id AND x.status IN ('delivered', 'confirmed') AND x.reverses_id IS NULL);
INSERT INTO child_help (child_id, helps, first_day) SELECT NEW.child_id, 0, (SELECT MIN(e.entry_date) FROM ledger_entries e WHERE e.child_id = NEW.child_id AND e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)) WHERE NEW.status IN ('delivered', 'confirmed') ON CONFLICT (child_id) DO UPDATE SET first_day = excluded.first_day;
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT x.campaign_id, x.school_id, 'item', i.item, -SUM(i.quantity) FROM ledger_entries x JOIN ledger_items i ON i.entry_id = x.id WHERE x.id = NEW.reverses_id AND x.status IN ('delivered', 'confirmed') AND x.reverses_id IS NULL GROUP BY x.campaign_id, x.school_id, i.item ORDER BY i.item ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT x.campaign_id AS campaign_id, x.school_id AS school_id, x.entry_date AS day, 'item' AS metric, i.item AS label, -SUM(i.quantity) AS amount FROM ledger_entries x JOIN ledger_items i ON i.entry_id = x.id WHERE x.id = NEW.reverses_id AND x.status IN ('delivered', 'confirmed') AND x.reverses_id IS NULL GROUP BY x.campaign_id, x.school_id, x.entry_date, i.item) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
END"#,
    r#"CREATE TRIGGER report_totals_entry_status AFTER UPDATE OF status ON ledger_entries FOR EACH ROW BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT NEW.campaign_id, NEW.school_id, 'source', NEW.source, (CASE WHEN NEW.status IN ('delivered', 'confirmed') THEN 1 ELSE -1 END) * NEW.amount WHERE (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT NEW.campaign_id AS campaign_id, NEW.school_id AS school_id, NEW.entry_date AS day, 'source' AS metric, NEW.source AS label, (CASE WHEN NEW.status IN ('delivered', 'confirmed') THEN 1 ELSE -1 END) * NEW.amount AS amount WHERE (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed'))) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
INSERT INTO child_help (child_id, helps) SELECT NEW.child_id, CASE WHEN NEW.status IN ('delivered', 'confirmed') THEN 1 ELSE -1 END WHERE (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) AND NEW.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = NEW.id) ON CONFLICT (child_id) DO UPDATE SET helps = child_help.helps + excluded.helps;
INSERT INTO child_help (child_id, helps, first_day) SELECT NEW.child_id, 0, (SELECT MIN(e.entry_date) FROM ledger_entries e WHERE e.child_id = NEW.child_id AND e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)) WHERE (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) ON CONFLICT (child_id) DO UPDATE SET first_day = excluded.first_day;
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT NEW.campaign_id, NEW.school_id, 'item', i.item, (CASE WHEN NEW.status IN ('delivered', 'confirmed') THEN 1 ELSE -1 END) * SUM(i.quantity) FROM ledger_items i WHERE i.entry_id = NEW.id AND (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) AND NEW.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = NEW.id) GROUP BY i.item ORDER BY i.item ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT NEW.campaign_id AS campaign_id, NEW.school_id AS school_id, NEW.entry_date AS day, 'item' AS metric, i.item AS label, (CASE WHEN NEW.status IN ('delivered', 'confirmed') THEN 1 ELSE -1 END) * SUM(i.quantity) AS amount FROM ledger_items i WHERE i.entry_id = NEW.id AND (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) AND NEW.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = NEW.id) GROUP BY i.item) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
END"#,
    r#"CREATE TRIGGER report_totals_item_new AFTER INSERT ON ledger_items FOR EACH ROW BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT e.campaign_id, e.school_id, 'item', NEW.item, NEW.quantity FROM ledger_entries e WHERE e.id = NEW.entry_id AND e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id) ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT e.campaign_id AS campaign_id, e.school_id AS school_id, e.entry_date AS day, 'item' AS metric, NEW.item AS label, NEW.quantity AS amount FROM ledger_entries e WHERE e.id = NEW.entry_id AND e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id)) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
END"#,
    r#"CREATE TRIGGER report_days_help_new AFTER INSERT ON child_help FOR EACH ROW BEGIN
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, NEW.first_day AS day, 'helped' AS metric, '' AS label, 1 AS amount FROM children c WHERE c.id = NEW.child_id AND NEW.first_day IS NOT NULL) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
END"#,
    r#"CREATE TRIGGER report_days_help_moved AFTER UPDATE OF first_day ON child_help FOR EACH ROW BEGIN
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, OLD.first_day AS day, 'helped' AS metric, '' AS label, -1 AS amount FROM children c WHERE c.id = NEW.child_id AND OLD.first_day IS NOT NULL AND OLD.first_day IS DISTINCT FROM NEW.first_day UNION ALL SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, NEW.first_day AS day, 'helped' AS metric, '' AS label, 1 AS amount FROM children c WHERE c.id = NEW.child_id AND NEW.first_day IS NOT NULL AND OLD.first_day IS DISTINCT FROM NEW.first_day) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
END"#,
    r#"CREATE TRIGGER report_totals_children_days AFTER UPDATE OF school_id ON children FOR EACH ROW BEGIN
INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM (SELECT m.campaign_id AS campaign_id, m.school_id AS school_id, m.day AS day, 'helped' AS metric, '' AS label, SUM(m.amount) AS amount FROM (SELECT o.campaign_id AS campaign_id, o.school_id AS school_id, h.first_day AS day, -1 AS amount FROM (SELECT OLD.id AS id, OLD.campaign_id AS campaign_id, OLD.school_id AS school_id) o JOIN (SELECT NEW.id AS id, NEW.campaign_id AS campaign_id, NEW.school_id AS school_id) w ON w.id = o.id JOIN child_help h ON h.child_id = o.id WHERE h.first_day IS NOT NULL AND o.school_id <> w.school_id UNION ALL SELECT w.campaign_id, w.school_id, h.first_day, 1 FROM (SELECT OLD.id AS id, OLD.campaign_id AS campaign_id, OLD.school_id AS school_id) o JOIN (SELECT NEW.id AS id, NEW.campaign_id AS campaign_id, NEW.school_id AS school_id) w ON w.id = o.id JOIN child_help h ON h.child_id = o.id WHERE h.first_day IS NOT NULL AND o.school_id <> w.school_id) m WHERE true GROUP BY m.campaign_id, m.school_id, m.day) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount;
END"#,
];

/// The three ledger triggers as they were, on PostgreSQL (for the step down).
const POSTGRES_BEFORE: [&str; 6] = [
    r#"CREATE OR REPLACE FUNCTION report_totals_entry_new() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT NEW.campaign_id, NEW.school_id, 'source', NEW.source, NEW.amount WHERE NEW.status IN ('delivered', 'confirmed') ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO child_help (child_id, helps) SELECT NEW.child_id, 1 WHERE NEW.status IN ('delivered', 'confirmed') AND NEW.reverses_id IS NULL ON CONFLICT (child_id) DO UPDATE SET helps = child_help.helps + excluded.helps;
UPDATE child_help SET helps = helps - 1 WHERE child_id IN (SELECT x.child_id FROM ledger_entries x WHERE x.id = NEW.reverses_id AND x.status IN ('delivered', 'confirmed') AND x.reverses_id IS NULL);
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT x.campaign_id, x.school_id, 'item', i.item, -SUM(i.quantity) FROM ledger_entries x JOIN ledger_items i ON i.entry_id = x.id WHERE x.id = NEW.reverses_id AND x.status IN ('delivered', 'confirmed') AND x.reverses_id IS NULL GROUP BY x.campaign_id, x.school_id, i.item ORDER BY i.item ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER report_totals_entry_new AFTER INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION report_totals_entry_new()"#,
    r#"CREATE OR REPLACE FUNCTION report_totals_entry_status() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT NEW.campaign_id, NEW.school_id, 'source', NEW.source, (CASE WHEN NEW.status IN ('delivered', 'confirmed') THEN 1 ELSE -1 END) * NEW.amount WHERE (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO child_help (child_id, helps) SELECT NEW.child_id, CASE WHEN NEW.status IN ('delivered', 'confirmed') THEN 1 ELSE -1 END WHERE (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) AND NEW.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = NEW.id) ON CONFLICT (child_id) DO UPDATE SET helps = child_help.helps + excluded.helps;
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT NEW.campaign_id, NEW.school_id, 'item', i.item, (CASE WHEN NEW.status IN ('delivered', 'confirmed') THEN 1 ELSE -1 END) * SUM(i.quantity) FROM ledger_items i WHERE i.entry_id = NEW.id AND (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) AND NEW.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = NEW.id) GROUP BY i.item ORDER BY i.item ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER report_totals_entry_status AFTER UPDATE OF status ON ledger_entries FOR EACH ROW EXECUTE FUNCTION report_totals_entry_status()"#,
    r#"CREATE OR REPLACE FUNCTION report_totals_item_new() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT e.campaign_id, e.school_id, 'item', NEW.item, NEW.quantity FROM ledger_entries e WHERE e.id = NEW.entry_id AND e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id) ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER report_totals_item_new AFTER INSERT ON ledger_items FOR EACH ROW EXECUTE FUNCTION report_totals_item_new()"#,
];

/// The same on SQLite.
const SQLITE_BEFORE: [&str; 3] = [
    r#"CREATE TRIGGER report_totals_entry_new AFTER INSERT ON ledger_entries FOR EACH ROW BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT NEW.campaign_id, NEW.school_id, 'source', NEW.source, NEW.amount WHERE NEW.status IN ('delivered', 'confirmed') ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO child_help (child_id, helps) SELECT NEW.child_id, 1 WHERE NEW.status IN ('delivered', 'confirmed') AND NEW.reverses_id IS NULL ON CONFLICT (child_id) DO UPDATE SET helps = child_help.helps + excluded.helps;
UPDATE child_help SET helps = helps - 1 WHERE child_id IN (SELECT x.child_id FROM ledger_entries x WHERE x.id = NEW.reverses_id AND x.status IN ('delivered', 'confirmed') AND x.reverses_id IS NULL);
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT x.campaign_id, x.school_id, 'item', i.item, -SUM(i.quantity) FROM ledger_entries x JOIN ledger_items i ON i.entry_id = x.id WHERE x.id = NEW.reverses_id AND x.status IN ('delivered', 'confirmed') AND x.reverses_id IS NULL GROUP BY x.campaign_id, x.school_id, i.item ORDER BY i.item ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
END"#,
    r#"CREATE TRIGGER report_totals_entry_status AFTER UPDATE OF status ON ledger_entries FOR EACH ROW BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT NEW.campaign_id, NEW.school_id, 'source', NEW.source, (CASE WHEN NEW.status IN ('delivered', 'confirmed') THEN 1 ELSE -1 END) * NEW.amount WHERE (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
INSERT INTO child_help (child_id, helps) SELECT NEW.child_id, CASE WHEN NEW.status IN ('delivered', 'confirmed') THEN 1 ELSE -1 END WHERE (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) AND NEW.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = NEW.id) ON CONFLICT (child_id) DO UPDATE SET helps = child_help.helps + excluded.helps;
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT NEW.campaign_id, NEW.school_id, 'item', i.item, (CASE WHEN NEW.status IN ('delivered', 'confirmed') THEN 1 ELSE -1 END) * SUM(i.quantity) FROM ledger_items i WHERE i.entry_id = NEW.id AND (OLD.status IN ('delivered', 'confirmed')) <> (NEW.status IN ('delivered', 'confirmed')) AND NEW.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = NEW.id) GROUP BY i.item ORDER BY i.item ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
END"#,
    r#"CREATE TRIGGER report_totals_item_new AFTER INSERT ON ledger_items FOR EACH ROW BEGIN
INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) SELECT e.campaign_id, e.school_id, 'item', NEW.item, NEW.quantity FROM ledger_entries e WHERE e.id = NEW.entry_id AND e.status IN ('delivered', 'confirmed') AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = e.id) ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount;
END"#,
];

async fn drop_triggers(db: &impl ConnectionTrait, triggers: &[(&str, &str)]) -> Result<(), DbErr> {
    for (name, table) in triggers {
        if db.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name} ON {table}")).await?;
            db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {name}()")).await?;
        } else {
            db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}")).await?;
        }
    }
    Ok(())
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
                "LOCK TABLE children, child_categories, ledger_entries, ledger_items, child_help \
                 IN SHARE ROW EXCLUSIVE MODE",
            )
            .await?;
        }
        db.execute_unprepared(TABLE).await?;
        db.execute_unprepared("ALTER TABLE child_help ADD COLUMN first_day DATE NULL").await?;
        db.execute_unprepared(REVERSALS).await?;
        db.execute_unprepared(BY_METRIC).await?;
        drop_triggers(db, &REMADE).await?;
        let triggers: &[&str] = if backend == DatabaseBackend::Postgres { &POSTGRES } else { &SQLITE };
        for sql in BACKFILL.iter().chain(triggers) {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = db.get_database_backend();
        drop_triggers(db, &ADDED).await?;
        drop_triggers(db, &REMADE).await?;
        let before: &[&str] = if backend == DatabaseBackend::Postgres { &POSTGRES_BEFORE } else { &SQLITE_BEFORE };
        for sql in before {
            db.execute_unprepared(sql).await?;
        }
        db.execute_unprepared("DROP INDEX ix_ledger_reversals_at").await?;
        db.execute_unprepared("DROP INDEX ix_report_totals_metric").await?;
        db.execute_unprepared("DROP TABLE report_days").await?;
        db.execute_unprepared("ALTER TABLE child_help DROP COLUMN first_day").await?;
        Ok(())
    }
}
