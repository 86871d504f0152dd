//! Live view of what gateways run on: their Services (address, node ports), Deployments (ready
//! replicas) and the nodes (control-plane InternalIPs for NodePort). KubeSphere's API computes
//! these server-side (reference §2.4); over the plain API we watch them.
//!
//! Connection budget: browsers open at most 6 HTTP/1.1 connections per host and every watch
//! holds one (kubectl proxy and trunk serve speak HTTP/1.1). So the watches are per *namespace*,
//! shared by every card and table row of a page — one Services and one Deployments watch of the
//! working namespace (selected by the ingress-nginx labels the chart sets) — and the nodes are
//! listed once per view (control-plane addresses rarely change) instead of watched.

use gateway_model::health::{self, NoAddressReason};
use gateway_model::names::{controller_selector, controller_selector_for};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Node, Service};
use kube_core::params::ListParams;
use kube_core::{Request, Resource, Selector};
use leptos::prelude::*;

use super::deployment_view::DeploymentView;
use super::live::LiveList;
use super::service_view::{NodeView, ServiceView};
use crate::api::watch::list_all;
use crate::api::{abort_on_cleanup, ApiError, KubeClient};

/// The nodes, listed once: `None` while loading.
pub type NodesResult = Option<Result<Vec<Node>, ApiError>>;

/// Services, Deployments and nodes behind the gateways of one namespace.
#[derive(Clone, Copy)]
pub struct NamespaceWorkloads {
    /// The watched namespace (empty: all namespaces).
    pub namespace: StoredValue<String>,
    pub services: LiveList<ServiceView>,
    pub deployments: LiveList<DeploymentView>,
    pub nodes: RwSignal<NodesResult>,
}

impl NamespaceWorkloads {
    /// Starts the two watches of `namespace` and the node list; all stop with the view.
    pub fn watch(client: KubeClient, namespace: &str) -> Self {
        Self::watch_selected(client, namespace, controller_selector())
    }

    /// Like [`watch`](Self::watch), narrowed to the releases of `gateways` (a set-based
    /// `app.kubernetes.io/instance in (…)` selector): a card does not download the workloads of
    /// a thousand other gateways.
    pub fn watch_gateways(client: KubeClient, namespace: &str, gateways: &[&str]) -> Self {
        Self::watch_selected(client, namespace, controller_selector_for(gateways))
    }

    /// The gateway workloads of every namespace (two cluster-wide watches), for the table when
    /// each project gateway lives in its own project.
    pub fn watch_all_namespaces(client: KubeClient) -> Self {
        Self::watch_selected(client, "", controller_selector())
    }

    /// `namespace` empty: all namespaces.
    fn watch_selected(client: KubeClient, namespace: &str, selector: Selector) -> Self {
        let scope = (!namespace.is_empty()).then_some(namespace);
        let selector = || ListParams::default().labels_from(&selector);
        let nodes = RwSignal::new(None);
        let signal = abort_on_cleanup();
        let nodes_client = client.clone();
        leptos::task::spawn_local(async move {
            let request = Request::new(NodeView::url_path(&(), None));
            let result = list_all::<NodeView>(
                &nodes_client,
                &request,
                &ListParams::default(),
                signal.as_ref(),
            )
            .await
            .map(|l| l.items.iter().map(NodeView::to_node).collect());
            if !matches!(result, Err(ApiError::Aborted)) {
                nodes.try_set(Some(result));
            }
        });
        NamespaceWorkloads {
            namespace: StoredValue::new(namespace.to_string()),
            services: LiveList::start(
                client.clone(),
                Request::new(ServiceView::url_path(&(), scope)),
                selector(),
            ),
            deployments: LiveList::start(
                client,
                Request::new(DeploymentView::url_path(&(), scope)),
                selector(),
            ),
            nodes,
        }
    }

    /// The view of one gateway of the watched namespace (Service and Deployment are named like
    /// the gateway).
    pub fn of(self, gateway_name: &str) -> GatewayWorkloads {
        let namespace = self.namespace.get_value();
        self.of_in(&namespace, gateway_name)
    }

    /// The view of the gateway `gateway_name` in `namespace`.
    pub fn of_in(self, namespace: &str, gateway_name: &str) -> GatewayWorkloads {
        GatewayWorkloads {
            shared: self,
            key: StoredValue::new((namespace.to_string(), gateway_name.to_string())),
        }
    }
}

/// The workloads of one gateway, read from the shared watches.
#[derive(Clone, Copy)]
pub struct GatewayWorkloads {
    shared: NamespaceWorkloads,
    /// Namespace and name of the gateway.
    key: StoredValue<(String, String)>,
}

impl GatewayWorkloads {
    pub fn service_now(&self) -> Option<Service> {
        let (ns, name) = self.key.get_value();
        self.shared
            .services
            .cache
            .with(|c| c.get(&ns, &name).map(ServiceView::to_service))
    }

    pub fn deployment_now(&self) -> Option<Deployment> {
        let (ns, name) = self.key.get_value();
        self.shared
            .deployments
            .cache
            .with(|c| c.get(&ns, &name).map(DeploymentView::to_deployment))
    }

    /// The InternalIP of the node `node` (from the node list), if known.
    pub fn node_internal_ip(&self, node: &str) -> Option<String> {
        self.shared.nodes.with(|nodes| {
            let nodes = nodes.as_ref()?.as_ref().ok()?;
            let node = nodes
                .iter()
                .find(|n| n.metadata.name.as_deref() == Some(node))?;
            node.status
                .as_ref()?
                .addresses
                .as_ref()?
                .iter()
                .find(|a| a.type_ == "InternalIP")
                .map(|a| a.address.clone())
        })
    }

    /// True once the Services have been listed.
    pub fn services_listed(&self) -> bool {
        self.shared.services.listed.get()
    }

    /// The gateway's addresses, or why there is none; `None` while still loading.
    pub fn addresses(&self) -> Option<Result<Vec<String>, NoAddressReason>> {
        if !self.shared.services.listed.get() {
            return None;
        }
        let service = self.service_now();
        let node_port = service
            .as_ref()
            .and_then(|s| s.spec.as_ref())
            .and_then(|s| s.type_.as_deref())
            == Some("NodePort");
        self.shared.nodes.with(|nodes| {
            // a NodePort address needs the nodes; wait for them rather than say "unknown"
            if nodes.is_none() && node_port {
                return None;
            }
            let nodes = nodes.as_ref().and_then(|r| r.as_deref().ok());
            Some(health::gateway_addresses(service.as_ref(), nodes))
        })
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
