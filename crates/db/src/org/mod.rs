//! The org hierarchy, always read and written through the actor's scope.

mod contacts;
mod details;
mod import;

use chrono::Utc;
use domain::org::{OrgUnitFields, REGIONS};
use domain::scope::child_path;
use domain::{Actor, ErrorCode, Invalid, OrgKind, OrgUnitId};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::org_unit::{self, Column as C, Model};
use crate::error::{Error, unique_as};

pub use contacts::{contacts, public_contacts, save_contacts};
pub use details::{details, save_details};
pub use import::{ImportRow, ImportSummary, ensure_child_system, import};

pub use domain::format::fold;

fn search_key(f: &OrgUnitFields) -> String {
    let parts = [f.code.as_deref().unwrap_or(""), &f.name_ru, &f.name_kk, f.settlement.as_deref().unwrap_or("")];
    let mut key = fold(&parts.join(" "));
    key.truncate(key.char_indices().nth(690).map_or(key.len(), |(i, _)| i));
    key
}

/// The kind of a stored unit (`republic` if the stored value were ever unknown).
pub fn kind_of(unit: &Model) -> OrgKind {
    OrgKind::parse(&unit.kind).unwrap_or(OrgKind::Republic)
}

/// Makes sure the republic and the 20 regions exist; safe to run on every start.
pub async fn seed_regions(db: &Db) -> Result<(), DbErr> {
    let txn = crate::write_txn(db).await?;
    let republic = match org_unit::Entity::find().filter(C::Kind.eq("republic")).one(&txn).await? {
        Some(r) => r,
        None => {
            let fields = OrgUnitFields {
                code: Some("KZ".into()),
                name_ru: "Республика Казахстан".into(),
                name_kk: "Қазақстан Республикасы".into(),
                settlement: None,
                is_rural: None,
                language: None,
            };
            insert(&txn, None, "/", OrgKind::Republic, &fields).await?
        }
    };
    for (code, ru, kk) in REGIONS {
        let exists =
            org_unit::Entity::find().filter(C::ParentId.eq(republic.id)).filter(C::Code.eq(code)).count(&txn).await?
                > 0;
        if !exists {
            let fields = OrgUnitFields {
                code: Some(code.into()),
                name_ru: ru.into(),
                name_kk: kk.into(),
                settlement: None,
                is_rural: None,
                language: None,
            };
            insert(&txn, Some(republic.id), &republic.path, OrgKind::Region, &fields).await?;
        }
    }
    txn.commit().await
}

async fn insert(
    conn: &impl ConnectionTrait,
    parent: Option<i64>,
    parent_path: &str,
    kind: OrgKind,
    f: &OrgUnitFields,
) -> Result<Model, DbErr> {
    let now = Utc::now();
    let unit = org_unit::ActiveModel {
        kind: Set(kind.as_str().to_owned()),
        parent_id: Set(parent),
        path: Set(String::new()),
        code: Set(f.code.clone()),
        name_ru: Set(f.name_ru.clone()),
        name_kk: Set(f.name_kk.clone()),
        settlement: Set(f.settlement.clone()),
        is_rural: Set(f.is_rural),
        language: Set(f.language.map(|l| l.as_str().to_owned())),
        search_key: Set(search_key(f)),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let path = if parent.is_none() { format!("/{}/", unit.id) } else { child_path(parent_path, OrgUnitId(unit.id)) };
    let mut active: org_unit::ActiveModel = unit.into();
    active.path = Set(path);
    active.update(conn).await
}

/// The unit `id` if it lies in the actor's scope; an attempt on a unit outside it is refused
/// with [`Error::NotInScope`].
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: OrgUnitId) -> Result<Model, Error> {
    let found = org_unit::Entity::find_by_id(id.0)
        .filter(crate::scope::starts_with(sea_orm::sea_query::Expr::col(C::Path), actor.scope.path()))
        .one(db)
        .await?;
    match found {
        Some(unit) => Ok(unit),
        None => Err(deny(db, actor, "org_unit", id.0).await),
    }
}

/// Tells "outside your scope" from "no such record".
pub(crate) async fn deny(db: &impl ConnectionTrait, actor: &Actor, entity: &'static str, id: i64) -> Error {
    let path = match entity {
        "org_unit" => org_unit::Entity::find_by_id(id).one(db).await.map(|u| u.map(|u| u.path)),
        "child" => crate::entity::child::Entity::find_by_id(id).one(db).await.map(|c| c.map(|c| c.unit_path)),
        _ => crate::users::unit_path_of(db, id).await,
    };
    match path {
        Ok(Some(target_path)) => {
            Error::NotInScope(Box::new(crate::error::Denial { actor: actor.clone(), entity, id, target_path }))
        }
        Ok(None) => Error::NotFound,
        Err(e) => Error::Db(e),
    }
}

/// Filters for a list of units.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only direct children of this unit.
    pub parent: Option<OrgUnitId>,
    /// Only units of this kind.
    pub kind: Option<OrgKind>,
    /// Text in the code, names or settlement (any case, Kazakh letters too).
    pub q: Option<String>,
    /// Include deactivated units.
    pub include_inactive: bool,
}

/// Units in the actor's scope matching the filter, sorted by kind, code and Russian name.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &ListFilter,
    limit: u64,
) -> Result<Vec<Model>, Error> {
    if !actor.role.can_view_orgs() {
        return Err(Error::Forbidden);
    }
    let mut q = org_unit::Entity::find()
        .filter(crate::scope::starts_with(sea_orm::sea_query::Expr::col(C::Path), actor.scope.path()));
    if let Some(parent) = filter.parent {
        q = q.filter(C::ParentId.eq(parent.0));
    }
    if let Some(kind) = filter.kind {
        q = q.filter(C::Kind.eq(kind.as_str()));
    }
    if let Some(text) = filter.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let escaped = fold(text).replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        q = q.filter(
            sea_orm::sea_query::Expr::col(C::SearchKey)
                .like(sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')),
        );
    }
    if !filter.include_inactive {
        q = q.filter(C::Active.eq(true));
    }
    Ok(q.order_by_asc(C::Kind).order_by_asc(C::Code).order_by_asc(C::NameRu).limit(limit).all(db).await?)
}

/// The units of these ids that lie in the actor's scope (to name the rows of a page).
pub async fn named(db: &impl ConnectionTrait, actor: &Actor, ids: Vec<i64>) -> Result<Vec<Model>, Error> {
    Ok(org_unit::Entity::find()
        .filter(C::Id.is_in(ids))
        .filter(crate::scope::starts_with(sea_orm::sea_query::Expr::col(C::Path), actor.scope.path()))
        .all(db)
        .await?)
}

/// The chain of units from the top of the actor's scope down to `unit` (for breadcrumbs).
pub async fn ancestors(db: &impl ConnectionTrait, actor: &Actor, unit: &Model) -> Result<Vec<Model>, Error> {
    let ids: Vec<i64> = unit.path.split('/').filter_map(|p| p.parse().ok()).collect();
    let mut units = org_unit::Entity::find()
        .filter(C::Id.is_in(ids))
        .filter(crate::scope::starts_with(sea_orm::sea_query::Expr::col(C::Path), actor.scope.path()))
        .all(db)
        .await?;
    units.sort_by_key(|u| u.path.len());
    Ok(units)
}

fn snapshot(u: &Model) -> serde_json::Value {
    serde_json::to_value(u).unwrap_or_default()
}

/// The audit entry of a write to a unit: what it was (if anything) and what it is now.
fn unit_entry<'a>(action: &'a str, unit: &'a Model, before: Option<serde_json::Value>) -> Entry<'a> {
    Entry {
        action,
        entity: "org_unit",
        entity_id: Some(unit.id),
        unit_path: Some(&unit.path),
        before,
        after: Some(snapshot(unit)),
    }
}

/// Creates a unit under `parent` (which must be in the actor's scope and active).
pub async fn create(db: &Db, actor: &Actor, parent: OrgUnitId, fields: &OrgUnitFields) -> Result<Model, Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let parent = get(&txn, actor, parent).await?;
    let Some(kind) = kind_of(&parent).child() else {
        return Err(Invalid::one("parent", ErrorCode::NoChildrenHere).into());
    };
    if !parent.active {
        return Err(Invalid::one("parent", ErrorCode::Inactive).into());
    }
    let unit = insert(&txn, Some(parent.id), &parent.path, kind, fields).await.map_err(unique_as("code"))?;
    let entry = unit_entry("create", &unit, None);
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(unit)
}

/// Changes a unit's fields (the unit must be in the actor's scope).
pub async fn update(db: &Db, actor: &Actor, id: OrgUnitId, fields: &OrgUnitFields) -> Result<Model, Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let before = get(&txn, actor, id).await?;
    if kind_of(&before) == OrgKind::Region && fields.code != before.code {
        return Err(Invalid::one("code", ErrorCode::FixedCode).into());
    }
    let mut unit: org_unit::ActiveModel = before.clone().into();
    unit.code = Set(fields.code.clone());
    unit.name_ru = Set(fields.name_ru.clone());
    unit.name_kk = Set(fields.name_kk.clone());
    unit.settlement = Set(fields.settlement.clone());
    unit.is_rural = Set(fields.is_rural);
    unit.language = Set(fields.language.map(|l| l.as_str().to_owned()));
    unit.search_key = Set(search_key(fields));
    unit.updated_at = Set(Utc::now());
    let after = unit.update(&txn).await.map_err(unique_as("code"))?;
    let entry = unit_entry("update", &after, Some(snapshot(&before)));
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// Deactivates or reactivates a unit strictly below the actor's own. A unit with active units
/// below it cannot be deactivated.
pub async fn set_active(db: &Db, actor: &Actor, id: OrgUnitId, active: bool) -> Result<Model, Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let before = get(&txn, actor, id).await?;
    if !actor.scope.strictly_covers(&before.path) {
        return Err(Error::Forbidden);
    }
    if !active {
        let live_children =
            org_unit::Entity::find().filter(C::ParentId.eq(before.id)).filter(C::Active.eq(true)).count(&txn).await?;
        if live_children > 0 {
            return Err(Invalid::one("active", ErrorCode::HasActiveChildren).into());
        }
    }
    let mut unit: org_unit::ActiveModel = before.clone().into();
    unit.active = Set(active);
    unit.updated_at = Set(Utc::now());
    let after = unit.update(&txn).await?;
    let entry = Entry {
        action: if active { "activate" } else { "deactivate" },
        entity: "org_unit",
        entity_id: Some(after.id),
        unit_path: Some(&after.path),
        before: Some(json!({ "active": before.active })),
        after: Some(json!({ "active": after.active })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// A unit in the actor's scope, vouched for: what functions over a unit's campaign data take.
pub async fn scoped(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: OrgUnitId,
) -> Result<crate::scope::InScope<Model>, Error> {
    Ok(crate::scope::InScope::vouched(get(db, actor, id).await?))
}

/// The republic's unit and the region with ISO code `code`.
pub async fn region_by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<Model>, DbErr> {
    org_unit::Entity::find().filter(C::Kind.eq("region")).filter(C::Code.eq(code)).one(db).await
}

/// The republic's unit.
pub async fn republic(db: &impl ConnectionTrait) -> Result<Option<Model>, DbErr> {
    org_unit::Entity::find().filter(C::Kind.eq("republic")).one(db).await
}

/// The active regions, by code (public: the sponsor self-registration form).
pub async fn regions(db: &impl ConnectionTrait) -> Result<Vec<Model>, DbErr> {
    org_unit::Entity::find().filter(C::Kind.eq("region")).filter(C::Active.eq(true)).order_by_asc(C::Code).all(db).await
}

/// The region with this id (public: the transparency page), none for any other kind of unit.
pub async fn region_by_id(db: &impl ConnectionTrait, id: i64) -> Result<Option<Model>, DbErr> {
    org_unit::Entity::find_by_id(id).filter(C::Kind.eq("region")).one(db).await
}

/// Most units below one parent a public form lists (a district has a few hundred schools).
pub const PUBLIC_CHILDREN_MAX: u64 = 500;

/// The active units right below `parent`, by name (public: the appeal and survey forms list a
/// region's districts and a district's schools; units' names are no secret).
pub async fn public_children(db: &impl ConnectionTrait, parent: i64) -> Result<Vec<Model>, DbErr> {
    let q = org_unit::Entity::find().filter(C::ParentId.eq(parent)).filter(C::Active.eq(true));
    q.order_by_asc(C::NameRu).limit(PUBLIC_CHILDREN_MAX).all(db).await
}

/// The active unit `id` (public, as [`public_children`]).
pub async fn public_unit(db: &impl ConnectionTrait, id: i64) -> Result<Option<Model>, DbErr> {
    org_unit::Entity::find_by_id(id).filter(C::Active.eq(true)).one(db).await
}
