//! `doroga demo --scale national`: a country-sized campaign for reports and benchmarks — the 20
//! regions, about 200 districts, about 7,500 schools, 500,000 children and 1,500,000 ledger
//! entries, with realistic spreads: big and small regions, village and city schools, children
//! in one or two categories, most helped from one to six times, from the fund, sponsors, fairs
//! and programmes, planned, delivered and confirmed, a few reversed, over August and September.
//!
//! It writes in large batches with ids assigned here (so that entries, items and categories
//! need no round trip), and keeps the invariants the ledger keeps: a fund never spends more
//! than its allocation and its `spent` is the sum of its delivered entries; a reversal negates
//! its entry. Generated with a fixed seed: the same data every time.

mod data;
mod field;
mod front;
mod setup;

use std::time::Instant;

use chrono::{Days, NaiveDate, Utc};
use data::{CATEGORIES, ITEMS, NAMES, SPONSOR_NAMES, SURNAMES, pick};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseBackend, EntityTrait, Statement};

use crate::Db;
use crate::entity::{child, child_category, fund, ledger_entry, ledger_item};
use crate::error::Error;
use crate::totals;

type Result<T> = std::result::Result<T, Error>;

fn custom(message: String) -> Error {
    Error::Db(sea_orm::DbErr::Custom(message))
}

/// How big a data set to make (1.0 = national).
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// Districts per region.
    pub districts_per_region: usize,
    /// Schools in all.
    pub schools: usize,
    /// Children in all.
    pub children: usize,
    /// Children written per transaction (with their help).
    pub children_per_commit: usize,
}

impl Scale {
    /// The national scale of issue 5.
    pub const NATIONAL: Scale =
        Scale { districts_per_region: 10, schools: 7_500, children: 500_000, children_per_commit: 10_000 };

    /// A fraction of it (for quick runs).
    pub fn times(self, f: f64) -> Scale {
        let n = |x: usize| ((x as f64 * f).round() as usize).max(1);
        Scale { schools: n(self.schools), children: n(self.children), ..self }
    }
}

/// What was written and how long it took.
#[derive(Debug, Default)]
pub struct Summary {
    /// Districts.
    pub districts: usize,
    /// Schools.
    pub schools: usize,
    /// Children.
    pub children: usize,
    /// Ledger entries.
    pub entries: usize,
    /// Ledger items.
    pub items: usize,
    /// Raids.
    pub raids: usize,
    /// Children found on raids.
    pub findings: usize,
    /// Pupils out of school.
    pub absences: usize,
    /// Steps of their cases.
    pub steps: usize,
    /// Appeals.
    pub appeals: usize,
    /// Survey answers.
    pub answers: usize,
    /// Seconds.
    pub seconds: f64,
}

/// Rows per statement for a table of `columns` columns (SQLite allows 32,766 parameters).
fn chunk(columns: usize) -> usize {
    32_766 / columns
}

/// The next free id of a table.
async fn next_id(db: &impl ConnectionTrait, table: &str) -> Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), format!("SELECT MAX(id) FROM {table}")))
        .await?
        .ok_or_else(|| custom("max id".into()))?;
    Ok(row.try_get_by_index::<Option<i64>>(0)?.unwrap_or(0) + 1)
}

/// After ids were given by hand, PostgreSQL's sequences must move past them.
async fn move_sequences(db: &impl ConnectionTrait) -> Result<()> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    for table in [
        "org_units",
        "children",
        "ledger_entries",
        "ledger_items",
        "funds",
        "raids",
        "raid_findings",
        "absences",
        "cases",
        "case_steps",
        "appeals",
        "appeal_events",
        "survey_answers",
    ] {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
        ))
        .await?;
    }
    Ok(())
}

/// A valid IIN for the `i`-th child, unique for `i` below 1,375,000: birth date, sex, a serial.
pub fn iin_for(i: usize, female: bool) -> (String, NaiveDate) {
    let birth = NaiveDate::from_ymd_opt(2008, 1, 1)
        .and_then(|d| d.checked_add_days(Days::new((i % 4000) as u64)))
        .unwrap_or_default();
    let head = format!("{}{}", birth.format("%y%m%d"), if female { 6 } else { 5 });
    let base = (i / 4000) * 11;
    let iin = (0..11)
        .find_map(|k| {
            let s = format!("{head}{:04}", base + k);
            let d: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
            domain::iin::check_digit(&d).map(|c| format!("{s}{c}"))
        })
        .unwrap_or_default();
    (iin, birth)
}

/// Writes the national data set into the current campaign (made if missing). Refuses a campaign
/// that already has children, so it is never loaded twice.
pub async fn load(db: &Db, scale: Scale) -> Result<Summary> {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(2026);
    let (campaign, user) = setup::campaign_and_loader(db).await?;
    let now = Utc::now();
    let mut summary = Summary::default();
    let schools = setup::units(db, scale, &mut rng, &mut summary, now).await?;
    summary.schools = schools.len();

    // Children per school: villages small, cities large, summing to the target.
    let sizes: Vec<f64> =
        schools.iter().map(|s| if s.2 { rng.random_range(0.2..1.0) } else { rng.random_range(0.8..2.6) }).collect();
    let sum: f64 = sizes.iter().sum();
    let mut per_school: Vec<usize> = sizes.iter().map(|s| (s / sum * scale.children as f64) as usize).collect();
    let short = scale.children - per_school.iter().sum::<usize>();
    for n in per_school.iter_mut().take(short) {
        *n += 1;
    }

    let mut child_id = next_id(db, "children").await?;
    let mut entry_id = next_id(db, "ledger_entries").await?;
    let mut item_id = next_id(db, "ledger_items").await?;
    let start = campaign.starts_on;
    let mut children: Vec<child::ActiveModel> = Vec::new();
    let mut categories: Vec<child_category::ActiveModel> = Vec::new();
    let mut entries: Vec<ledger_entry::ActiveModel> = Vec::new();
    let mut items: Vec<ledger_item::ActiveModel> = Vec::new();
    let mut funds: Vec<fund::ActiveModel> = Vec::new();
    let mut n = 0usize;
    let written = async {
        let mut txn = crate::write_txn(db).await?;
        // The reports' running totals are summed once at the end instead of kept write by write (`db::totals`):
        // their triggers made the load several times slower on PostgreSQL.
        totals::drop_triggers(&txn).await?;
        for ((school, path, _), count) in schools.iter().zip(per_school) {
            let mut fund_spent = 0i64;
            let mut fund_planned = 0i64;
            for _ in 0..count {
                let female = rng.random_bool(0.5);
                let (iin, birth) = iin_for(n, female);
                n += 1;
                let cat = pick(&mut rng, &CATEGORIES);
                let needs_cost = rng.random_range(30_000..90_000i64) * 100;
                let helped = rng.random_bool(0.85);
                let entries_here = if helped {
                    [1, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 5, 5, 5, 6, 6][rng.random_range(0..20)]
                } else {
                    0
                };
                let (surname, first) = (SURNAMES[rng.random_range(0..12)], NAMES[rng.random_range(0..12)]);
                children.push(child::ActiveModel {
                    id: Set(child_id),
                    campaign_id: Set(campaign.id),
                    iin: Set(iin.clone()),
                    surname: Set(surname.into()),
                    first_name: Set(first.into()),
                    patronymic: Set(None),
                    birth_date: Set(birth),
                    sex: Set(if female { "female" } else { "male" }.into()),
                    school_id: Set(*school),
                    unit_path: Set(path.clone()),
                    grade: Set((2025 - chrono::Datelike::year(&birth)).clamp(0, 11) as i16),
                    study_language: Set(if rng.random_bool(0.7) { "kk" } else { "ru" }.into()),
                    categories: Set(cat.into()),
                    decision_no: Set(None),
                    decision_date: Set(None),
                    guardian_name: Set(format!("{surname} (мать)")),
                    guardian_relation: Set(None),
                    guardian_phone: Set(None),
                    address: Set(None),
                    settlement: Set(None),
                    family_children: Set(None),
                    consent_by: Set("parent".into()),
                    consent_method: Set("written".into()),
                    consent_date: Set(start),
                    source: Set("school_list".into()),
                    status: Set(if helped { "aid_delivered" } else { "identified" }.into()),
                    status_reason: Set(None),
                    search_key: Set(crate::org::fold(&format!("{surname} {first} {iin}"))),
                    needs_cost: Set(needs_cost),
                    created_at: Set(now),
                    updated_at: Set(now),
                });
                categories.push(child_category::ActiveModel { child_id: Set(child_id), category: Set(cat.into()) });
                if rng.random_bool(0.2) {
                    let second = pick(&mut rng, &CATEGORIES);
                    if second != cat {
                        categories.push(child_category::ActiveModel {
                            child_id: Set(child_id),
                            category: Set(second.into()),
                        });
                    }
                }
                for _ in 0..entries_here {
                    let source = pick(&mut rng, &[("fund", 50), ("sponsor", 35), ("fair", 10), ("programme", 5)]);
                    let status = pick(&mut rng, &[("delivered", 60), ("confirmed", 25), ("planned", 15)]);
                    let (item, price) = ITEMS[rng.random_range(0..ITEMS.len())];
                    let goods = source == "fund" || rng.random_bool(0.6);
                    let amount = (price + rng.random_range(-3_000..5_000i64)) * 100;
                    // Most help comes in the last fortnight of August.
                    let day = if rng.random_bool(0.6) { rng.random_range(14..31) } else { rng.random_range(0..61) };
                    let date = start.checked_add_days(Days::new(day)).unwrap_or(start);
                    if source == "fund" && status != "planned" {
                        fund_spent += amount;
                    } else if source == "fund" {
                        fund_planned += amount;
                    }
                    let entry =
                        |id: i64, amount: i64, reverses: Option<i64>, date: NaiveDate| ledger_entry::ActiveModel {
                            id: Set(id),
                            campaign_id: Set(campaign.id),
                            child_id: Set(child_id),
                            school_id: Set(*school),
                            unit_path: Set(path.clone()),
                            source: Set(source.into()),
                            sponsor_id: Set(None),
                            form: Set(if goods {
                                "goods"
                            } else if source == "fund" {
                                "certificate"
                            } else {
                                "cash"
                            }
                            .into()),
                            amount: Set(amount),
                            status: Set(status.into()),
                            entry_date: Set(date),
                            organised_by: Set(
                                (source == "sponsor").then(|| SPONSOR_NAMES[(child_id as usize) % 8].to_owned())
                            ),
                            giver_kind: Set((source == "sponsor").then(|| "company".to_owned())),
                            note: Set(None),
                            reverses_id: Set(reverses),
                            reason: Set(reverses.map(|_| "Ошибка в сумме".to_owned())),
                            recorded_by: Set(user),
                            recorded_login: Set("national-loader".into()),
                            created_at: Set(now),
                        };
                    entries.push(entry(entry_id, amount, None, date));
                    if goods {
                        items.push(ledger_item::ActiveModel {
                            id: Set(item_id),
                            entry_id: Set(entry_id),
                            item: Set(item.into()),
                            quantity: Set(1),
                            value: Set(amount),
                        });
                        item_id += 1;
                    }
                    entry_id += 1;
                    // One entry in three hundred is corrected by a reversal.
                    if rng.random_ratio(1, 300) {
                        if source == "fund" && status != "planned" {
                            fund_spent -= amount;
                        }
                        let later = date.checked_add_days(Days::new(3)).unwrap_or(date);
                        entries.push(entry(entry_id, -amount, Some(entry_id - 1), later));
                        entry_id += 1;
                    }
                }
                child_id += 1;
            }
            // The fund: its allocation covers what was spent and planned, with a margin.
            funds.push(fund::ActiveModel {
                school_id: Set(*school),
                campaign_id: Set(campaign.id),
                allocation: Set((fund_spent + fund_planned) / 100 * 110),
                spent: Set(fund_spent),
                updated_at: Set(now),
                ..Default::default()
            });
            if children.len() >= scale.children_per_commit {
                flush(&txn, &mut children, &mut categories, &mut entries, &mut items, &mut funds, &mut summary).await?;
                // Commit every so often: one huge transaction helps neither database.
                txn.commit().await?;
                txn = crate::write_txn(db).await?;
            }
        }
        flush(&txn, &mut children, &mut categories, &mut entries, &mut items, &mut funds, &mut summary).await?;
        totals::rebuild(&txn).await?;
        txn.commit().await?;
        Ok::<(), Error>(())
    }
    .await;
    if let Err(e) = written {
        // The batches committed before the failure stay, without their totals, and the triggers
        // went with the first of them: sum the totals and make the triggers again, so that the
        // reports and the writes after this are right without waiting for the next start.
        if let Err(again) = crate::restore_totals(db).await {
            tracing::error!(error = %again, "national load: the running totals are not restored; `doroga migrate` restores them");
        }
        return Err(e);
    }
    field::load(db, scale, &campaign, user, &schools, &mut rng, &mut summary).await?;
    front::load(db, scale, &campaign, user, &schools, &mut rng, &mut summary).await?;
    move_sequences(db).await?;
    // Fresh statistics for the planner (both databases understand ANALYZE).
    db.execute_unprepared("ANALYZE").await?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// How many columns a table's rows bind (each is one SQL variable of a batch).
fn columns<C: sea_orm::Iterable>() -> usize {
    C::iter().count()
}

async fn flush(
    txn: &impl ConnectionTrait,
    children: &mut Vec<child::ActiveModel>,
    categories: &mut Vec<child_category::ActiveModel>,
    entries: &mut Vec<ledger_entry::ActiveModel>,
    items: &mut Vec<ledger_item::ActiveModel>,
    funds: &mut Vec<fund::ActiveModel>,
    summary: &mut Summary,
) -> Result<()> {
    summary.children += children.len();
    summary.entries += entries.len();
    summary.items += items.len();
    for batch in children.chunks(chunk(columns::<child::Column>())) {
        child::Entity::insert_many(batch.to_vec()).exec_without_returning(txn).await?;
    }
    for batch in categories.chunks(chunk(columns::<child_category::Column>())) {
        child_category::Entity::insert_many(batch.to_vec()).exec_without_returning(txn).await?;
    }
    for batch in entries.chunks(chunk(columns::<ledger_entry::Column>())) {
        ledger_entry::Entity::insert_many(batch.to_vec()).exec_without_returning(txn).await?;
    }
    for batch in items.chunks(chunk(columns::<ledger_item::Column>())) {
        ledger_item::Entity::insert_many(batch.to_vec()).exec_without_returning(txn).await?;
    }
    for batch in funds.chunks(chunk(6)) {
        fund::Entity::insert_many(batch.to_vec()).exec_without_returning(txn).await?;
    }
    children.clear();
    categories.clear();
    entries.clear();
    items.clear();
    funds.clear();
    Ok(())
}
