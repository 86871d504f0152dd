//! Fidelity suite: the real `kubectl` against devcluster. Needs `kubectl` on PATH
//! (`cargo xtask setup` installs Debian's kubernetes-client when there is none).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use devcluster::Options;

struct Cluster {
    url: String,
    _rt: tokio::runtime::Runtime,
}

fn start(scenario: &str) -> Cluster {
    start_as(scenario, "admin")
}

fn start_as(scenario: &str, user: &str) -> Cluster {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let opts = Options {
        scenario: scenario.into(),
        user: user.into(),
        pace: 0.05,
        ..Options::default()
    };
    let url = rt.block_on(async {
        let cluster = devcluster::build(&opts).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(devcluster::serve(cluster, listener, std::future::pending()));
        format!("http://{addr}")
    });
    Cluster { url, _rt: rt }
}

fn kubectl_path() -> String {
    std::env::var("KUBECTL").unwrap_or_else(|_| "kubectl".into())
}

impl Cluster {
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(kubectl_path());
        c.arg("-s")
            .arg(&self.url)
            .arg("--request-timeout=10s")
            .args(args);
        c.env("KUBECONFIG", "/dev/null");
        c
    }

    /// Runs kubectl; returns (success, stdout + stderr).
    fn run(&self, args: &[&str]) -> (bool, String) {
        let out = self
            .cmd(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run kubectl ({e}); run `cargo xtask setup`"));
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }

    fn ok(&self, args: &[&str]) -> String {
        let (ok, text) = self.run(args);
        assert!(ok, "kubectl {args:?} failed:\n{text}");
        text
    }

    fn eventually(&self, args: &[&str], what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let (_, text) = self.run(args);
            if pred(&text) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; last output of kubectl {args:?}:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

const CS: &str = "kubesphere-controls-system";

fn gateway_yaml(project: &str) -> String {
    format!(
        "apiVersion: gateway.kubesphere.io/v1alpha1\nkind: Gateway\nmetadata:\n  name: kubesphere-router-{project}\n  namespace: {CS}\nspec:\n  controller:\n    scope: {{enabled: true, namespace: {project}}}\n    config: {{use-gzip: \"true\"}}\n  deployment:\n    replicas: 1\n  service:\n    type: NodePort\n"
    )
}

fn write_temp(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("devcluster-kubectl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn discovery_and_tables() {
    let c = start("nodeport");
    let out = c.ok(&["api-resources"]);
    assert!(
        out.lines().any(|l| l.starts_with("gateways")
            && l.contains("gateway.kubesphere.io/v1alpha1")
            && l.contains("Gateway")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("deployments") && l.contains("deploy")),
        "{out}"
    );
    let out = c.ok(&["get", "nodes", "-o", "wide"]);
    assert!(
        out.contains("control-plane,master") && out.contains("192.168.0.2"),
        "{out}"
    );
    let out = c.ok(&["get", "gateways.gateway.kubesphere.io", "-A"]);
    assert!(
        out.contains("kubesphere-router-kubesphere-system") && out.contains("NodePort"),
        "{out}"
    );
    let out = c.ok(&["get", "pods", "-n", CS, "-l", "app.kubernetes.io/name=ingress-nginx,app.kubernetes.io/instance=kubesphere-router-kubesphere-system-ingress"]);
    assert_eq!(
        out.lines().filter(|l| l.contains("Running")).count(),
        2,
        "{out}"
    );
    let json: serde_json::Value = serde_json::from_str(&c.ok(&[
        "get",
        "svc",
        "-n",
        CS,
        "kubesphere-router-kubesphere-system",
        "-o",
        "json",
    ]))
    .unwrap();
    let np = json["spec"]["ports"][0]["nodePort"].as_i64().unwrap();
    assert!((30000..=32767).contains(&np));
    let (ok, out) = c.run(&["get", "pods", "-n", CS, "no-such-pod"]);
    assert!(
        !ok && out.contains("pods \"no-such-pod\" not found"),
        "{out}"
    );
    let (ok, out) = c.run(&["get", "pods", "--field-selector", "spec.bogus=1"]);
    assert!(!ok && out.contains("field label not supported"), "{out}");
}

#[test]
fn create_apply_patch_scale_delete_a_gateway() {
    let c = start("empty");
    // imperative commands send protobuf bodies
    c.ok(&["create", "namespace", "demo2"]);
    c.ok(&[
        "create",
        "configmap",
        "-n",
        "demo2",
        "settings",
        "--from-literal=mode=fast",
    ]);
    assert_eq!(
        c.ok(&[
            "get",
            "cm",
            "-n",
            "demo2",
            "settings",
            "-o",
            "jsonpath={.data.mode}"
        ])
        .trim(),
        "fast"
    );
    let file = write_temp("gw.yaml", &gateway_yaml("demo2"));
    let f = file.to_str().unwrap();
    assert!(c
        .ok(&["create", "-f", f])
        .contains("kubesphere-router-demo2 created"));
    let (ok, out) = c.run(&["create", "-f", f]);
    assert!(
        !ok && out.contains("AlreadyExists") || out.contains("already exists"),
        "{out}"
    );
    // the operator renders the workloads
    c.eventually(
        &["get", "pods", "-n", CS],
        "a running controller pod",
        |o| o.contains("kubesphere-router-demo2-") && o.contains("Running"),
    );
    let cm = c.ok(&[
        "get",
        "configmap",
        "-n",
        CS,
        "kubesphere-router-demo2",
        "-o",
        "jsonpath={.data.use-gzip}",
    ]);
    assert_eq!(cm.trim(), "true");
    assert!(c.ok(&["apply", "-f", f]).contains("configured"));
    assert!(c
        .ok(&[
            "patch",
            "gateway",
            "-n",
            CS,
            "kubesphere-router-demo2",
            "--type=merge",
            "-p",
            r#"{"spec":{"deployment":{"replicas":3}}}"#
        ])
        .contains("patched"));
    c.eventually(
        &["get", "deploy", "-n", CS, "kubesphere-router-demo2"],
        "3/3 ready",
        |o| o.contains("3/3"),
    );
    c.ok(&[
        "patch",
        "gateway",
        "-n",
        CS,
        "kubesphere-router-demo2",
        "--type=json",
        "-p",
        r#"[{"op":"replace","path":"/spec/service/type","value":"LoadBalancer"}]"#,
    ]);
    c.eventually(
        &["get", "svc", "-n", CS, "kubesphere-router-demo2"],
        "a load balancer IP",
        |o| o.contains("LoadBalancer") && o.contains("139.198."),
    );
    // schema validation with the CRD's types
    let (ok, out) = c.run(&[
        "patch",
        "gateway",
        "-n",
        CS,
        "kubesphere-router-demo2",
        "--type=merge",
        "-p",
        r#"{"spec":{"deployment":{"replicas":"two"}}}"#,
    ]);
    assert!(
        !ok && out.contains("spec.deployment.replicas") && out.contains("must be of type integer"),
        "{out}"
    );
    // kubectl scale on the Deployment works, and Helm (the operator) reverts the drift
    assert!(c
        .ok(&[
            "scale",
            "deploy",
            "-n",
            CS,
            "kubesphere-router-demo2",
            "--replicas=1"
        ])
        .contains("scaled"));
    c.eventually(
        &[
            "get",
            "deploy",
            "-n",
            CS,
            "kubesphere-router-demo2",
            "-o",
            "jsonpath={.spec.replicas}",
        ],
        "replicas reverted to 3",
        |o| o.trim() == "3",
    );
    // an unusable config value makes the release fail, with the reason in status
    c.ok(&[
        "patch",
        "gateway",
        "-n",
        CS,
        "kubesphere-router-demo2",
        "--type=merge",
        "-p",
        r#"{"spec":{"controller":{"config":{"proxy-read-timeout":"soon"}}}}"#,
    ]);
    c.eventually(
        &[
            "get",
            "gateway",
            "-n",
            CS,
            "kubesphere-router-demo2",
            "-o",
            "jsonpath={.status.conditions[?(@.type==\"ReleaseFailed\")].message}",
        ],
        "ReleaseFailed",
        |o| o.contains("proxy-read-timeout"),
    );
    // deletion waits for the operator's finalizer, then cascades
    assert!(c
        .ok(&[
            "delete",
            "gateway",
            "-n",
            CS,
            "kubesphere-router-demo2",
            "--wait=false"
        ])
        .contains("deleted"));
    c.eventually(&["get", "gateways", "-A"], "gateway gone", |o| {
        !o.contains("kubesphere-router-demo2")
    });
    c.eventually(
        &["get", "pods,svc,deploy,rs", "-n", CS],
        "workloads gone",
        |o| !o.contains("kubesphere-router-demo2"),
    );
}

#[test]
fn logs_and_follow() {
    let c = start("nodeport");
    let pods = c.ok(&["get", "pods", "-n", CS, "-o", "name"]);
    let pod = pods.lines().next().unwrap().trim().to_string();
    let out = c.ok(&["logs", "-n", CS, &pod, "--tail=5", "--timestamps"]);
    assert_eq!(out.lines().count(), 5, "{out}");
    for line in out.lines() {
        let (ts, rest) = line.split_once(' ').unwrap();
        assert!(ts.ends_with('Z') && ts.contains('T'), "{line}");
        let known = gateway_model::access_log::parse_access(rest).is_some()
            || rest.contains("[error]")
            || rest.starts_with('I')
            || rest.starts_with("  ")
            || rest.starts_with("---")
            || rest.starts_with("NGINX");
        assert!(known, "{line}");
    }
    let out = c.ok(&["logs", "-n", CS, &pod, "-c", "controller"]);
    assert!(out.contains("Starting NGINX Ingress controller"), "{out}");
    let (ok, out) = c.run(&["logs", "-n", CS, &pod, "-c", "nope"]);
    assert!(!ok && out.contains("container nope is not valid"), "{out}");
    // follow streams new lines as traffic happens
    let mut child: Child = c
        .cmd(&["logs", "-f", "--tail=0", "-n", CS, &pod])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let started = Instant::now();
    reader.read_line(&mut line).unwrap();
    child.kill().ok();
    child.wait().ok();
    assert!(
        gateway_model::access_log::parse_access(line.trim_end()).is_some()
            || line.contains("[error]"),
        "{line:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn get_watch_sees_changes() {
    let c = start("nodeport");
    let mut child = c
        .cmd(&["get", "gateways", "-n", CS, "-w"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut header = String::new();
    reader.read_line(&mut header).unwrap();
    assert!(header.starts_with("NAME"), "{header:?}");
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert!(
        first.contains("kubesphere-router-kubesphere-system") && first.contains(" 2 "),
        "{first:?}"
    );
    c.ok(&[
        "patch",
        "gateway",
        "-n",
        CS,
        "kubesphere-router-kubesphere-system",
        "--type=merge",
        "-p",
        r#"{"spec":{"deployment":{"replicas":4}}}"#,
    ]);
    let mut next = String::new();
    reader.read_line(&mut next).unwrap();
    child.kill().ok();
    child.wait().ok();
    assert!(
        next.contains("kubesphere-router-kubesphere-system") && next.contains(" 4 "),
        "{next:?}"
    );
}

#[test]
fn kubectl_proxy_serves_static_files_and_the_api() {
    let c = start("empty");
    let www = write_temp(
        "index.html",
        "<!doctype html><title>gateway-console</title>",
    );
    let dir = www.parent().unwrap().to_str().unwrap().to_string();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut proxy = c
        .cmd(&[
            "proxy",
            &format!("--port={port}"),
            &format!("--www={dir}"),
            "--www-prefix=/",
            "--api-prefix=/k8s/",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let get = |path: &str| -> Option<String> {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
        let mut buf = String::new();
        s.read_to_string(&mut buf).ok()?;
        Some(buf)
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    let index = loop {
        if let Some(r) = get("/") {
            break r;
        }
        assert!(Instant::now() < deadline, "kubectl proxy did not start");
        std::thread::sleep(Duration::from_millis(100));
    };
    let api = get("/k8s/api/v1/namespaces/kubesphere-system/configmaps/kubesphere-config")
        .unwrap_or_default();
    proxy.kill().ok();
    proxy.wait().ok();
    assert!(index.contains("<title>gateway-console</title>"), "{index}");
    assert!(
        api.contains("gateway:") && api.contains("kubesphere-controls-system"),
        "{api}"
    );
}

#[test]
fn users_and_access_reviews() {
    let viewer = start_as("projects", "viewer");
    assert_eq!(
        viewer
            .ok(&[
                "auth",
                "can-i",
                "list",
                "gateways.gateway.kubesphere.io",
                "-A"
            ])
            .trim(),
        "yes"
    );
    let (ok, out) = viewer.run(&[
        "auth",
        "can-i",
        "patch",
        "gateways.gateway.kubesphere.io",
        "-n",
        CS,
    ]);
    assert!(!ok && out.trim().starts_with("no"), "{out}");
    let (ok, out) = viewer.run(&["delete", "gateway", "-n", CS, "kubesphere-router-demo"]);
    assert!(
        !ok && out.contains("Forbidden") && out.contains("cannot delete resource \"gateways\""),
        "{out}"
    );

    let pa = start_as("projects", "project-admin:demo");
    assert_eq!(
        pa.ok(&[
            "auth",
            "can-i",
            "patch",
            "gateways.gateway.kubesphere.io/kubesphere-router-demo",
            "-n",
            CS
        ])
        .trim(),
        "yes"
    );
    let (_, out) = pa.run(&[
        "auth",
        "can-i",
        "patch",
        "gateways.gateway.kubesphere.io/kubesphere-router-shop",
        "-n",
        CS,
    ]);
    assert!(out.trim().starts_with("no"), "{out}");
    pa.ok(&[
        "patch",
        "gateway",
        "-n",
        CS,
        "kubesphere-router-demo",
        "--type=merge",
        "-p",
        r#"{"spec":{"deployment":{"replicas":2}}}"#,
    ]);
    let (ok, out) = pa.run(&[
        "patch",
        "gateway",
        "-n",
        CS,
        "kubesphere-router-shop",
        "--type=merge",
        "-p",
        r#"{"spec":{"deployment":{"replicas":2}}}"#,
    ]);
    assert!(!ok && out.contains("Forbidden"), "{out}");
}

/// Reads lines of a streaming kubectl until one satisfies `pred` (or `timeout` passes).
fn read_until(
    lines: &std::sync::mpsc::Receiver<String>,
    timeout: Duration,
    pred: impl Fn(&str) -> bool,
) -> Option<String> {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        match lines.recv_timeout(left) {
            Ok(line) if pred(&line) => return Some(line),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
}

/// The lines a child writes to stdout, read on a thread.
fn stdout_lines(child: &mut Child) -> std::sync::mpsc::Receiver<String> {
    let out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

const GW: &str = "kubesphere-router-kubesphere-system";

fn pod_names(c: &Cluster) -> Vec<String> {
    c.ok(&[
        "get",
        "pods",
        "-n",
        CS,
        "-o",
        "jsonpath={.items[*].metadata.name}",
    ])
    .split_whitespace()
    .map(str::to_string)
    .collect()
}

#[test]
fn events_follow_the_controllers() {
    let c = start("nodeport");
    // a fresh cluster shows how its pods came to run
    let out = c.ok(&["get", "events", "-n", CS]);
    let header: Vec<&str> = out.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
        "{out}"
    );
    for reason in [
        "InstallSuccessful",
        "ScalingReplicaSet",
        "SuccessfulCreate",
        "Scheduled",
        "Pulled",
        "Created",
        "Started",
    ] {
        assert!(out.contains(reason), "{reason} missing:\n{out}");
    }
    let before = pod_names(&c);
    assert_eq!(before.len(), 2);
    // kubectl get events -w streams what the controllers record
    let mut watch = c
        .cmd(&["get", "events", "-n", CS, "-w"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = stdout_lines(&mut watch);
    c.ok(&[
        "patch",
        "gateway",
        "-n",
        CS,
        GW,
        "--type=merge",
        "-p",
        r#"{"spec":{"deployment":{"replicas":3}}}"#,
    ]);
    let scaled = read_until(&lines, Duration::from_secs(15), |l| {
        l.contains("ScalingReplicaSet") && l.contains("from 2 to 3")
    });
    let started = read_until(&lines, Duration::from_secs(15), |l| {
        l.contains("Started") && !before.iter().any(|p| l.contains(p.as_str()))
    });
    watch.kill().ok();
    watch.wait().ok();
    assert!(scaled.is_some(), "no ScalingReplicaSet streamed");
    assert!(started.is_some(), "no Started of the new pod streamed");
    let new_pod = c
        .eventually(&["get", "pods", "-n", CS, "-o", "name"], "3 pods", |o| {
            o.lines().count() == 3
        })
        .lines()
        .map(|l| l.trim_start_matches("pod/").to_string())
        .find(|p| !before.contains(p))
        .unwrap();
    let selector = format!("involvedObject.name={new_pod}");
    let out = c.eventually(
        &["get", "events", "-n", CS, "--field-selector", &selector],
        "the new pod's events",
        |o| {
            ["Scheduled", "Pulled", "Created", "Started"]
                .iter()
                .all(|r| o.contains(r))
        },
    );
    assert!(
        out.contains(&format!("Successfully assigned {CS}/{new_pod} to node")),
        "{out}"
    );
    let out = c.ok(&["get", "events", "-n", CS]);
    assert!(out.contains(&format!("Created pod: {new_pod}")), "{out}");
    assert!(out.contains("UpgradeSuccessful"), "{out}");
    // kubelet events are about the container, from the pod's node
    let started: serde_json::Value = serde_json::from_str(&c.ok(&[
        "get",
        "events",
        "-n",
        CS,
        "--field-selector",
        &format!("{selector},reason=Started"),
        "-o",
        "json",
    ]))
    .unwrap();
    let e = &started["items"][0];
    assert_eq!(
        e["involvedObject"]["fieldPath"],
        "spec.containers{controller}"
    );
    assert_eq!(e["involvedObject"]["kind"], "Pod");
    assert_eq!(e["source"]["component"], "kubelet");
    assert!(e["source"]["host"].as_str().unwrap().starts_with("node"));
    assert_eq!(e["count"], 1);
    // across namespaces, by kind
    let pods_only = c.ok(&[
        "get",
        "events",
        "-A",
        "--field-selector",
        "involvedObject.kind=Pod",
        "--no-headers",
    ]);
    assert!(
        !pods_only.is_empty() && pods_only.lines().all(|l| l.contains(" pod/")),
        "{pods_only}"
    );
    // describe lists each object's events (kubectl asks by involvedObject name, namespace, uid)
    let out = c.ok(&["describe", "pod", "-n", CS, &new_pod]);
    let events = out.split("Events:").nth(1).unwrap_or_default();
    for s in [
        "Scheduled",
        "default-scheduler",
        "Pulled",
        "Started",
        "kubelet",
    ] {
        assert!(events.contains(s), "{s} missing:\n{out}");
    }
    let out = c.ok(&["describe", "deploy", "-n", CS, GW]);
    assert!(
        out.contains("ScalingReplicaSet") && out.contains("from 2 to 3"),
        "{out}"
    );
    let out = c.ok(&["describe", "gateways.gateway.kubesphere.io", "-n", CS, GW]);
    let events = out.split("Events:").nth(1).unwrap_or_default();
    assert!(
        events.contains("InstallSuccessful") && events.contains("UpgradeSuccessful"),
        "{out}"
    );
    // scaling down deletes pods: the ReplicaSet controller and the kubelet say so
    c.ok(&[
        "patch",
        "gateway",
        "-n",
        CS,
        GW,
        "--type=merge",
        "-p",
        r#"{"spec":{"deployment":{"replicas":1}}}"#,
    ]);
    let out = c.eventually(
        &["get", "events", "-n", CS],
        "SuccessfulDelete and Killing",
        |o| o.contains("Deleted pod: ") && o.contains("Stopping container controller"),
    );
    assert!(out.contains("from 3 to 1"), "{out}");
}

#[test]
fn a_low_memory_limit_makes_a_crash_loop_until_it_is_raised() {
    let c = start("nodeport");
    c.ok(&[
        "patch",
        "gateway",
        "-n",
        CS,
        GW,
        "--type=merge",
        "-p",
        r#"{"spec":{"deployment":{"replicas":1,"resources":{"limits":{"memory":"64Mi"}}}}}"#,
    ]);
    let limits = |c: &Cluster| {
        c.ok(&[
            "get",
            "pods",
            "-n",
            CS,
            "-o",
            r#"jsonpath={range .items[*]}{.metadata.name} {.spec.containers[0].resources.limits.memory} {.status.containerStatuses[0].restartCount}{"\n"}{end}"#,
        ])
    };
    let restarts_of = |c: &Cluster, pod: &str| -> Option<u64> {
        limits(c)
            .lines()
            .find(|l| l.starts_with(pod))
            .and_then(|l| l.split_whitespace().nth(2))
            .and_then(|n| n.parse().ok())
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let pod = loop {
        let out = limits(&c);
        if let Some(l) = out
            .lines()
            .find(|l| l.contains(" 64Mi ") && !l.ends_with(" 0") && !l.ends_with(' '))
        {
            break l.split_whitespace().next().unwrap().to_string();
        }
        assert!(Instant::now() < deadline, "no restart:\n{out}");
        std::thread::sleep(Duration::from_millis(200));
    };
    let first = restarts_of(&c, &pod).unwrap();
    let selector = format!("involvedObject.name={pod},reason=BackOff");
    c.eventually(
        &[
            "get",
            "events",
            "-n",
            CS,
            "--field-selector",
            &selector,
            "-o",
            "jsonpath={.items[*].count}",
        ],
        "BackOff counted at least twice",
        |o| o.trim().parse::<u64>().is_ok_and(|n| n >= 2),
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    while restarts_of(&c, &pod).unwrap_or(0) <= first {
        assert!(Instant::now() < deadline, "restartCount stays {first}");
        std::thread::sleep(Duration::from_millis(200));
    }
    let status: serde_json::Value =
        serde_json::from_str(&c.ok(&["get", "pod", "-n", CS, &pod, "-o", "json"])).unwrap();
    let cs = &status["status"]["containerStatuses"][0];
    assert_eq!(cs["lastState"]["terminated"]["reason"], "OOMKilled", "{cs}");
    assert_eq!(cs["lastState"]["terminated"]["exitCode"], 137, "{cs}");
    let out = c.ok(&[
        "get",
        "events",
        "-n",
        CS,
        "--field-selector",
        &format!("involvedObject.name={pod}"),
    ]);
    assert!(
        out.contains("Back-off restarting failed container controller in pod")
            && out.contains("Readiness probe failed: Get \"http://")
            && out.contains("connect: connection refused"),
        "{out}"
    );
    assert!(
        c.ok(&["get", "events", "-n", "default"])
            .contains("SystemOOM"),
        "the node's OOM"
    );
    let out = c.ok(&["logs", "-n", CS, &pod, "--previous"]);
    assert!(out.contains("Starting NGINX Ingress controller"), "{out}");
    // a limit that fits: the new pod runs, the loop ends
    c.ok(&[
        "patch",
        "gateway",
        "-n",
        CS,
        GW,
        "--type=merge",
        "-p",
        r#"{"spec":{"deployment":{"resources":{"limits":{"memory":"256Mi"}}}}}"#,
    ]);
    c.eventually(
        &["get", "pods", "-n", CS, "--no-headers"],
        "only a healthy pod",
        |o| o.lines().count() == 1 && o.contains("1/1") && o.contains("Running"),
    );
    let backoffs = |c: &Cluster| {
        c.ok(&[
            "get",
            "events",
            "-n",
            CS,
            "--field-selector",
            "reason=BackOff",
            "-o",
            "jsonpath={.items[*].count}",
        ])
    };
    let before = backoffs(&c);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(backoffs(&c), before, "BackOff still counted");
    let out = limits(&c);
    assert!(out.trim().ends_with(" 256Mi 0"), "{out}");
}

#[test]
fn configmap_drift_stays_until_the_gateway_changes() {
    let c = start("nodeport");
    let value = |c: &Cluster, key: &str| {
        c.ok(&[
            "get",
            "configmap",
            "-n",
            CS,
            GW,
            "-o",
            &format!("jsonpath={{.data.{key}}}"),
        ])
        .trim()
        .to_string()
    };
    assert_eq!(value(&c, "worker-processes"), "4");
    c.ok(&[
        "patch",
        "configmap",
        "-n",
        CS,
        GW,
        "--type=merge",
        "-p",
        r#"{"data":{"worker-processes":"8"}}"#,
    ]);
    // ingress-nginx notices the edit
    c.eventually(
        &[
            "get",
            "events",
            "-n",
            CS,
            "--field-selector",
            "reason=UPDATE",
        ],
        "UPDATE on the ConfigMap",
        |o| o.contains(&format!("ConfigMap {CS}/{GW}")),
    );
    // the operator leaves it alone while the Gateway does not change
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(value(&c, "worker-processes"), "8");
    c.ok(&[
        "patch",
        "gateway",
        "-n",
        CS,
        GW,
        "--type=merge",
        "-p",
        r#"{"spec":{"controller":{"config":{"use-gzip":"true"}}}}"#,
    ]);
    c.eventually(
        &["get", "configmap", "-n", CS, GW, "-o", "jsonpath={.data}"],
        "the ConfigMap rendered from the Gateway again",
        |o| o.contains(r#""worker-processes":"4""#) && o.contains(r#""use-gzip":"true""#),
    );
}
