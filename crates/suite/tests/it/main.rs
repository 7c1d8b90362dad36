//! One integration-test binary: the real router in-process, a fresh database per test, the
//! same suite on SQLite (default) and PostgreSQL (`DOROGA_TEST_DB=postgres`). A module per area
//! (its pages and its API together), and a few across areas: scope, the two doors, operations,
//! the catalogues, snapshots.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

mod abuse;
mod account;
mod aid;
mod appeal_flags;
mod appeal_report;
mod appeals;
mod attendance;
mod audit;
mod backup;
mod child_import;
mod children;
mod deliveries;
mod doors;
mod field_totals;
mod i18n;
mod matrix;
mod notify;
mod ops;
mod orgs;
mod poster;
mod proofs;
mod races;
mod raids;
mod reports;
mod scale;
mod scope;
mod snapshots_test;
mod sponsors;
mod survey;
mod today;
mod users;

use support::TestApp;

/// A small country: two regions, three districts, four schools.
pub struct World {
    pub app: TestApp,
    pub republic: i64,
    pub region_a: i64,
    pub region_b: i64,
    pub district_a1: i64,
    pub district_a2: i64,
    pub district_b1: i64,
    pub school_s1: i64,
    pub school_s2: i64,
    pub school_s3: i64,
    pub school_s4: i64,
}

impl World {
    pub async fn new() -> World {
        let app = TestApp::new().await;
        let republic = app.republic().await;
        let region_a = app.region("KZ-35").await;
        let region_b = app.region("KZ-71").await;
        let district_a1 = app.district(region_a, "г. Балхаш", "Балқаш қаласы").await;
        let district_a2 = app.district(region_a, "Каркаралинский район", "Қарқаралы ауданы").await;
        let district_b1 = app.district(region_b, "район Алматы", "Алматы ауданы").await;
        let school_s1 = app.school(district_a1, "1", "Школа № 1").await;
        let school_s2 = app.school(district_a1, "2", "Школа № 2").await;
        let school_s3 = app.school(district_a2, "3", "Школа № 3").await;
        let school_s4 = app.school(district_b1, "45", "Школа № 45").await;
        World {
            app,
            republic,
            region_a,
            region_b,
            district_a1,
            district_a2,
            district_b1,
            school_s1,
            school_s2,
            school_s3,
            school_s4,
        }
    }
}
