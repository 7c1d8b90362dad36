//! The two languages of the system.

use serde::{Deserialize, Serialize};

/// A user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// Russian.
    #[default]
    Ru,
    /// Kazakh.
    Kk,
}

impl Locale {
    /// Both languages, in the order they are offered.
    pub const ALL: [Locale; 2] = [Locale::Kk, Locale::Ru];

    /// The BCP 47 code.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Ru => "ru",
            Locale::Kk => "kk",
        }
    }

    /// Parses a code such as `kk`, `ru`, `kk-KZ`, `ru_RU`.
    pub fn parse(code: &str) -> Option<Self> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ru" => Some(Locale::Ru),
            "kk" | "kz" => Some(Locale::Kk),
            _ => None,
        }
    }

    /// Picks the best language from an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default();
            let q = pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            if let Some(locale) = Locale::parse(tag)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, locale));
            }
        }
        best.map(|(_, l)| l)
    }

    /// The name of an org unit in this language, falling back to the other.
    pub fn pick<'a>(self, ru: &'a str, kk: &'a str) -> &'a str {
        match self {
            Locale::Kk if !kk.is_empty() => kk,
            Locale::Ru if !ru.is_empty() => ru,
            _ if ru.is_empty() => kk,
            _ => ru,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_honours_q_values() {
        assert_eq!(Locale::from_accept_language("kk-KZ,ru;q=0.8"), Some(Locale::Kk));
        assert_eq!(Locale::from_accept_language("en;q=1, ru;q=0.5, kk;q=0.7"), Some(Locale::Kk));
        assert_eq!(Locale::from_accept_language("en-US,en"), None);
        assert_eq!(Locale::from_accept_language("ru-RU"), Some(Locale::Ru));
    }
}
