//! Live view of what a gateway runs on: its Service (address, node ports), its Deployment
//! (ready replicas) and the nodes (control-plane InternalIPs for NodePort). KubeSphere's API
//! computes these server-side (reference §2.4); over the plain API we watch them.

use gateway_model::health::{self, NoAddressReason};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Node, Service};
use kube_core::params::ListParams;
use kube_core::{Request, Resource};
use leptos::prelude::*;

use super::live::LiveList;
use crate::api::KubeClient;

/// The watches behind one gateway card.
#[derive(Clone, Copy)]
pub struct GatewayWorkloads {
    pub service: LiveList<Service>,
    pub deployment: LiveList<Deployment>,
    pub nodes: LiveList<Node>,
}

impl GatewayWorkloads {
    /// Watches the Service and Deployment named like the gateway in its namespace, and all nodes.
    pub fn watch(client: KubeClient, gateway_name: &str, namespace: &str) -> Self {
        let by_name = || ListParams::default().fields(&format!("metadata.name={gateway_name}"));
        GatewayWorkloads {
            service: LiveList::start(
                client.clone(),
                Request::new(Service::url_path(&(), Some(namespace))),
                by_name(),
            ),
            deployment: LiveList::start(
                client.clone(),
                Request::new(Deployment::url_path(&(), Some(namespace))),
                by_name(),
            ),
            nodes: LiveList::start(
                client,
                Request::new(Node::url_path(&(), None)),
                ListParams::default(),
            ),
        }
    }

    pub fn service_now(&self) -> Option<Service> {
        self.service.cache.with(|c| c.iter().next().cloned())
    }

    pub fn deployment_now(&self) -> Option<Deployment> {
        self.deployment.cache.with(|c| c.iter().next().cloned())
    }

    /// The gateway's addresses, or why there is none; `None` while still loading.
    pub fn addresses(&self) -> Option<Result<Vec<String>, NoAddressReason>> {
        if !self.service.listed.get() {
            return None;
        }
        let service = self.service_now();
        let nodes_listed =
            self.nodes.listed.get() && self.nodes.initial_error.with(Option::is_none);
        let nodes: Option<Vec<Node>> =
            nodes_listed.then(|| self.nodes.cache.with(|c| c.iter().cloned().collect()));
        Some(health::gateway_addresses(
            service.as_ref(),
            nodes.as_deref(),
        ))
    }
}

/// The i18n key (and argument) explaining a missing address.
pub fn no_address_key(reason: &NoAddressReason) -> (&'static str, String) {
    match reason {
        NoAddressReason::NoService => ("ADDRESS_NO_SERVICE", String::new()),
        NoAddressReason::LoadBalancerPending => ("ADDRESS_LB_PENDING", String::new()),
        NoAddressReason::NodesUnknown => ("ADDRESS_NODES_UNKNOWN", String::new()),
        NoAddressReason::NoControlPlaneNodes => ("ADDRESS_NO_CONTROL_PLANE", String::new()),
        NoAddressReason::NoInternalIp => ("ADDRESS_NO_INTERNAL_IP", String::new()),
        NoAddressReason::UnsupportedServiceType(t) => ("ADDRESS_UNSUPPORTED_TYPE", t.clone()),
    }
}
