//! `metav1.Status` errors with the codes, reasons and messages a real API server uses.

use serde_json::{json, Value};

use crate::registry::ResourceType;

/// An API error: HTTP code plus the `Status` body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: u16,
    pub body: Value,
}

/// One field cause of a 422 Invalid.
#[derive(Debug, Clone, PartialEq)]
pub struct Cause {
    pub field: String,
    pub reason: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(code: u16, reason: &str, message: String, details: Option<Value>) -> Self {
        let mut body = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": message,
            "reason": reason,
            "code": code,
        });
        if let Some(d) = details {
            body["details"] = d;
        }
        ApiError { code, body }
    }

    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or_default()
    }

    pub fn reason(&self) -> &str {
        self.body["reason"].as_str().unwrap_or_default()
    }

    pub fn not_found(res: &ResourceType, name: &str) -> Self {
        Self::new(
            404,
            "NotFound",
            format!("{} \"{name}\" not found", res.qualified()),
            Some(details(res, name)),
        )
    }

    pub fn namespace_not_found(ns: &str) -> Self {
        Self::new(
            404,
            "NotFound",
            format!("namespaces \"{ns}\" not found"),
            Some(json!({"name": ns, "kind": "namespaces"})),
        )
    }

    pub fn path_not_found() -> Self {
        Self::new(
            404,
            "NotFound",
            "the server could not find the requested resource".into(),
            Some(json!({})),
        )
    }

    pub fn already_exists(res: &ResourceType, name: &str) -> Self {
        Self::new(
            409,
            "AlreadyExists",
            format!("{} \"{name}\" already exists", res.qualified()),
            Some(details(res, name)),
        )
    }

    pub fn conflict(res: &ResourceType, name: &str) -> Self {
        Self::new(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
                res.qualified()
            ),
            Some(details(res, name)),
        )
    }

    pub fn invalid(res: &ResourceType, name: &str, causes: Vec<Cause>) -> Self {
        let summary: Vec<String> = causes
            .iter()
            .map(|c| {
                if c.field.is_empty() {
                    c.message.clone()
                } else {
                    format!("{}: {}", c.field, c.message)
                }
            })
            .collect();
        let summary = if summary.len() == 1 {
            summary[0].clone()
        } else {
            format!("[{}]", summary.join(", "))
        };
        let qualified_kind = if res.group.is_empty() {
            res.kind.to_string()
        } else {
            format!("{}.{}", res.kind, res.group)
        };
        let mut d = json!({"name": name, "kind": res.kind});
        if !res.group.is_empty() {
            d["group"] = json!(res.group);
        }
        d["causes"] = Value::Array(
            causes
                .iter()
                .map(|c| json!({"reason": c.reason, "message": c.message, "field": c.field}))
                .collect(),
        );
        Self::new(
            422,
            "Invalid",
            format!("{qualified_kind} \"{name}\" is invalid: {summary}"),
            Some(d),
        )
    }

    pub fn bad_request(message: String) -> Self {
        Self::new(400, "BadRequest", message, None)
    }

    pub fn forbidden(
        user: &str,
        verb: &str,
        res: &ResourceType,
        name: &str,
        namespace: Option<&str>,
    ) -> Self {
        let group = if res.group.is_empty() {
            "\"\"".to_string()
        } else {
            format!("\"{}\"", res.group)
        };
        let scope = match namespace {
            Some(ns) => format!("in the namespace \"{ns}\""),
            None => "at the cluster scope".to_string(),
        };
        let named = if name.is_empty() {
            String::new()
        } else {
            format!(" \"{name}\"")
        };
        Self::new(
            403,
            "Forbidden",
            format!(
                "{}{named} is forbidden: User \"{user}\" cannot {verb} resource \"{}\" in API group {group} {scope}",
                res.qualified(),
                res.plural
            ),
            Some(details(res, name)),
        )
    }

    pub fn method_not_supported(res: &ResourceType, verb: &str) -> Self {
        Self::new(
            405,
            "MethodNotAllowed",
            format!(
                "{verb} is not supported on resources of kind \"{}\"",
                res.qualified()
            ),
            Some(json!({"group": res.group, "kind": res.plural})),
        )
    }

    pub fn gone(message: String) -> Self {
        Self::new(410, "Expired", message, None)
    }

    pub fn unsupported_media_type(content_type: &str) -> Self {
        Self::new(415, "UnsupportedMediaType", format!("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got {content_type})"), None)
    }

    pub fn internal(message: String) -> Self {
        Self::new(500, "InternalError", message, None)
    }

    pub fn too_many_requests() -> Self {
        Self::new(
            429,
            "TooManyRequests",
            "the server has received too many requests and has asked us to try again later".into(),
            Some(json!({"retryAfterSeconds": 1})),
        )
    }

    pub fn service_unavailable() -> Self {
        Self::new(
            503,
            "ServiceUnavailable",
            "the server is currently unable to handle the request".into(),
            Some(json!({"retryAfterSeconds": 1})),
        )
    }
}

fn details(res: &ResourceType, name: &str) -> Value {
    let mut d = json!({"name": name, "kind": res.plural});
    if !res.group.is_empty() {
        d["group"] = json!(res.group);
    }
    d
}

impl Cause {
    pub fn required(field: &str) -> Self {
        Cause {
            field: field.into(),
            reason: "FieldValueRequired",
            message: "Required value".into(),
        }
    }

    pub fn invalid(field: &str, value: &str, why: &str) -> Self {
        Cause {
            field: field.into(),
            reason: "FieldValueInvalid",
            message: format!("Invalid value: \"{value}\": {why}"),
        }
    }

    pub fn type_mismatch(field: &str, value: &Value, expected: &str) -> Self {
        let got = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        Cause {
            field: field.into(),
            reason: "FieldValueTypeInvalid",
            message: format!(
                "Invalid value: \"{got}\": {field} in body must be of type {expected}: \"{got}\""
            ),
        }
    }

    pub fn unknown_field(field: &str) -> Self {
        Cause {
            field: field.into(),
            reason: "FieldValueInvalid",
            message: format!("unknown field \"{field}\""),
        }
    }
}
