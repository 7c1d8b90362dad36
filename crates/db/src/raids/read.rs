//! Reading raids: one with its parts, a page of the list, the accounts a form may assign, and
//! the figures of a unit's raids for a period (the reports'), each from an index.

use chrono::NaiveDate;
use domain::{Actor, OrgUnitId, RaidId, Role};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect};

use super::{PAGE, page, visible};
use crate::entity::{campaign, org_unit, raid, raid_finding, raid_member, raid_participant, raid_place, user};
use crate::error::Error;
use crate::reports::Period;
use crate::scope::InScope;

/// A raid with its places, participants and members.
#[derive(Debug, Clone)]
pub struct RaidView {
    /// The raid.
    pub raid: raid::Model,
    /// The organiser.
    pub unit: org_unit::Model,
    /// Its places, in order.
    pub places: Vec<raid_place::Model>,
    /// A count per category.
    pub participants: Vec<raid_participant::Model>,
    /// The accounts assigned: id, login, full name.
    pub members: Vec<(i64, String, String)>,
}

/// A raid as its list shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RaidLine {
    /// The raid.
    pub raid: raid::Model,
    /// Its place kinds, in order.
    pub places: Vec<String>,
    /// Participants in all.
    pub participants: i64,
    /// Children found.
    pub findings: i64,
}

/// One raid as the actor may see it.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: RaidId) -> Result<RaidView, Error> {
    let r = visible(db, actor, id).await?;
    let unit = org_unit::Entity::find_by_id(r.unit_id).one(db).await?.ok_or(Error::NotFound)?;
    let places = raid_place::Entity::find()
        .filter(raid_place::Column::RaidId.eq(r.id))
        .order_by_asc(raid_place::Column::Position)
        .all(db)
        .await?;
    let participants = raid_participant::Entity::find()
        .filter(raid_participant::Column::RaidId.eq(r.id))
        .order_by_asc(raid_participant::Column::Kind)
        .all(db)
        .await?;
    let members = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Login, user::Column::FullName])
        .join(
            JoinType::InnerJoin,
            sea_orm::RelationDef::from(
                raid_member::Entity::belongs_to(user::Entity).from(raid_member::Column::UserId).to(user::Column::Id),
            )
            .rev(),
        )
        .filter(raid_member::Column::RaidId.eq(r.id))
        .order_by_asc(user::Column::Login)
        .into_tuple()
        .all(db)
        .await?;
    Ok(RaidView { raid: r, unit, places, participants, members })
}

/// A page of the actor's raids, newest first, after the last raid of the page before.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &campaign::Model,
    after: Option<(NaiveDate, i64)>,
) -> Result<(Vec<RaidLine>, Option<(NaiveDate, i64)>), Error> {
    let rows = page(db, actor, c, after).await?;
    let next = (rows.len() as u64 == PAGE).then(|| rows.last().map(|r| (r.held_on, r.id))).flatten();
    Ok((lines_of(db, rows).await?, next))
}

/// A report's raids are those held: a raid planned for a day to come is not counted yet.
pub(super) fn held(period: Period) -> Period {
    let today = domain::calendar::today();
    Period { to: Some(period.to.map_or(today, |to| Ord::min(to, today))), ..period }
}

/// Most raids a school's report lists one by one.
pub const REPORT_LINES: u64 = 100;

/// The raids under a unit's path in the campaign and period, by day (at most [`REPORT_LINES`]).
pub async fn lines_under(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    unit: &InScope<org_unit::Model>,
    period: Period,
) -> Result<Vec<RaidLine>, DbErr> {
    let mut q = Query::select();
    q.column(raid::Column::Id).from(raid::Entity);
    under(&mut q, campaign_id, &unit.path, held(period));
    let ids = q.order_by(raid::Column::HeldOn, sea_orm::Order::Asc).order_by(raid::Column::Id, sea_orm::Order::Asc);
    let ids = ids.limit(REPORT_LINES).to_owned();
    let rows = raid::Entity::find()
        .filter(raid::Column::Id.in_subquery(ids))
        .order_by_asc(raid::Column::HeldOn)
        .order_by_asc(raid::Column::Id)
        .all(db)
        .await?;
    lines_of(db, rows).await
}

/// The raids with their place kinds, participants in all and children found.
async fn lines_of(db: &impl ConnectionTrait, rows: Vec<raid::Model>) -> Result<Vec<RaidLine>, DbErr> {
    // No raids, no reads (an empty list is a condition no index serves).
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let places: Vec<(i64, String)> = raid_place::Entity::find()
        .select_only()
        .columns([raid_place::Column::RaidId, raid_place::Column::Kind])
        .filter(raid_place::Column::RaidId.is_in(ids.clone()))
        .order_by_asc(raid_place::Column::RaidId)
        .order_by_asc(raid_place::Column::Position)
        .into_tuple()
        .all(db)
        .await?;
    let people: Vec<(i64, i64)> = raid_participant::Entity::find()
        .select_only()
        .column(raid_participant::Column::RaidId)
        .expr(Expr::col(raid_participant::Column::Count).sum().cast_as(Alias::new("BIGINT")))
        .filter(raid_participant::Column::RaidId.is_in(ids.clone()))
        .group_by(raid_participant::Column::RaidId)
        .into_tuple()
        .all(db)
        .await?;
    let found: Vec<(i64, i64)> = raid_finding::Entity::find()
        .select_only()
        .column(raid_finding::Column::RaidId)
        .expr(Expr::col(raid_finding::Column::Id).count())
        .filter(raid_finding::Column::RaidId.is_in(ids))
        .group_by(raid_finding::Column::RaidId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| RaidLine {
            places: places.iter().filter(|(id, _)| *id == r.id).map(|(_, k)| k.clone()).collect(),
            participants: people.iter().find(|(id, _)| *id == r.id).map_or(0, |(_, n)| *n),
            findings: found.iter().find(|(id, _)| *id == r.id).map_or(0, |(_, n)| *n),
            raid: r,
        })
        .collect())
}

/// The raid members a coordinator may assign to a raid of `unit`: active accounts of the role at
/// the unit's region or below it, by login (at most 200).
pub async fn candidates(
    db: &impl ConnectionTrait,
    actor: &Actor,
    unit: OrgUnitId,
) -> Result<Vec<(i64, String, String)>, Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let unit = crate::org::get(db, actor, unit).await?;
    let region_path = unit.path.split('/').take(3).collect::<Vec<_>>().join("/") + "/";
    let rows = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Login, user::Column::FullName])
        .join(
            JoinType::InnerJoin,
            user::Entity::belongs_to(org_unit::Entity).from(user::Column::OrgUnitId).to(org_unit::Column::Id).into(),
        )
        .filter(user::Column::Role.eq(Role::RaidMember.as_str()))
        .filter(user::Column::Active.eq(true))
        .filter(crate::scope::starts_with(Expr::col((org_unit::Entity, org_unit::Column::Path)), &region_path))
        .order_by_asc(user::Column::Login)
        .limit(200)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows)
}

/// The raids under a unit's path in the campaign and period, as a condition on `raids` served by
/// the index of the unit's level.
pub(super) fn under(select: &mut SelectStatement, campaign_id: i64, path: &str, period: Period) {
    select.and_where(Expr::col((raid::Entity, raid::Column::CampaignId)).eq(campaign_id));
    select.cond_where(crate::scope::at_level(
        path,
        [raid::Column::RegionId, raid::Column::DistrictId, raid::Column::SchoolId],
    ));
    if let Some(from) = period.from {
        select.and_where(Expr::col((raid::Entity, raid::Column::HeldOn)).gte(from));
    }
    if let Some(to) = period.to {
        select.and_where(Expr::col((raid::Entity, raid::Column::HeldOn)).lte(to));
    }
}
