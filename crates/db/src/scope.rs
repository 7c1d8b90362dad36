//! Records the actor's scope covers, as only this crate can vouch for them: a function that takes
//! an [`InScope`] cannot be handed a unit (or anything else) that nobody checked. And the scope
//! as SQL that both databases serve from an index: a path's prefix as a range over a column
//! that sorts by bytes (migration m0008), or a level's id on the row itself.

use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};

/// A value checked against the actor's scope (or, for the public figures, public by rule). Only
/// `db` makes one.
#[derive(Debug, Clone)]
pub struct InScope<T>(T);

impl<T> InScope<T> {
    /// Wraps a value this crate has checked.
    pub(crate) fn vouched(value: T) -> Self {
        InScope(value)
    }

    /// The value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for InScope<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The least string above every string that starts with `prefix` (`/1/16/` → `/1/160`), or none
/// when nothing is above them.
pub fn upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = (last as u32 + 1..=char::MAX as u32).find_map(char::from_u32);
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// `column` starts with `prefix`, as a range: a btree over a bytewise column serves it on both
/// databases, where `LIKE 'prefix%'` is served on neither (SQLite's LIKE ignores case,
/// PostgreSQL's needs the C collation or a pattern index).
pub fn starts_with(column: impl Into<Expr>, prefix: &str) -> SimpleExpr {
    let column: Expr = column.into();
    let from = column.clone().gte(prefix);
    match upper_bound(prefix) {
        Some(to) => from.and(column.lt(to)),
        None => from,
    }
}

/// The same range as raw SQL for statements whose values are inlined: `column` under the path
/// `path` (only its digits and slashes are kept).
pub fn path_under(column: &str, path: &str) -> String {
    let path = crate::sql_path(path);
    match upper_bound(&path) {
        Some(upper) => format!("{column} >= '{path}' AND {column} < '{upper}'"),
        None => format!("{column} >= '{path}'"),
    }
}

/// The region, district and school ids a path names (none above its level).
pub fn levels(path: &str) -> (Option<i64>, Option<i64>, Option<i64>) {
    let ids: Vec<i64> = path.split('/').filter(|p| !p.is_empty()).filter_map(|p| p.parse().ok()).collect();
    (ids.get(1).copied(), ids.get(2).copied(), ids.get(3).copied())
}

/// The level of the hierarchy a path names, as the column of a child's row that holds that
/// level's id and the id: a school's path names its school, a district's its district, a
/// region's its region; the republic's names everything (none).
pub fn level_of(path: &str) -> Option<(&'static str, i64)> {
    let ids: Vec<i64> = path.split('/').filter(|p| !p.is_empty()).filter_map(|p| p.parse().ok()).collect();
    let column = match ids.len() {
        2 => "region_id",
        3 => "district_id",
        4 => "school_id",
        _ => return None,
    };
    Some((column, *ids.last()?))
}

/// The condition that keeps a scope's rows of a table carrying region, district and school ids
/// (`[region, district, school]` columns): the path's level column equals its id; none for the
/// republic.
pub(crate) fn at_level<C: sea_orm::ColumnTrait>(path: &str, [region, district, school]: [C; 3]) -> sea_orm::Condition {
    let cond = sea_orm::Condition::all();
    match level_of(path) {
        Some(("region_id", id)) => cond.add(region.eq(id)),
        Some(("district_id", id)) => cond.add(district.eq(id)),
        Some((_, id)) => cond.add(school.eq(id)),
        None => cond,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upper_bound_closes_the_prefix() {
        assert_eq!(upper_bound("/1/16/").as_deref(), Some("/1/160"));
        assert_eq!(upper_bound("ива").as_deref(), Some("ивб"));
        assert_eq!(upper_bound("12349").as_deref(), Some("1234:"));
        assert_eq!(upper_bound("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(upper_bound(&format!("a{}", char::MAX)).as_deref(), Some("b"));
        assert_eq!(upper_bound(""), None);
        // Everything that starts with the prefix sorts between it and the bound, bytewise.
        for s in ["/1/16/", "/1/16/22/", "/1/16/999/1/"] {
            assert!(("/1/16/".."/1/160").contains(&s));
        }
        assert!("/1/160/" >= "/1/160" && "/1/17/" > "/1/160");
    }

    #[test]
    fn a_path_names_its_level() {
        assert_eq!(level_of("/1/"), None);
        assert_eq!(level_of("/1/16/"), Some(("region_id", 16)));
        assert_eq!(level_of("/1/16/22/"), Some(("district_id", 22)));
        assert_eq!(level_of("/1/16/22/305/"), Some(("school_id", 305)));
    }
}
