//! The pupils out in a scope: a page at a time, most days out first (one reason or all), and
//! how many there are by reason, back and still out.

use domain::Actor;
use domain::attendance::AbsenceReason;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use super::may_read;
use crate::audit::{self, Entry, Who};
use crate::entity::{absence, campaign, case};
use crate::error::Error;

/// Pupils on one page.
pub const PAGE: u64 = 30;

/// A pupil out, as a list shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AbsenceLine {
    /// The absence.
    pub absence: absence::Model,
    /// Its case and the case's status.
    pub case: Option<(i64, String)>,
}

/// The scope of an absence list as SQL: the campaign and the actor's level column.
fn scoped(actor: &Actor, c: &campaign::Model) -> Condition {
    let levels = [absence::Column::RegionId, absence::Column::DistrictId, absence::Column::SchoolId];
    Condition::all().add(absence::Column::CampaignId.eq(c.id)).add(crate::scope::at_level(actor.scope.path(), levels))
}

/// A page of the pupils out in the actor's scope, most days out first, after the cursor
/// `(days_out, id)` of the page before; the read is in the audit log.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &campaign::Model,
    reason: Option<AbsenceReason>,
    after: Option<(i32, i64)>,
) -> Result<(Vec<AbsenceLine>, Option<(i32, i64)>), Error> {
    may_read(actor)?;
    let mut cond = scoped(actor, c);
    if let Some(r) = reason {
        cond = cond.add(absence::Column::Reason.eq(r.as_str()));
    }
    if let Some((days, id)) = after {
        cond = cond.add(
            Condition::any()
                .add(absence::Column::DaysOut.lt(days))
                .add(Condition::all().add(absence::Column::DaysOut.eq(days)).add(absence::Column::Id.lt(id))),
        );
    }
    let rows = absence::Entity::find()
        .filter(cond)
        .order_by_desc(absence::Column::DaysOut)
        .order_by_desc(absence::Column::Id)
        .limit(PAGE)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    // An empty list would be a condition no index serves.
    let cases: Vec<(i64, i64, String)> = if ids.is_empty() {
        Vec::new()
    } else {
        case::Entity::find()
            .select_only()
            .columns([case::Column::AbsenceId, case::Column::Id, case::Column::Status])
            .filter(case::Column::AbsenceId.is_in(ids))
            .into_tuple()
            .all(db)
            .await?
    };
    let next = (rows.len() as u64 == PAGE).then(|| rows.last().map(|a| (a.days_out, a.id))).flatten();
    if !rows.is_empty() {
        let entry = Entry {
            action: "read_personal",
            entity: "attendance",
            entity_id: None,
            unit_path: Some(actor.scope.path()),
            before: None,
            after: Some(json!({ "pupils": rows.len() })),
        };
        audit::record(db, Who::User(actor), entry).await?;
    }
    let lines = rows
        .into_iter()
        .map(|a| AbsenceLine {
            case: cases.iter().find(|(aid, _, _)| *aid == a.id).map(|(_, id, s)| (*id, s.clone())),
            absence: a,
        })
        .collect();
    Ok((lines, next))
}

/// The pupils out in a scope by reason (none: not yet known), and how many are back.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Reasons {
    /// `(reason, pupils, back at school)`, the unknown reason as an empty code.
    pub by_reason: Vec<(String, i64, i64)>,
}

impl Reasons {
    /// Pupils in all.
    pub fn total(&self) -> i64 {
        self.by_reason.iter().map(|(_, n, _)| n).sum()
    }

    /// Pupils back at school.
    pub fn back(&self) -> i64 {
        self.by_reason.iter().map(|(_, _, b)| b).sum()
    }
}

/// How many pupils are out in the actor's scope, by reason.
pub async fn reasons(db: &impl ConnectionTrait, actor: &Actor, c: &campaign::Model) -> Result<Reasons, Error> {
    may_read(actor)?;
    let back = Expr::cust("SUM(CASE WHEN returned_on IS NULL THEN 0 ELSE 1 END)");
    let rows: Vec<(Option<String>, i64, Option<i64>)> = absence::Entity::find()
        .select_only()
        .column(absence::Column::Reason)
        .column_as(Expr::col(absence::Column::Id).count(), "n")
        .column_as(back.cast_as("BIGINT"), "back")
        .filter(scoped(actor, c))
        .group_by(absence::Column::Reason)
        .order_by_asc(absence::Column::Reason)
        .into_tuple()
        .all(db)
        .await?;
    Ok(Reasons { by_reason: rows.into_iter().map(|(r, n, b)| (r.unwrap_or_default(), n, b.unwrap_or(0))).collect() })
}
