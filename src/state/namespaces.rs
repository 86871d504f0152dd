//! The live list of namespaces (projects), shared by the project picker and the pages.

use k8s_openapi::api::core::v1::Namespace;
use kube_core::params::ListParams;
use kube_core::{Request, Resource};

use super::live::LiveList;
use crate::api::KubeClient;

/// Starts watching all namespaces.
pub fn watch_namespaces(client: KubeClient) -> LiveList<Namespace> {
    LiveList::start(
        client,
        Request::new(Namespace::url_path(&(), None)),
        ListParams::default(),
    )
}
