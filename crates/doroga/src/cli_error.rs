//! Errors on the command line as the operator reads them: one line, in the operator's language
//! (`DOROGA_LANG`, else `LANG`: `kk…` is Kazakh, anything else Russian), and the Rust trace only
//! when `RUST_BACKTRACE` asks for it.

use std::sync::Arc;

use domain::{Invalid, Locale};

/// The operator's language.
pub fn locale() -> Locale {
    let lang = std::env::var("DOROGA_LANG").or_else(|_| std::env::var("LANG")).unwrap_or_default();
    if lang.to_ascii_lowercase().starts_with("kk") { Locale::Kk } else { Locale::Ru }
}

fn catalog() -> Option<i18n::I18n> {
    i18n::Catalog::load().ok().map(|c| i18n::I18n::new(Arc::new(c), locale()))
}

/// A refused input as one sentence: each field's message, joined.
pub fn invalid(e: &Invalid) -> anyhow::Error {
    match catalog() {
        Some(t) => anyhow::anyhow!(e.0.iter().map(|f| t.field_error(f)).collect::<Vec<_>>().join(" ")),
        None => {
            let codes: Vec<String> = e.0.iter().map(|f| format!("{}: {}", f.field, f.code.as_str())).collect();
            anyhow::anyhow!(codes.join("; "))
        }
    }
}

/// A database refusal as the operator reads it (a refused field in their language).
pub fn db(e: db::Error) -> anyhow::Error {
    match e {
        db::Error::Invalid(refused) => invalid(&refused),
        other => anyhow::anyhow!("{other}"),
    }
}

/// A message of the catalogue with one argument, in the operator's language.
pub fn text(key: &str, name: &str, value: &str) -> anyhow::Error {
    match catalog() {
        Some(t) => anyhow::anyhow!(t.t1(key, name, value)),
        None => anyhow::anyhow!("{key}: {value}"),
    }
}

/// Prints the error the way the operator should see it.
pub fn report(e: &anyhow::Error) {
    let traced = std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0");
    if traced {
        eprintln!("doroga: {e:?}");
    } else {
        eprintln!("doroga: {e:#}");
    }
}
