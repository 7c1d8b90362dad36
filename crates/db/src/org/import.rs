//! Districts and schools imported under a unit, all or nothing; and the units the command line
//! and the benchmarks make.

use chrono::Utc;
use domain::org::OrgUnitFields;
use domain::{Actor, ErrorCode, Invalid, OrgKind, OrgUnitId};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use super::{fold, get, insert, kind_of, search_key, snapshot, unit_entry};
use crate::Db;
use crate::audit::{self, Who};
use crate::entity::org_unit::{self, Column as C, Model};
use crate::error::{Error, unique_as};

/// One row of an import of districts and schools, already checked.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// The row's number in the file (the header is row 1).
    pub row: usize,
    /// The district (Russian and Kazakh names); `None` to put the school in the target district.
    pub district: Option<(String, String)>,
    /// The school, if the row has one.
    pub school: Option<OrgUnitFields>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    /// Districts created.
    pub districts_created: usize,
    /// Schools created.
    pub schools_created: usize,
    /// Schools found by number and updated.
    pub schools_updated: usize,
}

/// Imports districts and schools under `target` (a region or a district) in one transaction:
/// districts are matched by Russian name, schools by number within their district, so a
/// re-import updates instead of duplicating. Any failure rolls back the whole file.
pub async fn import(db: &Db, actor: &Actor, target: OrgUnitId, rows: &[ImportRow]) -> Result<ImportSummary, Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let target = get(&txn, actor, target).await?;
    let target_kind = kind_of(&target);
    if !matches!(target_kind, OrgKind::Region | OrgKind::District) || !target.active {
        return Err(Invalid::one("target", ErrorCode::ImportTarget).into());
    }
    let mut summary = ImportSummary::default();
    let mut districts: std::collections::HashMap<String, Model> = std::collections::HashMap::new();
    for row in rows {
        let district = match (&row.district, target_kind) {
            (None, OrgKind::District) => target.clone(),
            (None, _) => {
                return Err(
                    Invalid(vec![domain::FieldError::new("district_ru", ErrorCode::Required).at_row(row.row)]).into()
                );
            }
            (Some(_), OrgKind::District) => target.clone(),
            (Some((ru, kk)), _) => {
                let key = fold(ru);
                if let Some(d) = districts.get(&key) {
                    d.clone()
                } else {
                    let existing = org_unit::Entity::find()
                        .filter(C::ParentId.eq(target.id))
                        .filter(C::Kind.eq("district"))
                        .all(&txn)
                        .await?
                        .into_iter()
                        .find(|d| fold(&d.name_ru) == key);
                    let d = match existing {
                        Some(d) => d,
                        None => {
                            let fields = OrgUnitFields {
                                code: None,
                                name_ru: ru.clone(),
                                name_kk: kk.clone(),
                                settlement: None,
                                is_rural: None,
                                language: None,
                            };
                            let d = insert(&txn, Some(target.id), &target.path, OrgKind::District, &fields).await?;
                            summary.districts_created += 1;
                            audit::record(&txn, Who::User(actor), unit_entry("import_create", &d, None)).await?;
                            d
                        }
                    };
                    districts.insert(key, d.clone());
                    d
                }
            }
        };
        let Some(school) = &row.school else { continue };
        let existing = org_unit::Entity::find()
            .filter(C::ParentId.eq(district.id))
            .filter(C::Code.eq(school.code.clone()))
            .one(&txn)
            .await?;
        let (action, before, after) = match existing {
            Some(before) => {
                let mut unit: org_unit::ActiveModel = before.clone().into();
                unit.name_ru = Set(school.name_ru.clone());
                unit.name_kk = Set(school.name_kk.clone());
                unit.settlement = Set(school.settlement.clone());
                unit.is_rural = Set(school.is_rural);
                unit.language = Set(school.language.map(|l| l.as_str().to_owned()));
                unit.search_key = Set(search_key(school));
                unit.updated_at = Set(Utc::now());
                summary.schools_updated += 1;
                ("import_update", Some(snapshot(&before)), unit.update(&txn).await?)
            }
            None => {
                summary.schools_created += 1;
                ("import_create", None, insert(&txn, Some(district.id), &district.path, OrgKind::School, school).await?)
            }
        };
        audit::record(&txn, Who::User(actor), unit_entry(action, &after, before)).await?;
    }
    txn.commit().await?;
    Ok(summary)
}

/// Finds the child of `parent` with this code (or, without a code, this Russian name), or
/// creates it; for the command line and the demo (logged as `system`).
pub async fn ensure_child_system(db: &Db, parent: OrgUnitId, fields: &OrgUnitFields) -> Result<Model, Error> {
    let txn = crate::write_txn(db).await?;
    let parent = org_unit::Entity::find_by_id(parent.0).one(&txn).await?.ok_or(Error::NotFound)?;
    let Some(kind) = kind_of(&parent).child() else {
        return Err(Invalid::one("parent", ErrorCode::NoChildrenHere).into());
    };
    let mut q = org_unit::Entity::find().filter(C::ParentId.eq(parent.id));
    q = match &fields.code {
        Some(code) => q.filter(C::Code.eq(code.clone())),
        None => q.filter(C::NameRu.eq(fields.name_ru.clone())),
    };
    if let Some(found) = q.one(&txn).await? {
        return Ok(found);
    }
    let unit = insert(&txn, Some(parent.id), &parent.path, kind, fields).await.map_err(unique_as("code"))?;
    let entry = unit_entry("create", &unit, None);
    audit::record(&txn, Who::Login(None, "system"), entry).await?;
    txn.commit().await?;
    Ok(unit)
}
