//! Checks that protect the money, over the actor's scope in one campaign: cash paid without a
//! confirmed proof of purchase past the campaign's deadline, plans and pledges never delivered,
//! and children given more than their need. (A fund overspent and a child paid twice by the fund
//! are refused when written, so they never need listing.)

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use domain::Actor;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement};

use crate::entity::{campaign, ledger_entry, org_unit, proof};
use crate::error::Error;

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

/// An entry no later entry reverses: the set of the scope's reversals in the campaign (a reversal
/// keeps its entry's school) is read once, from their own index, never the country's.
fn not_reversed(campaign_id: i64, scope: &str) -> sea_orm::sea_query::SimpleExpr {
    let reversals = Query::select()
        .column(ledger_entry::Column::ReversesId)
        .from(ledger_entry::Entity)
        .and_where(ledger_entry::Column::CampaignId.eq(campaign_id))
        .and_where(crate::scope::starts_with(Expr::col(ledger_entry::Column::UnitPath), scope))
        .and_where(ledger_entry::Column::ReversesId.is_not_null())
        .to_owned();
    ledger_entry::Column::Id.not_in_subquery(reversals)
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
            .filter(not_reversed(c.id, scope))
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

    // Above need: what each child was given against its needs' cost (both kept on its help row,
    // `db::totals::given`) and the region's norm, from the partial index of the rows where the
    // one exceeds the other.
    let sql = format!(
        "SELECT c.id, c.school_id, c.needs_cost, h.given, COALESCE(n.cash_norm, {default}) AS norm \
         FROM child_help h JOIN children c ON c.id = h.child_id \
         LEFT JOIN campaign_norms n ON n.campaign_id = c.campaign_id AND n.region_id = c.region_id \
         WHERE h.given > h.needs_cost AND c.campaign_id = {campaign} AND {in_scope} \
         AND h.given > COALESCE(n.cash_norm, {default}) ORDER BY h.child_id LIMIT {LIST_MAX}",
        default = c.default_norm,
        campaign = c.id,
        in_scope = crate::scope::path_under("c.unit_path", scope),
    );
    let mut above: Vec<(i64, i64, i64, i64)> = Vec::new();
    for row in db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await? {
        let (child, school, needs, given, norm): (i64, i64, i64, i64, i64) = (
            row.try_get_by_index(0)?,
            row.try_get_by_index(1)?,
            row.try_get_by_index(2)?,
            row.try_get_by_index(3)?,
            row.try_get_by_index(4)?,
        );
        above.push((child, school, Ord::max(needs, norm), given));
    }
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
