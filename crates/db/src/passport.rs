//! The social passport: computed from the registry for one unit and each unit below it.

use std::collections::BTreeMap;

use domain::{Actor, CampaignId, OrgUnitId};
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationDef, Statement};
use serde::Serialize;

use crate::entity::{child, child_category, org_unit};
use crate::error::Error;

/// The social passport of one unit (a school, or everything below a district, region or the
/// republic) in one campaign.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Passport {
    /// Children in need.
    pub total: i64,
    /// Children by grade (0–11).
    pub by_grade: BTreeMap<i16, i64>,
    /// Children by category (a child may count under several).
    pub by_category: BTreeMap<String, i64>,
    /// Children by category and grade.
    pub by_category_grade: BTreeMap<String, BTreeMap<i16, i64>>,
    /// Children by status.
    pub by_status: BTreeMap<String, i64>,
    /// The new intake (grade 1).
    pub new_intake: i64,
    /// Children not attending school.
    pub not_attending: i64,
    /// The estimated cost of all needs, in tiyn.
    pub needs_cost: i64,
    /// The needs of children whose help was delivered, in tiyn.
    pub covered_cost: i64,
}

/// One row of the roll-up: a unit directly below, with its passport.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The sub-unit.
    pub unit: org_unit::Model,
    /// Its passport.
    pub passport: Passport,
}

/// A passport being counted: the unit's, and one per unit directly below it (schools have none).
struct Tally {
    unit: org_unit::Model,
    below: Vec<org_unit::Model>,
    total: Passport,
    rows: BTreeMap<i64, Passport>,
}

impl Tally {
    /// The unit in the actor's scope, the units below it, nothing counted yet.
    async fn open(db: &impl ConnectionTrait, actor: &Actor, unit: OrgUnitId) -> Result<Self, Error> {
        if !actor.role.can_view_orgs() {
            return Err(Error::Forbidden);
        }
        let unit = crate::org::get(db, actor, unit).await?;
        let below = org_unit::Entity::find().filter(org_unit::Column::ParentId.eq(unit.id)).all(db).await?;
        let rows = below.iter().map(|c| (c.id, Passport::default())).collect();
        Ok(Tally { unit, below, total: Passport::default(), rows })
    }

    /// The passports a count at `path` goes into: the unit's, and that of the unit below it on
    /// the way to `path`.
    fn at(&mut self, path: &str) -> impl Iterator<Item = &mut Passport> {
        let sub = path.strip_prefix(self.unit.path.as_str()).and_then(|p| p.split('/').next()?.parse::<i64>().ok());
        let row = sub.and_then(|id| self.rows.get_mut(&id));
        std::iter::once(&mut self.total).chain(row)
    }

    /// Counts `n` children of a category at `path`.
    fn add_category(&mut self, path: &str, category: &str, grade: i16, n: i64) {
        for p in self.at(path) {
            *p.by_category.entry(category.to_owned()).or_default() += n;
            *p.by_category_grade.entry(category.to_owned()).or_default().entry(grade).or_default() += n;
        }
    }

    /// The unit, its passport and the rows below it, by code and name.
    fn close(mut self) -> (org_unit::Model, Passport, Vec<Row>) {
        let mut out: Vec<Row> = std::mem::take(&mut self.below)
            .into_iter()
            .filter_map(|u| self.rows.remove(&u.id).map(|passport| Row { unit: u, passport }))
            .collect();
        out.sort_by(|a, b| a.unit.code.cmp(&b.unit.code).then(a.unit.name_ru.cmp(&b.unit.name_ru)));
        (self.unit, self.total, out)
    }
}

/// The passport of `unit` and one row per unit directly below it (schools have none), from the
/// running totals (`passport_totals`): the rows of each school for a school or a district, of
/// each district for a region or the republic.
pub async fn compute(
    db: &impl ConnectionTrait,
    actor: &Actor,
    campaign_id: CampaignId,
    unit: OrgUnitId,
) -> Result<(org_unit::Model, Passport, Vec<Row>), Error> {
    let mut tally = Tally::open(db, actor, unit).await?;
    let level = if matches!(tally.unit.kind.as_str(), "school" | "district") { "school" } else { "district" };
    let sql = format!(
        "SELECT o.path, t.grade, t.status, t.category, t.children, t.cost FROM passport_totals t \
         JOIN org_units o ON o.id = t.unit_id WHERE t.campaign_id = {} AND o.kind = '{level}' AND {} \
         AND t.children <> 0",
        campaign_id.0,
        crate::scope::path_under("o.path", &tally.unit.path)
    );
    for r in db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await? {
        let path: String = r.try_get_by_index(0)?;
        let (grade, status, category): (i16, String, String) =
            (r.try_get_by_index(1)?, r.try_get_by_index(2)?, r.try_get_by_index(3)?);
        let (n, cost): (i64, i64) = (r.try_get_by_index(4)?, r.try_get_by_index(5)?);
        if category.is_empty() {
            tally.at(&path).for_each(|p| p.add(grade, &status, n, cost));
        } else {
            tally.add_category(&path, &category, grade, n);
        }
    }
    Ok(tally.close())
}

impl Passport {
    /// Counts `n` children of `grade` and `status` whose needs cost `cost`.
    fn add(&mut self, grade: i16, status: &str, n: i64, cost: i64) {
        self.total += n;
        *self.by_grade.entry(grade).or_default() += n;
        *self.by_status.entry(status.to_owned()).or_default() += n;
        if grade == 1 {
            self.new_intake += n;
        }
        if status == "not_attending" {
            self.not_attending += n;
        }
        self.needs_cost += cost;
        if status == "aid_delivered" {
            self.covered_cost += cost;
        }
    }
}

/// The same passport counted from the registry itself, row by row (what the running totals
/// must always equal; a test holds them to it).
pub async fn from_registry(
    db: &impl ConnectionTrait,
    actor: &Actor,
    campaign_id: CampaignId,
    unit: OrgUnitId,
) -> Result<(org_unit::Model, Passport, Vec<Row>), Error> {
    let campaign_id = campaign_id.0;
    let mut tally = Tally::open(db, actor, unit).await?;
    let path = tally.unit.path.clone();
    let counts: Vec<(String, i16, String, i64, i64)> = child::Entity::find()
        .select_only()
        .column(child::Column::UnitPath)
        .column(child::Column::Grade)
        .column(child::Column::Status)
        .column_as(Expr::col(child::Column::Id).count(), "n")
        .column_as(Expr::col(child::Column::NeedsCost).sum().cast_as(Alias::new("BIGINT")), "cost")
        .filter(child::Column::CampaignId.eq(campaign_id))
        .filter(crate::scope::starts_with(sea_orm::sea_query::Expr::col(child::Column::UnitPath), &path))
        .group_by(child::Column::UnitPath)
        .group_by(child::Column::Grade)
        .group_by(child::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    for (at, grade, status, n, cost) in counts {
        tally.at(&at).for_each(|p| p.add(grade, &status, n, cost));
    }

    let by_category: Vec<(String, String, i16, i64)> = child_category::Entity::find()
        .select_only()
        .column(child::Column::UnitPath)
        .column(child_category::Column::Category)
        .column(child::Column::Grade)
        .column_as(Expr::col((child_category::Entity, child_category::Column::ChildId)).count(), "n")
        .join(JoinType::InnerJoin, category_to_child())
        .filter(child::Column::CampaignId.eq(campaign_id))
        .filter(crate::scope::starts_with(sea_orm::sea_query::Expr::col(child::Column::UnitPath), &path))
        .group_by(child::Column::UnitPath)
        .group_by(child_category::Column::Category)
        .group_by(child::Column::Grade)
        .into_tuple()
        .all(db)
        .await?;
    for (at, category, grade, n) in by_category {
        tally.add_category(&at, &category, grade, n);
    }
    Ok(tally.close())
}

fn category_to_child() -> RelationDef {
    child_category::Entity::belongs_to(child::Entity).from(child_category::Column::ChildId).to(child::Column::Id).into()
}
