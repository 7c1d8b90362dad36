//! Sponsors: registered by a coordinator or applying themselves, approved by their region; the
//! portal of anonymised needs, holds and deliveries, and the sponsor's own help report. A
//! sponsor never sees a child's name, IIN or category.

use domain::aid::{SponsorApplication, SponsorFields, SponsorInput};
use domain::{Actor, ChildId, ErrorCode, FieldError, HoldId, Invalid, NeedId, OrgUnitId, SponsorId};

use crate::entity::{campaign, org_unit, reservation, sponsor};
use crate::{Core, Error};

pub use db::sponsors::{AnonymousNeed, Awaiting, HOLDS_SHOWN, HeldNeed, HelpLine, NeedFilter, summary};

/// A sponsor applies by itself (no sign-in) from a client address; it can sign in once its region
/// approves it. Returns the application and the login the system gave its account. At most
/// [`crate::throttle::SPONSOR_APPLICATIONS`] are accepted from one client in an hour; a BIN or IIN
/// already registered is not refused but kept as a likely duplicate for the coordinator.
pub async fn apply(core: &Core, a: &SponsorApplication, client: &str) -> Result<(sponsor::Model, String), Error> {
    use crate::throttle::{SPONSOR_APPLICATIONS, check, count};
    check(core, &SPONSOR_APPLICATIONS, client).await?;
    let (fields, new, region) = a.parse(&domain::user::given_login())?;
    let hash = crate::users::hash_password(&a.password).await?;
    count(core, &SPONSOR_APPLICATIONS, client).await?;
    // A given login is random; should one be taken, another is drawn.
    let mut login = new.login.clone();
    for _ in 0..5 {
        let account = domain::user::NewUser { login: login.clone(), ..new.clone() };
        match db::sponsors::apply(&core.db, OrgUnitId(region), &fields, &account, &hash, client).await {
            Err(db::Error::Invalid(i)) if i.0.iter().any(|e| e.field == "login") => login = domain::user::given_login(),
            done => return Ok((done?, login)),
        }
    }
    Err(Error::internal("no free login for a sponsor's account after five draws"))
}

/// Why a pending application looks like another sponsor's: the same BIN or IIN, name, phone or
/// client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Likeness {
    /// The BIN or IIN of a sponsor already registered.
    BinIin,
    /// The same name (letters and digits only, any case, without the legal form).
    Name,
    /// The same phone (its last ten digits).
    Phone,
    /// Sent from the same client address as another application.
    Address,
}

impl Likeness {
    /// The code the catalogues translate (`sponsor-like-…`).
    pub fn as_str(self) -> &'static str {
        match self {
            Likeness::BinIin => "bin_iin",
            Likeness::Name => "name",
            Likeness::Phone => "phone",
            Likeness::Address => "address",
        }
    }
}

/// Legal forms written before a name, in Russian and Kazakh: «ТОО «Алтын Дән»» is «Алтын Дән».
const LEGAL_FORMS: &[&str] = &["тоо", "ао", "ип", "оо", "оф", "чф", "жшс", "ақ", "жк", "қб", "ққ"];

/// A name's words in lower case, letters and digits only, without its legal form.
fn folded_name(name: &str) -> String {
    let lower = name.to_lowercase();
    let words = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
    words.filter(|w| !LEGAL_FORMS.contains(w)).collect::<Vec<_>>().join(" ")
}

/// The pending applications among `list` that look like another sponsor of the list, with why.
pub fn likely_duplicates(list: &[sponsor::Model]) -> std::collections::HashMap<i64, Vec<Likeness>> {
    use std::collections::HashMap;
    let name = |s: &sponsor::Model| -> String { folded_name(&s.name) };
    let phone = |s: &sponsor::Model| -> Option<String> {
        let digits: Vec<char> = s.phone.as_deref()?.chars().filter(char::is_ascii_digit).collect();
        (digits.len() >= 7).then(|| digits[digits.len().saturating_sub(10)..].iter().collect())
    };
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut phones: HashMap<String, usize> = HashMap::new();
    let mut addresses: HashMap<&str, usize> = HashMap::new();
    for s in list {
        *names.entry(name(s)).or_default() += 1;
        if let Some(p) = phone(s) {
            *phones.entry(p).or_default() += 1;
        }
        if let Some(a) = s.applied_from.as_deref() {
            *addresses.entry(a).or_default() += 1;
        }
    }
    let mut found = HashMap::new();
    for s in list.iter().filter(|s| !s.approved && !s.rejected) {
        let mut why = Vec::new();
        if s.duplicate_of.is_some() {
            why.push(Likeness::BinIin);
        }
        if names.get(&name(s)).is_some_and(|n| *n > 1) {
            why.push(Likeness::Name);
        }
        if phone(s).and_then(|p| phones.get(&p).copied()).is_some_and(|n| n > 1) {
            why.push(Likeness::Phone);
        }
        if s.applied_from.as_deref().and_then(|a| addresses.get(a).copied()).is_some_and(|n| n > 1) {
            why.push(Likeness::Address);
        }
        if !why.is_empty() {
            found.insert(s.id, why);
        }
    }
    found
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

/// The districts of the sponsor's region and the schools of one of them, to narrow the portal
/// down.
pub async fn places(
    core: &Core,
    actor: &Actor,
    district: Option<i64>,
) -> Result<(Vec<org_unit::Model>, Vec<org_unit::Model>), Error> {
    Ok(db::sponsors::places(&core.db, actor, district).await?)
}

/// Open needs of the sponsor's region, anonymised, in the order they were recorded, from after
/// `f.after`, at most `limit`.
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

/// The sponsor's holds (newest first), each with the child's code, grade and sex, the item and
/// size, the school's address and its coordinator's work phone.
pub async fn mine(core: &Core, actor: &Actor) -> Result<Vec<HeldNeed>, Error> {
    Ok(db::sponsors::mine(&core.db, actor).await?)
}

/// Records the delivery of a held need: the sponsor's waits for the school's confirmation, the
/// school's own is help at once.
pub async fn deliver(
    core: &Core,
    actor: &Actor,
    reservation_id: HoldId,
    date: chrono::NaiveDate,
) -> Result<reservation::Model, Error> {
    Ok(db::sponsors::deliver(&core.db, actor, reservation_id, date).await?)
}

/// The school answers a sponsor's delivery: received (help from then on) or not (the need is
/// free again).
pub async fn confirm(
    core: &Core,
    actor: &Actor,
    reservation_id: HoldId,
    received: bool,
) -> Result<reservation::Model, Error> {
    Ok(db::sponsors::confirm(&core.db, actor, reservation_id, received).await?)
}

/// Sponsors' deliveries waiting for the schools of the actor's scope, oldest first.
pub async fn awaiting(core: &Core, actor: &Actor, limit: u64) -> Result<Vec<Awaiting>, Error> {
    Ok(db::sponsors::awaiting(&core.db, actor, limit).await?)
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

/// Tells the sponsors whose holds expire soon (once each); how many were told.
pub async fn warn_expiring(core: &Core) -> Result<usize, Error> {
    Ok(db::sponsors::warn_expiring(&core.db, chrono::Utc::now()).await?)
}
