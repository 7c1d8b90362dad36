//! How a case ends: back at school closes it; moved, left the country or another reason waits
//! for the district's second signature (never from the one who closed it), which may send it
//! back to work instead.

use chrono::{NaiveDate, Utc};
use domain::attendance::Closing;
use domain::{Actor, ErrorCode, Invalid, OrgKind};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::cases::{visible_case, writable};
use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{absence, case, case_step};
use crate::error::Error;

/// The first day out of a case's pupil (what its closing is checked against).
pub async fn first_day(db: &impl sea_orm::ConnectionTrait, actor: &Actor, case_id: i64) -> Result<NaiveDate, Error> {
    Ok(visible_case(db, actor, case_id).await?.1.first_day)
}

/// Closes an open case: back at school closes it (and records the return); any other reason
/// awaits the district's second signature. Steps not done are dropped.
pub async fn close(db: &Db, actor: &Actor, case_id: i64, f: &Closing) -> Result<case::Model, Error> {
    let txn = crate::write_txn(db).await?;
    let (k, a) = writable(&txn, actor, case_id).await?;
    if f.closed_on < a.first_day {
        return Err(Invalid::one("closed_on", ErrorCode::ReturnBeforeAbsence).into());
    }
    let status = if f.closing.needs_second_signature() { "signing" } else { "closed" };
    case::Entity::update_many()
        .col_expr(case::Column::Status, Expr::value(status))
        .col_expr(case::Column::Closing, Expr::value(f.closing.as_str()))
        .col_expr(case::Column::ClosedOn, Expr::value(f.closed_on))
        .col_expr(case::Column::ReceivingSchool, Expr::value(f.receiving_school.clone()))
        .col_expr(case::Column::ClosingNote, Expr::value(f.note.clone()))
        .col_expr(case::Column::ClosedBy, Expr::value(actor.user_id.0))
        .col_expr(case::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(case::Column::Version, Expr::col(case::Column::Version).add(1))
        .filter(case::Column::Id.eq(k.id))
        .exec(&txn)
        .await?;
    case_step::Entity::update_many()
        .col_expr(case_step::Column::State, Expr::value("dropped"))
        .filter(case_step::Column::CaseId.eq(k.id))
        .filter(case_step::Column::State.eq("todo"))
        .exec(&txn)
        .await?;
    if f.closing == domain::attendance::CaseClosing::Returned && a.returned_on.is_none() {
        if f.closed_on <= a.first_day {
            return Err(Invalid::one("closed_on", ErrorCode::ReturnBeforeAbsence).into());
        }
        absence::Entity::update_many()
            .col_expr(absence::Column::ReturnedOn, Expr::value(f.closed_on))
            .col_expr(absence::Column::Version, Expr::col(absence::Column::Version).add(1))
            .filter(absence::Column::Id.eq(a.id))
            .exec(&txn)
            .await?;
        super::recount(&txn, &absence::Entity::find_by_id(a.id).one(&txn).await?.ok_or(Error::NotFound)?).await?;
    }
    let entry = Entry {
        action: "close",
        entity: "case",
        entity_id: Some(k.id),
        unit_path: Some(&k.unit_path),
        before: None,
        after: Some(json!(f)),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    let k = case::Entity::find_by_id(k.id).one(&txn).await?.ok_or(Error::NotFound)?;
    txn.commit().await?;
    Ok(k)
}

/// The district's second signature on a case closed without the pupil back (`agree`), or its
/// refusal, which opens the case again. Only a district's coordinator or one above it, and never
/// the one who closed it.
pub async fn sign(db: &Db, actor: &Actor, case_id: i64, agree: bool) -> Result<case::Model, Error> {
    if actor.role.coordinates().is_none_or(|k| k > OrgKind::District) {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let (k, _) = visible_case(&txn, actor, case_id).await?;
    if k.status != "signing" {
        return Err(Invalid::one("case", ErrorCode::CaseNotSigning).into());
    }
    if k.closed_by == Some(actor.user_id.0) {
        return Err(Invalid::one("case", ErrorCode::SignOwn).into());
    }
    let mut q = case::Entity::update_many()
        .col_expr(case::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(case::Column::Version, Expr::col(case::Column::Version).add(1));
    q = if agree {
        q.col_expr(case::Column::Status, Expr::value("closed"))
            .col_expr(case::Column::SignedBy, Expr::value(actor.user_id.0))
            .col_expr(case::Column::SignedAt, Expr::value(Utc::now()))
    } else {
        q.col_expr(case::Column::Status, Expr::value("open"))
            .col_expr(case::Column::Closing, Expr::value(Option::<String>::None))
            .col_expr(case::Column::ClosedOn, Expr::value(Option::<NaiveDate>::None))
            .col_expr(case::Column::ClosedBy, Expr::value(Option::<i64>::None))
    };
    q.filter(case::Column::Id.eq(k.id)).exec(&txn).await?;
    let entry = Entry {
        action: if agree { "sign" } else { "refuse_signature" },
        entity: "case",
        entity_id: Some(k.id),
        unit_path: Some(&k.unit_path),
        before: None,
        after: None,
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    let k = case::Entity::find_by_id(k.id).one(&txn).await?.ok_or(Error::NotFound)?;
    txn.commit().await?;
    Ok(k)
}

/// Opens again the closed case of a pupil recorded as out once more (back at school, then gone
/// again): its closing is cleared, the day it opened is the new first day out, and it is in the
/// log. A case awaiting the district's signature or still open is left as it is.
pub(super) async fn reopen(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    (case_id, unit_path): (i64, &str),
    on: NaiveDate,
) -> Result<bool, Error> {
    let null = || Expr::value(Option::<String>::None);
    let moved = case::Entity::update_many()
        .col_expr(case::Column::Status, Expr::value("open"))
        .col_expr(case::Column::OpenedOn, Expr::value(on))
        .col_expr(case::Column::Closing, null())
        .col_expr(case::Column::ClosedOn, Expr::value(Option::<NaiveDate>::None))
        .col_expr(case::Column::ReceivingSchool, null())
        .col_expr(case::Column::ClosingNote, null())
        .col_expr(case::Column::ClosedBy, Expr::value(Option::<i64>::None))
        .col_expr(case::Column::SignedBy, Expr::value(Option::<i64>::None))
        .col_expr(case::Column::SignedAt, Expr::value(Option::<chrono::DateTime<Utc>>::None))
        .col_expr(case::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(case::Column::Version, Expr::col(case::Column::Version).add(1))
        .filter(case::Column::Id.eq(case_id))
        .filter(case::Column::Status.eq("closed"))
        .exec(db)
        .await?;
    if moved.rows_affected == 0 {
        return Ok(false);
    }
    let entry = Entry {
        action: "reopen",
        entity: "case",
        entity_id: Some(case_id),
        unit_path: Some(unit_path),
        before: None,
        after: Some(json!({ "opened_on": on })),
    };
    audit::record(db, Who::User(actor), entry).await?;
    Ok(true)
}
