//! Seeded, deterministic starting states (`--scenario`).

use serde_json::{json, Value};

use crate::events::{Occurrence, Source, GATEWAY_CONTROLLER};
use crate::registry;
use crate::schema::gateway_crd;
use crate::store::{Store, WriteOptions};
use crate::workloads::{Workloads, CERTIFICATE_DAYS_ANNOTATION};

/// Markup, script, ANSI colours and a right-to-left override: what the hostile scenario puts in
/// every free-text field.
pub const EVIL: &str = "<img src=x onerror=alert(1)><script>alert('xss')</script>\u{1b}[31mRED\u{1b}[0m \u{202e}txet desrever\u{202c}";

/// A very long unbroken value.
pub fn long_text() -> String {
    "x".repeat(5000)
}

pub const SCENARIOS: [(&str, &str); 9] = [
    ("empty", "KubeSphere installed, no gateway enabled"),
    ("nodeport", "cluster gateway, NodePort, 2 replicas, with TLS Ingresses in project demo (one certificate expires in ~9 days)"),
    ("loadbalancer", "cluster gateway, LoadBalancer with QingCloud provider annotations"),
    ("projects", "3 project gateways (demo, shop with tracing, blog), no cluster gateway; TLS Ingresses in demo (expires in ~9 days) and shop"),
    ("legacy", "a KubeSphere 3.0/3.1 legacy gateway (Service + Deployment, no Gateway object) for project legacy"),
    ("custom-namespace", "kubesphere-config puts project gateways in namespace ingress-gateways; gateways for demo and shop there"),
    ("per-project", "kubesphere-config has an empty gateway.namespace: each project gateway lives in its project (demo, shop)"),
    ("large", "1,000 project gateways with 3 replicas each (3,000 pods), for load"),
    ("hostile", "names, annotations, config values and log lines carrying HTML/script/ANSI/RTL/very long strings"),
];

/// The Gateway for `project` (`kubesphere-system` = the cluster gateway) as the console creates it.
pub fn gateway(project: &str, service_type: &str, replicas: i64, tracing: bool) -> Value {
    let cluster = project == "kubesphere-system";
    json!({
        "apiVersion": "gateway.kubesphere.io/v1alpha1",
        "kind": "Gateway",
        "metadata": {
            "name": format!("kubesphere-router-{project}"),
            "namespace": "kubesphere-controls-system",
            "annotations": {"kubesphere.io/annotations": "", "kubesphere.io/creator": "admin"}
        },
        "spec": {
            "controller": {"replicas": 1, "annotations": {}, "config": {"worker-processes": "4"}, "scope": {"enabled": !cluster, "namespace": if cluster { "" } else { project }}},
            "deployment": {"replicas": replicas, "annotations": {"servicemesh.kubesphere.io/enabled": tracing.to_string()}},
            "service": {"type": service_type, "annotations": {}}
        }
    })
}

fn ingress(ns: &str, name: &str, host: &str, path: &str, service: &str) -> Value {
    json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"rules": [{"host": host, "http": {"paths": [{"path": path, "pathType": "Prefix", "backend": {"service": {"name": service, "port": {"number": 80}}}}]}}]}
    })
}

/// `ingress(…)` served over TLS with the certificate in Secret `secret`; `days`: how long it
/// stays valid after the start (devcluster's [`CERTIFICATE_DAYS_ANNOTATION`]), else 30–89 days.
fn tls_ingress(
    ns: &str,
    name: &str,
    host: &str,
    path: &str,
    service: &str,
    secret: &str,
    days: Option<u32>,
) -> Value {
    let mut i = ingress(ns, name, host, path, service);
    i["spec"]["tls"] = json!([{"hosts": [host], "secretName": secret}]);
    if let Some(d) = days {
        i["metadata"]["annotations"] = json!({CERTIFICATE_DAYS_ANNOTATION: d.to_string()});
    }
    i
}

struct Seeder<'a> {
    store: &'a Store,
}

impl Seeder<'_> {
    fn create(&self, group: &str, plural: &str, ns: Option<&str>, obj: Value) {
        let id = registry::id(group, plural);
        if let Err(e) = self.store.create(id, ns, obj, WriteOptions::default()) {
            panic!("scenario object rejected: {}", e.message());
        }
    }

    fn namespace(&self, name: &str) {
        self.create("", "namespaces", None, json!({"metadata": {"name": name, "labels": {"kubesphere.io/workspace": "system-workspace"}}}));
    }
}

/// Fills `store` with the base cluster plus the scenario, then lets workloads settle.
pub fn load(store: &Store, workloads: &Workloads, scenario: &str) -> Result<(), String> {
    if !SCENARIOS.iter().any(|(n, _)| *n == scenario) {
        let names: Vec<_> = SCENARIOS.iter().map(|(n, _)| *n).collect();
        return Err(format!(
            "unknown scenario {scenario:?}; choose one of: {}",
            names.join(", ")
        ));
    }
    let s = Seeder { store };
    for ns in [
        "default",
        "kube-system",
        "kubesphere-system",
        "kubesphere-controls-system",
        "kubesphere-monitoring-system",
        "demo",
    ] {
        s.namespace(ns);
    }
    for (i, (name, ip, cp)) in [
        ("node1", "192.168.0.2", true),
        ("node2", "192.168.0.3", false),
        ("node3", "192.168.0.4", false),
    ]
    .iter()
    .enumerate()
    {
        let mut labels = json!({"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"});
        if *cp {
            labels["node-role.kubernetes.io/control-plane"] = json!("");
            labels["node-role.kubernetes.io/master"] = json!("");
        } else {
            labels["node-role.kubernetes.io/worker"] = json!("");
        }
        let node = json!({
            "metadata": {"name": name, "labels": labels},
            "spec": {"podCIDR": format!("10.233.{}.0/24", 64 + i)},
            "status": {
                "addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
                "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"}],
                "nodeInfo": {"kubeletVersion": "v1.33.0", "containerRuntimeVersion": "containerd://1.7.13", "osImage": "Ubuntu 22.04.4 LTS", "architecture": "amd64", "operatingSystem": "linux"},
                "capacity": {"cpu": "8", "memory": "16Gi", "pods": "110"}
            }
        });
        let id = registry::id("", "nodes");
        let created = store
            .create(id, None, node.clone(), WriteOptions::default())
            .map_err(|e| e.message().to_string())?;
        // node status is written by the kubelet, through the status subresource
        let mut with_status = created;
        with_status["status"] = node["status"].clone();
        store.put(id, with_status);
    }
    s.create("", "configmaps", Some("kubesphere-system"), json!({
        "metadata": {"name": "kubesphere-config"},
        "data": {"kubesphere.yaml": format!("authentication:\n  authenticateRateLimiterMaxTries: 10\n  jwtSecret: \"\"\nmonitoring:\n  endpoint: http://prometheus-operated.kubesphere-monitoring-system.svc:9090\ngateway:\n  watchesPath: /var/helm-charts/watches.yaml\n  namespace: {}\n", match scenario {
            "custom-namespace" => "ingress-gateways",
            "per-project" => "\"\"",
            _ => "kubesphere-controls-system",
        })}
    }));
    s.create("", "services", Some("kubesphere-monitoring-system"), json!({
        "metadata": {"name": "prometheus-k8s", "labels": {"app.kubernetes.io/name": "prometheus"}},
        "spec": {"type": "ClusterIP", "selector": {"app.kubernetes.io/name": "prometheus"}, "ports": [{"name": "web", "port": 9090, "targetPort": "web"}]}
    }));
    s.create(
        "apiextensions.k8s.io",
        "customresourcedefinitions",
        None,
        gateway_crd(),
    );
    let gw = |g: Value| {
        s.create(
            "gateway.kubesphere.io",
            "gateways",
            Some("kubesphere-controls-system"),
            g,
        )
    };
    match scenario {
        "empty" => {}
        "nodeport" => {
            s.create(
                "networking.k8s.io",
                "ingresses",
                Some("demo"),
                tls_ingress(
                    "demo",
                    "shop",
                    "shop.example.com",
                    "/",
                    "shop-web",
                    "shop-example-com-tls",
                    None,
                ),
            );
            // its certificate expires in about 9 days
            s.create(
                "networking.k8s.io",
                "ingresses",
                Some("demo"),
                tls_ingress(
                    "demo",
                    "api",
                    "api.example.com",
                    "/api",
                    "api-server",
                    "api-example-com-tls",
                    Some(9),
                ),
            );
            gw(gateway("kubesphere-system", "NodePort", 2, false));
        }
        "loadbalancer" => {
            let mut g = gateway("kubesphere-system", "LoadBalancer", 1, false);
            g["metadata"]["annotations"]["kubesphere.io/annotations"] =
                json!(gateway_model::providers::QINGCLOUD);
            g["spec"]["service"]["annotations"] = json!({
                "service.beta.kubernetes.io/qingcloud-load-balancer-eip-ids": "eip-demo1234",
                "service.beta.kubernetes.io/qingcloud-load-balancer-type": "0"
            });
            gw(g);
        }
        "projects" => {
            for ns in ["shop", "blog"] {
                s.namespace(ns);
            }
            s.create(
                "networking.k8s.io",
                "ingresses",
                Some("demo"),
                tls_ingress(
                    "demo",
                    "web",
                    "demo.example.com",
                    "/",
                    "web",
                    "demo-example-com-tls",
                    Some(9),
                ),
            );
            s.create(
                "networking.k8s.io",
                "ingresses",
                Some("shop"),
                tls_ingress(
                    "shop",
                    "store",
                    "shop.example.com",
                    "/",
                    "storefront",
                    "shop-example-com-tls",
                    None,
                ),
            );
            gw(gateway("demo", "NodePort", 1, false));
            gw(gateway("shop", "LoadBalancer", 2, true));
            let mut blog = gateway("blog", "NodePort", 1, false);
            blog["spec"]["controller"]["config"] =
                json!({"worker-processes": "4", "proxy-body-size": "8m", "use-gzip": "true"});
            gw(blog);
        }
        "custom-namespace" | "per-project" => {
            for ns in ["shop", "blog", "ingress-gateways"] {
                s.namespace(ns);
            }
            for (project, mode) in [("demo", "NodePort"), ("shop", "LoadBalancer")] {
                let ns = if scenario == "per-project" {
                    project
                } else {
                    "ingress-gateways"
                };
                let mut g = gateway(project, mode, 1, false);
                g["metadata"]["namespace"] = json!(ns);
                s.create("gateway.kubesphere.io", "gateways", Some(ns), g);
            }
        }
        "legacy" => {
            s.namespace("legacy");
            let labels = json!({"app": "kubesphere", "component": "ks-router", "tier": "backend", "project": "legacy"});
            s.create("", "services", Some("kubesphere-controls-system"), json!({
                "metadata": {"name": "kubesphere-router-legacy", "labels": labels, "annotations": {"servicemesh.kubesphere.io/enabled": "false"}},
                "spec": {"type": "NodePort", "selector": {"app": "kubesphere", "component": "ks-router", "project": "legacy"}, "ports": [{"name": "http", "port": 80, "targetPort": 80}, {"name": "https", "port": 443, "targetPort": 443}]}
            }));
            s.create("apps", "deployments", Some("kubesphere-controls-system"), json!({
                "metadata": {"name": "kubesphere-router-legacy", "labels": labels},
                "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "kubesphere", "component": "ks-router", "project": "legacy"}},
                    "template": {"metadata": {"labels": {"app": "kubesphere", "component": "ks-router", "tier": "backend", "project": "legacy"}},
                        "spec": {"containers": [{"name": "nginx-ingress-controller", "image": "kubesphere/nginx-ingress-controller:v0.35.0", "args": ["/nginx-ingress-controller", "--watch-namespace=legacy", "--configmap=$(POD_NAMESPACE)/kubesphere-router-legacy-nginx", "--election-id=kubesphere-router-legacy", "--report-node-internal-ip-address"]}]}}}
            }));
            s.create("", "configmaps", Some("kubesphere-controls-system"), json!({"metadata": {"name": "kubesphere-router-legacy-nginx"}, "data": {"use-gzip": "true"}}));
        }
        "large" => {
            for i in 0..1000 {
                let ns = format!("project-{i:04}");
                s.namespace(&ns);
                let mode = if i % 3 == 0 {
                    "LoadBalancer"
                } else {
                    "NodePort"
                };
                gw(gateway(&ns, mode, 3, i % 5 == 0));
            }
        }
        "hostile" => {
            let evil = EVIL;
            let long = long_text();
            s.namespace("xss");
            s.create(
                "networking.k8s.io",
                "ingresses",
                Some("xss"),
                ingress(
                    "xss",
                    "evil",
                    "<script>alert(1)</script>.example.com",
                    "/<b>bold</b>",
                    "web",
                ),
            );
            let mut g = gateway("kubesphere-system", "LoadBalancer", 1, false);
            g["metadata"]["annotations"]["kubesphere.io/creator"] =
                json!(format!("<b>admin</b>{evil}"));
            g["metadata"]["annotations"]["kubesphere.io/annotations"] = json!("<i>Provider</i>");
            g["spec"]["service"]["annotations"] =
                json!({"example.com/html": evil, "example.com/long": long});
            g["spec"]["controller"]["config"] = json!({"worker-processes": "4", "http-snippet": format!("{evil}\nadd_header X-Evil \"<script>\";"), "server-tokens": "false"});
            gw(g);
            let mut p = gateway("xss", "NodePort", 1, true);
            p["metadata"]["annotations"]["kubesphere.io/creator"] =
                json!("\u{5c0f}\u{660e}<svg onload=alert(1)>");
            gw(p);
        }
        _ => unreachable!(),
    }
    workloads
        .loading
        .store(true, std::sync::atomic::Ordering::Relaxed);
    workloads.events.defer();
    workloads.settle();
    workloads.settle();
    if scenario == "hostile" {
        hostile_events(store, workloads);
    }
    workloads.events.flush(store);
    workloads
        .loading
        .store(false, std::sync::atomic::Ordering::Relaxed);
    Ok(())
}

/// Events on the hostile cluster gateway whose every text field carries something a page must
/// not interpret: markup, template syntax, very long and multi-line text, invisible and
/// right-to-left characters, extreme counts and times.
fn hostile_events(store: &Store, workloads: &Workloads) {
    let gateways = registry::id("gateway.kubesphere.io", "gateways");
    let Some(gw) = store.try_get(
        gateways,
        "kubesphere-controls-system",
        "kubesphere-router-kubesphere-system",
    ) else {
        return;
    };
    let evil_source = Source {
        component: "<b>gateway-controller</b>",
        host: "<script>alert('host')</script>",
    };
    let long = long_text();
    let mut occurrences = vec![
        Occurrence::new("Warning", "<img src=x onerror=alert(1)>", EVIL, GATEWAY_CONTROLLER),
        Occurrence::new(
            "Normal",
            "{{7*7}}",
            "{{7*7}} ${7*7} <%= 7*7 %> #{7*7} {{constructor.constructor('alert(1)')()}} [[${7*7}]]",
            evil_source,
        ),
        Occurrence::new(
            "Warning",
            "UpgradeError",
            format!("failed to upgrade release: {long}"),
            GATEWAY_CONTROLLER,
        ),
        Occurrence::new(
            "Warning",
            "ReleaseFailed",
            format!(
                "{} ",
                "the rendered manifest is invalid because a value is much too long; ".repeat(60)
            ),
            GATEWAY_CONTROLLER,
        ),
        Occurrence::new(
            "Normal",
            "Multi\tLine",
            "first line\nsecond line <b>bold</b>\n\tindented third\r\nCRLF fourth\n\n",
            GATEWAY_CONTROLLER,
        ),
        Occurrence::new(
            "Normal",
            "Zero\u{200b}Width\u{200d}",
            "zero\u{200b}width\u{200c}non\u{200d}joiner\u{feff}bom \u{202e}txet desrever\u{202c} \u{5c0f}\u{660e} \u{645}\u{631}\u{62d}\u{628}\u{627} \u{5e9}\u{5dc}\u{5d5}\u{5dd} \u{1f469}\u{200d}\u{1f469}\u{200d}\u{1f467}",
            GATEWAY_CONTROLLER,
        ),
        Occurrence::new("Custom\u{1b}[31m", "", "", GATEWAY_CONTROLLER),
    ];
    // a count near int32's maximum, first seen years ago
    let mut old = Occurrence::new(
        "Warning",
        "BackOff",
        "counted 2147483647 times since 2015",
        GATEWAY_CONTROLLER,
    )
    .times(2_147_483_647);
    old.first_timestamp = Some("2015-07-21T00:00:00Z".into());
    occurrences.push(old);
    for occ in occurrences {
        workloads.record(&gw, occ);
    }
}
