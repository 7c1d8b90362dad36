//! The storage layer's one error type.

use domain::{ErrorCode, Invalid};
use sea_orm::{DbErr, SqlErr};

/// What can go wrong in a storage call, in terms the web layer can render.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such record.
    #[error("not found")]
    NotFound,
    /// The record exists but lies outside the actor's scope. The web layer writes the attempt
    /// to the audit log once the request's transaction is over ([`crate::audit::record_denial`]),
    /// so a rolled-back write cannot take the record of the attempt with it.
    #[error("not in scope")]
    NotInScope(Box<Denial>),
    /// The actor's role does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// The child's IIN is already registered in this campaign at another school. `school` is
    /// that school when it lies in the actor's scope (otherwise it is not named).
    #[error("already registered")]
    Registered {
        /// The existing record.
        child_id: i64,
        /// The school holding it, if the actor may know it.
        school: Option<Box<crate::entity::org_unit::Model>>,
    },
    /// The input broke a rule; every problem is listed.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// A client over a limit ([`crate::throttle::Limit`]): seconds until it may try again.
    #[error("throttled")]
    Throttled(i64),
    /// The database failed.
    #[error(transparent)]
    Db(DbErr),
}

impl From<DbErr> for Error {
    /// A unique-key violation that a query did not name as its field's error (it should) is still
    /// the client's duplicate or a race, never a server error: a duplicate of the record, logged so
    /// that the query gets its own mapping.
    fn from(e: DbErr) -> Self {
        if is_unique_violation(&e) {
            tracing::warn!(error = %e, "a unique-key violation without its field error");
            Error::Invalid(Invalid::one("record", ErrorCode::Duplicate))
        } else {
            Error::Db(e)
        }
    }
}

/// Whether a database error is a unique-key violation.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Maps a unique-key violation to a field error, other errors through.
pub fn unique_as(field: &'static str) -> impl FnOnce(DbErr) -> Error {
    move |err| {
        if is_unique_violation(&err) {
            Error::Invalid(Invalid::one(field, ErrorCode::Duplicate))
        } else {
            Error::Db(err)
        }
    }
}

/// An attempt on a record outside the actor's scope.
#[derive(Debug, Clone)]
pub struct Denial {
    /// Who tried.
    pub actor: domain::Actor,
    /// `org_unit`, `user`, `child`, …
    pub entity: &'static str,
    /// The record.
    pub id: i64,
    /// Where the record lives (its unit's path).
    pub target_path: String,
}
