//! Raids (рейды) and the children they find: planned and recorded by a coordinator, worked in
//! the street by the members assigned, often on a phone without a connection. What a phone kept
//! while offline comes back as a batch (`sync`); each record carries the id the phone made for
//! it, so a batch sent five times leaves one copy of each, and a change to a record someone
//! changed meanwhile is kept as a conflict for a coordinator (`resolve`).

use chrono::NaiveDate;
use domain::raid::{FindingInput, RaidInput};
use domain::{Actor, ConflictId, ErrorCode, Invalid, OrgUnitId, RaidId, UserId};
use serde::Deserialize;

use crate::entity::{campaign, raid};
use crate::{Core, Error};

pub use db::raids::{ConflictView, FindingView, PAGE, PHOTOS_MAX, RaidLine, RaidView, Sent, Stats};

/// Most records one sync batch may carry.
pub const SYNC_MAX: usize = 500;

/// Plans or records a raid of a unit in the coordinator's scope.
pub async fn create(
    core: &Core,
    actor: &Actor,
    c: &campaign::Model,
    unit: OrgUnitId,
    input: &RaidInput,
    members: &[UserId],
) -> Result<raid::Model, Error> {
    let fields = input.parse()?;
    Ok(db::raids::create(&core.db, actor, c, unit, &fields, members).await?)
}

/// Changes a raid opened at `version`.
pub async fn update(
    core: &Core,
    actor: &Actor,
    id: RaidId,
    version: i32,
    input: &RaidInput,
    members: &[UserId],
) -> Result<raid::Model, Error> {
    let fields = input.parse()?;
    Ok(db::raids::update(&core.db, actor, id, version, &fields, members).await?)
}

/// One raid with its places, participants and members.
pub async fn get(core: &Core, actor: &Actor, id: RaidId) -> Result<RaidView, Error> {
    Ok(db::raids::get(&core.db, actor, id).await?)
}

/// A page of the actor's raids, newest first; the cursor of the next page when there is one.
pub async fn list(
    core: &Core,
    actor: &Actor,
    c: &campaign::Model,
    after: Option<(NaiveDate, i64)>,
) -> Result<(Vec<RaidLine>, Option<(NaiveDate, i64)>), Error> {
    Ok(db::raids::list(&core.db, actor, c, after).await?)
}

/// The raid members a coordinator may assign to a raid of `unit`.
pub async fn candidates(core: &Core, actor: &Actor, unit: OrgUnitId) -> Result<Vec<(i64, String, String)>, Error> {
    Ok(db::raids::candidates(&core.db, actor, unit).await?)
}

/// A raid's findings as the actor may see them.
pub async fn findings(core: &Core, actor: &Actor, id: RaidId) -> Result<Vec<FindingView>, Error> {
    Ok(db::raids::findings(&core.db, actor, id).await?)
}

/// Records a finding (or a change to one made on `base_version`).
pub async fn send(
    core: &Core,
    actor: &Actor,
    raid: RaidId,
    input: &FindingInput,
    base_version: Option<i32>,
    today: NaiveDate,
) -> Result<Sent, Error> {
    Ok(db::raids::send(&core.db, actor, raid, input, base_version, today).await?)
}

/// One record of a sync batch: a finding made or changed on a phone.
#[derive(Debug, Clone, Deserialize)]
pub struct SyncItem {
    /// The raid it belongs to.
    pub raid_id: i64,
    /// The version the phone changed (none for a finding made on the phone).
    #[serde(default)]
    pub base_version: Option<i32>,
    /// The finding.
    pub finding: FindingInput,
}

/// What became of one record of a batch.
#[derive(Debug)]
pub enum Synced {
    /// Saved, or already held: the finding as the server holds it.
    Saved(Box<FindingView>),
    /// Kept as a conflict with a change made meanwhile.
    Conflict(Box<(domain::ConflictId, Option<String>, FindingView)>),
    /// Refused: the reason, as for a form.
    Refused(Error),
}

/// Sends a batch kept on a phone: each record on its own, so one refused record does not hold
/// back the others; at most [`SYNC_MAX`].
pub async fn sync(core: &Core, actor: &Actor, items: &[SyncItem], today: NaiveDate) -> Result<Vec<Synced>, Error> {
    if items.len() > SYNC_MAX {
        return Err(Invalid::one("items", ErrorCode::TooMany).into());
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let sent =
            db::raids::send(&core.db, actor, RaidId(item.raid_id), &item.finding, item.base_version, today).await;
        out.push(match sent {
            Ok(Sent::Created(v) | Sent::Same(v) | Sent::Updated(v)) => Synced::Saved(Box::new(v)),
            Ok(Sent::Conflict { conflict, server }) => {
                Synced::Conflict(Box::new((ConflictId(conflict.id), conflict.resolution, server)))
            }
            Err(e) => Synced::Refused(e.into()),
        });
    }
    Ok(out)
}

/// The open conflicts over the coordinator's scope (or one raid's).
pub async fn conflicts(core: &Core, actor: &Actor, raid: Option<RaidId>) -> Result<Vec<ConflictView>, Error> {
    Ok(db::raids::conflicts(&core.db, actor, raid).await?)
}

/// Decides a conflict: apply the phone's change, or keep the server's version.
pub async fn resolve(
    core: &Core,
    actor: &Actor,
    id: ConflictId,
    apply: bool,
    today: NaiveDate,
) -> Result<ConflictView, Error> {
    Ok(db::raids::resolve(&core.db, actor, id, apply, today).await?)
}

/// Adds a photo stored in `dir` to the finding the phone made as `client_id`: the same bytes
/// again are the photo held (`false`), and the file of a photo refused or held already is
/// removed again.
pub async fn add_photo(
    core: &Core,
    actor: &Actor,
    dir: &std::path::Path,
    raid: RaidId,
    client_id: &str,
    file: &crate::proofs::StoredFile,
) -> Result<(crate::entity::finding_photo::Model, bool), Error> {
    match db::raids::add_photo(&core.db, actor, raid, client_id, file).await {
        Ok((p, true)) => Ok((p, true)),
        Ok((p, false)) => {
            crate::proofs::remove(dir, &file.storage_key).await;
            Ok((p, false))
        }
        Err(e) => {
            crate::proofs::remove(dir, &file.storage_key).await;
            Err(e.into())
        }
    }
}

/// A finding's photo and its bytes, for one who may see it; the opening is logged.
pub async fn open_photo(
    core: &Core,
    actor: &Actor,
    dir: &std::path::Path,
    id: i64,
) -> Result<(crate::entity::finding_photo::Model, Vec<u8>), Error> {
    let p = db::raids::open_photo(&core.db, actor, id).await?;
    let path = crate::proofs::path_of(dir, &p.storage_key).ok_or(Error::NotFound)?;
    let bytes = tokio::fs::read(&path).await.map_err(|e| {
        tracing::error!(error = %e, path = %path.display(), "a finding's photo is missing");
        Error::NotFound
    })?;
    Ok((p, bytes))
}
