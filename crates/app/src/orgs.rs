//! The org hierarchy: republic → regions → districts → schools, read and changed within the
//! actor's scope.

use domain::org::{OrgUnitFields, OrgUnitInput};
use domain::{Actor, ErrorCode, Invalid, OrgKind, OrgUnitId};

use crate::entity::org_unit::Model;
use crate::{Core, Error};

pub use db::org::{ImportRow, ImportSummary, ListFilter, fold, kind_of};

/// A unit in the actor's scope, for the roles that see the hierarchy.
pub async fn view(core: &Core, actor: &Actor, id: OrgUnitId) -> Result<Model, Error> {
    if !actor.role.can_view_orgs() {
        return Err(Error::Forbidden);
    }
    get(core, actor, id).await
}

/// A unit in the actor's scope.
pub async fn get(core: &Core, actor: &Actor, id: OrgUnitId) -> Result<Model, Error> {
    Ok(db::org::get(&core.db, actor, id).await?)
}

/// Units in the actor's scope matching the filter, at most `limit`.
pub async fn list(core: &Core, actor: &Actor, filter: &ListFilter, limit: u64) -> Result<Vec<Model>, Error> {
    Ok(db::org::list(&core.db, actor, filter, limit).await?)
}

/// The schools in the actor's scope (for a school picker and for naming a row's school).
pub async fn schools(core: &Core, actor: &Actor) -> Result<Vec<Model>, Error> {
    let filter = ListFilter { kind: Some(OrgKind::School), ..Default::default() };
    list(core, actor, &filter, 10_000).await
}

/// The units of these ids in the actor's scope (to name the rows of a page).
pub async fn named(core: &Core, actor: &Actor, ids: Vec<i64>) -> Result<Vec<Model>, Error> {
    Ok(db::org::named(&core.db, actor, ids).await?)
}

/// The units above `unit` that the actor may see, from the top of the scope down.
pub async fn ancestors(core: &Core, actor: &Actor, unit: &Model) -> Result<Vec<Model>, Error> {
    Ok(db::org::ancestors(&core.db, actor, unit).await?)
}

/// Adds a unit as typed (a form or an API call) under `parent` in the actor's scope: a district
/// under a region, a school under a district.
pub async fn add(core: &Core, actor: &Actor, parent: OrgUnitId, input: &OrgUnitInput) -> Result<Model, Error> {
    let above = get(core, actor, parent).await?;
    let kind = kind_of(&above).child().ok_or_else(|| Invalid::one("parent_id", ErrorCode::NoChildrenHere))?;
    create(core, actor, parent, &input.parse(kind)?).await
}

/// Changes a unit in the actor's scope as typed (a form or an API call). A region's code
/// (ISO 3166-2) cannot change: a different one is refused with `fixed_code`.
pub async fn change(core: &Core, actor: &Actor, id: OrgUnitId, input: &OrgUnitInput) -> Result<Model, Error> {
    let unit = get(core, actor, id).await?;
    update(core, actor, id, &input.parse(kind_of(&unit))?).await
}

/// Whether a unit of this kind keeps its code (the republic and the regions): the form does not
/// offer the field.
pub fn code_fixed(kind: OrgKind) -> bool {
    matches!(kind, OrgKind::Region | OrgKind::Republic)
}

/// Creates a unit under `parent`.
pub async fn create(core: &Core, actor: &Actor, parent: OrgUnitId, fields: &OrgUnitFields) -> Result<Model, Error> {
    Ok(db::org::create(&core.db, actor, parent, fields).await?)
}

/// Changes a unit.
pub async fn update(core: &Core, actor: &Actor, id: OrgUnitId, fields: &OrgUnitFields) -> Result<Model, Error> {
    Ok(db::org::update(&core.db, actor, id, fields).await?)
}

/// Activates or deactivates a unit.
pub async fn set_active(core: &Core, actor: &Actor, id: OrgUnitId, active: bool) -> Result<Model, Error> {
    Ok(db::org::set_active(&core.db, actor, id, active).await?)
}

/// Writes checked import rows under `target`, all or nothing.
pub async fn import(core: &Core, actor: &Actor, target: OrgUnitId, rows: &[ImportRow]) -> Result<ImportSummary, Error> {
    Ok(db::org::import(&core.db, actor, target, rows).await?)
}

/// The republic's unit.
pub async fn republic(core: &Core) -> Result<Option<Model>, Error> {
    Ok(db::org::republic(&core.db).await?)
}

/// The active regions, by code (public: the sponsor self-registration form).
pub async fn regions(core: &Core) -> Result<Vec<Model>, Error> {
    Ok(db::org::regions(&core.db).await?)
}

/// What a unit filled in once for its papers and sponsors (blank when nothing yet).
pub async fn details(core: &Core, actor: &Actor, id: OrgUnitId) -> Result<crate::entity::unit_details::Model, Error> {
    Ok(db::org::details(&core.db, actor, id).await?)
}

/// Checks and saves a unit's details (a coordinator of the unit or above it).
pub async fn save_details(
    core: &Core,
    actor: &Actor,
    id: OrgUnitId,
    input: &domain::details::DetailsInput,
) -> Result<crate::entity::unit_details::Model, Error> {
    let details = input.parse()?;
    Ok(db::org::save_details(&core.db, actor, id, &details).await?)
}

/// The active units right below `parent`, by name (public).
pub async fn public_children(core: &Core, parent: i64) -> Result<Vec<Model>, Error> {
    Ok(db::org::public_children(&core.db, parent).await?)
}

/// The active unit `id` (public).
pub async fn public_unit(core: &Core, id: i64) -> Result<Option<Model>, Error> {
    Ok(db::org::public_unit(&core.db, id).await?)
}

/// A unit's contacts for the public (in scope).
pub async fn contacts(core: &Core, actor: &Actor, id: OrgUnitId) -> Result<crate::entity::unit_contact::Model, Error> {
    Ok(db::org::contacts(&core.db, actor, id).await?)
}

/// Saves a unit's contacts as typed.
pub async fn save_contacts(
    core: &Core,
    actor: &Actor,
    id: OrgUnitId,
    input: &domain::details::ContactsInput,
) -> Result<crate::entity::unit_contact::Model, Error> {
    let c = input.parse()?;
    Ok(db::org::save_contacts(&core.db, actor, id, &c).await?)
}

/// The contacts of these units that have any (public).
pub async fn public_contacts(core: &Core, ids: &[i64]) -> Result<Vec<crate::entity::unit_contact::Model>, Error> {
    Ok(db::org::public_contacts(&core.db, ids).await?)
}
