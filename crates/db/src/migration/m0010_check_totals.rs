//! The checks and the social passport from running totals, so that the republic's reads a few
//! rows instead of the whole ledger or registry.
//!
//! - **What each child was given beside what it needs**, on the child's help row
//!   (`child_help.given`, every entry, reversals netting out; `child_help.needs_cost`, the child's
//!   own copy of its needs' cost; and its campaign), with a partial index by campaign of the rows
//!   where the first exceeds the second: the children above their need are found there, not by
//!   summing the scope's ledger.
//! - **The passport's counts** (`passport_totals`): per campaign, unit (each school, and again its
//!   district), grade, status and category, the children and the cost of their needs.
//! - **The entries the checks list**, cash unproven and aid still planned, each in a partial index
//!   in date order (with the path), so the first 500 of a scope are read in order and the rest
//!   never.
//!
//! What is there already is summed in. Self-contained: the statements are the text `db::totals`
//! generated when this migration was written, frozen here for each database; a test holds the
//! live triggers to these, to the letter.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "CREATE TABLE passport_totals (campaign_id BIGINT NOT NULL, unit_id BIGINT NOT NULL, \
    grade SMALLINT NOT NULL, status VARCHAR(32) NOT NULL, category VARCHAR(32) NOT NULL, \
    children BIGINT NOT NULL DEFAULT 0, cost BIGINT NOT NULL DEFAULT 0, \
    PRIMARY KEY (campaign_id, unit_id, grade, status, category))";

/// The columns added to the children's help rows.
const COLUMNS: [&str; 3] = [
    "ALTER TABLE child_help ADD COLUMN campaign_id BIGINT NULL",
    "ALTER TABLE child_help ADD COLUMN given BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE child_help ADD COLUMN needs_cost BIGINT NOT NULL DEFAULT 0",
];

/// The indexes: the children given more than their needs' cost, and the entries the checks list
/// in date order with their path, so that a region's list skips the other regions' entries in
/// the index without reading their rows.
const INDEXES: [(&str, &str); 3] = [
    (
        "ix_child_help_above",
        "CREATE INDEX ix_child_help_above ON child_help (campaign_id, child_id) WHERE given > needs_cost",
    ),
    (
        "ix_ledger_unproven",
        "CREATE INDEX ix_ledger_unproven ON ledger_entries (campaign_id, entry_date, id, unit_path) \
         WHERE form = 'cash' AND status = 'delivered' AND reverses_id IS NULL",
    ),
    (
        "ix_ledger_planned",
        "CREATE INDEX ix_ledger_planned ON ledger_entries (campaign_id, entry_date, id, unit_path) \
         WHERE status = 'planned' AND reverses_id IS NULL",
    ),
];

/// The triggers this migration adds, with their tables.
const ADDED: [(&str, &str); 6] = [
    ("child_given_new", "ledger_entries"),
    ("child_needs_changed", "children"),
    ("passport_children_added", "children"),
    ("passport_children_changed", "children"),
    ("passport_categories_added", "child_categories"),
    ("passport_categories_removed", "child_categories"),
];

/// The sums of what is there (the given first, then the needs' copies, then the passport), one
/// text for both databases.
const BACKFILL: [&str; 4] = [
    r#"INSERT INTO child_help (child_id, helps, given, needs_cost) SELECT e.child_id, 0, SUM(e.amount), 0 FROM ledger_entries e WHERE true GROUP BY e.child_id ON CONFLICT (child_id) DO UPDATE SET given = excluded.given"#,
    r#"UPDATE child_help SET campaign_id = (SELECT c.campaign_id FROM children c WHERE c.id = child_help.child_id), needs_cost = COALESCE((SELECT c.needs_cost FROM children c WHERE c.id = child_help.child_id), 0)"#,
    r#"INSERT INTO passport_totals (campaign_id, unit_id, grade, status, category, children, cost) SELECT d.campaign_id, u.id, d.grade, d.status, d.category, SUM(d.children), SUM(d.cost) FROM (SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, c.grade AS grade, c.status AS status, '' AS category, COUNT(*) AS children, SUM(c.needs_cost) AS cost FROM children c WHERE true GROUP BY c.campaign_id, c.school_id, c.grade, c.status) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.grade, d.status, d.category ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, grade, status, category) DO UPDATE SET children = passport_totals.children + excluded.children, cost = passport_totals.cost + excluded.cost"#,
    r#"INSERT INTO passport_totals (campaign_id, unit_id, grade, status, category, children, cost) SELECT d.campaign_id, u.id, d.grade, d.status, d.category, SUM(d.children), SUM(d.cost) FROM (SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, c.grade AS grade, '' AS status, k.category AS category, COUNT(*) AS children, 0 AS cost FROM child_categories k JOIN children c ON c.id = k.child_id WHERE true GROUP BY c.campaign_id, c.school_id, c.grade, k.category) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.grade, d.status, d.category ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, grade, status, category) DO UPDATE SET children = passport_totals.children + excluded.children, cost = passport_totals.cost + excluded.cost"#,
];

/// The triggers, on PostgreSQL.
const POSTGRES: [&str; 12] = [
    r#"CREATE OR REPLACE FUNCTION child_given_new() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO child_help (child_id, helps, campaign_id, given, needs_cost) SELECT NEW.child_id, 0, NEW.campaign_id, NEW.amount, c.needs_cost FROM children c WHERE c.id = NEW.child_id ON CONFLICT (child_id) DO UPDATE SET campaign_id = excluded.campaign_id, given = child_help.given + excluded.given, needs_cost = excluded.needs_cost;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER child_given_new AFTER INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION child_given_new()"#,
    r#"CREATE OR REPLACE FUNCTION child_needs_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
UPDATE child_help SET needs_cost = (SELECT w.needs_cost FROM new_rows w WHERE w.id = child_help.child_id) WHERE child_id IN (SELECT o.id FROM old_rows o JOIN new_rows w ON w.id = o.id WHERE o.needs_cost <> w.needs_cost);
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER child_needs_changed AFTER UPDATE ON children REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION child_needs_changed()"#,
    r#"CREATE OR REPLACE FUNCTION passport_children_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO passport_totals (campaign_id, unit_id, grade, status, category, children, cost) SELECT d.campaign_id, u.id, d.grade, d.status, d.category, SUM(d.children), SUM(d.cost) FROM (SELECT w.campaign_id AS campaign_id, w.school_id AS school_id, w.grade AS grade, w.status AS status, '' AS category, 1 AS children, w.needs_cost AS cost FROM new_rows w) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.grade, d.status, d.category ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, grade, status, category) DO UPDATE SET children = passport_totals.children + excluded.children, cost = passport_totals.cost + excluded.cost;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER passport_children_added AFTER INSERT ON children REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION passport_children_added()"#,
    r#"CREATE OR REPLACE FUNCTION passport_children_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO passport_totals (campaign_id, unit_id, grade, status, category, children, cost) SELECT d.campaign_id, u.id, d.grade, d.status, d.category, SUM(d.children), SUM(d.cost) FROM (SELECT o.campaign_id AS campaign_id, o.school_id AS school_id, o.grade AS grade, o.status AS status, '' AS category, -1 AS children, -o.needs_cost AS cost FROM old_rows o JOIN new_rows w ON w.id = o.id WHERE o.school_id <> w.school_id OR o.grade <> w.grade OR o.status <> w.status OR o.needs_cost <> w.needs_cost UNION ALL SELECT w.campaign_id AS campaign_id, w.school_id AS school_id, w.grade AS grade, w.status AS status, '' AS category, 1 AS children, w.needs_cost AS cost FROM old_rows o JOIN new_rows w ON w.id = o.id WHERE o.school_id <> w.school_id OR o.grade <> w.grade OR o.status <> w.status OR o.needs_cost <> w.needs_cost) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.grade, d.status, d.category ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, grade, status, category) DO UPDATE SET children = passport_totals.children + excluded.children, cost = passport_totals.cost + excluded.cost;
IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows w ON w.id = o.id WHERE o.school_id <> w.school_id OR o.grade <> w.grade) THEN
INSERT INTO passport_totals (campaign_id, unit_id, grade, status, category, children, cost) SELECT d.campaign_id, u.id, d.grade, d.status, d.category, SUM(d.children), SUM(d.cost) FROM (SELECT o.campaign_id AS campaign_id, o.school_id AS school_id, o.grade AS grade, '' AS status, k.category AS category, -1 AS children, 0 AS cost FROM old_rows o JOIN new_rows w ON w.id = o.id JOIN child_categories k ON k.child_id = o.id WHERE o.school_id <> w.school_id OR o.grade <> w.grade UNION ALL SELECT w.campaign_id AS campaign_id, w.school_id AS school_id, w.grade AS grade, '' AS status, k.category AS category, 1 AS children, 0 AS cost FROM old_rows o JOIN new_rows w ON w.id = o.id JOIN child_categories k ON k.child_id = o.id WHERE o.school_id <> w.school_id OR o.grade <> w.grade) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.grade, d.status, d.category ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, grade, status, category) DO UPDATE SET children = passport_totals.children + excluded.children, cost = passport_totals.cost + excluded.cost;
END IF;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER passport_children_changed AFTER UPDATE ON children REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION passport_children_changed()"#,
    r#"CREATE OR REPLACE FUNCTION passport_categories_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO passport_totals (campaign_id, unit_id, grade, status, category, children, cost) SELECT d.campaign_id, u.id, d.grade, d.status, d.category, SUM(d.children), SUM(d.cost) FROM (SELECT x.campaign_id AS campaign_id, x.school_id AS school_id, x.grade AS grade, '' AS status, x.category AS category, 1 AS children, 0 AS cost FROM (SELECT (SELECT c.campaign_id FROM children c WHERE c.id = w.child_id) AS campaign_id, (SELECT c.school_id FROM children c WHERE c.id = w.child_id) AS school_id, (SELECT c.grade FROM children c WHERE c.id = w.child_id) AS grade, w.category AS category FROM new_rows w) x WHERE x.school_id IS NOT NULL) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.grade, d.status, d.category ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, grade, status, category) DO UPDATE SET children = passport_totals.children + excluded.children, cost = passport_totals.cost + excluded.cost;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER passport_categories_added AFTER INSERT ON child_categories REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION passport_categories_added()"#,
    r#"CREATE OR REPLACE FUNCTION passport_categories_removed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
INSERT INTO passport_totals (campaign_id, unit_id, grade, status, category, children, cost) SELECT d.campaign_id, u.id, d.grade, d.status, d.category, SUM(d.children), SUM(d.cost) FROM (SELECT x.campaign_id AS campaign_id, x.school_id AS school_id, x.grade AS grade, '' AS status, x.category AS category, -1 AS children, 0 AS cost FROM (SELECT (SELECT c.campaign_id FROM children c WHERE c.id = w.child_id) AS campaign_id, (SELECT c.school_id FROM children c WHERE c.id = w.child_id) AS school_id, (SELECT c.grade FROM children c WHERE c.id = w.child_id) AS grade, w.category AS category FROM old_rows w) x WHERE x.school_id IS NOT NULL) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.grade, d.status, d.category ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, grade, status, category) DO UPDATE SET children = passport_totals.children + excluded.children, cost = passport_totals.cost + excluded.cost;
RETURN NULL; END $$"#,
    r#"CREATE TRIGGER passport_categories_removed AFTER DELETE ON child_categories REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION passport_categories_removed()"#,
];

/// The triggers, on SQLite.
const SQLITE: [&str; 6] = [
    r#"CREATE TRIGGER child_given_new AFTER INSERT ON ledger_entries FOR EACH ROW BEGIN
INSERT INTO child_help (child_id, helps, campaign_id, given, needs_cost) SELECT NEW.child_id, 0, NEW.campaign_id, NEW.amount, c.needs_cost FROM children c WHERE c.id = NEW.child_id ON CONFLICT (child_id) DO UPDATE SET campaign_id = excluded.campaign_id, given = child_help.given + excluded.given, needs_cost = excluded.needs_cost;
END"#,
    r#"CREATE TRIGGER child_needs_changed AFTER UPDATE OF needs_cost ON children FOR EACH ROW BEGIN
UPDATE child_help SET needs_cost = (SELECT w.needs_cost FROM (SELECT NEW.id AS id, NEW.needs_cost AS needs_cost) w WHERE w.id = child_help.child_id) WHERE child_id IN (SELECT o.id FROM (SELECT OLD.id AS id, OLD.needs_cost AS needs_cost) o JOIN (SELECT NEW.id AS id, NEW.needs_cost AS needs_cost) w ON w.id = o.id WHERE o.needs_cost <> w.needs_cost);
END"#,
    r#"CREATE TRIGGER passport_children_added AFTER INSERT ON children FOR EACH ROW BEGIN
INSERT INTO passport_totals (campaign_id, unit_id, grade, status, category, children, cost) SELECT d.campaign_id, u.id, d.grade, d.status, d.category, SUM(d.children), SUM(d.cost) FROM (SELECT w.campaign_id AS campaign_id, w.school_id AS school_id, w.grade AS grade, w.status AS status, '' AS category, 1 AS children, w.needs_cost AS cost FROM (SELECT NEW.campaign_id AS campaign_id, NEW.school_id AS school_id, NEW.grade AS grade, NEW.status AS status, NEW.needs_cost AS needs_cost) w) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.grade, d.status, d.category ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, grade, status, category) DO UPDATE SET children = passport_totals.children + excluded.children, cost = passport_totals.cost + excluded.cost;
END"#,
    r#"CREATE TRIGGER passport_children_changed AFTER UPDATE OF school_id, grade, status, needs_cost ON children FOR EACH ROW BEGIN
INSERT INTO passport_totals (campaign_id, unit_id, grade, status, category, children, cost) SELECT d.campaign_id, u.id, d.grade, d.status, d.category, SUM(d.children), SUM(d.cost) FROM (SELECT o.campaign_id AS campaign_id, o.school_id AS school_id, o.grade AS grade, o.status AS status, '' AS category, -1 AS children, -o.needs_cost AS cost FROM (SELECT OLD.id AS id, OLD.campaign_id AS campaign_id, OLD.school_id AS school_id, OLD.grade AS grade, OLD.status AS status, OLD.needs_cost AS needs_cost) o JOIN (SELECT NEW.id AS id, NEW.campaign_id AS campaign_id, NEW.school_id AS school_id, NEW.grade AS grade, NEW.status AS status, NEW.needs_cost AS needs_cost) w ON w.id = o.id WHERE o.school_id <> w.school_id OR o.grade <> w.grade OR o.status <> w.status OR o.needs_cost <> w.needs_cost UNION ALL SELECT w.campaign_id AS campaign_id, w.school_id AS school_id, w.grade AS grade, w.status AS status, '' AS category, 1 AS children, w.needs_cost AS cost FROM (SELECT OLD.id AS id, OLD.campaign_id AS campaign_id, OLD.school_id AS school_id, OLD.grade AS grade, OLD.status AS status, OLD.needs_cost AS needs_cost) o JOIN (SELECT NEW.id AS id, NEW.campaign_id AS campaign_id, NEW.school_id AS school_id, NEW.grade AS grade, NEW.status AS status, NEW.needs_cost AS needs_cost) w ON w.id = o.id WHERE o.school_id <> w.school_id OR o.grade <> w.grade OR o.status <> w.status OR o.needs_cost <> w.needs_cost) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.grade, d.status, d.category ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, grade, status, category) DO UPDATE SET children = passport_totals.children + excluded.children, cost = passport_totals.cost + excluded.cost;
INSERT INTO passport_totals (campaign_id, unit_id, grade, status, category, children, cost) SELECT d.campaign_id, u.id, d.grade, d.status, d.category, SUM(d.children), SUM(d.cost) FROM (SELECT o.campaign_id AS campaign_id, o.school_id AS school_id, o.grade AS grade, '' AS status, k.category AS category, -1 AS children, 0 AS cost FROM (SELECT OLD.id AS id, OLD.campaign_id AS campaign_id, OLD.school_id AS school_id, OLD.grade AS grade, OLD.status AS status, OLD.needs_cost AS needs_cost) o JOIN (SELECT NEW.id AS id, NEW.campaign_id AS campaign_id, NEW.school_id AS school_id, NEW.grade AS grade, NEW.status AS status, NEW.needs_cost AS needs_cost) w ON w.id = o.id JOIN child_categories k ON k.child_id = o.id WHERE o.school_id <> w.school_id OR o.grade <> w.grade UNION ALL SELECT w.campaign_id AS campaign_id, w.school_id AS school_id, w.grade AS grade, '' AS status, k.category AS category, 1 AS children, 0 AS cost FROM (SELECT OLD.id AS id, OLD.campaign_id AS campaign_id, OLD.school_id AS school_id, OLD.grade AS grade, OLD.status AS status, OLD.needs_cost AS needs_cost) o JOIN (SELECT NEW.id AS id, NEW.campaign_id AS campaign_id, NEW.school_id AS school_id, NEW.grade AS grade, NEW.status AS status, NEW.needs_cost AS needs_cost) w ON w.id = o.id JOIN child_categories k ON k.child_id = o.id WHERE o.school_id <> w.school_id OR o.grade <> w.grade) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.grade, d.status, d.category ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, grade, status, category) DO UPDATE SET children = passport_totals.children + excluded.children, cost = passport_totals.cost + excluded.cost;
END"#,
    r#"CREATE TRIGGER passport_categories_added AFTER INSERT ON child_categories FOR EACH ROW BEGIN
INSERT INTO passport_totals (campaign_id, unit_id, grade, status, category, children, cost) SELECT d.campaign_id, u.id, d.grade, d.status, d.category, SUM(d.children), SUM(d.cost) FROM (SELECT x.campaign_id AS campaign_id, x.school_id AS school_id, x.grade AS grade, '' AS status, x.category AS category, 1 AS children, 0 AS cost FROM (SELECT (SELECT c.campaign_id FROM children c WHERE c.id = w.child_id) AS campaign_id, (SELECT c.school_id FROM children c WHERE c.id = w.child_id) AS school_id, (SELECT c.grade FROM children c WHERE c.id = w.child_id) AS grade, w.category AS category FROM (SELECT NEW.child_id AS child_id, NEW.category AS category) w) x WHERE x.school_id IS NOT NULL) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.grade, d.status, d.category ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, grade, status, category) DO UPDATE SET children = passport_totals.children + excluded.children, cost = passport_totals.cost + excluded.cost;
END"#,
    r#"CREATE TRIGGER passport_categories_removed AFTER DELETE ON child_categories FOR EACH ROW BEGIN
INSERT INTO passport_totals (campaign_id, unit_id, grade, status, category, children, cost) SELECT d.campaign_id, u.id, d.grade, d.status, d.category, SUM(d.children), SUM(d.cost) FROM (SELECT x.campaign_id AS campaign_id, x.school_id AS school_id, x.grade AS grade, '' AS status, x.category AS category, -1 AS children, 0 AS cost FROM (SELECT (SELECT c.campaign_id FROM children c WHERE c.id = w.child_id) AS campaign_id, (SELECT c.school_id FROM children c WHERE c.id = w.child_id) AS school_id, (SELECT c.grade FROM children c WHERE c.id = w.child_id) AS grade, w.category AS category FROM (SELECT OLD.child_id AS child_id, OLD.category AS category) w) x WHERE x.school_id IS NOT NULL) d JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true GROUP BY d.campaign_id, u.id, d.grade, d.status, d.category ORDER BY 1, 2, 3, 4, 5 ON CONFLICT (campaign_id, unit_id, grade, status, category) DO UPDATE SET children = passport_totals.children + excluded.children, cost = passport_totals.cost + excluded.cost;
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
                "LOCK TABLE children, child_categories, ledger_entries, child_help IN SHARE ROW EXCLUSIVE MODE",
            )
            .await?;
        }
        db.execute_unprepared(TABLE).await?;
        for sql in COLUMNS {
            db.execute_unprepared(sql).await?;
        }
        let triggers: &[&str] = if backend == DatabaseBackend::Postgres { &POSTGRES } else { &SQLITE };
        for sql in BACKFILL.iter().chain(INDEXES.iter().map(|(_, sql)| sql)).chain(triggers) {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        drop_triggers(db, &ADDED).await?;
        for (name, _) in INDEXES {
            db.execute_unprepared(&format!("DROP INDEX {name}")).await?;
        }
        db.execute_unprepared("DROP TABLE passport_totals").await?;
        db.execute_unprepared("ALTER TABLE child_help DROP COLUMN needs_cost").await?;
        db.execute_unprepared("ALTER TABLE child_help DROP COLUMN given").await?;
        db.execute_unprepared("ALTER TABLE child_help DROP COLUMN campaign_id").await?;
        Ok(())
    }
}
