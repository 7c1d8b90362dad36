//! Campaign years and their regional cash norms.

use chrono::Utc;
use domain::child::CampaignFields;
use domain::format::Tenge;
use domain::{Actor, CampaignId, ErrorCode, Invalid, OrgUnitId, Role};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{campaign, campaign_norm};
use crate::error::{Error, unique_as};

/// The current campaign: the one marked current, else the latest year.
pub async fn current(db: &impl ConnectionTrait) -> Result<Option<campaign::Model>, DbErr> {
    if let Some(c) = campaign::Entity::find().filter(campaign::Column::IsCurrent.eq(true)).one(db).await? {
        return Ok(Some(c));
    }
    campaign::Entity::find().order_by_desc(campaign::Column::Year).one(db).await
}

/// The campaign of `year`.
pub async fn by_year(db: &impl ConnectionTrait, year: i32) -> Result<Option<campaign::Model>, DbErr> {
    campaign::Entity::find().filter(campaign::Column::Year.eq(year)).one(db).await
}

/// Every campaign, newest first.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<campaign::Model>, DbErr> {
    campaign::Entity::find().order_by_desc(campaign::Column::Year).all(db).await
}

/// Creates a campaign and makes it current (the republic coordinator only; `None` is the
/// command line).
pub async fn create(db: &Db, actor: Option<&Actor>, f: &CampaignFields) -> Result<campaign::Model, Error> {
    if actor.is_some_and(|a| a.role != Role::RepublicCoordinator) {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    campaign::Entity::update_many().col_expr(campaign::Column::IsCurrent, Expr::value(false)).exec(&txn).await?;
    let created = campaign::ActiveModel {
        year: Set(f.year),
        starts_on: Set(f.starts_on),
        ends_on: Set(f.ends_on),
        motto_ru: Set(f.motto_ru.clone()),
        motto_kk: Set(f.motto_kk.clone()),
        is_current: Set(true),
        default_norm: Set(f.default_norm.0),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(unique_as("year"))?;
    let path = crate::org::republic(&txn).await?.map(|r| r.path);
    let entry = Entry {
        action: "create",
        entity: "campaign",
        entity_id: Some(created.id),
        unit_path: path.as_deref(),
        before: None,
        after: Some(serde_json::to_value(&created).unwrap_or_default()),
    };
    let who = actor.map_or(Who::Login(None, "system"), Who::User);
    audit::record(&txn, who, entry).await?;
    txn.commit().await?;
    Ok(created)
}

/// Sets a region's cash norm for a campaign: the republic coordinator, or that region's own.
pub async fn set_norm(
    db: &Db,
    actor: &Actor,
    campaign_id: CampaignId,
    region: OrgUnitId,
    norm: Tenge,
) -> Result<(), Error> {
    let campaign_id = campaign_id.0;
    if !matches!(actor.role, Role::RepublicCoordinator | Role::RegionCoordinator) {
        return Err(Error::Forbidden);
    }
    if norm.0 <= 0 {
        return Err(Invalid::one("cash_norm", ErrorCode::AmountFormat).into());
    }
    let txn = crate::write_txn(db).await?;
    let unit = crate::org::get(&txn, actor, region).await?;
    if unit.kind != "region" {
        return Err(Invalid::one("region", ErrorCode::InvalidChoice).into());
    }
    let row = campaign_norm::ActiveModel {
        campaign_id: Set(campaign_id),
        region_id: Set(region.0),
        cash_norm: Set(norm.0),
        ..Default::default()
    };
    campaign_norm::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([campaign_norm::Column::CampaignId, campaign_norm::Column::RegionId])
                .update_column(campaign_norm::Column::CashNorm)
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    let entry = Entry {
        action: "set_norm",
        entity: "campaign",
        entity_id: Some(campaign_id),
        unit_path: Some(&unit.path),
        before: None,
        after: Some(json!({ "region_id": region.0, "cash_norm": norm.0 })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(())
}

/// The cash norm of a region in a campaign (the campaign's default if the region set none).
pub async fn norm_for(db: &impl ConnectionTrait, c: &campaign::Model, region: OrgUnitId) -> Result<Tenge, DbErr> {
    let own = campaign_norm::Entity::find()
        .filter(campaign_norm::Column::CampaignId.eq(c.id))
        .filter(campaign_norm::Column::RegionId.eq(region.0))
        .one(db)
        .await?;
    Ok(Tenge(own.map_or(c.default_norm, |n| n.cash_norm)))
}

/// Sets the campaign's deadlines (the republic coordinator): days after a cash payment by which
/// its proof is due, and days a plan or pledge may wait for delivery (1 to 365 each).
pub async fn set_deadlines(
    db: &Db,
    actor: &Actor,
    campaign_id: CampaignId,
    proof_days: i32,
    pledge_days: i32,
) -> Result<campaign::Model, Error> {
    let campaign_id = campaign_id.0;
    if actor.role != Role::RepublicCoordinator {
        return Err(Error::Forbidden);
    }
    let mut bad = Vec::new();
    for (field, v) in [("proof_days", proof_days), ("pledge_days", pledge_days)] {
        if !(1..=365).contains(&v) {
            bad.push(domain::FieldError::new(field, ErrorCode::NumberRange).with_limit(365));
        }
    }
    if !bad.is_empty() {
        return Err(Error::Invalid(Invalid(bad)));
    }
    let txn = crate::write_txn(db).await?;
    let before = campaign::Entity::find_by_id(campaign_id).one(&txn).await?.ok_or(Error::NotFound)?;
    campaign::Entity::update_many()
        .col_expr(campaign::Column::ProofDays, Expr::value(proof_days))
        .col_expr(campaign::Column::PledgeDays, Expr::value(pledge_days))
        .filter(campaign::Column::Id.eq(campaign_id))
        .exec(&txn)
        .await?;
    let path = crate::org::republic(&txn).await?.map(|r| r.path);
    let entry = Entry {
        action: "set_deadlines",
        entity: "campaign",
        entity_id: Some(campaign_id),
        unit_path: path.as_deref(),
        before: Some(json!({ "proof_days": before.proof_days, "pledge_days": before.pledge_days })),
        after: Some(json!({ "proof_days": proof_days, "pledge_days": pledge_days })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    campaign::Entity::find_by_id(campaign_id).one(db).await?.ok_or(Error::NotFound)
}
