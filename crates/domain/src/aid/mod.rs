//! Aid (MISSION.md §5): every act of help is one ledger entry; the fund of a school has an
//! allocation it can never exceed. These are the checked shapes of what users type.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ErrorCode;
use crate::child::{NeedItem, parse_date, parse_tenge};
use crate::codes::code_enum;
use crate::error::{Checker, FieldError, Invalid};
use crate::format::Tenge;

code_enum!(
    /// Where the help comes from.
    Source {
        /// The school's universal education fund (фонд всеобуча).
        Fund = "fund",
        /// A sponsor.
        Sponsor = "sponsor",
        /// Proceeds of a fair.
        Fair = "fair",
        /// Another programme.
        Programme = "programme",
    }
);

code_enum!(
    /// The form of the help.
    Form {
        /// Cash to a parent's card account.
        Cash = "cash",
        /// Goods in kind.
        Goods = "goods",
        /// A certificate (voucher).
        Certificate = "certificate",
        /// A service: hot meals, travel.
        Service = "service",
    }
);

code_enum!(
    /// Where an entry stands.
    EntryStatus {
        /// Planned (the fund) or pledged (a sponsor).
        Planned = "planned",
        /// Delivered to the child's family.
        Delivered = "delivered",
        /// Confirmed (for cash: proof of purchase accepted).
        Confirmed = "confirmed",
    }
);

impl EntryStatus {
    /// Whether an entry may move from `self` to `next` (only forward).
    pub fn can_move_to(self, next: EntryStatus) -> bool {
        matches!(
            (self, next),
            (EntryStatus::Planned, EntryStatus::Delivered) | (EntryStatus::Delivered, EntryStatus::Confirmed)
        )
    }

    /// Whether the help has reached the family (counts against the fund and in reports).
    pub fn is_delivered(self) -> bool {
        matches!(self, EntryStatus::Delivered | EntryStatus::Confirmed)
    }
}

/// One item of an entry as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct ItemInput {
    /// Item code (as for needs).
    #[serde(default)]
    pub item: String,
    /// Quantity.
    #[serde(default)]
    pub quantity: String,
    /// Value of all of them, whole tenge.
    #[serde(default)]
    pub value: String,
}

/// One checked item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// Item.
    pub item: NeedItem,
    /// Quantity.
    pub quantity: i32,
    /// Value.
    pub value: Tenge,
}

/// An entry as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct EntryInput {
    /// Source code.
    #[serde(default)]
    pub source: String,
    /// Form code.
    #[serde(default)]
    pub form: String,
    /// Amount in whole tenge (`46 228`).
    #[serde(default)]
    pub amount: String,
    /// Date of the help.
    #[serde(default)]
    pub date: String,
    /// Who organised it, if not the giver (soft credit: a parents' fair, an alumni group).
    #[serde(default)]
    pub organised_by: String,
    /// A note.
    #[serde(default)]
    pub note: String,
    /// Why the child gets more than the recorded need (required only then).
    #[serde(default)]
    pub above_need_reason: String,
    /// Items.
    #[serde(default)]
    pub items: Vec<ItemInput>,
}

/// A checked entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryFields {
    /// Source.
    pub source: Source,
    /// Form.
    pub form: Form,
    /// Amount, positive.
    pub amount: Tenge,
    /// Date.
    pub date: NaiveDate,
    /// Soft credit.
    pub organised_by: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Why the aid goes beyond the child's need, when it does.
    pub above_need_reason: Option<String>,
    /// Items.
    pub items: Vec<Item>,
}

/// Most items in one entry.
pub const ITEMS_MAX: usize = 20;

impl EntryInput {
    /// Checks every field: amounts as people write them (`1 196 448`, `1 196 448,50`), never
    /// `1196,448` or `1.196.448`, never zero or negative.
    pub fn parse(&self) -> Result<EntryFields, Invalid> {
        let mut c = Checker::default();
        let source = parse_choice(&mut c, "source", &self.source, Source::parse);
        let form = parse_choice(&mut c, "form", &self.form, Form::parse);
        let amount = match parse_tenge(&self.amount) {
            Some(t) if t.0 > 0 => Some(t),
            Some(_) => {
                c.push(FieldError::new("amount", ErrorCode::AmountPositive));
                None
            }
            None if self.amount.trim().is_empty() => {
                c.push(FieldError::new("amount", ErrorCode::Required));
                None
            }
            None => {
                c.push(FieldError::new("amount", ErrorCode::AmountFormat));
                None
            }
        };
        let date = match parse_date(&self.date) {
            Some(d) => Some(d),
            None => {
                c.push(FieldError::new(
                    "date",
                    if self.date.trim().is_empty() { ErrorCode::Required } else { ErrorCode::InvalidDate },
                ));
                None
            }
        };
        let organised_by = c.optional_text("organised_by", &self.organised_by, 200);
        let note = c.optional_text("note", &self.note, 300);
        let above_need_reason = c.optional_text("above_need_reason", &self.above_need_reason, 300);
        let mut items = Vec::new();
        for (i, it) in self.items.iter().enumerate().take(ITEMS_MAX) {
            if it.item.trim().is_empty() && it.value.trim().is_empty() {
                continue;
            }
            let field = |n: &str| format!("items.{i}.{n}");
            let item = parse_choice(&mut c, &field("item"), &it.item, NeedItem::parse);
            let quantity = match it.quantity.trim() {
                "" => Some(1),
                q => q.parse::<i32>().ok().filter(|q| (1..=1000).contains(q)).or_else(|| {
                    c.push(FieldError::new(field("quantity"), ErrorCode::NumberRange).with_limit(1000));
                    None
                }),
            };
            let value = parse_tenge(&it.value).or_else(|| {
                c.push(FieldError::new(field("value"), ErrorCode::AmountFormat));
                None
            });
            if let (Some(item), Some(quantity), Some(value)) = (item, quantity, value) {
                items.push(Item { item, quantity, value });
            }
        }
        match (source, form, amount, date) {
            (Some(source), Some(form), Some(amount), Some(date)) => {
                c.finish(EntryFields { source, form, amount, date, organised_by, note, above_need_reason, items })
            }
            _ => Err(c.finish(()).err().unwrap_or_else(|| Invalid::one("amount", ErrorCode::Required))),
        }
    }
}

pub(crate) fn parse_choice<T>(
    c: &mut Checker,
    field: &str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    if value.trim().is_empty() {
        c.push(FieldError::new(field, ErrorCode::Required));
        return None;
    }
    let parsed = parse(value);
    if parsed.is_none() {
        c.push(FieldError::new(field, ErrorCode::InvalidChoice));
    }
    parsed
}

mod sponsor;

pub use sponsor::{SponsorApplication, SponsorFields, SponsorInput, SponsorKind};

#[cfg(test)]
mod tests {
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
}
