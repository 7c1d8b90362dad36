use std::collections::BTreeSet;

use domain::{ErrorCode, Locale, Role};
use web::Catalog;

fn keys(source: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" ="))
        .map(|l| l.split(" =").next().unwrap().trim().to_owned())
        .collect()
}

#[test]
fn both_catalogues_have_the_same_keys() {
    let (ru, kk) = (keys(i18n::RU), keys(i18n::KK));
    assert!(ru.len() > 150, "{}", ru.len());
    let only_ru: Vec<_> = ru.difference(&kk).collect();
    let only_kk: Vec<_> = kk.difference(&ru).collect();
    assert!(only_ru.is_empty() && only_kk.is_empty(), "only ru: {only_ru:?}; only kk: {only_kk:?}");
}

#[test]
fn every_role_and_error_code_has_a_message() {
    let catalog = Catalog::load().unwrap();
    for locale in Locale::ALL {
        for role in Role::ALL {
            let key = format!("role-{}", role.as_str().replace('_', "-"));
            assert!(catalog.has(locale, &key), "{key} in {}", locale.code());
        }
        // Every code of the one enum: a field's under `err-`, a whole request's under `error-`.
        for code in domain::ErrorCode::ALL {
            let key = code.message_key();
            assert!(catalog.has(locale, &key), "{key} in {}", locale.code());
        }
    }
}

#[test]
fn russian_plurals_follow_cldr() {
    let t = web::I18n::new(std::sync::Arc::new(Catalog::load().unwrap()), Locale::Ru);
    assert_eq!(t.count("units-count", 1), "1 подразделение");
    assert_eq!(t.count("units-count", 3), "3 подразделения");
    assert_eq!(t.count("units-count", 5), "5 подразделений");
    assert_eq!(t.count("units-count", 21), "21 подразделение");
    assert_eq!(t.count("units-count", 112), "112 подразделений");
    let kk = web::I18n::new(std::sync::Arc::new(Catalog::load().unwrap()), Locale::Kk);
    assert_eq!(kk.count("units-count", 5), "5 бөлімше");
}

#[test]
fn field_errors_name_the_field_and_row() {
    let t = web::I18n::new(std::sync::Arc::new(Catalog::load().unwrap()), Locale::Kk);
    let e = domain::FieldError::new("name_ru", ErrorCode::TooLong).with_limit(200).at_row(7);
    assert_eq!(t.field_error(&e), "7-жол: «Орысша атауы» өрісі: 200 таңбадан аспауы керек.");
    let ru = web::I18n::new(std::sync::Arc::new(Catalog::load().unwrap()), Locale::Ru);
    assert_eq!(ru.field_error(&domain::FieldError::new("code", ErrorCode::Required)), "Заполните поле «Номер».");
    // A raid's places and participants are named by their row, as a need's and an item's are.
    let bad = domain::raid::RaidInput {
        date: "05.09.2026".into(),
        places: vec![domain::raid::PlaceInput { kind: "casino".into(), address: String::new() }],
        participants: vec![domain::raid::ParticipantInput { kind: "police".into(), count: "900".into() }],
        ..Default::default()
    };
    let messages: Vec<String> = bad.parse().unwrap_err().0.iter().map(|e| ru.field_error(e)).collect();
    assert!(messages[0].contains("«Место 1: Тип места»"), "{messages:?}");
    assert!(messages[1].contains("«Участники, строка 1: Сколько человек»"), "{messages:?}");
    let kk: Vec<String> = bad.parse().unwrap_err().0.iter().map(|e| t.field_error(e)).collect();
    assert!(kk[0].contains("1-орын: Орын түрі"), "{kk:?}");
}

#[test]
fn an_amount_in_a_message_is_grouped_by_thousands() {
    let catalog = std::sync::Arc::new(Catalog::load().unwrap());
    let e = domain::FieldError::new("above_need_reason", ErrorCode::AboveNeed).with_limit(37_389);
    for locale in Locale::ALL {
        let text = i18n::I18n::new(catalog.clone(), locale).field_error(&e);
        assert!(text.contains("37 389 ₸"), "{text}");
        assert!(!text.contains("37389"), "{text}");
    }
}
