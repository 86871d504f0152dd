//! Field-level validation of the gateway dialog with stable error codes the UI translates, and
//! mapping of a server `422 Invalid` [`Status`] back onto form fields.

use kube_core::Status;

use crate::config_options::{self, OptionType};
use crate::form::KeyValueRow;

/// Kubernetes limit on the total size of an object's annotations (keys + values), in bytes.
pub const MAX_ANNOTATIONS_BYTES: usize = 256 * 1024;
/// Maximum length of a DNS-1123 subdomain (annotation key prefix).
pub const MAX_PREFIX_LEN: usize = 253;
/// Maximum length of the name part of a qualified name.
pub const MAX_NAME_LEN: usize = 63;
/// Maximum length of a ConfigMap key.
pub const MAX_CONFIG_KEY_LEN: usize = 253;
/// Above this many replicas the form warns (still allowed).
pub const SENSIBLE_MAX_REPLICAS: i32 = 100;

/// Which form field a message belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FormField {
    /// Access mode radio buttons.
    AccessMode,
    /// Tracing toggle.
    Tracing,
    /// Load balancer provider select.
    Provider,
    /// Replica count.
    Replicas,
    /// The annotation editor as a whole.
    Annotations,
    /// One annotation row (index into the form's rows).
    Annotation(usize),
    /// The configuration options editor as a whole.
    ConfigOptions,
    /// One configuration option row (index into the form's rows).
    ConfigOption(usize),
    /// Not attributable to a field (shown at the top of the form); holds the server's field path.
    Form(String),
}

/// Blocks submission (`Error`) or only informs (`Warning`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Informational; submission allowed.
    Warning,
    /// Submission blocked.
    Error,
}

/// What is wrong with a qualified name (annotation key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QualifiedNameProblem {
    /// The name part (after the optional `prefix/`) is empty.
    EmptyName,
    /// More than one `/`.
    TooManySlashes,
    /// The prefix is empty (`/name`).
    EmptyPrefix,
    /// The prefix is longer than 253 characters.
    PrefixTooLong {
        /// Actual length in bytes.
        len: usize,
    },
    /// The prefix is not a lowercase DNS-1123 subdomain.
    InvalidPrefix,
    /// The name part is longer than 63 characters.
    NameTooLong {
        /// Actual length in bytes.
        len: usize,
    },
    /// The name part has characters other than `[-A-Za-z0-9_.]` or does not start and end alphanumeric.
    InvalidName,
}

/// Stable validation codes; each carries what a translated message needs.
#[derive(Clone, Debug, PartialEq)]
pub enum ErrorCode {
    /// Row with a value but no key ("Please enter a key.").
    EmptyKey,
    /// Key used by an earlier row ("The key already exists. Please enter another key.").
    DuplicateKey {
        /// The repeated key.
        key: String,
        /// Index of the first row with this key.
        first_row: usize,
    },
    /// Annotation key is not a Kubernetes qualified name.
    InvalidAnnotationKey {
        /// The key.
        key: String,
        /// What is wrong.
        problem: QualifiedNameProblem,
    },
    /// Annotations exceed 256 KiB (keys + values).
    AnnotationsTooLarge {
        /// Total size in bytes.
        size: usize,
        /// The limit (262144).
        limit: usize,
    },
    /// ConfigMap key with characters outside `[-._a-zA-Z0-9]` or longer than 253.
    InvalidConfigKey {
        /// The key.
        key: String,
    },
    /// Value does not parse as the option's type (the controller would ignore it).
    InvalidConfigValue {
        /// Option key.
        key: String,
        /// Offending value.
        value: String,
        /// Expected type.
        expected: OptionType,
    },
    /// Key not in the ingress-nginx catalogue (warning).
    UnknownConfigKey {
        /// The key.
        key: String,
    },
    /// Key removed from ingress-nginx (warning).
    RemovedConfigKey {
        /// The key.
        key: String,
        /// First release without it.
        removed_in: String,
    },
    /// Replicas outside `0..=i32::MAX` (or not a number).
    ReplicasOutOfRange {
        /// The value as entered.
        value: i64,
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
    /// Zero replicas stop all traffic through the gateway (warning).
    ZeroReplicas,
    /// Unusually many replicas (warning).
    ManyReplicas {
        /// The value.
        value: i32,
        /// The threshold ([`SENSIBLE_MAX_REPLICAS`]).
        threshold: i32,
    },
    /// Error reported by the API server for this field.
    Server {
        /// Server field path (e.g. `spec.deployment.replicas`), may be empty.
        path: String,
        /// Cause reason (e.g. `FieldValueInvalid`).
        reason: String,
        /// Server message, to be shown as text.
        message: String,
    },
}

/// One validation message.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    /// Where to show it.
    pub field: FormField,
    /// What it says.
    pub code: ErrorCode,
    /// Whether it blocks submission.
    pub severity: Severity,
}

impl FieldError {
    /// A blocking error.
    pub fn error(field: FormField, code: ErrorCode) -> Self {
        FieldError {
            field,
            code,
            severity: Severity::Error,
        }
    }

    /// A non-blocking warning.
    pub fn warning(field: FormField, code: ErrorCode) -> Self {
        FieldError {
            field,
            code,
            severity: Severity::Warning,
        }
    }

    /// True for blocking errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// DNS-1123 subdomain: ≤ 253 chars, dot-separated labels of `[a-z0-9]([-a-z0-9]*[a-z0-9])?`.
pub fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_PREFIX_LEN
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.iter()
                    .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        })
}

/// Kubernetes qualified name (annotation/label key): optional `prefix/` (DNS-1123 subdomain,
/// ≤ 253) and a name ≤ 63 matching `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`.
pub fn validate_qualified_name(key: &str) -> Result<(), QualifiedNameProblem> {
    let (prefix, name) = match key.split_once('/') {
        None => (None, key),
        Some((_, rest)) if rest.contains('/') => return Err(QualifiedNameProblem::TooManySlashes),
        Some((p, n)) => (Some(p), n),
    };
    if let Some(p) = prefix {
        if p.is_empty() {
            return Err(QualifiedNameProblem::EmptyPrefix);
        }
        if p.len() > MAX_PREFIX_LEN {
            return Err(QualifiedNameProblem::PrefixTooLong { len: p.len() });
        }
        if !is_dns1123_subdomain(p) {
            return Err(QualifiedNameProblem::InvalidPrefix);
        }
    }
    if name.is_empty() {
        return Err(QualifiedNameProblem::EmptyName);
    }
    if name.len() > MAX_NAME_LEN {
        return Err(QualifiedNameProblem::NameTooLong { len: name.len() });
    }
    let b = name.as_bytes();
    let chars_ok = b
        .iter()
        .all(|&c| is_alnum(c) || matches!(c, b'-' | b'_' | b'.'));
    if !chars_ok || !is_alnum(b[0]) || !is_alnum(b[b.len() - 1]) {
        return Err(QualifiedNameProblem::InvalidName);
    }
    Ok(())
}

/// ConfigMap key: non-empty, ≤ 253, only `[-._a-zA-Z0-9]`.
pub fn is_config_map_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_CONFIG_KEY_LEN
        && key
            .bytes()
            .all(|c| is_alnum(c) || matches!(c, b'-' | b'_' | b'.'))
}

/// Size of annotations as apimachinery counts it: sum of key and value byte lengths.
pub fn annotations_size<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> usize {
    pairs.into_iter().map(|(k, v)| k.len() + v.len()).sum()
}

/// Go `strconv.ParseBool` forms, which ingress-nginx accepts.
pub fn is_bool(v: &str) -> bool {
    matches!(
        v,
        "1" | "t" | "T" | "TRUE" | "true" | "True" | "0" | "f" | "F" | "FALSE" | "false" | "False"
    )
}

/// Decimal integer with optional sign that fits in 64 bits.
pub fn is_int(v: &str) -> bool {
    v.parse::<i64>().is_ok()
}

/// Decimal number (`1`, `0.5`, `.5`, `1e-3`); no `inf`/`nan`.
pub fn is_float(v: &str) -> bool {
    v.bytes().any(|c| c.is_ascii_digit()) && v.parse::<f64>().is_ok_and(f64::is_finite)
}

/// nginx size: `^\d+[kKmMgG]?$`.
pub fn is_nginx_size(v: &str) -> bool {
    let digits = v.strip_suffix(['k', 'K', 'm', 'M', 'g', 'G']).unwrap_or(v);
    !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit())
}

/// nginx time: a bare number of seconds, or one or more `<digits><unit>` parts (units `ms`, `s`,
/// `m`, `h`, `d`, `w`, `M`, `y`; optional spaces between parts), e.g. `60s`, `500ms`, `1h30m`.
pub fn is_nginx_duration(v: &str) -> bool {
    if !v.is_empty() && v.bytes().all(|c| c.is_ascii_digit()) {
        return true;
    }
    let mut rest = v.trim_start();
    if rest.is_empty() || rest.len() != v.len() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ms", "s", "m", "h", "d", "w", "M", "y"]
            .iter()
            .find(|u| rest.starts_with(**u));
        let Some(unit) = unit else { return false };
        rest = &rest[unit.len()..];
        let trimmed = rest.trim_start_matches(' ');
        if !trimmed.is_empty()
            && trimmed.len() == rest.len()
            && !trimmed.starts_with(|c: char| c.is_ascii_digit())
        {
            return false;
        }
        if trimmed.is_empty() && trimmed.len() != rest.len() {
            return false; // trailing space
        }
        rest = trimmed;
    }
    true
}

/// True when `value` is acceptable for an option of type `t`.
pub fn value_matches(t: &OptionType, value: &str) -> bool {
    match t {
        OptionType::Bool => is_bool(value),
        OptionType::Int => is_int(value),
        OptionType::Float => is_float(value),
        OptionType::Size => is_nginx_size(value),
        OptionType::Duration => is_nginx_duration(value),
        OptionType::Enum(values) => values.contains(&value),
        OptionType::String | OptionType::List | OptionType::Map => true,
    }
}

/// True for a placeholder row (both key and value empty), which is ignored.
pub fn is_blank_row(row: &KeyValueRow) -> bool {
    row.key.is_empty() && row.value.is_empty()
}

/// Empty and duplicate keys of a key/value editor; `row_field` builds the per-row field.
pub fn validate_keys(rows: &[KeyValueRow], row_field: fn(usize) -> FormField) -> Vec<FieldError> {
    let mut out = Vec::new();
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        if is_blank_row(row) {
            continue;
        }
        if row.key.is_empty() {
            out.push(FieldError::error(row_field(i), ErrorCode::EmptyKey));
            continue;
        }
        match seen.get(row.key.as_str()) {
            Some(&first_row) => out.push(FieldError::error(
                row_field(i),
                ErrorCode::DuplicateKey {
                    key: row.key.clone(),
                    first_row,
                },
            )),
            None => {
                seen.insert(&row.key, i);
            }
        }
    }
    out
}

/// Validates service annotation rows: empty/duplicate keys, qualified-name syntax, total size.
pub fn validate_annotations(rows: &[KeyValueRow]) -> Vec<FieldError> {
    let mut out = validate_keys(rows, FormField::Annotation);
    for (i, row) in rows.iter().enumerate() {
        if row.key.is_empty() {
            continue;
        }
        if let Err(problem) = validate_qualified_name(&row.key) {
            out.push(FieldError::error(
                FormField::Annotation(i),
                ErrorCode::InvalidAnnotationKey {
                    key: row.key.clone(),
                    problem,
                },
            ));
        }
    }
    let size = annotations_size(rows.iter().map(|r| (r.key.as_str(), r.value.as_str())));
    if size > MAX_ANNOTATIONS_BYTES {
        out.push(FieldError::error(
            FormField::Annotations,
            ErrorCode::AnnotationsTooLarge {
                size,
                limit: MAX_ANNOTATIONS_BYTES,
            },
        ));
    }
    out
}

/// Validates configuration option rows: empty/duplicate keys, ConfigMap key syntax, value type
/// (errors), unknown or removed keys (warnings).
pub fn validate_config(rows: &[KeyValueRow]) -> Vec<FieldError> {
    let mut out = validate_keys(rows, FormField::ConfigOption);
    for (i, row) in rows.iter().enumerate() {
        if row.key.is_empty() {
            continue;
        }
        let field = FormField::ConfigOption(i);
        if !is_config_map_key(&row.key) {
            out.push(FieldError::error(
                field,
                ErrorCode::InvalidConfigKey {
                    key: row.key.clone(),
                },
            ));
            continue;
        }
        match config_options::lookup(&row.key) {
            None => out.push(FieldError::warning(
                field,
                ErrorCode::UnknownConfigKey {
                    key: row.key.clone(),
                },
            )),
            Some(option) => {
                if let Some(removed_in) = option.removed_in {
                    out.push(FieldError::warning(
                        field.clone(),
                        ErrorCode::RemovedConfigKey {
                            key: row.key.clone(),
                            removed_in: removed_in.to_string(),
                        },
                    ));
                }
                if !value_matches(&option.value_type, &row.value) {
                    out.push(FieldError::error(
                        field,
                        ErrorCode::InvalidConfigValue {
                            key: row.key.clone(),
                            value: row.value.clone(),
                            expected: option.value_type.clone(),
                        },
                    ));
                }
            }
        }
    }
    out
}

/// Validates a replica count: error outside `0..=i32::MAX`, warning for 0 and above
/// [`SENSIBLE_MAX_REPLICAS`].
pub fn validate_replicas(value: i64) -> Vec<FieldError> {
    let (min, max) = (0_i64, i64::from(i32::MAX));
    if !(min..=max).contains(&value) {
        return vec![FieldError::error(
            FormField::Replicas,
            ErrorCode::ReplicasOutOfRange { value, min, max },
        )];
    }
    let v = value as i32;
    if v == 0 {
        vec![FieldError::warning(
            FormField::Replicas,
            ErrorCode::ZeroReplicas,
        )]
    } else if v > SENSIBLE_MAX_REPLICAS {
        vec![FieldError::warning(
            FormField::Replicas,
            ErrorCode::ManyReplicas {
                value: v,
                threshold: SENSIBLE_MAX_REPLICAS,
            },
        )]
    } else {
        Vec::new()
    }
}

/// Splits a server field path like `spec.service.annotations[foo]`, `spec.service.annotations.foo`
/// or `spec.service.annotations` into the map path and the key.
fn split_map_key<'a>(path: &'a str, map: &str) -> Option<Option<&'a str>> {
    let rest = path.strip_prefix(map)?;
    if rest.is_empty() {
        return Some(None);
    }
    if let Some(k) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return Some(Some(k.trim_matches(|c| c == '"' || c == '\'')));
    }
    rest.strip_prefix('.').map(Some)
}

fn row_for(rows: &[KeyValueRow], key: Option<&str>) -> Option<usize> {
    key.and_then(|k| rows.iter().position(|r| r.key == k))
}

/// Maps a server field path to a form field (with the rows to resolve map keys to row indices).
pub fn field_for_path(
    path: &str,
    annotations: &[KeyValueRow],
    config: &[KeyValueRow],
) -> FormField {
    let path = path.trim();
    if path == "spec.deployment.replicas" {
        return FormField::Replicas;
    }
    if path == "spec.service.type" {
        return FormField::AccessMode;
    }
    if path.starts_with("spec.deployment.annotations") {
        return FormField::Tracing;
    }
    if path.starts_with("metadata.annotations") && path.contains("kubesphere.io/annotations") {
        return FormField::Provider;
    }
    if let Some(key) = split_map_key(path, "spec.service.annotations") {
        return row_for(annotations, key).map_or(FormField::Annotations, FormField::Annotation);
    }
    if let Some(key) = split_map_key(path, "spec.controller.config") {
        return row_for(config, key).map_or(FormField::ConfigOptions, FormField::ConfigOption);
    }
    FormField::Form(path.to_string())
}

/// Turns a server error (`422 Invalid` with `details.causes[]`) into field errors. A Status
/// without causes yields one form-level error carrying the Status message.
pub fn errors_from_status(
    status: &Status,
    annotations: &[KeyValueRow],
    config: &[KeyValueRow],
) -> Vec<FieldError> {
    let causes = status
        .details
        .as_ref()
        .map(|d| d.causes.as_slice())
        .unwrap_or_default();
    if causes.is_empty() {
        return vec![FieldError::error(
            FormField::Form(String::new()),
            ErrorCode::Server {
                path: String::new(),
                reason: status.reason.clone(),
                message: status.message.clone(),
            },
        )];
    }
    causes
        .iter()
        .map(|c| {
            FieldError::error(
                field_for_path(&c.field, annotations, config),
                ErrorCode::Server {
                    path: c.field.clone(),
                    reason: c.reason.clone(),
                    message: c.message.clone(),
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows(pairs: &[(&str, &str)]) -> Vec<KeyValueRow> {
        pairs.iter().map(|(k, v)| KeyValueRow::new(k, v)).collect()
    }

    #[test]
    fn qualified_names() {
        for ok in [
            "a",
            "A-b_c.d",
            "example.com/name",
            "service.beta.kubernetes.io/aws-load-balancer-type",
            "x9",
        ] {
            assert_eq!(validate_qualified_name(ok), Ok(()), "{ok}");
        }
        let long_name = "a".repeat(64);
        let long_prefix = format!("{}/a", "a".repeat(254));
        let cases = [
            ("", QualifiedNameProblem::EmptyName),
            ("example.com/", QualifiedNameProblem::EmptyName),
            ("/name", QualifiedNameProblem::EmptyPrefix),
            ("a/b/c", QualifiedNameProblem::TooManySlashes),
            ("Example.com/name", QualifiedNameProblem::InvalidPrefix),
            ("-x.com/name", QualifiedNameProblem::InvalidPrefix),
            ("a..b/name", QualifiedNameProblem::InvalidPrefix),
            (
                long_prefix.as_str(),
                QualifiedNameProblem::PrefixTooLong { len: 254 },
            ),
            (
                long_name.as_str(),
                QualifiedNameProblem::NameTooLong { len: 64 },
            ),
            ("-name", QualifiedNameProblem::InvalidName),
            ("name_", QualifiedNameProblem::InvalidName),
            ("na me", QualifiedNameProblem::InvalidName),
            ("naïve", QualifiedNameProblem::InvalidName),
        ];
        for (key, problem) in cases {
            assert_eq!(validate_qualified_name(key), Err(problem), "{key}");
        }
        assert_eq!(validate_qualified_name(&"a".repeat(63)), Ok(()));
        assert_eq!(
            validate_qualified_name(&format!("{}/a", "a".repeat(63))),
            Ok(())
        );
    }

    #[test]
    fn empty_and_duplicate_keys() {
        let r = rows(&[("a", "1"), ("", "x"), ("", ""), ("a", "2"), ("b", "")]);
        let errs = validate_annotations(&r);
        assert_eq!(errs.len(), 2);
        assert_eq!(
            errs[0],
            FieldError::error(FormField::Annotation(1), ErrorCode::EmptyKey)
        );
        assert_eq!(
            errs[1],
            FieldError::error(
                FormField::Annotation(3),
                ErrorCode::DuplicateKey {
                    key: "a".into(),
                    first_row: 0
                }
            )
        );
        assert!(validate_annotations(&rows(&[("a", ""), ("b", "")])).is_empty());
    }

    #[test]
    fn annotation_size_limit() {
        let big = "x".repeat(MAX_ANNOTATIONS_BYTES - 1);
        assert!(validate_annotations(&rows(&[("k", &big)])).is_empty()); // exactly 262144
        let errs = validate_annotations(&rows(&[("k", &big), ("l", "y")]));
        assert_eq!(
            errs,
            vec![FieldError::error(
                FormField::Annotations,
                ErrorCode::AnnotationsTooLarge {
                    size: MAX_ANNOTATIONS_BYTES + 2,
                    limit: MAX_ANNOTATIONS_BYTES
                }
            )]
        );
        let errs = validate_annotations(&rows(&[("bad key", "v")]));
        assert!(matches!(
            &errs[0].code,
            ErrorCode::InvalidAnnotationKey {
                problem: QualifiedNameProblem::InvalidName,
                ..
            }
        ));
    }

    #[test]
    fn value_syntax() {
        for v in ["true", "false", "True", "1", "0", "F"] {
            assert!(is_bool(v), "{v}");
        }
        for v in ["yes", "", "on", "truee"] {
            assert!(!is_bool(v), "{v}");
        }
        assert!(is_int("60") && is_int("-1") && is_int("+5"));
        assert!(!is_int("60s") && !is_int("") && !is_int("1.5") && !is_int("99999999999999999999"));
        assert!(is_float("0.5") && is_float("1") && is_float("1e-3"));
        assert!(!is_float("inf") && !is_float("NaN") && !is_float("") && !is_float("abc"));
        for v in ["8k", "1m", "1024", "2G", "0"] {
            assert!(is_nginx_size(v), "{v}");
        }
        for v in ["", "k", "1.5m", "8kb", "1 m", "-1", "1t"] {
            assert!(!is_nginx_size(v), "{v}");
        }
        for v in [
            "60s", "1m", "500ms", "1h30m", "1h 30m", "60", "1d", "2w", "1M", "1y",
        ] {
            assert!(is_nginx_duration(v), "{v}");
        }
        for v in [
            "", "s", "1.5s", "60 s", "1x", " 60s", "60s ", "1h,30m", "1hm", "ms",
        ] {
            assert!(!is_nginx_duration(v), "{v}");
        }
    }

    #[test]
    fn config_rows() {
        let r = rows(&[
            ("use-gzip", "true"),
            ("proxy-body-size", "8k"),
            ("worker-shutdown-timeout", "240s"),
            ("proxy-read-timeout", "60s"),
            ("load-balance", "ewma"),
            ("my-custom-key", "x"),
            ("jaeger-sampler-type", "const"),
            ("bad key", "x"),
            ("use-http2", "maybe"),
            ("worker-processes", "auto"),
        ]);
        let errs = validate_config(&r);
        let at = |i: usize| {
            errs.iter()
                .filter(|e| e.field == FormField::ConfigOption(i))
                .collect::<Vec<_>>()
        };
        for ok in [0, 1, 2, 4, 9] {
            assert!(at(ok).is_empty(), "row {ok}: {:?}", at(ok));
        }
        assert!(matches!(
            &at(3)[0].code,
            ErrorCode::InvalidConfigValue {
                expected: OptionType::Int,
                ..
            }
        ));
        assert_eq!(at(5)[0].severity, Severity::Warning);
        assert!(matches!(&at(5)[0].code, ErrorCode::UnknownConfigKey { .. }));
        assert!(
            matches!(&at(6)[0].code, ErrorCode::RemovedConfigKey { removed_in, .. } if removed_in == "1.10.0")
        );
        assert_eq!(at(6).len(), 1);
        assert!(matches!(&at(7)[0].code, ErrorCode::InvalidConfigKey { .. }));
        assert!(matches!(
            &at(8)[0].code,
            ErrorCode::InvalidConfigValue {
                expected: OptionType::Bool,
                ..
            }
        ));
        let enum_err = validate_config(&rows(&[("load-balance", "random")]));
        assert!(matches!(
            &enum_err[0].code,
            ErrorCode::InvalidConfigValue {
                expected: OptionType::Enum(_),
                ..
            }
        ));
    }

    #[test]
    fn replicas_range() {
        assert!(validate_replicas(1).is_empty());
        assert!(validate_replicas(SENSIBLE_MAX_REPLICAS as i64).is_empty());
        assert_eq!(validate_replicas(0)[0].code, ErrorCode::ZeroReplicas);
        assert!(!validate_replicas(0)[0].is_error());
        assert!(matches!(
            validate_replicas(101)[0].code,
            ErrorCode::ManyReplicas { .. }
        ));
        assert!(!validate_replicas(i32::MAX as i64)[0].is_error());
        assert!(validate_replicas(-1)[0].is_error());
        assert!(validate_replicas(i32::MAX as i64 + 1)[0].is_error());
    }

    #[test]
    fn server_status_mapping() {
        let status: Status = serde_json::from_value(json!({
            "kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 422, "reason": "Invalid",
            "message": "Gateway.gateway.kubesphere.io \"kubesphere-router-demo\" is invalid: ...",
            "details": {"name": "kubesphere-router-demo", "group": "gateway.kubesphere.io", "kind": "Gateway",
                "causes": [
                    {"reason": "FieldValueInvalid", "message": "Invalid value: -1", "field": "spec.deployment.replicas"},
                    {"reason": "FieldValueInvalid", "message": "bad", "field": "spec.service.annotations"},
                    {"reason": "FieldValueInvalid", "message": "bad", "field": "spec.service.annotations[b]"},
                    {"reason": "FieldValueInvalid", "message": "bad", "field": "spec.controller.config.x"},
                    {"reason": "FieldValueInvalid", "message": "bad", "field": "spec.service.type"},
                    {"reason": "FieldValueInvalid", "message": "bad", "field": "metadata.name"}
                ]}
        }))
        .unwrap();
        let ann = rows(&[("a", "1"), ("b", "2")]);
        let cfg = rows(&[("x", "1")]);
        let fields: Vec<_> = errors_from_status(&status, &ann, &cfg)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                FormField::Replicas,
                FormField::Annotations,
                FormField::Annotation(1),
                FormField::ConfigOption(0),
                FormField::AccessMode,
                FormField::Form("metadata.name".into()),
            ]
        );
        let bare: Status =
            serde_json::from_value(json!({"code": 422, "reason": "Invalid", "message": "nope"}))
                .unwrap();
        let e = errors_from_status(&bare, &[], &[]);
        assert!(matches!(&e[0].code, ErrorCode::Server { message, .. } if message == "nope"));
    }
}
