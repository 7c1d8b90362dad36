//! Russian and Kazakh text from the fluent catalogues (`ftl/ru.ftl`, `ftl/kk.ftl`), with CLDR
//! plural rules for both. No user-facing text lives in Rust code.

use std::sync::Arc;

use domain::format::Tenge;
use domain::{FieldError, Locale, OrgKind, Role};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The Russian catalogue.
pub const RU: &str = include_str!("../ftl/ru.ftl");
/// The Kazakh catalogue.
pub const KK: &str = include_str!("../ftl/kk.ftl");

/// Both catalogues, parsed once at start-up.
pub struct Catalog {
    ru: FluentBundle<FluentResource>,
    kk: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Catalog")
    }
}

fn bundle(locale: Locale, source: &str) -> Result<FluentBundle<FluentResource>, String> {
    let resource = FluentResource::try_new(source.to_owned())
        .map_err(|(_, errors)| format!("{} catalogue: {errors:?}", locale.code()))?;
    let langid = locale.code().parse().map_err(|e| format!("{e:?}"))?;
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // No Unicode isolation marks around arguments: they would end up in exports and tests.
    bundle.set_use_isolating(false);
    bundle.add_resource(resource).map_err(|errors| format!("{} catalogue: {errors:?}", locale.code()))?;
    Ok(bundle)
}

impl Catalog {
    /// Parses both catalogues; fails on a syntax error or a duplicate key.
    pub fn load() -> Result<Self, String> {
        Ok(Self { ru: bundle(Locale::Ru, RU)?, kk: bundle(Locale::Kk, KK)? })
    }

    fn bundle(&self, locale: Locale) -> &FluentBundle<FluentResource> {
        match locale {
            Locale::Ru => &self.ru,
            Locale::Kk => &self.kk,
        }
    }

    /// The message `key` in `locale`; the key itself if it is missing (and a warning).
    pub fn text(&self, locale: Locale, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = self.bundle(locale);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, locale = locale.code(), "missing message");
            return key.to_owned();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors).into_owned();
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "message formatting");
        }
        text
    }

    /// Whether `key` exists in `locale`.
    pub fn has(&self, locale: Locale, key: &str) -> bool {
        self.bundle(locale).has_message(key)
    }
}

/// The catalogue in one language, handed to templates as `t`.
#[derive(Clone, Debug)]
pub struct I18n {
    catalog: Arc<Catalog>,
    /// The language of this request.
    pub locale: Locale,
}

impl I18n {
    /// The catalogue in `locale`.
    pub fn new(catalog: Arc<Catalog>, locale: Locale) -> Self {
        Self { catalog, locale }
    }

    /// A message with no arguments.
    pub fn t(&self, key: &str) -> String {
        self.catalog.text(self.locale, key, None)
    }

    /// A message with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value.to_string()));
        self.catalog.text(self.locale, key, Some(&args))
    }

    /// A message with several arguments; one that is a whole number is passed as a number, so
    /// plural rules apply to it.
    pub fn args(&self, key: &str, values: &[(&str, String)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            // A number as written (plural rules apply to it); `+77172…` or `007` stay as typed.
            match value.parse::<i64>() {
                Ok(n) if n.to_string() == *value => args.set(*name, FluentValue::from(n)),
                _ => args.set(*name, FluentValue::from(value.clone())),
            }
        }
        self.catalog.text(self.locale, key, Some(&args))
    }

    /// A message with a numeric argument (so plural rules apply).
    pub fn count(&self, key: &str, n: impl std::borrow::Borrow<i64>) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(*n.borrow()));
        self.catalog.text(self.locale, key, Some(&args))
    }

    /// The label of a form field; `needs.2.cost` reads "need 3: cost".
    pub fn field(&self, field: &str) -> String {
        let mut parts = field.split('.');
        let (list, index, name) = (parts.next(), parts.next(), parts.next());
        if let (Some(list @ ("needs" | "items" | "places" | "participants")), Some(index), Some(name)) =
            (list, index, name)
        {
            let n = index.parse::<i64>().map_or(0, |i| i + 1);
            let kind = list.trim_end_matches('s');
            let mut args = FluentArgs::new();
            args.set("n", FluentValue::from(n));
            args.set("field", FluentValue::from(self.t(&format!("field-{kind}-{}", name.replace('_', "-")))));
            return self.catalog.text(self.locale, &format!("field-{kind}-row"), Some(&args));
        }
        // The children file's need and size columns are named as the template heads them.
        if field.starts_with("need_") || field.starts_with("size_") {
            return self.t(&format!("import-col-{}", field.replace('_', "-")));
        }
        self.t(&format!("field-{}", field.replace('_', "-")))
    }

    /// The message for a field error: names the field (and the row, for imports).
    pub fn field_error(&self, e: &FieldError) -> String {
        let mut args = FluentArgs::new();
        args.set("field", FluentValue::from(self.field(e.label.as_deref().unwrap_or(&e.field))));
        if let Some(limit) = e.limit {
            args.set("limit", FluentValue::from(limit));
            // The same limit as an amount of whole tenge, written as people write it: `37 389 ₸`.
            args.set("amount", FluentValue::from(Tenge::from_tenge(limit).to_string()));
        }
        let key = e.code.message_key();
        let message = self.catalog.text(self.locale, &key, Some(&args));
        match e.row {
            Some(row) => {
                let mut args = FluentArgs::new();
                args.set("row", FluentValue::from(row as i64));
                args.set("message", FluentValue::from(message));
                self.catalog.text(self.locale, "err-at-row", Some(&args))
            }
            None => message,
        }
    }

    /// The label of a coded value: `label("status", "not_attending")` reads `status-not-attending`.
    pub fn label(&self, prefix: &str, code: &str) -> String {
        self.t(&format!("{prefix}-{}", code.replace('_', "-")))
    }

    /// `01.08.2023`.
    pub fn date(&self, d: &chrono::NaiveDate) -> String {
        domain::format::date(*d)
    }

    /// An amount stored in tiyn: `1 196 448 ₸`.
    pub fn tiyn(&self, amount: &i64) -> String {
        Tenge(*amount).to_string()
    }

    /// A role's name.
    pub fn role(&self, role: Role) -> String {
        self.t(&format!("role-{}", role.as_str().replace('_', "-")))
    }

    /// A role's name from its stored code.
    pub fn role_code(&self, code: &str) -> String {
        Role::parse(code).map_or_else(|| code.to_owned(), |r| self.role(r))
    }

    /// The name of a kind of org unit.
    pub fn kind(&self, kind: &str) -> String {
        OrgKind::parse(kind).map_or_else(|| kind.to_owned(), |k| self.t(&format!("kind-{}", k.as_str())))
    }

    /// `1 196 448 ₸`.
    pub fn money(&self, amount: Tenge) -> String {
        amount.to_string()
    }

    /// `01.08.2023 14:05`, Kazakhstan time (UTC+5).
    pub fn date_time(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        domain::format::date_time(*t, 5)
    }

    /// A unit's name in this language.
    pub fn name<'a>(&self, ru: &'a str, kk: &'a str) -> &'a str {
        self.locale.pick(ru, kk)
    }
}
