//! The aid entry's checks.

use super::*;

fn valid() -> EntryInput {
    EntryInput {
        source: "fund".into(),
        form: "cash".into(),
        amount: "46 228".into(),
        date: "15.08.2026".into(),
        ..Default::default()
    }
}

#[test]
fn goods_are_counted_by_items_and_only_a_sponsors_may_have_no_known_value() {
    let item =
        |code: &str, qty: &str, value: &str| ItemInput { item: code.into(), quantity: qty.into(), value: value.into() };
    let goods = |source: &str, amount: &str, items: Vec<ItemInput>| EntryInput {
        source: source.into(),
        form: "goods".into(),
        amount: amount.into(),
        items,
        ..valid()
    };
    // The amount left to the items' values adds them up.
    let f = goods("fund", "", vec![item("backpack", "1", "12 000"), item("stationery", "2", "3 500")]).parse().unwrap();
    assert_eq!(f.amount, Tenge::from_tenge(15_500));
    // A sponsor's goods of unknown value: zero, counted by the items.
    let f = goods("sponsor", "", vec![item("backpack", "1", ""), item("stationery", "2", "")]).parse().unwrap();
    assert_eq!((f.amount, f.items.len(), f.items[1].quantity), (Tenge(0), 2, 2));
    assert_eq!(goods("fair", "0", vec![item("shoes", "1", "")]).parse().unwrap().amount, Tenge(0));
    // The fund always knows what it spent; cash and goods without items state a sum.
    let code = |e: EntryInput| e.parse().unwrap_err().0.iter().map(|f| (f.field.clone(), f.code)).collect::<Vec<_>>();
    assert_eq!(code(goods("fund", "", vec![item("backpack", "1", "")])), [("amount".to_owned(), ErrorCode::Required)]);
    assert_eq!(code(goods("sponsor", "0", Vec::new())), [("amount".to_owned(), ErrorCode::AmountPositive)]);
    assert_eq!(
        code(EntryInput { source: "sponsor".into(), amount: "0".into(), ..valid() }),
        [("amount".to_owned(), ErrorCode::AmountPositive)]
    );
    // A sponsor from the list only for help from a sponsor.
    assert_eq!(
        code(EntryInput { sponsor_id: "7".into(), ..valid() }),
        [("sponsor_id".to_owned(), ErrorCode::InvalidChoice)]
    );
    let f = EntryInput { source: "sponsor".into(), sponsor_id: "7".into(), ..valid() }.parse().unwrap();
    assert_eq!(f.sponsor_id, Some(7));
    // A one-off giver says what kind it is; a listed sponsor or another source takes none.
    let typed = EntryInput { source: "sponsor".into(), organised_by: "Выпускники".into(), ..valid() };
    assert_eq!(code(typed.clone()), [("giver_kind".to_owned(), ErrorCode::Required)]);
    let f = EntryInput { giver_kind: "alumni".into(), ..typed.clone() }.parse().unwrap();
    assert_eq!(f.giver_kind, Some(SponsorKind::Alumni));
    assert_eq!(
        code(EntryInput { giver_kind: "guild".into(), ..typed }),
        [("giver_kind".to_owned(), ErrorCode::InvalidChoice)]
    );
    assert_eq!(
        code(EntryInput { giver_kind: "person".into(), ..valid() }),
        [("giver_kind".to_owned(), ErrorCode::InvalidChoice)]
    );
    // The help's source is named as the help's in messages, not as the child's.
    let e = EntryInput { source: String::new(), ..valid() }.parse().unwrap_err();
    assert_eq!(e.0[0].label.as_deref(), Some("aid_source"));
}

#[test]
fn a_fund_cash_payment_parses() {
    let f = valid().parse().unwrap();
    assert_eq!(f.amount, Tenge::from_tenge(46_228));
    assert_eq!(f.source, Source::Fund);
}

#[test]
fn amounts_in_a_wrong_format_zero_or_negative_are_refused() {
    for (amount, code) in [
        ("1196,448", "amount_format"),
        ("1.196.448", "amount_format"),
        ("0", "amount_positive"),
        ("-5", "amount_format"),
        ("", "required"),
    ] {
        let e = EntryInput { amount: amount.into(), ..valid() }.parse().unwrap_err();
        assert_eq!(e.0[0].code.as_str(), code, "{amount}");
    }
}

#[test]
fn statuses_only_move_forward() {
    use EntryStatus::*;
    assert!(Planned.can_move_to(Delivered));
    assert!(Delivered.can_move_to(Confirmed));
    assert!(!Confirmed.can_move_to(Planned));
    assert!(!Planned.can_move_to(Confirmed));
}
