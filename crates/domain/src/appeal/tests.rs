use chrono::NaiveDate;

use super::*;
use crate::calendar::Calendar;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn input() -> AppealInput {
    AppealInput {
        channel: "hotline".into(),
        topic: "help_not_received".into(),
        applicant_name: "Айгерим Сапарова".into(),
        phone: "8 701 555 12 34".into(),
        school: "42".into(),
        text: "Ребёнку не выдали форму".into(),
        ..Default::default()
    }
}

fn codes(e: &Invalid) -> Vec<(String, &'static str)> {
    e.0.iter().map(|f| (f.field.clone(), f.code.as_str())).collect()
}

#[test]
fn a_staff_appeal_is_checked_whole() {
    let f = input().parse(None).unwrap();
    assert_eq!(f.channel, Channel::Hotline);
    assert_eq!(f.applicant.as_ref().unwrap().phone.as_deref(), Some("+77015551234"));
    assert_eq!(f.school, Some(42));

    let bad = AppealInput {
        channel: "web".into(),
        topic: "gossip".into(),
        applicant_name: String::new(),
        phone: String::new(),
        school: "abc".into(),
        iin: "123".into(),
        text: "x".repeat(TEXT_MAX + 1),
        ..Default::default()
    };
    let e = bad.parse(None).unwrap_err();
    assert_eq!(
        codes(&e),
        [
            ("channel".into(), "invalid_choice"),
            ("topic".into(), "invalid_choice"),
            ("applicant_name".into(), "required"),
            ("phone".into(), "appeal_contact_required"),
            ("school".into(), "invalid_choice"),
            ("iin".into(), "iin_format"),
            ("text".into(), "too_long"),
        ]
    );
}

#[test]
fn an_anonymous_appeal_keeps_no_contact_and_the_public_form_sets_its_channel() {
    let anon = AppealInput { anonymous: true, applicant_name: "kept?".into(), ..input() };
    let f = anon.parse(Some(Channel::Qr)).unwrap();
    assert_eq!(f.applicant, None);
    assert_eq!(f.channel, Channel::Qr, "the public form's channel, whatever was typed");

    let nowhere = AppealInput { school: String::new(), iin: "080215500019".into(), ..input() };
    let e = nowhere.parse(Some(Channel::Web)).unwrap_err();
    assert_eq!(codes(&e), [("school".into(), "required")]);
    let f = AppealInput { district: "7".into(), ..nowhere }.parse(Some(Channel::Web)).unwrap();
    assert_eq!((f.district, f.iin), (Some(7), None), "the public never links a child by IIN");
}

#[test]
fn the_term_counts_working_days_and_warns_with_a_quarter_left() {
    let cal = Calendar::kazakhstan_2026();
    // Received Friday 16 October 2026; 25–26 October are off: due Monday 9 November.
    let t = term(&cal, d(2026, 10, 16), 15);
    assert_eq!(t.due_on, d(2026, 11, 9));
    assert_eq!(cal.working_days_between(t.warn_on, t.due_on), 3, "a quarter (3 of 15) left");
    // Received on Friday 11 December: 16 December is off, and 1–2 January of the year after.
    let mut cal = cal;
    cal.off.extend([d(2027, 1, 1), d(2027, 1, 2)]);
    assert_eq!(term(&cal, d(2026, 12, 11), 15).due_on, d(2027, 1, 5));
}

#[test]
fn an_extension_reaches_past_the_due_day_and_no_more_than_two_months() {
    let cal = Calendar::kazakhstan_2026();
    let (received, due) = (d(2026, 10, 16), d(2026, 11, 9));
    let ext = |until: &str, reason: &str| ExtensionInput { until: until.into(), reason: reason.into() };
    let (t, why) = ext("15.12.2026", "Запрос в акимат").parse(&cal, received, due).unwrap();
    assert_eq!((t.due_on, why.as_str()), (d(2026, 12, 15), "Запрос в акимат"));
    assert!(t.warn_on < t.due_on && t.warn_on > due);
    let e = ext("09.11.2026", "").parse(&cal, received, due).unwrap_err();
    assert_eq!(codes(&e), [("reason".into(), "required"), ("until".into(), "extension_too_short")]);
    let e = ext("17.12.2026", "x").parse(&cal, received, due).unwrap_err();
    assert_eq!(codes(&e), [("until".into(), "extension_too_long")]);
    assert!(ext("16.12.2026", "x").parse(&cal, received, due).is_ok(), "two months to the day");
}

#[test]
fn tracking_codes_are_random_readable_and_read_back_as_typed() {
    let a = new_code();
    assert_eq!(a.len(), CODE_LEN);
    assert_ne!(a, new_code());
    assert!(!a.contains(['0', '1', 'I', 'O']));
    let shown = show_code(&a);
    assert_eq!(shown.len(), CODE_LEN + 2);
    assert_eq!(normalize_code(&shown.to_lowercase()), Some(a.clone()));
    assert_eq!(normalize_code(&format!(" {} ", shown.replace('-', " "))), Some(a));
    assert_eq!(normalize_code("ABCD-EFGH-JKL0"), None, "no zero in a code");
    assert_eq!(normalize_code("ABCD"), None);
    assert_eq!(normalize_code(&"A".repeat(5000)), None);
}

#[test]
fn complaints_about_a_school_or_a_sponsor_go_above_it() {
    assert_eq!(Topic::SchoolComplaint.routing(), Routing::District);
    assert_eq!(Topic::SponsorComplaint.routing(), Routing::Region);
    assert_eq!(Topic::NotAtSchool.routing(), Routing::School);
    assert!(Status::Forwarded.is_open() && !Status::Answered.is_open());
    assert!(parse_term_days("0").is_err() && parse_term_days("31").is_err());
    assert_eq!(parse_term_days(" 15 ").unwrap(), 15);
}
