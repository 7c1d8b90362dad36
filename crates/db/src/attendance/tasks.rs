//! The task lists: the steps still to do in a school's, a district's, a region's or the
//! republic's cases (or one owner's), soonest due first, the overdue ones flagged.

use chrono::NaiveDate;
use domain::Actor;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::may_read;
use crate::audit::{self, Entry, Who};
use crate::entity::{absence, campaign, case_step};
use crate::error::Error;

/// A step still to do, on the task list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Task {
    /// The step.
    pub step: case_step::Model,
    /// The pupil's name, `Surname First`.
    pub pupil: String,
    /// Due before today.
    pub overdue: bool,
}

/// The steps of the campaign in the actor's scope.
fn in_scope(actor: &Actor, c: &campaign::Model) -> Condition {
    let levels = [case_step::Column::RegionId, case_step::Column::DistrictId, case_step::Column::SchoolId];
    Condition::all().add(case_step::Column::CampaignId.eq(c.id)).add(crate::scope::at_level(actor.scope.path(), levels))
}

/// Steps on one page of the task list.
pub const TASKS_PAGE: u64 = 50;

/// The steps still to do in the actor's scope (or its own, `mine`), soonest due first, after
/// the cursor `(due, id)` of the page before.
pub async fn tasks(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &campaign::Model,
    mine: bool,
    after: Option<(NaiveDate, i64)>,
    today: NaiveDate,
) -> Result<Vec<Task>, Error> {
    may_read(actor)?;
    let mut cond = Condition::all().add(case_step::Column::State.eq("todo"));
    if mine {
        cond = cond.add(case_step::Column::OwnerId.eq(actor.user_id.0));
    } else {
        cond = cond.add(in_scope(actor, c));
    }
    if let Some((due, id)) = after {
        cond = cond.add(
            Condition::any()
                .add(case_step::Column::DueOn.gt(due))
                .add(Condition::all().add(case_step::Column::DueOn.eq(due)).add(case_step::Column::Id.gt(id))),
        );
    }
    let steps = case_step::Entity::find()
        .filter(cond)
        .order_by_asc(case_step::Column::DueOn)
        .order_by_asc(case_step::Column::Id)
        .limit(TASKS_PAGE)
        .all(db)
        .await?;
    let absences: Vec<i64> = steps.iter().map(|s| s.absence_id).collect();
    if absences.is_empty() {
        return Ok(Vec::new());
    }
    let people: Vec<(i64, String, String)> = absence::Entity::find()
        .select_only()
        .columns([absence::Column::Id, absence::Column::Surname, absence::Column::FirstName])
        .filter(absence::Column::Id.is_in(absences))
        .into_tuple()
        .all(db)
        .await?;
    // The list names pupils: the read is in the audit log.
    let entry = Entry {
        action: "read_personal",
        entity: "case_step",
        entity_id: None,
        unit_path: Some(actor.scope.path()),
        before: None,
        after: Some(serde_json::json!({ "tasks": steps.len() })),
    };
    audit::record(db, Who::User(actor), entry).await?;
    Ok(steps
        .into_iter()
        .map(|s| Task {
            pupil: people
                .iter()
                .find(|(id, _, _)| *id == s.absence_id)
                .map(|(_, sur, first)| format!("{sur} {first}"))
                .unwrap_or_default(),
            overdue: s.due_on < today,
            step: s,
        })
        .collect())
}

/// How many steps in the actor's scope are past their due date and not done.
pub async fn overdue(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &campaign::Model,
    today: NaiveDate,
) -> Result<u64, Error> {
    use sea_orm::PaginatorTrait;
    may_read(actor)?;
    let cond = Condition::all()
        .add(in_scope(actor, c))
        .add(case_step::Column::State.eq("todo"))
        .add(case_step::Column::DueOn.lt(today));
    Ok(case_step::Entity::find().filter(cond).count(db).await?)
}
