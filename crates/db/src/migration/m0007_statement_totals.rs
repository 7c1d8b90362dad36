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
//! From this migration on, [`rebuild`], [`drop_triggers`] and [`triggers_in_place`] here are the
//! ones `db::migrate` and the national loader use. A later migration that replaces triggers again
//! replaces them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

use super::m0006_report_totals as m0006;
use m0006::bump;

#[derive(DeriveMigrationName)]
pub struct Migration;

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
fn row_triggers() -> Vec<m0006::Trigger> {
    m0006::triggers().into_iter().filter(|t| !REPLACED.contains(&t.name)).collect()
}

/// Every trigger name this or m0006 made, with its table.
fn every_trigger() -> Vec<(&'static str, &'static str)> {
    m0006::names().into_iter().chain(bulk_triggers().into_iter().map(|t| (t.name, t.table))).collect()
}

/// The names of the triggers that keep the totals now.
fn current_names() -> Vec<&'static str> {
    row_triggers().iter().map(|t| t.name).chain(bulk_triggers().iter().map(|t| t.name)).collect()
}

/// Drops the triggers, if they are there (the tables stay): the national loader writes a new
/// campaign without them and then calls [`rebuild`].
pub(crate) async fn drop_triggers(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    m0006::drop_named(db, &every_trigger()).await
}

/// Sums the totals afresh from the registry and the ledger and (re)makes the triggers, in the
/// caller's transaction, the counted tables locked against writes on PostgreSQL meanwhile.
pub(crate) async fn rebuild(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let row = row_triggers().iter().flat_map(|t| m0006::create_trigger(backend, t)).collect::<Vec<_>>();
    let bulk = bulk_triggers().iter().flat_map(|t| t.create(backend)).collect::<Vec<_>>();
    m0006::resum(db, &every_trigger(), row.into_iter().chain(bulk).collect()).await
}

/// Whether every trigger that keeps the totals now is in place (a national load that died half
/// way leaves them dropped; `db::migrate` then rebuilds them).
pub(crate) async fn triggers_in_place(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    let names = current_names();
    let list: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    let list = list.join(", ");
    let sql = match db.get_database_backend() {
        DatabaseBackend::Postgres => format!("SELECT COUNT(*) FROM pg_trigger WHERE tgname IN ({list})"),
        _ => format!("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({list})"),
    };
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
    let present: i64 = match row {
        Some(r) => r.try_get_by_index(0)?,
        None => 0,
    };
    Ok(present == names.len() as i64)
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
        m0006::rebuild(db).await
    }
}
