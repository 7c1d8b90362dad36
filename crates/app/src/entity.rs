//! The records the use cases return, as the storage reads them: plain structs with public
//! fields (the storage's other machinery stays behind `db`).

/// A `api_token` record.
pub mod api_token {
    pub use db::entity::api_token::Model;
}
/// A `campaign` record.
pub mod campaign {
    pub use db::entity::campaign::Model;
}
/// A `child` record.
pub mod child {
    pub use db::entity::child::Model;
}
/// A `child_need` record.
pub mod child_need {
    pub use db::entity::child_need::Model;
}
/// A `child_status` record.
pub mod child_status {
    pub use db::entity::child_status::Model;
}
/// A `fund` record.
pub mod fund {
    pub use db::entity::fund::Model;
}
/// A `import_job` record.
pub mod import_job {
    pub use db::entity::import_job::Model;
}
/// A `ledger_entry` record.
pub mod ledger_entry {
    pub use db::entity::ledger_entry::Model;
}
/// A `ledger_item` record.
pub mod ledger_item {
    pub use db::entity::ledger_item::Model;
}
/// A `org_unit` record.
pub mod org_unit {
    pub use db::entity::org_unit::Model;
}
/// A `finding_photo` record.
pub mod finding_photo {
    pub use db::entity::finding_photo::Model;
}
/// A `proof` record.
pub mod proof {
    pub use db::entity::proof::Model;
}
/// A `reservation` record.
pub mod reservation {
    pub use db::entity::reservation::Model;
}
/// A `sponsor` record.
pub mod sponsor {
    pub use db::entity::sponsor::Model;
}
/// A `transfer_request` record.
pub mod transfer_request {
    pub use db::entity::transfer_request::Model;
}
/// A `user` record.
pub mod user {
    pub use db::entity::user::Model;
}
/// A `unit_details` record.
pub mod unit_details {
    pub use db::entity::unit_details::Model;
}
/// A `raid` record.
pub mod raid {
    pub use db::entity::raid::Model;
}
/// A `raid_finding` record.
pub mod raid_finding {
    pub use db::entity::raid_finding::Model;
}
/// A `raid_place` record.
pub mod raid_place {
    pub use db::entity::raid_place::Model;
}
/// A `raid_participant` record.
pub mod raid_participant {
    pub use db::entity::raid_participant::Model;
}
/// A `sync_conflict` record.
pub mod sync_conflict {
    pub use db::entity::sync_conflict::Model;
}
/// A `absence` record.
pub mod absence {
    pub use db::entity::absence::Model;
}
/// A `case` record.
pub mod case {
    pub use db::entity::case::Model;
}
/// A `case_step` record.
pub mod case_step {
    pub use db::entity::case_step::Model;
}
/// A `warning_threshold` record.
pub mod warning_threshold {
    pub use db::entity::warning_threshold::Model;
}
/// An `appeal` record.
pub mod appeal {
    pub use db::entity::appeal::Model;
}
/// An `appeal_event` record.
pub mod appeal_event {
    pub use db::entity::appeal_event::Model;
}
/// A `work_day` record.
pub mod work_day {
    pub use db::entity::work_day::Model;
}
/// A `unit_contact` record.
pub mod unit_contact {
    pub use db::entity::unit_contact::Model;
}
/// An `outbox` record.
pub mod outbox {
    pub use db::entity::outbox::Model;
}
/// A `survey_answer` record.
pub mod survey_answer {
    pub use db::entity::survey_answer::Model;
}
