//! Scope: one org unit and everything below it.
//!
//! Every unit stores its materialised path (`/1/4/37/`), so "in scope" is a prefix test that the
//! database answers with an index, and queries are built from the scope rather than filtered later.

use serde::Serialize;

use crate::ids::OrgUnitId;

/// The part of the hierarchy a user may see: their unit and everything below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scope {
    unit: OrgUnitId,
    path: String,
}

impl Scope {
    /// The scope rooted at `unit`, whose materialised path is `path`.
    pub fn new(unit: OrgUnitId, path: impl Into<String>) -> Self {
        Self { unit, path: path.into() }
    }

    /// The root unit.
    pub fn unit(&self) -> OrgUnitId {
        self.unit
    }

    /// The root's path; every unit in scope has a path starting with it.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether the unit at `path` lies in this scope.
    pub fn covers(&self, path: &str) -> bool {
        path.starts_with(&self.path)
    }

    /// Whether the unit at `path` lies strictly below the root.
    pub fn strictly_covers(&self, path: &str) -> bool {
        path.len() > self.path.len() && self.covers(path)
    }
}

/// The path of a child of the unit at `parent_path`.
pub fn child_path(parent_path: &str, child: OrgUnitId) -> String {
    format!("{parent_path}{child}/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_covers_its_subtree_only() {
        let s = Scope::new(OrgUnitId(4), "/1/4/");
        assert!(s.covers("/1/4/"));
        assert!(s.covers("/1/4/37/"));
        assert!(!s.covers("/1/41/"), "a sibling whose id starts with the same digits");
        assert!(!s.covers("/1/"));
        assert!(s.strictly_covers("/1/4/37/"));
        assert!(!s.strictly_covers("/1/4/"));
        assert_eq!(child_path("/1/4/", OrgUnitId(37)), "/1/4/37/");
    }
}
