//! devcluster: a built-in simulated KubeSphere cluster that speaks the Kubernetes API closely
//! enough for the real `kubectl`, a real Prometheus and gateway-console.
//!
//! - [`registry`]: served resource types; [`discovery`]: discovery documents.
//! - [`store`]: the generic object store (RV, conflicts, finalizers, GC, selectors, paging, history).
//! - [`api`]: HTTP routing, authorization, watch streams; [`table`]: server-side printing.
//! - [`validation`], [`schema`]: what the API server rejects; [`patch`]: the three patch types.
//! - [`workloads`]: gateway operator, Deployment/ReplicaSet controllers, kubelet, cloud LB;
//!   [`events`]: the core/v1 Events they record.
//! - [`traffic`], [`logs`], [`metrics`]: ingress-nginx traffic, its access logs and its metrics.
//! - [`users`], [`faults`], [`scenarios`]: `--as`, `--faults`, `--scenario`.

pub mod api;
pub mod discovery;
pub mod events;
pub mod faults;
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
        }
    }
}

/// Builds the cluster state for `opts` and starts its controllers (needs a tokio runtime).
pub fn build(opts: &Options) -> Result<Shared, String> {
    let user = users::User::parse(&opts.user)?;
    let faults = faults::Faults::parse(&opts.faults)?;
    let store = Arc::new(store::Store::new());
    let workloads = Arc::new(workloads::Workloads::new(
        store.clone(),
        opts.seed,
        opts.pace,
        opts.prometheus.clone(),
    ));
    scenarios::load(&store, &workloads, &opts.scenario)?;
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

/// The metrics endpoint a real Prometheus scrapes: `/targets` for `http_sd_configs` and
/// `/metrics/<namespace>/<pod>` per controller pod.
pub fn metrics_router(cluster: Shared, public_addr: String) -> Router {
    Router::new()
        .route("/targets", get(targets))
        .route("/metrics/{ns}/{pod}", get(pod_metrics))
        .with_state((cluster, public_addr))
}

async fn targets(State((cluster, addr)): State<(Shared, String)>) -> Response {
    let pods = cluster.store.select(
        registry::id("", "pods"),
        None,
        "app.kubernetes.io/name=ingress-nginx",
    );
    let groups: Vec<_> = pods
        .iter()
        .filter(|p| p["status"]["phase"] == "Running")
        .map(|p| {
            let ns = p["metadata"]["namespace"].as_str().unwrap_or_default();
            let name = p["metadata"]["name"].as_str().unwrap_or_default();
            let instance = p["metadata"]["labels"]["app.kubernetes.io/instance"]
                .as_str()
                .unwrap_or_default();
            let gateway = instance.strip_suffix("-ingress").unwrap_or(instance);
            json!({"targets": [addr], "labels": {
                "__metrics_path__": format!("/metrics/{ns}/{name}"),
                "job": gateway_model::names::metrics_job(gateway),
                "namespace": ns, "pod": name, "service": gateway_model::names::metrics_job(gateway),
                "instance": format!("{}:10254", p["status"]["podIP"].as_str().unwrap_or_default())
            }})
        })
        .collect();
    api::json_response(200, &json!(groups))
}

async fn pod_metrics(
    State((cluster, _)): State<(Shared, String)>,
    Path((ns, pod)): Path<(String, String)>,
) -> Response {
    match cluster.store.get(registry::id("", "pods"), &ns, &pod) {
        Ok(p) if workloads::serving(&p) => workloads::text_response(
            metrics::render(&cluster.workloads, &p),
            "text/plain; version=0.0.4; charset=utf-8",
        ),
        _ => (axum::http::StatusCode::NOT_FOUND, "no such running pod").into_response(),
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
