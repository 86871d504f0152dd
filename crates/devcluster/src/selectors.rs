//! `labelSelector` and `fieldSelector` as the API server parses and applies them.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Requirement {
    Eq(String, String),
    NotEq(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

/// A parsed label selector; the empty selector matches everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelSelector(Vec<Requirement>);

/// Splits on commas that are not inside parentheses.
fn split_top_level(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn valid_key(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 317
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

fn set_values(rest: &str) -> Result<Vec<String>, String> {
    let rest = rest.trim();
    let inner = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| format!("found '{rest}', expected: '('"))?;
    Ok(inner
        .split(',')
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect())
}

impl LabelSelector {
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut reqs = Vec::new();
        if s.trim().is_empty() {
            return Ok(LabelSelector(reqs));
        }
        for part in split_top_level(s) {
            let part = part.trim();
            if part.is_empty() {
                return Err(format!(
                    "unable to parse requirement: found '' in selector {s:?}"
                ));
            }
            let req = if let Some(k) = part.strip_prefix('!') {
                Requirement::NotExists(k.trim().to_string())
            } else if let Some((k, v)) = part.split_once("!=") {
                Requirement::NotEq(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = part.split_once("==") {
                Requirement::Eq(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = part.split_once('=') {
                Requirement::Eq(k.trim().into(), v.trim().into())
            } else if let Some(idx) = part.find(" notin ") {
                Requirement::NotIn(part[..idx].trim().into(), set_values(&part[idx + 7..])?)
            } else if let Some(idx) = part.find(" in ") {
                Requirement::In(part[..idx].trim().into(), set_values(&part[idx + 4..])?)
            } else {
                Requirement::Exists(part.to_string())
            };
            let key = match &req {
                Requirement::Eq(k, _)
                | Requirement::NotEq(k, _)
                | Requirement::In(k, _)
                | Requirement::NotIn(k, _)
                | Requirement::Exists(k)
                | Requirement::NotExists(k) => k,
            };
            if !valid_key(key) {
                return Err(format!(
                    "unable to parse requirement: invalid label key \"{key}\""
                ));
            }
            reqs.push(req);
        }
        Ok(LabelSelector(reqs))
    }

    pub fn matches(&self, labels: &Value) -> bool {
        let get = |k: &str| labels.get(k).and_then(Value::as_str);
        self.0.iter().all(|r| match r {
            Requirement::Eq(k, v) => get(k) == Some(v.as_str()),
            Requirement::NotEq(k, v) => get(k) != Some(v.as_str()),
            Requirement::In(k, vs) => get(k).is_some_and(|x| vs.iter().any(|v| v == x)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|x| !vs.iter().any(|v| v == x)),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::NotExists(k) => get(k).is_none(),
        })
    }

    /// Equality requirements as a label map (used to build objects that match a selector).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A parsed field selector: `field=value`, `field==value`, `field!=value`, comma separated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldSelector(Vec<(String, bool, String)>);

impl FieldSelector {
    /// `supported` lists the fields this resource type can be selected by.
    pub fn parse(s: &str, supported: &[&str], kind: &str) -> Result<Self, String> {
        let mut reqs = Vec::new();
        if s.trim().is_empty() {
            return Ok(FieldSelector(reqs));
        }
        for part in s.split(',') {
            let (field, eq, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once("==") {
                (f, true, v)
            } else if let Some((f, v)) = part.split_once('=') {
                (f, true, v)
            } else {
                return Err(format!(
                    "invalid selector: '{part}'; can't understand '{part}'"
                ));
            };
            let field = field.trim();
            if !supported.contains(&field) {
                return Err(format!("field label not supported: {field}"));
            }
            let _ = kind;
            reqs.push((field.to_string(), eq, value.trim().to_string()));
        }
        Ok(FieldSelector(reqs))
    }

    pub fn matches(&self, object: &Value) -> bool {
        self.0.iter().all(|(field, eq, value)| {
            let actual = if field == "source" && object["kind"] == "Event" {
                // an Event's `source` field: its source component, else its reporting controller
                object["source"]["component"]
                    .as_str()
                    .filter(|c| !c.is_empty())
                    .or(object["reportingComponent"].as_str())
                    .unwrap_or("")
            } else {
                let mut cur = object;
                for part in field.split('.') {
                    cur = &cur[part];
                }
                cur.as_str().unwrap_or("")
            };
            (actual == value) == *eq
        })
    }
}

/// The fields each kind can be selected by (a subset of the real API server's lists).
pub fn supported_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "Pod" => &[
            "metadata.name",
            "metadata.namespace",
            "status.phase",
            "spec.nodeName",
            "spec.restartPolicy",
            "status.podIP",
        ],
        "Event" => &[
            "metadata.name",
            "metadata.namespace",
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        "Node" => &["metadata.name", "spec.unschedulable"],
        "Namespace" => &["metadata.name", "status.phase"],
        "Service" => &[
            "metadata.name",
            "metadata.namespace",
            "spec.clusterIP",
            "spec.type",
        ],
        _ => &["metadata.name", "metadata.namespace"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn label_selector_operators() {
        let labels = json!({"app": "nginx", "tier": "backend"});
        let m = |s: &str| LabelSelector::parse(s).unwrap().matches(&labels);
        assert!(m(""));
        assert!(m("app=nginx"));
        assert!(m("app==nginx,tier=backend"));
        assert!(!m("app!=nginx"));
        assert!(m("app in (nginx, web)"));
        assert!(!m("app notin (nginx)"));
        assert!(m("tier"));
        assert!(m("!missing"));
        assert!(!m("!app"));
        assert!(m("missing notin (x)"));
        assert!(LabelSelector::parse("app in nginx").is_err());
        assert!(LabelSelector::parse("a b=c").is_err());
    }

    #[test]
    fn field_selector_supported_fields_only() {
        let pod =
            json!({"metadata": {"name": "p", "namespace": "ns"}, "status": {"phase": "Running"}});
        let f = |s: &str| FieldSelector::parse(s, supported_fields("Pod"), "Pod");
        assert!(f("status.phase=Running").unwrap().matches(&pod));
        assert!(!f("status.phase!=Running").unwrap().matches(&pod));
        assert!(f("metadata.name=p,metadata.namespace=ns")
            .unwrap()
            .matches(&pod));
        assert_eq!(
            f("spec.bogus=x").unwrap_err(),
            "field label not supported: spec.bogus"
        );
    }

    #[test]
    fn event_fields() {
        let kubelet = json!({"kind": "Event", "involvedObject": {"kind": "Pod", "apiVersion": "v1", "fieldPath": "spec.containers{c}"}, "source": {"component": "kubelet", "host": "n1"}, "reportingComponent": "kubelet"});
        let scheduler = json!({"kind": "Event", "involvedObject": {"kind": "Pod"}, "source": {}, "reportingComponent": "default-scheduler"});
        let f = |s: &str| FieldSelector::parse(s, supported_fields("Event"), "Event").unwrap();
        assert!(f("source=kubelet,involvedObject.apiVersion=v1").matches(&kubelet));
        assert!(f("involvedObject.fieldPath=spec.containers{c}").matches(&kubelet));
        assert!(f("source=default-scheduler").matches(&scheduler));
        assert!(!f("source=kubelet").matches(&scheduler));
    }
}
