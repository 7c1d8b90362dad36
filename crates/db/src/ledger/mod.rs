//! The aid ledger and the school funds. Money invariants come from one conditional statement or
//! a key, never from read-then-write: the fund is spent by
//! `UPDATE funds SET spent = spent + a WHERE id = ? AND allocation - spent >= a` (a CHECK backs
//! it), a child's one fund cash payment is a primary key, an entry is reversed at most once by a
//! unique index. Entries are never edited or deleted (database triggers refuse it).

mod moves;

use chrono::Utc;
use domain::aid::{EntryFields, EntryStatus, Form, Source};
use domain::format::Tenge;
use domain::{Actor, CampaignId, ChildId, ErrorCode, Invalid, OrgUnitId, Role};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{campaign, child, child_need, fund, fund_cash_paid, ledger_entry, ledger_item, ledger_status};
use crate::error::{Error, is_unique_violation};

pub(crate) use moves::confirm_in;
pub use moves::{deliver_planned, plan_norm, reverse, set_status};

fn refused(field: &'static str, code: ErrorCode) -> Error {
    Error::Invalid(Invalid::one(field, code))
}

/// Sets a school's fund allocation for a campaign (district, region and republic coordinators).
/// It can never go below what the fund has already paid.
pub async fn set_allocation(
    db: &Db,
    actor: &Actor,
    school: OrgUnitId,
    c: &campaign::Model,
    allocation: Tenge,
) -> Result<fund::Model, Error> {
    if !matches!(actor.role, Role::DistrictCoordinator | Role::RegionCoordinator | Role::RepublicCoordinator) {
        return Err(Error::Forbidden);
    }
    if allocation.0 < 0 {
        return Err(refused("allocation", ErrorCode::AmountFormat));
    }
    let txn = crate::write_txn(db).await?;
    let unit = crate::org::get(&txn, actor, school).await?;
    if unit.kind != "school" {
        return Err(refused("school_id", ErrorCode::NotASchool));
    }
    let row = fund::ActiveModel {
        school_id: Set(unit.id),
        campaign_id: Set(c.id),
        allocation: Set(allocation.0),
        spent: Set(0),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    let result = fund::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([fund::Column::SchoolId, fund::Column::CampaignId])
                .update_columns([fund::Column::Allocation, fund::Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await;
    if let Err(e) = result {
        // The CHECK refuses an allocation below what was already paid.
        return Err(if e.to_string().to_lowercase().contains("check") {
            refused("allocation", ErrorCode::BelowSpent)
        } else {
            Error::Db(e)
        });
    }
    let saved = fund_row(&txn, unit.id, c.id).await?.ok_or(Error::NotFound)?;
    let entry = Entry {
        action: "set_allocation",
        entity: "fund",
        entity_id: Some(saved.id),
        unit_path: Some(&unit.path),
        before: None,
        after: Some(json!({ "allocation": saved.allocation, "spent": saved.spent })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(saved)
}

/// The fund of a school in a campaign.
pub async fn fund_of(
    db: &impl ConnectionTrait,
    school: &crate::scope::InScope<crate::entity::org_unit::Model>,
    campaign: CampaignId,
) -> Result<Option<fund::Model>, DbErr> {
    fund_row(db, school.id, campaign.0).await
}

/// The fund row of a school in a campaign, by the ids of a record already read in scope.
pub(crate) async fn fund_row(
    db: &impl ConnectionTrait,
    school: i64,
    campaign_id: i64,
) -> Result<Option<fund::Model>, DbErr> {
    fund::Entity::find()
        .filter(fund::Column::SchoolId.eq(school))
        .filter(fund::Column::CampaignId.eq(campaign_id))
        .one(db)
        .await
}

/// Spends `amount` of the fund in one conditional statement; refused if the balance is short.
async fn spend(txn: &DatabaseTransaction, fund_id: i64, amount: i64) -> Result<(), Error> {
    let done = fund::Entity::update_many()
        .col_expr(fund::Column::Spent, Expr::col(fund::Column::Spent).add(amount))
        .col_expr(fund::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(fund::Column::Id.eq(fund_id))
        .filter(Expr::col(fund::Column::Allocation).sub(Expr::col(fund::Column::Spent)).gte(amount))
        .exec(txn)
        .await?;
    if done.rows_affected == 1 { Ok(()) } else { Err(refused("amount", ErrorCode::FundOverspent)) }
}

/// Gives `amount` back to the fund (a reversal of delivered fund aid).
async fn refund(txn: &DatabaseTransaction, fund_id: i64, amount: i64) -> Result<(), Error> {
    fund::Entity::update_many()
        .col_expr(fund::Column::Spent, Expr::col(fund::Column::Spent).sub(amount))
        .filter(fund::Column::Id.eq(fund_id))
        .exec(txn)
        .await?;
    Ok(())
}

async fn status_event(
    txn: &DatabaseTransaction,
    actor: &Actor,
    entry: i64,
    from: Option<&str>,
    to: &str,
) -> Result<(), DbErr> {
    ledger_status::ActiveModel {
        entry_id: Set(entry),
        from_status: Set(from.map(str::to_owned)),
        to_status: Set(to.to_owned()),
        actor_id: Set(actor.user_id.0),
        actor_login: Set(actor.login.clone()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The region a unit's path lies in: its second id (`/1/16/22/305/` is in region 16).
fn region_in(path: &str) -> Option<i64> {
    path.split('/').filter(|p| !p.is_empty()).nth(1).and_then(|p| p.parse().ok())
}

/// A sponsor a school may credit: approved, of the child's region.
async fn sponsor_of_region(db: &impl ConnectionTrait, sponsor: i64, child_path: &str) -> Result<(), Error> {
    let found = crate::entity::sponsor::Entity::find_by_id(sponsor).one(db).await?;
    match found {
        Some(s) if s.approved && !s.rejected && Some(s.region_id) == region_in(child_path) => Ok(()),
        _ => Err(refused("sponsor_id", ErrorCode::InvalidChoice)),
    }
}

/// The approved sponsors of the region the actor works in (a school's or district's region;
/// a region's own), by name: the aid form's list.
pub async fn sponsors_for(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Vec<crate::entity::sponsor::Model>, Error> {
    use crate::entity::sponsor;
    let Some(region) = region_in(actor.scope.path()) else { return Ok(Vec::new()) };
    Ok(sponsor::Entity::find()
        .filter(sponsor::Column::RegionId.eq(region))
        .filter(sponsor::Column::Approved.eq(true))
        .filter(sponsor::Column::Rejected.eq(false))
        .order_by_asc(sponsor::Column::Name)
        .all(db)
        .await?)
}

/// Records an act of help for a child in scope (school coordinators and above). Fund aid needs
/// the school's fund; fund cash is paid once per child per campaign; delivered fund aid spends
/// the fund and is refused beyond its balance.
pub async fn record(
    db: &Db,
    actor: &Actor,
    c: &campaign::Model,
    child_id: ChildId,
    f: &EntryFields,
    status: EntryStatus,
) -> Result<ledger_entry::Model, Error> {
    let child_id = child_id.0;
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    if status == EntryStatus::Confirmed {
        return Err(refused("status", ErrorCode::InvalidChoice));
    }
    let txn = crate::write_txn(db).await?;
    let child = crate::children::find_scoped(&txn, actor, child_id).await?;
    if child.campaign_id != c.id {
        return Err(refused("child_id", ErrorCode::OtherCampaign));
    }
    if let Some(sponsor) = f.sponsor_id {
        sponsor_of_region(&txn, sponsor, &child.unit_path).await?;
    }
    let now = Utc::now();
    let entry = ledger_entry::ActiveModel {
        campaign_id: Set(c.id),
        child_id: Set(child.id),
        school_id: Set(child.school_id),
        unit_path: Set(child.unit_path.clone()),
        source: Set(f.source.as_str().to_owned()),
        sponsor_id: Set(f.sponsor_id),
        form: Set(f.form.as_str().to_owned()),
        amount: Set(f.amount.0),
        status: Set(status.as_str().to_owned()),
        entry_date: Set(f.date),
        organised_by: Set(f.organised_by.clone()),
        giver_kind: Set(f.giver_kind.map(|k| k.as_str().to_owned())),
        note: Set(f.note.clone()),
        reverses_id: Set(None),
        reason: Set(f.above_need_reason.clone()),
        recorded_by: Set(actor.user_id.0),
        recorded_login: Set(actor.login.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if f.source == Source::Fund {
        let fund = fund_row(&txn, child.school_id, c.id).await?.ok_or_else(|| refused("source", ErrorCode::NoFund))?;
        if f.form == Form::Cash {
            let paid = fund_cash_paid::ActiveModel {
                campaign_id: Set(c.id),
                child_id: Set(child.id),
                entry_id: Set(entry.id),
            };
            if let Err(e) = fund_cash_paid::Entity::insert(paid).exec_without_returning(&txn).await {
                return Err(if is_unique_violation(&e) {
                    refused("child_id", ErrorCode::FundPaidTwice)
                } else {
                    Error::Db(e)
                });
            }
        }
        if status.is_delivered() {
            spend(&txn, fund.id, f.amount.0).await?;
        }
    }
    // Aid beyond the child's need is allowed only with a reason, kept on the entry (checked
    // after the fund's own refusals, which say more).
    let need = need_of(&txn, c, &child).await?;
    if given_to(&txn, c.id, child.id).await? > need.0 && f.above_need_reason.is_none() {
        return Err(Error::Invalid(Invalid(vec![
            domain::FieldError::new("above_need_reason", ErrorCode::AboveNeed).with_limit(Ord::max(need.0, 0) / 100),
        ])));
    }
    if !f.items.is_empty() {
        // By code: the report totals' triggers then lock the items' rows in one order (`db::totals`).
        let mut sorted: Vec<_> = f.items.iter().collect();
        sorted.sort_by(|a, b| a.item.as_str().cmp(b.item.as_str()));
        let items = sorted.into_iter().map(|i| ledger_item::ActiveModel {
            entry_id: Set(entry.id),
            item: Set(i.item.as_str().to_owned()),
            quantity: Set(i.quantity),
            value: Set(i.value.0),
            ..Default::default()
        });
        ledger_item::Entity::insert_many(items).exec_without_returning(&txn).await?;
    }
    status_event(&txn, actor, entry.id, None, status.as_str()).await?;
    let audit_entry = Entry {
        action: "record",
        entity: "ledger_entry",
        entity_id: Some(entry.id),
        unit_path: Some(&entry.unit_path),
        before: None,
        after: Some(serde_json::to_value(&entry).unwrap_or_default()),
    };
    audit::record(&txn, Who::User(actor), audit_entry).await?;
    txn.commit().await?;
    Ok(entry)
}

/// A child's need in a campaign: the estimated cost of the needs the school recorded, and never
/// less than the region's cash norm (the state's own measure of what a child needs for school).
pub(crate) async fn need_of(
    db: &impl ConnectionTrait,
    c: &campaign::Model,
    child: &child::Model,
) -> Result<Tenge, Error> {
    let recorded: Option<i64> = child_need::Entity::find()
        .select_only()
        .column_as(Expr::col(child_need::Column::Cost).sum().cast_as("BIGINT"), "total")
        .filter(child_need::Column::ChildId.eq(child.id))
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    let region = crate::scope_region(&child.unit_path).unwrap_or_default();
    let norm = crate::campaigns::norm_for(db, c, OrgUnitId(region)).await?;
    Ok(Tenge(Ord::max(recorded.unwrap_or(0), norm.0)))
}

/// What a child has been given or promised in a campaign: every entry, reversals netting out.
pub(crate) async fn given_to(db: &impl ConnectionTrait, campaign_id: i64, child_id: i64) -> Result<i64, Error> {
    let total: Option<i64> = ledger_entry::Entity::find()
        .select_only()
        .column_as(Expr::col(ledger_entry::Column::Amount).sum().cast_as("BIGINT"), "total")
        .filter(ledger_entry::Column::CampaignId.eq(campaign_id))
        .filter(ledger_entry::Column::ChildId.eq(child_id))
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    Ok(total.unwrap_or(0))
}

async fn entry_in_scope(txn: &DatabaseTransaction, actor: &Actor, id: i64) -> Result<ledger_entry::Model, Error> {
    let entry = ledger_entry::Entity::find_by_id(id).one(txn).await?.ok_or(Error::NotFound)?;
    // The scope of an entry is its child's.
    crate::children::find_scoped(txn, actor, entry.child_id).await?;
    Ok(entry)
}

/// A child's entries, oldest first (the child must be in scope).
pub async fn for_child(
    db: &impl ConnectionTrait,
    actor: &Actor,
    child_id: ChildId,
) -> Result<Vec<ledger_entry::Model>, Error> {
    let child_id = child_id.0;
    crate::children::find_scoped(db, actor, child_id).await?;
    Ok(ledger_entry::Entity::find()
        .filter(ledger_entry::Column::ChildId.eq(child_id))
        .order_by_asc(ledger_entry::Column::Id)
        .all(db)
        .await?)
}
