//! How people in Kazakhstan write money and dates: `1 196 448 ₸`, `01.08.2023`.

use chrono::NaiveDate;

/// An amount of money in whole tiyn (1 tenge = 100 tiyn). Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Tenge(pub i64);

impl Tenge {
    /// Whole tenge.
    pub fn from_tenge(tenge: i64) -> Self {
        Tenge(tenge * 100)
    }
}

/// Folds text for search, the same way on both databases (SQLite's `lower()` is ASCII only):
/// lower case, ё as е, and the Kazakh letters as their Russian look-alikes (ә→а, ғ→г, қ→к, ң→н,
/// ө→о, ұ and ү→у, һ→х, і→и), since Kazakh names are often typed with Russian letters.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ё' => 'е',
            'ә' => 'а',
            'ғ' => 'г',
            'қ' => 'к',
            'ң' => 'н',
            'ө' => 'о',
            'ұ' | 'ү' => 'у',
            'һ' => 'х',
            'і' => 'и',
            other => other,
        })
        .collect()
}

/// Groups the digits of a whole number by three with a space: `1196448` → `1 196 448`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

impl std::fmt::Display for Tenge {
    /// `1 196 448 ₸`, or `1 196 448,50 ₸` when there are tiyn.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let whole = self.0 / 100;
        let tiyn = (self.0 % 100).abs();
        let sign = if self.0 < 0 && whole == 0 { "-" } else { "" };
        if tiyn == 0 {
            write!(f, "{sign}{} ₸", group_thousands(whole))
        } else {
            write!(f, "{sign}{},{tiyn:02} ₸", group_thousands(whole))
        }
    }
}

/// `01.08.2023`.
pub fn date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// `01.08.2023 14:05` in the given offset (Kazakhstan is UTC+5).
pub fn date_time(t: chrono::DateTime<chrono::Utc>, offset_hours: i32) -> String {
    let local = chrono::FixedOffset::east_opt(offset_hours * 3600)
        .map_or(t.naive_utc(), |offset| t.with_timezone(&offset).naive_local());
    local.format("%d.%m.%Y %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_by_thousands_with_the_tenge_sign() {
        assert_eq!(Tenge::from_tenge(1_196_448).to_string(), "1 196 448 ₸");
        assert_eq!(Tenge::from_tenge(486_057).to_string(), "486 057 ₸");
        assert_eq!(Tenge::from_tenge(1_000_000).to_string(), "1 000 000 ₸");
        assert_eq!(Tenge(4_056_750).to_string(), "40 567,50 ₸");
        assert_eq!(Tenge(0).to_string(), "0 ₸");
        assert_eq!(Tenge(-50).to_string(), "-0,50 ₸");
        assert_eq!(Tenge::from_tenge(-1_000).to_string(), "-1 000 ₸");
    }

    #[test]
    fn search_folds_kazakh_letters_onto_their_russian_look_alikes() {
        assert_eq!(fold("Әбдіқадырова"), fold("Абдикадырова"));
        assert_eq!(fold("ҒҰМАР Үрмет Өңір Һәм Ёлка"), "гумар урмет онир хам елка");
        assert_eq!(fold("Smith 0601"), "smith 0601");
    }

    #[test]
    fn dates_read_day_month_year() {
        let d = NaiveDate::from_ymd_opt(2023, 8, 1).unwrap();
        assert_eq!(date(d), "01.08.2023");
        let t = d.and_hms_opt(20, 30, 0).unwrap().and_utc();
        assert_eq!(date_time(t, 5), "02.08.2023 01:30");
    }
}

/// Reads a list that may come as one value: an HTML form with one box ticked sends
/// `categories=asp`, with two `categories=asp&categories=orphan`, and JSON sends a list.
pub fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match serde::Deserialize::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// Reads an optional id that may come as JSON's number or `null`, or as a form's text, where an
/// empty choice («— choose —») is none; text that is no number is refused.
pub fn optional_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Id {
        Number(i64),
        Text(String),
    }
    match <Option<Id> as serde::Deserialize>::deserialize(d)? {
        None => Ok(None),
        Some(Id::Number(n)) => Ok(Some(n)),
        Some(Id::Text(s)) if s.trim().is_empty() => Ok(None),
        Some(Id::Text(s)) => s.trim().parse().map(Some).map_err(serde::de::Error::custom),
    }
}

/// Reads a yes/no that may come as JSON's `true`, a form's ticked box (`1`, `on`) or an import's
/// cell (`да`, `иә`, `yes`); anything else, or nothing, is no.
pub fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    Ok(match serde::Deserialize::deserialize(d)? {
        Flag::Bool(b) => b,
        Flag::Text(s) => is_yes(&s),
    })
}

/// Whether a typed answer means yes.
pub fn is_yes(text: &str) -> bool {
    matches!(fold(text.trim()).as_str(), "1" | "on" | "true" | "yes" | "да" | "иа" | "+")
}

#[cfg(test)]
mod list_tests {
    #[derive(Debug, serde::Deserialize)]
    struct Form {
        #[serde(default, deserialize_with = "super::one_or_many")]
        categories: Vec<String>,
    }

    #[test]
    fn a_list_may_come_as_one_value() {
        let one: Form = serde_json::from_str(r#"{"categories": "asp"}"#).unwrap();
        assert_eq!(one.categories, ["asp"]);
        let many: Form = serde_json::from_str(r#"{"categories": ["asp", "orphan"]}"#).unwrap();
        assert_eq!(many.categories, ["asp", "orphan"]);
        let none: Form = serde_json::from_str("{}").unwrap();
        assert!(none.categories.is_empty());
    }

    #[derive(Debug, serde::Deserialize)]
    struct Confirm {
        #[serde(default, deserialize_with = "super::flag")]
        ok: bool,
    }

    #[test]
    fn a_yes_may_come_as_true_a_ticked_box_or_a_word() {
        for yes in [r#"{"ok": true}"#, r#"{"ok": "1"}"#, r#"{"ok": "on"}"#, r#"{"ok": "Да"}"#, r#"{"ok": "иә"}"#] {
            assert!(serde_json::from_str::<Confirm>(yes).unwrap().ok, "{yes}");
        }
        for no in [r#"{"ok": false}"#, r#"{"ok": ""}"#, r#"{"ok": "нет"}"#, r#"{}"#] {
            assert!(!serde_json::from_str::<Confirm>(no).unwrap().ok, "{no}");
        }
    }
}
