//! Doroga's domain: typed ids, org units, roles and scope, validation, money and dates.
//!
//! Nothing here knows SQL or HTTP; the `db` and `web` crates build on these types.

pub mod aid;
pub mod appeal;
pub mod attendance;
pub mod calendar;
pub mod child;
mod codes;
pub mod details;
pub mod error;
mod error_codes;
pub mod format;
pub mod ids;
pub mod iin;
pub mod locale;
pub mod org;
pub mod password;
pub mod raid;
pub mod role;
pub mod scope;
pub mod survey;
pub mod token;
pub mod user;

pub use error::{FieldError, Invalid};
pub use error_codes::ErrorCode;
pub use ids::{
    CampaignId, ChildId, ConflictId, EntryId, HoldId, ImportJobId, NeedId, OrgUnitId, ProofId, RaidId, SponsorId,
    TransferId, UserId,
};
pub use locale::Locale;
pub use org::{OrgKind, OrgUnitInput, SchoolLanguage};
pub use role::Role;
pub use scope::Scope;
pub use user::Actor;
