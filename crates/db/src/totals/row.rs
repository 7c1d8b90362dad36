//! The triggers kept once per row on both databases: the ledger and the children's help, which
//! are written a row at a time.

use sea_orm::DatabaseBackend;

use super::{Reading, bump, days, delivered, help, kept};

/// One trigger: its name, `AFTER <event>`, and the statements it runs for each row.
pub(super) struct Trigger {
    pub(super) name: &'static str,
    pub(super) event: &'static str,
    /// A condition on the row (`OLD`, `NEW`) under which the body runs at all.
    pub(super) when: Option<&'static str>,
    pub(super) body: Vec<String>,
}

pub(super) fn triggers() -> Vec<Trigger> {
    // A change between planned (or cancelled) and delivered, and its sign.
    let (old_d, new_d) = (delivered("OLD"), delivered("NEW"));
    let turned = format!("({old_d}) <> ({new_d})");
    let sign = format!("CASE WHEN {new_d} THEN 1 ELSE -1 END");
    let (kept_new, kept_e, kept_x) = (kept("NEW", Reading::Probe), kept("e", Reading::Probe), "x.reverses_id IS NULL");
    // The totals by day (`days`) in the same triggers, each where the same kind of row is taken.
    let day = days::entry_parts();
    vec![
        Trigger {
            name: "report_totals_help_new",
            event: "INSERT ON child_help",
            when: None,
            body: vec![bump(
                "SELECT c.campaign_id, c.school_id, 'helped', '', 1 FROM children c \
                 WHERE c.id = NEW.child_id AND NEW.helps > 0"
                    .into(),
            )],
        },
        Trigger {
            name: "report_totals_help_edit",
            event: "UPDATE OF helps ON child_help",
            when: None,
            body: vec![bump(
                "SELECT c.campaign_id, c.school_id, 'helped', '', CASE WHEN NEW.helps > 0 THEN 1 ELSE -1 END \
                 FROM children c WHERE c.id = NEW.child_id AND (OLD.helps > 0) <> (NEW.helps > 0)"
                    .into(),
            )],
        },
        Trigger {
            name: "report_totals_entry_new",
            event: "INSERT ON ledger_entries",
            when: None,
            body: vec![
                bump(format!("SELECT NEW.campaign_id, NEW.school_id, 'source', NEW.source, NEW.amount WHERE {new_d}")),
                day.source_new,
                help(format!("SELECT NEW.child_id, 1 WHERE {new_d} AND NEW.reverses_id IS NULL")),
                // A reversal takes the reversed entry's help and items away.
                format!(
                    "UPDATE child_help SET helps = helps - 1 WHERE child_id IN \
                     (SELECT x.child_id FROM ledger_entries x WHERE x.id = NEW.reverses_id AND {} AND {kept_x})",
                    delivered("x")
                ),
                day.first_day_new,
                bump(format!(
                    "SELECT x.campaign_id, x.school_id, 'item', i.item, -SUM(i.quantity) \
                     FROM ledger_entries x JOIN ledger_items i ON i.entry_id = x.id \
                     WHERE x.id = NEW.reverses_id AND {} AND {kept_x} \
                     GROUP BY x.campaign_id, x.school_id, i.item ORDER BY i.item",
                    delivered("x")
                )),
                day.items_reversed,
            ],
        },
        Trigger {
            name: "report_totals_entry_status",
            event: "UPDATE OF status ON ledger_entries",
            when: None,
            body: vec![
                bump(format!(
                    "SELECT NEW.campaign_id, NEW.school_id, 'source', NEW.source, ({sign}) * NEW.amount WHERE {turned}"
                )),
                day.source_turned,
                help(format!("SELECT NEW.child_id, {sign} WHERE {turned} AND {kept_new}")),
                day.first_day_turned,
                bump(format!(
                    "SELECT NEW.campaign_id, NEW.school_id, 'item', i.item, ({sign}) * SUM(i.quantity) \
                     FROM ledger_items i WHERE i.entry_id = NEW.id AND {turned} AND {kept_new} \
                     GROUP BY i.item ORDER BY i.item"
                )),
                day.items_turned,
            ],
        },
        Trigger {
            name: "report_totals_item_new",
            event: "INSERT ON ledger_items",
            when: None,
            body: vec![
                bump(format!(
                    "SELECT e.campaign_id, e.school_id, 'item', NEW.item, NEW.quantity FROM ledger_entries e \
                     WHERE e.id = NEW.entry_id AND {} AND {kept_e}",
                    delivered("e")
                )),
                day.item_new,
            ],
        },
    ]
}

pub(super) fn create(backend: DatabaseBackend, t: &Trigger) -> Vec<String> {
    let body: String = t.body.iter().map(|s| format!("{s};\n")).collect();
    let when = t.when.map(|w| format!(" WHEN ({w})")).unwrap_or_default();
    match backend {
        DatabaseBackend::Postgres => vec![
            format!(
                "CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n{body}RETURN NULL; END $$",
                t.name
            ),
            format!("CREATE TRIGGER {0} AFTER {1} FOR EACH ROW{when} EXECUTE FUNCTION {0}()", t.name, t.event),
        ],
        _ => vec![format!("CREATE TRIGGER {} AFTER {} FOR EACH ROW{when} BEGIN\n{body}END", t.name, t.event)],
    }
}
