//! Checks that protect the money, over the actor's scope in one campaign: cash paid without a
//! confirmed proof of purchase past the campaign's deadline, plans and pledges never delivered,
//! and children given more than their need. (A fund overspent and a child paid twice by the fund
//! are refused when written, so they never need listing.)

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use domain::Actor;
use domain::aid::{EntryStatus, Form};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::{campaign, campaign_norm, child_need, ledger_entry, org_unit, proof};
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
    let base = || {
        ledger_entry::Entity::find()
            .filter(ledger_entry::Column::CampaignId.eq(c.id))
            .filter(crate::scope::starts_with(sea_orm::sea_query::Expr::col(ledger_entry::Column::UnitPath), scope))
            .filter(ledger_entry::Column::ReversesId.is_null())
            .filter(not_reversed(c.id, scope))
    };
    let proof_due = today - Duration::days(i64::from(c.proof_days));
    let cash = base()
        .filter(ledger_entry::Column::Form.eq(Form::Cash.as_str()))
        .filter(ledger_entry::Column::Status.eq(EntryStatus::Delivered.as_str()))
        .filter(ledger_entry::Column::EntryDate.lt(proof_due))
        .order_by_asc(ledger_entry::Column::EntryDate)
        .order_by_asc(ledger_entry::Column::Id)
        .limit(LIST_MAX)
        .all(db)
        .await?;
    let pledge_due = today - Duration::days(i64::from(c.pledge_days));
    let plans = base()
        .filter(ledger_entry::Column::Status.eq(EntryStatus::Planned.as_str()))
        .filter(ledger_entry::Column::EntryDate.lt(pledge_due))
        .order_by_asc(ledger_entry::Column::EntryDate)
        .order_by_asc(ledger_entry::Column::Id)
        .limit(LIST_MAX)
        .all(db)
        .await?;
    let latest_proof: HashMap<i64, String> = proof::Entity::find()
        .filter(proof::Column::EntryId.is_in(cash.iter().map(|e| e.id).collect::<Vec<_>>()))
        .order_by_asc(proof::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.entry_id, p.status))
        .collect();

    // Above need: what each child was given against the recorded needs and the region's norm.
    let given: Vec<(i64, i64, String)> = ledger_entry::Entity::find()
        .select_only()
        .column(ledger_entry::Column::ChildId)
        .column_as(Expr::col(ledger_entry::Column::Amount).sum().cast_as("BIGINT"), "given")
        .column_as(Expr::col(ledger_entry::Column::UnitPath).max(), "unit_path")
        .filter(ledger_entry::Column::CampaignId.eq(c.id))
        .filter(crate::scope::starts_with(sea_orm::sea_query::Expr::col(ledger_entry::Column::UnitPath), scope))
        .group_by(ledger_entry::Column::ChildId)
        .into_tuple()
        .all(db)
        .await?;
    let child_ids: Vec<i64> = given.iter().map(|g| g.0).collect();
    let mut needs: HashMap<i64, i64> = HashMap::new();
    for chunk in child_ids.chunks(10_000) {
        let rows: Vec<(i64, Option<i64>)> = child_need::Entity::find()
            .select_only()
            .column(child_need::Column::ChildId)
            .column_as(Expr::col(child_need::Column::Cost).sum().cast_as("BIGINT"), "need")
            .filter(child_need::Column::ChildId.is_in(chunk.to_vec()))
            .group_by(child_need::Column::ChildId)
            .into_tuple()
            .all(db)
            .await?;
        needs.extend(rows.into_iter().map(|(id, n)| (id, n.unwrap_or(0))));
    }
    let norms: HashMap<i64, i64> = campaign_norm::Entity::find()
        .filter(campaign_norm::Column::CampaignId.eq(c.id))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.region_id, n.cash_norm))
        .collect();
    let mut above: Vec<(i64, i64, i64)> = given
        .iter()
        .filter_map(|(child, given, path)| {
            let region = crate::scope_region(path).unwrap_or_default();
            let norm = norms.get(&region).copied().unwrap_or(c.default_norm);
            let need = Ord::max(needs.get(child).copied().unwrap_or(0), norm);
            (*given > need).then_some((*child, need, *given))
        })
        .collect();
    above.sort_unstable();
    above.truncate(LIST_MAX as usize);
    let above_ids: Vec<i64> = above.iter().map(|a| a.0).collect();
    let mut reasons: HashMap<i64, Vec<String>> = HashMap::new();
    let mut school_of: HashMap<i64, i64> = HashMap::new();
    for e in ledger_entry::Entity::find()
        .filter(ledger_entry::Column::CampaignId.eq(c.id))
        .filter(ledger_entry::Column::ChildId.is_in(above_ids))
        .order_by_asc(ledger_entry::Column::Id)
        .all(db)
        .await?
    {
        school_of.insert(e.child_id, e.school_id);
        if e.reverses_id.is_none()
            && let Some(r) = e.reason
        {
            reasons.entry(e.child_id).or_default().push(r);
        }
    }
    let ids = cash.iter().chain(&plans).map(|e| e.school_id).chain(school_of.values().copied()).collect();
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
            .map(|(child_id, need, given)| AboveNeed {
                child_id,
                code: crate::children::code(child_id),
                school: school_of.get(&child_id).and_then(|s| units.get(s)).cloned(),
                need,
                given,
                reasons: reasons.remove(&child_id).unwrap_or_default(),
            })
            .collect(),
    })
}
