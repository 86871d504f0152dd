//! Catalogue of ingress-nginx ConfigMap options (UI "Configuration Options"), parsed once from
//! `data/ingress-nginx-configmap.tsv` (columns: key, type, default, since, removed_in, summary).

use std::sync::OnceLock;

const TSV: &str = include_str!("../data/ingress-nginx-configmap.tsv");

/// Value type of an option, from the `type` column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionType {
    /// `true`/`false` (Go `strconv.ParseBool` forms are accepted by the controller).
    Bool,
    /// Integer.
    Int,
    /// Decimal number (sampling ratios).
    Float,
    /// nginx size: digits with an optional `k`/`m`/`g` suffix (`8k`, `1m`).
    Size,
    /// nginx time: `60s`, `1m`, `500ms`, `1h30m`.
    Duration,
    /// Free text.
    String,
    /// Comma-separated list.
    List,
    /// `name: value` pairs separated by commas.
    Map,
    /// One of a fixed set of values.
    Enum(Vec<&'static str>),
}

impl OptionType {
    /// Parses the `type` column; unknown types are treated as free text.
    pub fn parse(column: &'static str) -> Self {
        match column {
            "bool" => OptionType::Bool,
            "int" => OptionType::Int,
            "float" => OptionType::Float,
            "size" => OptionType::Size,
            "duration" => OptionType::Duration,
            "list" => OptionType::List,
            "map" => OptionType::Map,
            other => match other.strip_prefix("enum:") {
                Some(values) => {
                    OptionType::Enum(values.split('|').filter(|v| !v.is_empty()).collect())
                }
                None => OptionType::String,
            },
        }
    }

    /// Short name for the UI (`bool`, `int`, `size`, …, `enum`).
    pub fn name(&self) -> &'static str {
        match self {
            OptionType::Bool => "bool",
            OptionType::Int => "int",
            OptionType::Float => "float",
            OptionType::Size => "size",
            OptionType::Duration => "duration",
            OptionType::String => "string",
            OptionType::List => "list",
            OptionType::Map => "map",
            OptionType::Enum(_) => "enum",
        }
    }
}

/// One ingress-nginx ConfigMap option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigOption {
    /// ConfigMap key, e.g. `proxy-body-size`.
    pub key: &'static str,
    /// Value type.
    pub value_type: OptionType,
    /// Default value of current ingress-nginx (may be empty).
    pub default: &'static str,
    /// First controller release with the key (`None` = predates 0.9.0-beta.1).
    pub since: Option<&'static str>,
    /// First controller release without the key, if removed.
    pub removed_in: Option<&'static str>,
    /// One-line English description.
    pub summary: &'static str,
}

impl ConfigOption {
    /// True when the key was removed from ingress-nginx at some release.
    pub fn is_removed(&self) -> bool {
        self.removed_in.is_some()
    }
}

fn non_empty(s: &'static str) -> Option<&'static str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

fn parse_catalogue() -> Vec<ConfigOption> {
    let mut options: Vec<ConfigOption> = TSV
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let key = cols.next()?.trim();
            let value_type = OptionType::parse(cols.next()?.trim());
            Some(ConfigOption {
                key,
                value_type,
                default: cols.next().unwrap_or("").trim(),
                since: non_empty(cols.next().unwrap_or("")),
                removed_in: non_empty(cols.next().unwrap_or("")),
                summary: cols.next().unwrap_or("").trim(),
            })
        })
        .filter(|o| !o.key.is_empty())
        .collect();
    options.sort_by(|a, b| a.key.cmp(b.key));
    options.dedup_by(|a, b| a.key == b.key);
    options
}

/// Every known option, sorted by key.
pub fn catalogue() -> &'static [ConfigOption] {
    static CATALOGUE: OnceLock<Vec<ConfigOption>> = OnceLock::new();
    CATALOGUE.get_or_init(parse_catalogue)
}

/// The option with exactly this key.
pub fn lookup(key: &str) -> Option<&'static ConfigOption> {
    let all = catalogue();
    all.binary_search_by(|o| o.key.cmp(key))
        .ok()
        .map(|i| &all[i])
}

/// Options whose key starts with `prefix` (ASCII case-insensitive), sorted by key; removed
/// options come after current ones. An empty prefix lists everything.
pub fn search_prefix(prefix: &str) -> Vec<&'static ConfigOption> {
    let prefix = prefix.trim().to_ascii_lowercase();
    let mut hits: Vec<_> = catalogue()
        .iter()
        .filter(|o| o.key.starts_with(prefix.as_str()))
        .collect();
    hits.sort_by_key(|o| (o.is_removed(), o.key));
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_loads() {
        let all = catalogue();
        assert_eq!(all.len(), 230);
        assert!(all.windows(2).all(|w| w[0].key < w[1].key));
        let o = lookup("proxy-body-size").unwrap();
        assert_eq!(o.value_type, OptionType::Size);
        assert_eq!(o.default, "1m");
        assert_eq!(lookup("use-gzip").unwrap().value_type, OptionType::Bool);
        assert_eq!(
            lookup("worker-processes").unwrap().value_type,
            OptionType::String
        );
        assert_eq!(
            lookup("proxy-read-timeout").unwrap().value_type,
            OptionType::Int
        );
        assert_eq!(
            lookup("worker-shutdown-timeout").unwrap().value_type,
            OptionType::Duration
        );
        assert_eq!(
            lookup("otel-sampler-ratio").unwrap().value_type,
            OptionType::Float
        );
        assert_eq!(
            lookup("load-balance").unwrap().value_type,
            OptionType::Enum(vec!["round_robin", "ewma"])
        );
        assert!(lookup("log-format-upstream")
            .unwrap()
            .default
            .contains("$req_id"));
        let jaeger = lookup("jaeger-sampler-type").unwrap();
        assert_eq!(jaeger.removed_in, Some("1.10.0"));
        assert!(jaeger.is_removed());
        assert!(lookup("no-such-key").is_none());
        assert!(lookup("").is_none());
    }

    #[test]
    fn every_type_column_is_understood() {
        for line in TSV.lines().skip(1).filter(|l| !l.is_empty()) {
            let t = line.split('\t').nth(1).unwrap();
            let parsed = OptionType::parse(t);
            if parsed == OptionType::String {
                assert_eq!(t, "string", "unmapped type {t}");
            }
        }
    }

    #[test]
    fn prefix_search() {
        let hits = search_prefix("proxy-b");
        let keys: Vec<_> = hits.iter().map(|o| o.key).collect();
        assert!(keys.contains(&"proxy-body-size") && keys.contains(&"proxy-buffering"));
        assert!(keys.iter().all(|k| k.starts_with("proxy-b")));
        assert_eq!(search_prefix("USE-GZ")[0].key, "use-gzip");
        assert_eq!(search_prefix("").len(), 230);
        // removed keys sort last
        let j = search_prefix("j");
        assert!(j.iter().all(|o| o.is_removed()));
    }
}
