//! SeaORM entities, one per table.

pub mod api_token;
pub mod audit_log;
pub mod campaign;
pub mod campaign_norm;
pub mod child;
pub mod child_category;
pub mod child_need;
pub mod child_status;
pub mod fund;
pub mod fund_cash_paid;
pub mod import_job;
pub mod ledger_entry;
pub mod ledger_item;
pub mod ledger_status;
pub mod org_unit;
pub mod proof;
pub mod reservation;
pub mod school_report;
pub mod session;
pub mod sponsor;
pub mod sponsor_account;
pub mod throttle_hit;
pub mod transfer_request;
pub mod unit_details;
pub mod user;
