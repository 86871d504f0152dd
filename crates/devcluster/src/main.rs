//! `devcluster --listen 127.0.0.1:8001 --scenario nodeport` — see `--help`.

use std::time::Duration;

use clap::Parser;
use devcluster::scenarios::SCENARIOS;
use devcluster::Options;

fn scenario_help() -> String {
    let mut s = String::from("Scenarios:\n");
    for (name, what) in SCENARIOS {
        s.push_str(&format!("  {name:<13} {what}\n"));
    }
    s.push_str("\nUsers (--as):\n  admin                 everything\n  viewer                read only\n  project-admin:<ns>    read everything; write only in project <ns> and its gateway\n");
    s.push_str("\nEvents (kubectl get events -A, kubectl describe …):\n  The gateway operator (gateway-controller), Deployment and ReplicaSet controllers, scheduler,\n  kubelet and ingress-nginx record core/v1 Events as Kubernetes does: identical ones within 10m\n  are counted on one Event; at most 500 per namespace, each kept 1h after it last happened.\n\nCrash loop:\n  A Gateway with spec.deployment.resources.limits.memory below 100Mi has its controller pods\n  OOMKilled in a loop (exit 137, restartCount +1, CrashLoopBackOff, BackOff and Unhealthy\n  warnings): 5s running, 1s terminated, 10s back-off, times --pace (at least 1/20 of that).\n  Raising the limit rolls out healthy pods and ends it, e.g.\n  kubectl patch gateway -n kubesphere-controls-system <name> --type=merge \\\n    -p '{\"spec\":{\"deployment\":{\"resources\":{\"limits\":{\"memory\":\"64Mi\"}}}}}'\n");
    s.push_str("\nMonitoring (--metrics-listen, --prometheus, --prometheus-data):\n  /targets (http_sd) lists every controller pod (job <gateway>-metrics, /metrics/<ns>/<pod>: ingress-nginx\n  v1.3.1 families) and every node's kubelet (job kubelet, /metrics/cadvisor/<node>: container_cpu_usage_seconds_total,\n  container_memory_working_set_bytes); /history tells when the backfilled incidents happened.\n  --prometheus-data DIR writes 7 days of those series into a Prometheus data directory (promtool) before\n  serving: a 5-minute 5xx burst beginning 40-50 min before the start, a failed reload\n  22-32 min before (fixed 5 min later), a 20-minute latency spike beginning 2h40m-3h10m before, another burst\n  about 2 days before (exact times: /history). A ConfigMap whose *-snippet braces do not\n  balance (or with a value of the wrong type) fails the reload: Warning RELOAD, nginx_ingress_controller_errors + 1.\n  Ingress annotation devcluster/certificate-days: N sets when its TLS hosts' certificates expire.\n");
    s.push_str("\nLogs (kubectl logs [-f] [--tail N] [--timestamps], GET …/pods/<pod>/log):\n  A controller pod logs its start-up banner, then one ingress-nginx access line per request of the\n  traffic model (and an nginx [error] line per 502/504), each second's lines spread over the second\n  (unique, ordered timestamps). The kubelet keeps the last 6h, at most 10 MiB.\n  --log-lines N         the pods of the starting scenario (at most 12; their nginx notionally runs\n                        since the 7-day history's origin) keep their log back to the N-th newest\n                        access line, and at least the last 6h, with no byte limit: a tail of N\n                        lines or more is backdated traffic (no banner); streamed in ~64 KiB chunks\n  --log-rate R          from the start on, every controller pod serves R requests per second (its\n                        access lines and its metrics' request counters), so `logs -f` grows by\n                        about R lines/s; the history before the start keeps the diurnal rate\n");
    s.push_str("\nFaults (--faults, comma separated, each optional):\n  latency=200ms         added to every request\n  errors=0.1            fraction of non-streaming requests answered 500/503/429 (with Retry-After)\n  watch-drop=30s        the server closes every watch and followed log after this long\n  conflicts=0.5         fraction of PUT/PATCH answered 409 Conflict\n  max-gateway-replicas=5  an admission policy: Gateway writes with more replicas get 422 Invalid\n  fail=TEXT[:N]         requests whose `METHOD path?query` contains TEXT fail with 500 (the first N; repeatable)\n  throttle=TEXT:N       the first N requests whose `METHOD path?query` contains TEXT get 429 with Retry-After: 1\n");
    s
}

/// A simulated KubeSphere cluster speaking the Kubernetes API (for gateway-console, kubectl and Prometheus).
#[derive(Parser, Debug)]
#[command(name = "devcluster", version, after_help = scenario_help())]
struct Cli {
    /// Address of the Kubernetes API (plain HTTP, like `kubectl proxy`).
    #[arg(long, default_value = "127.0.0.1:8001")]
    listen: String,
    /// Starting state; see the list below.
    #[arg(long, default_value = "nodeport")]
    scenario: String,
    /// Seed of every simulated random choice (names, IPs, traffic).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Who the requests are made as: admin, viewer, project-admin:<ns>.
    #[arg(long = "as", default_value = "admin")]
    user: String,
    /// Injected faults, e.g. `latency=200ms,errors=0.1,watch-drop=30s,conflicts=0.5`.
    #[arg(long, default_value = "")]
    faults: String,
    /// Multiplier of simulated delays (pod start, load balancer, operator); 0 = instant.
    #[arg(long, default_value_t = 1.0)]
    pace: f64,
    /// Seconds a watch stays open when the client sets no timeoutSeconds.
    #[arg(long, default_value_t = 300)]
    watch_timeout: u64,
    /// Where a real Prometheus can scrape the gateway pods (`/targets` for http_sd_configs).
    #[arg(long)]
    metrics_listen: Option<String>,
    /// Base URL of a real Prometheus that the service proxy `prometheus-k8s:9090` forwards to.
    #[arg(long)]
    prometheus: Option<String>,
    /// Prometheus data directory to fill with 7 days of history (promtool) before serving;
    /// start Prometheus on it afterwards.
    #[arg(long)]
    prometheus_data: Option<std::path::PathBuf>,
    /// Where the history's TSDB blocks are cached (default: `devcluster-backfill` beside the
    /// directory of this executable, i.e. under `target/`).
    #[arg(long)]
    backfill_cache: Option<std::path::PathBuf>,
    /// Give the controller log of every gateway pod of the starting scenario at least N access
    /// lines of history (backdated; for benchmarks, e.g. 200000 ≈ 42 MB); see "Logs" below.
    #[arg(long, value_name = "N")]
    log_lines: Option<u64>,
    /// From the start on, every gateway pod serves this many requests per second, so a followed
    /// log grows by about as many access lines per second (e.g. 2000); see "Logs" below.
    #[arg(long, value_name = "LINES_PER_SECOND")]
    log_rate: Option<f64>,
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let opts = Options {
        scenario: cli.scenario.clone(),
        seed: cli.seed,
        user: cli.user.clone(),
        faults: cli.faults.clone(),
        pace: cli.pace,
        max_watch: Duration::from_secs(cli.watch_timeout),
        prometheus: cli.prometheus.clone(),
        log_lines: cli.log_lines,
        log_rate: cli.log_rate,
    };
    let cluster = match devcluster::build(&opts) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("devcluster: {e}");
            std::process::exit(2);
        }
    };
    if let Some(data) = &cli.prometheus_data {
        let cache = cli.backfill_cache.clone().unwrap_or_else(|| {
            std::env::current_exe()
                .ok()
                .and_then(|p| {
                    p.parent()
                        .and_then(|d| d.parent())
                        .map(|d| d.join("devcluster-backfill"))
                })
                .unwrap_or_else(|| std::env::temp_dir().join("devcluster-backfill"))
        });
        let workloads = cluster.workloads.clone();
        let (data, cache2) = (data.clone(), cache.clone());
        match tokio::task::spawn_blocking(move || {
            devcluster::backfill::prepare(&workloads, &data, &cache2)
        })
        .await
        {
            Ok(Ok(report)) => println!("devcluster: {report} (cache {})", cache.display()),
            Ok(Err(e)) => {
                eprintln!("devcluster: cannot write the Prometheus history: {e}");
                std::process::exit(1);
            }
            Err(e) => {
                eprintln!("devcluster: cannot write the Prometheus history: {e}");
                std::process::exit(1);
            }
        }
    }
    let listener = match tokio::net::TcpListener::bind(&cli.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("devcluster: cannot listen on {}: {e}", cli.listen);
            std::process::exit(1);
        }
    };
    if let Some(addr) = &cli.metrics_listen {
        match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => {
                let router = devcluster::metrics_router(cluster.clone(), addr.clone());
                tokio::spawn(async move { axum::serve(l, router).await });
                println!("devcluster: metrics for Prometheus on http://{addr}/targets");
            }
            Err(e) => {
                eprintln!("devcluster: cannot listen on {addr}: {e}");
                std::process::exit(1);
            }
        }
    }
    println!(
        "devcluster: scenario {} as {} on http://{} (kubectl -s http://{} …)",
        cli.scenario, cli.user, cli.listen, cli.listen
    );
    let shutdown = async {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        println!("devcluster: shutting down");
    };
    if let Err(e) = devcluster::serve(cluster, listener, shutdown).await {
        eprintln!("devcluster: {e}");
        std::process::exit(1);
    }
}
