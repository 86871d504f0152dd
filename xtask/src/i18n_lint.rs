//! Checks of the translation catalogues (`locales/*.json`) against each other and against the
//! app's source: run natively by `cargo test --workspace` (the app itself is tested on wasm,
//! where there is no file system to scan).
#![cfg(test)]

use std::collections::{BTreeMap, BTreeSet};

use crate::util::root;

fn catalog(code: &str) -> BTreeMap<String, String> {
    let path = root().join(format!("locales/{code}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn catalogues_have_the_same_keys() {
    let (en, zh) = (catalog("en"), catalog("zh"));
    let en: BTreeSet<_> = en.keys().collect();
    let zh: BTreeSet<_> = zh.keys().collect();
    let only_en: Vec<_> = en.difference(&zh).collect();
    let only_zh: Vec<_> = zh.difference(&en).collect();
    assert!(
        only_en.is_empty() && only_zh.is_empty(),
        "en only: {only_en:?}, zh only: {only_zh:?}"
    );
}

#[test]
fn placeholders_match_between_languages() {
    let zh_catalog = catalog("zh");
    for (key, en) in catalog("en") {
        let Some(zh) = zh_catalog.get(&key) else {
            continue; // reported by catalogues_have_the_same_keys
        };
        assert_eq!(placeholders(&en), placeholders(zh), "placeholders of {key}");
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
    let en = catalog("en");
    for file in rust_files(&root().join("src")) {
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
            if !en.contains_key(&key) {
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
