//! The social passport's running totals (`passport_totals`), so that the passport of a district,
//! a region or the republic reads a few rows per school or district instead of the registry. Per
//! campaign, unit (each school, and again its district), grade, status and category: the children
//! and the cost of their needs (`category` empty), and the children of each category (`status`
//! empty; a child counts under each of its categories).
//!
//! The triggers are named so that they fire before the whole campaign's totals (`report_totals_*`)
//! on the same tables, and after the child's own help row (`child_*`): every write of the registry
//! takes its rows in one order, the child's help, the passport's, then the campaign's.

use super::bulk::{BulkTrigger, of_child};

/// Adds the rows of `select` (columns `campaign_id`, `school_id`, `grade`, `status`, `category`,
/// `children`, `cost`) to the passport of the school and of its district.
fn bump(select: String) -> String {
    format!(
        "INSERT INTO passport_totals (campaign_id, unit_id, grade, status, category, children, cost) \
         SELECT d.campaign_id, u.id, d.grade, d.status, d.category, SUM(d.children), SUM(d.cost) FROM ({select}) d \
         JOIN org_units s ON s.id = d.school_id JOIN org_units u ON u.id = s.id OR u.id = s.parent_id WHERE true \
         GROUP BY d.campaign_id, u.id, d.grade, d.status, d.category ORDER BY 1, 2, 3, 4, 5 \
         ON CONFLICT (campaign_id, unit_id, grade, status, category) DO UPDATE SET \
         children = passport_totals.children + excluded.children, cost = passport_totals.cost + excluded.cost"
    )
}

fn row(x: &str, status: &str, category: &str, children: &str, cost: &str) -> String {
    format!(
        "SELECT {x}.campaign_id AS campaign_id, {x}.school_id AS school_id, {x}.grade AS grade, {status} AS status, \
         {category} AS category, {children} AS children, {cost} AS cost"
    )
}

pub(super) fn triggers() -> Vec<BulkTrigger> {
    let pair = "{old} o JOIN {new} w ON w.id = o.id";
    // A child moved or regraded takes its categories along.
    let regraded = "o.school_id <> w.school_id OR o.grade <> w.grade";
    let changed = format!("{regraded} OR o.status <> w.status OR o.needs_cost <> w.needs_cost");
    let registry = |x: &str, sign: &str| {
        row(x, &format!("{x}.status"), "''", &format!("{sign}1"), &format!("{sign}{x}.needs_cost"))
    };
    let categories = |name: &'static str, op: &'static str, sign: &'static str, rows: &'static str| BulkTrigger {
        name,
        op,
        table: "child_categories",
        of: "",
        columns: &["child_id", "category"],
        body: vec![bump(format!(
            "{} FROM (SELECT {}, {}, {}, w.category AS category FROM {rows} w) x WHERE x.school_id IS NOT NULL",
            row("x", "''", "x.category", &format!("{sign}1"), "0"),
            of_child("campaign_id"),
            of_child("school_id"),
            of_child("grade"),
        ))],
        guard: String::new(),
        guarded: Vec::new(),
    };
    vec![
        BulkTrigger {
            name: "passport_children_added",
            op: "INSERT",
            table: "children",
            of: "",
            columns: &["campaign_id", "school_id", "grade", "status", "needs_cost"],
            body: vec![bump(format!("{} FROM {{new}} w", registry("w", "")))],
            guard: String::new(),
            guarded: Vec::new(),
        },
        BulkTrigger {
            name: "passport_children_changed",
            op: "UPDATE",
            table: "children",
            of: "school_id, grade, status, needs_cost",
            columns: &["id", "campaign_id", "school_id", "grade", "status", "needs_cost"],
            body: vec![bump(format!(
                "{} FROM {pair} WHERE {changed} UNION ALL {} FROM {pair} WHERE {changed}",
                registry("o", "-"),
                registry("w", "")
            ))],
            guard: format!("SELECT 1 FROM {pair} WHERE {regraded}"),
            guarded: vec![bump(format!(
                "{} FROM {pair} JOIN child_categories k ON k.child_id = o.id WHERE {regraded} \
                 UNION ALL {} FROM {pair} JOIN child_categories k ON k.child_id = o.id WHERE {regraded}",
                row("o", "''", "k.category", "-1", "0"),
                row("w", "''", "k.category", "1", "0")
            ))],
        },
        categories("passport_categories_added", "INSERT", "", "{new}"),
        categories("passport_categories_removed", "DELETE", "-", "{old}"),
    ]
}

/// What the registry already holds adds up to (into an empty table).
pub(super) fn backfill() -> Vec<String> {
    vec![
        bump(format!("{} FROM children c WHERE true GROUP BY c.campaign_id, c.school_id, c.grade, c.status", {
            row("c", "c.status", "''", "COUNT(*)", "SUM(c.needs_cost)")
        })),
        bump(format!(
            "{} FROM child_categories k JOIN children c ON c.id = k.child_id WHERE true \
             GROUP BY c.campaign_id, c.school_id, c.grade, k.category",
            row("c", "''", "k.category", "COUNT(*)", "0")
        )),
    ]
}
