//! `/openapi/v3`: enough of the OpenAPI v3 documents for kubectl to find each kind's operations
//! and see that the server validates fields itself (`fieldValidation`), as a real API server does.

use serde_json::{json, Map, Value};

use crate::registry::{self, RESOURCES};

fn gv_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

/// The root document listing one document per group version.
pub fn root() -> Value {
    let mut paths = Map::new();
    for (g, v) in registry::group_versions() {
        let p = gv_path(g, v);
        paths.insert(p.clone(), json!({"serverRelativeURL": format!("/openapi/v3/{p}?hash=devcluster-{}", crate::traffic::hash_str(&p))}));
    }
    json!({"paths": paths})
}

fn query_param(name: &str, description: &str) -> Value {
    json!({"name": name, "in": "query", "description": description, "schema": {"type": "string", "uniqueItems": true}})
}

/// The document of one group version (`api/v1`, `apis/apps/v1`, …).
pub fn group_version(path: &str) -> Option<Value> {
    let (g, v) = registry::group_versions()
        .into_iter()
        .find(|(g, v)| gv_path(g, v) == path)?;
    let mut paths = Map::new();
    let mut schemas = Map::new();
    for r in RESOURCES.iter().filter(|r| r.group == g && r.version == v) {
        let gvk = json!({"group": g, "version": v, "kind": r.kind});
        let schema_name = format!(
            "{}.{}.{}",
            if g.is_empty() { "io.k8s.api.core" } else { g },
            v,
            r.kind
        );
        let reference = json!({"$ref": format!("#/components/schemas/{schema_name}")});
        let op = |verb: &str, action: &str| {
            let mut params = vec![query_param(
                "dryRun",
                "When present, indicates that modifications should not be persisted.",
            )];
            if matches!(verb, "patch" | "put" | "post") {
                params.push(query_param("fieldManager", "fieldManager is a name associated with the actor or entity that is making these changes."));
                params.push(query_param("fieldValidation", "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields: Ignore, Warn or Strict."));
            }
            json!({
                "operationId": format!("{verb}{}", r.kind),
                "x-kubernetes-action": action,
                "x-kubernetes-group-version-kind": gvk,
                "parameters": params,
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": reference}}}}
            })
        };
        let prefix = format!("/{}", gv_path(g, v));
        let collection = if r.namespaced {
            format!("{prefix}/namespaces/{{namespace}}/{}", r.plural)
        } else {
            format!("{prefix}/{}", r.plural)
        };
        let mut coll = Map::new();
        if r.allows("list") {
            coll.insert("get".into(), op("list", "list"));
        }
        if r.allows("create") {
            coll.insert("post".into(), op("post", "post"));
        }
        paths.insert(collection.clone(), Value::Object(coll));
        if r.allows("get") {
            paths.insert(
                format!("{collection}/{{name}}"),
                json!({"get": op("read", "get"), "put": op("put", "put"), "patch": op("patch", "patch"), "delete": op("delete", "delete")}),
            );
        }
        let mut schema = json!({"type": "object", "x-kubernetes-group-version-kind": [gvk], "properties": {
            "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"}
        }});
        if r.custom {
            schema["properties"]["spec"] =
                json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true});
            schema["properties"]["status"] =
                json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true});
        }
        schemas.insert(schema_name, schema);
    }
    Some(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.33.0-devcluster"},
        "paths": paths,
        "components": {"schemas": schemas}
    }))
}
