//! Validation errors with stable codes; the web layer translates the codes.

use serde::Serialize;

use crate::ErrorCode;

/// One problem with one field (and, for imports, one row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's stable name, e.g. `name_ru`.
    pub field: String,
    /// The stable error code, e.g. `required`, `too_long`.
    pub code: ErrorCode,
    /// The row of an imported file (1-based, counting the header as row 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// A number the message may mention (a maximum length, a limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// The name the message calls the field by, when it is not the field's own (the aid's
    /// `source` is «Источник помощи», a child's `source` is «Как выявлен»).
    #[serde(skip)]
    pub label: Option<String>,
}

impl FieldError {
    /// A problem with `field` described by `code`.
    pub fn new(field: impl Into<String>, code: ErrorCode) -> Self {
        Self { field: field.into(), code, row: None, limit: None, label: None }
    }

    /// The same problem, with a number for the message.
    pub fn with_limit(mut self, limit: i64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The same problem, located at a row of an imported file.
    pub fn at_row(mut self, row: usize) -> Self {
        self.row = Some(row);
        self
    }
}

/// Input that failed validation: every problem found, not just the first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {0:?}")]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    /// A single-field failure.
    pub fn one(field: impl Into<String>, code: ErrorCode) -> Self {
        Self(vec![FieldError::new(field, code)])
    }
}

/// Collects field errors while checking a form.
#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    /// Records a problem.
    pub fn push(&mut self, error: FieldError) {
        self.errors.push(error);
    }

    /// How many problems are recorded so far.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Names the problems recorded since the first `since` by `label` in their messages.
    pub fn label_since(&mut self, since: usize, label: &str) {
        for e in self.errors.iter_mut().skip(since) {
            e.label = Some(label.to_owned());
        }
    }

    /// A required text field: trimmed, non-empty, at most `max` characters, no control characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.push(FieldError::new(field, ErrorCode::Required));
        } else {
            self.check_len(field, value, max);
        }
        value.to_owned()
    }

    /// An optional text field: `None` when empty.
    pub fn optional_text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        self.check_len(field, value, max);
        Some(value.to_owned())
    }

    /// A required text of several lines (a letter, an answer): as [`Checker::text`], with line
    /// breaks and tabs allowed.
    pub fn lines(&mut self, field: &str, value: &str, max: usize) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.push(FieldError::new(field, ErrorCode::Required));
        } else {
            self.check(field, value, max, |c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
        }
        value.replace("\r\n", "\n")
    }

    fn check_len(&mut self, field: &str, value: &str, max: usize) {
        self.check(field, value, max, char::is_control);
    }

    fn check(&mut self, field: &str, value: &str, max: usize, bad: impl Fn(char) -> bool) {
        if value.chars().count() > max {
            self.push(FieldError::new(field, ErrorCode::TooLong).with_limit(max as i64));
        } else if value.chars().any(bad) {
            self.push(FieldError::new(field, ErrorCode::ControlChars));
        }
    }

    /// `Ok(value)` if nothing was recorded, else every recorded problem.
    pub fn finish<T>(self, value: T) -> Result<T, Invalid> {
        if self.errors.is_empty() { Ok(value) } else { Err(Invalid(self.errors)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_trims_and_reports_every_problem() {
        let mut c = Checker::default();
        assert_eq!(c.text("a", "  Құрманғазы  ", 20), "Құрманғазы");
        c.text("b", "   ", 20);
        c.text("c", &"ә".repeat(21), 20);
        c.optional_text("d", "x\u{0}y", 20);
        assert_eq!(c.lines("e", "  две\r\nстроки\t ", 20), "две\nстроки");
        c.lines("f", "a\u{7}b", 20);
        let err = c.finish(()).unwrap_err();
        let codes: Vec<_> = err.0.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(codes, [("b", "required"), ("c", "too_long"), ("d", "control_chars"), ("f", "control_chars")]);
        assert_eq!(err.0[1].limit, Some(20));
    }
}
