//! What runs "inside" the simulated cluster: KubeSphere's gateway operator (Gateway → Deployment,
//! Services, ConfigMap, status), the Deployment and ReplicaSet controllers, the scheduler and
//! kubelet (pods Pending → Running), the cloud load balancer, and the ingress-nginx pods' logs
//! and metrics.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode};
use axum::response::Response;
use gateway_model::config_options;
use gateway_model::names::{
    self, CONTROLLER_CONTAINER, HELM_FINALIZER, METRICS_PORT, TRACING_ANNOTATION,
};
use gateway_model::validation::value_matches;
use serde_json::{json, Value};

use crate::events::{self, kubelet, Occurrence, Recorder, Source};
use crate::registry;
use crate::status::ApiError;
use crate::store::{now, EventType, Store};
use crate::traffic::{hash_str, mix, PodTraffic, Route, TlsHost};

pub const CONTROLLER_IMAGE: &str = "kubesphere/nginx-ingress-controller:v1.3.1";

/// Simulated cluster internals.
pub struct Workloads {
    pub store: Arc<Store>,
    pub seed: u64,
    /// Multiplies every simulated delay (0 = instant).
    pub pace: f64,
    /// Base URL of a real Prometheus that `services/prometheus-k8s:9090/proxy` forwards to.
    pub prometheus: Option<String>,
    /// True while a scenario is being loaded: pods then get a history (restarts, older start).
    pub loading: std::sync::atomic::AtomicBool,
    /// Where the components record their core/v1 Events.
    pub events: Recorder,
    /// (node, image) pairs the kubelet has pulled.
    pulled: Mutex<HashSet<(String, String)>>,
    /// uids of the pods whose controller is being OOM-killed in a loop.
    crashing: Mutex<HashSet<String>>,
    /// The week before the start: incidents, reloads, backfill segments.
    pub timeline: crate::history::Timeline,
    /// uids of the controller pods that existed at the start: their counters go back to the
    /// timeline's origin (and are backfilled).
    history_pods: Mutex<HashSet<String>>,
    /// Counters of each controller pod (by uid), advanced when scraped.
    pod_states: Mutex<HashMap<String, crate::metrics::PodState>>,
    /// Reloads each controller pod did since the start (by uid).
    reloads: Mutex<HashMap<String, crate::history::ReloadState>>,
    /// `--log-lines`: the controller log of every pod with a history holds at least this many
    /// access lines (backdated; see [`crate::logs`]).
    pub log_lines: Option<u64>,
    /// `--log-rate`: requests (access lines) per second of every controller pod from the start on.
    pub log_rate: Option<f64>,
    /// Backdated logs as rendered once (`--log-lines`).
    pub log_cache: crate::logs::Cache,
}

/// At most this many pods of a scenario get a history (the `large` scenario has 3,000).
pub const MAX_HISTORY_PODS: usize = 12;

/// A controller container whose memory limit is below this gets OOM-killed in a loop.
pub const OOM_BELOW_BYTES: u64 = 100 * 1024 * 1024;
/// Crash loop timings at pace 1 (milliseconds): running until the OOM kill, terminated until
/// the kubelet backs off, back-off until the restart.
pub const CRASH_RUNNING_MS: u64 = 5_000;
pub const CRASH_TERMINATED_MS: u64 = 1_000;
pub const CRASH_BACK_OFF_MS: u64 = 10_000;

struct Ids {
    gateways: usize,
    deployments: usize,
    replicasets: usize,
    pods: usize,
    services: usize,
    configmaps: usize,
    nodes: usize,
    ingresses: usize,
}

fn ids() -> Ids {
    Ids {
        gateways: registry::id("gateway.kubesphere.io", "gateways"),
        deployments: registry::id("apps", "deployments"),
        replicasets: registry::id("apps", "replicasets"),
        pods: registry::id("", "pods"),
        services: registry::id("", "services"),
        configmaps: registry::id("", "configmaps"),
        nodes: registry::id("", "nodes"),
        ingresses: registry::id("networking.k8s.io", "ingresses"),
    }
}

fn owner_ref(o: &Value, controller: bool) -> Value {
    json!({
        "apiVersion": o["apiVersion"], "kind": o["kind"], "name": o["metadata"]["name"], "uid": o["metadata"]["uid"],
        "controller": controller, "blockOwnerDeletion": true
    })
}

fn name_of(o: &Value) -> String {
    o["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn ns_of(o: &Value) -> String {
    o["metadata"]["namespace"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn set_condition(
    conditions: &mut Vec<Value>,
    type_: &str,
    status: &str,
    reason: &str,
    message: &str,
) {
    let now = now();
    match conditions.iter_mut().find(|c| c["type"] == type_) {
        Some(c) => {
            if c["status"] != status {
                c["lastTransitionTime"] = json!(now);
            }
            c["status"] = json!(status);
            c["reason"] = json!(reason);
            c["message"] = json!(message);
        }
        None => conditions.push(json!({"type": type_, "status": status, "reason": reason, "message": message, "lastTransitionTime": now})),
    }
}

/// Ingress annotation (devcluster's own) setting how many days the certificates of its TLS hosts
/// stay valid after devcluster's start (`nginx_ingress_controller_ssl_expire_time_seconds`);
/// without it, 30–89 days (seeded).
pub const CERTIFICATE_DAYS_ANNOTATION: &str = "devcluster/certificate-days";

/// Why `nginx -t` refuses a controller ConfigMap's `data`, as the text ingress-nginx puts in its
/// `Error reloading NGINX: …` event: a value of the wrong type (what the gateway operator's
/// schema refuses, written to the ConfigMap directly), or a `*-snippet` whose braces do not
/// balance.
pub fn reload_problem(data: &Value) -> Option<String> {
    let map = data.as_object()?;
    let at = |key: &str, what: String| {
        let file = format!("/tmp/nginx/nginx-cfg{:x}", hash_str(key) % 0xfff_ffff);
        format!(
            "exit status 1\n{} [emerg] 31#31: {what} in {file}:{}\nnginx: [emerg] {what} in {file}:{}\nnginx: configuration file {file} test failed\n",
            jiff::Timestamp::now().strftime("%Y/%m/%d %H:%M:%S"),
            200 + hash_str(key) % 900,
            200 + hash_str(key) % 900,
        )
    };
    for (k, v) in map {
        let value = v.as_str().unwrap_or_default();
        if k.ends_with("-snippet") {
            let mut depth = 0i64;
            for c in value.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth < 0 {
                    return Some(at(k, "unexpected \"}\"".into()));
                }
            }
            if depth > 0 {
                return Some(at(k, "unexpected end of file, expecting \"}\"".into()));
            }
        } else if let Some(opt) = config_options::lookup(k) {
            if !value_matches(&opt.value_type, value) {
                return Some(at(k, format!("invalid value {value:?} for {k:?}")));
            }
        }
    }
    None
}

/// A problem that makes the gateway's Helm release fail, as ingress-nginx would refuse it.
pub fn config_problem(config: &Value) -> Option<String> {
    let map = config.as_object()?;
    for (k, v) in map {
        let value = v.as_str().unwrap_or_default();
        if let Some(opt) = config_options::lookup(k) {
            if !value_matches(&opt.value_type, value) {
                return Some(format!(
                    "failed to upgrade release: values don't meet the specifications of the schema(s) in the following chart(s): ingress-nginx: controller.config.{k}: invalid value {value:?} for a {} option",
                    opt.value_type.name()
                ));
            }
        }
    }
    None
}

/// Bytes of a resource quantity (`64Mi`, `100M`, `0.5Gi`, `1e8`, `128974848`).
pub fn quantity_bytes(q: &str) -> Option<f64> {
    const SUFFIXES: [(&str, f64); 15] = [
        ("Ki", 1024.0),
        ("Mi", 1048576.0),
        ("Gi", 1073741824.0),
        ("Ti", 1099511627776.0),
        ("Pi", 1125899906842624.0),
        ("Ei", 1152921504606846976.0),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    let q = q.trim();
    let number = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '.' | '+' | '-'))
            .then(|| s.parse::<f64>().ok())
            .flatten()
            .filter(|n| n.is_finite())
    };
    for (suffix, factor) in SUFFIXES {
        if let Some(n) = q.strip_suffix(suffix).and_then(number) {
            return Some(n * factor);
        }
    }
    number(q)
}

/// The containers of `pod` whose memory limit is below [`OOM_BELOW_BYTES`].
pub fn low_memory_containers(pod: &Value) -> Vec<String> {
    pod["spec"]["containers"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .filter(|c| {
                    c["resources"]["limits"]["memory"]
                        .as_str()
                        .map(str::to_string)
                        .or_else(|| {
                            c["resources"]["limits"]["memory"]
                                .as_f64()
                                .map(|n| n.to_string())
                        })
                        .and_then(|m| quantity_bytes(&m))
                        .is_some_and(|b| b < OOM_BELOW_BYTES as f64)
                })
                .filter_map(|c| c["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the pod's containers are all running (a crash-looping one serves nothing).
pub fn serving(pod: &Value) -> bool {
    pod["status"]["phase"] == "Running"
        && pod["status"]["containerStatuses"]
            .as_array()
            .is_some_and(|c| c.iter().all(|c| c["state"]["running"].is_object()))
}

fn oom_prone(pod: &Value) -> bool {
    !low_memory_containers(pod).is_empty()
}

fn container_names(pod: &Value) -> Vec<String> {
    pod["spec"]["containers"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .filter_map(|c| c["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `namespace/name` of the ConfigMap an ingress-nginx pod reads (`--configmap=`).
fn configmap_of(pod: &Value) -> Option<(String, String)> {
    let ns = ns_of(pod);
    pod["spec"]["containers"]
        .as_array()?
        .iter()
        .flat_map(|c| c["args"].as_array().cloned().unwrap_or_default())
        .find_map(|a| {
            let v = a.as_str()?.strip_prefix("--configmap=")?;
            let v = v.replace("$(POD_NAMESPACE)", &ns);
            let (n, name) = v.split_once('/')?;
            Some((n.to_string(), name.to_string()))
        })
}

fn pod_ref(pod: &Value) -> String {
    format!(
        "{}_{}({})",
        name_of(pod),
        ns_of(pod),
        pod["metadata"]["uid"].as_str().unwrap_or_default()
    )
}

fn pod_kubelet(pod: &Value) -> Source<'_> {
    kubelet(pod["spec"]["nodeName"].as_str().unwrap_or("node1"))
}

fn back_off<'a>(pod: &'a Value, container: &str) -> Occurrence<'a> {
    Occurrence::new(
        "Warning",
        "BackOff",
        format!(
            "Back-off restarting failed container {container} in pod {}",
            pod_ref(pod)
        ),
        pod_kubelet(pod),
    )
    .container(container)
}

fn readiness_failed<'a>(pod: &'a Value, container: &str) -> Occurrence<'a> {
    let ip = pod["status"]["podIP"].as_str().unwrap_or_default();
    Occurrence::new(
        "Warning",
        "Unhealthy",
        format!("Readiness probe failed: Get \"http://{ip}:{METRICS_PORT}/healthz\": dial tcp {ip}:{METRICS_PORT}: connect: connection refused"),
        pod_kubelet(pod),
    )
    .container(container)
}

fn reload(times: u64) -> Occurrence<'static> {
    Occurrence::new(
        "Normal",
        "RELOAD",
        "NGINX reload triggered due to a change in configuration",
        events::INGRESS_NGINX,
    )
    .times(times)
}

/// Milliseconds as Go prints a `time.Duration` (`4.512s`, `2s`, `1m3.5s`).
fn go_duration(ms: u64) -> String {
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    let secs = trim(format!("{}.{:03}", (ms / 1000) % 60, ms % 1000));
    if ms >= 60_000 {
        format!("{}m{secs}s", ms / 60_000)
    } else {
        format!("{secs}s")
    }
}

impl Workloads {
    pub fn new(store: Arc<Store>, seed: u64, pace: f64, prometheus: Option<String>) -> Self {
        Workloads {
            store,
            seed,
            pace,
            prometheus,
            loading: std::sync::atomic::AtomicBool::new(false),
            events: Recorder::new(seed),
            pulled: Mutex::new(HashSet::new()),
            crashing: Mutex::new(HashSet::new()),
            timeline: crate::history::Timeline::new(jiff::Timestamp::now().as_second(), seed),
            history_pods: Mutex::new(HashSet::new()),
            pod_states: Mutex::new(HashMap::new()),
            reloads: Mutex::new(HashMap::new()),
            log_lines: None,
            log_rate: None,
            log_cache: Default::default(),
        }
    }

    /// Whether `pod` existed at the start (its nginx notionally runs since the timeline's origin).
    pub fn has_history(&self, pod: &Value) -> bool {
        pod["metadata"]["uid"]
            .as_str()
            .is_some_and(|u| self.history_pods.lock().unwrap().contains(u))
    }

    /// Marks the controller pods that exist now (after loading the scenario) as having a
    /// history since the timeline's origin (at most [`MAX_HISTORY_PODS`]).
    pub fn mark_history_pods(&self) {
        let mut pods: Vec<Value> = self
            .store
            .select(ids().pods, None, "app.kubernetes.io/name=ingress-nginx")
            .into_iter()
            .filter(serving)
            .collect();
        pods.sort_by_key(|p| (ns_of(p), name_of(p)));
        let mut set = self.history_pods.lock().unwrap();
        for p in pods.iter().take(MAX_HISTORY_PODS) {
            if let Some(uid) = p["metadata"]["uid"].as_str() {
                set.insert(uid.to_string());
            }
        }
    }

    /// The controller pods with a history (running ones, sorted).
    pub fn history_pods(&self) -> Vec<Value> {
        let set = self.history_pods.lock().unwrap().clone();
        let mut pods: Vec<Value> = self
            .store
            .select(ids().pods, None, "")
            .into_iter()
            .filter(|p| {
                p["metadata"]["uid"]
                    .as_str()
                    .is_some_and(|u| set.contains(u))
                    && serving(p)
            })
            .collect();
        pods.sort_by_key(|p| (ns_of(p), name_of(p)));
        pods
    }

    /// Records an event about `obj` (see [`crate::events`]).
    pub fn record(&self, obj: &Value, occ: Occurrence) -> Option<Value> {
        self.events.emit(&self.store, obj, occ)
    }

    fn delay(&self, ms: u64) -> Duration {
        Duration::from_millis((ms as f64 * self.pace) as u64)
    }

    /// Runs the controllers until the process ends.
    pub fn spawn(self: &Arc<Self>) {
        let me = self.clone();
        let mut rx = self.store.subscribe();
        for p in self.store.select(ids().pods, None, "") {
            self.maybe_crash_loop(&p);
        }
        let sweeper = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                sweeper.events.sweep(&sweeper.store);
            }
        });
        tokio::spawn(async move {
            let ids = ids();
            loop {
                let ev = match rx.recv().await {
                    Ok(ev) => ev,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        me.resync();
                        continue;
                    }
                    Err(_) => return,
                };
                let (ns, name) = (ns_of(&ev.object), name_of(&ev.object));
                let w = me.clone();
                if ev.res == ids.gateways && ev.kind != EventType::Deleted {
                    let d = me.delay(400);
                    tokio::spawn(async move {
                        tokio::time::sleep(d).await;
                        w.reconcile_gateway(&ns, &name);
                    });
                } else if ev.res == ids.deployments && ev.kind != EventType::Deleted {
                    w.reconcile_deployment(&ns, &name);
                    // Helm owns the Deployment: drift from the Gateway's spec is reverted
                    let helm = ev.object["metadata"]["annotations"]["meta.helm.sh/release-name"]
                        .as_str()
                        == Some(&names::ingress_instance(&name));
                    // like the helm operator's dependent watch, which ignores status updates:
                    // only a Deployment whose spec changed since the controller saw it
                    let spec_changed = ev.object["metadata"]["generation"]
                        != ev.object["status"]["observedGeneration"];
                    if helm
                        && spec_changed
                        && ev.kind == EventType::Modified
                        && me.store.try_get(ids.gateways, &ns, &name).is_some()
                    {
                        let d = me.delay(1000);
                        let w2 = me.clone();
                        tokio::spawn(async move {
                            tokio::time::sleep(d).await;
                            w2.reconcile_gateway(&ns, &name);
                        });
                    }
                } else if ev.res == ids.replicasets {
                    if ev.kind != EventType::Deleted {
                        w.reconcile_replicaset(&ns, &name, false);
                    }
                    // the Deployment controller watches its ReplicaSets (status: ready replicas)
                    let owner = &ev.object["metadata"]["ownerReferences"][0];
                    if let Some(d) = owner["name"]
                        .as_str()
                        .filter(|_| owner["kind"] == "Deployment")
                    {
                        w.reconcile_deployment(&ns, d);
                    }
                } else if ev.res == ids.pods {
                    if ev.kind == EventType::Deleted {
                        me.containers_killed(&ev.object);
                    } else {
                        me.maybe_crash_loop(&ev.object);
                    }
                    let pending =
                        ev.object["status"]["phase"] == "Pending" && ev.kind == EventType::Added;
                    if pending {
                        let d = me.delay(600 + mix(&[hash_str(&name)]) % 900);
                        let (ns2, name2) = (ns.clone(), name.clone());
                        let w2 = w.clone();
                        tokio::spawn(async move {
                            tokio::time::sleep(d).await;
                            w2.start_pod(&ns2, &name2);
                        });
                    }
                    if let Some(rs) = ev.object["metadata"]["ownerReferences"][0]["name"].as_str() {
                        w.reconcile_replicaset(&ns, rs, true);
                    }
                } else if ev.res == ids.configmaps && ev.kind == EventType::Modified {
                    me.configmap_changed(&ev.object);
                } else if ev.res == ids.services && ev.kind != EventType::Deleted {
                    let lb = ev.object["spec"]["type"] == "LoadBalancer";
                    let pending = ev.object["status"]["loadBalancer"]["ingress"]
                        .as_array()
                        .is_none_or(Vec::is_empty);
                    if lb && pending {
                        let d = me.delay(1500);
                        tokio::spawn(async move {
                            tokio::time::sleep(d).await;
                            w.assign_load_balancer(&ns, &name);
                        });
                    } else if !lb && !pending {
                        w.store.modify(ids.services, &ns, &name, |s| {
                            s["status"] = json!({"loadBalancer": {}})
                        });
                    }
                }
            }
        });
    }

    /// Reconciles everything (after a lagged event stream, and for scenarios).
    pub fn resync(&self) {
        let ids = ids();
        for gw in self.store.select(ids.gateways, None, "") {
            self.reconcile_gateway(&ns_of(&gw), &name_of(&gw));
        }
        for d in self.store.select(ids.deployments, None, "") {
            self.reconcile_deployment(&ns_of(&d), &name_of(&d));
        }
    }

    /// Brings every workload to its steady state at once: pods running, load balancers assigned.
    pub fn settle(&self) {
        let ids = ids();
        self.resync();
        for rs in self.store.select(ids.replicasets, None, "") {
            self.reconcile_replicaset(&ns_of(&rs), &name_of(&rs), false);
        }
        for p in self.store.select(ids.pods, None, "") {
            self.start_pod(&ns_of(&p), &name_of(&p));
        }
        for rs in self.store.select(ids.replicasets, None, "") {
            self.reconcile_replicaset(&ns_of(&rs), &name_of(&rs), true);
        }
        for d in self.store.select(ids.deployments, None, "") {
            self.reconcile_deployment(&ns_of(&d), &name_of(&d));
        }
        for s in self.store.select(ids.services, None, "") {
            if s["spec"]["type"] == "LoadBalancer" {
                self.assign_load_balancer(&ns_of(&s), &name_of(&s));
            }
        }
    }

    /// The gateway operator: Helm install/upgrade/uninstall of the gateway's release.
    pub fn reconcile_gateway(&self, ns: &str, name: &str) {
        let ids = ids();
        let Some(gw) = self.store.try_get(ids.gateways, ns, name) else {
            return;
        };
        if gw["metadata"].get("deletionTimestamp").is_some() {
            for (res, n) in [
                (ids.deployments, name.to_string()),
                (ids.services, name.to_string()),
                (ids.services, names::metrics_job(name)),
                (ids.configmaps, name.to_string()),
            ] {
                self.store.remove(res, ns, &n);
            }
            if gw["metadata"]["finalizers"]
                .as_array()
                .is_some_and(|f| f.iter().any(|x| x == HELM_FINALIZER))
            {
                self.record(
                    &gw,
                    Occurrence::new(
                        "Normal",
                        "UninstallSuccessful",
                        format!("Uninstalled release {name}"),
                        events::GATEWAY_CONTROLLER,
                    ),
                );
            }
            self.store.modify(ids.gateways, ns, name, |g| {
                if let Some(f) = g["metadata"]["finalizers"].as_array_mut() {
                    f.retain(|x| x != HELM_FINALIZER);
                }
            });
            return;
        }
        let has_finalizer = gw["metadata"]["finalizers"]
            .as_array()
            .is_some_and(|f| f.iter().any(|x| x == HELM_FINALIZER));
        if !has_finalizer {
            self.store.modify(ids.gateways, ns, name, |g| {
                let mut f = g["metadata"]["finalizers"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                f.push(json!(HELM_FINALIZER));
                g["metadata"]["finalizers"] = Value::Array(f);
            });
        }
        let spec = &gw["spec"];
        let previously_deployed = gw["status"]["conditions"].as_array().is_some_and(|c| {
            c.iter()
                .any(|c| c["type"] == "Deployed" && c["status"] == "True")
        });
        let mut conditions: Vec<Value> = gw["status"]["conditions"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        set_condition(&mut conditions, "Initialized", "True", "", "");
        if let Some(problem) = config_problem(&spec["controller"]["config"]) {
            let reason = if previously_deployed {
                "UpgradeError"
            } else {
                "InstallError"
            };
            set_condition(&mut conditions, "ReleaseFailed", "True", reason, &problem);
            if !previously_deployed {
                set_condition(&mut conditions, "Deployed", "False", reason, &problem);
            }
            let status = json!({"conditions": conditions, "deployedRelease": gw["status"]["deployedRelease"]});
            self.store
                .modify(ids.gateways, ns, name, |g| g["status"] = status);
            self.record(
                &gw,
                Occurrence::new("Warning", reason, problem, events::GATEWAY_CONTROLLER),
            );
            return;
        }
        let instance = names::ingress_instance(name);
        let selector = json!({"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/instance": instance, "app.kubernetes.io/component": "controller"});
        let mut labels = selector.clone();
        for (k, v) in [
            ("helm.sh/chart", "ingress-nginx-4.2.5"),
            ("app.kubernetes.io/version", "1.3.1"),
            ("app.kubernetes.io/managed-by", "Helm"),
            ("app.kubernetes.io/part-of", "ingress-nginx"),
        ] {
            labels[k] = json!(v);
        }
        let helm_annotations =
            json!({"meta.helm.sh/release-name": instance, "meta.helm.sh/release-namespace": ns});
        let mut dep_annotations = helm_annotations.clone();
        let mut pod_annotations = json!({});
        if let Some(a) = spec["deployment"]["annotations"].as_object() {
            for (k, v) in a {
                dep_annotations[k] = v.clone();
            }
            if let Some(t) = a.get(TRACING_ANNOTATION) {
                pod_annotations["sidecar.istio.io/inject"] = t.clone();
            }
        }
        let replicas = spec["deployment"]["replicas"].as_i64().unwrap_or(1);
        let service_type = spec["service"]["type"]
            .as_str()
            .unwrap_or("LoadBalancer")
            .to_string();
        let scope_ns = spec["controller"]["scope"]["namespace"]
            .as_str()
            .filter(|s| !s.is_empty() && spec["controller"]["scope"]["enabled"] == true);
        let mut args = vec![
            "/nginx-ingress-controller".to_string(),
            format!("--election-id=ingress-controller-leader-{name}"),
            "--controller-class=k8s.io/ingress-nginx".into(),
            "--ingress-class=nginx".into(),
            format!("--configmap=$(POD_NAMESPACE)/{name}"),
            "--watch-ingress-without-class=true".into(),
        ];
        if service_type == "LoadBalancer" {
            args.push(format!("--publish-service=$(POD_NAMESPACE)/{name}"));
        }
        if let Some(w) = scope_ns {
            args.push(format!("--watch-namespace={w}"));
        }
        let resources = if spec["deployment"]["resources"].is_object() {
            spec["deployment"]["resources"].clone()
        } else {
            json!({"requests": {"cpu": "100m", "memory": "90Mi"}})
        };
        let deployment = json!({
            "metadata": {"name": name, "namespace": ns, "labels": labels, "annotations": dep_annotations},
            "spec": {
                "replicas": replicas,
                "revisionHistoryLimit": 10,
                "minReadySeconds": 0,
                "selector": {"matchLabels": selector},
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": "25%"}},
                "template": {
                    "metadata": {"labels": selector, "annotations": pod_annotations},
                    "spec": {
                        "containers": [{
                            "name": CONTROLLER_CONTAINER,
                            "image": CONTROLLER_IMAGE,
                            "args": args,
                            "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}, {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}],
                            "ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"}, {"name": "https", "containerPort": 443, "protocol": "TCP"}, {"name": "http-metrics", "containerPort": METRICS_PORT, "protocol": "TCP"}],
                            "livenessProbe": {"httpGet": {"path": "/healthz", "port": METRICS_PORT, "scheme": "HTTP"}, "initialDelaySeconds": 10, "periodSeconds": 10, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 5},
                            "readinessProbe": {"httpGet": {"path": "/healthz", "port": METRICS_PORT, "scheme": "HTTP"}, "initialDelaySeconds": 10, "periodSeconds": 10, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
                            "resources": resources
                        }],
                        "terminationGracePeriodSeconds": 300,
                        "serviceAccountName": name
                    }
                }
            }
        });
        // the operator renders specs; the Deployment's status is the Deployment controller's
        let mut changed = self.store.put_with(ids.deployments, deployment, true).1;
        let mut svc_annotations = helm_annotations.clone();
        if let Some(a) = spec["service"]["annotations"].as_object() {
            for (k, v) in a {
                svc_annotations[k] = v.clone();
            }
        }
        let existing = self.store.try_get(ids.services, ns, name);
        let old_ports = existing
            .as_ref()
            .and_then(|s| s["spec"]["ports"].as_array().cloned())
            .unwrap_or_default();
        let keep = |port: &str| {
            old_ports
                .iter()
                .find(|p| p["name"] == port)
                .and_then(|p| p["nodePort"].as_i64())
        };
        let port = |pname: &str, num: i64| {
            let mut p = json!({"name": pname, "port": num, "protocol": "TCP", "targetPort": pname, "appProtocol": pname});
            if let Some(np) = keep(pname) {
                p["nodePort"] = json!(np);
            }
            p
        };
        let mut service = existing
            .clone()
            .unwrap_or_else(|| json!({"metadata": {"name": name, "namespace": ns}}));
        service["metadata"]["labels"] = labels.clone();
        service["metadata"]["annotations"] = svc_annotations;
        service["spec"]["type"] = json!(service_type);
        service["spec"]["selector"] = selector.clone();
        service["spec"]["ports"] = json!([port("http", 80), port("https", 443)]);
        if service_type != "LoadBalancer" {
            service["status"] = json!({"loadBalancer": {}});
            if let Some(s) = service["spec"].as_object_mut() {
                s.remove("externalTrafficPolicy");
            }
        }
        changed |= self.store.put_with(ids.services, service, false).1;
        changed |= self.store.put_with(ids.services, json!({
            "metadata": {"name": names::metrics_job(name), "namespace": ns, "labels": labels, "annotations": helm_annotations},
            "spec": {"type": "ClusterIP", "selector": selector, "ports": [{"name": "http-metrics", "port": METRICS_PORT, "protocol": "TCP", "targetPort": "http-metrics"}]}
        }), false).1;
        let data = if spec["controller"]["config"].is_object() {
            spec["controller"]["config"].clone()
        } else {
            json!({})
        };
        changed |= self
            .store
            .put_with(
                ids.configmaps,
                json!({
                    "metadata": {"name": name, "namespace": ns, "labels": labels, "annotations": helm_annotations},
                    "data": data
                }),
                false,
            )
            .1;
        // a reconcile that changes nothing is not an upgrade
        if !previously_deployed
            || changed
            || conditions.iter().any(|c| c["type"] == "ReleaseFailed")
        {
            let (reason, message) = if previously_deployed {
                ("UpgradeSuccessful", format!("Upgraded release {name}"))
            } else {
                ("InstallSuccessful", format!("Installed release {name}"))
            };
            set_condition(&mut conditions, "Deployed", "True", reason, "");
            self.record(
                &gw,
                Occurrence::new("Normal", reason, message, events::GATEWAY_CONTROLLER),
            );
        }
        conditions.retain(|c| c["type"] != "ReleaseFailed");
        let manifest = format!("---\n# Source: gateway/templates/nginx-ingress.yaml\napiVersion: gateway.kubesphere.io/v1alpha1\nkind: Nginx\nmetadata:\n  name: {instance}\n  namespace: {ns}\n");
        let status = json!({"conditions": conditions, "deployedRelease": {"name": name, "manifest": manifest}});
        self.store
            .modify(ids.gateways, ns, name, |g| g["status"] = status);
    }

    /// The Deployment controller: one ReplicaSet per pod template, status from it.
    pub fn reconcile_deployment(&self, ns: &str, name: &str) {
        let ids = ids();
        let Some(d) = self.store.try_get(ids.deployments, ns, name) else {
            return;
        };
        if d["metadata"].get("deletionTimestamp").is_some() {
            return;
        }
        let uid = d["metadata"]["uid"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let template = &d["spec"]["template"];
        let hash = format!(
            "{:010x}",
            mix(&[hash_str(&template.to_string())]) & 0xff_ffff_ffff
        );
        let hash: String = hash
            .chars()
            .map(|c| match c {
                '0' => 'b',
                '1' => 'c',
                'a' => 'd',
                'e' => 'f',
                c => c,
            })
            .collect();
        let rs_name = format!("{name}-{hash}");
        let replicas = d["spec"]["replicas"].as_i64().unwrap_or(1);
        let owned: Vec<Value> = self.store.owned(ids.replicasets, ns, &uid);
        let mut scaled_down = Vec::new();
        for old in owned.iter().filter(|rs| name_of(rs) != rs_name) {
            let from = old["spec"]["replicas"].as_i64().unwrap_or(0);
            if from > 0 {
                scaled_down.push((name_of(old), from));
            }
            self.store.remove(ids.replicasets, ns, &name_of(old));
        }
        let mut labels = template["metadata"]["labels"].clone();
        labels["pod-template-hash"] = json!(hash);
        let mut selector = d["spec"]["selector"]["matchLabels"].clone();
        selector["pod-template-hash"] = json!(hash);
        let mut tmpl = template.clone();
        tmpl["metadata"]["labels"] = labels.clone();
        let existing = self.store.try_get(ids.replicasets, ns, &rs_name);
        let mut rs = existing
            .clone()
            .unwrap_or_else(|| json!({"metadata": {"name": rs_name, "namespace": ns}}));
        rs["metadata"]["labels"] = labels;
        rs["metadata"]["ownerReferences"] = json!([owner_ref(&d, true)]);
        rs["metadata"]["annotations"] = json!({"deployment.kubernetes.io/desired-replicas": replicas.to_string(), "deployment.kubernetes.io/revision": "1"});
        rs["spec"] =
            json!({"replicas": replicas, "selector": {"matchLabels": selector}, "template": tmpl});
        let from = existing
            .as_ref()
            .map_or(0, |e| e["spec"]["replicas"].as_i64().unwrap_or(0));
        let rs = self.store.put(ids.replicasets, rs);
        // a rollout: the new ReplicaSet scales up, then the old ones down
        if from != replicas {
            self.scaling_event(&d, &rs_name, from, replicas);
        }
        for (old, from) in scaled_down {
            self.scaling_event(&d, &old, from, 0);
        }
        let st = &rs["status"];
        let ready = st["readyReplicas"].as_i64().unwrap_or(0);
        let current = st["replicas"].as_i64().unwrap_or(0);
        let available = ready == replicas;
        let status = json!({
            "observedGeneration": d["metadata"]["generation"],
            "replicas": current,
            "updatedReplicas": current,
            "readyReplicas": ready,
            "availableReplicas": ready,
            "unavailableReplicas": (replicas - ready).max(0),
            "conditions": [
                {"type": "Available", "status": if available { "True" } else { "False" }, "reason": if available { "MinimumReplicasAvailable" } else { "MinimumReplicasUnavailable" }, "message": if available { "Deployment has minimum availability." } else { "Deployment does not have minimum availability." }, "lastUpdateTime": d["metadata"]["creationTimestamp"], "lastTransitionTime": d["metadata"]["creationTimestamp"]},
                {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable", "message": format!("ReplicaSet \"{rs_name}\" has successfully progressed."), "lastUpdateTime": d["metadata"]["creationTimestamp"], "lastTransitionTime": d["metadata"]["creationTimestamp"]}
            ]
        });
        let mut status = status;
        if ready == 0 {
            if let Some(o) = status.as_object_mut() {
                o.remove("readyReplicas");
                o.remove("availableReplicas");
            }
        }
        self.store
            .modify(ids.deployments, ns, name, |d| d["status"] = status);
    }

    /// The Deployment controller's `ScalingReplicaSet` event (wording of Kubernetes ≥ 1.30).
    fn scaling_event(&self, deployment: &Value, rs: &str, from: i64, to: i64) {
        let direction = if to > from { "up" } else { "down" };
        self.record(
            deployment,
            Occurrence::new(
                "Normal",
                "ScalingReplicaSet",
                format!("Scaled {direction} replica set {rs} from {from} to {to}"),
                events::DEPLOYMENT_CONTROLLER,
            ),
        );
    }

    /// The ReplicaSet controller: creates and deletes pods; `status_only` just recounts.
    pub fn reconcile_replicaset(&self, ns: &str, name: &str, status_only: bool) {
        let ids = ids();
        let Some(rs) = self.store.try_get(ids.replicasets, ns, name) else {
            return;
        };
        let uid = rs["metadata"]["uid"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut pods: Vec<Value> = self.store.owned(ids.pods, ns, &uid);
        let want = rs["spec"]["replicas"].as_i64().unwrap_or(1).max(0) as usize;
        if !status_only {
            let nodes = self.store.select(ids.nodes, None, "");
            // the scheduler runs on the control plane
            let scheduler_instance = format!(
                "default-scheduler-{}",
                nodes
                    .iter()
                    .find(|n| n["metadata"]["labels"]
                        .get("node-role.kubernetes.io/control-plane")
                        .is_some())
                    .map_or("node1".to_string(), name_of)
            );
            let mut n = 0u64;
            while pods.len() < want {
                n += 1;
                let suffix: String = {
                    const A: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
                    let mut x = mix(&[
                        self.seed,
                        hash_str(name),
                        pods.len() as u64,
                        n,
                        self.store.resource_version(),
                    ]);
                    (0..5)
                        .map(|_| {
                            let c = A[(x % A.len() as u64) as usize] as char;
                            x /= A.len() as u64;
                            c
                        })
                        .collect()
                };
                let pod_name = format!("{name}-{suffix}");
                if self.store.try_get(ids.pods, ns, &pod_name).is_some() {
                    continue;
                }
                let node = if nodes.is_empty() {
                    "node1".to_string()
                } else {
                    name_of(&nodes[(mix(&[hash_str(&pod_name)]) % nodes.len() as u64) as usize])
                };
                let mut spec = rs["spec"]["template"]["spec"].clone();
                spec["nodeName"] = json!(node);
                let pod = json!({
                    "metadata": {"name": pod_name, "namespace": ns, "labels": rs["spec"]["template"]["metadata"]["labels"], "annotations": rs["spec"]["template"]["metadata"]["annotations"], "generateName": format!("{name}-"), "ownerReferences": [owner_ref(&rs, true)]},
                    "spec": spec,
                    "status": {"phase": "Pending", "qosClass": "Burstable", "conditions": [{"type": "PodScheduled", "status": "True", "lastTransitionTime": now()}]}
                });
                let stored = self.store.put(ids.pods, pod);
                self.record(
                    &rs,
                    Occurrence::new(
                        "Normal",
                        "SuccessfulCreate",
                        format!("Created pod: {pod_name}"),
                        events::REPLICASET_CONTROLLER,
                    ),
                );
                // the scheduler records through events.k8s.io/v1
                let mut scheduled = Occurrence::new(
                    "Normal",
                    "Scheduled",
                    format!("Successfully assigned {ns}/{pod_name} to {node}"),
                    Source {
                        component: "default-scheduler",
                        host: &scheduler_instance,
                    },
                );
                scheduled.action = Some("Binding");
                self.record(&stored, scheduled);
                pods.push(stored);
            }
            if pods.len() > want {
                pods.sort_by(|a, b| {
                    b["metadata"]["creationTimestamp"]
                        .as_str()
                        .cmp(&a["metadata"]["creationTimestamp"].as_str())
                        .then(name_of(b).cmp(&name_of(a)))
                });
                let extra = pods.len() - want;
                for p in pods.drain(..extra) {
                    self.store.remove(ids.pods, ns, &name_of(&p));
                    self.record(
                        &rs,
                        Occurrence::new(
                            "Normal",
                            "SuccessfulDelete",
                            format!("Deleted pod: {}", name_of(&p)),
                            events::REPLICASET_CONTROLLER,
                        ),
                    );
                }
            }
        }
        let ready = pods
            .iter()
            .filter(|p| {
                p["status"]["conditions"].as_array().is_some_and(|c| {
                    c.iter()
                        .any(|c| c["type"] == "Ready" && c["status"] == "True")
                })
            })
            .count();
        let mut status = json!({"replicas": pods.len(), "fullyLabeledReplicas": pods.len(), "observedGeneration": rs["metadata"]["generation"]});
        if ready > 0 {
            status["readyReplicas"] = json!(ready);
            status["availableReplicas"] = json!(ready);
        }
        self.store
            .modify(ids.replicasets, ns, name, |r| r["status"] = status);
    }

    /// The kubelet: a scheduled pod starts and becomes ready.
    pub fn start_pod(&self, ns: &str, name: &str) {
        let ids = ids();
        let Some(pod) = self.store.try_get(ids.pods, ns, name) else {
            return;
        };
        if pod["status"]["phase"] != "Pending" {
            return;
        }
        let node = pod["spec"]["nodeName"]
            .as_str()
            .unwrap_or("node1")
            .to_string();
        let host_ip = self
            .store
            .try_get(ids.nodes, "", &node)
            .and_then(|n| {
                n["status"]["addresses"].as_array().and_then(|a| {
                    a.iter()
                        .find(|a| a["type"] == "InternalIP")
                        .and_then(|a| a["address"].as_str().map(str::to_string))
                })
            })
            .unwrap_or_else(|| "192.168.0.2".into());
        let h = mix(&[self.seed, hash_str(name)]);
        let pod_ip = format!("10.233.{}.{}", 64 + h % 64, 2 + (h >> 8) % 250);
        let history = self.loading.load(std::sync::atomic::Ordering::Relaxed);
        let restarts = if history && h.is_multiple_of(7) {
            1 + (h >> 16) % 3
        } else {
            0
        };
        let started = now();
        let containers: Vec<Value> = pod["spec"]["containers"].as_array().cloned().unwrap_or_default().iter().map(|c| {
            let mut s = json!({
                "name": c["name"], "image": c["image"], "imageID": format!("docker-pullable://{}@sha256:{:064x}", c["image"].as_str().unwrap_or_default(), h as u128 * 31),
                "containerID": format!("containerd://{:016x}{:016x}", h, h.rotate_left(17)),
                "ready": true, "started": true, "restartCount": restarts,
                "state": {"running": {"startedAt": started}}
            });
            if restarts > 0 {
                s["lastState"] = json!({"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": pod["metadata"]["creationTimestamp"], "finishedAt": started, "containerID": format!("containerd://{:016x}", h.rotate_left(5))}});
            }
            s
        }).collect();
        let stored = self.store.modify(ids.pods, ns, name, |p| {
            p["status"] = json!({
                "phase": "Running",
                "qosClass": "Burstable",
                "hostIP": host_ip,
                "hostIPs": [{"ip": host_ip}],
                "podIP": pod_ip,
                "podIPs": [{"ip": pod_ip}],
                "startTime": p["metadata"]["creationTimestamp"],
                "conditions": [
                    {"type": "Initialized", "status": "True", "lastTransitionTime": started},
                    {"type": "Ready", "status": "True", "lastTransitionTime": started},
                    {"type": "ContainersReady", "status": "True", "lastTransitionTime": started},
                    {"type": "PodScheduled", "status": "True", "lastTransitionTime": p["metadata"]["creationTimestamp"]}
                ],
                "containerStatuses": containers
            });
        });
        let Some(pod) = stored else {
            return;
        };
        // the kubelet's record of this pod, including the restarts of a loaded history
        self.kubelet_started(&pod, restarts + 1);
        if restarts > 0 {
            for c in container_names(&pod) {
                self.record(&pod, back_off(&pod, &c).times(restarts));
                self.record(&pod, readiness_failed(&pod, &c).times(restarts));
            }
        }
    }

    /// The kubelet starts the pod's containers (`times` = how often, for a history): image pull,
    /// create, start; then ingress-nginx reads its ConfigMap and reloads.
    fn kubelet_started(&self, pod: &Value, times: u64) {
        let node = pod["spec"]["nodeName"].as_str().unwrap_or("node1");
        for c in pod["spec"]["containers"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let cname = c["name"].as_str().unwrap_or_default();
            let image = c["image"].as_str().unwrap_or_default();
            let mut present = times;
            let first = self
                .pulled
                .lock()
                .unwrap()
                .insert((node.to_string(), image.to_string()));
            if first {
                let h = mix(&[self.seed, hash_str(node), hash_str(image)]);
                let pull_ms = 2_000 + h % 9_000;
                let waited_ms = pull_ms + (h >> 20) % 700;
                let size = 100_000_000 + hash_str(image) % 20_000_000;
                self.record(
                    pod,
                    Occurrence::new(
                        "Normal",
                        "Pulling",
                        format!("Pulling image {image:?}"),
                        kubelet(node),
                    )
                    .container(cname),
                );
                self.record(
                    pod,
                    Occurrence::new(
                        "Normal",
                        "Pulled",
                        format!(
                            "Successfully pulled image {image:?} in {} ({} including waiting). Image size: {size} bytes.",
                            go_duration(pull_ms),
                            go_duration(waited_ms)
                        ),
                        kubelet(node),
                    )
                    .container(cname),
                );
                present -= 1;
            }
            if present > 0 {
                self.record(
                    pod,
                    Occurrence::new(
                        "Normal",
                        "Pulled",
                        format!("Container image {image:?} already present on machine"),
                        kubelet(node),
                    )
                    .container(cname)
                    .times(present),
                );
            }
            for (reason, message) in [
                ("Created", format!("Created container: {cname}")),
                ("Started", format!("Started container {cname}")),
            ] {
                self.record(
                    pod,
                    Occurrence::new("Normal", reason, message, kubelet(node))
                        .container(cname)
                        .times(times),
                );
            }
        }
        // ingress-nginx's informer adds its ConfigMap, then the first sync reloads NGINX
        let mut config = None;
        if let Some((cm_ns, cm_name)) = configmap_of(pod) {
            if let Some(cm) = self.store.try_get(ids().configmaps, &cm_ns, &cm_name) {
                self.record(
                    &cm,
                    Occurrence::new(
                        "Normal",
                        "CREATE",
                        format!("ConfigMap {cm_ns}/{cm_name}"),
                        events::INGRESS_NGINX,
                    )
                    .times(times),
                );
                config = Some(cm);
            }
        }
        self.nginx_reload(pod, config.as_ref(), times);
    }

    /// The kubelet stops the running containers of a deleted pod.
    fn containers_killed(&self, pod: &Value) {
        if let Some(uid) = pod["metadata"]["uid"].as_str() {
            self.pod_states.lock().unwrap().remove(uid);
            self.reloads.lock().unwrap().remove(uid);
        }
        let node = pod["spec"]["nodeName"].as_str().unwrap_or("node1");
        for cs in pod["status"]["containerStatuses"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            if cs["state"]["running"].is_object() {
                let cname = cs["name"].as_str().unwrap_or_default();
                self.record(
                    pod,
                    Occurrence::new(
                        "Normal",
                        "Killing",
                        format!("Stopping container {cname}"),
                        kubelet(node),
                    )
                    .container(cname),
                );
            }
        }
    }

    /// ingress-nginx sees its ConfigMap change: every running controller records `UPDATE` on
    /// it and reloads NGINX.
    fn configmap_changed(&self, cm: &Value) {
        let (ns, name) = (ns_of(cm), name_of(cm));
        for pod in self.store.select(ids().pods, Some(&ns), "") {
            let running = pod["status"]["containerStatuses"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c["state"]["running"].is_object()));
            if !running || configmap_of(&pod) != Some((ns.clone(), name.clone())) {
                continue;
            }
            self.record(
                cm,
                Occurrence::new(
                    "Normal",
                    "UPDATE",
                    format!("ConfigMap {ns}/{name}"),
                    events::INGRESS_NGINX,
                ),
            );
            self.nginx_reload(&pod, Some(cm), 1);
        }
    }

    /// Starts the OOM crash loop of a running pod whose controller's memory limit is below
    /// [`OOM_BELOW_BYTES`] (once per pod).
    pub fn maybe_crash_loop(self: &Arc<Self>, pod: &Value) {
        if pod["status"]["phase"] != "Running"
            || pod["metadata"].get("deletionTimestamp").is_some()
            || !oom_prone(pod)
        {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let uid = pod["metadata"]["uid"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if uid.is_empty() || !self.crashing.lock().unwrap().insert(uid.clone()) {
            return;
        }
        let w = self.clone();
        let (ns, name) = (ns_of(pod), name_of(pod));
        runtime.spawn(async move {
            w.crash_loop(&ns, &name, &uid).await;
            w.crashing.lock().unwrap().remove(&uid);
        });
    }

    /// Never faster than at pace 0.05, so that pace 0 does not spin.
    fn crash_delay(&self, ms: u64) -> Duration {
        self.delay(ms).max(Duration::from_millis(ms / 20))
    }

    /// The pod while it is still the same running pod.
    fn same_pod(&self, ns: &str, name: &str, uid: &str) -> Option<Value> {
        self.store.try_get(ids().pods, ns, name).filter(|p| {
            p["metadata"]["uid"] == uid
                && p["metadata"].get("deletionTimestamp").is_none()
                && p["status"]["phase"] == "Running"
        })
    }

    /// Runs → OOMKilled → CrashLoopBackOff → runs again …, until the pod is gone or its limit
    /// is no longer too low.
    async fn crash_loop(&self, ns: &str, name: &str, uid: &str) {
        loop {
            tokio::time::sleep(self.crash_delay(CRASH_RUNNING_MS)).await;
            let Some(pod) = self.same_pod(ns, name, uid).filter(oom_prone) else {
                return;
            };
            self.oom_killed(&pod);
            tokio::time::sleep(self.crash_delay(CRASH_TERMINATED_MS)).await;
            let Some(pod) = self.same_pod(ns, name, uid) else {
                return;
            };
            if !oom_prone(&pod) {
                self.restart_containers(&pod);
                return;
            }
            self.backing_off(&pod);
            tokio::time::sleep(self.crash_delay(CRASH_BACK_OFF_MS)).await;
            let Some(pod) = self.same_pod(ns, name, uid) else {
                return;
            };
            self.restart_containers(&pod);
        }
    }

    fn update_containers(
        &self,
        pod: &Value,
        ready: bool,
        f: impl Fn(&str, &mut Value),
    ) -> Option<Value> {
        let low = low_memory_containers(pod);
        let uid = pod["metadata"]["uid"].clone();
        let now = now();
        self.store
            .modify(ids().pods, &ns_of(pod), &name_of(pod), |p| {
                if p["metadata"]["uid"] != uid {
                    return;
                }
                if let Some(statuses) = p["status"]["containerStatuses"].as_array_mut() {
                    for cs in statuses {
                        let cname = cs["name"].as_str().unwrap_or_default().to_string();
                        if low.contains(&cname) {
                            f(&cname, cs);
                        }
                    }
                }
                let unready: Vec<String> = p["status"]["containerStatuses"]
                    .as_array()
                    .map(|s| {
                        s.iter()
                            .filter(|c| c["ready"] != true)
                            .filter_map(|c| c["name"].as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                if let Some(conditions) = p["status"]["conditions"].as_array_mut() {
                    for c in conditions
                        .iter_mut()
                        .filter(|c| c["type"] == "Ready" || c["type"] == "ContainersReady")
                    {
                        let status = if ready && unready.is_empty() {
                            "True"
                        } else {
                            "False"
                        };
                        if c["status"] != status {
                            c["lastTransitionTime"] = json!(now);
                        }
                        c["status"] = json!(status);
                        if status == "True" {
                            if let Some(o) = c.as_object_mut() {
                                o.remove("reason");
                                o.remove("message");
                            }
                        } else {
                            c["reason"] = json!("ContainersNotReady");
                            c["message"] = json!(format!(
                                "containers with unready status: [{}]",
                                unready.join(" ")
                            ));
                        }
                    }
                }
            })
            .filter(|p| p["metadata"]["uid"] == uid)
    }

    /// The kernel OOM-kills the controller: terminated, not ready, probes fail.
    fn oom_killed(&self, pod: &Value) {
        let now = now();
        let Some(pod) = self.update_containers(pod, false, |_, cs| {
            let started = cs["state"]["running"]["startedAt"].clone();
            cs["state"] = json!({"terminated": {
                "exitCode": 137, "reason": "OOMKilled", "startedAt": started, "finishedAt": now,
                "containerID": cs["containerID"]
            }});
            cs["ready"] = json!(false);
            cs["started"] = json!(false);
        }) else {
            return;
        };
        let node = pod["spec"]["nodeName"].as_str().unwrap_or("node1");
        for c in low_memory_containers(&pod) {
            self.record(&pod, readiness_failed(&pod, &c));
            let restarts = pod["status"]["containerStatuses"]
                .as_array()
                .and_then(|s| s.iter().find(|s| s["name"] == c.as_str()))
                .and_then(|s| s["restartCount"].as_u64())
                .unwrap_or(0);
            let pid = 1_000 + mix(&[hash_str(&name_of(&pod)), restarts]) % 60_000;
            self.record(
                &json!({"kind": "Node", "metadata": {"name": node, "uid": node}}),
                Occurrence::new(
                    "Warning",
                    "SystemOOM",
                    format!("System OOM encountered, victim process: nginx, pid: {pid}"),
                    kubelet(node),
                ),
            );
        }
    }

    /// The kubelet backs off before restarting the killed container.
    fn backing_off(&self, pod: &Value) {
        let (ns, name, uid) = (
            ns_of(pod),
            name_of(pod),
            pod["metadata"]["uid"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
        let Some(pod) = self.update_containers(pod, false, |cname, cs| {
            if cs["state"]["terminated"].is_object() {
                cs["lastState"] = json!({"terminated": cs["state"]["terminated"]});
            }
            cs["state"] = json!({"waiting": {
                "reason": "CrashLoopBackOff",
                "message": format!("back-off {}s restarting failed container={cname} pod={name}_{ns}({uid})", CRASH_BACK_OFF_MS / 1000)
            }});
            cs["ready"] = json!(false);
            cs["started"] = json!(false);
        }) else {
            return;
        };
        for c in low_memory_containers(&pod) {
            self.record(&pod, back_off(&pod, &c));
        }
    }

    /// The kubelet starts the container again: one more restart.
    fn restart_containers(&self, pod: &Value) {
        let now = now();
        let seed = self.seed;
        let Some(pod) = self.update_containers(pod, true, |cname, cs| {
            if cs["state"]["running"].is_object() {
                return;
            }
            if cs["state"]["terminated"].is_object() {
                cs["lastState"] = json!({"terminated": cs["state"]["terminated"]});
            }
            let restarts = cs["restartCount"].as_u64().unwrap_or(0) + 1;
            let h = mix(&[
                seed,
                hash_str(cname),
                hash_str(cs["containerID"].as_str().unwrap_or_default()),
                restarts,
            ]);
            cs["restartCount"] = json!(restarts);
            cs["containerID"] = json!(format!("containerd://{:016x}{:016x}", h, h.rotate_left(17)));
            cs["state"] = json!({"running": {"startedAt": now}});
            cs["ready"] = json!(true);
            cs["started"] = json!(true);
        }) else {
            return;
        };
        self.kubelet_started(&pod, 1);
    }

    /// The cloud controller: a LoadBalancer Service gets an address.
    pub fn assign_load_balancer(&self, ns: &str, name: &str) {
        let ids = ids();
        let h = mix(&[self.seed, hash_str(ns), hash_str(name)]);
        self.store.modify(ids.services, ns, name, |s| {
            if s["spec"]["type"] == "LoadBalancer" && s["status"]["loadBalancer"]["ingress"].as_array().is_none_or(Vec::is_empty) {
                s["status"] = json!({"loadBalancer": {"ingress": [{"ip": format!("139.198.{}.{}", 100 + h % 100, 2 + (h >> 8) % 250), "ipMode": "VIP"}]}});
            }
        });
    }

    /// The traffic a gateway pod serves: the Ingresses of its project (or a default site),
    /// its share of the gateway's traffic, its TLS hosts and the scheduled incidents.
    pub fn pod_traffic(&self, pod: &Value) -> PodTraffic {
        let ids = ids();
        let instance = pod["metadata"]["labels"]["app.kubernetes.io/instance"]
            .as_str()
            .unwrap_or_default();
        let gateway = instance.strip_suffix("-ingress").unwrap_or(instance);
        let project = gateway
            .strip_prefix(names::ROUTER_PREFIX)
            .unwrap_or("default");
        let ingress_ns = if project == "kubesphere-system" {
            None
        } else {
            Some(project)
        };
        let mut routes = Vec::new();
        let mut tls: Vec<TlsHost> = Vec::new();
        for ing in self.store.select(ids.ingresses, ingress_ns, "") {
            let rules = ing["spec"]["rules"].as_array().cloned().unwrap_or_default();
            for rule in &rules {
                for p in rule["http"]["paths"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                {
                    routes.push(Route {
                        namespace: ns_of(&ing),
                        ingress: name_of(&ing),
                        host: rule["host"].as_str().unwrap_or("*").to_string(),
                        path: p["path"].as_str().unwrap_or("/").to_string(),
                        service: p["backend"]["service"]["name"]
                            .as_str()
                            .unwrap_or("web")
                            .to_string(),
                        port: p["backend"]["service"]["port"]["number"]
                            .as_u64()
                            .unwrap_or(80) as u16,
                        weight: 1.0 + (mix(&[hash_str(&name_of(&ing))]) % 4) as f64,
                    });
                }
            }
            let days = ing["metadata"]["annotations"][CERTIFICATE_DAYS_ANNOTATION]
                .as_str()
                .and_then(|d| d.trim().parse::<i64>().ok());
            for entry in ing["spec"]["tls"].as_array().cloned().unwrap_or_default() {
                let secret = entry["secretName"].as_str().unwrap_or_default().to_string();
                for host in entry["hosts"].as_array().cloned().unwrap_or_default() {
                    let Some(host) = host.as_str() else { continue };
                    let served = rules.iter().any(|r| r["host"] == host);
                    if secret.is_empty() || !served || tls.iter().any(|t| t.host == host) {
                        continue;
                    }
                    let days = days.unwrap_or_else(|| {
                        30 + (mix(&[self.seed, hash_str(&ns_of(&ing)), hash_str(&secret)]) % 60)
                            as i64
                    });
                    tls.push(TlsHost {
                        host: host.to_string(),
                        secret: secret.clone(),
                        not_after: self.timeline.not_after(days),
                    });
                }
            }
        }
        if routes.is_empty() {
            routes.push(Route {
                namespace: project.to_string(),
                ingress: "web".into(),
                host: format!("{project}.example.com"),
                path: "/".into(),
                service: "web".into(),
                port: 80,
                weight: 1.0,
            });
        }
        let pod_name = name_of(pod);
        let gateway_peak = 2.0 + (mix(&[self.seed, hash_str(gateway)]) % 6) as f64;
        // the Service does not balance perfectly: each pod has its own share
        let share = 0.7 + 0.6 * crate::traffic::unit(mix(&[self.seed, hash_str(&pod_name), 17]));
        PodTraffic {
            seed: self.seed,
            pod: pod_name.clone(),
            routes,
            peak_rps: gateway_peak * share,
            tls,
            incidents: self.timeline.incidents.clone(),
            fixed_rate: self.log_rate.map(|r| (self.timeline.start, r)),
        }
    }

    /// Everything the metrics of a controller pod depend on besides its counters.
    pub fn pod_model(&self, pod: &Value) -> crate::metrics::PodModel {
        let ids = ids();
        let uid = pod["metadata"]["uid"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let history = self.history_pods.lock().unwrap().contains(&uid);
        let started = pod["status"]["startTime"]
            .as_str()
            .and_then(|s| s.parse::<jiff::Timestamp>().ok())
            .map_or(self.timeline.start, |t| t.as_second());
        let instance = pod["metadata"]["labels"]["app.kubernetes.io/instance"]
            .as_str()
            .unwrap_or_default();
        let gateway = instance.strip_suffix("-ingress").unwrap_or(instance);
        let statuses = pod["status"]["containerStatuses"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let containers = pod["spec"]["containers"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|c| {
                let name = c["name"].as_str().unwrap_or_default().to_string();
                let id = statuses
                    .iter()
                    .find(|s| s["name"] == name.as_str())
                    .and_then(|s| s["containerID"].as_str())
                    .map(|id| id.trim_start_matches("containerd://").to_string())
                    .unwrap_or_default();
                // containerd ids have 64 hex digits
                let id = if id.len() < 64 {
                    format!(
                        "{id}{:016x}{:016x}",
                        mix(&[hash_str(&id), 1]),
                        mix(&[hash_str(&id), 2])
                    )
                } else {
                    id
                };
                crate::metrics::Container {
                    id: id.chars().take(64).collect(),
                    image: format!("docker.io/{}", c["image"].as_str().unwrap_or_default()),
                    name,
                }
            })
            .collect();
        let workers = self
            .store
            .try_get(ids.configmaps, &ns_of(pod), gateway)
            .and_then(|cm| {
                cm["data"]["worker-processes"]
                    .as_str()
                    .and_then(|w| w.parse::<f64>().ok())
            })
            .unwrap_or(4.0);
        let name = name_of(pod);
        crate::metrics::PodModel {
            uid,
            namespace: ns_of(pod),
            node: pod["spec"]["nodeName"]
                .as_str()
                .unwrap_or("node1")
                .to_string(),
            started,
            history,
            nginx_started: if history {
                self.timeline.origin
            } else {
                started
            },
            traffic: self.pod_traffic(pod),
            targets: crate::metrics::nginx_target_labels(
                &ns_of(pod),
                &name,
                gateway,
                pod["status"]["podIP"].as_str().unwrap_or_default(),
            ),
            containers,
            memory_base: 80e6 + 30e6 * crate::traffic::unit(mix(&[self.seed, hash_str(&name), 3])),
            processes: 1.0 + workers,
            name,
        }
    }

    /// A controller pod's counters up to now (computing its history the first time).
    fn pod_state(&self, model: &crate::metrics::PodModel) -> crate::metrics::PodState {
        let now = jiff::Timestamp::now().as_second();
        let mut states = self.pod_states.lock().unwrap();
        let state = states.entry(model.uid.clone()).or_insert_with(|| {
            if model.history {
                let mut s = crate::metrics::PodState::starting(self.timeline.origin);
                crate::history::advance_to(&mut s, &model.traffic, self.timeline.end);
                s
            } else {
                crate::metrics::PodState::starting(model.started)
            }
        });
        state.advance_exact(&model.traffic, now);
        state.clone()
    }

    /// A controller pod's reload metrics now.
    pub fn reload_state(&self, model: &crate::metrics::PodModel) -> crate::history::ReloadState {
        let live = self.reloads.lock().unwrap().get(&model.uid).copied();
        let mut base = if model.history {
            self.timeline.reload_state(self.timeline.end)
        } else {
            crate::history::ReloadState::fresh(model.started)
        };
        if let Some(l) = live {
            base.success += l.success;
            base.errors += l.errors;
            if l.success + l.errors > 0 {
                base.last_ok = l.last_ok;
                base.hash = l.hash;
                if l.success > 0 {
                    base.last_success = l.last_success;
                }
            }
        }
        base
    }

    /// The `/metrics` body of a controller pod.
    pub fn pod_metrics(&self, pod: &Value) -> String {
        let model = self.pod_model(pod);
        let state = self.pod_state(&model);
        let reload = self.reload_state(&model);
        let now = jiff::Timestamp::now().as_second();
        let mut out = crate::metrics::Exposition::default();
        crate::metrics::samples(&model, &state, &reload, now, &mut |s| out.push(s));
        out.text
    }

    /// The kubelet's `/metrics/cadvisor` of `node`: the containers of its running pods.
    pub fn cadvisor(&self, node: &str) -> String {
        let now = jiff::Timestamp::now().as_second();
        let mut pods: Vec<Value> = self
            .store
            .select(ids().pods, None, "")
            .into_iter()
            .filter(|p| p["spec"]["nodeName"] == node && serving(p))
            .collect();
        pods.sort_by_key(|p| (ns_of(p), name_of(p)));
        let snapshots: Vec<_> = pods
            .iter()
            .map(|p| {
                let model = self.pod_model(p);
                let state = self.pod_state(&model);
                (model, state)
            })
            .collect();
        let mut out = crate::metrics::Exposition::default();
        // cAdvisor groups by family
        for family in [21, 22] {
            for (model, state) in &snapshots {
                crate::metrics::cadvisor_samples(model, state, now, family, &mut |s| out.push(s));
            }
        }
        out.text
    }

    /// ingress-nginx reloads NGINX with the ConfigMap `cm` (or its defaults): records the
    /// `RELOAD` event and counts the reload in the pod's metrics. A configuration nginx refuses
    /// ([`reload_problem`]) fails the reload: a `Warning`, `errors` + 1, last reload failed.
    fn nginx_reload(&self, pod: &Value, cm: Option<&Value>, times: u64) {
        let data = cm.map(|c| c["data"].clone()).unwrap_or(Value::Null);
        let problem = reload_problem(&data);
        let uid = pod["metadata"]["uid"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let now = jiff::Timestamp::now().as_second();
        {
            let mut reloads = self.reloads.lock().unwrap();
            let r = reloads.entry(uid).or_insert(crate::history::ReloadState {
                success: 0,
                errors: 0,
                last_ok: true,
                last_success: now,
                hash: 0,
            });
            let hash = mix(&[self.seed, hash_str(&data.to_string())]);
            r.apply(now, problem.is_none(), hash);
        }
        match problem {
            None => {
                self.record(pod, reload(times));
            }
            Some(p) => {
                self.record(
                    pod,
                    Occurrence::new(
                        "Warning",
                        "RELOAD",
                        format!("Error reloading NGINX: {p}"),
                        events::INGRESS_NGINX,
                    )
                    .times(times),
                );
            }
        }
    }

    /// `GET pods/{name}/log` with the kubelet's options.
    pub async fn pod_log(
        &self,
        ns: &str,
        name: &str,
        params: &HashMap<String, String>,
        drop_after: Option<std::time::Duration>,
    ) -> Result<Response, ApiError> {
        crate::logs::serve(self, ns, name, params, drop_after).await
    }

    /// Pod and service proxies: ingress-nginx metrics and a real Prometheus.
    pub async fn proxy(
        &self,
        kind: &str,
        ns: &str,
        name: &str,
        rest: &str,
        params: &HashMap<String, String>,
    ) -> Result<Response, ApiError> {
        let ids = ids();
        let (object, port) = name
            .split_once(':')
            .map_or((name, None), |(n, p)| (n, Some(p)));
        match kind {
            "Pod" => {
                let pod = self.store.get(ids.pods, ns, object)?;
                if port.is_some_and(|p| p != METRICS_PORT.to_string())
                    || !matches!(rest, "/metrics" | "/healthz")
                {
                    return Err(ApiError::new(503, "ServiceUnavailable", format!("error trying to reach service: dial tcp {}:{}: connect: connection refused", pod["status"]["podIP"].as_str().unwrap_or_default(), port.unwrap_or("80")), None));
                }
                if pod["status"]["phase"] != "Running" {
                    return Err(ApiError::bad_request(format!(
                        "pod {object} is not running"
                    )));
                }
                if !serving(&pod) {
                    let ip = pod["status"]["podIP"].as_str().unwrap_or_default();
                    return Err(ApiError::new(503, "ServiceUnavailable", format!("error trying to reach service: dial tcp {ip}:{METRICS_PORT}: connect: connection refused"), None));
                }
                let body = if rest == "/healthz" {
                    "ok".to_string()
                } else {
                    self.pod_metrics(&pod)
                };
                Ok(text_response(
                    body,
                    "text/plain; version=0.0.4; charset=utf-8",
                ))
            }
            _ => {
                let svc = self.store.get(ids.services, ns, object)?;
                let refused = |addr: &str| {
                    ApiError::new(
                        503,
                        "ServiceUnavailable",
                        format!("error trying to reach service: dial tcp {addr}: connect: connection refused"),
                        None,
                    )
                };
                // the endpoint the API server would dial: a pod IP and the target port
                let port_number = svc["spec"]["ports"]
                    .as_array()
                    .and_then(|ports| {
                        ports.iter().find(|p| match port {
                            None => true,
                            Some(want) => {
                                p["name"] == want
                                    || p["port"].as_u64().map(|n| n.to_string()).as_deref()
                                        == Some(want)
                            }
                        })
                    })
                    .and_then(|p| p["port"].as_u64())
                    .unwrap_or(80);
                let h = mix(&[self.seed, hash_str(ns), hash_str(object)]);
                let endpoint = format!(
                    "10.233.{}.{}:{port_number}",
                    64 + h % 64,
                    2 + (h >> 8) % 250
                );
                let prometheus = ns == PROMETHEUS_NAMESPACE
                    && object == PROMETHEUS_SERVICE
                    && port_number == 9090;
                if !prometheus {
                    return Err(refused(&endpoint));
                }
                let Some(base) = &self.prometheus else {
                    return Err(refused(&endpoint));
                };
                let query = match params.get(RAW_QUERY) {
                    Some(raw) => raw.clone(),
                    None => form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(params.iter())
                        .finish(),
                };
                let url = format!(
                    "{}{}{}{}",
                    base.trim_end_matches('/'),
                    rest,
                    if query.is_empty() { "" } else { "?" },
                    query
                );
                // Prometheus' own answers (also its 400/422/503 errors) pass through unchanged
                crate::http_client::get(&url)
                    .await
                    .map(|(status, ct, body)| {
                        let mut r = Response::new(Body::from(body));
                        *r.status_mut() =
                            StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
                        r.headers_mut().insert(
                            header::CONTENT_TYPE,
                            ct.parse()
                                .unwrap_or(header::HeaderValue::from_static("application/json")),
                        );
                        r
                    })
                    .map_err(|e| {
                        ApiError::new(
                            503,
                            "ServiceUnavailable",
                            format!("error trying to reach service: {e}"),
                            None,
                        )
                    })
            }
        }
    }
}

/// Where KubeSphere's Prometheus answers (`--prometheus` forwards the service proxy there).
pub const PROMETHEUS_NAMESPACE: &str = "kubesphere-monitoring-system";
pub const PROMETHEUS_SERVICE: &str = "prometheus-k8s";
/// The request's raw query string in the proxy's `params` (so that repeated keys such as
/// `match[]` reach Prometheus as sent).
pub const RAW_QUERY: &str = "\u{0}raw-query";

pub fn text_response(body: String, content_type: &str) -> Response {
    let mut r = Response::new(Body::from(Bytes::from(body)));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, content_type.parse().unwrap());
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_and_durations() {
        let mi = 1048576.0;
        for (q, bytes) in [
            ("64Mi", 64.0 * mi),
            ("100Mi", 100.0 * mi),
            ("0.5Gi", 512.0 * mi),
            ("100M", 1e8),
            ("1e8", 1e8),
            ("128974848", 128974848.0),
            ("1E", 1e18),
            ("500m", 0.5),
        ] {
            assert_eq!(quantity_bytes(q), Some(bytes), "{q}");
        }
        assert_eq!(quantity_bytes("lots"), None);
        assert_eq!(quantity_bytes("Mi"), None);
        let pod = |limit: Value| json!({"spec": {"containers": [{"name": "controller", "resources": {"limits": {"memory": limit}}}, {"name": "sidecar"}]}});
        assert_eq!(low_memory_containers(&pod(json!("64Mi"))), ["controller"]);
        assert_eq!(
            low_memory_containers(&pod(json!(50_000_000))),
            ["controller"]
        );
        assert!(low_memory_containers(&pod(json!("100Mi"))).is_empty());
        assert!(low_memory_containers(&pod(json!("1Gi"))).is_empty());
        assert_eq!(go_duration(4512), "4.512s");
        assert_eq!(go_duration(4500), "4.5s");
        assert_eq!(go_duration(2000), "2s");
        assert_eq!(go_duration(63_500), "1m3.5s");
    }
}
