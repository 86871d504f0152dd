//! What the UI reads of a Service and of a Node, as slim serde views (like
//! [`DeploymentView`](super::deployment_view::DeploymentView)): k8s-openapi's full `Service` and
//! `Node` deserializers (the whole ServiceSpec / NodeStatus trees) would sit in the first-screen
//! wasm for fields nobody shows. The views are listed and watched, and turned into the k8s-openapi
//! types (with only these fields) for the shared `gateway_model::health` logic.

use k8s_openapi::api::core::v1::{
    LoadBalancerIngress, LoadBalancerStatus, Node, NodeAddress, NodeStatus, Service, ServicePort,
    ServiceSpec, ServiceStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use k8s_openapi::{
    ClusterResourceScope, ListableResource, Metadata, NamespaceResourceScope, Resource,
};
use serde::Deserialize;

/// `spec.ports[]` of a Service: what the card and the ports table show.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PortView {
    pub name: Option<String>,
    pub protocol: Option<String>,
    #[serde(default)]
    pub port: i32,
    pub node_port: Option<i32>,
    #[serde(default)]
    pub target_port: Option<IntOrString>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct ServiceSpecView {
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub ports: Option<Vec<PortView>>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct IngressView {
    pub ip: Option<String>,
    pub hostname: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct LoadBalancerView {
    pub ingress: Option<Vec<IngressView>>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceStatusView {
    pub load_balancer: Option<LoadBalancerView>,
}

/// A Service as the gateway card needs it: metadata (annotations), type, ports, load balancer.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct ServiceView {
    #[serde(
        default,
        deserialize_with = "gateway_model::gateway_json::deserialize_object_meta"
    )]
    pub metadata: ObjectMeta,
    pub spec: Option<ServiceSpecView>,
    pub status: Option<ServiceStatusView>,
}

impl ServiceView {
    /// The k8s-openapi Service with what was read.
    pub fn to_service(&self) -> Service {
        Service {
            metadata: self.metadata.clone(),
            spec: self.spec.as_ref().map(|s| ServiceSpec {
                type_: s.type_.clone(),
                ports: s.ports.as_ref().map(|ports| {
                    ports
                        .iter()
                        .map(|p| ServicePort {
                            name: p.name.clone(),
                            protocol: p.protocol.clone(),
                            port: p.port,
                            node_port: p.node_port,
                            target_port: p.target_port.clone(),
                            ..ServicePort::default()
                        })
                        .collect()
                }),
                ..ServiceSpec::default()
            }),
            status: self.status.as_ref().map(|s| ServiceStatus {
                load_balancer: s.load_balancer.as_ref().map(|lb| LoadBalancerStatus {
                    ingress: lb.ingress.as_ref().map(|ingress| {
                        ingress
                            .iter()
                            .map(|i| LoadBalancerIngress {
                                ip: i.ip.clone(),
                                hostname: i.hostname.clone(),
                                ..LoadBalancerIngress::default()
                            })
                            .collect()
                    }),
                }),
                ..ServiceStatus::default()
            }),
        }
    }
}

impl Resource for ServiceView {
    const API_VERSION: &'static str = "v1";
    const GROUP: &'static str = "";
    const KIND: &'static str = "Service";
    const VERSION: &'static str = "v1";
    const URL_PATH_SEGMENT: &'static str = "services";
    type Scope = NamespaceResourceScope;
}

impl ListableResource for ServiceView {
    const LIST_KIND: &'static str = "ServiceList";
}

impl Metadata for ServiceView {
    type Ty = ObjectMeta;

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct NodeAddressView {
    #[serde(rename = "type", default)]
    pub type_: String,
    #[serde(default)]
    pub address: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct NodeStatusView {
    pub addresses: Option<Vec<NodeAddressView>>,
}

/// A Node as the NodePort address needs it: labels (control-plane role) and addresses.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct NodeView {
    #[serde(
        default,
        deserialize_with = "gateway_model::gateway_json::deserialize_object_meta"
    )]
    pub metadata: ObjectMeta,
    pub status: Option<NodeStatusView>,
}

impl NodeView {
    /// The k8s-openapi Node with what was read.
    pub fn to_node(&self) -> Node {
        Node {
            metadata: self.metadata.clone(),
            spec: None,
            status: self.status.as_ref().map(|s| NodeStatus {
                addresses: s.addresses.as_ref().map(|a| {
                    a.iter()
                        .map(|a| NodeAddress {
                            type_: a.type_.clone(),
                            address: a.address.clone(),
                        })
                        .collect()
                }),
                ..NodeStatus::default()
            }),
        }
    }
}

impl Resource for NodeView {
    const API_VERSION: &'static str = "v1";
    const GROUP: &'static str = "";
    const KIND: &'static str = "Node";
    const VERSION: &'static str = "v1";
    const URL_PATH_SEGMENT: &'static str = "nodes";
    type Scope = ClusterResourceScope;
}

impl ListableResource for NodeView {
    const LIST_KIND: &'static str = "NodeList";
}

impl Metadata for NodeView {
    type Ty = ObjectMeta;

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gateway_model::health;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a_service_view_keeps_what_the_card_shows() {
        let json = r#"{"apiVersion":"v1","kind":"Service",
            "metadata":{"name":"kubesphere-router-demo","namespace":"kubesphere-controls-system","annotations":{"a":"b"}},
            "spec":{"type":"LoadBalancer","clusterIP":"10.0.0.1","selector":{"x":"y"},
                "ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":"http","nodePort":30080},
                         {"name":"https","port":443,"targetPort":443,"nodePort":30443}]},
            "status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.7","ipMode":"VIP"},{"hostname":"lb.example"}]}}}"#;
        let view: ServiceView = serde_json::from_str(json).unwrap();
        let service = view.to_service();
        assert_eq!(
            health::load_balancer_addresses(&service),
            ["192.0.2.7", "lb.example"]
        );
        let ports = health::http_ports(&service);
        assert_eq!((ports.http, ports.http_node_port), (Some(80), Some(30080)));
        assert_eq!(
            (ports.https, ports.https_node_port),
            (Some(443), Some(30443))
        );
        assert_eq!(health::service_ports(&service)[1].protocol, "TCP");
        assert_eq!(
            service
                .metadata
                .annotations
                .unwrap()
                .get("a")
                .map(String::as_str),
            Some("b")
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a_node_view_keeps_roles_and_addresses() {
        let json = r#"{"apiVersion":"v1","kind":"Node",
            "metadata":{"name":"master-1","labels":{"node-role.kubernetes.io/control-plane":""}},
            "spec":{"podCIDR":"10.0.0.0/24"},
            "status":{"addresses":[{"type":"Hostname","address":"master-1"},{"type":"InternalIP","address":"192.0.2.10"}],
                "nodeInfo":{"kubeletVersion":"v1.33.0"},"images":[{"names":["x"],"sizeBytes":1}]}}"#;
        let view: NodeView = serde_json::from_str(json).unwrap();
        let node = view.to_node();
        assert!(health::is_control_plane(&node));
        assert_eq!(health::control_plane_ips(&[node]).unwrap(), ["192.0.2.10"]);
    }
}
