//! Reading the working namespace from `kubesphere-system/kubesphere-config` (reference §1.3).
//!
//! The ConfigMap's `kubesphere.yaml` is a YAML document; only `gateway.namespace` matters here.
//! This reads block-style YAML maps (what ks-installer writes): a top-level `gateway:` key whose
//! indented children include `namespace: <value>` (plain, single- or double-quoted).

use crate::names::CONTROLS_NAMESPACE;

/// Where project gateways live, as configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkingNamespace {
    /// All project gateways live in this namespace (normally `kubesphere-controls-system`).
    Shared(String),
    /// `gateway.namespace` is empty or absent while a `gateway` section exists: each project
    /// gateway lives in its own project.
    PerProject,
}

impl WorkingNamespace {
    /// The namespace to pass to `GatewayScope::gateway_namespace`.
    pub fn as_option(&self) -> Option<&str> {
        match self {
            WorkingNamespace::Shared(ns) => Some(ns),
            WorkingNamespace::PerProject => None,
        }
    }
}

impl Default for WorkingNamespace {
    fn default() -> Self {
        WorkingNamespace::Shared(CONTROLS_NAMESPACE.to_string())
    }
}

/// Extracts the working namespace from the `kubesphere.yaml` text. Without a `gateway` section
/// (or without the ConfigMap at all) KubeSphere's default applies.
pub fn working_namespace(kubesphere_yaml: &str) -> WorkingNamespace {
    let mut in_gateway = false;
    let mut gateway_indent = 0usize;
    let mut saw_gateway = false;
    let mut child_indent: Option<usize> = None;
    for raw in kubesphere_yaml.lines() {
        let line = strip_comment(raw);
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if in_gateway && indent <= gateway_indent {
            in_gateway = false;
        }
        if !in_gateway {
            if indent == 0 && (trimmed == "gateway:" || trimmed.starts_with("gateway: ")) {
                let rest = trimmed["gateway:".len()..].trim();
                if rest.is_empty() {
                    in_gateway = true;
                    saw_gateway = true;
                    gateway_indent = indent;
                } else if rest == "{}" || rest == "null" || rest == "~" {
                    return WorkingNamespace::PerProject;
                }
            }
            continue;
        }
        // Only direct children of `gateway:` count (the first child fixes their indentation).
        let child = *child_indent.get_or_insert(indent);
        if indent != child {
            continue;
        }
        if let Some(value) = trimmed.strip_prefix("namespace:") {
            let value = unquote(value.trim());
            return if value.is_empty() || value == "null" || value == "~" {
                WorkingNamespace::PerProject
            } else {
                WorkingNamespace::Shared(value.to_string())
            };
        }
    }
    if saw_gateway {
        WorkingNamespace::PerProject
    } else {
        WorkingNamespace::default()
    }
}

fn strip_comment(line: &str) -> &str {
    // A '#' starts a comment at line start or after whitespace, outside quotes.
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if previous.is_whitespace() => return &line[..i],
            _ => {}
        }
        previous = c;
    }
    line
}

fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
            return &value[1..value.len() - 1];
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installer_default() {
        let yaml = "authentication:\n  jwtSecret: x\ngateway:\n  watchesPath: /var/helm-charts/watches.yaml\n  namespace: kubesphere-controls-system\nmonitoring:\n  endpoint: http://prometheus\n";
        assert_eq!(
            working_namespace(yaml),
            WorkingNamespace::Shared("kubesphere-controls-system".into())
        );
    }

    #[test]
    fn custom_quoted_and_commented() {
        let yaml = "gateway:   # gateways\n  namespace: \"gw-system\"  # here\n";
        assert_eq!(
            working_namespace(yaml),
            WorkingNamespace::Shared("gw-system".into())
        );
        assert_eq!(
            working_namespace("gateway:\n    namespace: 'x'\n"),
            WorkingNamespace::Shared("x".into())
        );
    }

    #[test]
    fn removed_namespace_means_per_project() {
        let yaml = "gateway:\n  watchesPath: /var/helm-charts/watches.yaml\nnetwork:\n  namespace: other\n";
        assert_eq!(working_namespace(yaml), WorkingNamespace::PerProject);
        assert_eq!(
            working_namespace("gateway:\n  namespace: \"\"\n"),
            WorkingNamespace::PerProject
        );
        assert_eq!(
            working_namespace("gateway: {}\n"),
            WorkingNamespace::PerProject
        );
        assert_eq!(WorkingNamespace::PerProject.as_option(), None);
    }

    #[test]
    fn other_sections_do_not_count() {
        let yaml = "logging:\n  namespace: kubesphere-logging-system\n";
        assert_eq!(working_namespace(yaml), WorkingNamespace::default());
        assert_eq!(working_namespace(""), WorkingNamespace::default());
        assert_eq!(
            working_namespace("gateway:\n  other:\n    namespace: nested\n  namespace: top\n")
                .as_option(),
            Some("top")
        );
    }
}
