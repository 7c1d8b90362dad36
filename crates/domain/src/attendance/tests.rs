//! The calendar of school days and the early warning.

use chrono::NaiveDate;

use super::*;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

#[test]
fn the_2026_calendar_keeps_the_decrees_days_off_and_the_weekends() {
    let c = Calendar::kazakhstan_2026();
    assert!(c.is_school_day(day(9, 1)), "1 September 2026 is a Tuesday");
    assert!(!c.is_school_day(day(8, 31)), "Constitution Day fell on a Sunday: Monday off");
    assert!(!c.is_school_day(day(10, 26)) && !c.is_school_day(day(5, 27)));
    assert!(!c.is_school_day(day(9, 5)), "a Saturday");
    // September 2026: 22 weekdays, none off.
    assert_eq!(c.school_days_of_month(day(9, 1)).len(), 22);
    let mut worked = c.clone();
    worked.worked.insert(day(9, 5));
    assert!(worked.is_school_day(day(9, 5)), "a Saturday worked instead");
}

#[test]
fn seven_school_days_absent_in_a_row_or_a_third_of_a_month_opens_a_case() {
    let c = Calendar::kazakhstan_2026();
    let t = Thresholds::default();
    let days = c.school_days(day(9, 1), day(9, 30));
    // Absent from 3 September: the seventh school day absent is 11 September (the weekend skipped).
    let record: Vec<(NaiveDate, bool)> = days.iter().map(|d| (*d, *d < day(9, 3))).collect();
    assert_eq!(t.warning(&record, &c), Some(Warning::Streak { days: 7, until: day(9, 11) }));
    // Present every other day: never 7 in a row, present on half the month: no warning.
    let half: Vec<(NaiveDate, bool)> = days.iter().enumerate().map(|(i, d)| (*d, i % 2 == 0)).collect();
    assert_eq!(t.warning(&half, &c), None);
    // Present one day in four over the whole month: the month's share is under a third.
    let quarter: Vec<(NaiveDate, bool)> = days.iter().enumerate().map(|(i, d)| (*d, i % 4 == 0)).collect();
    assert_eq!(t.warning(&quarter, &c), Some(Warning::LowShare { permille: 272, month: day(9, 1) }));
    // The month is not over yet: its share does not count.
    assert_eq!(t.warning(&quarter[..15], &c), None);
    // A region's own thresholds.
    let strict = Thresholds { streak: 3, share_permille: 600 };
    assert_eq!(strict.warning(&half, &c), Some(Warning::LowShare { permille: 500, month: day(9, 1) }));
    let short = Thresholds { streak: 2, share_permille: 0 };
    assert_eq!(short.warning(&record, &c), Some(Warning::Streak { days: 2, until: day(9, 4) }));
}

#[test]
fn a_case_closed_without_the_pupil_back_needs_the_districts_signature() {
    assert!(!CaseClosing::Returned.needs_second_signature());
    assert!(CaseClosing::ALL.iter().filter(|c| **c != CaseClosing::Returned).all(|c| c.needs_second_signature()));
    assert_eq!(FIRST_STEPS[0], StepKind::Call);
}

#[test]
fn an_absence_has_a_first_day_and_a_reason_and_no_return_before_it() {
    use crate::ErrorCode;
    let today = day(9, 20);
    let ok = AbsenceInput {
        iin: "061211600012".into(),
        surname: "Ахметов".into(),
        first_name: "Ерлан".into(),
        first_day: "02.09.2026".into(),
        reason: "material".into(),
        ..Default::default()
    };
    let a = ok.parse(today).unwrap();
    assert_eq!((a.first_day, a.reason, a.returned_on), (day(9, 2), AbsenceReason::Material, None));
    let codes = |i: crate::Invalid| i.0.into_iter().map(|e| (e.field, e.code)).collect::<Vec<_>>();
    let back_first = AbsenceInput { returned_on: "01.09.2026".into(), ..ok.clone() };
    assert_eq!(codes(back_first.parse(today).unwrap_err()), [("returned_on".into(), ErrorCode::ReturnBeforeAbsence)]);
    let future = AbsenceInput { first_day: "21.09.2026".into(), reason: "sleepy".into(), ..ok.clone() };
    assert_eq!(
        codes(future.parse(today).unwrap_err()),
        [("first_day".into(), ErrorCode::DateInFuture), ("reason".into(), ErrorCode::InvalidChoice)]
    );
    // A step done says what came of it; one made offline carries the phone's id.
    let step = StepInput { kind: "home_visit".into(), due_on: "10.09.2026".into(), ..Default::default() };
    assert_eq!(step.parse(today).unwrap().done_on, None);
    let done = StepInput { done_on: "09.09.2026".into(), client_id: "x".into(), ..step.clone() };
    assert_eq!(
        codes(done.parse(today).unwrap_err()),
        [("client_id".into(), ErrorCode::ClientIdFormat), ("outcome".into(), ErrorCode::Required)]
    );
    let reported =
        StepInput { outcome: "Мать обещала привести в понедельник".into(), ..done };
    let reported = StepInput { client_id: "6F1C2B1E-1A2B-4C3D-8E9F-0A1B2C3D4E5F".into(), ..reported };
    assert_eq!(reported.parse(today).unwrap().client_id.as_deref(), Some("6f1c2b1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"));
}
