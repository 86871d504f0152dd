//! The Configuration Options tab: every `spec.controller.config` entry checked against the
//! ingress-nginx catalogue, and compared with the ConfigMap the operator actually rendered
//! (named like the gateway). A key that differs between the two is *drift*: someone edited the
//! ConfigMap by hand (Helm only re-renders it when the Gateway changes), or the operator has not
//! caught up yet.

use std::collections::BTreeSet;

use crate::config_options::{lookup, ConfigOption, OptionType};
use crate::gateway::StringMap;
use crate::validation::value_matches;

/// Something worth pointing out about one configured value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionFlag {
    /// The value is the controller's default: the entry changes nothing.
    IsDefault,
    /// ingress-nginx has no option with this key (typo, or a newer controller).
    UnknownKey,
    /// The option was removed in this controller release.
    Removed(&'static str),
    /// The value does not have the option's type (`bool`, `size`, …).
    WrongType(OptionType),
}

/// How the rendered ConfigMap compares with the spec for one key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drift {
    /// Same value in both.
    InSync,
    /// In the spec, not in the ConfigMap.
    Missing,
    /// In the ConfigMap, not in the spec.
    Extra,
    /// In both, with different values.
    Different,
    /// The ConfigMap is not known (not rendered yet, not readable, or still loading).
    Unknown,
}

impl Drift {
    /// True when the ConfigMap disagrees with the spec for this key.
    pub fn is_drift(&self) -> bool {
        matches!(self, Drift::Missing | Drift::Extra | Drift::Different)
    }
}

/// One row of the tab: a key of the spec, of the rendered ConfigMap, or of both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigRow {
    pub key: String,
    /// The value in `spec.controller.config`.
    pub spec_value: Option<String>,
    /// The value in the rendered ConfigMap.
    pub rendered_value: Option<String>,
    /// The catalogue entry, when the key is known.
    pub option: Option<&'static ConfigOption>,
    /// Findings about the spec value (none for keys only in the ConfigMap).
    pub flags: Vec<OptionFlag>,
    pub drift: Drift,
}

/// The flags of `value` for `key`.
pub fn flags_of(key: &str, value: &str) -> Vec<OptionFlag> {
    let Some(option) = lookup(key) else {
        return vec![OptionFlag::UnknownKey];
    };
    let mut flags = Vec::new();
    if let Some(release) = option.removed_in {
        flags.push(OptionFlag::Removed(release));
    }
    if !value_matches(&option.value_type, value) {
        flags.push(OptionFlag::WrongType(option.value_type.clone()));
    } else if !option.default.is_empty() && value.trim() == option.default {
        flags.push(OptionFlag::IsDefault);
    }
    flags
}

/// Every key of `spec` and of `rendered` (`None`: the ConfigMap is not known), sorted by key.
pub fn review(spec: &StringMap, rendered: Option<&StringMap>) -> Vec<ConfigRow> {
    let keys: BTreeSet<&String> = spec
        .keys()
        .chain(rendered.into_iter().flat_map(|r| r.keys()))
        .collect();
    keys.into_iter()
        .map(|key| {
            let spec_value = spec.get(key).cloned();
            let rendered_value = rendered.and_then(|r| r.get(key)).cloned();
            let drift = match (rendered, &spec_value, &rendered_value) {
                (None, _, _) => Drift::Unknown,
                (Some(_), Some(s), Some(r)) if s == r => Drift::InSync,
                (Some(_), Some(_), Some(_)) => Drift::Different,
                (Some(_), Some(_), None) => Drift::Missing,
                (Some(_), None, _) => Drift::Extra,
            };
            ConfigRow {
                flags: spec_value
                    .as_deref()
                    .map(|v| flags_of(key, v))
                    .unwrap_or_default(),
                option: lookup(key),
                key: key.clone(),
                spec_value,
                rendered_value,
                drift,
            }
        })
        .collect()
}

/// How many rows drift.
pub fn drift_count(rows: &[ConfigRow]) -> usize {
    rows.iter().filter(|r| r.drift.is_drift()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> StringMap {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn flags_follow_the_catalogue() {
        assert_eq!(
            flags_of("proxy-body-size", "1m"),
            vec![OptionFlag::IsDefault]
        );
        assert_eq!(flags_of("proxy-body-size", "8m"), vec![]);
        assert_eq!(
            flags_of("proxy-body-size", "lots"),
            vec![OptionFlag::WrongType(OptionType::Size)]
        );
        assert_eq!(
            flags_of("use-gzip", "maybe"),
            vec![OptionFlag::WrongType(OptionType::Bool)]
        );
        assert_eq!(
            flags_of("no-such-option", "1"),
            vec![OptionFlag::UnknownKey]
        );
        assert_eq!(
            flags_of("jaeger-sampler-type", "remote"),
            vec![OptionFlag::Removed("1.10.0")]
        );
    }

    #[test]
    fn drift_compares_spec_and_rendered_configmap() {
        let spec = map(&[("a-same", "1"), ("b-changed", "x"), ("c-missing", "y")]);
        let rendered = map(&[("a-same", "1"), ("b-changed", "z"), ("d-extra", "w")]);
        let rows = review(&spec, Some(&rendered));
        let got: Vec<_> = rows
            .iter()
            .map(|r| (r.key.as_str(), r.drift.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a-same", Drift::InSync),
                ("b-changed", Drift::Different),
                ("c-missing", Drift::Missing),
                ("d-extra", Drift::Extra),
            ]
        );
        assert_eq!(drift_count(&rows), 3);
        assert_eq!(rows[1].rendered_value.as_deref(), Some("z"));
        assert_eq!(rows[3].spec_value, None);
        assert!(
            rows[3].flags.is_empty(),
            "keys only in the ConfigMap are not judged"
        );
        assert_eq!(rows[0].flags, vec![OptionFlag::UnknownKey]);

        // ConfigMap unknown: no drift claimed
        let rows = review(&spec, None);
        assert!(rows.iter().all(|r| r.drift == Drift::Unknown));
        assert_eq!(drift_count(&rows), 0);

        // both empty
        assert!(review(&StringMap::new(), Some(&StringMap::new())).is_empty());
    }
}
