//! What a sponsor gave: its impact and its help report, never a name or an IIN.

use domain::Actor;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use super::sponsor_of;
use crate::entity::{child, ledger_entry, org_unit, sponsor};
use crate::error::Error;

/// What a sponsor's help did: children helped, items and the sum delivered.
pub async fn impact(db: &impl ConnectionTrait, actor: &Actor) -> Result<(usize, usize, i64), Error> {
    let sponsor = sponsor_of(db, actor).await?;
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::SponsorId.eq(sponsor.id))
        .filter(ledger_entry::Column::Status.is_in(["delivered", "confirmed"]))
        .all(db)
        .await?;
    let children: std::collections::HashSet<i64> =
        entries.iter().filter(|e| e.amount > 0).map(|e| e.child_id).collect();
    let items = entries.iter().filter(|e| e.amount > 0).count();
    Ok((children.len(), items, entries.iter().map(|e| e.amount).sum()))
}

/// One line of a sponsor's help report: never a name or an IIN.
#[derive(Debug, Clone, Serialize)]
pub struct HelpLine {
    /// Date of the help.
    pub date: chrono::NaiveDate,
    /// The child's anonymous code.
    pub code: String,
    /// Grade.
    pub grade: i16,
    /// The school (Russian and Kazakh names).
    pub school_ru: String,
    /// In Kazakh.
    pub school_kk: String,
    /// Items given (codes and quantities).
    pub items: Vec<(String, i32)>,
    /// Amount, tiyn (negative for a correction).
    pub amount: i64,
    /// Status code.
    pub status: String,
}

/// Children helped (by a positive entry) and the net sum of a help report.
pub fn summary(lines: &[HelpLine]) -> (usize, i64) {
    let children: std::collections::HashSet<&str> =
        lines.iter().filter(|l| l.amount > 0).map(|l| l.code.as_str()).collect();
    (children.len(), lines.iter().map(|l| l.amount).sum())
}

/// Everything the signed-in sponsor gave, oldest first, anonymised.
pub async fn help_report(db: &impl ConnectionTrait, actor: &Actor) -> Result<(sponsor::Model, Vec<HelpLine>), Error> {
    let sponsor = sponsor_of(db, actor).await?;
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::SponsorId.eq(sponsor.id))
        .filter(ledger_entry::Column::Status.is_in(["delivered", "confirmed"]))
        .order_by_asc(ledger_entry::Column::EntryDate)
        .order_by_asc(ledger_entry::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    let mut items: std::collections::HashMap<i64, Vec<(String, i32)>> = std::collections::HashMap::new();
    for chunk in ids.chunks(10_000) {
        for i in crate::entity::ledger_item::Entity::find()
            .filter(crate::entity::ledger_item::Column::EntryId.is_in(chunk.to_vec()))
            .order_by_asc(crate::entity::ledger_item::Column::Id)
            .all(db)
            .await?
        {
            items.entry(i.entry_id).or_default().push((i.item, i.quantity));
        }
    }
    let child_ids: Vec<i64> = entries.iter().map(|e| e.child_id).collect();
    let mut grades = std::collections::HashMap::new();
    for chunk in child_ids.chunks(10_000) {
        let rows: Vec<(i64, i16)> = child::Entity::find()
            .select_only()
            .column(child::Column::Id)
            .column(child::Column::Grade)
            .filter(child::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        grades.extend(rows);
    }
    let schools: std::collections::HashMap<i64, org_unit::Model> = org_unit::Entity::find()
        .filter(org_unit::Column::Id.is_in(entries.iter().map(|e| e.school_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let lines = entries
        .into_iter()
        .map(|e| {
            let school = schools.get(&e.school_id);
            HelpLine {
                date: e.entry_date,
                code: crate::children::code(e.child_id),
                grade: grades.get(&e.child_id).copied().unwrap_or_default(),
                school_ru: school.map(|s| s.name_ru.clone()).unwrap_or_default(),
                school_kk: school.map(|s| s.name_kk.clone()).unwrap_or_default(),
                items: items.remove(&e.id).unwrap_or_default(),
                amount: e.amount,
                status: e.status,
            }
        })
        .collect();
    Ok((sponsor, lines))
}
