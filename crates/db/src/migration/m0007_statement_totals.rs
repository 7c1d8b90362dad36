//! The running totals of m0006, kept once per statement instead of once per row where writes
//! come in bulk: adding or changing children and adding or removing their categories. A school's
//! import writes 500 children per statement; with m0006's row triggers every one of them bumped
//! the same totals row of the school inside the import's one transaction, and on PostgreSQL,
//! which keeps every version of that row until the commit, each bump walked a longer chain:
//! 100,000 rows took about seven minutes. Now PostgreSQL runs one trigger per statement over its
//! transition tables (`REFERENCING NEW TABLE`, `OLD TABLE`), and bumps each totals row once per
//! statement; the import writes a batch's updates in one statement too.
//!
//! SQLite has row triggers only, and updates in place, so there the same text runs per row: the
//! bodies read the written rows from a relation that is the transition table on PostgreSQL and
//! a one-row derived table of `NEW` (or `OLD`) values on SQLite. The other triggers of m0006
//! (the ledger, children's help) stay as they were: those tables are written a row at a time.
//!
//! Self-contained: the parts of m0006 it replays (its triggers, for the step down, and the sums)
//! are copied below as they were, so that no change to live code changes what a fresh database
//! replays. The live definitions, which `db::migrate` and the national loader use, are in
//! `db::totals`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

// ---- m0006, as it was: the rules, the sums and the row triggers ----

/// Delivered help.
fn delivered(row: &str) -> String {
    format!("{row}.status IN ('delivered', 'confirmed')")
}

/// An entry that is neither a reversal nor reversed.
fn kept(row: &str) -> String {
    format!("{row}.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = {row}.id)")
}

/// Adds the rows of `select` (campaign, school, metric, label, amount) to the totals.
fn bump(select: String) -> String {
    format!(
        "INSERT INTO report_totals (campaign_id, school_id, metric, label, amount) {select} \
         ON CONFLICT (campaign_id, school_id, metric, label) DO UPDATE SET amount = report_totals.amount + excluded.amount"
    )
}

/// Adds the rows of `select` (child, helps) to the children's counts of kept delivered entries.
fn help(select: String) -> String {
    format!(
        "INSERT INTO child_help (child_id, helps) {select} \
         ON CONFLICT (child_id) DO UPDATE SET helps = child_help.helps + excluded.helps"
    )
}

/// One trigger: its name, `AFTER <event>`, and the statements it runs for each row.
struct Trigger {
    name: &'static str,
    event: &'static str,
    body: Vec<String>,
}

fn triggers() -> Vec<Trigger> {
    let moved = "OLD.school_id <> NEW.school_id";
    // A change between planned (or cancelled) and delivered, and its sign.
    let (old_d, new_d) = (delivered("OLD"), delivered("NEW"));
    let turned = format!("({old_d}) <> ({new_d})");
    let sign = format!("CASE WHEN {new_d} THEN 1 ELSE -1 END");
    let (kept_new, kept_e, kept_x) = (kept("NEW"), kept("e"), "x.reverses_id IS NULL");
    vec![
        Trigger {
            name: "report_totals_child_new",
            event: "INSERT ON children",
            body: vec![bump(
                "SELECT NEW.campaign_id, NEW.school_id, 'children', '', 1 WHERE true \
                 UNION ALL SELECT NEW.campaign_id, NEW.school_id, 'needs', '', NEW.needs_cost WHERE true"
                    .into(),
            )],
        },
        Trigger {
            name: "report_totals_child_edit",
            event: "UPDATE OF school_id, needs_cost ON children",
            body: vec![
                bump(format!(
                    "SELECT OLD.campaign_id, OLD.school_id, 'children', '', -1 WHERE {moved} \
                     UNION ALL SELECT OLD.campaign_id, OLD.school_id, 'needs', '', -OLD.needs_cost \
                     WHERE {moved} OR OLD.needs_cost <> NEW.needs_cost"
                )),
                bump(format!(
                    "SELECT NEW.campaign_id, NEW.school_id, 'children', '', 1 WHERE {moved} \
                     UNION ALL SELECT NEW.campaign_id, NEW.school_id, 'needs', '', NEW.needs_cost \
                     WHERE {moved} OR OLD.needs_cost <> NEW.needs_cost"
                )),
                bump(format!(
                    "SELECT OLD.campaign_id, OLD.school_id, 'category', k.category, -1 FROM child_categories k \
                     WHERE k.child_id = OLD.id AND {moved}"
                )),
                bump(format!(
                    "SELECT NEW.campaign_id, NEW.school_id, 'category', k.category, 1 FROM child_categories k \
                     WHERE k.child_id = NEW.id AND {moved}"
                )),
                bump(format!(
                    "SELECT OLD.campaign_id, OLD.school_id, 'helped', '', -1 FROM child_help h \
                     WHERE h.child_id = OLD.id AND h.helps > 0 AND {moved}"
                )),
                bump(format!(
                    "SELECT NEW.campaign_id, NEW.school_id, 'helped', '', 1 FROM child_help h \
                     WHERE h.child_id = NEW.id AND h.helps > 0 AND {moved}"
                )),
            ],
        },
        Trigger {
            name: "report_totals_category_new",
            event: "INSERT ON child_categories",
            body: vec![bump(
                "SELECT c.campaign_id, c.school_id, 'category', NEW.category, 1 FROM children c \
                 WHERE c.id = NEW.child_id"
                    .into(),
            )],
        },
        Trigger {
            name: "report_totals_category_gone",
            event: "DELETE ON child_categories",
            body: vec![bump(
                "SELECT c.campaign_id, c.school_id, 'category', OLD.category, -1 FROM children c \
                 WHERE c.id = OLD.child_id"
                    .into(),
            )],
        },
        Trigger {
            name: "report_totals_help_new",
            event: "INSERT ON child_help",
            body: vec![bump(
                "SELECT c.campaign_id, c.school_id, 'helped', '', 1 FROM children c \
                 WHERE c.id = NEW.child_id AND NEW.helps > 0"
                    .into(),
            )],
        },
        Trigger {
            name: "report_totals_help_edit",
            event: "UPDATE OF helps ON child_help",
            body: vec![bump(
                "SELECT c.campaign_id, c.school_id, 'helped', '', CASE WHEN NEW.helps > 0 THEN 1 ELSE -1 END \
                 FROM children c WHERE c.id = NEW.child_id AND (OLD.helps > 0) <> (NEW.helps > 0)"
                    .into(),
            )],
        },
        Trigger {
            name: "report_totals_entry_new",
            event: "INSERT ON ledger_entries",
            body: vec![
                bump(format!("SELECT NEW.campaign_id, NEW.school_id, 'source', NEW.source, NEW.amount WHERE {new_d}")),
                help(format!("SELECT NEW.child_id, 1 WHERE {new_d} AND NEW.reverses_id IS NULL")),
                // A reversal takes the reversed entry's help and items away.
                format!(
                    "UPDATE child_help SET helps = helps - 1 WHERE child_id IN \
                     (SELECT x.child_id FROM ledger_entries x WHERE x.id = NEW.reverses_id AND {} AND {kept_x})",
                    delivered("x")
                ),
                bump(format!(
                    "SELECT x.campaign_id, x.school_id, 'item', i.item, -SUM(i.quantity) \
                     FROM ledger_entries x JOIN ledger_items i ON i.entry_id = x.id \
                     WHERE x.id = NEW.reverses_id AND {} AND {kept_x} \
                     GROUP BY x.campaign_id, x.school_id, i.item ORDER BY i.item",
                    delivered("x")
                )),
            ],
        },
        Trigger {
            name: "report_totals_entry_status",
            event: "UPDATE OF status ON ledger_entries",
            body: vec![
                bump(format!(
                    "SELECT NEW.campaign_id, NEW.school_id, 'source', NEW.source, ({sign}) * NEW.amount WHERE {turned}"
                )),
                help(format!("SELECT NEW.child_id, {sign} WHERE {turned} AND {kept_new}")),
                bump(format!(
                    "SELECT NEW.campaign_id, NEW.school_id, 'item', i.item, ({sign}) * SUM(i.quantity) \
                     FROM ledger_items i WHERE i.entry_id = NEW.id AND {turned} AND {kept_new} \
                     GROUP BY i.item ORDER BY i.item"
                )),
            ],
        },
        Trigger {
            name: "report_totals_item_new",
            event: "INSERT ON ledger_items",
            body: vec![bump(format!(
                "SELECT e.campaign_id, e.school_id, 'item', NEW.item, NEW.quantity FROM ledger_entries e \
                 WHERE e.id = NEW.entry_id AND {} AND {kept_e}",
                delivered("e")
            ))],
        },
    ]
}

/// What the data already there adds up to (into empty tables).
fn backfill() -> Vec<String> {
    let (d_e, kept_e) = (delivered("e"), kept("e"));
    vec![
        help(format!("SELECT e.child_id, COUNT(*) FROM ledger_entries e WHERE {d_e} AND {kept_e} GROUP BY e.child_id")),
        bump(
            "SELECT c.campaign_id, c.school_id, 'children', '', COUNT(*) FROM children c WHERE true \
             GROUP BY c.campaign_id, c.school_id"
                .into(),
        ),
        bump(
            "SELECT c.campaign_id, c.school_id, 'needs', '', SUM(c.needs_cost) FROM children c WHERE true \
             GROUP BY c.campaign_id, c.school_id"
                .into(),
        ),
        bump(
            "SELECT c.campaign_id, c.school_id, 'category', k.category, COUNT(*) FROM child_categories k \
             JOIN children c ON c.id = k.child_id WHERE true GROUP BY c.campaign_id, c.school_id, k.category"
                .into(),
        ),
        bump(
            "SELECT c.campaign_id, c.school_id, 'helped', '', COUNT(*) FROM child_help h \
             JOIN children c ON c.id = h.child_id WHERE h.helps > 0 GROUP BY c.campaign_id, c.school_id"
                .into(),
        ),
        bump(format!(
            "SELECT e.campaign_id, e.school_id, 'source', e.source, SUM(e.amount) FROM ledger_entries e \
             WHERE {d_e} GROUP BY e.campaign_id, e.school_id, e.source"
        )),
        bump(format!(
            "SELECT e.campaign_id, e.school_id, 'item', i.item, SUM(i.quantity) FROM ledger_items i \
             JOIN ledger_entries e ON e.id = i.entry_id WHERE {d_e} AND {kept_e} \
             GROUP BY e.campaign_id, e.school_id, i.item"
        )),
    ]
}

fn create_trigger(backend: DatabaseBackend, t: &Trigger) -> Vec<String> {
    let body: String = t.body.iter().map(|s| format!("{s};\n")).collect();
    match backend {
        DatabaseBackend::Postgres => vec![
            format!(
                "CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n{body}RETURN NULL; END $$",
                t.name
            ),
            format!("CREATE TRIGGER {0} AFTER {1} FOR EACH ROW EXECUTE FUNCTION {0}()", t.name, t.event),
        ],
        _ => vec![format!("CREATE TRIGGER {} AFTER {} FOR EACH ROW BEGIN\n{body}END", t.name, t.event)],
    }
}

/// Every trigger's name and table.
fn names() -> Vec<(&'static str, &'static str)> {
    triggers().into_iter().map(|t| (t.name, t.event.rsplit(' ').next().unwrap_or_default())).collect()
}

/// Drops the named triggers (name, table) and their functions, if they are there.
async fn drop_named(db: &impl ConnectionTrait, triggers: &[(&str, &str)]) -> Result<(), DbErr> {
    for (name, table) in triggers {
        let sql = match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                vec![format!("DROP TRIGGER IF EXISTS {name} ON {table}"), format!("DROP FUNCTION IF EXISTS {name}()")]
            }
            _ => vec![format!("DROP TRIGGER IF EXISTS {name}")],
        };
        for sql in sql {
            db.execute_unprepared(&sql).await?;
        }
    }
    Ok(())
}

/// Sums the totals afresh from the registry and the ledger, in the caller's transaction, with the
/// triggers `old` dropped first (the sums would count twice through them) and `new` (statements)
/// made at the end. On PostgreSQL the counted tables are locked against writes first, so no write
/// falls between the sums and the triggers; SQLite's write transaction already excludes every
/// other writer.
async fn resum(db: &impl ConnectionTrait, old: &[(&str, &str)], new: Vec<String>) -> Result<(), DbErr> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_unprepared(
            "LOCK TABLE children, child_categories, ledger_entries, ledger_items IN SHARE ROW EXCLUSIVE MODE",
        )
        .await?;
    }
    drop_named(db, old).await?;
    db.execute_unprepared("DELETE FROM report_totals").await?;
    db.execute_unprepared("DELETE FROM child_help").await?;
    for sql in backfill().into_iter().chain(new) {
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}

/// Sums the totals afresh and (re)makes m0006's row triggers (see [`resum`]): the step down.
async fn rebuild_m0006(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    resum(db, &names(), triggers().iter().flat_map(|t| create_trigger(backend, t)).collect()).await
}

// ---- this migration ----

/// m0006's triggers that the statement triggers below replace.
const REPLACED: [&str; 4] = [
    "report_totals_child_new",
    "report_totals_child_edit",
    "report_totals_category_new",
    "report_totals_category_gone",
];

/// A trigger kept per statement on PostgreSQL and per row on SQLite. Its body reads the rows the
/// statement wrote as `{new}` (after an insert or update) and `{old}` (after an update or delete).
struct BulkTrigger {
    name: &'static str,
    op: &'static str,
    table: &'static str,
    /// SQLite only: the columns whose update fires the trigger (PostgreSQL allows no column list
    /// with transition tables).
    of: &'static str,
    /// The columns the body reads from the written rows.
    columns: &'static [&'static str],
    body: Vec<String>,
    /// Statements that only matter when `guard` holds, a condition on the written rows: on
    /// PostgreSQL they run under `IF EXISTS (guard)`, so a statement that wrote 500 rows, none of
    /// which they concern, does not join those rows against a whole table; on SQLite, a row at a
    /// time, their own `WHERE` suffices.
    guard: String,
    guarded: Vec<String>,
}

impl BulkTrigger {
    /// The relation of the rows before (`OLD`) or after (`NEW`) the statement: the transition
    /// table on PostgreSQL, a one-row derived table on SQLite.
    fn rows(&self, backend: DatabaseBackend, row: &str) -> String {
        match backend {
            DatabaseBackend::Postgres => format!("{}_rows", row.to_lowercase()),
            _ => {
                let cols: Vec<String> = self.columns.iter().map(|c| format!("{row}.{c} AS {c}")).collect();
                format!("(SELECT {})", cols.join(", "))
            }
        }
    }

    fn create(&self, backend: DatabaseBackend) -> Vec<String> {
        let (new, old) = (self.rows(backend, "NEW"), self.rows(backend, "OLD"));
        let fill = |s: &str| s.replace("{new}", &new).replace("{old}", &old);
        let mut body: String = self.body.iter().map(|s| format!("{};\n", fill(s))).collect();
        let guarded: String = self.guarded.iter().map(|s| format!("{};\n", fill(s))).collect();
        match backend {
            DatabaseBackend::Postgres if !guarded.is_empty() => {
                body.push_str(&format!("IF EXISTS ({}) THEN\n{guarded}END IF;\n", fill(&self.guard)));
            }
            _ => body.push_str(&guarded),
        }
        match backend {
            DatabaseBackend::Postgres => {
                let referencing = match self.op {
                    "INSERT" => "NEW TABLE AS new_rows",
                    "DELETE" => "OLD TABLE AS old_rows",
                    _ => "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                };
                vec![
                    format!(
                        "CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n{body}RETURN NULL; END $$",
                        self.name
                    ),
                    format!(
                        "CREATE TRIGGER {0} AFTER {1} ON {2} REFERENCING {referencing} \
                         FOR EACH STATEMENT EXECUTE FUNCTION {0}()",
                        self.name, self.op, self.table
                    ),
                ]
            }
            _ => {
                let of = if self.of.is_empty() { String::new() } else { format!(" OF {}", self.of) };
                vec![format!(
                    "CREATE TRIGGER {} AFTER {}{of} ON {} FOR EACH ROW BEGIN\n{body}END",
                    self.name, self.op, self.table
                )]
            }
        }
    }
}

fn bulk_triggers() -> Vec<BulkTrigger> {
    // Each statement groups the written rows per totals row, so a key is bumped once per statement
    // (PostgreSQL refuses to upsert one row twice in a statement), and takes the rows in one
    // order: the children's count and needs, then categories, then the helped count (as m0006).
    //
    // The child of each category row is looked up by its key, one row at a time (a scalar
    // subquery): joined, PostgreSQL may hash the whole children table for every 500 rows written,
    // which it does when its statistics still see the table as it was before a large import.
    let categories = |name: &'static str, op: &'static str, sign: &str, rows: &str| {
        let of_child = |col: &str| format!("(SELECT c.{col} FROM children c WHERE c.id = w.child_id) AS {col}");
        let sql = bump(format!(
            "SELECT x.campaign_id, x.school_id, 'category', x.category, {sign}COUNT(*) FROM \
             (SELECT {}, {}, w.category AS category FROM {rows} w) x WHERE x.school_id IS NOT NULL \
             GROUP BY x.campaign_id, x.school_id, x.category ORDER BY 1, 2, 4",
            of_child("campaign_id"),
            of_child("school_id")
        ));
        BulkTrigger {
            name,
            op,
            table: "child_categories",
            of: "",
            columns: &["child_id", "category"],
            body: vec![sql],
            guard: String::new(),
            guarded: Vec::new(),
        }
    };
    // A child's record changed. Moved to another school, it takes its count, needs, categories
    // and help along; its needs changed, the school's needs change. Each statement adds what
    // leaves the old side (`o`, negative) to what arrives on the new side (`w`) per totals row,
    // so the rows of both schools are taken in one order (campaign, school, metric, label): two
    // transfers in opposite directions between the same schools wait for each other instead of
    // deadlocking.
    let pair = "{old} o JOIN {new} w ON w.id = o.id";
    let moved = "o.school_id <> w.school_id";
    let net = |side: &dyn Fn(&str, &str) -> String| {
        bump(format!(
            "SELECT d.campaign_id, d.school_id, d.metric, d.label, SUM(d.amount) FROM ({} UNION ALL {}) d WHERE true \
             GROUP BY d.campaign_id, d.school_id, d.metric, d.label ORDER BY 1, 2, 3, 4",
            side("o", "-"),
            side("w", "")
        ))
    };
    let row = |x: &str, metric: &str, label: &str, amount: &str| {
        format!(
            "SELECT {x}.campaign_id AS campaign_id, {x}.school_id AS school_id, {metric} AS metric, {label} AS label, \
             {amount} AS amount"
        )
    };
    let edited = vec![net(&|x, sign| {
        format!(
            "{} FROM {pair} WHERE {moved} UNION ALL {} FROM {pair} WHERE {moved} OR o.needs_cost <> w.needs_cost",
            row(x, "'children'", "''", &format!("{sign}1")),
            row(x, "'needs'", "''", &format!("{sign}{x}.needs_cost"))
        )
    })];
    let moved_along = vec![
        net(&|x, sign| {
            format!(
                "{} FROM {pair} JOIN child_categories k ON k.child_id = o.id WHERE {moved}",
                row(x, "'category'", "k.category", &format!("{sign}1"))
            )
        }),
        net(&|x, sign| {
            format!(
                "{} FROM {pair} JOIN child_help h ON h.child_id = o.id WHERE h.helps > 0 AND {moved}",
                row(x, "'helped'", "''", &format!("{sign}1"))
            )
        }),
    ];
    vec![
        BulkTrigger {
            name: "report_totals_children_added",
            op: "INSERT",
            table: "children",
            of: "",
            columns: &["campaign_id", "school_id", "needs_cost"],
            body: vec![bump(
                "SELECT w.campaign_id, w.school_id, 'children', '', COUNT(*) FROM {new} w WHERE true \
                 GROUP BY w.campaign_id, w.school_id \
                 UNION ALL SELECT w.campaign_id, w.school_id, 'needs', '', SUM(w.needs_cost) FROM {new} w WHERE true \
                 GROUP BY w.campaign_id, w.school_id ORDER BY 1, 2, 3"
                    .into(),
            )],
            guard: String::new(),
            guarded: Vec::new(),
        },
        BulkTrigger {
            name: "report_totals_children_changed",
            op: "UPDATE",
            table: "children",
            of: "school_id, needs_cost",
            columns: &["id", "campaign_id", "school_id", "needs_cost"],
            body: edited,
            guard: format!("SELECT 1 FROM {pair} WHERE {moved}"),
            guarded: moved_along,
        },
        categories("report_totals_categories_added", "INSERT", "", "{new}"),
        categories("report_totals_categories_removed", "DELETE", "-", "{old}"),
    ]
}

/// m0006's row triggers that stay.
fn row_triggers() -> Vec<Trigger> {
    triggers().into_iter().filter(|t| !REPLACED.contains(&t.name)).collect()
}

/// Every trigger name this or m0006 made, with its table.
fn every_trigger() -> Vec<(&'static str, &'static str)> {
    names().into_iter().chain(bulk_triggers().into_iter().map(|t| (t.name, t.table))).collect()
}

/// Drops the triggers of m0006 and of this migration, if they are there (the tables stay).
async fn drop_triggers(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    drop_named(db, &every_trigger()).await
}

/// Sums the totals afresh from the registry and the ledger and (re)makes the triggers, in the
/// caller's transaction, the counted tables locked against writes on PostgreSQL meanwhile.
async fn rebuild(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let row = row_triggers().iter().flat_map(|t| create_trigger(backend, t)).collect::<Vec<_>>();
    let bulk = bulk_triggers().iter().flat_map(|t| t.create(backend)).collect::<Vec<_>>();
    resum(db, &every_trigger(), row.into_iter().chain(bulk).collect()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        rebuild(m.get_connection()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        drop_triggers(db).await?;
        rebuild_m0006(db).await
    }
}
