//! The child registry: one record per IIN per campaign, its card, status and transfers between
//! schools. Personal fields reach only roles with the right to them; every card view is logged.

use domain::child::{ChildFields, ChildInput, Status};
use domain::iin::Iin;
use domain::{Actor, CampaignId, ChildId, ErrorCode, FieldError, Invalid, OrgUnitId, TransferId};

use crate::entity::{campaign, child, transfer_request};
use crate::{Core, Error};

pub use db::children::{Card, Cursor, Filter, Page, code};

/// Registers a child as typed (a form or an API call) at a school in scope in the current
/// campaign: the school and every field are checked at once, so both doors list the same errors.
pub async fn register(
    core: &Core,
    actor: &Actor,
    school: Option<i64>,
    input: &ChildInput,
) -> Result<child::Model, Error> {
    let campaign = crate::campaigns::chosen(core, None).await?;
    let mut errors = Vec::new();
    if school.is_none() {
        errors.push(FieldError::new("school_id", ErrorCode::Required));
    }
    let parsed = input.parse(domain::calendar::today());
    match (parsed, school) {
        (Ok(fields), Some(school)) if errors.is_empty() => {
            create(core, actor, &campaign, OrgUnitId(school), &fields).await
        }
        (Ok(_), _) => Err(Error::Invalid(Invalid(errors))),
        (Err(invalid), _) => {
            errors.extend(invalid.0);
            Err(Error::Invalid(Invalid(errors)))
        }
    }
}

/// Changes a child's record as typed (a form or an API call).
pub async fn change(core: &Core, actor: &Actor, id: ChildId, input: &ChildInput) -> Result<child::Model, Error> {
    let fields = input.parse(domain::calendar::today())?;
    update(core, actor, id, &fields).await
}

/// Registers a child at a school in scope.
pub async fn create(
    core: &Core,
    actor: &Actor,
    c: &campaign::Model,
    school: OrgUnitId,
    f: &ChildFields,
) -> Result<child::Model, Error> {
    Ok(db::children::create(&core.db, actor, c, school, f).await?)
}

/// A sponsor's hold on one of a child's needs, as the card shows it.
#[derive(Debug, Clone)]
pub struct HoldLine {
    /// The hold.
    pub id: i64,
    /// The sponsor's name.
    pub sponsor: String,
    /// The need held.
    pub need_id: i64,
    /// `active`, `expired` (an active hold past its 48 hours), `awaiting` (the sponsor says
    /// delivered, the school has to confirm), `delivered`, `declined`, …
    pub status: String,
    /// Still held now.
    pub active: bool,
    /// The day the sponsor says it delivered (`awaiting`, `delivered`).
    pub delivered_on: Option<chrono::NaiveDate>,
}

/// A child's card with everything done for the child: the help given, its proofs, the holds.
#[derive(Debug, Clone)]
pub struct ChildFile {
    /// The card (logged for roles that see personal data).
    pub card: Card,
    /// The ledger's entries for the child.
    pub entries: Vec<crate::entity::ledger_entry::Model>,
    /// The proofs of purchase of that help.
    pub proofs: Vec<crate::entity::proof::Model>,
    /// Sponsors' holds on the child's needs.
    pub holds: Vec<HoldLine>,
}

/// Opens a child's card with its help, proofs and holds.
pub async fn file(core: &Core, actor: &Actor, id: ChildId) -> Result<ChildFile, Error> {
    let card = card(core, actor, id).await?;
    let entries = crate::ledger::for_child(core, actor, id).await?;
    let proofs = crate::proofs::for_child(core, actor, id).await?;
    let now = chrono::Utc::now();
    let holds = crate::sponsors::for_child(core, actor, id)
        .await?
        .into_iter()
        .map(|(r, s)| {
            let active = r.status == "active" && r.expires_at > now;
            let status = if r.status == "active" && !active { "expired".to_owned() } else { r.status.clone() };
            HoldLine { id: r.id, sponsor: s.name, need_id: r.need_id, status, active, delivered_on: r.delivered_on }
        })
        .collect();
    Ok(ChildFile { card, entries, proofs, holds })
}

/// Opens a child's card (logged for roles that see personal data).
pub async fn card(core: &Core, actor: &Actor, id: ChildId) -> Result<Card, Error> {
    Ok(db::children::card(&core.db, actor, id).await?)
}

/// Changes a child's record.
pub async fn update(core: &Core, actor: &Actor, id: ChildId, f: &ChildFields) -> Result<child::Model, Error> {
    Ok(db::children::update(&core.db, actor, id, f).await?)
}

/// Changes a child's status, with a reason where the status asks for one.
pub async fn set_status(
    core: &Core,
    actor: &Actor,
    id: ChildId,
    to: Status,
    reason: &str,
) -> Result<child::Model, Error> {
    Ok(db::children::set_status(&core.db, actor, id, to, reason).await?)
}

/// One page of the list in the actor's scope.
pub async fn list(
    core: &Core,
    actor: &Actor,
    campaign_id: CampaignId,
    f: &Filter,
    cursor: Cursor,
    per_page: u64,
) -> Result<Page, Error> {
    Ok(db::children::list(&core.db, actor, campaign_id, f, cursor, per_page).await?)
}

/// Asks the school holding a child's record to hand it over to `to_school`.
pub async fn request_transfer(
    core: &Core,
    actor: &Actor,
    campaign_id: CampaignId,
    iin: &Iin,
    to_school: OrgUnitId,
    note: &str,
) -> Result<transfer_request::Model, Error> {
    Ok(db::children::request_transfer(&core.db, actor, campaign_id, iin, to_school, note).await?)
}

/// The holding school accepts or declines a transfer.
pub async fn decide_transfer(
    core: &Core,
    actor: &Actor,
    transfer_id: TransferId,
    accept: bool,
) -> Result<transfer_request::Model, Error> {
    Ok(db::children::decide_transfer(&core.db, actor, transfer_id, accept).await?)
}

/// Transfers waiting in the actor's scope (to or from its schools).
pub async fn pending_transfers(core: &Core, actor: &Actor) -> Result<Vec<transfer_request::Model>, Error> {
    Ok(db::children::pending_transfers(&core.db, actor).await?)
}
