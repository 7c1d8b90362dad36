//! SeaORM entities, one per table.

pub mod api_token;
pub mod audit_log;
pub mod org_unit;
pub mod session;
pub mod user;
