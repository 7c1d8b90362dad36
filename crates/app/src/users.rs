//! Accounts: signing in, one's own password and language, and the accounts a coordinator
//! manages within the scope.

use chrono::Utc;
use db::throttle::Limit;
use domain::user::{AccountChange, NewUser, NewUserInput};
use domain::{Actor, ErrorCode, FieldError, Invalid, Locale, OrgUnitId, Role, UserId};

use crate::entity::user;
use crate::{Core, Error};

pub use db::users::UserWithUnit;

/// How a sign-in ended.
#[derive(Debug)]
pub enum SignIn {
    /// The password is right: the account.
    Welcome(Box<UserWithUnit>),
    /// Unknown login, disabled account or wrong password: one answer for all three.
    Refused,
    /// Too many attempts from this client, or under this login: try again in so many seconds.
    Throttled(i64),
    /// The right password of a sponsor whose application the region has not decided yet.
    AwaitingApproval,
    /// The right password of a sponsor whose application the region turned down.
    Rejected,
}

/// Sign-ins from one client address, whatever the login and the outcome.
pub const FROM_CLIENT: Limit = Limit { name: "signin-client", max: 30, window: 600 };
/// Failed sign-ins under one login from one client address. Only that client is held back, so a
/// stranger guessing cannot keep the owner out.
pub const LOGIN_FROM_CLIENT: Limit = Limit { name: "signin-login-client", max: 5, window: 900 };
/// Failed sign-ins under one login from every address: a guess spread over many addresses. Set
/// far above what one client may make under [`LOGIN_FROM_CLIENT`] (20 an hour), so that no
/// single client can hold an account back.
pub const LOGIN_ANYWHERE: Limit = Limit { name: "signin-login", max: 100, window: 3600 };

async fn verify(password: &str, hash: &str) -> Result<bool, Error> {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || domain::password::verify(&password, &hash)).await.map_err(Error::internal)
}

/// Hashes a password off the async threads (argon2id takes a while on purpose).
pub async fn hash_password(password: &str) -> Result<String, Error> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || domain::password::hash(&password))
        .await
        .map_err(Error::internal)?
        .map_err(Error::internal)
}

/// Checks a login and password (argon2id) from a client address, throttled per client, per
/// login and client, and per login (counted in the database, so the limits hold across servers).
/// An unknown login, a disabled account and a wrong password get one answer at one cost (a real
/// check against a dummy hash, the same counting and one audit entry), so nothing tells which
/// logins exist; and no account is ever locked.
pub async fn sign_in(core: &Core, login: &str, password: &str, client: &str) -> Result<SignIn, Error> {
    let login: String = login.trim().to_lowercase().chars().take(64).collect();
    let now = Utc::now().timestamp();
    let pair = format!("{login}|{client}");
    let hits = db::throttle::hit(&core.db, &FROM_CLIENT, client, now).await?;
    if let Some(wait) = FROM_CLIENT.over(hits, now) {
        if hits == FROM_CLIENT.max + 1 {
            db::users::record_throttled(&core.db, &login, FROM_CLIENT.name, client).await?;
        }
        return Ok(SignIn::Throttled(wait));
    }
    for (limit, key) in [(&LOGIN_FROM_CLIENT, &pair), (&LOGIN_ANYWHERE, &login)] {
        if let Some(wait) = db::throttle::over(&core.db, limit, key, now).await? {
            return Ok(SignIn::Throttled(wait));
        }
    }
    let found = db::users::by_login(&core.db, &login).await?;
    let hash = found.as_ref().map_or(&*core.dummy_hash, |u| u.user.password_hash.as_str());
    let right = verify(password, hash).await?;
    // Only the one who knows the password learns where a sponsor's application stands.
    if let Some(u) = found.as_ref().filter(|u| right && !u.user.active)
        && let Some(s) = db::sponsors::application_of(&core.db, u.user.id).await?
    {
        if s.rejected {
            return Ok(SignIn::Rejected);
        }
        if !s.approved {
            return Ok(SignIn::AwaitingApproval);
        }
    }
    match found.filter(|u| u.user.active) {
        Some(u) if right => {
            db::users::record_login(&core.db, &u).await?;
            return Ok(SignIn::Welcome(Box::new(u)));
        }
        Some(u) => db::users::record_failed_login(&core.db, &u).await?,
        None if login.is_empty() => {}
        None => db::users::record_unknown_login(&core.db, &login).await?,
    }
    for (limit, key) in [(&LOGIN_FROM_CLIENT, &pair), (&LOGIN_ANYWHERE, &login)] {
        if db::throttle::hit(&core.db, limit, key, now).await? == limit.max {
            db::users::record_throttled(&core.db, &login, limit.name, client).await?;
        }
    }
    Ok(SignIn::Refused)
}

/// The signed-in user changes their own password: the current one, a new one by the policy,
/// typed twice. Every problem is listed at once.
pub async fn change_own_password(
    core: &Core,
    u: &UserWithUnit,
    current: &str,
    new_password: &str,
    confirm: &str,
) -> Result<(), Error> {
    let mut errors = Vec::new();
    if !verify(current, &u.user.password_hash).await? {
        errors.push(FieldError::new("current", ErrorCode::WrongPassword));
    }
    if let Err(invalid) = domain::password::check_new("new_password", new_password, &u.user.login) {
        errors.extend(invalid.0);
    } else if new_password == current {
        errors.push(FieldError::new("new_password", ErrorCode::PasswordUnchanged));
    }
    if confirm != new_password {
        errors.push(FieldError::new("confirm", ErrorCode::PasswordMismatch));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(Invalid(errors)));
    }
    let hashed = hash_password(new_password).await?;
    Ok(db::users::set_own_password(&core.db, u, &hashed).await?)
}

/// An account by id, with its unit (no scope: for the signed-in user's own session or token).
pub async fn by_id(core: &Core, id: UserId) -> Result<Option<UserWithUnit>, Error> {
    Ok(db::users::by_id(&core.db, id).await?)
}

/// The active account behind a session or an API token secret.
pub async fn active(core: &Core, id: UserId) -> Result<Option<UserWithUnit>, Error> {
    Ok(by_id(core, id).await?.filter(|u| u.user.active))
}

/// Remembers the user's language.
pub async fn set_locale(core: &Core, u: &UserWithUnit, locale: Locale) -> Result<(), Error> {
    Ok(db::users::set_locale(&core.db, u, locale).await?)
}

/// An account in the actor's scope, for the roles that manage or audit accounts.
pub async fn view(core: &Core, actor: &Actor, id: UserId) -> Result<UserWithUnit, Error> {
    if !(actor.role.is_coordinator() || actor.role == Role::Auditor) {
        return Err(Error::Forbidden);
    }
    get(core, actor, id).await
}

/// An account in the actor's scope.
pub async fn get(core: &Core, actor: &Actor, id: UserId) -> Result<UserWithUnit, Error> {
    Ok(db::users::get(&core.db, actor, id).await?)
}

/// The accounts in the actor's scope (under a unit path, if given).
pub async fn list(core: &Core, actor: &Actor, under: Option<&str>) -> Result<Vec<UserWithUnit>, Error> {
    Ok(db::users::list(&core.db, actor, under).await?)
}

/// Creates an account as typed (a form or an API call); see [`create`].
pub async fn add(core: &Core, actor: &Actor, input: &NewUserInput) -> Result<(UserWithUnit, String), Error> {
    create(core, actor, &input.parse()?).await
}

/// Creates an account within the actor's scope; returns it and its one-time password, which
/// must be changed at first sign-in and is shown only now.
pub async fn create(core: &Core, actor: &Actor, new: &NewUser) -> Result<(UserWithUnit, String), Error> {
    let password = domain::password::one_time();
    let hashed = hash_password(&password).await?;
    let created = db::users::create(&core.db, actor, new, &hashed).await?;
    Ok((get(core, actor, UserId(created.id)).await?, password))
}

/// Changes another account's name, role and unit as typed (a form or an API call); one's own
/// account is changed by someone above.
pub async fn change(core: &Core, actor: &Actor, id: UserId, input: &AccountChange) -> Result<UserWithUnit, Error> {
    if id == actor.user_id {
        return Err(Error::Forbidden);
    }
    let (role, unit) = input.parse()?;
    update(core, actor, id, &input.full_name, role, unit).await?;
    get(core, actor, id).await
}

/// Changes an account's name, role and unit.
pub async fn update(
    core: &Core,
    actor: &Actor,
    id: UserId,
    full_name: &str,
    role: Role,
    unit: OrgUnitId,
) -> Result<user::Model, Error> {
    Ok(db::users::update(&core.db, actor, id, full_name, role, unit).await?)
}

/// Gives an account a new one-time password; returns it (shown only now).
pub async fn reset_password(core: &Core, actor: &Actor, id: UserId) -> Result<String, Error> {
    let password = domain::password::one_time();
    let hashed = hash_password(&password).await?;
    let target = get(core, actor, id).await?;
    db::users::reset_password(&core.db, actor, id, &hashed).await?;
    // Whoever forgot the password and tried too often gets in with the new one at once.
    let login = &target.user.login;
    db::throttle::forget_prefix(&core.db, &LOGIN_FROM_CLIENT, &format!("{login}|")).await?;
    db::throttle::forget(&core.db, &LOGIN_ANYWHERE, login).await?;
    Ok(password)
}

/// Disables or enables an account in scope; returns it as it is now.
pub async fn set_active(core: &Core, actor: &Actor, id: UserId, active: bool) -> Result<UserWithUnit, Error> {
    let target = get(core, actor, id).await?;
    db::users::set_active(&core.db, Some(actor), &target, active).await?;
    get(core, actor, id).await
}

/// The account's own e-mail address for notifications, as typed (empty: none).
pub async fn set_own_email(core: &Core, actor: &Actor, typed: &str) -> Result<Option<String>, Error> {
    let email = match typed.trim() {
        "" => None,
        e if domain::aid::is_email(e) => Some(e.to_lowercase()),
        _ => return Err(Invalid::one("email", ErrorCode::EmailFormat).into()),
    };
    db::users::set_own_email(&core.db, actor, email.clone()).await?;
    Ok(email)
}
