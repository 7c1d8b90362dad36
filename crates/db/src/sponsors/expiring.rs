//! Holds about to expire: the sponsor is told once, some hours ahead, that the need it holds goes
//! back to every sponsor unless it delivers.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use crate::Db;
use crate::entity::{child, reservation, sponsor};
use crate::error::Error;

/// How long before a hold expires its sponsor is told.
pub const WARN_HOURS: i64 = 12;

/// Tells the sponsors whose holds expire within [`WARN_HOURS`] of `now` (each hold once); how
/// many were told.
pub async fn warn_expiring(db: &Db, now: DateTime<Utc>) -> Result<usize, Error> {
    let txn = crate::write_txn(db).await?;
    let soon = reservation::Entity::find()
        .filter(reservation::Column::Status.eq("active"))
        .filter(reservation::Column::ExpiryTold.eq(0))
        .filter(reservation::Column::ExpiresAt.lte(now + Duration::hours(WARN_HOURS)))
        .order_by_asc(reservation::Column::ExpiresAt)
        .limit(500)
        .all(&txn)
        .await?;
    let mut told = 0;
    for r in soon {
        let done = reservation::Entity::update_many()
            .col_expr(reservation::Column::ExpiryTold, Expr::value(1))
            .filter(reservation::Column::Id.eq(r.id))
            .filter(reservation::Column::ExpiryTold.eq(0))
            .exec(&txn)
            .await?;
        let s = sponsor::Entity::find_by_id(r.sponsor_id).one(&txn).await?;
        let (Some(email), 1) = (s.and_then(|s| s.email), done.rows_affected) else { continue };
        let path = child::Entity::find_by_id(r.child_id).one(&txn).await?.map(|c| c.unit_path);
        let params = json!({
            "code": crate::children::code(r.child_id),
            "expires_at": domain::format::date_time(r.expires_at, 5),
        });
        let m = crate::outbox::Message {
            channel: "email",
            recipient: email,
            locale: "ru".into(),
            kind: "hold_expiring",
            params,
            entity: Some(("reservation", r.id)),
            unit_path: path,
        };
        crate::outbox::enqueue(&txn, vec![m]).await?;
        told += 1;
    }
    txn.commit().await?;
    Ok(told)
}
