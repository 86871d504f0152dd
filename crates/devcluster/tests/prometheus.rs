//! A real Prometheus scrapes devcluster's gateway pods (http_sd) and answers through the API
//! server's service proxy, as the app will query it. Needs `prometheus` on PATH
//! (`cargo xtask setup` installs Debian's package).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use devcluster::Options;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http_get(addr: &str, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").ok()?;
    let mut buf = String::new();
    s.read_to_string(&mut buf).ok()?;
    buf.split_once("\r\n\r\n").map(|(_, b)| b.to_string())
}

#[test]
fn prometheus_scrapes_gateway_pods_and_answers_through_the_service_proxy() {
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
    let (api, metrics) = rt.block_on(async {
        let cluster = devcluster::build(&opts).unwrap();
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
    let dir = std::env::temp_dir().join(format!("devcluster-prometheus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: ingress-nginx\n    http_sd_configs:\n      - url: http://{metrics}/targets\n        refresh_interval: 5s\n"
        ),
    )
    .unwrap();
    let mut prom =
        Command::new(std::env::var("PROMETHEUS").unwrap_or_else(|_| "prometheus".into()))
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{prom_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run prometheus ({e}); run `cargo xtask setup`"));
    let query = "/api/v1/namespaces/kubesphere-monitoring-system/services/prometheus-k8s:9090/proxy/api/v1/query?query=sum%20by%20(job)%20(nginx_ingress_controller_requests)";
    let deadline = Instant::now() + Duration::from_secs(40);
    let answer = loop {
        let body = http_get(&api, query).unwrap_or_default();
        if body.contains("kubesphere-router-kubesphere-system-metrics") {
            break body;
        }
        if Instant::now() > deadline {
            prom.kill().ok();
            prom.wait().ok();
            panic!("Prometheus never returned the gateway's request counter; last answer: {body}");
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    prom.kill().ok();
    prom.wait().ok();
    std::fs::remove_dir_all(&dir).ok();
    let v: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(v["status"], "success");
    let value: f64 = v["data"]["result"][0]["value"][1]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(value > 0.0, "{answer}");
}
