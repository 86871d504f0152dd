//! What runs "inside" the simulated cluster: KubeSphere's gateway operator (Gateway → Deployment,
//! Services, ConfigMap, status), the Deployment and ReplicaSet controllers, the scheduler and
//! kubelet (pods Pending → Running), the cloud load balancer, and the ingress-nginx pods' logs
//! and metrics.

use std::collections::HashMap;
use std::sync::Arc;
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

use crate::registry;
use crate::status::ApiError;
use crate::store::{now, EventType, Store};
use crate::traffic::{hash_str, mix, PodTraffic, Route};

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
}

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

impl Workloads {
    pub fn new(store: Arc<Store>, seed: u64, pace: f64, prometheus: Option<String>) -> Self {
        Workloads {
            store,
            seed,
            pace,
            prometheus,
            loading: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn delay(&self, ms: u64) -> Duration {
        Duration::from_millis((ms as f64 * self.pace) as u64)
    }

    /// Runs the controllers until the process ends.
    pub fn spawn(self: &Arc<Self>) {
        let me = self.clone();
        let mut rx = self.store.subscribe();
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
                    if helm
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
                } else if ev.res == ids.replicasets && ev.kind != EventType::Deleted {
                    w.reconcile_replicaset(&ns, &name, false);
                } else if ev.res == ids.pods {
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
        let rv_before = self.store.resource_version();
        self.store.put(ids.deployments, deployment);
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
        self.store.put(ids.services, service);
        self.store.put(ids.services, json!({
            "metadata": {"name": names::metrics_job(name), "namespace": ns, "labels": labels, "annotations": helm_annotations},
            "spec": {"type": "ClusterIP", "selector": selector, "ports": [{"name": "http-metrics", "port": METRICS_PORT, "protocol": "TCP", "targetPort": "http-metrics"}]}
        }));
        let data = if spec["controller"]["config"].is_object() {
            spec["controller"]["config"].clone()
        } else {
            json!({})
        };
        self.store.put(ids.configmaps, json!({
            "metadata": {"name": name, "namespace": ns, "labels": labels, "annotations": helm_annotations},
            "data": data
        }));
        // a reconcile that changes nothing is not an upgrade
        let changed = self.store.resource_version() != rv_before;
        if !previously_deployed
            || changed
            || conditions.iter().any(|c| c["type"] == "ReleaseFailed")
        {
            let reason = if previously_deployed {
                "UpgradeSuccessful"
            } else {
                "InstallSuccessful"
            };
            set_condition(&mut conditions, "Deployed", "True", reason, "");
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
        for old in owned.iter().filter(|rs| name_of(rs) != rs_name) {
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
        let rs = self.store.put(ids.replicasets, rs);
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
        self.store.modify(ids.pods, ns, name, |p| {
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

    /// The traffic a gateway pod serves: the Ingresses of its project (or a default site).
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
        for ing in self.store.select(ids.ingresses, ingress_ns, "") {
            for rule in ing["spec"]["rules"].as_array().cloned().unwrap_or_default() {
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
        PodTraffic {
            seed: self.seed,
            pod: pod_name.clone(),
            routes,
            peak_rps: 2.0 + (mix(&[self.seed, hash_str(gateway)]) % 6) as f64,
        }
    }

    /// `GET pods/{name}/log` with the kubelet's options.
    pub async fn pod_log(
        &self,
        ns: &str,
        name: &str,
        params: &HashMap<String, String>,
    ) -> Result<Response, ApiError> {
        crate::logs::serve(self, ns, name, params).await
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
                let body = if rest == "/healthz" {
                    "ok".to_string()
                } else {
                    crate::metrics::render(self, &pod)
                };
                Ok(text_response(
                    body,
                    "text/plain; version=0.0.4; charset=utf-8",
                ))
            }
            _ => {
                self.store.get(ids.services, ns, object)?;
                let Some(base) = &self.prometheus else {
                    return Err(ApiError::new(
                        503,
                        "ServiceUnavailable",
                        format!("no endpoints available for service \"{object}\""),
                        None,
                    ));
                };
                let query: String = form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(params.iter())
                    .finish();
                let url = format!(
                    "{}{}{}{}",
                    base.trim_end_matches('/'),
                    rest,
                    if query.is_empty() { "" } else { "?" },
                    query
                );
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

pub fn text_response(body: String, content_type: &str) -> Response {
    let mut r = Response::new(Body::from(Bytes::from(body)));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, content_type.parse().unwrap());
    r
}
