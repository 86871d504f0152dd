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
        // the API server's printer for core/v1 Events (the wide columns have priority 1)
        "Event" => &[
            ("Last Seen", "string"),
            ("Type", "string"),
            ("Reason", "string"),
            ("Object", "string"),
            ("Subobject", "string"),
            ("Source", "string"),
            ("Message", "string"),
            ("First Seen", "string"),
            ("Count", "string"),
            ("Name", "string"),
        ],
        _ => &[("Name", "string"), ("Age", "string")],
    };
    let wide = |kind: &str, n: &str| match kind {
        "Event" => matches!(n, "Subobject" | "Source" | "First Seen" | "Count" | "Name"),
        _ => matches!(n, "IP" | "Node" | "Internal-IP"),
    };
    names
        .iter()
        .map(|(n, t)| column(n, t, if wide(res.kind, n) { 1 } else { 0 }))
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
            // as kubectl's printer: a waiting or terminated container's reason wins
            let mut ready = 0;
            let mut restarts = 0;
            let mut last_restart: Option<String> = None;
            let mut phase = o["status"]["reason"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| s(&o["status"]["phase"]));
            for c in statuses.iter().rev() {
                restarts += c["restartCount"].as_i64().unwrap_or(0);
                if let Some(f) = c["lastState"]["terminated"]["finishedAt"].as_str() {
                    if last_restart.as_deref().is_none_or(|l| l < f) {
                        last_restart = Some(f.to_string());
                    }
                }
                if let Some(r) = c["state"]["waiting"]["reason"]
                    .as_str()
                    .filter(|r| !r.is_empty())
                {
                    phase = r.to_string();
                } else if let Some(r) = c["state"]["terminated"]["reason"]
                    .as_str()
                    .filter(|r| !r.is_empty())
                {
                    phase = r.to_string();
                } else if c["ready"] == true && c["state"]["running"].is_object() {
                    ready += 1;
                }
            }
            if o["metadata"].get("deletionTimestamp").is_some() {
                phase = "Terminating".to_string();
            }
            let restarts = match last_restart {
                Some(t) if restarts > 0 => format!("{restarts} ({} ago)", self::age(&t)),
                _ => restarts.to_string(),
            };
            vec![
                name,
                json!(format!("{ready}/{total}")),
                json!(phase),
                json!(restarts),
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
        "Event" => {
            let ts = |v: &Value| v.as_str().filter(|t| !t.is_empty()).map(self::age);
            let first = ts(&o["firstTimestamp"])
                .or_else(|| ts(&o["eventTime"]))
                .unwrap_or_else(|| "<unknown>".into());
            let last = ts(&o["series"]["lastObservedTime"])
                .or_else(|| ts(&o["lastTimestamp"]))
                .unwrap_or_else(|| first.clone());
            let count = o["series"]["count"]
                .as_i64()
                .or(o["count"].as_i64())
                .filter(|c| *c > 0)
                .unwrap_or(1);
            let io = &o["involvedObject"];
            let kind = io["kind"].as_str().unwrap_or_default().to_lowercase();
            let object = match io["name"].as_str().filter(|n| !n.is_empty()) {
                Some(n) => format!("{kind}/{n}"),
                None => kind,
            };
            let either = |a: &Value, b: &Value| {
                a.as_str()
                    .filter(|x| !x.is_empty())
                    .or(b.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let component = either(&o["source"]["component"], &o["reportingComponent"]);
            let instance = either(&o["source"]["host"], &o["reportingInstance"]);
            let source = if instance.is_empty() {
                component
            } else {
                format!("{component}, {instance}")
            };
            vec![
                json!(last),
                json!(o["type"].as_str().unwrap_or_default()),
                json!(o["reason"].as_str().unwrap_or_default()),
                json!(object),
                json!(io["fieldPath"].as_str().unwrap_or_default()),
                json!(source),
                json!(o["message"].as_str().unwrap_or_default().trim()),
                json!(first),
                json!(count),
                name,
            ]
        }
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
