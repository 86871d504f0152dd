//! Translations (English and Chinese). Every UI string comes from `locales/<code>.json`;
//! `t("KEY")` inside a reactive closure follows the locale switch.
//!
//! Placeholders are written `{name}` and filled by [`tr`]. A native test checks that both
//! catalogues have the same keys and that every key used in `src/` exists.

use std::collections::HashMap;
use std::sync::OnceLock;

use leptos::prelude::*;

/// A UI language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Locale {
    En,
    Zh,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Zh];

    /// BCP 47 code, also used as the `<html lang>` value and the persisted setting.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Zh => "zh",
        }
    }

    /// Parses a persisted code or a browser language tag (`zh-CN` → Chinese).
    pub fn from_code(code: &str) -> Option<Locale> {
        let lower = code.trim().to_ascii_lowercase();
        if lower == "en" || lower.starts_with("en-") {
            Some(Locale::En)
        } else if lower == "zh" || lower.starts_with("zh-") {
            Some(Locale::Zh)
        } else {
            None
        }
    }

    fn source(self) -> &'static str {
        match self {
            Locale::En => include_str!("../locales/en.json"),
            Locale::Zh => include_str!("../locales/zh.json"),
        }
    }
}

fn catalog(locale: Locale) -> &'static HashMap<String, String> {
    static EN: OnceLock<HashMap<String, String>> = OnceLock::new();
    static ZH: OnceLock<HashMap<String, String>> = OnceLock::new();
    let cell = match locale {
        Locale::En => &EN,
        Locale::Zh => &ZH,
    };
    cell.get_or_init(|| {
        serde_json::from_str(locale.source()).expect("locale catalogue is valid JSON")
    })
}

/// Fills `{name}` placeholders. Unknown placeholders stay as written; values are inserted
/// verbatim (they are rendered as text nodes, never as HTML).
pub fn interpolate(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Translation of `key` in `locale` with placeholders filled. A missing key falls back to
/// English, then to the key itself (never panics at runtime).
pub fn translate(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    let template = catalog(locale)
        .get(key)
        .or_else(|| catalog(Locale::En).get(key))
        .map(String::as_str)
        .unwrap_or(key);
    interpolate(template, args)
}

/// The app's language, provided as context at the root.
#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

impl I18n {
    /// The current language, read without tracking and without ever panicking (for code that
    /// runs after an `.await`, when the view that started it may be gone).
    pub fn now(&self) -> Locale {
        self.locale.try_get_untracked().unwrap_or(Locale::En)
    }
}

const STORAGE_KEY: &str = "gateway-console.locale";

/// Creates the language context: persisted choice, else the browser's language, else English.
/// Keeps `<html lang>` and localStorage in step with the signal.
pub fn provide_i18n() -> I18n {
    let initial = crate::storage::get(STORAGE_KEY)
        .and_then(|c| Locale::from_code(&c))
        .or_else(|| {
            web_sys::window()
                .and_then(|w| w.navigator().language())
                .and_then(|l| Locale::from_code(&l))
        })
        .unwrap_or(Locale::En);
    let i18n = I18n {
        locale: RwSignal::new(initial),
    };
    Effect::new(move |_| {
        let code = i18n.locale.get().code();
        crate::storage::set(STORAGE_KEY, code);
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", code);
        }
    });
    provide_context(i18n);
    i18n
}

/// The language context.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Translation of `key` in the current language (reactive when called inside a closure).
pub fn t(key: &str) -> String {
    translate(use_i18n().locale.get(), key, &[])
}

/// Translation of `key` with placeholders, in the current language.
pub fn tr(key: &str, args: &[(&str, &str)]) -> String {
    translate(use_i18n().locale.get(), key, args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn catalogues_have_the_same_keys() {
        let en: BTreeSet<_> = catalog(Locale::En).keys().collect();
        let zh: BTreeSet<_> = catalog(Locale::Zh).keys().collect();
        let only_en: Vec<_> = en.difference(&zh).collect();
        let only_zh: Vec<_> = zh.difference(&en).collect();
        assert!(
            only_en.is_empty() && only_zh.is_empty(),
            "en only: {only_en:?}, zh only: {only_zh:?}"
        );
    }

    #[test]
    fn placeholders_match_between_languages() {
        for (key, en) in catalog(Locale::En) {
            let zh = &catalog(Locale::Zh)[key];
            assert_eq!(placeholders(en), placeholders(zh), "placeholders of {key}");
        }
    }

    fn placeholders(s: &str) -> BTreeSet<String> {
        s.split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
            .collect()
    }

    /// Upper-case string literals of the source that are not translation keys (wire values).
    const NOT_KEYS: [&str; 6] = [
        "TCP",
        "VIP",
        "ERROR",
        "BOOKMARK",
        "ADDED",
        "CARGO_MANIFEST_DIR",
    ];

    /// Every upper-case string literal in src/ (`"GATEWAY_SETTINGS"`) is a key of the catalogue,
    /// wherever it is written: in `t(…)`, in a `match` that picks a key (`health_label`,
    /// `ApiError::message`, `option_type_key`), or in a prop (`title_key="…"`). Keys are never
    /// built with `format!`, so this finds every key the code can produce.
    #[test]
    fn every_key_used_in_the_source_exists() {
        let mut missing = Vec::new();
        let mut used = BTreeSet::new();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        for file in rust_files(std::path::Path::new(root)) {
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(
                !text.contains("t(&format!("),
                "{}: a key built with format! cannot be checked",
                file.display()
            );
            for key in key_literals(&text) {
                if NOT_KEYS.contains(&key.as_str()) {
                    continue;
                }
                if !catalog(Locale::En).contains_key(&key) {
                    missing.push(format!("{}: {key}", file.display()));
                }
                used.insert(key);
            }
        }
        // the scan must see the keys reached through variables, too
        for key in [
            "HEALTH_DISABLING",
            "ERR_NOT_FOUND",
            "OPTION_TYPE_DURATION",
            "CLUSTER_GATEWAY",
        ] {
            assert!(
                used.contains(key),
                "the scan missed {key}; is the pattern broken?"
            );
        }
        assert!(
            missing.is_empty(),
            "keys missing from locales/en.json: {missing:#?}"
        );
    }

    #[test]
    fn the_scan_sees_literals_only() {
        assert_eq!(
            key_literals(r#"t("A_B"); ("HEALTH_OK", "ok"); x = "lower"; "MixED"; "{""#),
            vec!["A_B", "HEALTH_OK"]
        );
    }

    fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("i18n.rs") {
                out.push(path);
            }
        }
        out
    }

    /// String literals of two or more characters made of `A-Z`, `0-9` and `_`, starting with a
    /// letter.
    fn key_literals(text: &str) -> Vec<String> {
        let mut keys = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find('"') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('"') else { break };
            let literal = &after[..end];
            let is_key = literal.len() >= 2
                && literal.starts_with(|c: char| c.is_ascii_uppercase())
                && literal
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            if is_key {
                keys.push(literal.to_string());
                rest = &after[end + 1..];
            } else {
                // the closing quote may open the next literal
                rest = after;
            }
        }
        keys
    }

    #[test]
    fn interpolation() {
        assert_eq!(
            interpolate("a {x} b {y}", &[("x", "1"), ("y", "<b>")]),
            "a 1 b <b>"
        );
        assert_eq!(interpolate("keep {unknown}", &[]), "keep {unknown}");
        assert_eq!(interpolate("open { brace", &[]), "open { brace");
        assert_eq!(translate(Locale::Zh, "GATEWAY_SETTINGS", &[]), "网关设置");
        assert_eq!(translate(Locale::En, "NO_SUCH_KEY", &[]), "NO_SUCH_KEY");
    }

    #[test]
    fn locale_codes() {
        assert_eq!(Locale::from_code("zh-CN"), Some(Locale::Zh));
        assert_eq!(Locale::from_code("en-US"), Some(Locale::En));
        assert_eq!(Locale::from_code("fr"), None);
    }
}
