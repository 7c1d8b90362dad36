//! Migrations: numbered, append-only, never edited once landed.

use sea_orm_migration::prelude::*;

mod m0001_foundation;
mod m0002_registry;
mod m0003_aid;
mod m0004_proofs;
mod m0005_reports;
mod m0006_report_totals;
mod m0007_statement_totals;
mod m0008_scope_indexes;
mod m0009_report_days;
mod m0010_check_totals;
mod m0011_job_heartbeat;
mod m0012_throttle;
mod m0013_search_fold;
mod m0014_sponsor_region;
mod m0015_confirm_and_details;
mod m0016_helped_by_source;
mod m0017_raids;
mod m0018_attendance;
mod m0019_field_totals;
mod m0020_finding_photos;
mod m0021_appeals;
mod m0022_appeal_totals;

/// Every migration, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_registry::Migration),
            Box::new(m0003_aid::Migration),
            Box::new(m0004_proofs::Migration),
            Box::new(m0005_reports::Migration),
            Box::new(m0006_report_totals::Migration),
            Box::new(m0007_statement_totals::Migration),
            Box::new(m0008_scope_indexes::Migration),
            Box::new(m0009_report_days::Migration),
            Box::new(m0010_check_totals::Migration),
            Box::new(m0011_job_heartbeat::Migration),
            Box::new(m0012_throttle::Migration),
            Box::new(m0013_search_fold::Migration),
            Box::new(m0014_sponsor_region::Migration),
            Box::new(m0015_confirm_and_details::Migration),
            Box::new(m0016_helped_by_source::Migration),
            Box::new(m0017_raids::Migration),
            Box::new(m0018_attendance::Migration),
            Box::new(m0019_field_totals::Migration),
            Box::new(m0020_finding_photos::Migration),
            Box::new(m0021_appeals::Migration),
            Box::new(m0022_appeal_totals::Migration),
        ]
    }
}
