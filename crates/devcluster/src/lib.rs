//! devcluster: a built-in simulated KubeSphere cluster that speaks the Kubernetes API closely
//! enough for the real `kubectl`, a real Prometheus and gateway-console.
//!
//! - [`registry`]: served resource types; [`discovery`]: discovery documents.
//! - [`store`]: the generic object store (RV, conflicts, finalizers, GC, selectors, paging, history).
//! - [`api`]: HTTP routing, authorization, watch streams; [`table`]: server-side printing.
//! - [`validation`], [`schema`]: what the API server rejects; [`patch`]: the three patch types.
//! - [`workloads`]: gateway operator, Deployment/ReplicaSet controllers, kubelet, cloud LB;
//!   [`events`]: the core/v1 Events they record.
//! - [`traffic`], [`logs`], [`metrics`]: ingress-nginx traffic, its access logs and its metrics
//!   (and cAdvisor's per-pod CPU/memory); [`history`], [`backfill`]: the week before the start,
//!   written into a Prometheus data directory with `promtool`.
//! - [`users`], [`faults`], [`scenarios`]: `--as`, `--faults`, `--scenario`.

pub mod api;
pub mod backfill;
pub mod discovery;
pub mod events;
pub mod faults;
pub mod history;
pub mod http_client;
pub mod logs;
pub mod metrics;
pub mod openapi;
pub mod patch;
pub mod protobuf;
pub mod registry;
pub mod scenarios;
pub mod schema;
pub mod selectors;
pub mod status;
pub mod store;
pub mod table;
pub mod traffic;
pub mod users;
pub mod validation;
pub mod workloads;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::json;

pub use api::{Cluster, Shared};

/// Everything needed to start a devcluster.
#[derive(Debug, Clone)]
pub struct Options {
    pub scenario: String,
    pub seed: u64,
    pub user: String,
    pub faults: String,
    /// Multiplies simulated delays (1.0 = realistic, 0 = instant).
    pub pace: f64,
    pub max_watch: Duration,
    pub prometheus: Option<String>,
    /// `--log-lines`: every controller pod of the starting scenario has at least this many access
    /// lines of log history (backdated; the kubelet's retention grows to fit them).
    pub log_lines: Option<u64>,
    /// `--log-rate`: from the start on, every controller pod serves this many requests per second
    /// (access lines, and the request counters of its metrics) instead of the diurnal curve.
    pub log_rate: Option<f64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            scenario: "empty".into(),
            seed: 1,
            user: "admin".into(),
            faults: String::new(),
            pace: 1.0,
            max_watch: Duration::from_secs(300),
            prometheus: None,
            log_lines: None,
            log_rate: None,
        }
    }
}

/// Builds the cluster state for `opts` and starts its controllers (needs a tokio runtime).
pub fn build(opts: &Options) -> Result<Shared, String> {
    let user = users::User::parse(&opts.user)?;
    let faults = faults::Faults::parse(&opts.faults)?;
    let store = Arc::new(store::Store::new());
    if opts.log_rate.is_some_and(|r| !(0.0..=1e6).contains(&r)) {
        return Err(format!(
            "--log-rate must be between 0 and 1000000 lines per second, not {}",
            opts.log_rate.unwrap_or_default()
        ));
    }
    let mut workloads =
        workloads::Workloads::new(store.clone(), opts.seed, opts.pace, opts.prometheus.clone());
    workloads.log_lines = opts.log_lines.filter(|&n| n > 0);
    workloads.log_rate = opts.log_rate;
    let workloads = Arc::new(workloads);
    scenarios::load(&store, &workloads, &opts.scenario)?;
    workloads.mark_history_pods();
    workloads.spawn();
    Ok(Arc::new(Cluster {
        store,
        user,
        faults,
        workloads,
        max_watch: opts.max_watch,
    }))
}

/// The Kubernetes API router.
pub fn router(cluster: Shared) -> Router {
    Router::new().fallback(api::handle).with_state(cluster)
}

/// The metrics endpoint a real Prometheus scrapes: `/targets` for `http_sd_configs`,
/// `/metrics/<namespace>/<pod>` per controller pod (ingress-nginx), `/metrics/cadvisor/<node>`
/// per node (the kubelet's cAdvisor) and `/history` (the backfilled incidents, JSON).
pub fn metrics_router(cluster: Shared, public_addr: String) -> Router {
    Router::new()
        .route("/targets", get(targets))
        .route("/history", get(history))
        .route("/metrics/cadvisor/{node}", get(cadvisor))
        .route("/metrics/{ns}/{pod}", get(pod_metrics))
        .with_state((cluster, public_addr))
}

fn labels_json(labels: Vec<(String, String)>, path: String) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    m.insert("__metrics_path__".into(), json!(path));
    for (k, v) in labels {
        m.insert(k, json!(v));
    }
    serde_json::Value::Object(m)
}

/// http_sd targets: every running controller pod (job `<gateway>-metrics`, as the chart's
/// ServiceMonitor names it) and every node's kubelet (job `kubelet`, `/metrics/cadvisor`).
async fn targets(State((cluster, addr)): State<(Shared, String)>) -> Response {
    let pods = cluster.store.select(
        registry::id("", "pods"),
        None,
        "app.kubernetes.io/name=ingress-nginx",
    );
    let mut groups: Vec<_> = pods
        .iter()
        .filter(|p| p["status"]["phase"] == "Running")
        .map(|p| {
            let ns = p["metadata"]["namespace"].as_str().unwrap_or_default();
            let name = p["metadata"]["name"].as_str().unwrap_or_default();
            let instance = p["metadata"]["labels"]["app.kubernetes.io/instance"]
                .as_str()
                .unwrap_or_default();
            let gateway = instance.strip_suffix("-ingress").unwrap_or(instance);
            let labels = metrics::nginx_target_labels(
                ns,
                name,
                gateway,
                p["status"]["podIP"].as_str().unwrap_or_default(),
            );
            json!({"targets": [addr], "labels": labels_json(labels, format!("/metrics/{ns}/{name}"))})
        })
        .collect();
    for node in cluster.store.select(registry::id("", "nodes"), None, "") {
        let name = node["metadata"]["name"].as_str().unwrap_or_default();
        let ip = node["status"]["addresses"]
            .as_array()
            .and_then(|a| a.iter().find(|a| a["type"] == "InternalIP"))
            .and_then(|a| a["address"].as_str())
            .unwrap_or_default();
        let labels = metrics::kubelet_target_labels(name, ip);
        groups.push(json!({"targets": [addr], "labels": labels_json(labels, format!("/metrics/cadvisor/{name}"))}));
    }
    api::json_response(200, &json!(groups))
}

async fn history(State((cluster, _)): State<(Shared, String)>) -> Response {
    let mut body = cluster.workloads.timeline.to_json();
    body["pods"] = json!(cluster
        .workloads
        .history_pods()
        .iter()
        .map(|p| format!(
            "{}/{}",
            p["metadata"]["namespace"].as_str().unwrap_or_default(),
            p["metadata"]["name"].as_str().unwrap_or_default()
        ))
        .collect::<Vec<_>>());
    api::json_response(200, &body)
}

const EXPOSITION: &str = "text/plain; version=0.0.4; charset=utf-8";

async fn pod_metrics(
    State((cluster, _)): State<(Shared, String)>,
    Path((ns, pod)): Path<(String, String)>,
) -> Response {
    match cluster.store.get(registry::id("", "pods"), &ns, &pod) {
        Ok(p) if workloads::serving(&p) => {
            workloads::text_response(cluster.workloads.pod_metrics(&p), EXPOSITION)
        }
        _ => (axum::http::StatusCode::NOT_FOUND, "no such running pod").into_response(),
    }
}

async fn cadvisor(
    State((cluster, _)): State<(Shared, String)>,
    Path(node): Path<String>,
) -> Response {
    match cluster.store.get(registry::id("", "nodes"), "", &node) {
        Ok(_) => workloads::text_response(cluster.workloads.cadvisor(&node), EXPOSITION),
        Err(_) => (axum::http::StatusCode::NOT_FOUND, "no such node").into_response(),
    }
}

/// Serves the API on `addr` until `shutdown` resolves.
pub async fn serve(
    cluster: Shared,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(cluster).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
