//! A raid's and a finding's checks.

use chrono::NaiveDate;

use super::*;

fn day(d: u32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn codes(i: Invalid) -> Vec<(String, ErrorCode)> {
    i.0.into_iter().map(|e| (e.field, e.code)).collect()
}

fn raid() -> RaidInput {
    RaidInput {
        date: "05.09.2026".into(),
        starts_at: "18:30".into(),
        places: vec![
            PlaceInput { kind: "computer_club".into(), address: "ул. Ленина, 5, «Кибер»".into() },
            PlaceInput::default(),
        ],
        participants: vec![
            ParticipantInput { kind: "teacher".into(), count: "3".into() },
            ParticipantInput { kind: "police".into(), count: "1".into() },
            ParticipantInput { kind: "ngo".into(), count: "0".into() },
        ],
        note: String::new(),
    }
}

#[test]
fn a_raid_has_a_day_places_and_participants_by_category() {
    let r = raid().parse().unwrap();
    assert_eq!(r.date, day(5, 9));
    assert_eq!(r.starts_at, parse_time("18:30"));
    assert_eq!(r.places, [Place { kind: PlaceKind::ComputerClub, address: Some("ул. Ленина, 5, «Кибер»".into()) }]);
    assert_eq!(
        r.participants,
        [(ParticipantKind::Teacher, 3), (ParticipantKind::Police, 1)],
        "a zero count is left out"
    );
    // Every problem at once, each naming its row and field.
    let bad = RaidInput {
        date: "31.09.2026".into(),
        starts_at: "25:00".into(),
        places: vec![PlaceInput { kind: "casino".into(), address: String::new() }],
        participants: vec![
            ParticipantInput { kind: "teacher".into(), count: "-1".into() },
            ParticipantInput { kind: "police".into(), count: "2".into() },
            ParticipantInput { kind: "police".into(), count: "1".into() },
        ],
        note: String::new(),
    };
    assert_eq!(
        codes(bad.parse().unwrap_err()),
        [
            ("date".into(), ErrorCode::InvalidDate),
            ("starts_at".into(), ErrorCode::InvalidDate),
            ("places.0.kind".into(), ErrorCode::InvalidChoice),
            ("participants.0.count".into(), ErrorCode::NumberRange),
            ("participants.2.kind".into(), ErrorCode::Duplicate),
        ]
    );
    let nowhere = RaidInput { places: Vec::new(), ..raid() };
    assert_eq!(codes(nowhere.parse().unwrap_err()), [("places".into(), ErrorCode::Required)]);
    let many = RaidInput {
        places: (0..21).map(|i| PlaceInput { kind: "home".into(), address: format!("дом {i}") }).collect(),
        ..raid()
    };
    assert_eq!(codes(many.parse().unwrap_err()), [("places".into(), ErrorCode::TooMany)]);
}

fn finding() -> FindingInput {
    FindingInput {
        client_id: "6F1C2B1E-1A2B-4C3D-8E9F-0A1B2C3D4E5F".into(),
        sex: "male".into(),
        age: "12".into(),
        place: "computer_club".into(),
        found_at: "21:40".into(),
        circumstances: "Играл с 14:00, в школу не ходит вторую неделю".into(),
        action: "taken_home".into(),
        ..Default::default()
    }
}

#[test]
fn a_finding_without_an_iin_gives_sex_and_age_and_one_with_an_iin_takes_them_from_it() {
    let f = finding().parse(day(5, 9), day(6, 9)).unwrap();
    assert_eq!(f.client_id, "6f1c2b1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f", "the phone's id, one spelling");
    assert_eq!((f.sex, f.age, f.iin), (Sex::Male, Some(12), None));
    assert_eq!(f.action, FindingAction::TakenHome);
    // With an IIN: its sex and birth date, whatever was typed beside it.
    let iin = "120822613807";
    let f = FindingInput { iin: iin.into(), sex: String::new(), age: String::new(), ..finding() }
        .parse(day(5, 9), day(5, 9))
        .unwrap();
    assert_eq!((f.iin.as_ref().map(Iin::as_str), f.age), (Some(iin), None));
    assert_eq!(f.sex, Sex::Female);
}

#[test]
fn a_bad_finding_names_each_field_and_a_raid_finds_nobody_before_its_day() {
    let bad = FindingInput {
        client_id: "42".into(),
        iin: "120822613808".into(),
        place: String::new(),
        action: "shouted".into(),
        found_at: "9 вечера".into(),
        ..finding()
    };
    assert_eq!(
        codes(bad.parse(day(7, 9), day(6, 9)).unwrap_err()),
        [
            ("date".into(), ErrorCode::DateInFuture),
            ("client_id".into(), ErrorCode::ClientIdFormat),
            ("iin".into(), ErrorCode::IinChecksum),
            ("place".into(), ErrorCode::Required),
            ("found_at".into(), ErrorCode::InvalidDate),
            ("action".into(), ErrorCode::InvalidChoice),
        ]
    );
    let unknown = FindingInput { sex: String::new(), age: "40".into(), ..finding() };
    assert_eq!(
        codes(unknown.parse(day(5, 9), day(5, 9)).unwrap_err()),
        [("sex".into(), ErrorCode::Required), ("age".into(), ErrorCode::NumberRange)]
    );
    assert!(is_client_id("00000000-0000-4000-8000-000000000000"));
    assert!(!is_client_id("00000000-0000-4000-8000-00000000000g"));
}

#[test]
fn a_new_client_id_is_a_uuid_and_new_each_time() {
    let (a, b) = (new_client_id(), new_client_id());
    assert!(is_client_id(&a), "{a}");
    assert_eq!(&a[14..15], "4", "version 4: {a}");
    assert_ne!(a, b);
}
