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

/// A refused input as one sentence: each field's message, joined.
pub fn invalid(e: &Invalid) -> anyhow::Error {
    match i18n::Catalog::load() {
        Ok(catalog) => {
            let t = i18n::I18n::new(Arc::new(catalog), locale());
            anyhow::anyhow!(e.0.iter().map(|f| t.field_error(f)).collect::<Vec<_>>().join(" "))
        }
        Err(_) => anyhow::anyhow!(
            e.0.iter().map(|f| format!("{}: {}", f.field, f.code.as_str())).collect::<Vec<_>>().join("; ")
        ),
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
