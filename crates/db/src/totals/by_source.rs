//! The children helped by each source (`child_source_help`): per child and group of sources —
//! the school's fund, sponsors, and every other source together — how many kept, delivered entries
//! it has and the day of the first. A child counts once in each group it was helped from (and
//! once in the total, `helped`), in the whole campaign's totals (`report_totals`, metric
//! `helped_by`) and by day (`report_days`, on the group's first day), at the school that holds
//! its record.
//!
//! The ledger's triggers here fire after the others of their table on PostgreSQL (by name), so a
//! write takes the totals' rows in one order: the sources, the child's help, the helped counts,
//! the items, then the groups' counts. The groups' own triggers run only when a count crosses
//! zero or a first day moves (a `WHEN`): most entries are a child's second or later help.

use super::days::bump_day;
use super::row::Trigger;
use super::{Reading, bump, delivered, kept};

/// The groups a source falls in, in the order reports print them.
pub const GROUPS: [&str; 3] = ["fund", "sponsor", "other"];

/// The group of the entry `row`'s source.
pub fn group(row: &str) -> String {
    format!("CASE WHEN {row}.source = 'fund' THEN 'fund' WHEN {row}.source = 'sponsor' THEN 'sponsor' ELSE 'other' END")
}

/// One more kept, delivered entry of the group of `NEW`'s source for `NEW`'s child where
/// `condition` holds: its count up, its first day the earlier of the two (no read of the ledger).
fn one_more(condition: &str) -> String {
    let grp = group("NEW");
    format!(
        "INSERT INTO child_source_help (child_id, grp, helps, first_day) SELECT NEW.child_id, {grp}, 1, NEW.entry_date \
         WHERE {condition} ON CONFLICT (child_id, grp) DO UPDATE SET helps = child_source_help.helps + 1, \
         first_day = CASE WHEN child_source_help.first_day IS NULL OR excluded.first_day < child_source_help.first_day \
         THEN excluded.first_day ELSE child_source_help.first_day END"
    )
}

/// One fewer where `condition` holds (a reversal, or an entry no longer delivered): its count
/// down, its first day read afresh from the child's kept, delivered entries of the group.
fn one_fewer(condition: &str) -> String {
    let grp = group("NEW");
    format!(
        "UPDATE child_source_help SET helps = helps - 1, first_day = {} \
         WHERE child_id = NEW.child_id AND grp = {grp} AND {condition}",
        first_day_of("NEW.child_id", &grp)
    )
}

/// The first day of the child's kept, delivered help from the group (expressions).
fn first_day_of(child: &str, grp: &str) -> String {
    format!(
        "(SELECT MIN(e.entry_date) FROM ledger_entries e WHERE e.child_id = {child} AND {} = {grp} AND {} AND {})",
        group("e"),
        delivered("e"),
        kept("e", Reading::Probe)
    )
}

fn helped(day: &str, amount: &str) -> String {
    format!(
        "SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, {day} AS day, 'helped_by' AS metric, \
         NEW.grp AS label, {amount} AS amount FROM children c WHERE c.id = NEW.child_id"
    )
}

pub(super) fn triggers() -> Vec<Trigger> {
    let (old_d, new_d) = (delivered("OLD"), delivered("NEW"));
    let turned = format!("({old_d}) <> ({new_d})");
    let kept_new = kept("NEW", Reading::Probe);
    let changed = "OLD.first_day IS DISTINCT FROM NEW.first_day";
    vec![
        Trigger {
            name: "source_help_entry_new",
            event: "INSERT ON ledger_entries",
            when: None,
            body: vec![
                one_more(&format!("{new_d} AND NEW.reverses_id IS NULL")),
                // A reversal (of the same child and source) takes the reversed entry's help away.
                one_fewer(&format!(
                    "EXISTS (SELECT 1 FROM ledger_entries x WHERE x.id = NEW.reverses_id AND {} \
                     AND x.reverses_id IS NULL)",
                    delivered("x")
                )),
            ],
        },
        Trigger {
            name: "source_help_entry_status",
            event: "UPDATE OF status ON ledger_entries",
            when: None,
            body: vec![
                one_more(&format!("{turned} AND {new_d} AND {kept_new}")),
                one_fewer(&format!("{turned} AND NOT ({new_d}) AND {kept_new}")),
            ],
        },
        Trigger {
            name: "source_help_counted",
            event: "INSERT ON child_source_help",
            when: Some("NEW.helps > 0 OR NEW.first_day IS NOT NULL"),
            body: vec![
                bump(
                    "SELECT c.campaign_id, c.school_id, 'helped_by', NEW.grp, 1 FROM children c \
                     WHERE c.id = NEW.child_id AND NEW.helps > 0"
                        .into(),
                ),
                bump_day(format!("{} AND NEW.first_day IS NOT NULL", helped("NEW.first_day", "1"))),
            ],
        },
        Trigger {
            name: "source_help_changed",
            event: "UPDATE OF helps ON child_source_help",
            when: Some("(OLD.helps > 0) <> (NEW.helps > 0)"),
            body: vec![bump(
                "SELECT c.campaign_id, c.school_id, 'helped_by', NEW.grp, CASE WHEN NEW.helps > 0 THEN 1 ELSE -1 END \
                 FROM children c WHERE c.id = NEW.child_id AND (OLD.helps > 0) <> (NEW.helps > 0)"
                    .into(),
            )],
        },
        Trigger {
            name: "source_help_moved",
            event: "UPDATE OF first_day ON child_source_help",
            when: Some("OLD.first_day IS DISTINCT FROM NEW.first_day"),
            body: vec![bump_day(format!(
                "{} AND OLD.first_day IS NOT NULL AND {changed} UNION ALL {} AND NEW.first_day IS NOT NULL AND {changed}",
                helped("OLD.first_day", "-1"),
                helped("NEW.first_day", "1")
            ))],
        },
    ]
}

/// What the ledger already holds adds up to (into an empty `child_source_help`, with no
/// `helped_by` rows in the totals).
pub(super) fn backfill() -> Vec<String> {
    let (d_e, kept_e) = (delivered("e"), kept("e", Reading::Probe));
    vec![
        format!(
            "INSERT INTO child_source_help (child_id, grp, helps, first_day) \
             SELECT e.child_id, {g}, COUNT(*), MIN(e.entry_date) FROM ledger_entries e WHERE {d_e} AND {kept_e} \
             GROUP BY e.child_id, {g}",
            g = group("e")
        ),
        bump(
            "SELECT c.campaign_id, c.school_id, 'helped_by', h.grp, COUNT(*) FROM child_source_help h \
             JOIN children c ON c.id = h.child_id WHERE h.helps > 0 GROUP BY c.campaign_id, c.school_id, h.grp"
                .into(),
        ),
        bump_day(
            "SELECT c.campaign_id AS campaign_id, c.school_id AS school_id, h.first_day AS day, \
             'helped_by' AS metric, h.grp AS label, COUNT(*) AS amount FROM child_source_help h \
             JOIN children c ON c.id = h.child_id WHERE h.first_day IS NOT NULL \
             GROUP BY c.campaign_id, c.school_id, h.first_day, h.grp"
                .into(),
        ),
    ]
}

/// Moved to another school, a child takes its groups' counts and first days along (named to fire
/// after the registry's own triggers of `children`, so its rows come after theirs).
pub(super) fn bulk_triggers() -> Vec<super::bulk::BulkTrigger> {
    let pair = "{old} o JOIN {new} w ON w.id = o.id";
    let moved = "o.school_id <> w.school_id";
    let side = |x: &str, sign: &str, day: bool, first: bool| {
        let names = |n: &str| if first { format!(" AS {n}") } else { String::new() };
        let (when, day_col) = if day {
            ("h.first_day IS NOT NULL", format!("h.first_day{}, ", names("day")))
        } else {
            ("h.helps > 0", String::new())
        };
        format!(
            "SELECT {x}.campaign_id{}, {x}.school_id{}, {day_col}'helped_by'{}, h.grp{}, {sign}1{} \
             FROM {pair} JOIN child_source_help h ON h.child_id = o.id WHERE {when} AND {moved}",
            names("campaign_id"),
            names("school_id"),
            names("metric"),
            names("label"),
            names("amount")
        )
    };
    vec![super::bulk::BulkTrigger {
        name: "source_help_children_moved",
        op: "UPDATE",
        table: "children",
        of: "school_id",
        columns: &["id", "campaign_id", "school_id"],
        body: Vec::new(),
        guard: format!("SELECT 1 FROM {pair} WHERE {moved}"),
        guarded: vec![
            bump(format!(
                "SELECT d.campaign_id, d.school_id, d.metric, d.label, SUM(d.amount) FROM ({} UNION ALL {}) d \
                 WHERE true GROUP BY d.campaign_id, d.school_id, d.metric, d.label ORDER BY 1, 2, 3, 4",
                side("o", "-", false, true),
                side("w", "", false, false)
            )),
            bump_day(format!(
                "SELECT m.campaign_id AS campaign_id, m.school_id AS school_id, m.day AS day, m.metric AS metric, \
                 m.label AS label, SUM(m.amount) AS amount FROM ({} UNION ALL {}) m \
                 WHERE true GROUP BY m.campaign_id, m.school_id, m.day, m.metric, m.label",
                side("o", "-", true, true),
                side("w", "", true, false)
            )),
        ],
    }]
}
