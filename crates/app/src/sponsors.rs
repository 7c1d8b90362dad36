//! Sponsors: registered by a coordinator or applying themselves, approved by their region; the
//! portal of anonymised needs, holds and deliveries, and the sponsor's own help report. A
//! sponsor never sees a child's name, IIN or category.

use domain::aid::{SponsorApplication, SponsorFields, SponsorInput};
use domain::{Actor, ChildId, ErrorCode, FieldError, HoldId, Invalid, NeedId, OrgUnitId, SponsorId};

use crate::entity::{campaign, child_need, ledger_entry, org_unit, reservation, sponsor};
use crate::{Core, Error};

pub use db::sponsors::{AnonymousNeed, HelpLine, NeedFilter, summary};

/// A sponsor applies by itself (no sign-in); it can sign in once its region approves it.
pub async fn apply(core: &Core, a: &SponsorApplication) -> Result<sponsor::Model, Error> {
    let (fields, new, region) = a.parse()?;
    let hash = crate::users::hash_password(&a.password).await?;
    Ok(db::sponsors::apply(&core.db, OrgUnitId(region), &fields, &new, &hash).await?)
}

/// A coordinator registers a sponsor of a region in scope with an account; returns the
/// account's one-time password (shown only now).
pub async fn register(
    core: &Core,
    actor: &Actor,
    input: &SponsorInput,
    login: &str,
    region: Option<i64>,
) -> Result<String, Error> {
    let mut c = domain::error::Checker::default();
    let login = domain::user::parse_login(&mut c, login);
    let checked = (input.parse(), c.finish(()), region);
    let (fields, region) = match checked {
        (Ok(fields), Ok(()), Some(region)) => (fields, region),
        (a, b, r) => {
            let mut errors = a.err().map(|i| i.0).unwrap_or_default();
            errors.extend(b.err().map(|i| i.0).unwrap_or_default());
            if r.is_none() {
                errors.push(FieldError::new("region", ErrorCode::Required));
            }
            return Err(Error::Invalid(Invalid(errors)));
        }
    };
    let password = domain::password::one_time();
    let hash = crate::users::hash_password(&password).await?;
    let s = db::sponsors::create(&core.db, actor, OrgUnitId(region), &fields).await?;
    db::sponsors::add_account(&core.db, actor, SponsorId(s.id), &login, &fields.name, &hash).await?;
    Ok(password)
}

/// Creates a sponsor of a region in scope (no account).
pub async fn create(core: &Core, actor: &Actor, region: OrgUnitId, f: &SponsorFields) -> Result<sponsor::Model, Error> {
    Ok(db::sponsors::create(&core.db, actor, region, f).await?)
}

/// Approves or refuses a sponsor's application.
pub async fn decide(core: &Core, actor: &Actor, sponsor_id: SponsorId, approve: bool) -> Result<sponsor::Model, Error> {
    Ok(db::sponsors::decide(&core.db, actor, sponsor_id, approve).await?)
}

/// Sponsors of the regions in the actor's scope.
pub async fn list(core: &Core, actor: &Actor) -> Result<Vec<sponsor::Model>, Error> {
    Ok(db::sponsors::list(&core.db, actor).await?)
}

/// The signed-in sponsor.
pub async fn sponsor_of(core: &Core, actor: &Actor) -> Result<sponsor::Model, Error> {
    Ok(db::sponsors::sponsor_of(&core.db, actor).await?)
}

/// The districts and schools of the sponsor's region, to narrow the portal down.
pub async fn places(core: &Core, actor: &Actor) -> Result<Vec<org_unit::Model>, Error> {
    Ok(db::sponsors::places(&core.db, actor).await?)
}

/// Open needs of the sponsor's region, anonymised, at most `limit`.
pub async fn open_needs(
    core: &Core,
    actor: &Actor,
    c: &campaign::Model,
    f: &NeedFilter,
    limit: u64,
) -> Result<Vec<AnonymousNeed>, Error> {
    Ok(db::sponsors::open_needs(&core.db, actor, c, f, limit).await?)
}

/// Holds a need for 48 hours.
pub async fn reserve(core: &Core, actor: &Actor, need_id: NeedId) -> Result<reservation::Model, Error> {
    Ok(db::sponsors::reserve(&core.db, actor, need_id).await?)
}

/// The sponsor's live holds with their needs.
pub async fn mine(core: &Core, actor: &Actor) -> Result<Vec<(reservation::Model, child_need::Model)>, Error> {
    Ok(db::sponsors::mine(&core.db, actor).await?)
}

/// Records the delivery of a held need.
pub async fn deliver(
    core: &Core,
    actor: &Actor,
    reservation_id: HoldId,
    date: chrono::NaiveDate,
) -> Result<ledger_entry::Model, Error> {
    Ok(db::sponsors::deliver(&core.db, actor, reservation_id, date).await?)
}

/// Children helped, items given and the sum, for the sponsor's start page.
pub async fn impact(core: &Core, actor: &Actor) -> Result<(usize, usize, i64), Error> {
    Ok(db::sponsors::impact(&core.db, actor).await?)
}

/// Everything the signed-in sponsor gave, oldest first, anonymised.
pub async fn help_report(core: &Core, actor: &Actor) -> Result<(sponsor::Model, Vec<HelpLine>), Error> {
    Ok(db::sponsors::help_report(&core.db, actor).await?)
}

/// The holds on a child's needs, with their sponsors (for the school's card).
pub async fn for_child(
    core: &Core,
    actor: &Actor,
    child_id: ChildId,
) -> Result<Vec<(reservation::Model, sponsor::Model)>, Error> {
    Ok(db::sponsors::for_child(&core.db, actor, child_id).await?)
}
