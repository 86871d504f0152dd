//! The three patch types of the Kubernetes API.

use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    Merge,
    Json,
    StrategicMerge,
}

impl PatchType {
    pub fn from_content_type(ct: &str) -> Option<Self> {
        let ct = ct.split(';').next().unwrap_or("").trim();
        match ct {
            "application/merge-patch+json" => Some(PatchType::Merge),
            "application/json-patch+json" => Some(PatchType::Json),
            "application/strategic-merge-patch+json" => Some(PatchType::StrategicMerge),
            _ => None,
        }
    }
}

/// Applies `patch` to `target`; the error is the message of a 422/400 the server would send.
pub fn apply(target: &Value, patch_type: PatchType, patch: &[u8]) -> Result<Value, String> {
    match patch_type {
        PatchType::Merge => {
            let p: Value =
                serde_json::from_slice(patch).map_err(|e| format!("error decoding patch: {e}"))?;
            if !p.is_object() {
                return Err("merge patch must be a JSON object".into());
            }
            let mut out = target.clone();
            // RFC 7386: the one implementation the app's own patches are tested against
            gateway_model::json_diff::apply_merge_patch(&mut out, &p);
            Ok(out)
        }
        PatchType::Json => {
            let p: json_patch::Patch =
                serde_json::from_slice(patch).map_err(|e| format!("error decoding patch: {e}"))?;
            let mut out = target.clone();
            json_patch::patch(&mut out, &p).map_err(|e| {
                format!("the server rejected our request due to an error in our request: {e}")
            })?;
            Ok(out)
        }
        PatchType::StrategicMerge => {
            let p: Value =
                serde_json::from_slice(patch).map_err(|e| format!("error decoding patch: {e}"))?;
            if !p.is_object() {
                return Err("strategic merge patch must be a JSON object".into());
            }
            let mut out = target.clone();
            strategic_merge(&mut out, &p, "");
            Ok(out)
        }
    }
}

/// The merge key of a list field, as declared by `patchMergeKey` in the Kubernetes types.
fn merge_key(field: &str) -> Option<&'static str> {
    match field {
        "containers" | "initContainers" | "env" | "volumes" | "volumeMounts"
        | "imagePullSecrets" => Some("name"),
        "ports" => Some("containerPort"),
        "conditions" => Some("type"),
        "finalizers" => None,
        _ => None,
    }
}

/// Strategic merge patch: maps merge like a merge patch; lists with a merge key merge by key
/// (`$patch: delete` removes an element); other lists are replaced. Directives are consumed.
pub fn strategic_merge(target: &mut Value, patch: &Value, field: &str) {
    match patch {
        Value::Object(p) => {
            if p.get("$patch").and_then(Value::as_str) == Some("replace") {
                let mut clean = patch.clone();
                clean.as_object_mut().unwrap().remove("$patch");
                *target = clean;
                return;
            }
            if !target.is_object() {
                *target = Value::Object(Map::new());
            }
            let t = target.as_object_mut().unwrap();
            for (k, v) in p {
                if k.starts_with("$setElementOrder/")
                    || k.starts_with("$deleteFromPrimitiveList/")
                    || k == "$retainKeys"
                    || k == "$patch"
                {
                    continue;
                }
                if v.is_null() {
                    t.remove(k);
                    continue;
                }
                match (t.get_mut(k), v) {
                    (Some(Value::Array(existing)), Value::Array(items))
                        if field_key(k, items).is_some() =>
                    {
                        let key = field_key(k, items).unwrap();
                        for item in items {
                            let id = item.get(key).cloned();
                            let delete =
                                item.get("$patch").and_then(Value::as_str) == Some("delete");
                            let pos = existing
                                .iter()
                                .position(|e| e.get(key).cloned() == id && id.is_some());
                            match (pos, delete) {
                                (Some(i), true) => {
                                    existing.remove(i);
                                }
                                (Some(i), false) => strategic_merge(&mut existing[i], item, k),
                                (None, false) => {
                                    let mut new = Value::Null;
                                    strategic_merge(&mut new, item, k);
                                    existing.push(new);
                                }
                                (None, true) => {}
                            }
                        }
                    }
                    (Some(existing), _) if v.is_object() => strategic_merge(existing, v, k),
                    _ => {
                        let mut new = Value::Null;
                        if v.is_object() {
                            strategic_merge(&mut new, v, k);
                        } else {
                            new = v.clone();
                        }
                        t.insert(k.clone(), new);
                    }
                }
            }
        }
        _ => *target = patch.clone(),
    }
    let _ = field;
}

fn field_key(field: &str, items: &[Value]) -> Option<&'static str> {
    let key = merge_key(field)?;
    if field == "ports"
        && items
            .iter()
            .any(|i| i.get("containerPort").is_none() && i.get("port").is_some())
    {
        return Some("port");
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_sets_and_deletes_map_keys() {
        let t = json!({"spec": {"config": {"a": "1", "b": "2"}, "replicas": 1}});
        let out = apply(
            &t,
            PatchType::Merge,
            br#"{"spec":{"config":{"a":null,"c":"3"},"replicas":2}}"#,
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"spec": {"config": {"b": "2", "c": "3"}, "replicas": 2}})
        );
    }

    #[test]
    fn json_patch_operations_and_test_failures() {
        let t = json!({"spec": {"replicas": 1}});
        let out = apply(
            &t,
            PatchType::Json,
            br#"[{"op":"replace","path":"/spec/replicas","value":3}]"#,
        )
        .unwrap();
        assert_eq!(out["spec"]["replicas"], 3);
        assert!(apply(
            &t,
            PatchType::Json,
            br#"[{"op":"test","path":"/spec/replicas","value":2}]"#
        )
        .is_err());
        assert!(apply(&t, PatchType::Json, br#"{"op":"add"}"#).is_err());
    }

    #[test]
    fn strategic_merge_merges_containers_by_name() {
        let t = json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}});
        let p = br#"{"$setElementOrder/containers":[{"name":"a"}],"spec":{"containers":[{"name":"a","image":"z"},{"name":"b","$patch":"delete"}]}}"#;
        let out = apply(&t, PatchType::StrategicMerge, p).unwrap();
        assert_eq!(
            out["spec"]["containers"],
            json!([{"name": "a", "image": "z"}])
        );
    }
}
