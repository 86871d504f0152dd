//! The `Gateway` custom resource (`gateway.kubesphere.io/v1alpha1`, reference §2).
//!
//! Every spec field of KubeSphere 3.2–3.4 is typed, every field is optional, and unknown fields are
//! kept (`extra` maps, free-form `status`), so that a GET → edit → PUT round trip writes back exactly
//! what was read: nothing is invented, nothing is dropped.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ResourceRequirements;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::names::{
    self, GatewayScope, CLUSTER_GATEWAY_NAME, CREATOR_ANNOTATION, PROVIDER_ANNOTATION,
    ROUTER_PREFIX, TRACING_ANNOTATION,
};

/// A `map[string]string` of the CRD (annotations, config, tcp/udp maps).
pub type StringMap = BTreeMap<String, String>;
/// Fields this crate does not know, kept verbatim for round trips.
pub type ExtraFields = BTreeMap<String, Value>;

/// Replica count the chart uses when `spec.deployment.replicas` is absent.
pub const DEFAULT_REPLICAS: i32 = 1;

/// How the gateway Service is exposed (`spec.service.type`, UI "Access Mode").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessMode {
    /// `NodePort`: reachable on every node at a random node port.
    NodePort,
    /// `LoadBalancer`: a cloud (or OpenELB) load balancer in front of the Service.
    LoadBalancer,
}

impl AccessMode {
    /// Both modes, in the order the dialog shows them.
    pub const ALL: [AccessMode; 2] = [AccessMode::NodePort, AccessMode::LoadBalancer];

    /// The `spec.service.type` value.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessMode::NodePort => "NodePort",
            AccessMode::LoadBalancer => "LoadBalancer",
        }
    }

    /// Parses a `spec.service.type` value (exact, as Kubernetes does).
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "NodePort" => Some(AccessMode::NodePort),
            "LoadBalancer" => Some(AccessMode::LoadBalancer),
            _ => None,
        }
    }
}

impl std::fmt::Display for AccessMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A KubeSphere gateway (`kind: Gateway`). `apiVersion`/`kind` are always written on
/// serialization and not checked on deserialization.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Gateway {
    /// Standard object metadata.
    pub metadata: ObjectMeta,
    /// Desired state.
    pub spec: GatewaySpec,
    /// Free-form status written by the helm operator (absent on new objects).
    pub status: Option<GatewayStatus>,
    /// Unknown top-level fields.
    pub extra: ExtraFields,
}

/// `spec` of a Gateway.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewaySpec {
    /// `spec.controller`: ingress-nginx controller settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller: Option<ControllerSpec>,
    /// `spec.deployment`: the controller Deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment: Option<DeploymentSpec>,
    /// `spec.service`: the controller Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceSpec>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: ExtraFields,
}

/// `spec.controller`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ControllerSpec {
    /// Reserved by KubeSphere; not used by the adapter chart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// Reserved by KubeSphere; not used by the adapter chart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<StringMap>,
    /// ingress-nginx ConfigMap options (UI "Configuration Options").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<StringMap>,
    /// Namespace restriction of the controller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<ScopeSpec>,
    /// ingress-nginx TCP services map (3.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp: Option<StringMap>,
    /// ingress-nginx UDP services map (3.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udp: Option<StringMap>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: ExtraFields,
}

/// `spec.controller.scope`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeSpec {
    /// True → the controller watches only `namespace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The watched project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: ExtraFields,
}

/// `spec.deployment`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSpec {
    /// Controller replica count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// Deployment annotations (holds the tracing switch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<StringMap>,
    /// Controller container resources (3.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: ExtraFields,
}

/// `spec.service`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSpec {
    /// Service type (`NodePort` / `LoadBalancer`), kept as a string for fidelity.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// Service annotations (cloud load balancer settings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<StringMap>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: ExtraFields,
}

/// Free-form `status` (`x-kubernetes-preserve-unknown-fields`), kept verbatim, with typed accessors.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GatewayStatus(pub Map<String, Value>);

/// One entry of `status.conditions` written by the helm operator.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GatewayCondition {
    /// `Initialized`, `Deployed`, `ReleaseFailed`, `Irreconcilable`, …
    pub type_: String,
    /// `"True"`, `"False"` or `"Unknown"`.
    pub status: String,
    /// Machine-readable reason such as `InstallSuccessful` or `UpgradeError`.
    pub reason: Option<String>,
    /// Human-readable message (Helm error text for failures).
    pub message: Option<String>,
    /// RFC 3339 time of the last transition.
    pub last_transition_time: Option<String>,
}

impl GatewayCondition {
    /// True when `status == "True"`.
    pub fn is_true(&self) -> bool {
        self.status == "True"
    }
}

impl GatewayStatus {
    /// All well-formed conditions (entries without a string `type` are skipped).
    pub fn conditions(&self) -> Vec<GatewayCondition> {
        let Some(Value::Array(items)) = self.0.get("conditions") else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| {
                let obj = item.as_object()?;
                let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_string);
                Some(GatewayCondition {
                    type_: text("type")?,
                    status: text("status").unwrap_or_default(),
                    reason: text("reason"),
                    message: text("message"),
                    last_transition_time: text("lastTransitionTime"),
                })
            })
            .collect()
    }

    /// The condition of the given type, if present.
    pub fn condition(&self, type_: &str) -> Option<GatewayCondition> {
        self.conditions().into_iter().find(|c| c.type_ == type_)
    }

    /// `status.deployedRelease.name`, the adapter Helm release.
    pub fn deployed_release_name(&self) -> Option<&str> {
        self.0.get("deployedRelease")?.get("name")?.as_str()
    }
}

#[derive(Serialize)]
struct GatewayOut<'a> {
    #[serde(rename = "apiVersion")]
    api_version: &'static str,
    kind: &'static str,
    metadata: &'a ObjectMeta,
    spec: &'a GatewaySpec,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: &'a Option<GatewayStatus>,
    #[serde(flatten)]
    extra: &'a ExtraFields,
}

impl Serialize for Gateway {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        GatewayOut {
            api_version: names::GATEWAY_API_VERSION,
            kind: names::GATEWAY_KIND,
            metadata: &self.metadata,
            spec: &self.spec,
            status: &self.status,
            extra: &self.extra,
        }
        .serialize(serializer)
    }
}

/// Decoded by hand from a `serde_json::Value` (see [`crate::gateway_json`]): the same result as
/// serde's derived decoders, far less wasm on the app's first screen.
impl<'de> Deserialize<'de> for Gateway {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        crate::gateway_json::gateway_from_value(value).map_err(serde::de::Error::custom)
    }
}

impl k8s_openapi::Resource for Gateway {
    const API_VERSION: &'static str = names::GATEWAY_API_VERSION;
    const GROUP: &'static str = names::GATEWAY_GROUP;
    const KIND: &'static str = names::GATEWAY_KIND;
    const VERSION: &'static str = names::GATEWAY_VERSION;
    const URL_PATH_SEGMENT: &'static str = names::GATEWAY_PLURAL;
    type Scope = k8s_openapi::NamespaceResourceScope;
}

impl k8s_openapi::ListableResource for Gateway {
    const LIST_KIND: &'static str = "GatewayList";
}

impl k8s_openapi::Metadata for Gateway {
    type Ty = ObjectMeta;

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

fn annotation<'a>(map: &'a Option<StringMap>, key: &str) -> Option<&'a str> {
    map.as_ref()?.get(key).map(String::as_str)
}

impl Gateway {
    /// A gateway with the given name, namespace and spec (no status).
    pub fn new(name: &str, namespace: &str, spec: GatewaySpec) -> Self {
        Gateway {
            metadata: ObjectMeta {
                name: Some(name.to_string()),
                namespace: Some(namespace.to_string()),
                ..ObjectMeta::default()
            },
            spec,
            status: None,
            extra: ExtraFields::new(),
        }
    }

    /// `metadata.name` (empty if absent).
    pub fn name(&self) -> &str {
        self.metadata.name.as_deref().unwrap_or("")
    }

    /// `metadata.namespace` (empty if absent).
    pub fn namespace(&self) -> &str {
        self.metadata.namespace.as_deref().unwrap_or("")
    }

    /// `metadata.resourceVersion`.
    pub fn resource_version(&self) -> Option<&str> {
        self.metadata.resource_version.as_deref()
    }

    /// Which gateway this is: the cluster gateway by name, else the project from
    /// `spec.controller.scope.namespace` (when enabled), else from the name suffix after
    /// `kubesphere-router-`. `None` for objects that follow neither convention.
    pub fn scope(&self) -> Option<GatewayScope> {
        if self.name() == CLUSTER_GATEWAY_NAME {
            return Some(GatewayScope::Cluster);
        }
        let scoped = self
            .spec
            .controller
            .as_ref()
            .and_then(|c| c.scope.as_ref())
            .filter(|s| s.enabled == Some(true))
            .and_then(|s| s.namespace.as_deref())
            .filter(|ns| !ns.is_empty());
        if let Some(ns) = scoped {
            return Some(GatewayScope::for_project(ns));
        }
        match self.name().strip_prefix(ROUTER_PREFIX) {
            Some(project) if !project.is_empty() => Some(GatewayScope::for_project(project)),
            _ => None,
        }
    }

    /// `spec.service.type` as written.
    pub fn service_type(&self) -> Option<&str> {
        self.spec.service.as_ref()?.type_.as_deref()
    }

    /// Effective access mode: an absent type means `LoadBalancer` (the chart default);
    /// `None` for a type this UI does not know.
    pub fn access_mode(&self) -> Option<AccessMode> {
        match self.service_type() {
            None => Some(AccessMode::LoadBalancer),
            Some(t) => AccessMode::parse(t),
        }
    }

    /// `spec.service.annotations` (empty map if absent).
    pub fn service_annotations(&self) -> StringMap {
        self.spec
            .service
            .as_ref()
            .and_then(|s| s.annotations.clone())
            .unwrap_or_default()
    }

    /// `spec.controller.config` (empty map if absent).
    pub fn config(&self) -> StringMap {
        self.spec
            .controller
            .as_ref()
            .and_then(|c| c.config.clone())
            .unwrap_or_default()
    }

    /// True when `spec.deployment.annotations["servicemesh.kubesphere.io/enabled"]` is `true`
    /// (ASCII case-insensitive, surrounding whitespace ignored).
    pub fn is_tracing_enabled(&self) -> bool {
        self.spec
            .deployment
            .as_ref()
            .and_then(|d| annotation(&d.annotations, TRACING_ANNOTATION))
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }

    /// `spec.deployment.replicas` as written.
    pub fn replicas(&self) -> Option<i32> {
        self.spec.deployment.as_ref()?.replicas
    }

    /// Desired controller replicas (chart default 1 when unset).
    pub fn desired_replicas(&self) -> i32 {
        self.replicas().unwrap_or(DEFAULT_REPLICAS)
    }

    /// Stored load balancer provider (`kubesphere.io/annotations`); `None` when absent or empty.
    pub fn provider(&self) -> Option<&str> {
        annotation(&self.metadata.annotations, PROVIDER_ANNOTATION).filter(|v| !v.is_empty())
    }

    /// Creator (`kubesphere.io/creator`); `None` when absent or empty.
    pub fn creator(&self) -> Option<&str> {
        annotation(&self.metadata.annotations, CREATOR_ANNOTATION).filter(|v| !v.is_empty())
    }

    /// True once deletion was requested (`metadata.deletionTimestamp` set); the object lingers
    /// until the helm operator removes its finalizer.
    pub fn is_deleting(&self) -> bool {
        self.metadata.deletion_timestamp.is_some()
    }

    /// Typed view of `status.conditions`.
    pub fn conditions(&self) -> Vec<GatewayCondition> {
        self.status
            .as_ref()
            .map(GatewayStatus::conditions)
            .unwrap_or_default()
    }

    /// When the gateway last changed, for "Update Time": the latest `managedFields` time (every
    /// write records one), else the latest condition transition, else `None`. Not "now", as
    /// KubeSphere shows.
    pub fn update_time(&self) -> Option<Time> {
        let written = self
            .metadata
            .managed_fields
            .iter()
            .flatten()
            .filter_map(|m| m.time.clone())
            .max_by_key(|t| t.0);
        written.or_else(|| {
            self.conditions()
                .iter()
                .filter_map(|c| c.last_transition_time.as_deref())
                .filter_map(crate::gateway_json::parse_time)
                .max_by_key(|t| t.0)
        })
    }

    /// The object as JSON (with `apiVersion`/`kind`).
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use kube_core::Resource as _;
    use serde_json::json;

    /// §2.5, cluster gateway as stored.
    pub(crate) fn cluster_example() -> Value {
        json!({
            "apiVersion": "gateway.kubesphere.io/v1alpha1",
            "kind": "Gateway",
            "metadata": {
                "name": "kubesphere-router-kubesphere-system",
                "namespace": "kubesphere-controls-system",
                "resourceVersion": "918270",
                "uid": "0c1d2e3f-4a5b-46c7-8d9e-0f1a2b3c4d5e",
                "generation": 3,
                "creationTimestamp": "2022-09-05T10:14:00Z",
                "annotations": {
                    "kubesphere.io/annotations": "QingCloud Kubernetes Engine",
                    "kubesphere.io/creator": "admin"
                },
                "finalizers": ["uninstall-helm-release"]
            },
            "spec": {
                "controller": {
                    "replicas": 1,
                    "annotations": {},
                    "config": {"worker-processes": "4"},
                    "scope": {"enabled": false, "namespace": ""}
                },
                "deployment": {
                    "replicas": 1,
                    "annotations": {"servicemesh.kubesphere.io/enabled": "false"}
                },
                "service": {
                    "type": "LoadBalancer",
                    "annotations": {
                        "service.beta.kubernetes.io/qingcloud-load-balancer-eip-ids": "",
                        "service.beta.kubernetes.io/qingcloud-load-balancer-type": "0"
                    }
                }
            },
            "status": {
                "conditions": [
                    {"type": "Initialized", "status": "True"},
                    {"type": "Deployed", "status": "True", "reason": "InstallSuccessful"}
                ],
                "deployedRelease": {"name": "kubesphere-router-kubesphere-system", "manifest": "..."}
            }
        })
    }

    /// §2.5, project gateway (with the non-persisted status fields of the KubeSphere API).
    pub(crate) fn project_example() -> Value {
        json!({
            "apiVersion": "gateway.kubesphere.io/v1alpha1",
            "kind": "Gateway",
            "metadata": {
                "name": "kubesphere-router-demo",
                "namespace": "kubesphere-controls-system",
                "resourceVersion": "1200",
                "annotations": {"kubesphere.io/annotations": "", "kubesphere.io/creator": "admin"}
            },
            "spec": {
                "controller": {"replicas": 1, "config": {"worker-processes": "4"},
                               "scope": {"enabled": true, "namespace": "demo"}},
                "deployment": {"replicas": 2,
                               "annotations": {"servicemesh.kubesphere.io/enabled": "true"},
                               "resources": {"requests": {"cpu": "100m", "memory": "90Mi"}}},
                "service": {"type": "NodePort", "annotations": {}}
            },
            "status": {
                "conditions": [{"type": "Deployed", "status": "True", "reason": "UpgradeSuccessful",
                                "message": "ok", "lastTransitionTime": "2022-09-05T10:15:00Z"}],
                "deployedRelease": {"name": "kubesphere-router-demo", "manifest": "..."},
                "loadBalancer": {"ingress": [{"ip": "192.168.0.2"}]},
                "service": [
                    {"name": "http", "protocol": "TCP", "port": 80, "targetPort": "http",
                     "nodePort": 31380, "appProtocol": "http"},
                    {"name": "https", "protocol": "TCP", "port": 443, "targetPort": "https",
                     "nodePort": 31390, "appProtocol": "https"}
                ],
                "somethingNew": {"x": [1, 2, 3]}
            }
        })
    }

    #[test]
    fn get_put_round_trip_is_lossless() {
        for example in [cluster_example(), project_example()] {
            let gw: Gateway = serde_json::from_value(example.clone()).unwrap();
            assert_eq!(serde_json::to_value(&gw).unwrap(), example);
        }
    }

    #[test]
    fn unknown_spec_fields_survive_and_nothing_is_invented() {
        let v = json!({
            "apiVersion": "gateway.kubesphere.io/v1alpha1", "kind": "Gateway",
            "metadata": {"name": "kubesphere-router-x", "namespace": "ns"},
            "spec": {"service": {"type": "NodePort", "future": true}, "values": {"a": 1}},
            "topLevel": "kept"
        });
        let gw: Gateway = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(gw.to_value(), v);
        assert!(gw.spec.controller.is_none() && gw.status.is_none());
    }

    #[test]
    fn helpers_read_the_examples() {
        let c: Gateway = serde_json::from_value(cluster_example()).unwrap();
        assert_eq!(c.scope(), Some(GatewayScope::Cluster));
        assert_eq!(c.access_mode(), Some(AccessMode::LoadBalancer));
        assert!(!c.is_tracing_enabled());
        assert_eq!(c.provider(), Some("QingCloud Kubernetes Engine"));
        assert_eq!(c.creator(), Some("admin"));
        assert_eq!(c.replicas(), Some(1));
        assert!(!c.is_deleting());
        let conds = c.conditions();
        assert_eq!(conds.len(), 2);
        assert!(conds[1].is_true());
        assert_eq!(conds[1].reason.as_deref(), Some("InstallSuccessful"));
        assert_eq!(
            c.status.as_ref().unwrap().deployed_release_name(),
            Some("kubesphere-router-kubesphere-system")
        );

        let p: Gateway = serde_json::from_value(project_example()).unwrap();
        assert_eq!(p.scope(), Some(GatewayScope::Project("demo".into())));
        assert!(p.is_tracing_enabled());
        assert_eq!(p.provider(), None);
        assert_eq!(p.desired_replicas(), 2);
        assert_eq!(p.access_mode(), Some(AccessMode::NodePort));
    }

    #[test]
    fn scope_falls_back_to_the_name() {
        let gw = Gateway::new(
            "kubesphere-router-shop",
            "kubesphere-controls-system",
            GatewaySpec::default(),
        );
        assert_eq!(gw.scope(), Some(GatewayScope::Project("shop".into())));
        let gw = Gateway::new(
            "kubesphere-router-kubesphere-system",
            "x",
            GatewaySpec::default(),
        );
        assert_eq!(gw.scope(), Some(GatewayScope::Cluster));
        let gw = Gateway::new("something-else", "x", GatewaySpec::default());
        assert_eq!(gw.scope(), None);
        assert_eq!(gw.access_mode(), Some(AccessMode::LoadBalancer));
        assert_eq!(gw.desired_replicas(), 1);
    }

    #[test]
    fn deleting_and_missing_status() {
        let mut v = project_example();
        v["metadata"]["deletionTimestamp"] = json!("2022-09-05T11:00:00Z");
        v["status"] = json!({"conditions": "garbage"});
        let gw: Gateway = serde_json::from_value(v).unwrap();
        assert!(gw.is_deleting());
        assert!(gw.conditions().is_empty());
    }

    #[test]
    fn kube_core_request_paths_list_and_watch() {
        assert_eq!(
            Gateway::url_path(&(), Some("kubesphere-controls-system")),
            "/apis/gateway.kubesphere.io/v1alpha1/namespaces/kubesphere-controls-system/gateways"
        );
        assert_eq!(
            Gateway::url_path(&(), None),
            "/apis/gateway.kubesphere.io/v1alpha1/gateways"
        );
        let req = kube_core::Request::new(Gateway::url_path(&(), Some("ns")));
        let http = req
            .get("kubesphere-router-demo", &Default::default())
            .unwrap();
        assert_eq!(
            http.uri().to_string(),
            "/apis/gateway.kubesphere.io/v1alpha1/namespaces/ns/gateways/kubesphere-router-demo"
        );

        let list = json!({"apiVersion": "gateway.kubesphere.io/v1alpha1", "kind": "GatewayList",
                          "metadata": {"resourceVersion": "5"}, "items": [project_example()]});
        let list: kube_core::ObjectList<Gateway> = serde_json::from_value(list).unwrap();
        assert_eq!(list.items[0].name(), "kubesphere-router-demo");
        let ev = json!({"type": "MODIFIED", "object": cluster_example()});
        let ev: kube_core::WatchEvent<Gateway> = serde_json::from_value(ev).unwrap();
        assert!(
            matches!(ev, kube_core::WatchEvent::Modified(g) if g.scope() == Some(GatewayScope::Cluster))
        );
    }

    #[test]
    fn update_time_is_the_last_write_else_the_last_transition() {
        let mut v = cluster_example();
        v["metadata"]["managedFields"] = json!([
            {"manager": "kubectl", "operation": "Update", "time": "2026-01-02T03:04:05Z"},
            {"manager": "ks-controller-manager", "operation": "Update", "subresource": "status", "time": "2026-03-01T00:00:00Z"},
            {"manager": "old", "operation": "Update"}
        ]);
        v["status"]["conditions"] = json!([
            {"type": "Deployed", "status": "True", "lastTransitionTime": "2027-01-01T00:00:00Z"}
        ]);
        let g: Gateway = serde_json::from_value(v.clone()).unwrap();
        let seconds = |t: Option<Time>| t.map(|t| t.0.as_second());
        let expected = crate::gateway_json::parse_time("2026-03-01T00:00:00Z");
        assert_eq!(seconds(g.update_time()), seconds(expected));

        // no managedFields (an old API server): the latest condition transition
        v["metadata"]
            .as_object_mut()
            .unwrap()
            .remove("managedFields");
        v["status"]["conditions"] = json!([
            {"type": "Initialized", "status": "True", "lastTransitionTime": "2026-05-01T00:00:00Z"},
            {"type": "Deployed", "status": "True", "lastTransitionTime": "2026-06-01T00:00:00Z"},
            {"type": "Odd", "status": "True", "lastTransitionTime": "<b>not a time</b>"}
        ]);
        let g: Gateway = serde_json::from_value(v.clone()).unwrap();
        let expected = crate::gateway_json::parse_time("2026-06-01T00:00:00Z");
        assert_eq!(seconds(g.update_time()), seconds(expected));

        // neither: unknown, never "now"
        v.as_object_mut().unwrap().remove("status");
        let g: Gateway = serde_json::from_value(v).unwrap();
        assert_eq!(g.update_time(), None);
    }
}
