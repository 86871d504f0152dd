//! The gateway's pods as the Resource Status tab shows them: what is read of a Pod (not
//! k8s-openapi's full `Pod`, whose PodSpec decoder alone is hundreds of KiB of wasm) and the
//! summary of each row (status as `kubectl get pods` words it, ready x/y, restarts, node, IPs,
//! containers with their last termination).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::{ListableResource, Metadata, NamespaceResourceScope, Resource};
use serde::Deserialize;

/// A Pod, reduced to what the pod list shows.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct PodView {
    #[serde(
        default,
        deserialize_with = "crate::gateway_json::deserialize_object_meta"
    )]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: Option<PodSpecView>,
    #[serde(default)]
    pub status: Option<PodStatusView>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PodSpecView {
    pub node_name: Option<String>,
    #[serde(default)]
    pub containers: Vec<ContainerSpecView>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct ContainerSpecView {
    #[serde(default)]
    pub name: String,
    pub image: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PodStatusView {
    pub phase: Option<String>,
    pub reason: Option<String>,
    pub message: Option<String>,
    #[serde(rename = "podIP")]
    pub pod_ip: Option<String>,
    #[serde(rename = "podIPs", default)]
    pub pod_ips: Vec<PodIpView>,
    #[serde(rename = "hostIP")]
    pub host_ip: Option<String>,
    pub start_time: Option<String>,
    #[serde(default)]
    pub conditions: Vec<PodConditionView>,
    #[serde(default)]
    pub container_statuses: Vec<ContainerStatusView>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct PodIpView {
    #[serde(default)]
    pub ip: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct PodConditionView {
    #[serde(rename = "type", default)]
    pub type_: String,
    #[serde(default)]
    pub status: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStatusView {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub image: String,
    #[serde(default)]
    pub ready: bool,
    #[serde(default)]
    pub restart_count: i32,
    #[serde(default)]
    pub state: Option<ContainerStateView>,
    #[serde(default)]
    pub last_state: Option<ContainerStateView>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct ContainerStateView {
    pub running: Option<RunningView>,
    pub waiting: Option<WaitingView>,
    pub terminated: Option<TerminatedView>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RunningView {
    pub started_at: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct WaitingView {
    pub reason: Option<String>,
    pub message: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TerminatedView {
    pub reason: Option<String>,
    #[serde(default)]
    pub exit_code: i32,
    pub message: Option<String>,
    pub finished_at: Option<String>,
}

impl Resource for PodView {
    const API_VERSION: &'static str = "v1";
    const GROUP: &'static str = "";
    const KIND: &'static str = "Pod";
    const VERSION: &'static str = "v1";
    const URL_PATH_SEGMENT: &'static str = "pods";
    type Scope = NamespaceResourceScope;
}

impl ListableResource for PodView {
    const LIST_KIND: &'static str = "PodList";
}

impl Metadata for PodView {
    type Ty = ObjectMeta;

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

/// How a pod is doing, for the badge colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodHealth {
    /// Running and every container ready, or Succeeded.
    Good,
    /// Pending, starting, terminating, or running with containers not ready.
    Progressing,
    /// Failed, or a container waiting in an error state (CrashLoopBackOff, ImagePullBackOff, …).
    Bad,
}

/// State of one container, summarised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContainerState {
    Running,
    /// Waiting, with the reason (`ContainerCreating`, `CrashLoopBackOff`, …).
    Waiting(String),
    /// Terminated, with the reason and exit code.
    Terminated(String, i32),
    Unknown,
}

/// One container of a pod row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerRow {
    pub name: String,
    pub image: String,
    pub ready: bool,
    pub restarts: i32,
    pub state: ContainerState,
    /// Why it last stopped: reason and exit code (`OOMKilled`, 137).
    pub last_termination: Option<(String, i32)>,
}

impl ContainerState {
    fn of(state: Option<&ContainerStateView>) -> Self {
        match state {
            Some(ContainerStateView {
                running: Some(_), ..
            }) => ContainerState::Running,
            Some(ContainerStateView {
                waiting: Some(w), ..
            }) => ContainerState::Waiting(w.reason.clone().unwrap_or_default()),
            Some(ContainerStateView {
                terminated: Some(t),
                ..
            }) => ContainerState::Terminated(t.reason.clone().unwrap_or_default(), t.exit_code),
            _ => ContainerState::Unknown,
        }
    }
}

/// Waiting reasons that mean the container cannot start by itself.
const BAD_WAITING: &[&str] = &[
    "CrashLoopBackOff",
    "ImagePullBackOff",
    "ErrImagePull",
    "CreateContainerConfigError",
    "CreateContainerError",
    "InvalidImageName",
    "RunContainerError",
];

impl PodView {
    pub fn name(&self) -> &str {
        self.metadata.name.as_deref().unwrap_or_default()
    }

    /// The node the pod runs on (empty while unscheduled).
    pub fn node(&self) -> &str {
        self.spec
            .as_ref()
            .and_then(|s| s.node_name.as_deref())
            .unwrap_or_default()
    }

    /// Pod IPs (`podIPs`, else `podIP`).
    pub fn ips(&self) -> Vec<String> {
        let Some(status) = &self.status else {
            return Vec::new();
        };
        let ips: Vec<String> = status
            .pod_ips
            .iter()
            .map(|p| p.ip.clone())
            .filter(|ip| !ip.is_empty())
            .collect();
        if ips.is_empty() {
            status.pod_ip.iter().cloned().collect()
        } else {
            ips
        }
    }

    /// Ready containers and all containers.
    pub fn ready(&self) -> (usize, usize) {
        let total = self
            .spec
            .as_ref()
            .map(|s| s.containers.len())
            .unwrap_or_default();
        let statuses = self.container_statuses();
        let ready = statuses.iter().filter(|c| c.ready).count();
        (ready, total.max(statuses.len()))
    }

    /// Restarts of all containers.
    pub fn restarts(&self) -> i32 {
        self.container_statuses()
            .iter()
            .map(|c| c.restart_count)
            .sum()
    }

    fn container_statuses(&self) -> &[ContainerStatusView] {
        self.status
            .as_ref()
            .map(|s| s.container_statuses.as_slice())
            .unwrap_or_default()
    }

    /// The STATUS column of `kubectl get pods`: `Terminating` once deleted, a container's
    /// waiting/terminated reason when there is one, else the pod's reason or phase.
    pub fn status_text(&self) -> String {
        if self.metadata.deletion_timestamp.is_some() {
            return "Terminating".into();
        }
        let status = self.status.as_ref();
        for c in self.container_statuses() {
            match ContainerState::of(c.state.as_ref()) {
                ContainerState::Waiting(r) if !r.is_empty() => return r,
                ContainerState::Terminated(r, _) if !r.is_empty() => return r,
                _ => {}
            }
        }
        status
            .and_then(|s| s.reason.clone().or_else(|| s.phase.clone()))
            .unwrap_or_else(|| "Unknown".into())
    }

    /// Badge colour.
    pub fn health(&self) -> PodHealth {
        let phase = self
            .status
            .as_ref()
            .and_then(|s| s.phase.as_deref())
            .unwrap_or_default();
        let bad_container = self.container_statuses().iter().any(|c| {
            matches!(ContainerState::of(c.state.as_ref()),
                ContainerState::Waiting(r) if BAD_WAITING.contains(&r.as_str()))
        });
        let (ready, total) = self.ready();
        if phase == "Failed" || bad_container {
            PodHealth::Bad
        } else if self.metadata.deletion_timestamp.is_some() {
            PodHealth::Progressing
        } else if phase == "Succeeded" || (phase == "Running" && ready == total && total > 0) {
            PodHealth::Good
        } else {
            PodHealth::Progressing
        }
    }

    /// The containers, in spec order, with their status.
    pub fn containers(&self) -> Vec<ContainerRow> {
        let specs: Vec<ContainerSpecView> = self
            .spec
            .as_ref()
            .map(|s| s.containers.clone())
            .unwrap_or_default();
        let statuses = self.container_statuses();
        let mut names: Vec<String> = specs.iter().map(|c| c.name.clone()).collect();
        for s in statuses {
            if !names.contains(&s.name) {
                names.push(s.name.clone());
            }
        }
        names
            .into_iter()
            .map(|name| {
                let spec = specs.iter().find(|c| c.name == name);
                let status = statuses.iter().find(|c| c.name == name);
                ContainerRow {
                    image: status
                        .map(|s| s.image.clone())
                        .filter(|i| !i.is_empty())
                        .or_else(|| spec.and_then(|c| c.image.clone()))
                        .unwrap_or_default(),
                    ready: status.is_some_and(|s| s.ready),
                    restarts: status.map(|s| s.restart_count).unwrap_or_default(),
                    state: ContainerState::of(status.and_then(|s| s.state.as_ref())),
                    last_termination: status
                        .and_then(|s| s.last_state.as_ref())
                        .and_then(|s| s.terminated.as_ref())
                        .map(|t| (t.reason.clone().unwrap_or_default(), t.exit_code)),
                    name,
                }
            })
            .collect()
    }

    /// True when `query` (case-insensitive) is in the pod's name or its node's name.
    pub fn matches(&self, query: &str) -> bool {
        let q = query.trim().to_lowercase();
        q.is_empty()
            || self.name().to_lowercase().contains(&q)
            || self.node().to_lowercase().contains(&q)
    }
}

/// Pods sorted for the list: by name (stable while pods come and go).
pub fn sorted<'a>(pods: impl IntoIterator<Item = &'a PodView>, query: &str) -> Vec<PodView> {
    let mut list: Vec<PodView> = pods
        .into_iter()
        .filter(|p| p.matches(query))
        .cloned()
        .collect();
    list.sort_by(|a, b| a.name().cmp(b.name()));
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(v: serde_json::Value) -> PodView {
        serde_json::from_value(v).unwrap()
    }

    fn running() -> serde_json::Value {
        json!({
            "metadata": {"name": "kubesphere-router-demo-5d8f-abcde", "namespace": "kubesphere-controls-system", "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"nodeName": "node1", "containers": [{"name": "controller", "image": "kubesphere/nginx-ingress-controller:v1.3.1"}]},
            "status": {"phase": "Running", "podIP": "10.233.64.2", "podIPs": [{"ip": "10.233.64.2"}, {"ip": "fd00::2"}], "hostIP": "192.168.0.2",
                "containerStatuses": [{"name": "controller", "image": "kubesphere/nginx-ingress-controller:v1.3.1", "ready": true, "restartCount": 2,
                    "state": {"running": {"startedAt": "2026-01-01T00:01:00Z"}},
                    "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137}}}]}
        })
    }

    #[test]
    fn a_running_pod() {
        let p = pod(running());
        assert_eq!(p.status_text(), "Running");
        assert_eq!(p.health(), PodHealth::Good);
        assert_eq!(p.ready(), (1, 1));
        assert_eq!(p.restarts(), 2);
        assert_eq!(p.node(), "node1");
        assert_eq!(p.ips(), vec!["10.233.64.2", "fd00::2"]);
        let c = &p.containers()[0];
        assert_eq!(c.state, ContainerState::Running);
        assert_eq!(c.last_termination, Some(("OOMKilled".into(), 137)));
        assert!(p.matches("NODE1") && p.matches("abcde") && p.matches(" ") && !p.matches("node2"));
    }

    #[test]
    fn crash_looping_pending_and_terminating_pods() {
        let mut v = running();
        v["status"]["containerStatuses"][0]["ready"] = json!(false);
        v["status"]["containerStatuses"][0]["state"] =
            json!({"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 10s"}});
        let p = pod(v.clone());
        assert_eq!(p.status_text(), "CrashLoopBackOff");
        assert_eq!(p.health(), PodHealth::Bad);
        assert_eq!(p.ready(), (0, 1));

        let p = pod(
            json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "controller"}]}, "status": {"phase": "Pending"}}),
        );
        assert_eq!(p.status_text(), "Pending");
        assert_eq!(p.health(), PodHealth::Progressing);
        assert_eq!(p.ready(), (0, 1));
        assert!(p.ips().is_empty());
        assert_eq!(p.containers()[0].state, ContainerState::Unknown);

        let mut v = running();
        v["metadata"]["deletionTimestamp"] = json!("2026-01-01T00:05:00Z");
        let p = pod(v);
        assert_eq!(p.status_text(), "Terminating");
        assert_eq!(p.health(), PodHealth::Progressing);

        // no status at all (a hostile or half-written object) decodes and shows Unknown
        let p = pod(json!({"metadata": {"name": "<b>x</b>"}}));
        assert_eq!(p.status_text(), "Unknown");
        assert_eq!(p.ready(), (0, 0));
        assert_eq!(p.health(), PodHealth::Progressing);
    }

    #[test]
    fn list_is_filtered_and_sorted_by_name() {
        let mut a = running();
        a["metadata"]["name"] = json!("b-pod");
        let mut b = running();
        b["metadata"]["name"] = json!("a-pod");
        b["spec"]["nodeName"] = json!("node2");
        let pods = [pod(a), pod(b)];
        let names: Vec<_> = sorted(&pods, "")
            .iter()
            .map(|p| p.name().to_string())
            .collect();
        assert_eq!(names, vec!["a-pod", "b-pod"]);
        assert_eq!(sorted(&pods, "node2").len(), 1);
    }
}
