//! The registry's list: the query built from the scope and the filters, a page of it, the
//! export's audit entry.

use domain::{Actor, CampaignId, OrgUnitId};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use super::anonymise;
use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{child, child_category, child_need};
use crate::error::Error;
use crate::org::fold;

/// Filters, sorting and paging of the list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// IIN (or its start) or part of a name.
    pub q: Option<String>,
    /// Category code.
    pub category: Option<String>,
    /// Grade.
    pub grade: Option<i16>,
    /// Status code.
    pub status: Option<String>,
    /// Need item code.
    pub need: Option<String>,
    /// Only this school (or any unit) within scope.
    pub unit: Option<OrgUnitId>,
    /// `surname` (default), `grade`, `status`, `school`, `newest`.
    pub sort: String,
}

/// One page of the list.
#[derive(Debug, Clone)]
pub struct Page {
    /// The rows (anonymised for roles without the right to personal data).
    pub rows: Vec<child::Model>,
    /// All rows matching.
    pub total: u64,
}

/// The query behind the list and the export: the campaign, the actor's scope, the filters.
pub async fn query(
    db: &impl ConnectionTrait,
    actor: &Actor,
    campaign_id: CampaignId,
    f: &Filter,
) -> Result<sea_orm::Select<child::Entity>, Error> {
    let campaign_id = campaign_id.0;
    if !actor.role.can_view_orgs() {
        return Err(Error::Forbidden);
    }
    let mut prefix = actor.scope.path().to_owned();
    if let Some(unit) = f.unit {
        prefix = crate::org::get(db, actor, unit).await?.path;
    }
    let mut q = child::Entity::find()
        .filter(child::Column::CampaignId.eq(campaign_id))
        .filter(child::Column::UnitPath.starts_with(prefix));
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        if text.bytes().all(|b| b.is_ascii_digit()) {
            q = q.filter(child::Column::Iin.starts_with(text));
        } else {
            let escaped = fold(text).replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            q = q.filter(Expr::col(child::Column::SearchKey).like(LikeExpr::new(format!("%{escaped}%")).escape('\\')));
        }
    }
    if let Some(category) = f.category.as_deref().filter(|c| !c.is_empty()) {
        let sub = Query::select()
            .column(child_category::Column::ChildId)
            .from(child_category::Entity)
            .and_where(child_category::Column::Category.eq(category))
            .to_owned();
        q = q.filter(child::Column::Id.in_subquery(sub));
    }
    if let Some(need) = f.need.as_deref().filter(|c| !c.is_empty()) {
        let sub = Query::select()
            .column(child_need::Column::ChildId)
            .from(child_need::Entity)
            .and_where(child_need::Column::Item.eq(need))
            .to_owned();
        q = q.filter(child::Column::Id.in_subquery(sub));
    }
    if let Some(grade) = f.grade {
        q = q.filter(child::Column::Grade.eq(grade));
    }
    if let Some(status) = f.status.as_deref().filter(|c| !c.is_empty()) {
        q = q.filter(child::Column::Status.eq(status));
    }
    q = match f.sort.as_str() {
        "grade" => q.order_by_asc(child::Column::Grade).order_by_asc(child::Column::SearchKey),
        "status" => q.order_by_asc(child::Column::Status).order_by_asc(child::Column::SearchKey),
        "school" => q.order_by_asc(child::Column::UnitPath).order_by_asc(child::Column::SearchKey),
        "newest" => q.order_by_desc(child::Column::Id),
        _ => q.order_by_asc(child::Column::SearchKey),
    };
    Ok(q.order_by_asc(child::Column::Id))
}

/// One page (`page` from 1) of the children in scope matching the filter.
pub async fn list(
    db: &Db,
    actor: &Actor,
    campaign_id: CampaignId,
    f: &Filter,
    page: u64,
    per_page: u64,
) -> Result<Page, Error> {
    let campaign_id = campaign_id.0;
    let q = query(db, actor, CampaignId(campaign_id), f).await?;
    let total = q.clone().count(db).await?;
    let rows = q.offset((Ord::max(page, 1) - 1) * per_page).limit(per_page).all(db).await?;
    let rows = if actor.role.can_read_personal_data() { rows } else { rows.into_iter().map(anonymise).collect() };
    Ok(Page { rows, total })
}

/// Writes an export of personal data to the audit log (call before handing out the file).
pub async fn log_export(db: &Db, actor: &Actor, rows: u64, filter: serde_json::Value) -> Result<(), DbErr> {
    let entry = Entry {
        action: "export_personal",
        entity: "child",
        entity_id: None,
        unit_path: Some(actor.scope.path()),
        before: None,
        after: Some(json!({ "rows": rows, "filter": filter })),
    };
    audit::record(db, Who::User(actor), entry).await
}
