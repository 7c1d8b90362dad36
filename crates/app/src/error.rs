//! The application layer's one error type: what a use case can fail with, in terms both doors
//! (the pages and the API) render. Storage failures arrive here as [`Error::Internal`], with
//! their text for the log, never for the user.

use domain::Invalid;

pub use db::error::Denial;

/// What a use case can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such record.
    #[error("not found")]
    NotFound,
    /// The record lies outside the actor's scope; the web layer writes the attempt to the audit
    /// log once the request is over ([`crate::audit::record_denial`]).
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
    /// Too many requests from this client for now: try again in so many seconds.
    #[error("throttled for {0} s")]
    Throttled(i64),
    /// The input broke a rule; every problem is listed.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// Anything else (the database, a file, a writer): logged, shown as a generic message.
    #[error("internal: {0}")]
    Internal(String),
}

impl Error {
    /// An internal failure, from anything that can say what went wrong.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        Error::Internal(e.to_string())
    }
}

impl From<db::Error> for Error {
    fn from(e: db::Error) -> Self {
        match e {
            db::Error::NotFound => Error::NotFound,
            db::Error::NotInScope(d) => Error::NotInScope(d),
            db::Error::Forbidden => Error::Forbidden,
            db::Error::Invalid(i) => Error::Invalid(i),
            db::Error::Throttled(wait) => Error::Throttled(wait),
            db::Error::Registered { child_id, school } => Error::Registered { child_id, school },
            db::Error::Db(e) => Error::Internal(e.to_string()),
        }
    }
}

impl From<sea_orm::DbErr> for Error {
    fn from(e: sea_orm::DbErr) -> Self {
        Error::Internal(e.to_string())
    }
}
