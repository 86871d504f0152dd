//! Live lists of Gateway objects.

use gateway_model::gateway::Gateway;
use gateway_model::names::GatewayScope;
use kube_core::params::ListParams;
use kube_core::{Request, Resource};

use super::live::LiveList;
use crate::api::KubeClient;

/// Watches one gateway (by name, in its namespace). The list is empty when it does not exist.
pub fn watch_gateway(
    client: KubeClient,
    scope: &GatewayScope,
    working_namespace: Option<&str>,
) -> LiveList<Gateway> {
    let namespace = scope.gateway_namespace(working_namespace);
    let params = ListParams::default().fields(&format!("metadata.name={}", scope.gateway_name()));
    LiveList::start(
        client,
        Request::new(Gateway::url_path(&(), Some(&namespace))),
        params,
    )
}

/// Gateways per list request when listing all of them (large clusters have one per project).
pub const LIST_CHUNK: u32 = 250;

/// Watches the gateway `name` in `namespace` (details page).
pub fn watch_gateway_named(client: KubeClient, namespace: &str, name: &str) -> LiveList<Gateway> {
    LiveList::start(
        client,
        Request::new(Gateway::url_path(&(), Some(namespace))),
        ListParams::default().fields(&format!("metadata.name={name}")),
    )
}

/// The details page of a gateway.
pub fn details_path(gateway: &Gateway) -> String {
    crate::routes::gateway_details(gateway.namespace(), gateway.name())
}

/// Watches every Gateway in the cluster (listed in chunks of [`LIST_CHUNK`]).
pub fn watch_all_gateways(client: KubeClient) -> LiveList<Gateway> {
    LiveList::start(
        client,
        Request::new(Gateway::url_path(&(), None)),
        ListParams::default().limit(LIST_CHUNK),
    )
}
