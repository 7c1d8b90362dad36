//! What the coordinator's queue marks on an appeal: a likely duplicate (another appeal on the same
//! topic within [`DUPLICATE_DAYS`] from the same phone or e-mail, or from the same client address
//! about the same school: a family that filed twice, a form sent from two devices), and a forward
//! later than the [`domain::appeal::NOTICE_DAYS`] working days the law gives a unit to pass on
//! what is not its competence. Each look-up reads an index on the applicant's contact or address
//! and the day of receipt.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::appeal;
use crate::error::Error;

/// How many days apart two appeals may be received and still be taken for the same.
pub const DUPLICATE_DAYS: u64 = 30;

/// Most appeals read per contact look-up (a phone typed into hundreds of appeals is no family's).
const READ_MAX: u64 = 500;

/// One of an appeal's contacts.
type Contact = fn(&appeal::Model) -> &Option<String>;

/// Whether `b` looks like a second filing of `a`.
fn same(a: &appeal::Model, b: &appeal::Model) -> bool {
    let near = (a.received_on - b.received_on).num_days().unsigned_abs() <= DUPLICATE_DAYS;
    let eq = |x: &Option<String>, y: &Option<String>| x.is_some() && x == y;
    a.id != b.id
        && near
        && a.topic == b.topic
        && (eq(&a.applicant_phone, &b.applicant_phone)
            || eq(&a.applicant_email, &b.applicant_email)
            || (eq(&a.client_addr, &b.client_addr) && a.about_school_id == b.about_school_id))
}

/// Of `rows`, those with likely duplicates, each with them (oldest first), by id.
pub async fn duplicates(
    db: &impl ConnectionTrait,
    rows: &[appeal::Model],
) -> Result<BTreeMap<i64, Vec<appeal::Model>>, Error> {
    let mut out = BTreeMap::new();
    let (Some(first), Some(last)) =
        (rows.iter().map(|r| r.received_on).min(), rows.iter().map(|r| r.received_on).max())
    else {
        return Ok(out);
    };
    let from = first.checked_sub_days(Days::new(DUPLICATE_DAYS)).unwrap_or(NaiveDate::MIN);
    let to = last.checked_add_days(Days::new(DUPLICATE_DAYS)).unwrap_or(NaiveDate::MAX);
    let mut found: Vec<appeal::Model> = Vec::new();
    let contacts: [(appeal::Column, Contact); 3] = [
        (appeal::Column::ApplicantPhone, |a| &a.applicant_phone),
        (appeal::Column::ApplicantEmail, |a| &a.applicant_email),
        (appeal::Column::ClientAddr, |a| &a.client_addr),
    ];
    for (column, of) in contacts {
        let mut values: Vec<String> = rows.iter().filter_map(|r| of(r).clone()).collect();
        values.sort();
        values.dedup();
        if values.is_empty() {
            continue;
        }
        let q = appeal::Entity::find()
            .filter(column.is_in(values))
            .filter(appeal::Column::ReceivedOn.between(from, to))
            .order_by_asc(column)
            .order_by_asc(appeal::Column::ReceivedOn)
            .limit(READ_MAX);
        for a in q.all(db).await? {
            if !found.iter().any(|f| f.id == a.id) {
                found.push(a);
            }
        }
    }
    found.sort_by_key(|a| (a.received_on, a.id));
    for r in rows {
        let twins: Vec<appeal::Model> = found.iter().filter(|b| same(r, b)).cloned().collect();
        if !twins.is_empty() {
            out.insert(r.id, twins);
        }
    }
    Ok(out)
}

/// The last day a unit may forward an appeal that arrived on `arrived` (the day its term counts
/// from), on the working-day calendar.
pub fn forward_by(cal: &domain::calendar::Calendar, arrived: NaiveDate) -> NaiveDate {
    cal.add_working_days(arrived, domain::appeal::NOTICE_DAYS)
}
