//! The triggers kept once per statement on PostgreSQL and once per row on SQLite: adding or
//! changing children and adding or removing their categories, which the import writes in bulk
//! (see migration m0007 for why).

use sea_orm::DatabaseBackend;

use super::bump;

/// A trigger kept per statement on PostgreSQL and per row on SQLite. Its body reads the rows the
/// statement wrote as `{new}` (after an insert or update) and `{old}` (after an update or delete).
pub(super) struct BulkTrigger {
    pub(super) name: &'static str,
    pub(super) op: &'static str,
    pub(super) table: &'static str,
    /// SQLite only: the columns whose update fires the trigger (PostgreSQL allows no column list
    /// with transition tables).
    pub(super) of: &'static str,
    /// The columns the body reads from the written rows.
    pub(super) columns: &'static [&'static str],
    pub(super) body: Vec<String>,
    /// Statements that only matter when `guard` holds, a condition on the written rows: on
    /// PostgreSQL they run under `IF EXISTS (guard)`, so a statement that wrote 500 rows, none of
    /// which they concern, does not join those rows against a whole table; on SQLite, a row at a
    /// time, their own `WHERE` suffices.
    pub(super) guard: String,
    pub(super) guarded: Vec<String>,
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

    pub(super) fn create(&self, backend: DatabaseBackend) -> Vec<String> {
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

/// A column of the child of the written category row `w`, looked up by its key, one row at a
/// time (a scalar subquery): joined, PostgreSQL may hash the whole children table for every 500
/// rows written, which it does when its statistics still see the table as it was before a large
/// import.
pub(super) fn of_child(col: &str) -> String {
    format!("(SELECT c.{col} FROM children c WHERE c.id = w.child_id) AS {col}")
}

pub(super) fn triggers() -> Vec<BulkTrigger> {
    // Each statement groups the written rows per totals row, so a key is bumped once per statement
    // (PostgreSQL refuses to upsert one row twice in a statement), and takes the rows in one
    // order: the children's count and needs, then categories, then the helped count (as m0006).
    let categories = |name: &'static str, op: &'static str, sign: &str, rows: &str| {
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
        // Moved to another school, a child takes its first day of help along (`db::totals::days`);
        // named to fire after `report_totals_children_changed`, so its rows come after that one's.
        BulkTrigger {
            name: "report_totals_children_days",
            op: "UPDATE",
            table: "children",
            of: "school_id",
            columns: &["id", "campaign_id", "school_id"],
            body: Vec::new(),
            guard: format!("SELECT 1 FROM {pair} WHERE {moved}"),
            guarded: vec![super::days::bump_day(format!(
                "SELECT m.campaign_id AS campaign_id, m.school_id AS school_id, m.day AS day, 'helped' AS metric, \
                 '' AS label, SUM(m.amount) AS amount FROM \
                 (SELECT o.campaign_id AS campaign_id, o.school_id AS school_id, h.first_day AS day, -1 AS amount \
                 FROM {pair} JOIN child_help h ON h.child_id = o.id WHERE h.first_day IS NOT NULL AND {moved} \
                 UNION ALL SELECT w.campaign_id, w.school_id, h.first_day, 1 \
                 FROM {pair} JOIN child_help h ON h.child_id = o.id WHERE h.first_day IS NOT NULL AND {moved}) m \
                 WHERE true GROUP BY m.campaign_id, m.school_id, m.day"
            ))],
        },
    ]
}
