//! Raids (рейды): planned and held by a region, a district or a school, with the places they go
//! to, who goes (a count per category, and the accounts assigned), and the children they find
//! (`findings`). A coordinator sees the raids of its scope; a raid member only those it is
//! assigned to, and of their findings only what its role may see (`findings`).

use chrono::{NaiveDate, Utc};
use domain::raid::RaidFields;
use domain::{Actor, ErrorCode, FieldError, Invalid, OrgKind, OrgUnitId, RaidId, Role, UserId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{campaign, org_unit, raid, raid_member, raid_participant, raid_place, user};
use crate::error::Error;

mod conflicts;
mod findings;
mod photos;
mod read;
mod stats;

pub use conflicts::{ConflictView, conflicts, resolve};
pub use findings::{FindingView, Sent, findings, send};
pub use photos::{PHOTOS_MAX, add as add_photo, open as open_photo};
pub use read::{REPORT_LINES, RaidLine, RaidView, candidates, get, lines_under, list};
pub use stats::{METRICS, Stats, count, count_statements, stats, stats_below};

/// Raids on one page of the list.
pub const PAGE: u64 = 20;

/// Whether the actor coordinates (or audits) a scope that covers the raid.
fn covers(actor: &Actor, r: &raid::Model) -> bool {
    actor.role != Role::RaidMember && actor.role != Role::Sponsor && actor.scope.covers(&r.unit_path)
}

/// The raid `id` as the actor may see it: in a coordinator's or an auditor's scope, or among a
/// raid member's own. Another's raid is "not in scope" for a coordinator, "not found" for a member.
pub(crate) async fn visible(db: &impl ConnectionTrait, actor: &Actor, id: RaidId) -> Result<raid::Model, Error> {
    let r = raid::Entity::find_by_id(id.0).one(db).await?.ok_or(Error::NotFound)?;
    match actor.role {
        Role::Sponsor => Err(Error::NotFound),
        Role::RaidMember => {
            let member = raid_member::Entity::find_by_id((r.id, actor.user_id.0)).one(db).await?;
            member.map(|_| r).ok_or(Error::NotFound)
        }
        _ if covers(actor, &r) => Ok(r),
        _ => Err(Error::NotInScope(Box::new(crate::error::Denial {
            actor: actor.clone(),
            entity: "raid",
            id: r.id,
            target_path: r.unit_path,
        }))),
    }
}

/// The organiser: a region, a district or a school in the coordinator's scope.
async fn organiser(db: &impl ConnectionTrait, actor: &Actor, unit: OrgUnitId) -> Result<org_unit::Model, Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let unit = crate::org::get(db, actor, unit).await?;
    if !matches!(crate::org::kind_of(&unit), OrgKind::Region | OrgKind::District | OrgKind::School) {
        return Err(Invalid::one("unit_id", ErrorCode::NotASchool).into());
    }
    Ok(unit)
}

/// The accounts to assign: active raid members of the organiser's region, each checked.
async fn members_of(
    db: &impl ConnectionTrait,
    unit: &org_unit::Model,
    members: &[UserId],
) -> Result<Vec<user::Model>, Error> {
    // `/1/16/22/305/` → `/1/16/`: the region's path.
    let region_path = unit.path.split('/').take(3).collect::<Vec<_>>().join("/") + "/";
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for (i, id) in members.iter().enumerate() {
        let u = user::Entity::find_by_id(id.0).one(db).await?;
        let path = match &u {
            Some(u) => org_unit::Entity::find_by_id(u.org_unit_id).one(db).await?.map(|o| o.path),
            None => None,
        };
        match (u, path) {
            (Some(u), Some(p)) if u.active && u.role == Role::RaidMember.as_str() && p.starts_with(&region_path) => {
                if !found.iter().any(|f: &user::Model| f.id == u.id) {
                    found.push(u);
                }
            }
            _ => errors.push(FieldError::new(format!("members.{i}"), ErrorCode::NotRaidMember)),
        }
    }
    if errors.is_empty() { Ok(found) } else { Err(Invalid(errors).into()) }
}

/// Writes a raid's places, participants and members afresh.
async fn write_parts(
    txn: &impl ConnectionTrait,
    id: i64,
    f: &RaidFields,
    members: &[user::Model],
) -> Result<(), sea_orm::DbErr> {
    raid_place::Entity::delete_many().filter(raid_place::Column::RaidId.eq(id)).exec(txn).await?;
    raid_participant::Entity::delete_many().filter(raid_participant::Column::RaidId.eq(id)).exec(txn).await?;
    raid_member::Entity::delete_many().filter(raid_member::Column::RaidId.eq(id)).exec(txn).await?;
    let places = f.places.iter().enumerate().map(|(i, p)| raid_place::ActiveModel {
        raid_id: Set(id),
        position: Set(i16::try_from(i).unwrap_or(i16::MAX)),
        kind: Set(p.kind.as_str().to_owned()),
        address: Set(p.address.clone()),
    });
    raid_place::Entity::insert_many(places).exec_without_returning(txn).await?;
    if !f.participants.is_empty() {
        let rows = f.participants.iter().map(|(k, n)| raid_participant::ActiveModel {
            raid_id: Set(id),
            kind: Set(k.as_str().to_owned()),
            count: Set(*n),
        });
        raid_participant::Entity::insert_many(rows).exec_without_returning(txn).await?;
    }
    if !members.is_empty() {
        let rows = members.iter().map(|u| raid_member::ActiveModel { raid_id: Set(id), user_id: Set(u.id) });
        raid_member::Entity::insert_many(rows).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// Plans (or records) a raid of a unit in the coordinator's scope, with its members.
pub async fn create(
    db: &Db,
    actor: &Actor,
    c: &campaign::Model,
    unit: OrgUnitId,
    f: &RaidFields,
    members: &[UserId],
) -> Result<raid::Model, Error> {
    let txn = crate::write_txn(db).await?;
    let unit = organiser(&txn, actor, unit).await?;
    let members = members_of(&txn, &unit, members).await?;
    let (region_id, district_id, school_id) = crate::scope::levels(&unit.path);
    let now = Utc::now();
    let row = raid::ActiveModel {
        campaign_id: Set(c.id),
        unit_id: Set(unit.id),
        unit_path: Set(unit.path.clone()),
        region_id: Set(region_id),
        district_id: Set(district_id),
        school_id: Set(school_id),
        held_on: Set(f.date),
        starts_at: Set(f.starts_at.map(|t| t.format("%H:%M").to_string())),
        note: Set(f.note.clone()),
        created_by: Set(actor.user_id.0),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    write_parts(&txn, row.id, f, &members).await?;
    let entry = Entry {
        action: "create",
        entity: "raid",
        entity_id: Some(row.id),
        unit_path: Some(&row.unit_path),
        before: None,
        after: Some(json!({ "fields": f, "members": members.iter().map(|u| u.id).collect::<Vec<_>>() })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(row)
}

/// Changes a raid, if nobody changed it since `version` (the form's); its members afresh.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: RaidId,
    version: i32,
    f: &RaidFields,
    members: &[UserId],
) -> Result<raid::Model, Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let before = visible(&txn, actor, id).await?;
    let unit = organiser(&txn, actor, OrgUnitId(before.unit_id)).await?;
    let members = members_of(&txn, &unit, members).await?;
    let moved = raid::Entity::update_many()
        .col_expr(raid::Column::HeldOn, Expr::value(f.date))
        .col_expr(raid::Column::StartsAt, Expr::value(f.starts_at.map(|t| t.format("%H:%M").to_string())))
        .col_expr(raid::Column::Note, Expr::value(f.note.clone()))
        .col_expr(raid::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(raid::Column::Version, Expr::col(raid::Column::Version).add(1))
        .filter(raid::Column::Id.eq(before.id))
        .filter(raid::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(Invalid::one("version", ErrorCode::StaleVersion).into());
    }
    write_parts(&txn, before.id, f, &members).await?;
    let entry = Entry {
        action: "update",
        entity: "raid",
        entity_id: Some(before.id),
        unit_path: Some(&before.unit_path),
        before: Some(json!({ "held_on": before.held_on, "version": before.version })),
        after: Some(json!({ "fields": f, "members": members.iter().map(|u| u.id).collect::<Vec<_>>() })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    let after = raid::Entity::find_by_id(before.id).one(&txn).await?.ok_or(Error::NotFound)?;
    txn.commit().await?;
    Ok(after)
}

/// The scope of a raid list as SQL: a coordinator's level column (or the whole campaign), a raid
/// member's assignments.
fn scoped(actor: &Actor, c: &campaign::Model) -> Condition {
    let cond = Condition::all().add(raid::Column::CampaignId.eq(c.id));
    if actor.role == Role::RaidMember {
        let mine = sea_orm::sea_query::Query::select()
            .column(raid_member::Column::RaidId)
            .from(raid_member::Entity)
            .and_where(raid_member::Column::UserId.eq(actor.user_id.0))
            .to_owned();
        return cond.add(raid::Column::Id.in_subquery(mine));
    }
    let levels = [raid::Column::RegionId, raid::Column::DistrictId, raid::Column::SchoolId];
    cond.add(crate::scope::at_level(actor.scope.path(), levels))
}

/// The raids of the actor's list, newest first, after the cursor `(day, id)` of the page before.
pub(crate) async fn page(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &campaign::Model,
    after: Option<(NaiveDate, i64)>,
) -> Result<Vec<raid::Model>, Error> {
    if actor.role == Role::Sponsor {
        return Err(Error::Forbidden);
    }
    let mut q = raid::Entity::find().filter(scoped(actor, c));
    if let Some((day, id)) = after {
        q = q.filter(
            Condition::any()
                .add(raid::Column::HeldOn.lt(day))
                .add(Condition::all().add(raid::Column::HeldOn.eq(day)).add(raid::Column::Id.lt(id))),
        );
    }
    let rows = q.order_by_desc(raid::Column::HeldOn).order_by_desc(raid::Column::Id).limit(PAGE).all(db).await?;
    Ok(rows)
}
