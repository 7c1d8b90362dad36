//! Accounts: signing in, one's own password and language, and the accounts a coordinator
//! manages within the scope.

use chrono::{DateTime, Utc};
use domain::user::{AccountChange, NewUser, NewUserInput};
use domain::{Actor, ErrorCode, FieldError, Invalid, Locale, OrgUnitId, Role, UserId};

use crate::entity::user;
use crate::{Core, Error};

pub use db::users::UserWithUnit;

/// How a sign-in ended.
#[derive(Debug)]
pub enum SignIn {
    /// The password is right: the account (the failure counter cleared).
    Welcome(Box<UserWithUnit>),
    /// Unknown login, disabled account or wrong password.
    Refused,
    /// The account is locked until then (now or by this failure).
    Locked(DateTime<Utc>),
}

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

/// Checks a login and password (argon2id), counting failures in the database and locking the
/// account after too many. An unknown login costs as long as a real check, so timing does not
/// tell which logins exist.
pub async fn sign_in(core: &Core, login: &str, password: &str) -> Result<SignIn, Error> {
    let login = login.trim().to_lowercase();
    let found = db::users::by_login(&core.db, &login).await?;
    let Some(u) = found.filter(|u| u.user.active) else {
        let _ = verify(password, &core.dummy_hash).await;
        if !login.is_empty() {
            db::users::record_unknown_login(&core.db, &login).await?;
        }
        return Ok(SignIn::Refused);
    };
    let now = Utc::now();
    if let Some(until) = u.user.locked_until.filter(|until| *until > now) {
        return Ok(SignIn::Locked(until));
    }
    if !verify(password, &u.user.password_hash).await? {
        return Ok(match db::users::record_failed_login(&core.db, &u, now).await? {
            Some(until) => SignIn::Locked(until),
            None => SignIn::Refused,
        });
    }
    db::users::record_login(&core.db, &u).await?;
    Ok(SignIn::Welcome(Box::new(u)))
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
    db::users::reset_password(&core.db, actor, id, &hashed).await?;
    Ok(password)
}

/// Disables or enables an account in scope; returns it as it is now.
pub async fn set_active(core: &Core, actor: &Actor, id: UserId, active: bool) -> Result<UserWithUnit, Error> {
    let target = get(core, actor, id).await?;
    db::users::set_active(&core.db, Some(actor), &target, active).await?;
    get(core, actor, id).await
}
