//! The registry's list: the query built from the scope and the filters, a page of it read from
//! an index in the list's order (a page starts after, or ends before, a row of the list, so page
//! 140 costs what page 1 does), its total, and the export's audit entry.

use domain::{Actor, CampaignId, ErrorCode, FieldError, Invalid, OrgUnitId};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, QueryStatementBuilder, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityName, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select,
};
use serde_json::json;

use super::anonymise;
use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{child, child_category, child_need};
use crate::error::Error;
use crate::org::fold;
use crate::scope::starts_with;

/// The shortest text search (letters), the shortest IIN search (digits), the longest search.
pub const SEARCH_MIN: usize = 2;
/// The shortest IIN search: its first four digits are the year and month of birth.
pub const IIN_MIN: usize = 4;
/// The longest search.
pub const SEARCH_MAX: usize = 100;
/// A filtered list counts its rows up to this many, and says "more" past it.
pub const COUNT_CAP: u64 = 10_000;

/// Filters, sorting and paging of the list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// IIN (or its first digits) or the start of the surname (then the name…).
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

impl Filter {
    /// Whether only the scope narrows the list (its total is then the running totals').
    fn is_whole_scope(&self) -> bool {
        let empty = |v: &Option<String>| v.as_deref().is_none_or(|v| v.trim().is_empty());
        empty(&self.q) && empty(&self.category) && empty(&self.status) && empty(&self.need) && self.grade.is_none()
    }
}

/// Where a page starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Cursor {
    /// The first page.
    #[default]
    First,
    /// The rows after this child's row, in the list's order.
    After(i64),
    /// The rows before this child's row.
    Before(i64),
}

/// One page of the list.
#[derive(Debug, Clone)]
pub struct Page {
    /// The rows (anonymised for roles without the right to personal data).
    pub rows: Vec<child::Model>,
    /// All rows matching, or [`COUNT_CAP`] when `more` is set.
    pub total: u64,
    /// More rows match than `total` says.
    pub more: bool,
    /// The cursor of the next page, if there is one.
    pub next: Option<Cursor>,
    /// The cursor of the page before, if there is one.
    pub prev: Option<Cursor>,
}

/// The orders the list offers, each a key that ends in the id so that it is total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    Surname,
    Grade,
    Status,
    School,
    Newest,
}

impl Sort {
    fn parse(code: &str) -> Option<Sort> {
        Some(match code.trim() {
            "" | "surname" => Sort::Surname,
            "grade" => Sort::Grade,
            "status" => Sort::Status,
            "school" => Sort::School,
            "newest" => Sort::Newest,
            _ => return None,
        })
    }

    /// The key's columns, the last being the id; every column ascending, or (newest) descending.
    fn key(self) -> Vec<child::Column> {
        use child::Column as C;
        match self {
            Sort::Surname => vec![C::SearchKey, C::Id],
            Sort::Grade => vec![C::Grade, C::SearchKey, C::Id],
            Sort::Status => vec![C::Status, C::SearchKey, C::Id],
            Sort::School => vec![C::UnitPath, C::SearchKey, C::Id],
            Sort::Newest => vec![C::Id],
        }
    }

    fn descending(self) -> bool {
        self == Sort::Newest
    }
}

/// Reads the search text: an IIN's first digits or a name's first letters, folded.
fn search(text: &str) -> Result<Option<SimpleExpr>, Invalid> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let length = text.chars().count();
    if length > SEARCH_MAX {
        return Err(Invalid(vec![FieldError::new("q", ErrorCode::TooLong).with_limit(SEARCH_MAX as i64)]));
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        if length < IIN_MIN {
            return Err(Invalid(vec![FieldError::new("q", ErrorCode::TooShort).with_limit(IIN_MIN as i64)]));
        }
        return Ok(Some(if length == 12 {
            child::Column::Iin.eq(text)
        } else {
            starts_with(Expr::col(child::Column::Iin), text)
        }));
    }
    if length < SEARCH_MIN {
        return Err(Invalid(vec![FieldError::new("q", ErrorCode::TooShort).with_limit(SEARCH_MIN as i64)]));
    }
    Ok(Some(starts_with(Expr::col(child::Column::SearchKey), &fold(text))))
}

/// The list's rows in scope matching the filter, unordered.
struct Matching {
    query: Select<child::Entity>,
    sort: Sort,
    /// The path of the unit listed (the actor's, or the one in scope asked for).
    path: String,
}

async fn matching(
    db: &impl ConnectionTrait,
    actor: &Actor,
    campaign_id: CampaignId,
    f: &Filter,
) -> Result<Matching, Error> {
    if !actor.role.can_view_orgs() {
        return Err(Error::Forbidden);
    }
    super::anonymous::refusals(actor, f)?;
    let sort = Sort::parse(&f.sort).ok_or_else(|| Error::Invalid(Invalid::one("sort", ErrorCode::InvalidChoice)))?;
    let found = search(f.q.as_deref().unwrap_or(""));
    let path = match f.unit {
        Some(unit) => crate::org::get(db, actor, unit).await?.path,
        None => actor.scope.path().to_owned(),
    };
    let mut q = child::Entity::find().filter(child::Column::CampaignId.eq(campaign_id.0));
    if let Some((column, id)) = crate::scope::level_of(&path) {
        // The level's id picks the index for the list's order. Ordered by school, the path's
        // range (the same rows) lets the (campaign, path) index serve the order; otherwise it is
        // left out, since a planner that takes the two for independent conditions expects a
        // handful of rows and reads the whole scope to sort them.
        let level = Expr::col(Alias::new(column));
        q = match (sort, db.get_database_backend()) {
            // Newest first on PostgreSQL, the id as a one-value range: held equal, PostgreSQL
            // drops the level from the order (`ordered`), finds the primary key serves what is
            // left, and walks the whole table backwards to the scope's children (0.5 s for a
            // region). SQLite needs it equal to seek the cursor's id in the level's index.
            (Sort::Newest, DatabaseBackend::Postgres) => q.filter(level.clone().gte(id)).filter(level.lte(id)),
            _ => q.filter(level.eq(id)),
        };
        if sort == Sort::School {
            q = q.filter(starts_with(Expr::col(child::Column::UnitPath), &path));
        }
    }
    if let Some(text) = found? {
        q = q.filter(text);
    }
    let exists = |table: &str, column: &str, value: &str| {
        let sub = Query::select()
            .expr(Expr::val(1))
            .from_as(Alias::new(table), Alias::new("x"))
            .and_where(Expr::col((Alias::new("x"), Alias::new("child_id"))).equals((child::Entity, child::Column::Id)))
            .and_where(Expr::col((Alias::new("x"), Alias::new(column))).eq(value))
            .to_owned();
        Expr::exists(sub)
    };
    if let Some(category) = f.category.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        q = q.filter(exists(child_category::Entity.table_name(), "category", category));
    }
    if let Some(need) = f.need.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        q = q.filter(exists(child_need::Entity.table_name(), "item", need));
    }
    if let Some(grade) = f.grade {
        q = q.filter(child::Column::Grade.eq(grade));
    }
    if let Some(status) = f.status.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        q = q.filter(child::Column::Status.eq(status));
    }
    Ok(Matching { query: q, sort, path })
}

/// The list in its order. Newest first, the scope's level id (one value) leads the order too, so
/// the level's index by id serves it: ordered by id alone, PostgreSQL walks the whole table
/// backwards from the country's newest child to reach the region's, whose ids lie together.
fn ordered(mut q: Select<child::Entity>, sort: Sort, reversed: bool, path: &str) -> Select<child::Entity> {
    let order = if sort.descending() != reversed { Order::Desc } else { Order::Asc };
    if let (Sort::Newest, Some((level, _))) = (sort, crate::scope::level_of(path)) {
        q = q.order_by(Expr::col(Alias::new(level)), order.clone());
    }
    for column in sort.key() {
        q = q.order_by(column, order.clone());
    }
    q
}

/// The anchor of a cursor: the child `id` in the list's campaign and the actor's scope, so that a
/// cursor cannot tell where an unseen child's name sorts.
fn anchor(actor: &Actor, campaign_id: CampaignId, id: i64) -> Select<child::Entity> {
    child::Entity::find_by_id(id)
        .filter(child::Column::CampaignId.eq(campaign_id.0))
        .filter(starts_with(Expr::col(child::Column::UnitPath), actor.scope.path()))
}

/// The rows strictly after (or, `before`, strictly before) the child `id` in the list's order:
/// the anchor's key is read by the same statement, as a row subquery.
fn beyond(
    actor: &Actor,
    campaign_id: CampaignId,
    q: Select<child::Entity>,
    sort: Sort,
    id: i64,
    before: bool,
) -> Select<child::Entity> {
    let key = sort.key();
    let mut of_anchor = anchor(actor, campaign_id, id).select_only();
    for column in &key {
        of_anchor = of_anchor.column(*column);
    }
    let columns = Expr::tuple(key.iter().map(|c| Expr::col(*c)));
    let values = Expr::SubQuery(None, Box::new(of_anchor.into_query().into_sub_query_statement()));
    let later = sort.descending() == before;
    q.filter(if later { columns.gt(values) } else { columns.lt(values) })
}

/// How many rows the filter matches: from the running totals where only the scope narrows the
/// list, else counted up to [`COUNT_CAP`] (and then `more`).
async fn count(
    db: &impl ConnectionTrait,
    campaign_id: CampaignId,
    f: &Filter,
    m: &Matching,
) -> Result<(u64, bool), Error> {
    if f.is_whole_scope() {
        return Ok((crate::reports::children_in(db, campaign_id, &m.path).await?, false));
    }
    let capped = m.query.clone().select_only().expr(Expr::val(1)).limit(COUNT_CAP + 1).into_query();
    let mut outer = Query::select();
    outer.expr_as(Expr::cust("COUNT(*)"), Alias::new("n")).from_subquery(capped, Alias::new("m"));
    let row = db.query_one(&outer).await?.ok_or_else(|| DbErr::RecordNotFound("count".into()))?;
    let n = u64::try_from(row.try_get::<i64>("", "n")?).unwrap_or(0);
    Ok(if n > COUNT_CAP { (COUNT_CAP, true) } else { (n, false) })
}

/// One page of `per_page` children in scope matching the filter, starting at `cursor`.
pub async fn list(
    db: &Db,
    actor: &Actor,
    campaign_id: CampaignId,
    f: &Filter,
    cursor: Cursor,
    per_page: u64,
) -> Result<Page, Error> {
    let m = matching(db, actor, campaign_id, f).await?;
    let (mut rows, more) = page_rows(db, actor, campaign_id, &m, cursor, per_page).await?;
    let (total, many) = count(db, campaign_id, f, &m).await?;
    let (first, last) = (rows.first().map(|r| r.id), rows.last().map(|r| r.id));
    let (next, prev) = match cursor {
        Cursor::First => (last.filter(|_| more).map(Cursor::After), None),
        Cursor::After(_) => (last.filter(|_| more).map(Cursor::After), first.map(Cursor::Before)),
        Cursor::Before(_) => (last.map(Cursor::After), first.filter(|_| more).map(Cursor::Before)),
    };
    if !actor.role.can_read_personal_data() {
        super::anonymous::log_lookup(db, actor, f, rows.first().map(|r| r.id)).await?;
        rows = rows.into_iter().map(anonymise).collect();
    }
    Ok(Page { rows, total, more: many, next, prev })
}

/// The next `n` rows of the list after `cursor` (the export reads the list this way), and the
/// cursor after them if more follow. Rows are not anonymised: the caller shows only what the
/// role may see.
pub async fn chunk(
    db: &impl ConnectionTrait,
    actor: &Actor,
    campaign_id: CampaignId,
    f: &Filter,
    cursor: Cursor,
    n: u64,
) -> Result<(Vec<child::Model>, Option<Cursor>), Error> {
    let m = matching(db, actor, campaign_id, f).await?;
    let (rows, more) = page_rows(db, actor, campaign_id, &m, cursor, n).await?;
    let next = rows.last().map(|r| r.id).filter(|_| more).map(Cursor::After);
    Ok((rows, next))
}

/// The rows of one page in the list's order, and whether more lie beyond it in the direction
/// read.
async fn page_rows(
    db: &impl ConnectionTrait,
    actor: &Actor,
    campaign_id: CampaignId,
    m: &Matching,
    cursor: Cursor,
    per_page: u64,
) -> Result<(Vec<child::Model>, bool), Error> {
    let all = m.query.clone();
    let (q, backwards, anchor_id) = match cursor {
        Cursor::First => (all, false, None),
        Cursor::After(id) => (beyond(actor, campaign_id, all, m.sort, id, false), false, Some(("after", id))),
        Cursor::Before(id) => (beyond(actor, campaign_id, all, m.sort, id, true), true, Some(("before", id))),
    };
    let mut rows = ordered(q, m.sort, backwards, &m.path).limit(per_page + 1).all(db).await?;
    // Nothing beyond the cursor: the end of the list, or a child no longer in it.
    if let Some((field, id)) = anchor_id.filter(|_| rows.is_empty())
        && anchor(actor, campaign_id, id).one(db).await?.is_none()
    {
        return Err(Error::Invalid(Invalid::one(field, ErrorCode::StaleCursor)));
    }
    let more = rows.len() as u64 > per_page;
    rows.truncate(per_page as usize);
    if backwards {
        rows.reverse();
    }
    Ok((rows, more))
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
