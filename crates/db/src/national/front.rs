//! The public front door at national scale: a year of appeals (150,000, most through the schools'
//! QR codes and the contact centre 111, in every status: answered in time or late, open, overdue,
//! forwarded, extended, the applicants' "solved?") with their terms on the working-day calendar,
//! and the summer's survey answers (500,000, a third not ready, half of those asking for help:
//! leads open or closed). Scaled with the children; the appeals' totals by day are summed once
//! after the load, the survey's written with it.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, Utc};
use domain::appeal::{Routing, Topic, term};
use rand::Rng;
use rand::rngs::StdRng;
use sea_orm::{ActiveValue::Set, EntityTrait};

use super::data::{NAMES, SURNAMES, pick};
use super::field::write;
use super::{Result, Scale, Summary, chunk, columns, next_id};
use crate::entity::{appeal, appeal_event, campaign, survey_answer, survey_day};

const CHANNELS: [(&str, u32); 8] = [
    ("qr", 45),
    ("web", 12),
    ("center_111", 15),
    ("hotline", 12),
    ("trust_phone", 6),
    ("reception", 5),
    ("messenger", 3),
    ("letter", 2),
];
const TOPICS: [(&str, u32); 5] = [
    ("help_not_received", 35),
    ("not_at_school", 20),
    ("school_complaint", 15),
    ("sponsor_complaint", 5),
    ("other", 25),
];
const MISSING: [&str; 5] = ["uniform", "shoes", "backpack_supplies", "outerwear", "other"];
const SITUATION: [&str; 5] = ["asp", "large_family", "orphan", "no_parental_care", "low_income"];

/// The first `n` ids of a path (`/1/2/3/4/`) as a path, and the last of them.
fn prefix(path: &str, n: usize) -> (String, i64) {
    let ids: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).take(n).collect();
    (format!("/{}/", ids.join("/")), ids.last().and_then(|i| i.parse().ok()).unwrap_or_default())
}

/// A day of `from..=to`, half of them in the summer (June to September) when the campaign runs.
fn day_in(rng: &mut StdRng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let summer = (NaiveDate::from_ymd_opt(from.year(), 6, 1), NaiveDate::from_ymd_opt(from.year(), 9, 30));
    let (a, b) = match summer {
        (Some(a), Some(b)) if rng.random_bool(0.5) && a <= to => (a, b.min(to)),
        _ => (from, to),
    };
    a + Days::new(rng.random_range(0..=(b - a).num_days().max(0)) as u64)
}

/// A moment of the working hours (9 to 18, Kazakhstan's time) of `day`.
fn at(rng: &mut StdRng, day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_hms_opt(9, 0, 0).unwrap_or_default() + Duration::minutes(rng.random_range(0..540));
    (local - Duration::hours(domain::appeal::UTC_OFFSET_HOURS)).and_utc()
}

/// A year of appeals and a summer of survey answers for the campaign's schools.
pub(super) async fn load(
    db: &crate::Db,
    scale: Scale,
    c: &campaign::Model,
    user: i64,
    schools: &[(i64, String, bool)],
    rng: &mut StdRng,
    summary: &mut Summary,
) -> Result<()> {
    let share = scale.children as f64 / Scale::NATIONAL.children as f64;
    let now = Utc::now();
    let today = domain::appeal::local_day(now);
    let first = NaiveDate::from_ymd_opt(c.year, 1, 1).unwrap_or(c.starts_on);
    let last = NaiveDate::from_ymd_opt(c.year, 12, 31).unwrap_or(c.starts_on).min(today).max(first);
    let cal = crate::appeals::work_calendar(db, first, last + Days::new(crate::appeals::CALENDAR_REACH_DAYS)).await?;
    let txn = crate::write_txn(db).await?;
    let mut terms = BTreeMap::new();
    for t in Topic::ALL {
        terms.insert(t.as_str(), crate::appeals::calendar::term_days(&txn, *t).await?);
    }
    let (mut id, mut event_id) = (next_id(&txn, "appeals").await?, next_id(&txn, "appeal_events").await?);
    let first_id = id;
    crate::totals::field::pause(&txn, &["appeals"]).await?;
    let (mut appeals, mut events) = (Vec::new(), Vec::new());
    let mut event = |appeal: i64, kind: &str, unit: Option<i64>, note: Option<&str>, when: DateTime<Utc>| {
        events.push(appeal_event::ActiveModel {
            id: Set(event_id),
            appeal_id: Set(appeal),
            kind: Set(kind.to_owned()),
            unit_id: Set(unit),
            note: Set(note.map(str::to_owned)),
            user_id: Set(Some(user)),
            at: Set(when),
        });
        event_id += 1;
    };
    for _ in 0..((150_000.0 * share) as usize).max(1) {
        let (school, path, _) = &schools[rng.random_range(0..schools.len())];
        let channel = pick(rng, &CHANNELS);
        let topic = pick(rng, &TOPICS);
        let routing = Topic::parse(topic).map_or(Routing::School, Topic::routing);
        let (unit_path, unit_id) = match routing {
            Routing::School => (path.clone(), *school),
            Routing::District => prefix(path, 3),
            Routing::Region => prefix(path, 2),
        };
        let (region_id, district_id, school_id) = crate::scope::levels(&unit_path);
        let day = day_in(rng, first, last);
        let received_at = at(rng, day);
        let mut t = term(&cal, day, terms.get(topic).copied().unwrap_or(domain::appeal::TERM_DAYS));
        let extended = rng.random_ratio(1, 50);
        if extended {
            t.due_on = day.checked_add_months(chrono::Months::new(2)).unwrap_or(t.due_on);
        }
        // Most are answered, in time; some late; a few still open past their last day.
        let due_passed = t.due_on < last;
        let answered = if due_passed { rng.random_bool(0.95) } else { rng.random_bool(0.5) };
        let answered_on = answered.then(|| {
            let end = if due_passed && rng.random_ratio(1, 10) { t.due_on + Days::new(10) } else { t.due_on };
            let end = end.min(last).max(day);
            day + Days::new(rng.random_range(0..=(end - day).num_days()) as u64)
        });
        let closed = answered_on.is_some_and(|d| d + Days::new(10) < last && rng.random_bool(0.7));
        let status = match (answered_on, closed) {
            (Some(_), true) => "closed",
            (Some(_), false) => "answered",
            (None, _) => pick(rng, &[("registered", 30), ("in_work", 60), ("forwarded", 10)]),
        };
        let escalation = match answered_on {
            None if t.due_on < last => 2,
            None if t.warn_on < last => 1,
            _ => 0,
        };
        let anonymous = rng.random_bool(0.4);
        let public = channel == "qr" || channel == "web";
        let solved =
            answered_on.filter(|_| !anonymous && rng.random_bool(0.4)).map(|_| i16::from(rng.random_bool(0.75)));
        let answered_at = answered_on.map(|d| at(rng, d).max(received_at));
        let (surname, name) = (SURNAMES[rng.random_range(0..12)], NAMES[rng.random_range(0..12)]);
        appeals.push(appeal::ActiveModel {
            id: Set(id),
            code: Set(domain::appeal::new_code()),
            channel: Set(channel.into()),
            topic: Set(topic.into()),
            status: Set(status.into()),
            anonymous: Set(i16::from(anonymous)),
            applicant_name: Set((!anonymous).then(|| format!("{surname} {name}"))),
            applicant_phone: Set((!anonymous).then(|| format!("+7701{:07}", id % 10_000_000))),
            applicant_email: Set((!anonymous && rng.random_bool(0.3)).then(|| format!("applicant{id}@example.kz"))),
            body: Set(format!("Обращение № {id}: прошу помочь подготовить ребёнка к школе.")),
            about_school_id: Set(Some(*school)),
            child_id: Set(None),
            unit_id: Set(unit_id),
            unit_path: Set(unit_path),
            region_id: Set(region_id),
            district_id: Set(district_id),
            school_id: Set(school_id),
            received_at: Set(received_at),
            received_on: Set(day),
            term_from: Set(day),
            warn_on: Set(t.warn_on),
            due_on: Set(t.due_on),
            extended: Set(i16::from(extended)),
            extension_reason: Set(extended.then(|| "Нужна проверка на месте".to_owned())),
            escalation: Set(escalation),
            assignee_id: Set((status != "registered" && status != "forwarded").then_some(user)),
            answer: Set(answered_on.map(|_| "Помощь оказана, семья извещена.".to_owned())),
            answered_on: Set(answered_on),
            answered_at: Set(answered_at),
            answered_by: Set(answered_on.map(|_| user)),
            closed_at: Set(closed.then(|| answered_at.unwrap_or(received_at) + Duration::days(10))),
            solved: Set(solved),
            registered_by: Set((!public).then_some(user)),
            client_key: Set(public.then(|| format!("00000000-0000-4000-9000-{id:012}"))),
            client_addr: Set(public.then(|| format!("10.{}.{}.{}", id % 250, (id / 250) % 250, id % 7))),
            locale: Set(if rng.random_bool(0.6) { "kk" } else { "ru" }.into()),
            version: Set(1),
            updated_at: Set(now),
            forwarded_late: Set(i16::from(status == "forwarded" && rng.random_ratio(1, 5))),
        });
        event(id, "registered", Some(unit_id), None, received_at);
        if let Some(when) = answered_at {
            event(id, "answered", None, None, when);
        }
        id += 1;
    }
    summary.appeals = appeals.len();
    write::<appeal::Entity>(&txn, appeals, columns::<appeal::Column>()).await?;
    write::<appeal_event::Entity>(&txn, events, columns::<appeal_event::Column>()).await?;
    let sums = crate::appeals::report::sums_of(&format!("(SELECT * FROM appeals WHERE id >= {first_id}) appeals"));
    crate::totals::field::resume(&txn, &["appeals"], vec![sums]).await?;
    txn.commit().await?;
    survey(db, share, c, schools, rng, summary, now).await
}

/// The summer's survey answers and their totals by day and district.
async fn survey(
    db: &crate::Db,
    share: f64,
    c: &campaign::Model,
    schools: &[(i64, String, bool)],
    rng: &mut StdRng,
    summary: &mut Summary,
    now: DateTime<Utc>,
) -> Result<()> {
    let today = domain::appeal::local_day(now);
    let from = NaiveDate::from_ymd_opt(c.year, 6, 15).unwrap_or(c.starts_on).min(today);
    let to = NaiveDate::from_ymd_opt(c.year, 9, 15).unwrap_or(c.starts_on).min(today);
    let txn = crate::write_txn(db).await?;
    let mut id = next_id(&txn, "survey_answers").await?;
    let mut rows = Vec::new();
    let mut days: BTreeMap<(NaiveDate, i64, i64, String), i64> = BTreeMap::new();
    for _ in 0..((500_000.0 * share) as usize).max(1) {
        let (school, path, _) = &schools[rng.random_range(0..schools.len())];
        let (unit_path, unit_id) = if rng.random_ratio(1, 7) { prefix(path, 3) } else { (path.clone(), *school) };
        let (region_id, district_id, school_id) = crate::scope::levels(&unit_path);
        let day = from + Days::new(rng.random_range(0..=(to - from).num_days()) as u64);
        let ready = rng.random_bool(0.65);
        let missing: Vec<&str> =
            if ready { Vec::new() } else { MISSING.iter().copied().filter(|_| rng.random_bool(0.45)).collect() };
        let situation: Vec<&str> = SITUATION.iter().copied().filter(|_| rng.random_bool(0.2)).collect();
        let help = !ready && rng.random_bool(0.5);
        let mut metrics = vec!["answers".to_owned()];
        if !ready {
            metrics.push("not_ready".into());
        }
        if help {
            metrics.push("help".into());
        }
        metrics.extend(missing.iter().map(|m| format!("missing_{m}")));
        if let (Some(r), Some(d)) = (region_id, district_id) {
            for m in metrics {
                *days.entry((day, d, r, m)).or_default() += 1;
            }
        }
        let closed = help && day + Days::new(14) < today && rng.random_bool(0.6);
        let first_grade = rng.random_range(1..10);
        rows.push(survey_answer::ActiveModel {
            id: Set(id),
            client_key: Set(format!("00000000-0000-4000-a000-{id:012}")),
            unit_id: Set(unit_id),
            unit_path: Set(unit_path),
            region_id: Set(region_id),
            district_id: Set(district_id),
            school_id: Set(school_id),
            settlement: Set(None),
            ready: Set(i16::from(ready)),
            grades: Set(if rng.random_bool(0.4) {
                format!("{first_grade},{}", first_grade + 2)
            } else {
                first_grade.to_string()
            }),
            missing: Set(missing.join(",")),
            situation: Set(situation.join(",")),
            contact_name: Set(help.then(|| format!("{} (мать)", SURNAMES[rng.random_range(0..12)]))),
            phone: Set(help.then(|| format!("+7702{:07}", id % 10_000_000))),
            consent: Set(i16::from(help)),
            locale: Set(if rng.random_bool(0.6) { "kk" } else { "ru" }.into()),
            client_addr: Set(Some(format!("10.{}.{}.{}", id % 250, (id / 250) % 250, id % 5))),
            created_at: Set(at(rng, day)),
            created_on: Set(day),
            lead_status: Set(help.then(|| if closed { "closed" } else { "open" }.to_owned())),
            lead_child_id: Set(None),
            lead_reason: Set(closed.then(|| "Семья получила помощь от спонсора".to_owned())),
            lead_by: Set(None),
            lead_at: Set(closed.then(|| at(rng, day + Days::new(7)))),
        });
        id += 1;
    }
    summary.answers = rows.len();
    write::<survey_answer::Entity>(&txn, rows, columns::<survey_answer::Column>()).await?;
    let on = crate::totals::survey::adding();
    let days: Vec<survey_day::ActiveModel> = days
        .into_iter()
        .map(|((day, d, r, metric), n)| survey_day::ActiveModel {
            day: Set(day),
            district_id: Set(d),
            region_id: Set(r),
            metric: Set(metric),
            count: Set(n),
        })
        .collect();
    for batch in days.chunks(chunk(5)) {
        survey_day::Entity::insert_many(batch.to_vec()).on_conflict(on.clone()).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}
