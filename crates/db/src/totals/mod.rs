//! The reports' running totals (`report_totals`, `child_help`): per campaign and school, the
//! figures of the whole campaign, kept by database triggers in the same transaction as every
//! write to the registry and the ledger. The tables were made by migration m0006 and the
//! triggers replaced by m0007; the definitions here are the live ones that `db::migrate` and the
//! national loader use to make the triggers again and sum the totals afresh. A migration keeps
//! its own frozen copy, so changing this file never changes what a fresh database replays.
//!
//! What counts as delivered help and as a kept entry is defined here once, for the triggers and
//! for the reports that read the ledger itself (`reports`).

mod bulk;
mod by_source;
mod days;
pub mod field;
mod given;
mod passport;
mod row;
pub mod survey;

pub use by_source::{GROUPS, group};
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement};

/// Delivered help: an entry planned or pledged counts once it is delivered or confirmed.
pub fn delivered(row: &str) -> String {
    format!("{row}.status IN ('delivered', 'confirmed')")
}

/// How a query reads [`kept`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading<'a> {
    /// A row at a time (a trigger): one probe of the reversals' index per row.
    Probe,
    /// Many rows at once (a report): the set of reversed ids is read once.
    Set,
    /// The rows of one school (a school's report): the set of the school's reversals in the
    /// campaign, where a reversal always lies (it keeps its entry's school), is read once, so
    /// neither database reads the country's.
    Within {
        /// The campaign.
        campaign: i64,
        /// The school's path (digits and slashes).
        path: &'a str,
    },
}

/// A kept entry: neither a reversal nor reversed. One rule, spelled for the way it is read.
pub fn kept(row: &str, reading: Reading<'_>) -> String {
    match reading {
        Reading::Probe => format!(
            "{row}.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = {row}.id)"
        ),
        Reading::Within { campaign, path } => format!(
            "{row}.reverses_id IS NULL AND {row}.id NOT IN (SELECT r.reverses_id FROM ledger_entries r \
             WHERE r.campaign_id = {campaign} AND r.unit_path = '{}' AND r.reverses_id IS NOT NULL)",
            crate::sql_path(path)
        ),
        Reading::Set => format!(
            "{row}.reverses_id IS NULL AND {row}.id NOT IN \
             (SELECT r.reverses_id FROM ledger_entries r WHERE r.reverses_id IS NOT NULL)"
        ),
    }
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

/// The triggers m0006 made that m0007 replaced: dropped wherever they are still found.
const RETIRED: [(&str, &str); 4] = [
    ("report_totals_child_new", "children"),
    ("report_totals_child_edit", "children"),
    ("report_totals_category_new", "child_categories"),
    ("report_totals_category_gone", "child_categories"),
];

/// The names and tables of the triggers that keep the totals now.
fn current() -> Vec<(&'static str, &'static str)> {
    let row = row_triggers().into_iter().map(|t| (t.name, t.event.rsplit(' ').next().unwrap_or_default()));
    row.chain(bulk_triggers().into_iter().map(|t| (t.name, t.table))).collect()
}

/// The triggers kept once per row on both databases.
fn row_triggers() -> Vec<row::Trigger> {
    let own = days::triggers().into_iter().chain(given::triggers()).chain(by_source::triggers());
    row::triggers().into_iter().chain(own).collect()
}

/// The triggers kept once per statement on PostgreSQL.
fn bulk_triggers() -> Vec<bulk::BulkTrigger> {
    let own = given::bulk_triggers().into_iter().chain(passport::triggers()).chain(by_source::bulk_triggers());
    bulk::triggers().into_iter().chain(own).collect()
}

/// Every trigger that has ever kept the totals, with its table.
fn every_trigger() -> Vec<(&'static str, &'static str)> {
    RETIRED.into_iter().chain(current()).collect()
}

/// What the data already there adds up to (into empty tables).
fn backfill() -> Vec<String> {
    let (d_e, kept_e) = (delivered("e"), kept("e", Reading::Probe));
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

/// Drops the triggers, if they are there (the tables stay): the national loader writes a new
/// campaign without them and then calls [`rebuild`].
pub(crate) async fn drop_triggers(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    drop_named(db, &every_trigger()).await
}

/// Sums the totals afresh from the registry and the ledger and (re)makes the triggers, in the
/// caller's transaction. On PostgreSQL the counted tables are locked against writes first, so no
/// write falls between the sums and the triggers; SQLite's write transaction already excludes
/// every other writer.
pub(crate) async fn rebuild(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    if backend == DatabaseBackend::Postgres {
        db.execute_unprepared(
            "LOCK TABLE children, child_categories, ledger_entries, ledger_items IN SHARE ROW EXCLUSIVE MODE",
        )
        .await?;
    }
    drop_named(db, &every_trigger()).await?;
    for table in ["report_totals", "report_days", "child_help", "child_source_help", "passport_totals"] {
        db.execute_unprepared(&format!("DELETE FROM {table}")).await?;
    }
    let mut made = row_triggers().iter().flat_map(|t| row::create(backend, t)).collect::<Vec<_>>();
    made.extend(bulk_triggers().iter().flat_map(|t| t.create(backend)));
    let sums = backfill()
        .into_iter()
        .chain(days::backfill())
        .chain(given::backfill())
        .chain(passport::backfill())
        .chain(by_source::backfill());
    for sql in sums.chain(made) {
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}

/// Whether every trigger that keeps the totals now is in place (a national load that died half
/// way leaves them dropped; `db::migrate` then rebuilds them).
pub(crate) async fn triggers_in_place(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    let names = current();
    let list: Vec<String> = names.iter().map(|(n, _)| format!("'{n}'")).collect();
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use sea_orm::{ConnectionTrait, Database, DatabaseBackend, Statement};

    /// Every trigger's definition as the database keeps it, by name.
    async fn definitions(db: &impl ConnectionTrait) -> Vec<(String, String)> {
        let sql = match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                "SELECT t.tgname, pg_get_triggerdef(t.oid) || ' ' || p.prosrc FROM pg_trigger t \
                 JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal ORDER BY t.tgname"
            }
            _ => "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
        };
        let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
        rows.iter().map(|r| (r.try_get_by_index(0).unwrap(), r.try_get_by_index(1).unwrap())).collect()
    }

    /// A fresh database replays the migrations; the live definitions (`rebuild`, which
    /// `db::migrate` and the national loader use) must make exactly the triggers they left.
    #[tokio::test]
    async fn the_live_triggers_are_the_ones_the_migrations_make() {
        let (url, admin) = if std::env::var("DOROGA_TEST_DB").as_deref() == Ok("postgres") {
            let base =
                std::env::var("DOROGA_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
            let name = format!("doroga_totals_{}", std::process::id());
            let admin = Database::connect(format!("{base}/postgres")).await.unwrap();
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\"")).await.unwrap();
            admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.unwrap();
            (format!("{base}/{name}"), Some((admin, name)))
        } else {
            ("sqlite::memory:".to_owned(), None)
        };
        let db = crate::connect(&url, 1).await.unwrap();
        crate::migrate(&db).await.unwrap();
        let migrated = definitions(&db).await;
        assert!(super::triggers_in_place(&db).await.unwrap(), "the migrations leave every live trigger");
        let txn = crate::write_txn(&db).await.unwrap();
        super::rebuild(&txn).await.unwrap();
        txn.commit().await.unwrap();
        let live = definitions(&db).await;
        let names: Vec<&str> =
            live.iter().map(|(n, _)| n.as_str()).filter(|n| n.starts_with("report_totals")).collect();
        assert_eq!(names.len(), 10, "five row triggers and five per statement: {names:?}");
        let days: Vec<&str> = live.iter().map(|(n, _)| n.as_str()).filter(|n| n.starts_with("report_days")).collect();
        assert_eq!(days.len(), 2, "the first day of help, added and moved: {days:?}");
        let own: Vec<&str> = live.iter().map(|(n, _)| n.as_str()).filter(|n| n.starts_with("child_")).collect();
        assert_eq!(own, ["child_given_new", "child_needs_changed"], "what a child was given and needs");
        let passport: Vec<&str> = live.iter().map(|(n, _)| n.as_str()).filter(|n| n.starts_with("passport_")).collect();
        assert_eq!(passport.len(), 4, "children added and changed, categories added and removed: {passport:?}");
        assert_eq!(live, migrated, "the same triggers, to the letter");
        db.close().await.unwrap();
        if let Some((admin, name)) = admin {
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.unwrap();
        }
    }
}
