//! `meta.k8s.io/v1` Table responses, which `kubectl get` asks for (server-side printing).

use serde_json::{json, Value};

use crate::registry::ResourceType;

/// Whether the `Accept` header asks for a Table.
pub fn wants_table(accept: &str) -> bool {
    accept
        .split(',')
        .next()
        .is_some_and(|first| first.contains("as=Table"))
}

fn age(ts: &str) -> String {
    let Ok(t) = ts.parse::<jiff::Timestamp>() else {
        return "<unknown>".into();
    };
    let secs = (jiff::Timestamp::now().as_second() - t.as_second()).max(0);
    match secs {
        s if s < 120 => format!("{s}s"),
        s if s < 600 => format!("{}m{}s", s / 60, s % 60),
        s if s < 3 * 3600 => format!("{}m", s / 60),
        s if s < 8 * 3600 => format!("{}h{}m", s / 3600, (s % 3600) / 60),
        s if s < 2 * 86400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86400),
    }
}

fn column(name: &str, ty: &str, priority: i32) -> Value {
    json!({"name": name, "type": ty, "format": if name == "Name" { "name" } else { "" }, "description": "", "priority": priority})
}

fn columns(res: &ResourceType) -> Vec<Value> {
    let names: &[(&str, &str)] = match res.kind {
        "Pod" => &[
            ("Name", "string"),
            ("Ready", "string"),
            ("Status", "string"),
            ("Restarts", "string"),
            ("Age", "string"),
            ("IP", "string"),
            ("Node", "string"),
        ],
        "Deployment" => &[
            ("Name", "string"),
            ("Ready", "string"),
            ("Up-to-date", "integer"),
            ("Available", "integer"),
            ("Age", "string"),
        ],
        "ReplicaSet" => &[
            ("Name", "string"),
            ("Desired", "integer"),
            ("Current", "integer"),
            ("Ready", "integer"),
            ("Age", "string"),
        ],
        "Service" => &[
            ("Name", "string"),
            ("Type", "string"),
            ("Cluster-IP", "string"),
            ("External-IP", "string"),
            ("Port(s)", "string"),
            ("Age", "string"),
        ],
        "Node" => &[
            ("Name", "string"),
            ("Status", "string"),
            ("Roles", "string"),
            ("Age", "string"),
            ("Version", "string"),
            ("Internal-IP", "string"),
        ],
        "Namespace" => &[("Name", "string"), ("Status", "string"), ("Age", "string")],
        "ConfigMap" => &[("Name", "string"), ("Data", "integer"), ("Age", "string")],
        "Gateway" => &[
            ("Name", "string"),
            ("Type", "string"),
            ("Replicas", "integer"),
            ("Age", "string"),
        ],
        _ => &[("Name", "string"), ("Age", "string")],
    };
    names
        .iter()
        .map(|(n, t)| {
            column(
                n,
                t,
                if matches!(*n, "IP" | "Node" | "Internal-IP") {
                    1
                } else {
                    0
                },
            )
        })
        .collect()
}

fn cells(res: &ResourceType, o: &Value) -> Vec<Value> {
    let name = json!(o["metadata"]["name"]);
    let age = json!(age(o["metadata"]["creationTimestamp"]
        .as_str()
        .unwrap_or_default()));
    let s = |v: &Value| v.as_str().unwrap_or("<none>").to_string();
    match res.kind {
        "Pod" => {
            let statuses = o["status"]["containerStatuses"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let total = o["spec"]["containers"].as_array().map_or(0, Vec::len);
            let ready = statuses.iter().filter(|c| c["ready"] == true).count();
            let restarts: i64 = statuses
                .iter()
                .filter_map(|c| c["restartCount"].as_i64())
                .sum();
            let phase = if o["metadata"].get("deletionTimestamp").is_some() {
                "Terminating".to_string()
            } else {
                s(&o["status"]["phase"])
            };
            vec![
                name,
                json!(format!("{ready}/{total}")),
                json!(phase),
                json!(restarts.to_string()),
                age,
                json!(s(&o["status"]["podIP"])),
                json!(s(&o["spec"]["nodeName"])),
            ]
        }
        "Deployment" => {
            let st = &o["status"];
            vec![
                name,
                json!(format!(
                    "{}/{}",
                    st["readyReplicas"].as_i64().unwrap_or(0),
                    o["spec"]["replicas"].as_i64().unwrap_or(1)
                )),
                json!(st["updatedReplicas"].as_i64().unwrap_or(0)),
                json!(st["availableReplicas"].as_i64().unwrap_or(0)),
                age,
            ]
        }
        "ReplicaSet" => {
            let st = &o["status"];
            vec![
                name,
                json!(o["spec"]["replicas"].as_i64().unwrap_or(1)),
                json!(st["replicas"].as_i64().unwrap_or(0)),
                json!(st["readyReplicas"].as_i64().unwrap_or(0)),
                age,
            ]
        }
        "Service" => {
            let ports: Vec<String> = o["spec"]["ports"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|p| {
                    let proto = p["protocol"].as_str().unwrap_or("TCP");
                    match p["nodePort"].as_i64() {
                        Some(np) => format!("{}:{np}/{proto}", p["port"]),
                        None => format!("{}/{proto}", p["port"]),
                    }
                })
                .collect();
            let ext: Vec<String> = o["status"]["loadBalancer"]["ingress"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .filter_map(|i| {
                    i["ip"]
                        .as_str()
                        .or(i["hostname"].as_str())
                        .map(str::to_string)
                })
                .collect();
            let ext = if ext.is_empty() {
                if o["spec"]["type"] == "LoadBalancer" {
                    "<pending>".to_string()
                } else {
                    "<none>".to_string()
                }
            } else {
                ext.join(",")
            };
            vec![
                name,
                json!(s(&o["spec"]["type"])),
                json!(s(&o["spec"]["clusterIP"])),
                json!(ext),
                json!(if ports.is_empty() {
                    "<none>".into()
                } else {
                    ports.join(",")
                }),
                age,
            ]
        }
        "Node" => {
            let ready = o["status"]["conditions"]
                .as_array()
                .and_then(|c| c.iter().find(|c| c["type"] == "Ready"))
                .map(|c| c["status"] == "True")
                .unwrap_or(false);
            let roles: Vec<&str> = o["metadata"]["labels"]
                .as_object()
                .map(|l| {
                    l.keys()
                        .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
                        .collect()
                })
                .unwrap_or_default();
            let ip = o["status"]["addresses"]
                .as_array()
                .and_then(|a| a.iter().find(|a| a["type"] == "InternalIP"))
                .map(|a| s(&a["address"]))
                .unwrap_or_else(|| "<none>".into());
            vec![
                name,
                json!(if ready { "Ready" } else { "NotReady" }),
                json!(if roles.is_empty() {
                    "<none>".into()
                } else {
                    roles.join(",")
                }),
                age,
                json!(s(&o["status"]["nodeInfo"]["kubeletVersion"])),
                json!(ip),
            ]
        }
        "Namespace" => vec![name, json!(s(&o["status"]["phase"])), age],
        "ConfigMap" => vec![
            name,
            json!(o["data"].as_object().map_or(0, |d| d.len())),
            age,
        ],
        "Gateway" => vec![
            name,
            json!(s(&o["spec"]["service"]["type"])),
            json!(o["spec"]["deployment"]["replicas"].as_i64().unwrap_or(1)),
            age,
        ],
        _ => vec![name, age],
    }
}

fn partial_metadata(o: &Value) -> Value {
    json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": o["metadata"]})
}

/// A Table of `items`; `with_columns` is false for watch events after the first.
pub fn table(
    res: &ResourceType,
    items: &[Value],
    resource_version: &str,
    continue_token: Option<&str>,
    with_columns: bool,
) -> Value {
    let rows: Vec<Value> = items
        .iter()
        .map(|o| json!({"cells": cells(res, o), "object": partial_metadata(o)}))
        .collect();
    let mut t = json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": resource_version},
        "rows": rows,
    });
    if with_columns {
        t["columnDefinitions"] = Value::Array(columns(res));
    } else {
        t["columnDefinitions"] = Value::Null;
    }
    if let Some(c) = continue_token {
        t["metadata"]["continue"] = json!(c);
    }
    t
}
