//! Photos of a raid's findings: added by the finding's author or a coordinator over the raid,
//! keyed by their bytes (a retry is the same photo), at most [`PHOTOS_MAX`] a finding; seen by
//! the finding's author and those who may read personal data over the raid (a photo of a child
//! is personal data: the author's colleagues on the raid never see it), every opening logged.

use chrono::Utc;
use domain::{Actor, ErrorCode, Invalid, RaidId};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::findings::{may_change, sees_personal};
use super::visible;
use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{finding_photo, raid_finding};
use crate::error::{Error, is_unique_violation};
use crate::proofs::StoredFile;

/// Most photos of one finding.
pub const PHOTOS_MAX: usize = 3;

/// Adds a stored photo to the finding the phone made as `client_id` on raid `raid_id`; the same
/// bytes again are the photo already held (`false`: nothing added).
pub async fn add(
    db: &Db,
    actor: &Actor,
    raid_id: RaidId,
    client_id: &str,
    file: &StoredFile,
) -> Result<(finding_photo::Model, bool), Error> {
    let txn = crate::write_txn(db).await?;
    let r = visible(&txn, actor, raid_id).await?;
    let f = raid_finding::Entity::find()
        .filter(raid_finding::Column::ClientId.eq(client_id))
        .filter(raid_finding::Column::RaidId.eq(r.id))
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    if !may_change(actor, &r, &f) {
        return Err(Error::Forbidden);
    }
    let held = finding_photo::Entity::find()
        .filter(finding_photo::Column::FindingId.eq(f.id))
        .order_by_asc(finding_photo::Column::Id)
        .all(&txn)
        .await?;
    if let Some(same) = held.iter().find(|p| p.sha256 == file.sha256) {
        return Ok((same.clone(), false));
    }
    if held.len() >= PHOTOS_MAX {
        return Err(Invalid::one("file", ErrorCode::TooManyPhotos).into());
    }
    let row = finding_photo::ActiveModel {
        finding_id: Set(f.id),
        sha256: Set(file.sha256.clone()),
        storage_key: Set(file.storage_key.clone()),
        content_type: Set(file.content_type.clone()),
        size: Set(file.size),
        created_by: Set(actor.user_id.0),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let row = match row {
        Ok(row) => row,
        // The same bytes from a second request at the same moment: the first one's photo.
        Err(e) if is_unique_violation(&e) => {
            drop(txn);
            let same = finding_photo::Entity::find()
                .filter(finding_photo::Column::FindingId.eq(f.id))
                .filter(finding_photo::Column::Sha256.eq(file.sha256.as_str()))
                .one(db)
                .await?
                .ok_or(Error::NotFound)?;
            return Ok((same, false));
        }
        Err(e) => return Err(e.into()),
    };
    let entry = Entry {
        action: "create",
        entity: "finding_photo",
        entity_id: Some(row.id),
        unit_path: Some(&f.unit_path),
        before: None,
        after: Some(json!({ "finding_id": f.id, "size": row.size, "content_type": row.content_type })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    txn.commit().await?;
    Ok((row, true))
}

/// The photo ids of each of `findings` (of a raid visible to the actor) the actor may see, in one
/// read for the list.
pub async fn of_findings(
    db: &impl ConnectionTrait,
    actor: &Actor,
    findings: &[raid_finding::Model],
) -> Result<Vec<(i64, i64)>, Error> {
    let seen: Vec<i64> = findings.iter().filter(|f| sees_personal(actor, f)).map(|f| f.id).collect();
    // No finding to show a photo of, no read (an empty list is a condition no index serves).
    if seen.is_empty() {
        return Ok(Vec::new());
    }
    let rows = finding_photo::Entity::find()
        .filter(finding_photo::Column::FindingId.is_in(seen))
        .order_by_asc(finding_photo::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|p| (p.finding_id, p.id)).collect())
}

/// A photo for one who may see it; the opening is logged.
pub async fn open(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<finding_photo::Model, Error> {
    let p = finding_photo::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let f = raid_finding::Entity::find_by_id(p.finding_id).one(db).await?.ok_or(Error::NotFound)?;
    visible(db, actor, RaidId(f.raid_id)).await?;
    if !sees_personal(actor, &f) {
        return Err(Error::NotFound);
    }
    let entry = Entry {
        action: "read_personal",
        entity: "finding_photo",
        entity_id: Some(p.id),
        unit_path: Some(&f.unit_path),
        before: None,
        after: Some(json!({ "finding_id": f.id })),
    };
    audit::record(db, Who::User(actor), entry).await?;
    Ok(p)
}
