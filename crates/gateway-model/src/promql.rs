//! PromQL of KubeSphere's ingress (gateway) metrics (reference §8.2, `makeIngressMetricExpr`),
//! expanded client-side. Placeholders: `$1` = Ingress selector, `$2` = `job="<job>"`, `$3` = range.
//!
//! `$1` is `exported_namespace="<ns>", ingress=~"<re>"` for a project gateway and
//! `ingress=~"<re>"` for the cluster gateway (no namespace filter); `ingress="<name>"` selects a
//! single Ingress. Label values are escaped for PromQL double-quoted strings.

/// The metrics KubeSphere's gateway pages request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IngressMetric {
    /// `ingress_request_count`.
    RequestCount,
    /// `ingress_request_4xx_count`.
    Request4xxCount,
    /// `ingress_request_5xx_count`.
    Request5xxCount,
    /// `ingress_active_connections`.
    ActiveConnections,
    /// `ingress_success_rate`.
    SuccessRate,
    /// `ingress_request_duration_average`.
    RequestDurationAverage,
    /// `ingress_request_duration_50percentage`.
    RequestDuration50,
    /// `ingress_request_duration_95percentage`.
    RequestDuration95,
    /// `ingress_request_duration_99percentage`.
    RequestDuration99,
    /// `ingress_request_volume`.
    RequestVolume,
    /// `ingress_request_volume_by_ingress`.
    RequestVolumeByIngress,
    /// `ingress_request_network_sent`.
    NetworkSent,
    /// `ingress_request_network_received`.
    NetworkReceived,
    /// `ingress_request_memory_bytes`.
    MemoryBytes,
    /// `ingress_request_cpu_usage`.
    CpuUsage,
}

impl IngressMetric {
    /// Every metric, in the table's order.
    pub const ALL: [IngressMetric; 15] = [
        IngressMetric::RequestCount,
        IngressMetric::Request4xxCount,
        IngressMetric::Request5xxCount,
        IngressMetric::ActiveConnections,
        IngressMetric::SuccessRate,
        IngressMetric::RequestDurationAverage,
        IngressMetric::RequestDuration50,
        IngressMetric::RequestDuration95,
        IngressMetric::RequestDuration99,
        IngressMetric::RequestVolume,
        IngressMetric::RequestVolumeByIngress,
        IngressMetric::NetworkSent,
        IngressMetric::NetworkReceived,
        IngressMetric::MemoryBytes,
        IngressMetric::CpuUsage,
    ];

    /// KubeSphere's metric name.
    pub fn name(self) -> &'static str {
        match self {
            IngressMetric::RequestCount => "ingress_request_count",
            IngressMetric::Request4xxCount => "ingress_request_4xx_count",
            IngressMetric::Request5xxCount => "ingress_request_5xx_count",
            IngressMetric::ActiveConnections => "ingress_active_connections",
            IngressMetric::SuccessRate => "ingress_success_rate",
            IngressMetric::RequestDurationAverage => "ingress_request_duration_average",
            IngressMetric::RequestDuration50 => "ingress_request_duration_50percentage",
            IngressMetric::RequestDuration95 => "ingress_request_duration_95percentage",
            IngressMetric::RequestDuration99 => "ingress_request_duration_99percentage",
            IngressMetric::RequestVolume => "ingress_request_volume",
            IngressMetric::RequestVolumeByIngress => "ingress_request_volume_by_ingress",
            IngressMetric::NetworkSent => "ingress_request_network_sent",
            IngressMetric::NetworkReceived => "ingress_request_network_received",
            IngressMetric::MemoryBytes => "ingress_request_memory_bytes",
            IngressMetric::CpuUsage => "ingress_request_cpu_usage",
        }
    }

    /// Looks a metric up by KubeSphere name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The template with `$1`/`$2`/`$3` placeholders, verbatim from KubeSphere 3.4.
    pub fn template(self) -> &'static str {
        match self {
            IngressMetric::RequestCount => "round(sum(increase(nginx_ingress_controller_requests{$1,$2}[$3])))",
            IngressMetric::Request4xxCount => {
                r#"round(sum(increase(nginx_ingress_controller_requests{$1,$2,status=~"[4].*"}[$3])))"#
            }
            IngressMetric::Request5xxCount => {
                r#"round(sum(increase(nginx_ingress_controller_requests{$1,$2,status=~"[5].*"}[$3])))"#
            }
            IngressMetric::ActiveConnections => {
                r#"sum(avg_over_time(nginx_ingress_controller_nginx_process_connections{$2,state="active"}[$3]))"#
            }
            IngressMetric::SuccessRate => {
                r#"sum(rate(nginx_ingress_controller_requests{$1,$2,status!~"[4-5].*"}[$3])) / sum(rate(nginx_ingress_controller_requests{$1,$2}[$3]))"#
            }
            IngressMetric::RequestDurationAverage => {
                "sum_over_time(nginx_ingress_controller_request_duration_seconds_sum{$1,$2}[$3])/sum_over_time(nginx_ingress_controller_request_duration_seconds_count{$1,$2}[$3])"
            }
            IngressMetric::RequestDuration50 => {
                "histogram_quantile(0.50, sum by (le) (rate(nginx_ingress_controller_request_duration_seconds_bucket{$1,$2}[$3])))"
            }
            IngressMetric::RequestDuration95 => {
                "histogram_quantile(0.95, sum by (le) (rate(nginx_ingress_controller_request_duration_seconds_bucket{$1,$2}[$3])))"
            }
            IngressMetric::RequestDuration99 => {
                "histogram_quantile(0.99, sum by (le) (rate(nginx_ingress_controller_request_duration_seconds_bucket{$1,$2}[$3])))"
            }
            IngressMetric::RequestVolume => "round(sum(irate(nginx_ingress_controller_requests{$1,$2}[$3])), 0.001)",
            IngressMetric::RequestVolumeByIngress => {
                "round(sum(irate(nginx_ingress_controller_requests{$1,$2}[$3])) by (ingress), 0.001)"
            }
            IngressMetric::NetworkSent => "sum(irate(nginx_ingress_controller_response_size_sum{$1,$2}[$3]))",
            IngressMetric::NetworkReceived => "sum(irate(nginx_ingress_controller_request_size_sum{$1,$2}[$3]))",
            IngressMetric::MemoryBytes => "avg(nginx_ingress_controller_nginx_process_resident_memory_bytes{$2})",
            IngressMetric::CpuUsage => "avg(rate(nginx_ingress_controller_nginx_process_cpu_seconds_total{$2}[5m]))",
        }
    }

    /// The query for this metric.
    pub fn query(self, q: &IngressQuery<'_>) -> String {
        expand(
            self.template(),
            &q.ingress_selector(),
            &q.job_selector(),
            q.duration,
        )
    }
}

/// Which Ingresses a query covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IngressMatch<'a> {
    /// `ingress=~"<regexp>"` (KubeSphere's `resources_filter`, default `.*`).
    Regex(&'a str),
    /// `ingress="<name>"` (a single route).
    Exact(&'a str),
}

/// Parameters of a gateway metrics query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IngressQuery<'a> {
    /// Prometheus `job` (`<gateway>-metrics`); empty = no job filter.
    pub job: &'a str,
    /// Ingress namespace filter (`exported_namespace`); `None` for the cluster gateway.
    pub namespace: Option<&'a str>,
    /// Ingress filter.
    pub ingress: IngressMatch<'a>,
    /// Range of range-vector selectors (`10m`, `5m`, …).
    pub duration: &'a str,
}

impl<'a> IngressQuery<'a> {
    /// Query over all Ingresses matching `ingress_regex`.
    pub fn new(
        job: &'a str,
        namespace: Option<&'a str>,
        ingress_regex: &'a str,
        duration: &'a str,
    ) -> Self {
        IngressQuery {
            job,
            namespace,
            ingress: IngressMatch::Regex(ingress_regex),
            duration,
        }
    }

    /// The `$1` selector.
    pub fn ingress_selector(&self) -> String {
        let ingress = match self.ingress {
            IngressMatch::Regex(re) => format!("ingress=~\"{}\"", escape_label_value(re)),
            IngressMatch::Exact(name) => format!("ingress=\"{}\"", escape_label_value(name)),
        };
        match self.namespace {
            Some(ns) => format!(
                "exported_namespace=\"{}\", {ingress}",
                escape_label_value(ns)
            ),
            None => ingress,
        }
    }

    /// The `$2` selector (empty when there is no job).
    pub fn job_selector(&self) -> String {
        if self.job.is_empty() {
            String::new()
        } else {
            format!("job=\"{}\"", escape_label_value(self.job))
        }
    }
}

/// Escapes a label value for a PromQL double-quoted string (`\`, `"`, newline).
pub fn escape_label_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Substitutes the placeholders (values are never re-scanned for placeholders). Matchers inside `{…}` are joined with `,` and empty ones are
/// dropped, so a missing job leaves no dangling comma.
fn expand(template: &str, ingress: &str, job: &str, duration: &str) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open].replace("$3", duration));
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..].replace("$3", duration));
            rest = "";
            break;
        };
        let matchers: Vec<&str> = after[..close]
            .split(',')
            .map(|m| match m {
                "$1" => ingress,
                "$2" => job,
                other => other,
            })
            .filter(|m| !m.is_empty())
            .collect();
        out.push('{');
        out.push_str(&matchers.join(","));
        out.push('}');
        rest = &after[close + 1..];
    }
    out.push_str(&rest.replace("$3", duration));
    out
}

/// `ingress_request_count`.
pub fn request_count(
    job: &str,
    namespace: Option<&str>,
    ingress_regex: &str,
    duration: &str,
) -> String {
    IngressMetric::RequestCount.query(&IngressQuery::new(job, namespace, ingress_regex, duration))
}

/// `ingress_request_4xx_count`.
pub fn request_4xx_count(
    job: &str,
    namespace: Option<&str>,
    ingress_regex: &str,
    duration: &str,
) -> String {
    IngressMetric::Request4xxCount.query(&IngressQuery::new(
        job,
        namespace,
        ingress_regex,
        duration,
    ))
}

/// `ingress_request_5xx_count`.
pub fn request_5xx_count(
    job: &str,
    namespace: Option<&str>,
    ingress_regex: &str,
    duration: &str,
) -> String {
    IngressMetric::Request5xxCount.query(&IngressQuery::new(
        job,
        namespace,
        ingress_regex,
        duration,
    ))
}

/// `ingress_active_connections` (job only).
pub fn active_connections(
    job: &str,
    namespace: Option<&str>,
    ingress_regex: &str,
    duration: &str,
) -> String {
    IngressMetric::ActiveConnections.query(&IngressQuery::new(
        job,
        namespace,
        ingress_regex,
        duration,
    ))
}

/// `ingress_success_rate`.
pub fn success_rate(
    job: &str,
    namespace: Option<&str>,
    ingress_regex: &str,
    duration: &str,
) -> String {
    IngressMetric::SuccessRate.query(&IngressQuery::new(job, namespace, ingress_regex, duration))
}

/// `ingress_request_duration_average`.
pub fn request_duration_average(
    job: &str,
    namespace: Option<&str>,
    ingress_regex: &str,
    duration: &str,
) -> String {
    IngressMetric::RequestDurationAverage.query(&IngressQuery::new(
        job,
        namespace,
        ingress_regex,
        duration,
    ))
}

/// `ingress_request_duration_{50,95,99}percentage` for quantile 50, 95 or 99 (others → 99).
pub fn request_duration_percentile(
    percentile: u8,
    job: &str,
    namespace: Option<&str>,
    ingress_regex: &str,
    duration: &str,
) -> String {
    let metric = match percentile {
        50 => IngressMetric::RequestDuration50,
        95 => IngressMetric::RequestDuration95,
        _ => IngressMetric::RequestDuration99,
    };
    metric.query(&IngressQuery::new(job, namespace, ingress_regex, duration))
}

/// `ingress_request_volume`.
pub fn request_volume(
    job: &str,
    namespace: Option<&str>,
    ingress_regex: &str,
    duration: &str,
) -> String {
    IngressMetric::RequestVolume.query(&IngressQuery::new(job, namespace, ingress_regex, duration))
}

/// `ingress_request_volume_by_ingress`.
pub fn request_volume_by_ingress(
    job: &str,
    namespace: Option<&str>,
    ingress_regex: &str,
    duration: &str,
) -> String {
    IngressMetric::RequestVolumeByIngress.query(&IngressQuery::new(
        job,
        namespace,
        ingress_regex,
        duration,
    ))
}

/// `ingress_request_network_sent`.
pub fn network_sent(
    job: &str,
    namespace: Option<&str>,
    ingress_regex: &str,
    duration: &str,
) -> String {
    IngressMetric::NetworkSent.query(&IngressQuery::new(job, namespace, ingress_regex, duration))
}

/// `ingress_request_network_received`.
pub fn network_received(
    job: &str,
    namespace: Option<&str>,
    ingress_regex: &str,
    duration: &str,
) -> String {
    IngressMetric::NetworkReceived.query(&IngressQuery::new(
        job,
        namespace,
        ingress_regex,
        duration,
    ))
}

/// `ingress_request_memory_bytes` (job only, no range).
pub fn memory_bytes(job: &str) -> String {
    IngressMetric::MemoryBytes.query(&IngressQuery::new(job, None, ".*", ""))
}

/// `ingress_request_cpu_usage` (job only, fixed 5m rate).
pub fn cpu_usage(job: &str) -> String {
    IngressMetric::CpuUsage.query(&IngressQuery::new(job, None, ".*", ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    const JOB: &str = "kubesphere-router-demo-metrics";

    #[test]
    fn reference_example() {
        assert_eq!(
            request_count(JOB, Some("demo"), ".*", "10m"),
            r#"round(sum(increase(nginx_ingress_controller_requests{exported_namespace="demo", ingress=~".*",job="kubesphere-router-demo-metrics"}[10m])))"#
        );
    }

    #[test]
    fn cluster_gateway_has_no_namespace_filter() {
        let q = request_4xx_count(
            "kubesphere-router-kubesphere-system-metrics",
            None,
            ".*",
            "5m",
        );
        assert_eq!(
            q,
            r#"round(sum(increase(nginx_ingress_controller_requests{ingress=~".*",job="kubesphere-router-kubesphere-system-metrics",status=~"[4].*"}[5m])))"#
        );
        assert!(!q.contains("exported_namespace"));
    }

    #[test]
    fn every_template() {
        let sel =
            r#"exported_namespace="demo", ingress=~".*",job="kubesphere-router-demo-metrics""#;
        assert_eq!(
            success_rate(JOB, Some("demo"), ".*", "1m"),
            format!(
                r#"sum(rate(nginx_ingress_controller_requests{{{sel},status!~"[4-5].*"}}[1m])) / sum(rate(nginx_ingress_controller_requests{{{sel}}}[1m]))"#
            )
        );
        assert_eq!(
            active_connections(JOB, Some("demo"), ".*", "10m"),
            r#"sum(avg_over_time(nginx_ingress_controller_nginx_process_connections{job="kubesphere-router-demo-metrics",state="active"}[10m]))"#
        );
        assert_eq!(
            request_duration_percentile(95, JOB, Some("demo"), ".*", "10m"),
            format!("histogram_quantile(0.95, sum by (le) (rate(nginx_ingress_controller_request_duration_seconds_bucket{{{sel}}}[10m])))")
        );
        assert_eq!(
            request_duration_average(JOB, Some("demo"), ".*", "10m"),
            format!("sum_over_time(nginx_ingress_controller_request_duration_seconds_sum{{{sel}}}[10m])/sum_over_time(nginx_ingress_controller_request_duration_seconds_count{{{sel}}}[10m])")
        );
        assert_eq!(
            request_volume_by_ingress(JOB, Some("demo"), ".*", "10m"),
            format!("round(sum(irate(nginx_ingress_controller_requests{{{sel}}}[10m])) by (ingress), 0.001)")
        );
        assert_eq!(
            memory_bytes(JOB),
            r#"avg(nginx_ingress_controller_nginx_process_resident_memory_bytes{job="kubesphere-router-demo-metrics"})"#
        );
        assert_eq!(
            cpu_usage(JOB),
            r#"avg(rate(nginx_ingress_controller_nginx_process_cpu_seconds_total{job="kubesphere-router-demo-metrics"}[5m]))"#
        );
        for m in IngressMetric::ALL {
            assert_eq!(IngressMetric::from_name(m.name()), Some(m));
            let q = m.query(&IngressQuery::new(JOB, Some("demo"), ".*", "10m"));
            assert!(!q.contains('$'), "{q}");
            assert_eq!(q.matches('{').count(), q.matches('}').count());
        }
        assert_eq!(
            request_count("", None, ".*", "10m"),
            r#"round(sum(increase(nginx_ingress_controller_requests{ingress=~".*"}[10m])))"#
        );
        assert_eq!(
            network_sent(JOB, None, "shop|cart", "2m"),
            r#"sum(irate(nginx_ingress_controller_response_size_sum{ingress=~"shop|cart",job="kubesphere-router-demo-metrics"}[2m]))"#
        );
        assert_eq!(
            network_received(JOB, None, ".*", "2m"),
            r#"sum(irate(nginx_ingress_controller_request_size_sum{ingress=~".*",job="kubesphere-router-demo-metrics"}[2m]))"#
        );
        assert!(request_count(JOB, None, "a$3b", "2m").contains(r#"ingress=~"a$3b""#));
        assert!(request_5xx_count(JOB, None, ".*", "2m").contains(r#"status=~"[5].*""#));
        assert!(request_volume(JOB, None, ".*", "2m").starts_with("round(sum(irate("));
    }

    #[test]
    fn escaping_and_exact_match() {
        let q = IngressQuery {
            job: JOB,
            namespace: Some("de\"mo"),
            ingress: IngressMatch::Exact("a\\b"),
            duration: "10m",
        };
        assert_eq!(
            q.ingress_selector(),
            r#"exported_namespace="de\"mo", ingress="a\\b""#
        );
        assert_eq!(escape_label_value("a\nb"), "a\\nb");
        let re = request_count(JOB, None, r"shop\.v1", "10m");
        assert!(re.contains(r#"ingress=~"shop\\.v1""#));
        // A hostile value cannot close the matcher block.
        let evil = request_count(JOB, Some("x\"} or vector(1) #"), ".*", "10m");
        assert!(evil.contains(r#"exported_namespace="x\"} or vector(1) #""#));
    }
}
