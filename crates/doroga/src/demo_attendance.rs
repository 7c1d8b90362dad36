//! The demo's pupils out of school № 1: one out from 1 September (its case with a call overdue
//! and a home visit done), one the e-journal's seven days in a row put on the list by itself, one
//! back at school, and one that moved away, waiting for the district's second signature.

use anyhow::{Context, Result};
use db::Db;
use domain::OrgUnitId;
use domain::attendance::{AbsenceInput, ClosingInput, StepInput};

fn err(e: impl std::fmt::Debug) -> anyhow::Error {
    anyhow::anyhow!("{e:?}")
}

/// A valid IIN of a pupil born in 2014 (the serial `n` makes it unique).
fn pupil_iin(n: u32, female: bool) -> String {
    (0..50)
        .find_map(|k| {
            let head = format!("140517{}{:04}", if female { 6 } else { 5 }, 7000 + n * 50 + k);
            let d: Vec<u32> = head.bytes().map(|b| u32::from(b - b'0')).collect();
            domain::iin::check_digit(&d).map(|c| format!("{head}{c}"))
        })
        .unwrap_or_default()
}

/// Loads the pupils out once (none are added when the school has some).
pub async fn load(db: &Db, school: i64) -> Result<()> {
    let campaign = db::campaigns::by_year(db, 2026).await?.context("the demo campaign")?;
    let actor = db::users::by_login(db, "school1").await?.context("demo school user")?.actor();
    if !db::attendance::list(db, &actor, &campaign, None, None).await.map_err(err)?.0.is_empty() {
        return Ok(());
    }
    let today = domain::calendar::today();
    let typed = [
        (pupil_iin(1, false), "Жақсылықов", "Арман", "6", "01.09.2026", "material", ""),
        (pupil_iin(2, true), "Омарова", "Дана", "3", "01.09.2026", "illness", ""),
        (pupil_iin(3, false), "Петренко", "Максим", "8", "07.09.2026", "moved", ""),
    ];
    let mut cases = Vec::new();
    for (iin, surname, first, grade, day, reason, back) in typed {
        let input = AbsenceInput {
            iin,
            surname: surname.into(),
            first_name: first.into(),
            grade: grade.into(),
            first_day: day.into(),
            reason: reason.into(),
            returned_on: back.into(),
            note: String::new(),
        };
        let f = input.parse(today).map_err(err)?;
        cases.push(db::attendance::record(db, &actor, &campaign, OrgUnitId(school), &f).await.map_err(err)?.case_id);
    }
    let step = |kind: &str, due: &str, done: &str, outcome: &str| StepInput {
        kind: kind.into(),
        due_on: due.into(),
        done_on: done.into(),
        outcome: outcome.into(),
        ..Default::default()
    };
    for s in [
        step("home_visit", "03.09.2026", "03.09.2026", "Семье нужна обувь и форма; передано в фонд всеобуча"),
        step("call", "08.09.2026", "", ""),
        step("material_help", "10.09.2026", "", ""),
    ] {
        let s = s.parse(today).map_err(err)?;
        db::attendance::add_step(db, &actor, cases[0], &s).await.map_err(err)?;
    }
    let close = |closing: &str, on: &str, to: &str| ClosingInput {
        closing: closing.into(),
        closed_on: on.into(),
        receiving_school: to.into(),
        note: String::new(),
    };
    let back = close("returned", "14.09.2026", "").parse(chrono::NaiveDate::MIN, today).map_err(err)?;
    db::attendance::close(db, &actor, cases[1], &back).await.map_err(err)?;
    let moved = close("moved", "11.09.2026", "Школа-гимназия № 12, г. Караганда").parse(chrono::NaiveDate::MIN, today);
    db::attendance::close(db, &actor, cases[2], &moved.map_err(err)?).await.map_err(err)?;
    // The e-journal: a pupil out seven school days in a row gets its case by itself.
    let pupil = domain::attendance::pupil(&mut Default::default(), &pupil_iin(4, true), "Нұрланова", "Айым", "5");
    let pupil = pupil.context("the demo pupil")?;
    let year = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).context("a day")?;
    let cal = db::attendance::calendar(db, year, today).await.map_err(err)?;
    let from = chrono::NaiveDate::from_ymd_opt(2026, 9, 14).context("a day")?;
    let rows: Vec<db::attendance::JournalRow> = cal
        .school_days(from, from + chrono::Days::new(10))
        .into_iter()
        .take(7)
        .map(|day| db::attendance::JournalRow { pupil: pupil.clone(), day, reason: None })
        .collect();
    db::attendance::import_journal(db, &actor, &campaign, OrgUnitId(school), &rows).await.map_err(err)?;
    println!("Pupils out of school № 1: 4 (one case awaits the district's signature; login balkhash).");
    Ok(())
}
