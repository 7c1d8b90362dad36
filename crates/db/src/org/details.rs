//! What an org unit fills in once for its papers and its sponsors (`unit_details`).

use chrono::Utc;
use domain::details::Details;
use domain::{Actor, OrgUnitId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::unit_details::{self, Column as C, Model};
use crate::error::Error;

/// A unit's details (blank ones when it has filled in nothing); the unit must be in scope.
pub async fn details(db: &impl ConnectionTrait, actor: &Actor, id: OrgUnitId) -> Result<Model, Error> {
    super::get(db, actor, id).await?;
    Ok(stored(db, id.0).await?.unwrap_or(Model { unit_id: id.0, ..Default::default() }))
}

/// A unit's details as stored, for papers whose unit was checked already.
pub(crate) async fn stored(db: &impl ConnectionTrait, id: i64) -> Result<Option<Model>, sea_orm::DbErr> {
    unit_details::Entity::find_by_id(id).one(db).await
}

/// Saves a unit's details (a coordinator of the unit or above it); logged with what was there.
pub async fn save_details(db: &Db, actor: &Actor, id: OrgUnitId, d: &Details) -> Result<Model, Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let unit = super::get(&txn, actor, id).await?;
    let before = stored(&txn, unit.id).await?;
    let row = unit_details::ActiveModel {
        unit_id: Set(unit.id),
        address: Set(d.address.clone()),
        coordinator: Set(d.coordinator.clone()),
        phone: Set(d.phone.clone()),
        director: Set(d.director.clone()),
        addressee: Set(d.addressee.clone()),
        updated_at: Set(Utc::now()),
    };
    let columns = [C::Address, C::Coordinator, C::Phone, C::Director, C::Addressee, C::UpdatedAt];
    unit_details::Entity::insert(row)
        .on_conflict(OnConflict::column(C::UnitId).update_columns(columns).to_owned())
        .exec_without_returning(&txn)
        .await?;
    let after = stored(&txn, unit.id).await?.unwrap_or_default();
    let entry = Entry {
        action: "update",
        entity: "unit_details",
        entity_id: Some(unit.id),
        unit_path: Some(&unit.path),
        before: before.map(|b| json!(b)),
        after: Some(json!(after)),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(after)
}
