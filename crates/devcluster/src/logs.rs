//! Pod logs as the kubelet serves them: `container`, `follow`, `tailLines`, `sinceSeconds`,
//! `sinceTime`, `timestamps`, `previous`, `limitBytes`. Content comes from the traffic model.

use std::collections::HashMap;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::Response;
use serde_json::Value;

use crate::registry;
use crate::status::ApiError;
use crate::traffic::PodTraffic;
use crate::workloads::Workloads;

/// The kubelet keeps about this much log per container (rotation).
const RETAINED_BYTES: usize = 10 * 1024 * 1024;
/// Lines older than this are rotated away.
const RETAINED_SECONDS: i64 = 6 * 3600;

fn ts(s: &str) -> Option<i64> {
    s.parse::<jiff::Timestamp>().ok().map(|t| t.as_second())
}

fn klog_time(second: i64, micros: u32) -> String {
    let t = jiff::Timestamp::from_second(second).unwrap_or_default();
    format!("{}.{:06}", t.strftime("%m%d %H:%M:%S"), micros)
}

/// Lines written in one second: (nanosecond offset, text).
pub fn lines_of_second(
    traffic: &PodTraffic,
    pod: &Value,
    second: i64,
    started: i64,
) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let name = pod["metadata"]["name"].as_str().unwrap_or_default();
    let ns = pod["metadata"]["namespace"].as_str().unwrap_or_default();
    let instance = pod["metadata"]["labels"]["app.kubernetes.io/instance"]
        .as_str()
        .unwrap_or_default();
    if second == started {
        let k = |us: u32, file: &str, msg: String| {
            (
                us * 1000,
                format!("I{}       7 {file}] {msg}", klog_time(second, us)),
            )
        };
        out.push((
            0,
            "-------------------------------------------------------------------------------"
                .to_string(),
        ));
        out.push((1000, "NGINX Ingress controller".into()));
        out.push((2000, "  Release:       v1.3.1".into()));
        out.push((
            3000,
            "  Build:         92534fa2ae799b502882c8684db13a25cde68155".into(),
        ));
        out.push((
            4000,
            "  Repository:    https://github.com/kubernetes/ingress-nginx".into(),
        ));
        out.push((5000, "  nginx version: nginx/1.19.10".into()));
        out.push((
            6000,
            "-------------------------------------------------------------------------------"
                .into(),
        ));
        out.push(k(
            100_200,
            "main.go:230",
            "\"Creating API client\" host=\"https://10.233.0.1:443\"".into(),
        ));
        out.push(k(210_400, "main.go:274", "\"Running in Kubernetes cluster\" major=\"1\" minor=\"33\" git=\"v1.33.0\" state=\"clean\" commit=\"0000000\" platform=\"linux/amd64\"".into()));
        out.push(k(
            420_330,
            "nginx.go:260",
            "\"Starting NGINX Ingress controller\"".into(),
        ));
        out.push(k(
            431_020,
            "leaderelection.go:248",
            format!(
                "attempting to acquire leader lease {ns}/ingress-controller-leader-{instance}..."
            ),
        ));
        out.push(k(
            520_120,
            "controller.go:168",
            "\"Configuration changes detected, backend reload required\"".into(),
        ));
        out.push(k(
            640_870,
            "controller.go:185",
            "\"Backend successfully reloaded\"".into(),
        ));
        out.push(k(
            641_010,
            "controller.go:196",
            "\"Initial sync, sleeping for 1 second\"".into(),
        ));
        out.push(k(700_500, "event.go:285", format!("Event(v1.ObjectReference{{Kind:\"Pod\", Namespace:\"{ns}\", Name:\"{name}\", APIVersion:\"v1\", FieldPath:\"\"}}): type: 'Normal' reason: 'RELOAD' NGINX reload triggered due to a change in configuration")));
        return out;
    }
    let reqs = traffic.requests(second);
    let n = reqs.len().max(1) as u32;
    for (i, r) in reqs.iter().enumerate() {
        let offset = (i as u32 * (1_000_000_000 / n)) + 1;
        if let Some(e) = traffic.error_line(r) {
            out.push((offset, e));
        }
        out.push((offset + 1, traffic.access_line(r)));
    }
    out
}

fn rfc3339_nanos(second: i64, nanos: u32) -> String {
    let t = jiff::Timestamp::from_second(second).unwrap_or_default();
    format!("{}.{:09}Z", t.strftime("%Y-%m-%dT%H:%M:%S"), nanos)
}

fn render(lines: &[(i64, u32, String)], timestamps: bool) -> String {
    let mut s = String::new();
    for (sec, nanos, text) in lines {
        if timestamps {
            s.push_str(&rfc3339_nanos(*sec, *nanos));
            s.push(' ');
        }
        s.push_str(text);
        s.push('\n');
    }
    s
}

/// Collects lines in `[from, to]` (seconds), newest last, keeping at most `tail` lines.
fn collect(
    traffic: &PodTraffic,
    pod: &Value,
    started: i64,
    from: i64,
    to: i64,
    tail: Option<usize>,
) -> Vec<(i64, u32, String)> {
    let mut rev: Vec<(i64, u32, String)> = Vec::new();
    let mut bytes = 0;
    let mut s = to;
    while s >= from.max(started) {
        let mut lines = lines_of_second(traffic, pod, s, started);
        lines.reverse();
        for (nanos, text) in lines {
            bytes += text.len() + 1;
            rev.push((s, nanos, text));
            if tail.is_some_and(|t| rev.len() >= t) || bytes >= RETAINED_BYTES {
                rev.reverse();
                return rev;
            }
        }
        s -= 1;
    }
    rev.reverse();
    rev
}

pub async fn serve(
    w: &Workloads,
    ns: &str,
    name: &str,
    params: &HashMap<String, String>,
) -> Result<Response, ApiError> {
    let pods = registry::id("", "pods");
    let pod = w.store.get(pods, ns, name)?;
    let containers: Vec<String> = pod["spec"]["containers"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect();
    let container = match params.get("container").filter(|c| !c.is_empty()) {
        Some(c) if containers.contains(c) => c.clone(),
        Some(c) => {
            return Err(ApiError::bad_request(format!(
                "container {c} is not valid for pod {name}"
            )))
        }
        None if containers.len() == 1 => containers[0].clone(),
        None => {
            return Err(ApiError::bad_request(format!(
                "a container name must be specified for pod {name}, choose one of: [{}]",
                containers.join(" ")
            )))
        }
    };
    let cstatus = pod["status"]["containerStatuses"]
        .as_array()
        .and_then(|s| s.iter().find(|c| c["name"] == container.as_str()))
        .cloned();
    let Some(cstatus) = cstatus.filter(|_| pod["status"]["phase"] == "Running") else {
        return Err(ApiError::bad_request(format!(
            "container \"{container}\" in pod \"{name}\" is waiting to start: ContainerCreating"
        )));
    };
    let flag = |k: &str| params.get(k).is_some_and(|v| v == "true" || v == "1");
    let previous = flag("previous");
    // a container that is not running (OOMKilled, CrashLoopBackOff): the kubelet serves the
    // log of its last instance, which does not grow
    let stopped = (!cstatus["state"]["running"].is_object()).then(|| {
        if cstatus["state"]["terminated"].is_object() {
            cstatus["state"]["terminated"].clone()
        } else {
            cstatus["lastState"]["terminated"].clone()
        }
    });
    if let Some(t) = &stopped {
        if !previous && !t.is_object() {
            let reason = cstatus["state"]["waiting"]["reason"]
                .as_str()
                .unwrap_or("ContainerCreating");
            return Err(ApiError::bad_request(format!(
                "container \"{container}\" in pod \"{name}\" is waiting to start: {reason}"
            )));
        }
    }
    let follow = flag("follow") && !previous && stopped.is_none();
    let timestamps = flag("timestamps");
    let traffic = w.pod_traffic(&pod);
    let now = jiff::Timestamp::now().as_second();
    let (started, until) = if previous {
        let last = &cstatus["lastState"]["terminated"];
        let (Some(s), Some(f)) = (
            last["startedAt"].as_str().and_then(ts),
            last["finishedAt"].as_str().and_then(ts),
        ) else {
            return Err(ApiError::bad_request(format!(
                "previous terminated container \"{container}\" in pod \"{name}\" not found"
            )));
        };
        (s - 600, f)
    } else if let Some(t) = &stopped {
        let (Some(s), Some(f)) = (
            t["startedAt"].as_str().and_then(ts),
            t["finishedAt"].as_str().and_then(ts),
        ) else {
            return Err(ApiError::bad_request(format!(
                "container \"{container}\" in pod \"{name}\" is terminated"
            )));
        };
        (s, f)
    } else {
        let s = cstatus["state"]["running"]["startedAt"]
            .as_str()
            .and_then(ts)
            .unwrap_or(now);
        (s, now)
    };
    let mut from = started.max(until - RETAINED_SECONDS);
    if let Some(s) = params.get("sinceSeconds") {
        let n: i64 = s
            .parse()
            .map_err(|_| ApiError::bad_request(format!("invalid sinceSeconds {s:?}")))?;
        if n <= 0 {
            return Err(ApiError::invalid(
                registry::get(pods),
                name,
                vec![crate::status::Cause::invalid(
                    "sinceSeconds",
                    s,
                    "must be greater than 0",
                )],
            ));
        }
        from = from.max(now - n);
    } else if let Some(t) = params.get("sinceTime") {
        from = from
            .max(ts(t).ok_or_else(|| ApiError::bad_request(format!("invalid sinceTime {t:?}")))?);
    }
    let tail = match params.get("tailLines") {
        Some(t) => Some(
            t.parse::<i64>()
                .map_err(|_| ApiError::bad_request(format!("invalid tailLines {t:?}")))?
                .max(0) as usize,
        ),
        None => None,
    };
    let limit = params
        .get("limitBytes")
        .and_then(|l| l.parse::<usize>().ok());
    let history = if tail == Some(0) {
        Vec::new()
    } else {
        collect(&traffic, &pod, started, from, until, tail)
    };
    let mut text = render(&history, timestamps);
    if let Some(l) = limit {
        if text.len() > l {
            let mut cut = l;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
    }
    if !follow {
        let mut r = Response::new(Body::from(text));
        r.headers_mut()
            .insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        return Ok(r);
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(16);
    let store = w.store.clone();
    let (ns, name, uid) = (
        ns.to_string(),
        name.to_string(),
        pod["metadata"]["uid"].clone(),
    );
    tokio::spawn(async move {
        let mut sent = text.len();
        if tx.send(Ok(Bytes::from(text))).await.is_err() {
            return;
        }
        let mut last = until;
        loop {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                _ = tx.closed() => return,
            }
            let current = store.try_get(pods, &ns, &name);
            if current.as_ref().is_none_or(|p| p["metadata"]["uid"] != uid) {
                return;
            }
            let now = jiff::Timestamp::now().as_second();
            while last < now {
                last += 1;
                let lines: Vec<(i64, u32, String)> = lines_of_second(&traffic, &pod, last, started)
                    .into_iter()
                    .map(|(n, t)| (last, n, t))
                    .collect();
                if lines.is_empty() {
                    continue;
                }
                let chunk = render(&lines, timestamps);
                if limit.is_some_and(|l| sent + chunk.len() > l) {
                    return;
                }
                sent += chunk.len();
                if tx.send(Ok(Bytes::from(chunk))).await.is_err() {
                    return;
                }
            }
        }
    });
    let mut r = Response::new(Body::from_stream(
        tokio_stream::wrappers::ReceiverStream::new(rx),
    ));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
    Ok(r)
}
