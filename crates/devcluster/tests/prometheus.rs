//! A real Prometheus, started on devcluster's backfilled week (promtool blocks), scrapes the
//! gateway pods and the kubelets (http_sd) and answers through the API server's service proxy,
//! as the app queries it. Needs `prometheus` and `promtool` on PATH (`cargo xtask setup`
//! installs Debian's package); the tests that need them say so and pass without.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use devcluster::Options;
use serde_json::Value;

const JOB: &str = "kubesphere-router-kubesphere-system-metrics";
const CS: &str = "kubesphere-controls-system";
const PROXY: &str =
    "/api/v1/namespaces/kubesphere-monitoring-system/services/prometheus-k8s:9090/proxy";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `METHOD path` with an optional body: (status, body).
fn http(addr: &str, method: &str, path: &str, body: Option<(&str, &str)>) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap_or_else(|e| panic!("{addr}: {e}"));
    s.set_read_timeout(Some(Duration::from_secs(30))).ok();
    let (ct, data) = body.unwrap_or(("", ""));
    let extra = if body.is_some() {
        format!("Content-Type: {ct}\r\nContent-Length: {}\r\n", data.len())
    } else {
        String::new()
    };
    write!(
        s,
        "{method} {path} HTTP/1.0\r\nHost: {addr}\r\n{extra}\r\n{data}"
    )
    .unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    let status = buf
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = buf
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `prometheus` (or `$PROMETHEUS`) if it runs.
fn prometheus_bin() -> Option<String> {
    let bin = std::env::var("PROMETHEUS").unwrap_or_else(|_| "prometheus".into());
    let runs = Command::new(&bin)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let promtool = Command::new(devcluster::backfill::promtool())
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    (runs && promtool).then_some(bin)
}

/// devcluster (API + metrics endpoint) and, with `with_prometheus`, a Prometheus on its
/// backfilled history.
struct Env {
    _rt: tokio::runtime::Runtime,
    api: String,
    metrics: String,
    prom_addr: String,
    prom: Option<Child>,
    dir: PathBuf,
    history: Value,
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some(mut p) = self.prom.take() {
            p.kill().ok();
            p.wait().ok();
        }
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

impl Env {
    fn start(prometheus: Option<&str>) -> Env {
        let prom_port = free_port();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let opts = Options {
            scenario: "nodeport".into(),
            pace: 0.05,
            prometheus: Some(format!("http://127.0.0.1:{prom_port}")),
            ..Options::default()
        };
        let dir = std::env::temp_dir().join(format!(
            "devcluster-prometheus-{}-{prom_port}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let cluster = rt.block_on(async { devcluster::build(&opts).unwrap() });
        if prometheus.is_some() {
            let cache = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("devcluster-backfill");
            let t = Instant::now();
            let report =
                devcluster::backfill::prepare(&cluster.workloads, &dir.join("data"), &cache)
                    .unwrap();
            eprintln!("{report} [{:.2} s]", t.elapsed().as_secs_f64());
        }
        let (api, metrics) = rt.block_on(async {
            let api = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let metrics = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let (a, m) = (
                api.local_addr().unwrap().to_string(),
                metrics.local_addr().unwrap().to_string(),
            );
            let router = devcluster::metrics_router(cluster.clone(), m.clone());
            tokio::spawn(async move { axum::serve(metrics, router).await });
            tokio::spawn(devcluster::serve(cluster, api, std::future::pending()));
            (a, m)
        });
        let history: Value =
            serde_json::from_str(&http(&metrics, "GET", "/history", None).1).unwrap();
        let mut env = Env {
            _rt: rt,
            api,
            metrics,
            prom_addr: format!("127.0.0.1:{prom_port}"),
            prom: None,
            dir,
            history,
        };
        if let Some(bin) = prometheus {
            env.start_prometheus(bin);
        }
        env
    }

    fn start_prometheus(&mut self, bin: &str) {
        let config = self.dir.join("prometheus.yml");
        std::fs::write(
            &config,
            format!(
                "global:\n  scrape_interval: 2s\n  scrape_timeout: 2s\nscrape_configs:\n  - job_name: devcluster\n    http_sd_configs:\n      - url: http://{}/targets\n        refresh_interval: 5s\n",
                self.metrics
            ),
        )
        .unwrap();
        let started = Instant::now();
        let prom = Command::new(bin)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                self.dir.join("data").display()
            ))
            .arg("--storage.tsdb.retention.time=15d")
            .arg(format!("--web.listen-address={}", self.prom_addr))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {bin} ({e}); run `cargo xtask setup`"));
        self.prom = Some(prom);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ready = std::net::TcpStream::connect(&self.prom_addr).is_ok()
                && http(&self.prom_addr, "GET", "/-/ready", None).0 == 200;
            if ready {
                break;
            }
            assert!(Instant::now() < deadline, "Prometheus did not become ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        let ready = started.elapsed().as_secs_f64();
        // every target scraped once
        let want = serde_json::from_str::<Value>(&http(&self.metrics, "GET", "/targets", None).1)
            .unwrap()
            .as_array()
            .map_or(0, Vec::len);
        loop {
            let (_, body) = http(&self.prom_addr, "GET", "/api/v1/targets?state=active", None);
            let v: Value = serde_json::from_str(&body).unwrap_or_default();
            let targets = v["data"]["activeTargets"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let scraped = targets.iter().filter(|t| t["health"] == "up").count();
            if scraped >= want && want > 0 {
                break;
            }
            assert!(Instant::now() < deadline, "targets not scraped: {body}");
            std::thread::sleep(Duration::from_millis(100));
        }
        eprintln!(
            "Prometheus ready after {ready:.2} s, every target scraped after {:.2} s",
            started.elapsed().as_secs_f64()
        );
    }

    fn at(&self, key: &str) -> i64 {
        self.history[key].as_i64().unwrap()
    }

    /// An instant query through the service proxy; the result vector.
    fn query(&self, promql: &str, time: Option<i64>) -> Vec<Value> {
        let t = time.map(|t| format!("&time={t}")).unwrap_or_default();
        let (status, body) = http(
            &self.api,
            "GET",
            &format!("{PROXY}/api/v1/query?query={}{t}", enc(promql)),
            None,
        );
        assert_eq!(status, 200, "{promql}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["status"], "success", "{body}");
        v["data"]["result"].as_array().cloned().unwrap_or_default()
    }

    /// The single value of an instant query.
    fn value(&self, promql: &str, time: Option<i64>) -> f64 {
        let r = self.query(promql, time);
        assert_eq!(r.len(), 1, "{promql} at {time:?}: {r:?}");
        r[0]["value"][1].as_str().unwrap().parse().unwrap()
    }
}

fn skip() -> Option<String> {
    let bin = prometheus_bin();
    if bin.is_none() {
        eprintln!("SKIPPED: prometheus/promtool are not installed (run `cargo xtask setup`)");
    }
    bin
}

#[test]
fn prometheus_serves_the_backfilled_week_and_the_live_pods_through_the_service_proxy() {
    let Some(bin) = skip() else { return };
    let mut env = Env::start(Some(&bin));
    let start = env.at("start");
    let end = env.at("end");
    let day = 86_400;
    let job = format!("job=\"{JOB}\"");

    // live scraping: the counter of the gateway's requests answers through the proxy
    let live = env.query(
        &format!("sum by (job) (nginx_ingress_controller_requests{{{job}}})"),
        None,
    );
    assert_eq!(live.len(), 1, "{live:?}");

    // seven days of range data through the service proxy (a gauge: sampled at least every 4m)
    let (status, body) = http(
        &env.api,
        "GET",
        &format!(
            "{PROXY}/api/v1/query_range?query={}&start={}&end={start}&step=3600",
            enc(&format!(
                "sum(nginx_ingress_controller_nginx_process_resident_memory_bytes{{{job}}})"
            )),
            start - 7 * day
        ),
        None,
    );
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    let points = v["data"]["result"][0]["values"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        points.len(),
        7 * 24 + 1,
        "one point per hour for 7 days: {body}"
    );
    // and requests for every hour of the week
    let hourly = env.query(
        &format!("sum(increase(nginx_ingress_controller_requests{{{job}}}[3h]))"),
        Some(start - 7 * day + 3 * 3600),
    );
    assert!(!hourly.is_empty(), "no requests 7 days ago");
    let week = env.value(
        &format!("sum(increase(nginx_ingress_controller_requests{{{job}}}[7d]))"),
        Some(end),
    );
    assert!(week > 100_000.0, "{week}");

    // the recent 5xx burst (beginning 40–50 minutes before the start) against the quiet hours
    // around it
    let burst = &env.history["bursts"][1];
    let (b_from, b_to) = (
        burst["from"].as_i64().unwrap(),
        burst["to"].as_i64().unwrap(),
    );
    assert!(
        (40 * 60..=50 * 60).contains(&(start - b_from)),
        "{}",
        start - b_from
    );
    assert_eq!(b_to - b_from, 300);
    let fivexx = |t: i64, w: &str| {
        env.value(
            &format!("sum(increase(nginx_ingress_controller_requests{{{job},status=~\"5..\"}}[{w}])) or vector(0)"),
            Some(t),
        )
    };
    let in_burst = fivexx(b_to, "5m");
    let quiet = fivexx(b_to + 15 * 60, "5m").max(fivexx(b_from - 20 * 60, "5m"));
    assert!(
        in_burst > 10.0 * quiet.max(1.0),
        "burst {in_burst} vs quiet {quiet}"
    );
    let total = env.value(
        &format!("sum(increase(nginx_ingress_controller_requests{{{job}}}[5m]))"),
        Some(b_to),
    );
    assert!(in_burst / total > 0.4, "{in_burst} of {total}");
    // the older burst, about two days earlier
    let older = &env.history["bursts"][0];
    let o_to = older["to"].as_i64().unwrap();
    assert!((2 * day..2 * day + 6 * 3600 + 1).contains(&(start - o_to)));
    let older_5xx = fivexx(o_to + 300, "20m");
    // per 20 minutes, over 2 hours (a random burst may fall into one of them)
    let usual = [o_to + day, o_to - day, o_to + day / 2]
        .map(|t| fivexx(t, "2h") / 6.0)
        .into_iter()
        .fold(f64::MAX, f64::min);
    assert!(
        older_5xx > 3.0 * usual.max(1.0),
        "older burst {older_5xx} vs {usual}"
    );

    // the latency spike about 3 hours before the start
    let spike = &env.history["latencySpikes"][0];
    let s_to = spike["to"].as_i64().unwrap();
    assert!(
        (9_000..12_000).contains(&(start - s_to + 1200)),
        "{}",
        start - s_to
    );
    let p95 = |t: i64| {
        env.value(
            &format!("histogram_quantile(0.95, sum by (le) (rate(nginx_ingress_controller_request_duration_seconds_bucket{{{job}}}[10m])))"),
            Some(t),
        )
    };
    let (spiked, normal) = (p95(s_to), p95(start - 15 * 60));
    assert!(
        spiked > 1.0 && normal < 0.5,
        "p95 {spiked} in the spike, {normal} later"
    );

    // the failed reload 22–32 minutes before the start, fixed 5 minutes later
    let reloads = env.history["reloads"].as_array().unwrap().clone();
    let failed = reloads
        .iter()
        .rev()
        .find(|r| r["ok"] == false)
        .and_then(|r| r["at"].as_i64())
        .unwrap();
    assert!(
        (22 * 60..=32 * 60).contains(&(start - failed)),
        "{}",
        start - failed
    );
    let last_ok = |t: i64| {
        env.value(
            &format!("min(nginx_ingress_controller_config_last_reload_successful{{{job}}})"),
            Some(t),
        )
    };
    assert_eq!(last_ok(failed + 60), 0.0);
    assert_eq!(last_ok(failed - 60), 1.0);
    assert_eq!(last_ok(end), 1.0);
    let errors = env.value(
        &format!("sum(increase(nginx_ingress_controller_errors{{{job}}}[5m]))"),
        Some(failed + 120),
    );
    assert!(errors >= 1.0, "{errors}");
    let fixed_at = env.value(
        &format!("max(nginx_ingress_controller_config_last_reload_successful_timestamp_seconds{{{job}}})"),
        Some(end),
    );
    assert_eq!(fixed_at as i64, failed + 5 * 60);
    let success = env.value(
        &format!("min(nginx_ingress_controller_success{{{job}}})"),
        Some(end),
    );
    assert!(success >= 5.0, "{success}");

    // certificates: api.example.com expires in about 9 days
    let certs = env.query(
        &format!("nginx_ingress_controller_ssl_expire_time_seconds{{{job}}}"),
        Some(end),
    );
    let api = certs
        .iter()
        .find(|c| c["metric"]["host"] == "api.example.com")
        .unwrap_or_else(|| panic!("{certs:?}"));
    let m = &api["metric"];
    assert_eq!(m["secret_name"], "api-example-com-tls");
    assert_eq!(m["class"], "k8s.io/ingress-nginx");
    assert_eq!(m["exported_namespace"], CS);
    let expires_in = api["value"][1].as_str().unwrap().parse::<f64>().unwrap() - start as f64;
    assert!(
        (8.0 * day as f64..10.0 * day as f64).contains(&expires_in),
        "{expires_in}"
    );
    assert!(certs
        .iter()
        .any(|c| c["metric"]["host"] == "shop.example.com"));

    // labels as behind the chart's ServiceMonitor: target namespace, exported_namespace
    let series = env.query(&format!("nginx_ingress_controller_requests{{{job}}}"), None);
    assert!(series.len() >= 4, "{series:?}");
    for s in &series {
        let m = &s["metric"];
        assert_eq!(m["namespace"], CS, "{m}");
        assert_eq!(m["exported_namespace"], "demo", "{m}");
        assert_eq!(m["pod"], m["controller_pod"], "{m}");
        assert!(m["ingress"] == "shop" || m["ingress"] == "api", "{m}");
    }

    // cAdvisor: per-pod CPU and memory of the controller container, different per pod
    let cpu = env.query(
        &format!("rate(container_cpu_usage_seconds_total{{namespace=\"{CS}\",container=\"controller\"}}[1h])"),
        Some(end),
    );
    assert_eq!(cpu.len(), 2, "{cpu:?}");
    assert_eq!(cpu[0]["metric"]["job"], "kubelet");
    assert!(cpu[0]["metric"]["pod"]
        .as_str()
        .unwrap()
        .starts_with("kubesphere-router-kubesphere-system-"));
    assert_ne!(cpu[0]["metric"]["pod"], cpu[1]["metric"]["pod"]);
    let rates: Vec<f64> = cpu
        .iter()
        .map(|c| c["value"][1].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(rates.iter().all(|r| *r > 0.001 && *r < 1.0), "{rates:?}");
    assert!(
        (rates[0] / rates[1] - 1.0).abs() > 0.02,
        "CPU the same for both pods: {rates:?}"
    );
    let memory = env.query(
        &format!(
            "container_memory_working_set_bytes{{namespace=\"{CS}\",container=\"controller\"}}"
        ),
        None,
    );
    assert_eq!(memory.len(), 2, "{memory:?}");
    assert_ne!(memory[0]["value"][1], memory[1]["value"][1]);

    // the live samples continue the backfilled counters: no reset at the junction
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let newest = env.value(
            &format!("max(timestamp(nginx_ingress_controller_requests{{{job}}}))"),
            None,
        );
        if newest as i64 > start + 5 {
            break;
        }
        assert!(Instant::now() < deadline, "no live sample after the start");
        std::thread::sleep(Duration::from_millis(500));
    }
    for family in [
        "nginx_ingress_controller_requests",
        "nginx_ingress_controller_request_duration_seconds_bucket",
        "nginx_ingress_controller_nginx_process_cpu_seconds_total",
        "nginx_ingress_controller_success",
        "container_cpu_usage_seconds_total",
    ] {
        let resets = env.value(&format!("sum(resets({family}[30m]))"), None);
        assert_eq!(
            resets, 0.0,
            "{family} was reset between the history and the live scrapes"
        );
    }

    // Prometheus' own errors pass through unchanged
    let bad = format!("{PROXY}/api/v1/query?query={}", enc("sum("));
    let (status, body) = http(&env.api, "GET", &bad, None);
    let (direct_status, direct) = http(
        &env.prom_addr,
        "GET",
        &format!("/api/v1/query?query={}", enc("sum(")),
        None,
    );
    assert_eq!((status, direct_status), (400, 400));
    assert_eq!(body, direct);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (v["status"].as_str(), v["errorType"].as_str()),
        (Some("error"), Some("bad_data"))
    );

    // Prometheus down: the API server's 503
    let mut prom = env.prom.take().unwrap();
    prom.kill().ok();
    prom.wait().ok();
    let (status, body) = http(
        &env.api,
        "GET",
        &format!("{PROXY}/api/v1/query?query=up"),
        None,
    );
    assert_eq!(status, 503, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["kind"], "Status");
    assert_eq!(v["reason"], "ServiceUnavailable");
    assert_eq!(
        v["message"],
        format!(
            "error trying to reach service: dial tcp {}: connect: connection refused",
            env.prom_addr
        )
    );
}

#[test]
fn service_proxy_without_prometheus_answers_like_the_api_server() {
    // --prometheus not given
    let mut opts = Options {
        scenario: "nodeport".into(),
        pace: 0.05,
        ..Options::default()
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let serve = |opts: &Options| {
        rt.block_on(async {
            let cluster = devcluster::build(opts).unwrap();
            let api = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let a = api.local_addr().unwrap().to_string();
            tokio::spawn(devcluster::serve(cluster, api, std::future::pending()));
            a
        })
    };
    let api = serve(&opts);
    let query = format!("{PROXY}/api/v1/query?query=up");
    let (status, body) = http(&api, "GET", &query, None);
    assert_eq!(status, 503, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (v["kind"].as_str(), v["code"].as_i64()),
        (Some("Status"), Some(503))
    );
    let msg = v["message"].as_str().unwrap();
    assert!(
        msg.starts_with("error trying to reach service: dial tcp 10.233.")
            && msg.ends_with(":9090: connect: connection refused"),
        "{msg}"
    );
    // a Prometheus that refuses
    let port = free_port();
    opts.prometheus = Some(format!("http://127.0.0.1:{port}"));
    let api2 = serve(&opts);
    let (status, body) = http(&api2, "GET", &query, None);
    assert_eq!(status, 503);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v["message"],
        format!(
            "error trying to reach service: dial tcp 127.0.0.1:{port}: connect: connection refused"
        )
    );
    // no such Service
    let (status, _) = http(
        &api,
        "DELETE",
        "/api/v1/namespaces/kubesphere-monitoring-system/services/prometheus-k8s",
        None,
    );
    assert_eq!(status, 200);
    let (status, body) = http(&api, "GET", &query, None);
    assert_eq!(status, 404, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["message"], "services \"prometheus-k8s\" not found");
    assert_eq!(v["reason"], "NotFound");
}

/// A bad ConfigMap fails the reload: the pods' metrics and a Warning event say so; a good one
/// succeeds again.
#[test]
fn configmap_changes_reload_nginx_and_count_in_the_metrics() {
    let opts = Options {
        scenario: "nodeport".into(),
        pace: 0.05,
        ..Options::default()
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (api, metrics) = rt.block_on(async {
        let cluster = devcluster::build(&opts).unwrap();
        let api = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let m = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (a, ma) = (
            api.local_addr().unwrap().to_string(),
            m.local_addr().unwrap().to_string(),
        );
        let router = devcluster::metrics_router(cluster.clone(), ma.clone());
        tokio::spawn(async move { axum::serve(m, router).await });
        tokio::spawn(devcluster::serve(cluster, api, std::future::pending()));
        (a, ma)
    });
    let pods: Value =
        serde_json::from_str(&http(&api, "GET", &format!("/api/v1/namespaces/{CS}/pods"), None).1)
            .unwrap();
    let pod = pods["items"][0]["metadata"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    let metric = |name: &str| -> f64 {
        let (_, body) = http(&metrics, "GET", &format!("/metrics/{CS}/{pod}"), None);
        body.lines()
            .find(|l| l.starts_with(&format!("{name}{{")))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    let errors = metric("nginx_ingress_controller_errors");
    let success = metric("nginx_ingress_controller_success");
    assert_eq!(
        metric("nginx_ingress_controller_config_last_reload_successful"),
        1.0
    );
    let cm = format!("/api/v1/namespaces/{CS}/configmaps/kubesphere-router-kubesphere-system");
    let patch = |data: &str| {
        let (status, body) = http(
            &api,
            "PATCH",
            &cm,
            Some((
                "application/merge-patch+json",
                &format!("{{\"data\":{data}}}"),
            )),
        );
        assert_eq!(status, 200, "{body}");
    };
    patch(r#"{"server-snippet":"location /x { return 200;"}"#);
    let deadline = Instant::now() + Duration::from_secs(10);
    while metric("nginx_ingress_controller_errors") == errors {
        assert!(Instant::now() < deadline, "no failed reload");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(metric("nginx_ingress_controller_errors"), errors + 1.0);
    assert_eq!(
        metric("nginx_ingress_controller_config_last_reload_successful"),
        0.0
    );
    assert_eq!(metric("nginx_ingress_controller_config_hash"), 0.0);
    let events = http(
        &api,
        "GET",
        &format!("/api/v1/namespaces/{CS}/events"),
        None,
    )
    .1;
    assert!(
        events.contains("Error reloading NGINX: exit status 1"),
        "{events}"
    );
    patch(r#"{"server-snippet":"location /x { return 200; }"}"#);
    let deadline = Instant::now() + Duration::from_secs(10);
    while metric("nginx_ingress_controller_config_last_reload_successful") == 0.0 {
        assert!(Instant::now() < deadline, "no successful reload");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(metric("nginx_ingress_controller_success"), success + 1.0);
    assert!(
        metric("nginx_ingress_controller_config_last_reload_successful_timestamp_seconds") > 0.0
    );
}
