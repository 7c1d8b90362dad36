//! Running totals by day (`report_days`), so that a report for any dates and the dashboard's help
//! by day read a few rows per unit and day instead of the ledger. Per campaign, unit and day: the
//! help delivered by source (reversals on their own day, as the ledger sums them), the items of
//! kept entries (on the entry's day), and the children helped for the first time that day (each
//! child counts once, on the day of its first kept delivered help, at the school that holds its
//! record; `child_help.first_day`). Every row is kept for the school and again for its district,
//! so a region's or the republic's report reads the districts' rows.

use super::row::Trigger;
use super::{Reading, delivered, kept};

/// Adds the rows of `select` (columns `campaign_id`, `school_id`, `day`, `metric`, `label`,
/// `amount`) to the day totals of the school and of its district.
pub(super) fn bump_day(select: String) -> String {
    format!(
        "INSERT INTO report_days (campaign_id, unit_id, day, metric, label, amount) \
         SELECT d.campaign_id, u.id, d.day, d.metric, d.label, SUM(d.amount) FROM ({select}) d \
         JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true \
         GROUP BY d.campaign_id, u.id, d.day, d.metric, d.label ORDER BY 1, 2, 3, 4, 5 \
         ON CONFLICT (campaign_id, unit_id, day, metric, label) DO UPDATE SET amount = report_days.amount + excluded.amount"
    )
}

/// The first day of the kept, delivered help of the child `child` (an expression).
fn first_day_of(child: &str) -> String {
    format!(
        "(SELECT MIN(e.entry_date) FROM ledger_entries e WHERE e.child_id = {child} AND {} AND {})",
        delivered("e"),
        kept("e", Reading::Probe)
    )
}

/// Sets the child's first day of help afresh where `condition` holds.
fn first_day(child: &str, condition: &str) -> String {
    format!(
        "INSERT INTO child_help (child_id, helps, first_day) SELECT {child}, 0, {} WHERE {condition} \
         ON CONFLICT (child_id) DO UPDATE SET first_day = excluded.first_day",
        first_day_of(child)
    )
}

fn row(campaign: &str, school: &str, day: &str, metric: &str, label: &str, amount: &str) -> String {
    format!(
        "SELECT {campaign} AS campaign_id, {school} AS school_id, {day} AS day, {metric} AS metric, \
         {label} AS label, {amount} AS amount"
    )
}

/// The day totals' part of the ledger's triggers (`row`), each statement placed where the
/// trigger takes the same kind of row of the whole campaign's totals: sources, then the child's
/// help, then the helped counts, then items. So every write takes its rows in one order across
/// both tables, and two writes at one school on PostgreSQL wait for each other instead of
/// deadlocking.
pub(super) struct EntryParts {
    /// After an entry is written: its source on its day.
    pub(super) source_new: String,
    /// After an entry is written: the child's first day (then the helped count by day).
    pub(super) first_day_new: String,
    /// After a reversal is written: the reversed entry's items off that entry's day.
    pub(super) items_reversed: String,
    /// After a status changes: the source on the entry's day.
    pub(super) source_turned: String,
    /// After a status changes: the child's first day.
    pub(super) first_day_turned: String,
    /// After a status changes: the items on the entry's day.
    pub(super) items_turned: String,
    /// After an item is written: on its entry's day.
    pub(super) item_new: String,
}

pub(super) fn entry_parts() -> EntryParts {
    let (old_d, new_d) = (delivered("OLD"), delivered("NEW"));
    let turned = format!("({old_d}) <> ({new_d})");
    let sign = format!("CASE WHEN {new_d} THEN 1 ELSE -1 END");
    let (kept_new, kept_e) = (kept("NEW", Reading::Probe), kept("e", Reading::Probe));
    let new_source =
        |amount: &str| row("NEW.campaign_id", "NEW.school_id", "NEW.entry_date", "'source'", "NEW.source", amount);
    EntryParts {
        source_new: bump_day(format!("{} WHERE {new_d}", new_source("NEW.amount"))),
        first_day_new: first_day("NEW.child_id", &new_d),
        items_reversed: bump_day(format!(
            "{} FROM ledger_entries x JOIN ledger_items i ON i.entry_id = x.id \
             WHERE x.id = NEW.reverses_id AND {} AND x.reverses_id IS NULL \
             GROUP BY x.campaign_id, x.school_id, x.entry_date, i.item",
            row("x.campaign_id", "x.school_id", "x.entry_date", "'item'", "i.item", "-SUM(i.quantity)"),
            delivered("x")
        )),
        source_turned: bump_day(format!("{} WHERE {turned}", new_source(&format!("({sign}) * NEW.amount")))),
        first_day_turned: first_day("NEW.child_id", &turned),
        items_turned: bump_day(format!(
            "{} FROM ledger_items i WHERE i.entry_id = NEW.id AND {turned} AND {kept_new} GROUP BY i.item",
            row(
                "NEW.campaign_id",
                "NEW.school_id",
                "NEW.entry_date",
                "'item'",
                "i.item",
                &format!("({sign}) * SUM(i.quantity)")
            )
        )),
        item_new: bump_day(format!(
            "{} FROM ledger_entries e WHERE e.id = NEW.entry_id AND {} AND {kept_e}",
            row("e.campaign_id", "e.school_id", "e.entry_date", "'item'", "NEW.item", "NEW.quantity"),
            delivered("e")
        )),
    }
}

/// The triggers that move a child's helped count by day when its first day changes.
pub(super) fn triggers() -> Vec<Trigger> {
    let helped = |day: &str, amount: &str| row("c.campaign_id", "c.school_id", day, "'helped'", "''", amount);
    let changed = "OLD.first_day IS DISTINCT FROM NEW.first_day";
    vec![
        Trigger {
            name: "report_days_help_new",
            event: "INSERT ON child_help",
            when: None,
            body: vec![bump_day(format!(
                "{} FROM children c WHERE c.id = NEW.child_id AND NEW.first_day IS NOT NULL",
                helped("NEW.first_day", "1")
            ))],
        },
        Trigger {
            name: "report_days_help_moved",
            event: "UPDATE OF first_day ON child_help",
            when: None,
            body: vec![bump_day(format!(
                "{} FROM children c WHERE c.id = NEW.child_id AND OLD.first_day IS NOT NULL AND {changed} \
                 UNION ALL {} FROM children c WHERE c.id = NEW.child_id AND NEW.first_day IS NOT NULL AND {changed}",
                helped("OLD.first_day", "-1"),
                helped("NEW.first_day", "1")
            ))],
        },
    ]
}

/// What the data already there adds up to (into empty tables, after `child_help`'s counts).
pub(super) fn backfill() -> Vec<String> {
    let d_e = delivered("e");
    vec![
        format!("UPDATE child_help SET first_day = {}", first_day_of("child_help.child_id")),
        bump_day(format!(
            "{} FROM ledger_entries e WHERE {d_e} GROUP BY e.campaign_id, e.school_id, e.entry_date, e.source",
            row("e.campaign_id", "e.school_id", "e.entry_date", "'source'", "e.source", "SUM(e.amount)")
        )),
        bump_day(format!(
            "{} FROM ledger_items i JOIN ledger_entries e ON e.id = i.entry_id WHERE {d_e} AND {} \
             GROUP BY e.campaign_id, e.school_id, e.entry_date, i.item",
            row("e.campaign_id", "e.school_id", "e.entry_date", "'item'", "i.item", "SUM(i.quantity)"),
            kept("e", Reading::Probe)
        )),
        bump_day(format!(
            "{} FROM child_help h JOIN children c ON c.id = h.child_id WHERE h.first_day IS NOT NULL \
             GROUP BY c.campaign_id, c.school_id, h.first_day",
            row("c.campaign_id", "c.school_id", "h.first_day", "'helped'", "''", "COUNT(*)")
        )),
    ]
}
