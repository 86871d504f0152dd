//! Object validation the API server does before storing: names, labels, annotations, and the
//! per-kind rules devcluster knows (services, deployments, CRD schemas).

use serde_json::Value;

use crate::registry::ResourceType;
use crate::schema::{self, UnknownFields};
use crate::status::Cause;

pub fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// DNS-1123 subdomain (the rule lives in gateway-model, shared with the app's form validation).
pub fn is_dns_subdomain(s: &str) -> bool {
    gateway_model::validation::is_dns1123_subdomain(s)
}

/// Label/annotation key (qualified name), as gateway-model validates it.
fn is_qualified_name(k: &str) -> bool {
    gateway_model::validation::validate_qualified_name(k).is_ok()
}

fn is_label_value(v: &str) -> bool {
    v.is_empty() || (is_qualified_name(v) && !v.contains('/'))
}

const QUALIFIED_NAME_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/// Validates an object about to be stored; `crd` is the CRD object for custom resources.
/// Unknown fields of custom resources are pruned (or rejected when `strict`).
pub fn validate(
    res: &ResourceType,
    obj: &mut Value,
    crd: Option<&Value>,
    strict: bool,
) -> Vec<Cause> {
    let mut causes = Vec::new();
    let name = obj["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    if name.is_empty() {
        causes.push(Cause::required("metadata.name"));
    } else {
        let label_names = matches!(res.kind, "Namespace" | "Service");
        if label_names && !is_dns_label(&name) {
            causes.push(Cause::invalid("metadata.name", &name, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
        } else if !label_names && !is_dns_subdomain(&name) {
            causes.push(Cause::invalid("metadata.name", &name, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
        }
    }
    if let Some(labels) = obj["metadata"]["labels"].as_object() {
        for (k, v) in labels {
            if !is_qualified_name(k) {
                causes.push(Cause::invalid("metadata.labels", k, QUALIFIED_NAME_MSG));
            }
            match v.as_str() {
                Some(s) if is_label_value(s) => {}
                Some(s) => causes.push(Cause::invalid(&format!("metadata.labels.{k}"), s, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character")),
                None => causes.push(Cause::type_mismatch(&format!("metadata.labels.{k}"), v, "string")),
            }
        }
    }
    if let Some(annotations) = obj["metadata"]["annotations"].as_object() {
        let mut total = 0;
        for (k, v) in annotations {
            total += k.len() + v.as_str().map_or(0, str::len);
            if !is_qualified_name(k) {
                causes.push(Cause::invalid(
                    "metadata.annotations",
                    k,
                    QUALIFIED_NAME_MSG,
                ));
            }
            if !v.is_string() {
                causes.push(Cause::type_mismatch(
                    &format!("metadata.annotations.{k}"),
                    v,
                    "string",
                ));
            }
        }
        if total > 256 * 1024 {
            causes.push(Cause {
                field: "metadata.annotations".into(),
                reason: "FieldValueTooLong",
                message: "Too long: must have at most 262144 bytes".into(),
            });
        }
    }
    match res.kind {
        "Service" => validate_service(obj, &mut causes),
        "Deployment" | "ReplicaSet" => {
            if let Some(r) = obj["spec"].get("replicas") {
                match r.as_i64() {
                    Some(n) if (0..=i32::MAX as i64).contains(&n) => {}
                    Some(n) => causes.push(Cause::invalid(
                        "spec.replicas",
                        &n.to_string(),
                        "must be greater than or equal to 0",
                    )),
                    None => causes.push(Cause::type_mismatch("spec.replicas", r, "integer")),
                }
            }
        }
        "ConfigMap" => {
            if let Some(data) = obj["data"].as_object() {
                for (k, v) in data {
                    if !v.is_string() {
                        causes.push(Cause::type_mismatch(&format!("data.{k}"), v, "string"));
                    }
                }
            }
        }
        _ => {}
    }
    if let Some(schema) = crd.and_then(|c| schema::crd_schema(c, res.version)) {
        let unknown = if strict {
            UnknownFields::Reject
        } else {
            UnknownFields::Prune
        };
        let props = &schema["properties"];
        for field in ["spec", "status"] {
            if let (Some(s), Some(v)) = (props.get(field), obj.get_mut(field)) {
                schema::validate(s, v, field, unknown, &mut causes);
            }
        }
        if let Some(o) = obj.as_object_mut() {
            let extra: Vec<String> = o
                .keys()
                .filter(|k| {
                    !matches!(k.as_str(), "apiVersion" | "kind" | "metadata")
                        && props.get(k.as_str()).is_none()
                })
                .cloned()
                .collect();
            for k in extra {
                if strict {
                    causes.push(Cause::unknown_field(&k));
                } else {
                    o.remove(&k);
                }
            }
        }
    }
    causes
}

fn validate_service(obj: &Value, causes: &mut Vec<Cause>) {
    let ty = obj["spec"]["type"].as_str().unwrap_or("ClusterIP");
    if !matches!(
        ty,
        "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName"
    ) {
        causes.push(Cause {
            field: "spec.type".into(),
            reason: "FieldValueNotSupported",
            message: format!("Unsupported value: \"{ty}\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""),
        });
    }
    if let Some(ports) = obj["spec"]["ports"].as_array() {
        for (i, p) in ports.iter().enumerate() {
            match p["port"].as_i64() {
                Some(n) if (1..=65535).contains(&n) => {}
                _ => causes.push(Cause::invalid(
                    &format!("spec.ports[{i}].port"),
                    &p["port"].to_string(),
                    "must be between 1 and 65535, inclusive",
                )),
            }
            if let Some(np) = p.get("nodePort").and_then(Value::as_i64) {
                if np != 0 && !(30000..=32767).contains(&np) {
                    causes.push(Cause::invalid(&format!("spec.ports[{i}].nodePort"), &np.to_string(), "provided port is not in the valid range. The range of valid ports is 30000-32767"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_dns_label("kubesphere-router-demo"));
        assert!(!is_dns_label("Demo"));
        assert!(!is_dns_label("-a"));
        assert!(is_dns_subdomain("a.b-c"));
        assert!(is_qualified_name(
            "service.beta.kubernetes.io/aws-load-balancer-type"
        ));
        assert!(!is_qualified_name("bad key"));
        assert!(!is_qualified_name("x/"));
    }
}
