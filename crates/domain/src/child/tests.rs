use super::*;
use crate::ErrorCode;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 8, 15).unwrap()
}

pub(crate) fn valid() -> ChildInput {
    ChildInput {
        iin: "111211600120".into(),
        surname: "Құрманғазы".into(),
        first_name: "Әлия".into(),
        birth_date: "11.12.2011".into(),
        grade: "9".into(),
        study_language: "kk".into(),
        categories: vec!["large_family".into(), "asp".into()],
        guardian_name: "Құрманғазы Гүлнар".into(),
        guardian_phone: "8 (701) 123-45-67".into(),
        consent_by: "parent".into(),
        consent_method: "written".into(),
        consent_date: "01.08.2026".into(),
        source: "school_list".into(),
        needs: vec![NeedInput { item: "backpack".into(), cost: "45 000".into(), ..Default::default() }],
        ..Default::default()
    }
}

#[test]
fn a_valid_record_takes_birth_date_and_sex_from_the_iin() {
    let f = valid().parse(today()).unwrap();
    assert_eq!(f.sex, Sex::Female);
    assert_eq!(f.birth_date, NaiveDate::from_ymd_opt(2011, 12, 11).unwrap());
    assert_eq!(f.categories, vec![Category::Asp, Category::LargeFamily]);
    assert_eq!(f.guardian_phone.as_deref(), Some("+77011234567"));
    assert_eq!(f.needs[0].cost, Tenge::from_tenge(45_000));
}

#[test]
fn every_bad_field_is_reported() {
    let input = ChildInput {
        iin: "061211600013".into(),
        surname: " ".into(),
        grade: "14".into(),
        categories: vec!["unicorn".into()],
        needs: vec![NeedInput { item: "uniform".into(), cost: "1196,448".into(), ..Default::default() }],
        ..valid()
    };
    let codes: Vec<_> = input.parse(today()).unwrap_err().0.into_iter().map(|e| (e.field, e.code.as_str())).collect();
    assert_eq!(
        codes,
        [
            ("iin".to_owned(), "iin_checksum"),
            ("surname".to_owned(), "required"),
            ("grade".to_owned(), "grade_range"),
            ("categories".to_owned(), "invalid_choice"),
            ("needs.0.cost".to_owned(), "amount_format"),
        ]
    );
}

#[test]
fn a_birth_date_that_contradicts_the_iin_is_refused() {
    let input = ChildInput { birth_date: "12.11.2011".into(), ..valid() };
    assert_eq!(input.parse(today()).unwrap_err().0[0].code, ErrorCode::BirthDateMismatch);
}

#[test]
fn category_other_needs_the_decision() {
    let input = ChildInput { categories: vec!["other".into()], ..valid() };
    let fields: Vec<_> = input.parse(today()).unwrap_err().0.into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["decision_no", "decision_date"]);
}

#[test]
fn amounts_are_read_as_people_write_them() {
    assert_eq!(parse_tenge("1 196 448"), Some(Tenge::from_tenge(1_196_448)));
    assert_eq!(parse_tenge("45000 ₸"), Some(Tenge::from_tenge(45_000)));
    assert_eq!(parse_tenge("1 196 448,00"), Some(Tenge::from_tenge(1_196_448)));
    assert_eq!(parse_tenge("1196448.00"), Some(Tenge::from_tenge(1_196_448)));
    assert_eq!(parse_tenge("1\u{a0}196\u{a0}448,50 ₸"), Some(Tenge(119_644_850)));
    assert_eq!(parse_tenge("0,05"), Some(Tenge(5)));
    for bad in ["1.196.448", "1196,448", "1 196 448,5", "1,196,448.00", ",50", "12,", "-5", "", "12e3", "1 196 448,5x"]
    {
        assert_eq!(parse_tenge(bad), None, "{bad}");
    }
}

#[test]
fn an_age_that_does_not_fit_school_is_refused_and_an_unusual_one_is_confirmed() {
    // Born 12.02.1976: fifty on 1 September 2026, not a pupil of grade 3.
    let adult = ChildInput { iin: "760212350620".into(), birth_date: String::new(), grade: "3".into(), ..valid() };
    let e = adult.parse(today()).unwrap_err();
    assert!(
        e.0.iter().any(|f| f.field == "iin" && f.code == ErrorCode::AgeOutOfSchool && f.limit == Some(50)),
        "{e:?}"
    );
    // Fourteen in grade 5 (usually ten): taken once the school confirms it, never refused.
    let late = ChildInput { grade: "5".into(), ..valid() };
    let e = late.clone().parse(today()).unwrap_err();
    assert_eq!(e.0.len(), 1, "{e:?}");
    assert_eq!((e.0[0].field.as_str(), e.0[0].code, e.0[0].limit), ("age_confirmed", ErrorCode::AgeUnusual, Some(14)));
    let confirmed = ChildInput { age_confirmed: true, ..late }.parse(today()).unwrap();
    assert_eq!(confirmed.grade, 5);
    // Confirming does not let an adult in.
    let e = ChildInput { age_confirmed: true, ..adult }.parse(today()).unwrap_err();
    assert!(e.0.iter().any(|f| f.code == ErrorCode::AgeOutOfSchool), "{e:?}");
}
