//! Pod logs as the kubelet serves them: `container`, `follow`, `tailLines`, `sinceSeconds`,
//! `sinceTime`, `timestamps`, `previous`, `limitBytes`. Content comes from the traffic model.
//!
//! With `--log-lines N` ([`Workloads::log_lines`]) the controller log of a pod with a history
//! (one of the starting scenario's, whose nginx notionally runs since the timeline's origin, as
//! its metrics count) is kept back to its N-th newest access line and at least [`RETAINED_SECONDS`],
//! with no byte limit; that history is found by counting lines ([`PodTraffic::counts`]) and then
//! generated oldest first and streamed in [`CHUNK_BYTES`] chunks, never held whole.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::Response;
use serde_json::Value;

use crate::registry;
use crate::status::ApiError;
use crate::traffic::{access_time, error_time, PodTraffic};
use crate::workloads::Workloads;

/// The kubelet keeps about this much log per container (rotation).
const RETAINED_BYTES: usize = 10 * 1024 * 1024;
/// Lines older than this are rotated away.
pub const RETAINED_SECONDS: i64 = 6 * 3600;
/// A streamed history is sent in chunks of about this size.
pub const CHUNK_BYTES: usize = 64 * 1024;
/// A cached history is sent in slices of this size.
const SLICE_BYTES: usize = 256 * 1024;
/// At most this many backdated histories are kept rendered.
const CACHED: usize = 4;

/// Backdated histories (`--log-lines`) as rendered the first time they were asked for, so that
/// serving one again (a benchmark's every run) costs copies, not formatting: ~55 MB per
/// 200,000 lines, at most [`CACHED`] of them (pod × with/without timestamps), oldest dropped.
#[derive(Default)]
pub struct Cache {
    entries: std::sync::Mutex<Vec<(CacheKey, std::sync::Arc<Rendered>)>>,
}

/// Pod uid, with timestamps, and a fingerprint of its traffic model (its routes change with
/// its Ingresses).
type CacheKey = (String, bool, u64);

impl Cache {
    fn get(&self, key: &CacheKey) -> Option<std::sync::Arc<Rendered>> {
        let entries = self.entries.lock().unwrap();
        entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, r)| r.clone())
    }

    fn put(&self, key: CacheKey, rendered: std::sync::Arc<Rendered>) {
        let mut entries = self.entries.lock().unwrap();
        entries.retain(|(k, _)| *k != key);
        if entries.len() >= CACHED {
            entries.remove(0);
        }
        entries.push((key, rendered));
    }
}

/// The lines of the seconds `first..end`, rendered.
pub struct Rendered {
    first: i64,
    /// Where each second's lines begin in `text`, and (last) its length.
    offsets: Vec<usize>,
    /// [`line_counts`] of each second.
    counts: Vec<(u32, u32)>,
    text: Bytes,
}

impl Rendered {
    /// Renders the seconds `first..=last`.
    pub fn new(
        traffic: &PodTraffic,
        pod: &Value,
        started: i64,
        first: i64,
        last: i64,
        timestamps: bool,
    ) -> Rendered {
        let seconds = (last - first + 1).max(0) as usize;
        let mut text = String::new();
        let mut offsets = Vec::with_capacity(seconds + 1);
        let mut counts = Vec::with_capacity(seconds);
        for s in first..=last {
            offsets.push(text.len());
            let (n, a) = line_counts(traffic, pod, s, started);
            counts.push((n as u32, a as u32));
            render_second(&mut text, traffic, pod, s, started, timestamps, 0);
        }
        offsets.push(text.len());
        Rendered {
            first,
            offsets,
            counts,
            text: Bytes::from(text),
        }
    }

    /// [`line_counts`] of `second`, if rendered.
    fn counts(&self, second: i64) -> Option<(u64, u64)> {
        let i = usize::try_from(second - self.first).ok()?;
        self.counts.get(i).map(|&(n, a)| (n as u64, a as u64))
    }

    /// The first second not rendered.
    pub fn end(&self) -> i64 {
        self.first + self.offsets.len() as i64 - 1
    }

    /// The rendered lines from `second` on, without its first `skip` lines (`second` must lie in
    /// `first..end`).
    pub fn from(&self, second: i64, skip: usize) -> Bytes {
        let i = (second - self.first) as usize;
        let (mut at, end) = (self.offsets[i], self.offsets[i + 1]);
        for _ in 0..skip {
            match self.text[at..end].iter().position(|&b| b == b'\n') {
                Some(n) => at += n + 1,
                None => at = end,
            }
        }
        self.text.slice(at..)
    }
}

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
    if reqs.is_empty() {
        return out;
    }
    out.reserve(reqs.len());
    // formatted once per second: thousands of lines share them at high rates
    let time = access_time(second);
    let mut etime: Option<String> = None;
    let n = reqs.len() as u32;
    for (i, r) in reqs.iter().enumerate() {
        let offset = (i as u32 * (1_000_000_000 / n)) + 1;
        if matches!(r.status, 502 | 504) {
            let t = etime.get_or_insert_with(|| error_time(second));
            if let Some(e) = traffic.error_line_at(r, t) {
                out.push((offset, e));
            }
        }
        out.push((offset + 1, traffic.access_line_at(r, &time)));
    }
    out
}

/// How many lines [`lines_of_second`] returns and how many of them are access lines, without
/// building them (except for the start-up second).
pub fn line_counts(traffic: &PodTraffic, pod: &Value, second: i64, started: i64) -> (u64, u64) {
    if second == started {
        return (
            lines_of_second(traffic, pod, second, started).len() as u64,
            0,
        );
    }
    let (requests, errors) = traffic.counts(second);
    (requests + errors, requests)
}

/// Appends the lines of `second` but its first `skip` to `out`, as [`render`] does.
fn render_second(
    out: &mut String,
    traffic: &PodTraffic,
    pod: &Value,
    second: i64,
    started: i64,
    timestamps: bool,
    skip: usize,
) {
    let lines = lines_of_second(traffic, pod, second, started);
    if lines.len() <= skip {
        return;
    }
    let prefix = timestamps.then(|| {
        jiff::Timestamp::from_second(second)
            .unwrap_or_default()
            .strftime("%Y-%m-%dT%H:%M:%S")
            .to_string()
    });
    for (nanos, text) in &lines[skip..] {
        if let Some(p) = &prefix {
            let _ = write!(out, "{p}.{nanos:09}Z ");
        }
        out.push_str(text);
        out.push('\n');
    }
}

/// Where a backdated history (`--log-lines`) begins: `(second, lines of it to skip)`.
///
/// Walks back from `until` to `lower` (inclusive) and stops at the first second that both keeps
/// [`RETAINED_SECONDS`] and holds `min_access` access lines, or that completes `tail` lines.
pub fn backdated_start(
    traffic: &PodTraffic,
    pod: &Value,
    started: i64,
    lower: i64,
    until: i64,
    min_access: u64,
    tail: Option<usize>,
) -> (i64, usize) {
    backdated_start_with(
        |s| line_counts(traffic, pod, s, started),
        lower,
        until,
        min_access,
        tail,
    )
}

/// [`backdated_start`] with the [`line_counts`] of each second from `count`.
fn backdated_start_with(
    count: impl Fn(i64) -> (u64, u64),
    lower: i64,
    until: i64,
    min_access: u64,
    tail: Option<usize>,
) -> (i64, usize) {
    let keep_from = until - RETAINED_SECONDS;
    let (mut total, mut access) = (0u64, 0u64);
    let mut s = until;
    while s > lower {
        let (n, a) = count(s);
        total += n;
        access += a;
        if let Some(t) = tail {
            if total >= t as u64 {
                return (s, (total - t as u64) as usize);
            }
        }
        if s <= keep_from && access >= min_access {
            return (s, 0);
        }
        s -= 1;
    }
    if let Some(t) = tail {
        let (n, _) = count(lower);
        total += n;
        if total > t as u64 {
            return (lower, (total - t as u64) as usize);
        }
    }
    (lower, 0)
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

/// `drop_after` (the `watch-drop` fault): a followed log is closed after this long, as a proxy
/// or API server restart would, so that clients must resume.
pub async fn serve(
    w: &Workloads,
    ns: &str,
    name: &str,
    params: &HashMap<String, String>,
    drop_after: Option<Duration>,
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
    // --log-lines: a pod of the starting scenario keeps a backdated history (its nginx runs since
    // the timeline's origin, where its metrics count from)
    let backdated = w
        .log_lines
        .filter(|_| !previous && stopped.is_none() && w.has_history(&pod));
    let started = if backdated.is_some() {
        w.timeline.origin.min(started)
    } else {
        started
    };
    let mut from = started.max(until - RETAINED_SECONDS);
    let mut lower = started;
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
        lower = lower.max(now - n);
    } else if let Some(t) = params.get("sinceTime") {
        let t = ts(t).ok_or_else(|| ApiError::bad_request(format!("invalid sinceTime {t:?}")))?;
        from = from.max(t);
        lower = lower.max(t);
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
    let history = match backdated {
        _ if tail == Some(0) => History::Text(String::new()),
        Some(n) => {
            let key = (
                pod["metadata"]["uid"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                timestamps,
                crate::traffic::hash_str(&format!("{:?}|{}", traffic.routes, traffic.peak_rps)),
            );
            let cached = match w.log_cache.get(&key) {
                Some(c) => c,
                None => {
                    // the whole retained log (later windows begin no earlier: rotation)
                    let (begin, _) =
                        backdated_start(&traffic, &pod, started, started, until, n, None);
                    let (t, p) = (traffic.clone(), pod.clone());
                    let rendered = tokio::task::spawn_blocking(move || {
                        Rendered::new(&t, &p, started, begin, until, timestamps)
                    })
                    .await
                    .map_err(|e| ApiError::internal(format!("rendering the log: {e}")))?;
                    let rendered = std::sync::Arc::new(rendered);
                    w.log_cache.put(key, rendered.clone());
                    rendered
                }
            };
            let (first, skip) = backdated_start_with(
                |s| {
                    cached
                        .counts(s)
                        .unwrap_or_else(|| line_counts(&traffic, &pod, s, started))
                },
                lower,
                until,
                n,
                tail,
            );
            History::Stream {
                first,
                skip,
                cached,
            }
        }
        None => {
            let mut text = render(
                &collect(&traffic, &pod, started, from, until, tail),
                timestamps,
            );
            if let Some(l) = limit {
                truncate(&mut text, l);
            }
            History::Text(text)
        }
    };
    let text_response = |body: Body| {
        let mut r = Response::new(body);
        r.headers_mut()
            .insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        r
    };
    let history = match (history, follow) {
        (History::Text(text), false) => return Ok(text_response(Body::from(text))),
        (history, _) => history,
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(16);
    let store = w.store.clone();
    let (ns, name, uid) = (
        ns.to_string(),
        name.to_string(),
        pod["metadata"]["uid"].clone(),
    );
    tokio::spawn(async move {
        let mut sent = 0;
        match history {
            History::Text(text) => {
                sent = text.len();
                if tx.send(Ok(Bytes::from(text))).await.is_err() {
                    return;
                }
            }
            History::Stream {
                first,
                mut skip,
                cached,
            } => {
                let mut first = first;
                if (cached.first..cached.end()).contains(&first) {
                    let mut text = cached.from(first, skip);
                    let mut cut = false;
                    if let Some(l) = limit {
                        let mut room = l.saturating_sub(sent);
                        if text.len() >= room {
                            // at a character boundary
                            while room > 0 && room < text.len() && text[room] & 0xC0 == 0x80 {
                                room -= 1;
                            }
                            text.truncate(room);
                            cut = true;
                        }
                    }
                    while !text.is_empty() {
                        let slice = text.split_to(text.len().min(SLICE_BYTES));
                        sent += slice.len();
                        if tx.send(Ok(slice)).await.is_err() {
                            return;
                        }
                    }
                    if cut {
                        return;
                    }
                    first = cached.end();
                    skip = 0;
                }
                let mut buf = String::with_capacity(CHUNK_BYTES + 8 * 1024);
                for s in first..=until {
                    render_second(&mut buf, &traffic, &pod, s, started, timestamps, skip);
                    skip = 0;
                    if buf.len() < CHUNK_BYTES && s < until {
                        continue;
                    }
                    let mut chunk =
                        std::mem::replace(&mut buf, String::with_capacity(CHUNK_BYTES + 8 * 1024));
                    let cut = limit.is_some_and(|l| {
                        let room = l.saturating_sub(sent);
                        truncate(&mut chunk, room);
                        chunk.len() == room
                    });
                    sent += chunk.len();
                    if !chunk.is_empty() && tx.send(Ok(Bytes::from(chunk))).await.is_err() {
                        return;
                    }
                    if cut {
                        return;
                    }
                }
            }
        }
        if !follow {
            return;
        }
        let mut last = until;
        let drop_at = drop_after.map(|d| std::time::Instant::now() + d);
        loop {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                _ = tx.closed() => return,
            }
            if drop_at.is_some_and(|at| std::time::Instant::now() >= at) {
                return;
            }
            let current = store.try_get(pods, &ns, &name);
            if current.as_ref().is_none_or(|p| p["metadata"]["uid"] != uid) {
                return;
            }
            let now = jiff::Timestamp::now().as_second();
            while last < now {
                last += 1;
                let mut chunk = String::new();
                render_second(&mut chunk, &traffic, &pod, last, started, timestamps, 0);
                if chunk.is_empty() {
                    continue;
                }
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
    Ok(text_response(Body::from_stream(
        tokio_stream::wrappers::ReceiverStream::new(rx),
    )))
}

/// What is sent before a follow goes live.
enum History {
    /// The retained log, rendered (at most [`RETAINED_BYTES`]).
    Text(String),
    /// A backdated history (`--log-lines`): from `first` (without its first `skip` lines) to
    /// the request's second, from `cached` as far as it goes, then generated while it is sent.
    Stream {
        first: i64,
        skip: usize,
        cached: std::sync::Arc<Rendered>,
    },
}

/// Cuts `text` to at most `limit` bytes (at a character boundary).
fn truncate(text: &mut String, limit: usize) {
    if text.len() > limit {
        let mut cut = limit;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::{Incidents, Route, SCHEDULED_BURST_SHARE};

    fn model(fixed_rate: Option<(i64, f64)>) -> (PodTraffic, Value) {
        let traffic = PodTraffic {
            seed: 1,
            pod: "kubesphere-router-demo-7c9f-x2x2q".into(),
            routes: vec![Route {
                namespace: "demo".into(),
                ingress: "shop".into(),
                host: "shop.example.com".into(),
                path: "/".into(),
                service: "shop-web".into(),
                port: 80,
                weight: 1.0,
            }],
            peak_rps: 6.0,
            tls: Vec::new(),
            incidents: std::sync::Arc::new(Incidents {
                bursts: vec![(1_700_000_100, 1_700_000_400, SCHEDULED_BURST_SHARE)],
                ..Default::default()
            }),
            fixed_rate,
        };
        let pod = serde_json::json!({"metadata": {"name": "kubesphere-router-demo-7c9f-x2x2q", "namespace": "kubesphere-controls-system", "labels": {"app.kubernetes.io/instance": "kubesphere-router-demo-ingress"}}});
        (traffic, pod)
    }

    #[test]
    fn counted_lines_are_the_generated_ones() {
        let (traffic, pod) = model(None);
        let started = 1_700_000_000;
        for s in started..started + 500 {
            let lines = lines_of_second(&traffic, &pod, s, started);
            let access = lines
                .iter()
                .filter(|(_, l)| !l.contains("[error]") && l.contains("HTTP/1.1\" "))
                .count();
            assert_eq!(
                line_counts(&traffic, &pod, s, started),
                (lines.len() as u64, access as u64),
                "{s}"
            );
        }
    }

    #[test]
    fn a_backdated_history_starts_where_the_lines_add_up() {
        let (traffic, pod) = model(Some((1_700_050_000, 2000.0)));
        let (origin, until) = (1_699_000_000, 1_700_050_010);
        let count = |from: i64, skip: usize| {
            let mut s = String::new();
            for (i, second) in (from..=until).enumerate() {
                render_second(
                    &mut s,
                    &traffic,
                    &pod,
                    second,
                    origin,
                    true,
                    if i == 0 { skip } else { 0 },
                );
            }
            s
        };
        // a tail: exactly that many lines, ordered
        let (first, skip) = backdated_start(&traffic, &pod, origin, origin, until, 1, Some(30_000));
        let text = count(first, skip);
        assert_eq!(text.lines().count(), 30_000);
        let stamps: Vec<&str> = text.lines().map(|l| l.split_once(' ').unwrap().0).collect();
        assert!(stamps.windows(2).all(|w| w[0] < w[1]));
        // of which the 11 seconds since 1_700_050_000 have 2,000 access lines each
        let fast = text
            .lines()
            .filter(|l| &l[..19] >= "2023-11-15T12:06:40" && !l.contains("[error]"))
            .count();
        assert_eq!(fast, 22_000);
        // --log-lines alone: at least 6 h (here: more than 100,000 access lines)…
        let access_from = |first: i64| -> u64 {
            (first..=until)
                .map(|s| line_counts(&traffic, &pod, s, origin).1)
                .sum()
        };
        let (first, skip) = backdated_start(&traffic, &pod, origin, origin, until, 100_000, None);
        assert_eq!((first, skip), (until - RETAINED_SECONDS, 0));
        assert!(access_from(first) >= 100_000);
        // …and back to the N-th newest access line (the whole seconds)
        let (first, skip) = backdated_start(&traffic, &pod, origin, origin, until, 300_000, None);
        assert_eq!(skip, 0);
        assert!(first < until - RETAINED_SECONDS);
        let access = access_from(first);
        assert!((300_000..300_020).contains(&access), "{access}");
        assert!(access_from(first + 1) < 300_000);
        // bounded by the lower end (the log's beginning or sinceTime)
        let (first, skip) =
            backdated_start(&traffic, &pod, origin, until - 5, until, 100_000, None);
        assert_eq!((first, skip), (until - 5, 0));
        let (first, skip) = backdated_start(
            &traffic,
            &pod,
            origin,
            until - 5,
            until,
            100_000,
            Some(1_000_000),
        );
        assert_eq!((first, skip), (until - 5, 0));
    }
}
