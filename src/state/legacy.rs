//! Legacy (KubeSphere 3.0/3.1) gateways: router Services in `kubesphere-controls-system`
//! without a Gateway object. Listed once per view — they are remnants that only disappear when
//! upgraded or disabled — rather than holding one more watch connection.

use gateway_model::legacy::{legacy_gateway, LegacyGateway};
use gateway_model::names::{CONTROLS_NAMESPACE, LEGACY_LABELS};
use k8s_openapi::api::core::v1::Service;
use kube_core::params::ListParams;
use kube_core::{ObjectList, Request, Resource};
use leptos::prelude::*;

use crate::api::{abort_on_cleanup, ApiError, KubeClient};

/// Lists the legacy gateways; `None` while loading. A failed list reads as "none known".
pub fn list_legacy_gateways(client: KubeClient) -> RwSignal<Option<Vec<LegacyGateway>>> {
    let out = RwSignal::new(None);
    let signal = abort_on_cleanup();
    let selector = LEGACY_LABELS
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    leptos::task::spawn_local(async move {
        let request = Request::new(Service::url_path(&(), Some(CONTROLS_NAMESPACE)))
            .list(&ListParams::default().labels(&selector));
        let Ok(request) = request else { return };
        match client
            .json::<ObjectList<Service>>(request, signal.as_ref())
            .await
        {
            Ok(list) => {
                out.try_set(Some(list.items.iter().filter_map(legacy_gateway).collect()));
            }
            Err(ApiError::Aborted) => {}
            Err(_) => {
                out.try_set(Some(Vec::new()));
            }
        }
    });
    out
}
