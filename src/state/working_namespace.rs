//! The working namespace of project gateways, read live from
//! `kubesphere-system/kubesphere-config` (`gateway.namespace`). When the ConfigMap cannot be
//! read (absent, or no permission), KubeSphere's default `kubesphere-controls-system` applies.

use gateway_model::kubesphere_config::{working_namespace, WorkingNamespace};
use gateway_model::names::{KUBESPHERE_CONFIG_KEY, KUBESPHERE_CONFIG_NAME, KUBESPHERE_SYSTEM};
use k8s_openapi::api::core::v1::ConfigMap;
use kube_core::params::ListParams;
use kube_core::{Request, Resource};
use leptos::prelude::*;

use super::live::LiveList;
use crate::api::KubeClient;

/// Watches `kubesphere-config` and derives the working namespace from it.
pub fn watch_working_namespace(client: KubeClient) -> Memo<WorkingNamespace> {
    let params = ListParams::default().fields(&format!("metadata.name={KUBESPHERE_CONFIG_NAME}"));
    let live: LiveList<ConfigMap> = LiveList::start(
        client,
        Request::new(ConfigMap::url_path(&(), Some(KUBESPHERE_SYSTEM))),
        params,
    );
    Memo::new(move |_| {
        live.cache.with(|c| {
            c.iter()
                .next()
                .and_then(|cm| {
                    cm.data
                        .as_ref()?
                        .get(KUBESPHERE_CONFIG_KEY)
                        .map(|yaml| working_namespace(yaml))
                })
                .unwrap_or_default()
        })
    })
}
