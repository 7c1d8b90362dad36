//! Where the public reaches a unit (`unit_contacts`): its hotline, trust phone, reception and
//! e-mail, set by the unit's coordinators (or those above), shown on the public front page.

use chrono::Utc;
use domain::details::Contacts;
use domain::{Actor, OrgUnitId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::unit_contact::{self, Column as C, Model};
use crate::error::Error;

/// A unit's contacts (blank when none are set); the unit must be in scope.
pub async fn contacts(db: &impl ConnectionTrait, actor: &Actor, id: OrgUnitId) -> Result<Model, Error> {
    super::get(db, actor, id).await?;
    Ok(unit_contact::Entity::find_by_id(id.0).one(db).await?.unwrap_or(Model { unit_id: id.0, ..Default::default() }))
}

/// The contacts of these units (public: the front page), those that have any.
pub async fn public_contacts(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<Model>, sea_orm::DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    unit_contact::Entity::find().filter(C::UnitId.is_in(ids.to_vec())).all(db).await
}

/// Saves a unit's contacts (a coordinator of the unit or above it); logged with what was there.
pub async fn save_contacts(db: &Db, actor: &Actor, id: OrgUnitId, c: &Contacts) -> Result<Model, Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let unit = super::get(&txn, actor, id).await?;
    let before = unit_contact::Entity::find_by_id(unit.id).one(&txn).await?;
    let row = unit_contact::ActiveModel {
        unit_id: Set(unit.id),
        hotline: Set(c.hotline.clone()),
        trust_phone: Set(c.trust_phone.clone()),
        reception: Set(c.reception.clone()),
        email: Set(c.email.clone()),
        updated_by: Set(Some(actor.user_id.0)),
        updated_at: Set(Utc::now()),
    };
    let columns = [C::Hotline, C::TrustPhone, C::Reception, C::Email, C::UpdatedBy, C::UpdatedAt];
    unit_contact::Entity::insert(row)
        .on_conflict(OnConflict::column(C::UnitId).update_columns(columns).to_owned())
        .exec_without_returning(&txn)
        .await?;
    let after = unit_contact::Entity::find_by_id(unit.id).one(&txn).await?.unwrap_or_default();
    let entry = Entry {
        action: "update",
        entity: "unit_contacts",
        entity_id: Some(unit.id),
        unit_path: Some(&unit.path),
        before: before.map(|b| json!(b)),
        after: Some(json!(after)),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(after)
}
