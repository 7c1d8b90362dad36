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
    /// Value of all of them, in tenge; empty when not known (a sponsor's goods).
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
    /// Amount in tenge (`46 228`); for goods it may be left empty (the items' values add up) and a
    /// sponsor's goods of unknown value are recorded by their items alone.
    #[serde(default)]
    pub amount: String,
    /// The sponsor, one of the region's approved sponsors (source `sponsor`); a one-off giver
    /// is named in `organised_by` instead.
    #[serde(default)]
    pub sponsor_id: String,
    /// Date of the help.
    #[serde(default)]
    pub date: String,
    /// Who organised it, if not the giver (soft credit: a parents' fair, an alumni group), or the
    /// one-off giver of a sponsor's help not in the list.
    #[serde(default)]
    pub organised_by: String,
    /// What kind of giver a one-off sponsor is (a sponsor's kind code: `company`, `parents`,
    /// `alumni`, `person`…); required for a sponsor's help given by a giver typed in
    /// `organised_by`, refused beside a sponsor chosen from the list (it has its own).
    #[serde(default)]
    pub giver_kind: String,
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
    /// Amount: positive, or zero for a sponsor's goods of unknown value (counted by items).
    pub amount: Tenge,
    /// The sponsor chosen from the region's sponsors.
    pub sponsor_id: Option<i64>,
    /// Date.
    pub date: NaiveDate,
    /// Soft credit, or the one-off giver.
    pub organised_by: Option<String>,
    /// The one-off giver's kind.
    pub giver_kind: Option<SponsorKind>,
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
        // «Source» is also the child's field («how found»): the entry's is labelled as its own.
        let errors_before = c.len();
        let source = parse_choice(&mut c, "source", &self.source, Source::parse);
        c.label_since(errors_before, "aid_source");
        let form = parse_choice(&mut c, "form", &self.form, Form::parse);
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
            let value = if it.value.trim().is_empty() {
                Some(Tenge(0))
            } else {
                parse_tenge(&it.value).or_else(|| {
                    c.push(FieldError::new(field("value"), ErrorCode::AmountFormat));
                    None
                })
            };
            if let (Some(item), Some(quantity), Some(value)) = (item, quantity, value) {
                items.push(Item { item, quantity, value });
            }
        }
        // Goods are counted by their items: the amount may be left to their values, and a
        // sponsor's (or a fair's) goods of unknown value are recorded at zero. Money from the
        // fund, cash, certificates and services always state their sum.
        let goods_by_items = form == Some(Form::Goods) && !items.is_empty();
        let unknown_value_allowed = goods_by_items && source.is_some_and(|s| s != Source::Fund);
        let amount = match parse_tenge(&self.amount) {
            Some(t) if t.0 > 0 || (t.0 == 0 && unknown_value_allowed) => Some(t),
            Some(_) => {
                c.push(FieldError::new("amount", ErrorCode::AmountPositive));
                None
            }
            None if self.amount.trim().is_empty() && goods_by_items => {
                let sum = Tenge(items.iter().map(|i| i.value.0).sum());
                if sum.0 > 0 || unknown_value_allowed {
                    Some(sum)
                } else {
                    c.push(FieldError::new("amount", ErrorCode::Required));
                    None
                }
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
        let sponsor_id = match self.sponsor_id.trim() {
            "" => None,
            typed => match typed.parse::<i64>() {
                Ok(id) if source == Some(Source::Sponsor) => Some(id),
                _ => {
                    c.push(FieldError::new("sponsor_id", ErrorCode::InvalidChoice));
                    None
                }
            },
        };
        // A one-off sponsor says what kind of giver it is; one from the list has its own kind.
        let giver_kind = match self.giver_kind.trim() {
            "" if source == Some(Source::Sponsor) && sponsor_id.is_none() && organised_by.is_some() => {
                c.push(FieldError::new("giver_kind", ErrorCode::Required));
                None
            }
            "" => None,
            _ if sponsor_id.is_some() || source != Some(Source::Sponsor) => {
                c.push(FieldError::new("giver_kind", ErrorCode::InvalidChoice));
                None
            }
            kind => SponsorKind::parse(kind).or_else(|| {
                c.push(FieldError::new("giver_kind", ErrorCode::InvalidChoice));
                None
            }),
        };
        match (source, form, amount, date) {
            (Some(source), Some(form), Some(amount), Some(date)) => c.finish(EntryFields {
                giver_kind,
                source,
                form,
                amount,
                sponsor_id,
                date,
                organised_by,
                note,
                above_need_reason,
                items,
            }),
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

pub use sponsor::{SponsorApplication, SponsorFields, SponsorInput, SponsorKind, is_email};

#[cfg(test)]
mod tests;
