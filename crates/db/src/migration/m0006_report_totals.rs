//! Running totals for reports: per campaign and school, the figures of the whole campaign
//! (children identified and their needs, children by category, children helped, delivered help
//! by source, items by type), kept by database triggers in the same transaction as every write
//! to the registry and the ledger, so no code path can forget them. A report over the whole
//! campaign reads a few rows per school instead of aggregating the ledger; a report for a period
//! still reads the ledger (see `reports.rs`). `child_help` counts each child's kept, delivered
//! entries: the child counts as helped, at the school that holds its record, while it has one.
//!
//! Every trigger takes its rows in one order — the source, the child's help, the school's helped
//! count, then the items by code (`ledger::record` inserts items in that order too) — so two
//! writes at one school on PostgreSQL wait for each other instead of deadlocking.
//!
//! The triggers are one text for both databases: each statement is an `INSERT … SELECT … WHERE`
//! upsert or an `UPDATE`, which SQLite runs in a trigger body and PostgreSQL in a PL/pgSQL
//! function. Existing data is summed into the tables before the triggers are made.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportTotals {
    Table,
    CampaignId,
    SchoolId,
    Metric,
    Label,
    Amount,
}

#[derive(DeriveIden)]
enum ChildHelp {
    Table,
    ChildId,
    Helps,
}

#[derive(DeriveIden)]
enum Children {
    Table,
    Id,
}

/// Delivered help (the same rule as `reports::DELIVERED`).
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

/// Drops the triggers, if they are there (the tables stay).
async fn drop_triggers(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    drop_named(db, &names()).await
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

/// Sums the totals afresh and (re)makes these triggers (see [`resum`]).
async fn rebuild(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    resum(db, &names(), triggers().iter().flat_map(|t| create_trigger(backend, t)).collect()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ReportTotals::Table)
                .col(big_integer(ReportTotals::CampaignId))
                .col(big_integer(ReportTotals::SchoolId))
                .col(string_len(ReportTotals::Metric, 16))
                .col(string_len(ReportTotals::Label, 64))
                .col(big_integer(ReportTotals::Amount))
                .primary_key(
                    Index::create()
                        .col(ReportTotals::CampaignId)
                        .col(ReportTotals::SchoolId)
                        .col(ReportTotals::Metric)
                        .col(ReportTotals::Label),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ChildHelp::Table)
                .col(big_integer(ChildHelp::ChildId).primary_key())
                .col(integer(ChildHelp::Helps))
                .foreign_key(
                    ForeignKey::create().from(ChildHelp::Table, ChildHelp::ChildId).to(Children::Table, Children::Id),
                )
                .to_owned(),
        )
        .await?;
        rebuild(m.get_connection()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_triggers(m.get_connection()).await?;
        m.drop_table(Table::drop().table(ChildHelp::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ReportTotals::Table).to_owned()).await
    }
}
