//! Records the actor's scope covers, as only this crate can vouch for them: a function that takes
//! an [`InScope`] cannot be handed a unit (or anything else) that nobody checked.

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
