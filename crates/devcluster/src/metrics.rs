//! The Prometheus text exposition of an ingress-nginx controller pod, counting exactly the
//! requests of the traffic model (the ones its logs show).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use crate::traffic::PodTraffic;
use crate::workloads::Workloads;

const TIME_BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
const LENGTH_BUCKETS: [f64; 10] = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0];
const SIZE_BUCKETS: [f64; 7] = [10.0, 100.0, 1000.0, 10000.0, 100000.0, 1e6, 1e7];

#[derive(Default, Clone)]
struct Histogram {
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, buckets: &[f64], v: f64) {
        if self.counts.is_empty() {
            self.counts = vec![0; buckets.len()];
        }
        for (i, b) in buckets.iter().enumerate() {
            if v <= *b {
                self.counts[i] += 1;
            }
        }
        self.sum += v;
        self.count += 1;
    }
}

#[derive(Default, Clone)]
struct Series {
    requests: u64,
    duration: Histogram,
    upstream: Histogram,
    request_size: Histogram,
    response_size: Histogram,
    bytes_sent: Histogram,
}

#[derive(Default, Clone)]
struct PodCounters {
    /// Seconds up to and including this one are counted.
    through: i64,
    series: BTreeMap<Vec<(String, String)>, Series>,
    requests_total: u64,
}

fn cache() -> &'static Mutex<HashMap<String, PodCounters>> {
    static C: OnceLock<Mutex<HashMap<String, PodCounters>>> = OnceLock::new();
    C.get_or_init(|| Mutex::new(HashMap::new()))
}

fn advance(c: &mut PodCounters, traffic: &PodTraffic, started: i64, now: i64) {
    if c.through == 0 {
        c.through = started.max(now - 86_400);
    }
    while c.through < now {
        c.through += 1;
        for r in traffic.requests(c.through) {
            let route = &traffic.routes[r.route];
            let labels = vec![
                ("canary".to_string(), String::new()),
                ("host".into(), route.host.clone()),
                ("ingress".into(), route.ingress.clone()),
                ("method".into(), r.method.to_string()),
                ("namespace".into(), route.namespace.clone()),
                ("path".into(), route.path.clone()),
                ("service".into(), route.service.clone()),
                ("status".into(), r.status.to_string()),
            ];
            let s = c.series.entry(labels).or_default();
            s.requests += 1;
            s.duration.observe(&TIME_BUCKETS, r.request_time);
            if !matches!(r.status, 502 | 503) {
                s.upstream.observe(&TIME_BUCKETS, r.request_time);
            }
            s.request_size
                .observe(&LENGTH_BUCKETS, r.request_length as f64);
            s.response_size
                .observe(&LENGTH_BUCKETS, (r.body_bytes + 200) as f64);
            s.bytes_sent
                .observe(&SIZE_BUCKETS, (r.body_bytes + 200) as f64);
            c.requests_total += 1;
        }
    }
}

fn fmt_labels(labels: &[(String, String)]) -> String {
    labels
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}=\"{}\"",
                v.replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace('\n', "\\n")
            )
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn fmt_f(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// The `/metrics` body of a controller pod.
pub fn render(w: &Workloads, pod: &Value) -> String {
    let traffic = w.pod_traffic(pod);
    let name = pod["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let ns = pod["metadata"]["namespace"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let uid = pod["metadata"]["uid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let started = pod["status"]["startTime"]
        .as_str()
        .and_then(|s| s.parse::<jiff::Timestamp>().ok())
        .map_or(0, |t| t.as_second());
    let now = jiff::Timestamp::now().as_second();
    let counters = {
        let mut cache = cache().lock().unwrap();
        let c = cache.entry(uid).or_default();
        advance(c, &traffic, started, now);
        c.clone()
    };
    let konst = [
        (
            "controller_class".to_string(),
            "k8s.io/ingress-nginx".to_string(),
        ),
        ("controller_namespace".into(), ns.clone()),
        ("controller_pod".into(), name.clone()),
    ];
    let with = |extra: &[(String, String)]| {
        let mut l: Vec<(String, String)> =
            konst.iter().cloned().chain(extra.iter().cloned()).collect();
        l.sort();
        fmt_labels(&l)
    };
    let mut out = String::new();
    let p = "nginx_ingress_controller";
    let _ = writeln!(
        out,
        "# HELP {p}_requests The total number of client requests\n# TYPE {p}_requests counter"
    );
    for (labels, s) in &counters.series {
        let _ = writeln!(out, "{p}_requests{{{}}} {}", with(labels), s.requests);
    }
    let hist = |out: &mut String,
                family: &str,
                help: &str,
                buckets: &[f64],
                pick: &dyn Fn(&Series) -> &Histogram| {
        let _ = writeln!(
            out,
            "# HELP {p}_{family} {help}\n# TYPE {p}_{family} histogram"
        );
        for (labels, s) in &counters.series {
            let h = pick(s);
            if h.count == 0 {
                continue;
            }
            for (i, b) in buckets.iter().enumerate() {
                let mut l = labels.clone();
                l.push(("le".into(), fmt_f(*b)));
                let _ = writeln!(out, "{p}_{family}_bucket{{{}}} {}", with(&l), h.counts[i]);
            }
            let mut l = labels.clone();
            l.push(("le".into(), "+Inf".into()));
            let _ = writeln!(out, "{p}_{family}_bucket{{{}}} {}", with(&l), h.count);
            let _ = writeln!(
                out,
                "{p}_{family}_sum{{{}}} {}",
                with(labels),
                fmt_f((h.sum * 1000.0).round() / 1000.0)
            );
            let _ = writeln!(out, "{p}_{family}_count{{{}}} {}", with(labels), h.count);
        }
    };
    hist(
        &mut out,
        "request_duration_seconds",
        "The request processing time in milliseconds",
        &TIME_BUCKETS,
        &|s| &s.duration,
    );
    hist(
        &mut out,
        "response_duration_seconds",
        "The time spent on receiving the response from the upstream server",
        &TIME_BUCKETS,
        &|s| &s.upstream,
    );
    hist(
        &mut out,
        "request_size",
        "The request length (including request line, header, and request body)",
        &LENGTH_BUCKETS,
        &|s| &s.request_size,
    );
    hist(
        &mut out,
        "response_size",
        "The response length (including request line, header, and request body)",
        &LENGTH_BUCKETS,
        &|s| &s.response_size,
    );
    hist(
        &mut out,
        "bytes_sent",
        "The number of bytes sent to a client",
        &SIZE_BUCKETS,
        &|s| &s.bytes_sent,
    );
    let k = with(&[]);
    let uptime = (now - started).max(1) as f64;
    let gauges: [(&str, &str, &str, String); 8] = [
        (
            "nginx_process_num_procs",
            "gauge",
            "number of processes",
            "5".into(),
        ),
        (
            "nginx_process_cpu_seconds_total",
            "counter",
            "Cpu usage in seconds",
            fmt_f((uptime * 0.004 + counters.requests_total as f64 * 0.0002).round()),
        ),
        (
            "nginx_process_resident_memory_bytes",
            "gauge",
            "number of bytes of memory in use",
            format!("{}", 120_000_000 + (counters.requests_total % 5000) * 1000),
        ),
        (
            "nginx_process_requests_total",
            "counter",
            "total number of client requests",
            counters.requests_total.to_string(),
        ),
        (
            "config_last_reload_successful",
            "gauge",
            "Whether the last configuration reload attempt was successful",
            "1".into(),
        ),
        (
            "config_last_reload_successful_timestamp_seconds",
            "gauge",
            "Timestamp of the last successful configuration reload.",
            started.to_string(),
        ),
        (
            "success",
            "counter",
            "Cumulative number of Ingress controller reload operations",
            "1".into(),
        ),
        (
            "errors",
            "counter",
            "Cumulative number of Ingress controller errors during reload operations",
            "0".into(),
        ),
    ];
    for (n, t, h, v) in gauges {
        let _ = writeln!(
            out,
            "# HELP {p}_{n} {h}\n# TYPE {p}_{n} {t}\n{p}_{n}{{{k}}} {v}"
        );
    }
    let _ = writeln!(out, "# HELP {p}_nginx_process_connections current number of client connections with state {{active, reading, writing, waiting}}\n# TYPE {p}_nginx_process_connections gauge");
    let rate = traffic.rate(now);
    for (state, v) in [
        ("active", rate * 3.0),
        ("reading", 0.0),
        ("writing", rate.max(1.0)),
        ("waiting", rate * 2.0),
    ] {
        let _ = writeln!(
            out,
            "{p}_nginx_process_connections{{{}}} {}",
            with(&[("state".into(), state.into())]),
            v.round()
        );
    }
    let _ = writeln!(out, "# HELP {p}_build_info A metric with a constant '1' labeled with information about the build.\n# TYPE {p}_build_info gauge");
    let _ = writeln!(
        out,
        "{p}_build_info{{{}}} 1",
        with(&[
            (
                "build".into(),
                "92534fa2ae799b502882c8684db13a25cde68155".into()
            ),
            ("release".into(), "v1.3.1".into()),
            (
                "repository".into(),
                "https://github.com/kubernetes/ingress-nginx".into()
            )
        ])
    );
    out
}
