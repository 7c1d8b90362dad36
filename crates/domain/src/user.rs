//! User accounts as typed in forms and the API.

use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::error::{Checker, FieldError, Invalid};
use crate::role::Role;

/// Most characters in a login.
pub const LOGIN_MAX: usize = 64;
/// Most characters in a full name.
pub const FULL_NAME_MAX: usize = 200;

/// Normalises and checks a login: 3–64 of `a-z 0-9 . _ -`, case-insensitive.
pub fn parse_login(c: &mut Checker, raw: &str) -> String {
    let login = raw.trim().to_lowercase();
    if login.is_empty() {
        c.push(FieldError::new("login", ErrorCode::Required));
    } else if login.chars().count() > LOGIN_MAX {
        c.push(FieldError::new("login", ErrorCode::TooLong).with_limit(LOGIN_MAX as i64));
    } else if login.len() < 3
        || !login.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || "._-".contains(ch))
    {
        c.push(FieldError::new("login", ErrorCode::LoginFormat));
    }
    login
}

/// A login the system gives a self-registered account: `sponsor-` and seven random digits.
pub fn given_login() -> String {
    use rand::Rng;
    format!("sponsor-{:07}", rand::rng().random_range(0..10_000_000))
}

/// A new account as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct NewUserInput {
    /// Login name.
    #[serde(default)]
    pub login: String,
    /// Full name (Kazakh letters welcome).
    #[serde(default)]
    pub full_name: String,
    /// Role code.
    #[serde(default)]
    pub role: String,
    /// Org unit id.
    #[serde(default)]
    pub unit_id: Option<i64>,
}

/// A checked new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Normalised login.
    pub login: String,
    /// Full name.
    pub full_name: String,
    /// Role.
    pub role: Role,
    /// Org unit id.
    pub unit_id: i64,
}

impl NewUserInput {
    /// Checks every field.
    pub fn parse(&self) -> Result<NewUser, Invalid> {
        let mut c = Checker::default();
        let login = parse_login(&mut c, &self.login);
        let full_name = c.text("full_name", &self.full_name, FULL_NAME_MAX);
        let role = Role::parse(self.role.trim());
        if role.is_none() {
            c.push(FieldError::new(
                "role",
                if self.role.trim().is_empty() { ErrorCode::Required } else { ErrorCode::InvalidChoice },
            ));
        }
        if self.unit_id.is_none() {
            c.push(FieldError::new("unit_id", ErrorCode::Required));
        }
        match (role, self.unit_id) {
            (Some(role), Some(unit_id)) => c.finish(NewUser { login, full_name, role, unit_id }),
            _ => Err(c.finish(()).err().unwrap_or_else(|| Invalid::one("role", ErrorCode::Required))),
        }
    }
}

/// Changes to an account as typed: its name, role and unit (the login stays).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct AccountChange {
    /// Full name.
    #[serde(default)]
    pub full_name: String,
    /// Role code; never more than the actor has.
    #[serde(default)]
    pub role: String,
    /// Org unit id, within the actor's scope.
    #[serde(default)]
    pub unit_id: Option<i64>,
}

impl AccountChange {
    /// Checks the role and the unit, every problem listed (the name is checked with the account).
    pub fn parse(&self) -> Result<(Role, crate::OrgUnitId), Invalid> {
        let mut c = Checker::default();
        let role = Role::parse(self.role.trim());
        if role.is_none() {
            c.push(FieldError::new(
                "role",
                if self.role.trim().is_empty() { ErrorCode::Required } else { ErrorCode::InvalidChoice },
            ));
        }
        if self.unit_id.is_none() {
            c.push(FieldError::new("unit_id", ErrorCode::Required));
        }
        match (role, self.unit_id) {
            (Some(role), Some(unit)) => c.finish((role, crate::OrgUnitId(unit))),
            _ => Err(c.finish(()).err().unwrap_or_else(|| Invalid::one("role", ErrorCode::Required))),
        }
    }
}

/// Who is acting: a signed-in user with their role and scope. Every query over campaign data
/// takes an `Actor` (or its [`crate::Scope`]), so a handler cannot forget the scope.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    /// The user's id.
    pub user_id: crate::UserId,
    /// The user's login, kept in the audit log even if the account is later renamed.
    pub login: String,
    /// The user's role.
    pub role: Role,
    /// The user's scope.
    pub scope: crate::Scope,
}
