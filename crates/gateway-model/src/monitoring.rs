//! The Monitoring tab's PromQL (better than KubeSphere's §8.2 templates: the pod filter really
//! filters by `controller_pod`, CPU and memory are per pod from cAdvisor, windows are the
//! selected range), the step that keeps a range under 300 points, Prometheus' HTTP API answers
//! decoded into series, and the units the tab shows.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::promql::escape_label_value;

/// Most points per series in a range query (Prometheus refuses more than 11,000).
pub const MAX_POINTS: i64 = 300;

/// What the queries cover.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// The gateway (its Prometheus job is `<gateway>-metrics`).
    pub gateway: String,
    /// The namespace the gateway's pods run in (cAdvisor's `namespace`).
    pub namespace: String,
    /// A project gateway's project (`exported_namespace`); `None` for the cluster gateway.
    pub project: Option<String>,
    /// One pod (`controller_pod`), or all.
    pub pod: Option<String>,
    /// One Ingress, or all.
    pub ingress: Option<String>,
}

fn matcher(label: &str, value: &str) -> String {
    format!("{label}=\"{}\"", escape_label_value(value))
}

/// Escapes regular-expression metacharacters (RE2) in `text`.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Scope {
    /// `job="<gateway>-metrics"`.
    fn job(&self) -> String {
        matcher("job", &format!("{}-metrics", self.gateway))
    }

    /// Matchers of the controller's own series (connections, reloads, certificates).
    fn controller(&self, extra: &[&str]) -> String {
        let mut m = vec![self.job()];
        if let Some(pod) = &self.pod {
            m.push(matcher("controller_pod", pod));
        }
        m.extend(extra.iter().map(|s| s.to_string()));
        format!("{{{}}}", m.join(","))
    }

    /// Matchers of the per-request series: also the project and the Ingress.
    fn requests(&self, extra: &[&str]) -> String {
        let mut m = vec![self.job()];
        if let Some(project) = &self.project {
            m.push(matcher("exported_namespace", project));
        }
        if let Some(pod) = &self.pod {
            m.push(matcher("controller_pod", pod));
        }
        if let Some(ingress) = &self.ingress {
            m.push(matcher("ingress", ingress));
        }
        m.extend(extra.iter().map(|s| s.to_string()));
        format!("{{{}}}", m.join(","))
    }

    /// Matchers of the gateway pods' cAdvisor series.
    fn containers(&self) -> String {
        let pod = match &self.pod {
            Some(p) => matcher("pod", p),
            // `<deployment>-<hash>-<suffix>`; a longer gateway name sharing the prefix has one
            // more dash
            None => format!(
                "pod=~\"{}\"",
                escape_label_value(&format!("{}-[^-]+-[^-]+", regex_escape(&self.gateway)))
            ),
        };
        format!(
            "{{{},{pod},container=\"controller\"}}",
            matcher("namespace", &self.namespace)
        )
    }
}

const REQ: &str = "nginx_ingress_controller_requests";
const DUR: &str = "nginx_ingress_controller_request_duration_seconds";

/// The overview strip for a window (`1h`): instant queries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverviewQueries {
    pub total: String,
    pub status_4xx: String,
    pub status_5xx: String,
    pub success_rate: String,
    pub average: String,
    pub p50: String,
    pub p95: String,
    pub p99: String,
}

fn quantile(q: &str, by: &str, sel: &str, window: &str) -> String {
    format!("histogram_quantile({q}, sum by ({by}le) (rate({DUR}_bucket{sel}[{window}])))")
}

/// The overview strip's queries over `window`.
pub fn overview(scope: &Scope, window: &str) -> OverviewQueries {
    let all = scope.requests(&[]);
    let count = |sel: &str| format!("round(sum(increase({REQ}{sel}[{window}])))");
    OverviewQueries {
        total: count(&all),
        status_4xx: count(&scope.requests(&["status=~\"4..\""])),
        status_5xx: count(&scope.requests(&["status=~\"5..\""])),
        success_rate: format!(
            "sum(increase({REQ}{}[{window}])) / sum(increase({REQ}{all}[{window}]))",
            scope.requests(&["status!~\"[45]..\""])
        ),
        average: format!(
            "sum(increase({DUR}_sum{all}[{window}])) / sum(increase({DUR}_count{all}[{window}]))"
        ),
        p50: quantile("0.5", "", &all, window),
        p95: quantile("0.95", "", &all, window),
        p99: quantile("0.99", "", &all, window),
    }
}

/// The charts of the tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChartKind {
    RequestsByIngress,
    Connections,
    Latency,
    FailedRequests,
    Network,
    Cpu,
    Memory,
    Reloads,
}

impl ChartKind {
    pub const ALL: [ChartKind; 8] = [
        ChartKind::RequestsByIngress,
        ChartKind::Connections,
        ChartKind::Latency,
        ChartKind::FailedRequests,
        ChartKind::Network,
        ChartKind::Cpu,
        ChartKind::Memory,
        ChartKind::Reloads,
    ];
}

/// One line of a chart: its query and how to name its series (`None`: the fixed `name`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesQuery {
    /// Fixed series name (an i18n key), or the label whose value names each series.
    pub name: SeriesName,
    pub query: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeriesName {
    /// One series, named by this i18n key.
    Key(&'static str),
    /// One series per value of this label.
    Label(&'static str),
}

/// The range queries of `chart`; `rate` is the rate window (see [`rate_window`]).
pub fn chart_queries(scope: &Scope, chart: ChartKind, rate: &str) -> Vec<SeriesQuery> {
    let all = scope.requests(&[]);
    let one = |name: &'static str, query: String| SeriesQuery {
        name: SeriesName::Key(name),
        query,
    };
    match chart {
        ChartKind::RequestsByIngress => vec![SeriesQuery {
            name: SeriesName::Label("ingress"),
            query: format!("sum by (ingress) (rate({REQ}{all}[{rate}]))"),
        }],
        ChartKind::Connections => vec![one(
            "ACTIVE_CONNECTIONS",
            format!(
                "sum(nginx_ingress_controller_nginx_process_connections{})",
                scope.controller(&["state=\"active\""])
            ),
        )],
        ChartKind::Latency => vec![
            one("LATENCY_P50", format!("1000 * {}", quantile("0.5", "", &all, rate))),
            one("LATENCY_P95", format!("1000 * {}", quantile("0.95", "", &all, rate))),
            one("LATENCY_P99", format!("1000 * {}", quantile("0.99", "", &all, rate))),
            one(
                "LATENCY_AVERAGE",
                format!("1000 * sum(rate({DUR}_sum{all}[{rate}])) / sum(rate({DUR}_count{all}[{rate}]))"),
            ),
        ],
        ChartKind::FailedRequests => vec![
            one(
                "REQUESTS_4XX",
                format!("sum(rate({REQ}{}[{rate}]))", scope.requests(&["status=~\"4..\""])),
            ),
            one(
                "REQUESTS_5XX",
                format!("sum(rate({REQ}{}[{rate}]))", scope.requests(&["status=~\"5..\""])),
            ),
        ],
        ChartKind::Network => vec![
            one(
                "NETWORK_RECEIVED",
                format!("sum(rate(nginx_ingress_controller_request_size_sum{all}[{rate}]))"),
            ),
            one(
                "NETWORK_SENT",
                format!("sum(rate(nginx_ingress_controller_response_size_sum{all}[{rate}]))"),
            ),
        ],
        ChartKind::Cpu => vec![SeriesQuery {
            name: SeriesName::Label("pod"),
            query: format!(
                "sum by (pod) (rate(container_cpu_usage_seconds_total{}[{rate}]))",
                scope.containers()
            ),
        }],
        ChartKind::Memory => vec![SeriesQuery {
            name: SeriesName::Label("pod"),
            query: format!(
                "sum by (pod) (container_memory_working_set_bytes{})",
                scope.containers()
            ),
        }],
        ChartKind::Reloads => vec![
            one(
                "RELOADS_OK",
                format!(
                    "sum(increase(nginx_ingress_controller_success{}[{rate}]))",
                    scope.controller(&[])
                ),
            ),
            one(
                "RELOADS_FAILED",
                format!(
                    "sum(increase(nginx_ingress_controller_errors{}[{rate}]))",
                    scope.controller(&[])
                ),
            ),
        ],
    }
}

/// The last reload's status per pod (1 = succeeded): an instant query.
pub fn last_reload(scope: &Scope) -> String {
    format!(
        "min by (controller_pod) (nginx_ingress_controller_config_last_reload_successful{})",
        scope.controller(&[])
    )
}

/// Seconds until each host's certificate expires: an instant query. (ingress-nginx exports it
/// without `controller_pod`: the pod filter does not apply.)
pub fn certificate_expiry(scope: &Scope) -> String {
    format!(
        "min by (host) (nginx_ingress_controller_ssl_expire_time_seconds{{{}}}) - time()",
        scope.job()
    )
}

/// The per-Ingress table over `window`: requests/s, success rate, P95 (s), 5XX/s, each by
/// `ingress` (instant queries). The Ingress filter is not applied (the table chooses it).
pub fn per_ingress(scope: &Scope, window: &str) -> [String; 4] {
    let scope = Scope {
        ingress: None,
        ..scope.clone()
    };
    let all = scope.requests(&[]);
    [
        format!("sum by (ingress) (rate({REQ}{all}[{window}]))"),
        format!(
            "sum by (ingress) (rate({REQ}{}[{window}])) / sum by (ingress) (rate({REQ}{all}[{window}]))",
            scope.requests(&["status!~\"[45]..\""])
        ),
        quantile("0.95", "ingress, ", &all, window),
        format!(
            "sum by (ingress) (rate({REQ}{}[{window}]))",
            scope.requests(&["status=~\"5..\""])
        ),
    ]
}

/// Steps a range may use, in seconds.
const STEPS: [i64; 14] = [
    15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400,
];

/// The step (seconds) of a range of `range_seconds`: the smallest nice step giving at most
/// [`MAX_POINTS`] points (never under 15 s, the scrape interval).
pub fn step_for(range_seconds: i64) -> i64 {
    let min = (range_seconds + MAX_POINTS - 1) / MAX_POINTS;
    STEPS
        .into_iter()
        .find(|s| *s >= min)
        .unwrap_or_else(|| min.max(86_400))
}

/// The rate window for a step: at least four scrapes (1m) and at least two steps, so that no
/// point falls between samples.
pub fn rate_window(step_seconds: i64) -> String {
    format!("{}s", (2 * step_seconds).max(60))
}

/// Prometheus duration of a number of seconds (`3600` → `3600s`).
pub fn duration(seconds: i64) -> String {
    format!("{seconds}s")
}

/// Preset windows of the time selector, with their length in seconds.
pub const PRESETS: [(&str, i64); 10] = [
    ("10m", 600),
    ("30m", 1800),
    ("1h", 3600),
    ("3h", 10_800),
    ("6h", 21_600),
    ("12h", 43_200),
    ("1d", 86_400),
    ("2d", 172_800),
    ("3d", 259_200),
    ("7d", 604_800),
];

/// The default window (KubeSphere's 10 minutes often shows zeros).
pub const DEFAULT_PRESET: &str = "1h";

/// Longest custom range.
pub const MAX_RANGE_SECONDS: i64 = 30 * 86_400;

/// The time range shown: the last `seconds` up to now, or a fixed custom range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimeRange {
    Last { preset: &'static str, seconds: i64 },
    Custom { start: i64, end: i64 },
}

/// Why a custom range is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeProblem {
    /// A field is empty or not a time.
    Missing,
    EndNotAfterStart,
    TooLong,
    InTheFuture,
}

impl TimeRange {
    /// The preset named `name` (unknown: the default).
    pub fn preset(name: &str) -> TimeRange {
        let (preset, seconds) = PRESETS
            .into_iter()
            .find(|(p, _)| *p == name)
            .or_else(|| PRESETS.into_iter().find(|(p, _)| *p == DEFAULT_PRESET))
            .unwrap_or(("1h", 3600));
        TimeRange::Last { preset, seconds }
    }

    /// A custom range, checked against `now`.
    pub fn custom(
        start: Option<i64>,
        end: Option<i64>,
        now: i64,
    ) -> Result<TimeRange, RangeProblem> {
        let (Some(start), Some(end)) = (start, end) else {
            return Err(RangeProblem::Missing);
        };
        if end <= start {
            Err(RangeProblem::EndNotAfterStart)
        } else if end - start > MAX_RANGE_SECONDS {
            Err(RangeProblem::TooLong)
        } else if start > now {
            Err(RangeProblem::InTheFuture)
        } else {
            Ok(TimeRange::Custom {
                start,
                end: end.min(now),
            })
        }
    }

    /// (start, end) at `now`.
    pub fn bounds(&self, now: i64) -> (i64, i64) {
        match *self {
            TimeRange::Last { seconds, .. } => (now - seconds, now),
            TimeRange::Custom { start, end } => (start, end),
        }
    }

    /// True when the range follows the clock (auto-refresh applies).
    pub fn is_live(&self) -> bool {
        matches!(self, TimeRange::Last { .. })
    }
}

/// A Prometheus HTTP API answer.
#[derive(Clone, Debug, Deserialize)]
pub struct ApiResponse {
    pub status: String,
    #[serde(default)]
    pub data: Option<ResponseData>,
    #[serde(rename = "errorType", default)]
    pub error_type: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ResponseData {
    #[serde(rename = "resultType")]
    pub result_type: String,
    pub result: serde_json::Value,
}

/// A series: its labels and points (unix seconds, value; `NaN` and infinities kept).
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub labels: BTreeMap<String, String>,
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// The last point's value.
    pub fn last(&self) -> Option<f64> {
        self.points.last().map(|p| p.1)
    }
}

fn point(v: &serde_json::Value) -> Option<(f64, f64)> {
    let pair = v.as_array()?;
    let ts = pair.first()?.as_f64()?;
    let value = match pair.get(1)?.as_str()? {
        "NaN" => f64::NAN,
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        s => s.parse().ok()?,
    };
    Some((ts, value))
}

/// Decodes an answer into series (vector: one point each; matrix: many; scalar: one unlabelled
/// series), or Prometheus' own error text.
pub fn decode(body: &str) -> Result<Vec<Series>, String> {
    let response: ApiResponse =
        serde_json::from_str(body).map_err(|e| format!("not a Prometheus answer: {e}"))?;
    if response.status != "success" {
        return Err(match (response.error_type, response.error) {
            (Some(t), Some(e)) => format!("{t}: {e}"),
            (_, Some(e)) => e,
            _ => "Prometheus answered with an error".into(),
        });
    }
    let Some(data) = response.data else {
        return Ok(Vec::new());
    };
    let labels = |item: &serde_json::Value| -> BTreeMap<String, String> {
        item.get("metric")
            .and_then(|m| m.as_object())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let items = data.result.as_array().cloned().unwrap_or_default();
    Ok(match data.result_type.as_str() {
        "matrix" => items
            .iter()
            .map(|item| Series {
                labels: labels(item),
                points: item
                    .get("values")
                    .and_then(|v| v.as_array())
                    .map(|v| v.iter().filter_map(point).collect())
                    .unwrap_or_default(),
            })
            .collect(),
        "vector" => items
            .iter()
            .map(|item| Series {
                labels: labels(item),
                points: item.get("value").and_then(point).into_iter().collect(),
            })
            .collect(),
        "scalar" => point(&data.result)
            .map(|p| {
                vec![Series {
                    labels: BTreeMap::new(),
                    points: vec![p],
                }]
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    })
}

/// Units of the tab's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Count,
    PerSecond,
    Milliseconds,
    Seconds,
    BytesPerSecond,
    Bytes,
    Percent,
    Cores,
}

/// A value with its unit, for display (`—` for no data). Bytes use binary prefixes.
pub fn format_value(value: Option<f64>, unit: Unit) -> String {
    let Some(v) = value.filter(|v| v.is_finite()) else {
        return "—".into();
    };
    let binary = |v: f64, suffix: &str| {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"];
        let mut v = v;
        let mut i = 0;
        while v.abs() >= 1024.0 && i < units.len() - 1 {
            v /= 1024.0;
            i += 1;
        }
        format!("{} {}{suffix}", trim(v), units[i])
    };
    match unit {
        Unit::Count => format!("{}", v.round() as i64),
        Unit::PerSecond => format!("{} req/s", trim(v)),
        Unit::Milliseconds => format!("{} ms", trim(v)),
        Unit::Seconds => format!("{} s", trim(v)),
        Unit::BytesPerSecond => binary(v, "/s"),
        Unit::Bytes => binary(v, ""),
        Unit::Percent => format!("{}%", trim(v * 100.0)),
        Unit::Cores => format!("{} cores", trim(v)),
    }
}

/// Up to three significant decimals, without trailing zeros.
fn trim(v: f64) -> String {
    let digits = if v.abs() >= 100.0 {
        0
    } else if v.abs() >= 10.0 {
        1
    } else if v.abs() >= 1.0 {
        2
    } else {
        3
    };
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster() -> Scope {
        Scope {
            gateway: "kubesphere-router-kubesphere-system".into(),
            namespace: "kubesphere-controls-system".into(),
            ..Scope::default()
        }
    }

    #[test]
    fn cluster_and_project_selectors() {
        let o = overview(&cluster(), "1h");
        assert_eq!(
            o.total,
            r#"round(sum(increase(nginx_ingress_controller_requests{job="kubesphere-router-kubesphere-system-metrics"}[1h])))"#
        );
        let project = Scope {
            gateway: "kubesphere-router-demo".into(),
            project: Some("demo".into()),
            ..cluster()
        };
        let o = overview(&project, "10m");
        assert!(
            o.status_5xx.contains(
                r#"{job="kubesphere-router-demo-metrics",exported_namespace="demo",status=~"5.."}"#
            ),
            "{}",
            o.status_5xx
        );
        assert!(o.p95.starts_with("histogram_quantile(0.95, sum by (le) (rate(nginx_ingress_controller_request_duration_seconds_bucket{"));
        assert!(o.success_rate.contains(r#"status!~"[45]..""#));
    }

    #[test]
    fn the_pod_filter_filters_every_query() {
        let scope = Scope {
            pod: Some("kubesphere-router-kubesphere-system-5d8f-abcde".into()),
            ..cluster()
        };
        for chart in ChartKind::ALL {
            for q in chart_queries(&scope, chart, "2m") {
                assert!(
                    q.query.contains(
                        r#"controller_pod="kubesphere-router-kubesphere-system-5d8f-abcde""#
                    ) || q
                        .query
                        .contains(r#"pod="kubesphere-router-kubesphere-system-5d8f-abcde""#),
                    "{chart:?}: {}",
                    q.query
                );
            }
        }
        assert!(overview(&scope, "1h").total.contains("controller_pod="));
        // per pod CPU without a filter: the gateway's pods only, by name pattern
        let cpu = &chart_queries(&cluster(), ChartKind::Cpu, "2m")[0].query;
        assert_eq!(
            cpu,
            r#"sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="kubesphere-controls-system",pod=~"kubesphere-router-kubesphere-system-[^-]+-[^-]+",container="controller"}[2m]))"#
        );
    }

    #[test]
    fn hostile_label_values_are_escaped() {
        let scope = Scope {
            gateway: "g".into(),
            namespace: "n".into(),
            project: Some("a\"b\\c\nd".into()),
            ingress: Some("x\"}) or vector(1) #".into()),
            ..Scope::default()
        };
        let q = overview(&scope, "1h").total;
        assert!(q.contains(r#"exported_namespace="a\"b\\c\nd""#), "{q}");
        assert!(q.contains(r#"ingress="x\"}) or vector(1) #""#), "{q}");
        let cpu = Scope {
            gateway: "g.x+".into(),
            ..scope
        };
        let q = &chart_queries(&cpu, ChartKind::Memory, "1m")[0].query;
        assert!(q.contains(r#"pod=~"g\\.x\\+-[^-]+-[^-]+""#), "{q}");
    }

    #[test]
    fn steps_keep_ranges_under_300_points() {
        for range in [
            600,
            1800,
            3600,
            3 * 3600,
            12 * 3600,
            86_400,
            2 * 86_400,
            7 * 86_400,
            30 * 86_400,
        ] {
            let step = step_for(range);
            assert!(range / step <= MAX_POINTS, "{range}: {step}");
            assert!(step >= 15);
        }
        assert_eq!(step_for(3600), 15);
        assert_eq!(step_for(7 * 86_400), 3600);
        assert_eq!(rate_window(15), "60s");
        assert_eq!(rate_window(3600), "7200s");
    }

    #[test]
    fn answers_decode_into_series() {
        let matrix = r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"ingress":"web"},"values":[[1700000000,"1.5"],[1700000015,"NaN"]]}]}}"#;
        let s = decode(matrix).unwrap();
        assert_eq!(s[0].labels["ingress"], "web");
        assert_eq!(s[0].points[0], (1_700_000_000.0, 1.5));
        assert!(s[0].points[1].1.is_nan());
        let vector = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"42"]}]}}"#;
        assert_eq!(decode(vector).unwrap()[0].last(), Some(42.0));
        let scalar =
            r#"{"status":"success","data":{"resultType":"scalar","result":[1700000000,"+Inf"]}}"#;
        assert_eq!(decode(scalar).unwrap()[0].last(), Some(f64::INFINITY));
        let error = r#"{"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries"}"#;
        assert_eq!(
            decode(error).unwrap_err(),
            "bad_data: exceeded maximum resolution of 11,000 points per timeseries"
        );
        assert!(decode("<html>").is_err());
        let empty = r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#;
        assert!(decode(empty).unwrap().is_empty());
    }

    #[test]
    fn time_ranges() {
        assert_eq!(
            TimeRange::preset("7d").bounds(1_000_000),
            (1_000_000 - 604_800, 1_000_000)
        );
        assert_eq!(TimeRange::preset("nope"), TimeRange::preset(DEFAULT_PRESET));
        assert!(TimeRange::preset("10m").is_live());
        let now = 2_000_000;
        assert_eq!(
            TimeRange::custom(Some(10), Some(5), now),
            Err(RangeProblem::EndNotAfterStart)
        );
        assert_eq!(
            TimeRange::custom(None, Some(5), now),
            Err(RangeProblem::Missing)
        );
        assert_eq!(
            TimeRange::custom(Some(0), Some(MAX_RANGE_SECONDS + 1), now),
            Err(RangeProblem::TooLong)
        );
        assert_eq!(
            TimeRange::custom(Some(now + 10), Some(now + 20), now),
            Err(RangeProblem::InTheFuture)
        );
        let r = TimeRange::custom(Some(now - 100), Some(now + 100), now).unwrap();
        assert_eq!(r.bounds(now), (now - 100, now));
        assert!(!r.is_live());
    }

    #[test]
    fn units() {
        assert_eq!(format_value(None, Unit::Count), "—");
        assert_eq!(format_value(Some(f64::NAN), Unit::Milliseconds), "—");
        assert_eq!(format_value(Some(1234.4), Unit::Count), "1234");
        assert_eq!(format_value(Some(12.345), Unit::PerSecond), "12.3 req/s");
        assert_eq!(format_value(Some(0.98765), Unit::Percent), "98.8%");
        assert_eq!(format_value(Some(1.0), Unit::Percent), "100%");
        assert_eq!(format_value(Some(2048.0), Unit::BytesPerSecond), "2 KiB/s");
        assert_eq!(format_value(Some(1536.0 * 1024.0), Unit::Bytes), "1.5 MiB");
        assert_eq!(format_value(Some(0.0123), Unit::Seconds), "0.012 s");
        assert_eq!(format_value(Some(250.0), Unit::Milliseconds), "250 ms");
    }
}
