//! Structural OpenAPI v3 schema validation and pruning, as the API server applies a CRD's
//! `openAPIV3Schema`: types (incl. `int32`/`int64` ranges), `properties`, `additionalProperties`,
//! `x-kubernetes-preserve-unknown-fields`, `enum`, `minimum`/`maximum`, `required`.

use serde_json::{Map, Value};

use crate::status::Cause;

/// What unknown fields do: dropped silently (default), or reported (`fieldValidation=Strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownFields {
    Prune,
    Reject,
}

/// Validates `value` at `path` against `schema`, pruning unknown fields in place.
pub fn validate(
    schema: &Value,
    value: &mut Value,
    path: &str,
    unknown: UnknownFields,
    causes: &mut Vec<Cause>,
) {
    if value.is_null() && schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        return;
    }
    let ty = schema.get("type").and_then(Value::as_str);
    let preserve = schema
        .get("x-kubernetes-preserve-unknown-fields")
        .and_then(Value::as_bool)
        == Some(true);
    let int_or_string = schema
        .get("x-kubernetes-int-or-string")
        .and_then(Value::as_bool)
        == Some(true);
    if int_or_string {
        if !(value.is_string() || value.is_i64() || value.is_u64()) {
            causes.push(Cause::type_mismatch(path, value, "integer or string"));
        }
        return;
    }
    match ty {
        Some("object") => {
            let Some(obj) = value.as_object_mut() else {
                causes.push(Cause::type_mismatch(path, value, "object"));
                return;
            };
            if let Some(required) = schema.get("required").and_then(Value::as_array) {
                for r in required.iter().filter_map(Value::as_str) {
                    if !obj.contains_key(r) {
                        causes.push(Cause::required(&format!("{path}.{r}")));
                    }
                }
            }
            let props = schema.get("properties").and_then(Value::as_object);
            let additional = schema.get("additionalProperties");
            let keys: Vec<String> = obj.keys().cloned().collect();
            for key in keys {
                let child_path = format!("{path}.{key}");
                if let Some(child) = props.and_then(|p| p.get(&key)) {
                    validate(
                        child,
                        obj.get_mut(&key).unwrap(),
                        &child_path,
                        unknown,
                        causes,
                    );
                } else if let Some(add) = additional.filter(|a| a.is_object()) {
                    validate(
                        add,
                        obj.get_mut(&key).unwrap(),
                        &child_path,
                        unknown,
                        causes,
                    );
                } else if preserve || additional == Some(&Value::Bool(true)) {
                    // kept as is
                } else if props.is_some() || additional.is_some() {
                    match unknown {
                        UnknownFields::Prune => {
                            obj.remove(&key);
                        }
                        UnknownFields::Reject => causes.push(Cause::unknown_field(&child_path)),
                    }
                }
            }
        }
        Some("array") => {
            let Some(items) = value.as_array_mut() else {
                causes.push(Cause::type_mismatch(path, value, "array"));
                return;
            };
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter_mut().enumerate() {
                    validate(item_schema, item, &format!("{path}[{i}]"), unknown, causes);
                }
            }
        }
        Some("string") => {
            let Some(s) = value.as_str() else {
                causes.push(Cause::type_mismatch(path, value, "string"));
                return;
            };
            if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
                if !allowed.iter().any(|a| a.as_str() == Some(s)) {
                    let list: Vec<String> = allowed.iter().map(|a| a.to_string()).collect();
                    causes.push(Cause {
                        field: path.into(),
                        reason: "FieldValueNotSupported",
                        message: format!(
                            "Unsupported value: \"{s}\": supported values: {}",
                            list.join(", ")
                        ),
                    });
                }
            }
        }
        Some("integer") => {
            let Some(n) = value.as_i64() else {
                causes.push(Cause::type_mismatch(path, value, "integer"));
                return;
            };
            if schema.get("format").and_then(Value::as_str) == Some("int32")
                && i32::try_from(n).is_err()
            {
                causes.push(Cause::invalid(
                    path,
                    &n.to_string(),
                    "must be a 32-bit integer",
                ));
            }
            if let Some(min) = schema.get("minimum").and_then(Value::as_i64) {
                if n < min {
                    causes.push(Cause::invalid(
                        path,
                        &n.to_string(),
                        &format!("{path} in body should be greater than or equal to {min}"),
                    ));
                }
            }
            if let Some(max) = schema.get("maximum").and_then(Value::as_i64) {
                if n > max {
                    causes.push(Cause::invalid(
                        path,
                        &n.to_string(),
                        &format!("{path} in body should be less than or equal to {max}"),
                    ));
                }
            }
        }
        Some("number") if !value.is_number() => {
            causes.push(Cause::type_mismatch(path, value, "number"));
        }
        Some("boolean") if !value.is_boolean() => {
            causes.push(Cause::type_mismatch(path, value, "boolean"));
        }
        _ => {}
    }
}

/// The `openAPIV3Schema` of the stored version of a CRD object.
pub fn crd_schema<'a>(crd: &'a Value, version: &str) -> Option<&'a Value> {
    crd["spec"]["versions"]
        .as_array()?
        .iter()
        .find(|v| v["name"] == version)
        .and_then(|v| v.get("schema"))
        .and_then(|s| s.get("openAPIV3Schema"))
}

/// The Gateway CRD as installed by KubeSphere 3.4 (fields of the reference §2.2).
pub fn gateway_crd() -> Value {
    let string_map =
        serde_json::json!({"type": "object", "additionalProperties": {"type": "string"}});
    let mut spec_props = Map::new();
    spec_props.insert(
        "controller".into(),
        serde_json::json!({"type": "object", "properties": {
            "replicas": {"type": "integer", "format": "int32"},
            "annotations": string_map,
            "config": string_map,
            "scope": {"type": "object", "properties": {
                "enabled": {"type": "boolean"},
                "namespace": {"type": "string"}
            }},
            "tcp": string_map,
            "udp": string_map
        }}),
    );
    spec_props.insert(
        "deployment".into(),
        serde_json::json!({"type": "object", "properties": {
            "replicas": {"type": "integer", "format": "int32"},
            "annotations": string_map,
            "resources": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}
        }}),
    );
    spec_props.insert(
        "service".into(),
        serde_json::json!({"type": "object", "properties": {
            "type": {"type": "string"},
            "annotations": string_map
        }}),
    );
    serde_json::json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "gateways.gateway.kubesphere.io", "annotations": {"controller-gen.kubebuilder.io/version": "v0.4.1"}},
        "spec": {
            "group": "gateway.kubesphere.io",
            "names": {"kind": "Gateway", "listKind": "GatewayList", "plural": "gateways", "singular": "gateway"},
            "scope": "Namespaced",
            "versions": [{
                "name": "v1alpha1",
                "served": true,
                "storage": true,
                "subresources": {"status": {}},
                "schema": {"openAPIV3Schema": {
                    "description": "Gateway is the Schema for the gateways API",
                    "type": "object",
                    "properties": {
                        "apiVersion": {"type": "string"},
                        "kind": {"type": "string"},
                        "metadata": {"type": "object"},
                        "spec": {"type": "object", "properties": Value::Object(spec_props)},
                        "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}
                    }
                }}
            }]
        },
        "status": {
            "acceptedNames": {"kind": "Gateway", "listKind": "GatewayList", "plural": "gateways", "singular": "gateway"},
            "conditions": [
                {"type": "NamesAccepted", "status": "True", "reason": "NoConflicts", "message": "no conflicts found"},
                {"type": "Established", "status": "True", "reason": "InitialNamesAccepted", "message": "the initial names have been accepted"}
            ],
            "storedVersions": ["v1alpha1"]
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(mut gw: Value, unknown: UnknownFields) -> (Value, Vec<Cause>) {
        let crd = gateway_crd();
        let schema = crd_schema(&crd, "v1alpha1").unwrap().clone();
        let mut causes = Vec::new();
        let spec = gw.get_mut("spec").unwrap();
        validate(
            &schema["properties"]["spec"],
            spec,
            "spec",
            unknown,
            &mut causes,
        );
        (gw, causes)
    }

    #[test]
    fn types_and_int32_are_checked() {
        let (_, causes) = check(
            json!({"spec": {"deployment": {"replicas": "2"}}}),
            UnknownFields::Prune,
        );
        assert_eq!(causes.len(), 1);
        assert_eq!(causes[0].field, "spec.deployment.replicas");
        assert!(causes[0].message.contains("must be of type integer"));
        let (_, causes) = check(
            json!({"spec": {"deployment": {"replicas": 3_000_000_000i64}}}),
            UnknownFields::Prune,
        );
        assert_eq!(causes[0].field, "spec.deployment.replicas");
        let (_, causes) = check(
            json!({"spec": {"controller": {"config": {"a": 1}}}}),
            UnknownFields::Prune,
        );
        assert_eq!(causes[0].field, "spec.controller.config.a");
    }

    #[test]
    fn unknown_fields_are_pruned_or_rejected() {
        let (gw, causes) = check(
            json!({"spec": {"service": {"type": "NodePort", "bogus": 1}}}),
            UnknownFields::Prune,
        );
        assert!(causes.is_empty());
        assert_eq!(gw["spec"]["service"], json!({"type": "NodePort"}));
        let (_, causes) = check(
            json!({"spec": {"service": {"bogus": 1}}}),
            UnknownFields::Reject,
        );
        assert_eq!(causes[0].message, "unknown field \"spec.service.bogus\"");
    }
}
