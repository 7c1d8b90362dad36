//! Checks that protect the money, over the actor's scope in one campaign: cash paid without a
//! confirmed proof of purchase past the campaign's deadline, plans and pledges never delivered,
//! and children given more than their need. (A fund overspent and a child paid twice by the fund
//! are refused when written, so they never need listing.)

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use domain::Actor;
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{campaign, ledger_entry, org_unit, proof};
use crate::error::Error;

mod above;

/// Most rows in one list.
pub const LIST_MAX: u64 = 500;

/// An entry that needs attention.
#[derive(Debug, Clone)]
pub struct Flagged {
    /// The entry.
    pub entry: ledger_entry::Model,
    /// The child's anonymous code.
    pub code: String,
    /// The school.
    pub school: Option<org_unit::Model>,
    /// Days past the deadline.
    pub days_over: i64,
    /// The latest proof's status (`uploaded`, `rejected`), if any.
    pub proof: Option<String>,
}

/// A child given more than the need.
#[derive(Debug, Clone)]
pub struct AboveNeed {
    /// The child's id.
    pub child_id: i64,
    /// Code.
    pub code: String,
    /// The school.
    pub school: Option<org_unit::Model>,
    /// Need (recorded, never below the norm), tiyn.
    pub need: i64,
    /// Given and promised, tiyn.
    pub given: i64,
    /// The reasons written on the entries.
    pub reasons: Vec<String>,
}

/// The three lists.
#[derive(Debug, Clone, Default)]
pub struct Checks {
    /// Cash without a confirmed proof past the deadline.
    pub unproven_cash: Vec<Flagged>,
    /// Planned or pledged aid not delivered in time.
    pub undelivered: Vec<Flagged>,
    /// Children above their need.
    pub above_need: Vec<AboveNeed>,
}

/// Cash paid and not yet proven (its proof confirmed moves it on), as the partial index reads it.
const UNPROVEN: &str = "ledger_entries.form = 'cash' AND ledger_entries.status = 'delivered'";
/// Aid planned or pledged and not yet delivered.
const PLANNED: &str = "ledger_entries.status = 'planned'";

/// An entry no later entry reverses: a probe of the reversals' unique index per entry, so that a
/// list of the first 500 reads about 500 probes, never the set of a whole region's or country's
/// reversals. (`OFFSET 0` keeps PostgreSQL from turning the probe into a join that hashes them
/// all; SQLite probes a correlated subquery row by row anyway.)
fn not_reversed() -> SimpleExpr {
    Expr::cust("NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = ledger_entries.id LIMIT 1 OFFSET 0)")
}

async fn schools(db: &impl ConnectionTrait, ids: Vec<i64>) -> Result<HashMap<i64, org_unit::Model>, Error> {
    Ok(org_unit::Entity::find()
        .filter(org_unit::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}

/// Computes the lists for the actor's scope (school coordinators and above) as of `today`.
pub async fn run(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &campaign::Model,
    today: NaiveDate,
) -> Result<Checks, Error> {
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    let scope = actor.scope.path();
    // The kinds of entry listed are written as literals, so that both planners match them to
    // the partial indexes of those entries in date order (m0010), a bound value they cannot.
    let base = |kind: &str| {
        ledger_entry::Entity::find()
            .filter(ledger_entry::Column::CampaignId.eq(c.id))
            .filter(Expr::cust(format!("ledger_entries.reverses_id IS NULL AND {kind}")))
            .filter(crate::scope::starts_with(Expr::col(ledger_entry::Column::UnitPath), scope))
            .filter(not_reversed())
            .order_by_asc(ledger_entry::Column::EntryDate)
            .order_by_asc(ledger_entry::Column::Id)
            .limit(LIST_MAX)
    };
    let proof_due = today - Duration::days(i64::from(c.proof_days));
    let cash = base(UNPROVEN).filter(ledger_entry::Column::EntryDate.lt(proof_due)).all(db).await?;
    let pledge_due = today - Duration::days(i64::from(c.pledge_days));
    let plans = base(PLANNED).filter(ledger_entry::Column::EntryDate.lt(pledge_due)).all(db).await?;
    let latest_proof: HashMap<i64, String> = proof::Entity::find()
        .filter(proof::Column::EntryId.is_in(cash.iter().map(|e| e.id).collect::<Vec<_>>()))
        .order_by_asc(proof::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.entry_id, p.status))
        .collect();

    let above = above::children(db, c, scope).await?;
    let above_ids: Vec<i64> = above.iter().map(|a| a.0).collect();
    let mut reasons: HashMap<i64, Vec<String>> = HashMap::new();
    for e in ledger_entry::Entity::find()
        .filter(ledger_entry::Column::ChildId.is_in(above_ids))
        .filter(ledger_entry::Column::ReversesId.is_null())
        .filter(ledger_entry::Column::Reason.is_not_null())
        .order_by_asc(ledger_entry::Column::Id)
        .all(db)
        .await?
    {
        if let Some(r) = e.reason {
            reasons.entry(e.child_id).or_default().push(r);
        }
    }
    let ids = cash.iter().chain(&plans).map(|e| e.school_id).chain(above.iter().map(|a| a.1)).collect();
    let units = schools(db, ids).await?;
    let flag = |e: ledger_entry::Model, due: NaiveDate| Flagged {
        code: crate::children::code(e.child_id),
        school: units.get(&e.school_id).cloned(),
        days_over: (due - e.entry_date).num_days(),
        proof: latest_proof.get(&e.id).cloned(),
        entry: e,
    };
    Ok(Checks {
        unproven_cash: cash.into_iter().map(|e| flag(e, proof_due)).collect(),
        undelivered: plans.into_iter().map(|e| flag(e, pledge_due)).collect(),
        above_need: above
            .into_iter()
            .map(|(child_id, school, need, given)| AboveNeed {
                child_id,
                code: crate::children::code(child_id),
                school: units.get(&school).cloned(),
                need,
                given,
                reasons: reasons.remove(&child_id).unwrap_or_default(),
            })
            .collect(),
    })
}
