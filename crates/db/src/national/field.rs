//! The half of the campaign that keeps children in school, at national scale: about 77,000 raids
//! in the ten days around 1 September (a school's mostly, with a few participants of two to four
//! categories, a child found in one raid in three), and one pupil in twenty not at school from
//! September on, with its days out, its case and one to four steps. Scaled with the children.

use chrono::{Datelike, Days, NaiveDate, Utc};
use rand::Rng;
use rand::rngs::StdRng;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use super::data::pick;
use super::{Result, Scale, Summary, chunk, columns, iin_for, next_id};
use crate::entity::{absence, absent_day, campaign, case, case_step, raid, raid_finding, raid_participant, raid_place};

const PLACES: [(&str, u32); 6] =
    [("computer_club", 30), ("market", 20), ("station", 15), ("entertainment", 15), ("home", 15), ("other", 5)];
const PEOPLE: [&str; 6] = ["teacher", "education_staff", "police", "social_protection", "ngo", "parent"];
const ACTIONS: [(&str, u32); 6] = [
    ("taken_home", 40),
    ("taken_to_school", 30),
    ("police", 10),
    ("kdn", 10),
    ("social_protection", 7),
    ("medical", 3),
];
const REASONS: [(&str, u32); 7] = [
    ("material", 30),
    ("neglect", 20),
    ("left_alone", 15),
    ("illness", 15),
    ("moved", 10),
    ("working", 5),
    ("other", 5),
];
const STEPS: [&str; 4] = ["call", "talk", "home_visit", "referral_kdn"];

/// Writes every batch of a table.
pub(super) async fn write<E: EntityTrait>(
    db: &impl ConnectionTrait,
    rows: Vec<E::ActiveModel>,
    width: usize,
) -> Result<()>
where
    E::ActiveModel: Clone,
{
    for batch in rows.chunks(chunk(width)) {
        E::insert_many(batch.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

/// The region and district ids of a school's path.
fn levels(path: &str) -> (i64, i64) {
    let (region, district, _) = crate::scope::levels(path);
    (region.unwrap_or_default(), district.unwrap_or_default())
}

/// Raids, findings, pupils out, their days, cases and steps for the campaign's schools.
pub(super) async fn load(
    db: &crate::Db,
    scale: Scale,
    c: &campaign::Model,
    user: i64,
    schools: &[(i64, String, bool)],
    rng: &mut StdRng,
    summary: &mut Summary,
) -> Result<()> {
    let share = scale.children as f64 / super::Scale::NATIONAL.children as f64;
    let now = Utc::now();
    let sept = NaiveDate::from_ymd_opt(c.year, 9, 1).unwrap_or(c.starts_on);
    let txn = crate::write_txn(db).await?;
    let (mut raid_id, mut finding_id) = (next_id(&txn, "raids").await?, next_id(&txn, "raid_findings").await?);
    let first_raid = raid_id;
    crate::totals::field::pause(&txn, &crate::totals::field::RAID_TABLES).await?;
    let (mut raids, mut places, mut people, mut findings) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..((77_000.0 * share) as usize).max(1) {
        let (school, path, _) = &schools[rng.random_range(0..schools.len())];
        let (region, district) = levels(path);
        let held_on = sept - Days::new(5) + Days::new(rng.random_range(0..10));
        raids.push(raid::ActiveModel {
            id: Set(raid_id),
            campaign_id: Set(c.id),
            unit_id: Set(*school),
            unit_path: Set(path.clone()),
            region_id: Set(Some(region)),
            district_id: Set(Some(district)),
            school_id: Set(Some(*school)),
            held_on: Set(held_on),
            starts_at: Set(Some("18:00".into())),
            note: Set(None),
            created_by: Set(user),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        });
        for position in 0..rng.random_range(1..4i16) {
            let kind = pick(rng, &PLACES).to_owned();
            places.push(raid_place::ActiveModel {
                raid_id: Set(raid_id),
                position: Set(position),
                kind: Set(kind),
                address: Set(None),
            });
        }
        let first = rng.random_range(0..PEOPLE.len());
        for k in 0..rng.random_range(2..5usize) {
            let kind = PEOPLE[(first + k) % PEOPLE.len()].to_owned();
            people.push(raid_participant::ActiveModel {
                raid_id: Set(raid_id),
                kind: Set(kind),
                count: Set(rng.random_range(1..3)),
            });
        }
        if rng.random_ratio(1, 3) {
            findings.push(raid_finding::ActiveModel {
                id: Set(finding_id),
                raid_id: Set(raid_id),
                campaign_id: Set(c.id),
                unit_path: Set(path.clone()),
                client_id: Set(format!("00000000-0000-4000-8000-{finding_id:012}")),
                iin: Set(None),
                name: Set(None),
                sex: Set(if rng.random_bool(0.6) { "male" } else { "female" }.into()),
                age: Set(Some(rng.random_range(8..17))),
                place: Set(pick(rng, &PLACES).into()),
                address: Set(None),
                found_at: Set(Some("21:00".into())),
                circumstances: Set(None),
                action: Set(pick(rng, &ACTIONS).into()),
                created_by: Set(user),
                created_at: Set(now),
                updated_by: Set(user),
                updated_at: Set(now),
                version: Set(1),
            });
            finding_id += 1;
        }
        raid_id += 1;
    }
    summary.raids = raids.len();
    summary.findings = findings.len();
    write::<raid::Entity>(&txn, raids, columns::<raid::Column>()).await?;
    write::<raid_place::Entity>(&txn, places, 4).await?;
    write::<raid_participant::Entity>(&txn, people, 3).await?;
    write::<raid_finding::Entity>(&txn, findings, columns::<raid_finding::Column>()).await?;
    let sums = crate::totals::field::raid_sums(first_raid);
    crate::totals::field::resume(&txn, &crate::totals::field::RAID_TABLES, sums).await?;
    txn.commit().await?;

    // Pupils out: most from the first school day, half of them back within a few weeks.
    let cal = domain::attendance::Calendar::kazakhstan_2026();
    let school_days = cal.school_days(sept, sept + Days::new(40));
    let txn = crate::write_txn(db).await?;
    let (mut absence_id, mut case_id, mut step_id) =
        (next_id(&txn, "absences").await?, next_id(&txn, "cases").await?, next_id(&txn, "case_steps").await?);
    let first_absence = absence_id;
    crate::totals::field::pause(&txn, &crate::totals::field::PUPIL_TABLES).await?;
    let (mut absences, mut days, mut cases, mut steps) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for k in 0..(scale.children / 20).max(1) {
        let (school, path, _) = &schools[rng.random_range(0..schools.len())];
        let (region, district) = levels(path);
        let (iin, birth) = iin_for(scale.children + k, rng.random_bool(0.5));
        let start = if rng.random_bool(0.6) { 0 } else { rng.random_range(1..15) };
        let out = rng.random_range(2..20usize);
        let back = rng.random_bool(0.5).then(|| school_days.get(start + out).copied()).flatten();
        let out_days: Vec<NaiveDate> = school_days.iter().skip(start).take(out).copied().collect();
        days.extend(out_days.iter().map(|d| absent_day::ActiveModel {
            campaign_id: Set(c.id),
            iin: Set(iin.clone()),
            day: Set(*d),
            school_id: Set(*school),
        }));
        absences.push(absence::ActiveModel {
            id: Set(absence_id),
            campaign_id: Set(c.id),
            unit_path: Set(path.clone()),
            region_id: Set(region),
            district_id: Set(district),
            school_id: Set(*school),
            iin: Set(iin),
            surname: Set(super::data::SURNAMES[k % 12].into()),
            first_name: Set(super::data::NAMES[k % 12].into()),
            grade: Set(Some((c.year - birth.year() - 7).clamp(0, 11) as i16)),
            child_id: Set(None),
            first_day: Set(school_days[start]),
            reason: Set(Some(pick(rng, &REASONS).into())),
            returned_on: Set(back),
            days_out: Set(out_days.len() as i32),
            note: Set(None),
            source: Set(if rng.random_bool(0.7) { "typed" } else { "journal" }.into()),
            created_by: Set(user),
            created_at: Set(now),
            updated_by: Set(user),
            updated_at: Set(now),
            version: Set(1),
        });
        let status = if back.is_some() {
            "closed"
        } else if rng.random_ratio(1, 20) {
            "signing"
        } else {
            "open"
        };
        cases.push(case::ActiveModel {
            id: Set(case_id),
            absence_id: Set(absence_id),
            campaign_id: Set(c.id),
            unit_path: Set(path.clone()),
            region_id: Set(region),
            district_id: Set(district),
            school_id: Set(*school),
            status: Set(status.into()),
            opened_on: Set(school_days[start]),
            opened_by: Set(Some(user)),
            warning: Set(None),
            warning_value: Set(None),
            closing: Set(back.map(|_| "returned".into())),
            closed_on: Set(back),
            receiving_school: Set(None),
            closing_note: Set(None),
            closed_by: Set(back.map(|_| user)),
            signed_by: Set(None),
            signed_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        });
        for (i, kind) in STEPS.iter().take(rng.random_range(1..5)).enumerate() {
            let done = status == "closed" || rng.random_bool(0.5);
            let due = school_days.get(start + 1 + i * 2).copied().unwrap_or(sept);
            steps.push(case_step::ActiveModel {
                id: Set(step_id),
                case_id: Set(case_id),
                absence_id: Set(absence_id),
                client_id: Set(None),
                campaign_id: Set(c.id),
                region_id: Set(region),
                district_id: Set(district),
                school_id: Set(*school),
                kind: Set((*kind).into()),
                owner_id: Set(Some(user)),
                due_on: Set(due),
                done_on: Set(done.then_some(due)),
                outcome: Set(done.then(|| "Проведено".into())),
                state: Set(if done { "done" } else { "todo" }.into()),
                created_by: Set(Some(user)),
                created_at: Set(now),
                updated_by: Set(Some(user)),
                updated_at: Set(now),
                version: Set(1),
            });
            step_id += 1;
        }
        absence_id += 1;
        case_id += 1;
    }
    summary.absences = absences.len();
    summary.steps = steps.len();
    write::<absence::Entity>(&txn, absences, columns::<absence::Column>()).await?;
    write::<absent_day::Entity>(&txn, days, 4).await?;
    write::<case::Entity>(&txn, cases, columns::<case::Column>()).await?;
    write::<case_step::Entity>(&txn, steps, columns::<case_step::Column>()).await?;
    let sums = crate::totals::field::pupil_sums(first_absence);
    crate::totals::field::resume(&txn, &crate::totals::field::PUPIL_TABLES, sums).await?;
    txn.commit().await?;
    Ok(())
}
