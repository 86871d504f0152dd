//! The Prometheus exposition of an ingress-nginx controller pod (v1.3.1 names and labels,
//! `docs`: ../shared/reference/ingress-nginx-telemetry.md) and of the kubelet's cAdvisor for its
//! containers. Live, the request families count exactly the requests of the traffic model (the
//! ones its logs show); for the history ([`crate::history`]) the same state is advanced by
//! expected counts. [`samples`] and [`cadvisor_samples`] serve both.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::history::{
    Dist, ReloadState, CONTROLLER_CPU_IDLE, CONTROLLER_CPU_PER_REQUEST, NGINX_CPU_IDLE,
    NGINX_CPU_PER_REQUEST,
};
use crate::traffic::{hash_str, mix, unit, PodTraffic, Route};

pub const TIME_BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
pub const LENGTH_BUCKETS: [f64; 10] = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0];
pub const SIZE_BUCKETS: [f64; 7] = [10.0, 100.0, 1000.0, 10000.0, 100000.0, 1e6, 1e7];

/// `--controller-class` (the `controller_class` and `class` labels).
pub const CONTROLLER_CLASS: &str = "k8s.io/ingress-nginx";

/// A histogram's cumulative bucket counts (fractional while they come from expected counts:
/// exposed rounded down, which keeps them monotonic), sum and count.
#[derive(Default, Clone, Debug)]
pub struct Histogram {
    pub counts: Vec<f64>,
    pub sum: f64,
    pub count: f64,
}

impl Histogram {
    fn ensure(&mut self, n: usize) {
        if self.counts.is_empty() {
            self.counts = vec![0.0; n];
        }
    }

    pub fn observe(&mut self, buckets: &[f64], v: f64) {
        self.ensure(buckets.len());
        for (i, b) in buckets.iter().enumerate() {
            if v <= *b {
                self.counts[i] += 1.0;
            }
        }
        self.sum += v;
        self.count += 1.0;
    }

    /// `n` observations distributed as `dist`.
    pub fn add(&mut self, dist: &Dist, n: f64) {
        self.ensure(dist.fractions.len());
        for (c, f) in self.counts.iter_mut().zip(&dist.fractions) {
            *c += n * f.clamp(0.0, 1.0);
        }
        self.sum += n * dist.mean;
        self.count += n;
    }
}

/// One request series: the request labels but the constant ones.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SeriesKey {
    pub namespace: String,
    pub ingress: String,
    pub host: String,
    pub path: String,
    pub service: String,
    pub status: u16,
    pub method: &'static str,
}

#[derive(Default, Clone, Debug)]
pub struct Series {
    pub requests: f64,
    pub duration: Histogram,
    pub upstream: Histogram,
    pub request_size: Histogram,
    pub response_size: Histogram,
    pub bytes_sent: Histogram,
}

/// A pod's counters up to `through` (Unix seconds, inclusive).
#[derive(Default, Clone, Debug)]
pub struct PodState {
    pub through: i64,
    pub series: BTreeMap<SeriesKey, Series>,
    pub requests_total: f64,
    pub cpu_nginx: f64,
    pub cpu_container: f64,
}

impl PodState {
    /// Zero counters at `t`.
    pub fn starting(t: i64) -> Self {
        PodState {
            through: t,
            ..PodState::default()
        }
    }

    pub fn series_mut(&mut self, route: &Route, status: u16, method: &'static str) -> &mut Series {
        let key = SeriesKey {
            namespace: route.namespace.clone(),
            ingress: route.ingress.clone(),
            host: route.host.clone(),
            path: route.path.clone(),
            service: route.service.clone(),
            status,
            method,
        };
        self.series.entry(key).or_default()
    }

    /// `seconds` of running time serving `requests` requests.
    pub fn add_time(&mut self, seconds: f64, requests: f64) {
        self.requests_total += requests;
        let nginx = seconds * NGINX_CPU_IDLE + requests * NGINX_CPU_PER_REQUEST;
        self.cpu_nginx += nginx;
        self.cpu_container +=
            nginx + seconds * CONTROLLER_CPU_IDLE + requests * CONTROLLER_CPU_PER_REQUEST;
    }

    /// Counts every request of the traffic model up to `to`, second by second (at most the
    /// last day: a longer gap is skipped).
    pub fn advance_exact(&mut self, traffic: &PodTraffic, to: i64) {
        if self.through < to - 86_400 {
            self.through = to - 86_400;
        }
        while self.through < to {
            self.through += 1;
            let reqs = traffic.requests(self.through);
            for r in &reqs {
                let route = &traffic.routes[r.route];
                let s = self.series_mut(route, r.status, r.method);
                s.requests += 1.0;
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
            }
            self.add_time(1.0, reqs.len() as f64);
        }
    }
}

/// A container of a pod, as cAdvisor labels it.
#[derive(Clone, Debug, PartialEq)]
pub struct Container {
    pub name: String,
    /// containerd's id (64 hex digits).
    pub id: String,
    pub image: String,
}

/// Everything the exposition of one controller pod needs besides its counters.
#[derive(Clone, Debug)]
pub struct PodModel {
    pub uid: String,
    pub name: String,
    pub namespace: String,
    pub node: String,
    /// Pod start (Unix seconds).
    pub started: i64,
    /// Counted since the timeline's origin (existed at devcluster's start).
    pub history: bool,
    /// When its nginx master started (the origin for a pod with history).
    pub nginx_started: i64,
    pub traffic: PodTraffic,
    /// The labels Prometheus gives its ingress-nginx target (see [`nginx_target_labels`]).
    pub targets: Vec<(String, String)>,
    pub containers: Vec<Container>,
    /// nginx's resident memory without traffic (bytes).
    pub memory_base: f64,
    /// nginx processes: the master and the workers.
    pub processes: f64,
}

impl PodModel {
    /// A stable description of everything the series of this pod depend on (cache keys).
    pub fn fingerprint(&self) -> String {
        format!(
            "{:?}|{:?}|{}|{}|{:?}|{:?}|{:?}|{}|{}",
            self.targets,
            self.containers,
            self.node,
            self.traffic.pod,
            self.traffic.routes,
            self.traffic.tls,
            self.traffic.peak_rps,
            self.memory_base,
            self.processes
        )
    }
}

/// The labels of a pod's ingress-nginx target, as the chart's ServiceMonitor gives them
/// (prometheus-operator: `job` = the Service, `namespace`, `pod`, `service`, `container`,
/// `endpoint` = the port name, `instance` = pod IP and port).
pub fn nginx_target_labels(
    namespace: &str,
    pod: &str,
    gateway: &str,
    pod_ip: &str,
) -> Vec<(String, String)> {
    let job = gateway_model::names::metrics_job(gateway);
    vec![
        (
            "container".into(),
            gateway_model::names::CONTROLLER_CONTAINER.into(),
        ),
        ("endpoint".into(), "http-metrics".into()),
        (
            "instance".into(),
            format!("{pod_ip}:{}", gateway_model::names::METRICS_PORT),
        ),
        ("job".into(), job.clone()),
        ("namespace".into(), namespace.into()),
        ("pod".into(), pod.into()),
        ("service".into(), job),
    ]
}

/// The labels of a node's kubelet cAdvisor target, as kube-prometheus' ServiceMonitor gives
/// them (it honours the scraped `namespace`/`pod`/`container`; here the target simply has none).
pub fn kubelet_target_labels(node: &str, node_ip: &str) -> Vec<(String, String)> {
    vec![
        ("endpoint".into(), "https-metrics".into()),
        ("instance".into(), format!("{node_ip}:10250")),
        ("job".into(), "kubelet".into()),
        ("metrics_path".into(), "/metrics/cadvisor".into()),
        ("node".into(), node.into()),
        ("service".into(), "kubelet".into()),
    ]
}

/// Metric families: name, type, help (as ingress-nginx and cAdvisor print them).
pub const FAMILIES: [(&str, &str, &str); 25] = [
    ("nginx_ingress_controller_requests", "counter", "The total number of client requests"),
    ("nginx_ingress_controller_request_duration_seconds", "histogram", "The request processing time in milliseconds"),
    ("nginx_ingress_controller_response_duration_seconds", "histogram", "The time spent on receiving the response from the upstream server"),
    ("nginx_ingress_controller_request_size", "histogram", "The request length (including request line, header, and request body)"),
    ("nginx_ingress_controller_response_size", "histogram", "The response length (including request line, header, and request body)"),
    ("nginx_ingress_controller_bytes_sent", "histogram", "The number of bytes sent to a client"),
    ("nginx_ingress_controller_nginx_process_num_procs", "gauge", "number of processes"),
    ("nginx_ingress_controller_nginx_process_cpu_seconds_total", "counter", "Cpu usage in seconds"),
    ("nginx_ingress_controller_nginx_process_resident_memory_bytes", "gauge", "number of bytes of memory in use"),
    ("nginx_ingress_controller_nginx_process_virtual_memory_bytes", "gauge", "number of bytes of memory in use"),
    ("nginx_ingress_controller_nginx_process_oldest_start_time_seconds", "gauge", "start time in seconds since 1970/01/01"),
    ("nginx_ingress_controller_nginx_process_connections_total", "counter", "total number of connections with state {accepted, handled}"),
    ("nginx_ingress_controller_nginx_process_requests_total", "counter", "total number of client requests"),
    ("nginx_ingress_controller_nginx_process_connections", "gauge", "current number of client connections with state {active, reading, writing, waiting}"),
    ("nginx_ingress_controller_build_info", "gauge", "A metric with a constant '1' labeled with information about the build."),
    ("nginx_ingress_controller_config_hash", "gauge", "Running configuration hash actually running"),
    ("nginx_ingress_controller_config_last_reload_successful", "gauge", "Whether the last configuration reload attempt was successful"),
    ("nginx_ingress_controller_config_last_reload_successful_timestamp_seconds", "gauge", "Timestamp of the last successful configuration reload."),
    ("nginx_ingress_controller_success", "counter", "Cumulative number of Ingress controller reload operations"),
    ("nginx_ingress_controller_errors", "counter", "Cumulative number of Ingress controller errors during reload operations"),
    ("nginx_ingress_controller_ssl_expire_time_seconds", "gauge", "Number of seconds since 1970 to the SSL Certificate expire.\\n\t\t\tAn example to check if this certificate will expire in 10 days is: \"nginx_ingress_controller_ssl_expire_time_seconds < (time() + (10 * 24 * 3600))\""),
    ("container_cpu_usage_seconds_total", "counter", "Cumulative cpu time consumed in seconds."),
    ("container_memory_working_set_bytes", "gauge", "Current working set in bytes."),
    ("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds."),
    ("process_resident_memory_bytes", "gauge", "Resident memory size in bytes."),
];

/// Families of the request histograms the Monitoring tab does not chart: the history keeps
/// only their `_sum` and `_count` (live scrapes have every bucket).
pub const HISTORY_WITHOUT_BUCKETS: [usize; 4] = [2, 3, 4, 5];

/// One sample: family (index into [`FAMILIES`]), name suffix, the metric's own labels.
#[derive(Clone, Copy, Debug)]
pub struct Sample<'a> {
    pub family: usize,
    pub suffix: &'static str,
    pub labels: &'a [(&'static str, &'a str)],
    pub value: f64,
}

fn fmt_f(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn escape(v: &str) -> std::borrow::Cow<'_, str> {
    if v.contains(['\\', '"', '\n']) {
        v.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
            .into()
    } else {
        v.into()
    }
}

/// `le` of the buckets as Go prints them (`strconv.FormatFloat(b, 'g', -1, 64)`).
const TIME_LE: [&str; 11] = [
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10",
];
const LENGTH_LE: [&str; 10] = ["10", "20", "30", "40", "50", "60", "70", "80", "90", "100"];
const SIZE_LE: [&str; 7] = ["10", "100", "1000", "10000", "100000", "1e+06", "1e+07"];

fn status_text(status: u16) -> &'static str {
    const KNOWN: [(u16, &str); 14] = [
        (200, "200"),
        (201, "201"),
        (204, "204"),
        (301, "301"),
        (304, "304"),
        (400, "400"),
        (401, "401"),
        (403, "403"),
        (404, "404"),
        (429, "429"),
        (500, "500"),
        (502, "502"),
        (503, "503"),
        (504, "504"),
    ];
    KNOWN
        .iter()
        .find(|(s, _)| *s == status)
        .map_or("500", |(_, t)| t)
}

/// A memory wobble of a pod at `t`, in `[0, 1)`, changing every `period` seconds.
fn wobble(traffic: &PodTraffic, t: i64, period: i64, salt: u64) -> f64 {
    unit(mix(&[
        traffic.seed,
        hash_str(&traffic.pod),
        t.div_euclid(period) as u64,
        salt,
    ]))
}

/// nginx's resident memory at `t`: a per-pod base, growing with the traffic.
pub fn nginx_memory(model: &PodModel, t: i64) -> f64 {
    (model.memory_base + 1.5e6 * model.traffic.rate(t) + 2e6 * wobble(&model.traffic, t, 300, 92))
        .round()
}

/// The `controller` container's working set at `t`: nginx plus the Go controller.
pub fn container_memory(model: &PodModel, t: i64) -> f64 {
    (nginx_memory(model, t) + 38e6 + 3e6 * wobble(&model.traffic, t, 300, 93)).round()
}

/// Current connections by state at `t` (stub_status: active = reading + writing + waiting).
pub fn connections(traffic: &PodTraffic, t: i64) -> [(&'static str, f64); 4] {
    let rate = traffic.rate(t);
    let u = wobble(traffic, t, 15, 91);
    let active = (rate * 3.0 * (0.85 + 0.3 * u)).round().max(1.0);
    let writing = (rate * (0.85 + 0.3 * u)).round().clamp(1.0, active);
    let reading = (u * 1.5).floor().min(active - writing);
    [
        ("active", active),
        ("reading", reading),
        ("writing", writing),
        ("waiting", active - reading - writing),
    ]
}

/// Every ingress-nginx sample of a pod at `t`, in [`FAMILIES`] order.
pub fn samples(
    model: &PodModel,
    state: &PodState,
    reload: &ReloadState,
    t: i64,
    emit: &mut dyn FnMut(Sample<'_>),
) {
    let konst: [(&'static str, &str); 3] = [
        ("controller_class", CONTROLLER_CLASS),
        ("controller_namespace", &model.namespace),
        ("controller_pod", &model.name),
    ];
    fn request_labels<'a>(
        konst: &[(&'static str, &'a str); 3],
        k: &'a SeriesKey,
    ) -> [(&'static str, &'a str); 12] {
        [
            konst[0],
            konst[1],
            konst[2],
            ("canary", ""),
            ("host", k.host.as_str()),
            ("ingress", k.ingress.as_str()),
            ("method", k.method),
            ("namespace", k.namespace.as_str()),
            ("path", k.path.as_str()),
            ("service", k.service.as_str()),
            ("status", status_text(k.status)),
            ("le", ""),
        ]
    }
    for (k, s) in &state.series {
        let l = request_labels(&konst, k);
        emit(Sample {
            family: 0,
            suffix: "",
            labels: &l[..11],
            value: s.requests.floor(),
        });
    }
    type Pick = fn(&Series) -> &Histogram;
    let families: [(usize, &[&str], Pick); 5] = [
        (1, &TIME_LE, |s| &s.duration),
        (2, &TIME_LE, |s| &s.upstream),
        (3, &LENGTH_LE, |s| &s.request_size),
        (4, &LENGTH_LE, |s| &s.response_size),
        (5, &SIZE_LE, |s| &s.bytes_sent),
    ];
    for (family, les, pick) in families {
        for (k, s) in &state.series {
            let h = pick(s);
            if h.count == 0.0 {
                continue;
            }
            let mut l = request_labels(&konst, k);
            for (i, le) in les.iter().enumerate() {
                l[11].1 = le;
                emit(Sample {
                    family,
                    suffix: "_bucket",
                    labels: &l,
                    value: h.counts[i].floor(),
                });
            }
            l[11].1 = "+Inf";
            emit(Sample {
                family,
                suffix: "_bucket",
                labels: &l,
                value: h.count,
            });
            emit(Sample {
                family,
                suffix: "_sum",
                labels: &l[..11],
                value: (h.sum * 1000.0).round() / 1000.0,
            });
            emit(Sample {
                family,
                suffix: "_count",
                labels: &l[..11],
                value: h.count,
            });
        }
    }
    let mut one = |family: usize, value: f64| {
        emit(Sample {
            family,
            suffix: "",
            labels: &konst,
            value,
        })
    };
    let rss = nginx_memory(model, t);
    one(6, model.processes);
    one(7, (state.cpu_nginx * 100.0).floor() / 100.0);
    one(8, rss);
    one(9, (rss * 3.1 + 310e6).round());
    one(10, model.nginx_started as f64);
    let connections_total = (state.requests_total * 0.62).floor();
    for state_name in ["accepted", "handled"] {
        let l = [konst[0], konst[1], konst[2], ("state", state_name)];
        emit(Sample {
            family: 11,
            suffix: "",
            labels: &l,
            value: connections_total,
        });
    }
    emit(Sample {
        family: 12,
        suffix: "",
        labels: &konst,
        value: state.requests_total.floor(),
    });
    for (state_name, v) in connections(&model.traffic, t) {
        let l = [konst[0], konst[1], konst[2], ("state", state_name)];
        emit(Sample {
            family: 13,
            suffix: "",
            labels: &l,
            value: v,
        });
    }
    let build = [
        konst[0],
        konst[1],
        konst[2],
        ("build", "92534fa2ae799b502882c8684db13a25cde68155"),
        ("release", "v1.3.1"),
        ("repository", "https://github.com/kubernetes/ingress-nginx"),
    ];
    emit(Sample {
        family: 14,
        suffix: "",
        labels: &build,
        value: 1.0,
    });
    let mut one = |family: usize, value: f64| {
        emit(Sample {
            family,
            suffix: "",
            labels: &konst,
            value,
        })
    };
    one(15, reload.hash as f64);
    one(16, if reload.last_ok { 1.0 } else { 0.0 });
    one(17, reload.last_success as f64);
    one(18, reload.success as f64);
    one(19, reload.errors as f64);
    for tls in &model.traffic.tls {
        // v1.3.1: no controller_* labels; `namespace` is the controller's
        let l = [
            ("class", CONTROLLER_CLASS),
            ("host", tls.host.as_str()),
            ("namespace", model.namespace.as_str()),
            ("secret_name", tls.secret.as_str()),
        ];
        emit(Sample {
            family: 20,
            suffix: "",
            labels: &l,
            value: tls.not_after as f64,
        });
    }
    // the Go controller process itself
    let go_cpu = (state.cpu_container - state.cpu_nginx).max(0.0);
    emit(Sample {
        family: 23,
        suffix: "",
        labels: &[],
        value: (go_cpu * 100.0).floor() / 100.0,
    });
    emit(Sample {
        family: 24,
        suffix: "",
        labels: &[],
        value: (container_memory(model, t) - rss).max(0.0),
    });
}

/// cAdvisor's samples for the containers of a pod at `t` (the first container serves the
/// traffic; others idle), `family` picking CPU (21) or memory (22).
pub fn cadvisor_samples(
    model: &PodModel,
    state: &PodState,
    t: i64,
    family: usize,
    emit: &mut dyn FnMut(Sample<'_>),
) {
    let uid = model.uid.replace('-', "_");
    for (i, c) in model.containers.iter().enumerate() {
        let id = format!(
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{uid}.slice/cri-containerd-{}.scope",
            c.id
        );
        let (cpu, memory) = if i == 0 {
            (state.cpu_container, container_memory(model, t))
        } else {
            let running = (t - model.started).max(0) as f64;
            (running * 0.0005, 12e6)
        };
        if family == 21 {
            let l = [
                ("container", c.name.as_str()),
                ("cpu", "total"),
                ("id", id.as_str()),
                ("image", c.image.as_str()),
                ("name", c.id.as_str()),
                ("namespace", model.namespace.as_str()),
                ("pod", model.name.as_str()),
            ];
            emit(Sample {
                family,
                suffix: "",
                labels: &l,
                value: (cpu * 1000.0).floor() / 1000.0,
            });
        } else {
            let l = [
                ("container", c.name.as_str()),
                ("id", id.as_str()),
                ("image", c.image.as_str()),
                ("name", c.id.as_str()),
                ("namespace", model.namespace.as_str()),
                ("pod", model.name.as_str()),
            ];
            emit(Sample {
                family,
                suffix: "",
                labels: &l,
                value: memory,
            });
        }
    }
}

/// The Prometheus text exposition (0.0.4), with `# HELP`/`# TYPE` per family.
#[derive(Default)]
pub struct Exposition {
    pub text: String,
    last: Option<usize>,
}

impl Exposition {
    pub fn push(&mut self, s: Sample<'_>) {
        let (name, kind, help) = FAMILIES[s.family];
        if self.last != Some(s.family) {
            let _ = writeln!(self.text, "# HELP {name} {help}\n# TYPE {name} {kind}");
            self.last = Some(s.family);
        }
        let mut labels: Vec<&(&str, &str)> = s.labels.iter().collect();
        labels.sort_by(|a, b| a.0.cmp(b.0));
        self.text.push_str(name);
        self.text.push_str(s.suffix);
        if !labels.is_empty() {
            self.text.push('{');
            for (i, (k, v)) in labels.iter().enumerate() {
                if i > 0 {
                    self.text.push(',');
                }
                let _ = write!(self.text, "{k}=\"{}\"", escape(v));
            }
            self.text.push('}');
        }
        let _ = writeln!(self.text, " {}", fmt_f(s.value));
    }
}

/// A fast identity of a sample's series (family, suffix, labels), for indexing.
pub fn sample_id(s: &Sample<'_>) -> u64 {
    let mut h = mix(&[s.family as u64, hash_str(s.suffix)]);
    for (k, v) in s.labels {
        h = mix(&[h, hash_str(k), hash_str(v)]);
    }
    h
}

/// The series name and labels Prometheus stores for a scraped `sample` of a target with
/// `target` labels (`honor_labels: false`: a metric label that the target also has is kept as
/// `exported_<name>`; empty labels are dropped), as `name{a="b",…}` with sorted labels.
pub fn scraped_series(target: &[(String, String)], sample: &Sample<'_>) -> String {
    let mut labels: Vec<(String, &str)> = Vec::with_capacity(target.len() + sample.labels.len());
    for (k, v) in sample.labels {
        if v.is_empty() {
            continue;
        }
        if target.iter().any(|(t, _)| t == k) {
            labels.push((format!("exported_{k}"), v));
        } else {
            labels.push((k.to_string(), v));
        }
    }
    for (k, v) in target {
        if !v.is_empty() {
            labels.push((k.clone(), v));
        }
    }
    labels.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = String::with_capacity(256);
    out.push_str(FAMILIES[sample.family].0);
    out.push_str(sample.suffix);
    out.push('{');
    for (i, (k, v)) in labels.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{k}=\"{}\"", escape(v));
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scraped_labels_rename_conflicts_like_prometheus() {
        let target = nginx_target_labels(
            "kubesphere-controls-system",
            "p-1",
            "kubesphere-router-demo",
            "10.0.0.1",
        );
        let s = Sample {
            family: 0,
            suffix: "",
            labels: &[
                ("canary", ""),
                ("namespace", "demo"),
                ("service", "shop"),
                ("status", "200"),
            ],
            value: 1.0,
        };
        let got = scraped_series(&target, &s);
        assert_eq!(
            got,
            "nginx_ingress_controller_requests{container=\"controller\",endpoint=\"http-metrics\",exported_namespace=\"demo\",exported_service=\"shop\",instance=\"10.0.0.1:10254\",job=\"kubesphere-router-demo-metrics\",namespace=\"kubesphere-controls-system\",pod=\"p-1\",service=\"kubesphere-router-demo-metrics\",status=\"200\"}"
        );
    }
}
