//! The children a raid finds. Each finding is keyed by the id the phone made for it, so a retry
//! of a request whose answer was lost is the same finding, never a second; a change made on a
//! phone names the version it was made on, and a change to a finding someone changed meanwhile
//! is kept as a conflict for a coordinator (`conflicts`), never written over the other.
//!
//! A finding with an IIN is linked to the registry by that IIN (an exact match in the campaign,
//! joined when read, never copied). A raid member sees what it wrote itself in full; of its
//! colleagues' findings only what is not personal (sex, age, place, time, action), and of the
//! registry only whether the child is on it: never the school, never the categories.

use chrono::{NaiveDate, Utc};
use domain::raid::{FindingFields, FindingInput};
use domain::{Actor, ErrorCode, Invalid, RaidId, Role};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use super::{covers, visible};
use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{child, raid, raid_finding, sync_conflict};
use crate::error::{Error, is_unique_violation};

/// Most findings a raid's page lists.
pub const FINDINGS_SHOWN: u64 = 500;

/// A finding as the actor may see it.
#[derive(Debug, Clone)]
pub struct FindingView {
    /// The finding; the IIN, name and circumstances blank where the actor may not see them.
    pub finding: raid_finding::Model,
    /// Whether the actor wrote it.
    pub mine: bool,
    /// Whether its IIN is on the registry of the campaign.
    pub registered: bool,
    /// The child's record, when the actor's scope covers it.
    pub child_id: Option<i64>,
    /// Its photos the actor may see (filled in a raid's list).
    pub photos: Vec<i64>,
}

/// What became of a finding sent from a phone or a form.
#[derive(Debug, Clone)]
pub enum Sent {
    /// A new finding.
    Created(FindingView),
    /// A retry of what the server holds already: nothing changed.
    Same(FindingView),
    /// A change to the version it was made on.
    Updated(FindingView),
    /// A change to a finding changed meanwhile: kept for a coordinator, the server's as it is.
    Conflict {
        /// The conflict (resolved already when the same change was decided before).
        conflict: sync_conflict::Model,
        /// The finding as the server holds it.
        server: FindingView,
    },
}

/// What a finding says, to tell a retry from a change.
fn same(f: &raid_finding::Model, n: &FindingFields) -> bool {
    f.iin.as_deref() == n.iin.as_ref().map(|i| i.as_str())
        && f.name == n.name
        && f.sex == n.sex.as_str()
        && f.age == n.age
        && f.place == n.place.as_str()
        && f.address == n.address
        && f.found_at == n.found_at.map(|t| t.format("%H:%M").to_string())
        && f.circumstances == n.circumstances
        && f.action == n.action.as_str()
}

/// Whether the actor sees a finding's personal part (name, IIN, circumstances, photos): its
/// author, or one who reads personal data (the raid being visible to the actor already).
pub(super) fn sees_personal(actor: &Actor, f: &raid_finding::Model) -> bool {
    f.created_by == actor.user_id.0 || actor.role.can_read_personal_data()
}

/// Whether the actor may change a finding or add to it: its author, or a coordinator over the raid.
pub(super) fn may_change(actor: &Actor, r: &raid::Model, f: &raid_finding::Model) -> bool {
    f.created_by == actor.user_id.0 || (actor.role.is_coordinator() && covers(actor, r))
}

/// A finding as `actor` may see it, with its registry link.
pub(super) async fn view(
    db: &impl ConnectionTrait,
    actor: &Actor,
    mut f: raid_finding::Model,
) -> Result<FindingView, Error> {
    let record = match &f.iin {
        Some(iin) => {
            child::Entity::find()
                .select_only()
                .columns([child::Column::Id, child::Column::UnitPath])
                .filter(child::Column::CampaignId.eq(f.campaign_id))
                .filter(child::Column::Iin.eq(iin.as_str()))
                .into_tuple::<(i64, String)>()
                .one(db)
                .await?
        }
        None => None,
    };
    let mine = f.created_by == actor.user_id.0;
    if !sees_personal(actor, &f) {
        f.iin = None;
        f.name = None;
        f.circumstances = None;
    }
    let child_id = record
        .as_ref()
        .filter(|(_, path)| actor.role.can_read_personal_data() && actor.scope.covers(path))
        .map(|(id, _)| *id);
    Ok(FindingView { finding: f, mine, registered: record.is_some(), child_id, photos: Vec::new() })
}

/// Records a child a raid found, or a change to one (`base_version`: the version the change was
/// made on), from a raid member assigned to the raid or a coordinator over it.
pub async fn send(
    db: &Db,
    actor: &Actor,
    raid_id: RaidId,
    input: &FindingInput,
    base_version: Option<i32>,
    today: NaiveDate,
) -> Result<Sent, Error> {
    if !actor.role.is_coordinator() && actor.role != Role::RaidMember {
        return Err(Error::Forbidden);
    }
    // Two phones racing with the same id: the second insert meets the first's key and is then
    // answered as the retry it is.
    for _ in 0..2 {
        let txn = crate::write_txn(db).await?;
        let r = visible(&txn, actor, raid_id).await?;
        let fields = input.parse(r.held_on, today)?;
        let existing =
            raid_finding::Entity::find().filter(raid_finding::Column::ClientId.eq(&fields.client_id)).one(&txn).await?;
        let sent = match existing {
            None => match insert(&txn, actor, &r, &fields).await {
                Ok(f) => Sent::Created(view(&txn, actor, f).await?),
                Err(Error::Db(e)) if is_unique_violation(&e) => {
                    txn.rollback().await?;
                    continue;
                }
                Err(e) => return Err(e),
            },
            Some(f) => change(&txn, actor, &r, f, (&fields, input), base_version).await?,
        };
        txn.commit().await?;
        return Ok(sent);
    }
    Err(Invalid::one("client_id", ErrorCode::ClientIdTaken).into())
}

async fn insert(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    r: &raid::Model,
    n: &FindingFields,
) -> Result<raid_finding::Model, Error> {
    let now = Utc::now();
    let row = raid_finding::ActiveModel {
        raid_id: Set(r.id),
        campaign_id: Set(r.campaign_id),
        unit_path: Set(r.unit_path.clone()),
        client_id: Set(n.client_id.clone()),
        iin: Set(n.iin.as_ref().map(|i| i.as_str().to_owned())),
        name: Set(n.name.clone()),
        sex: Set(n.sex.as_str().to_owned()),
        age: Set(n.age),
        place: Set(n.place.as_str().to_owned()),
        address: Set(n.address.clone()),
        found_at: Set(n.found_at.map(|t| t.format("%H:%M").to_string())),
        circumstances: Set(n.circumstances.clone()),
        action: Set(n.action.as_str().to_owned()),
        created_by: Set(actor.user_id.0),
        created_at: Set(now),
        updated_by: Set(actor.user_id.0),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(Error::Db)?;
    let entry = Entry {
        action: "create",
        entity: "raid_finding",
        entity_id: Some(row.id),
        unit_path: Some(&row.unit_path),
        before: None,
        after: Some(json!({ "raid_id": r.id, "client_id": row.client_id, "place": row.place, "action": row.action })),
    };
    audit::record(txn, Who::User(actor), entry).await?;
    Ok(row)
}

/// A finding sent again: the same (a retry), a change on the version it was made on, or a
/// conflict with a change made meanwhile.
async fn change(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    r: &raid::Model,
    f: raid_finding::Model,
    (n, input): (&FindingFields, &FindingInput),
    base_version: Option<i32>,
) -> Result<Sent, Error> {
    if f.raid_id != r.id || !may_change(actor, r, &f) {
        return Err(Invalid::one("client_id", ErrorCode::ClientIdTaken).into());
    }
    if same(&f, n) {
        return Ok(Sent::Same(view(txn, actor, f).await?));
    }
    // A phone that never heard back about its first send changes the version it made.
    let base = base_version.unwrap_or(1);
    if f.version == base
        && let Some(after) = update_to(txn, actor, &f, n).await?
    {
        return Ok(Sent::Updated(view(txn, actor, after).await?));
    }
    let conflict = keep_conflict(txn, actor, &f, input, base).await?;
    Ok(Sent::Conflict { conflict, server: view(txn, actor, f).await? })
}

/// Writes `n` over the finding if it is still at the version read (`f`); none if it moved on.
pub(super) async fn update_to(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    f: &raid_finding::Model,
    n: &FindingFields,
) -> Result<Option<raid_finding::Model>, Error> {
    let moved = raid_finding::Entity::update_many()
        .col_expr(raid_finding::Column::Iin, Expr::value(n.iin.as_ref().map(|i| i.as_str().to_owned())))
        .col_expr(raid_finding::Column::Name, Expr::value(n.name.clone()))
        .col_expr(raid_finding::Column::Sex, Expr::value(n.sex.as_str()))
        .col_expr(raid_finding::Column::Age, Expr::value(n.age))
        .col_expr(raid_finding::Column::Place, Expr::value(n.place.as_str()))
        .col_expr(raid_finding::Column::Address, Expr::value(n.address.clone()))
        .col_expr(raid_finding::Column::FoundAt, Expr::value(n.found_at.map(|t| t.format("%H:%M").to_string())))
        .col_expr(raid_finding::Column::Circumstances, Expr::value(n.circumstances.clone()))
        .col_expr(raid_finding::Column::Action, Expr::value(n.action.as_str()))
        .col_expr(raid_finding::Column::UpdatedBy, Expr::value(actor.user_id.0))
        .col_expr(raid_finding::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(raid_finding::Column::Version, Expr::col(raid_finding::Column::Version).add(1))
        .filter(raid_finding::Column::Id.eq(f.id))
        .filter(raid_finding::Column::Version.eq(f.version))
        .exec(txn)
        .await?;
    if moved.rows_affected != 1 {
        return Ok(None);
    }
    let after = raid_finding::Entity::find_by_id(f.id).one(txn).await?.ok_or(Error::NotFound)?;
    let entry = Entry {
        action: "update",
        entity: "raid_finding",
        entity_id: Some(f.id),
        unit_path: Some(&f.unit_path),
        before: Some(json!({ "version": f.version, "place": f.place, "action": f.action })),
        after: Some(json!({ "version": after.version, "place": after.place, "action": after.action })),
    };
    audit::record(txn, Who::User(actor), entry).await?;
    Ok(Some(after))
}

/// Keeps an offline change to a finding changed meanwhile; the same change sent again replaces
/// its proposal while it waits (never one that a coordinator has decided).
async fn keep_conflict(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    f: &raid_finding::Model,
    input: &FindingInput,
    base: i32,
) -> Result<sync_conflict::Model, Error> {
    let record = crate::sync_conflicts::Record {
        kind: "finding",
        entity: "raid_finding",
        id: f.id,
        unit_path: &f.unit_path,
        version: f.version,
    };
    crate::sync_conflicts::keep(txn, actor, record, base, json!(input).to_string()).await
}

/// A raid's findings as the actor may see them, in the order they came (at most
/// [`FINDINGS_SHOWN`]); a read that shows personal data is in the audit log.
pub async fn findings(db: &impl ConnectionTrait, actor: &Actor, raid_id: RaidId) -> Result<Vec<FindingView>, Error> {
    let r = visible(db, actor, raid_id).await?;
    let rows = raid_finding::Entity::find()
        .filter(raid_finding::Column::RaidId.eq(r.id))
        .order_by_asc(raid_finding::Column::Id)
        .limit(FINDINGS_SHOWN)
        .all(db)
        .await?;
    let photos = super::photos::of_findings(db, actor, &rows).await?;
    let mut shown = Vec::with_capacity(rows.len());
    for f in rows {
        let mut v = view(db, actor, f).await?;
        v.photos = photos.iter().filter(|(of, _)| *of == v.finding.id).map(|(_, id)| *id).collect();
        shown.push(v);
    }
    let personal = shown.iter().filter(|v| v.finding.iin.is_some() || v.finding.name.is_some()).count();
    if personal > 0 {
        let entry = Entry {
            action: "read_personal",
            entity: "raid",
            entity_id: Some(r.id),
            unit_path: Some(&r.unit_path),
            before: None,
            after: Some(json!({ "findings": personal })),
        };
        audit::record(db, Who::User(actor), entry).await?;
    }
    Ok(shown)
}
