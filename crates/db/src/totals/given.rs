//! What each child has been given or promised (`child_help.given`: every entry, reversals netting
//! out, as `ledger::given_to` sums it) beside the cost of the needs the school recorded
//! (`child_help.needs_cost`, the child's own copy) and its campaign, so that the checks find the
//! children above their need from a partial index of the rows where the one exceeds the other,
//! instead of summing the ledger of the whole scope.
//!
//! The triggers are named to fire first on their tables: a write takes the child's help row before
//! any row of the totals, the same order as the ledger's own triggers (`row`).

use super::bulk::BulkTrigger;
use super::row::Trigger;

/// The ledger's trigger: the entry's amount added to what the child was given (the row made
/// whole whichever trigger made it first).
pub(super) fn triggers() -> Vec<Trigger> {
    vec![Trigger {
        name: "child_given_new",
        event: "INSERT ON ledger_entries",
        when: None,
        body: vec![
            "INSERT INTO child_help (child_id, helps, campaign_id, given, needs_cost) \
             SELECT NEW.child_id, 0, NEW.campaign_id, NEW.amount, c.needs_cost FROM children c WHERE c.id = NEW.child_id \
             ON CONFLICT (child_id) DO UPDATE SET campaign_id = excluded.campaign_id, \
             given = child_help.given + excluded.given, needs_cost = excluded.needs_cost"
                .into(),
        ],
    }]
}

/// The registry's trigger: the child's copy of its needs' cost kept.
pub(super) fn bulk_triggers() -> Vec<BulkTrigger> {
    vec![BulkTrigger {
        name: "child_needs_changed",
        op: "UPDATE",
        table: "children",
        of: "needs_cost",
        columns: &["id", "needs_cost"],
        body: vec![
            "UPDATE child_help SET needs_cost = (SELECT w.needs_cost FROM {new} w WHERE w.id = child_help.child_id) \
             WHERE child_id IN (SELECT o.id FROM {old} o JOIN {new} w ON w.id = o.id WHERE o.needs_cost <> w.needs_cost)"
                .into(),
        ],
        guard: String::new(),
        guarded: Vec::new(),
    }]
}

/// What the ledger already holds adds up to (after `child_help`'s counts).
pub(super) fn backfill() -> Vec<String> {
    vec![
        "INSERT INTO child_help (child_id, helps, given, needs_cost) \
         SELECT e.child_id, 0, SUM(e.amount), 0 FROM ledger_entries e WHERE true GROUP BY e.child_id \
         ON CONFLICT (child_id) DO UPDATE SET given = excluded.given"
            .into(),
        "UPDATE child_help SET campaign_id = (SELECT c.campaign_id FROM children c WHERE c.id = child_help.child_id), \
         needs_cost = COALESCE((SELECT c.needs_cost FROM children c WHERE c.id = child_help.child_id), 0)"
            .into(),
    ]
}
