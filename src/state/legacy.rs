//! Legacy (KubeSphere 3.0/3.1) gateways: router Services in `kubesphere-controls-system`
//! without a Gateway object. Listed per view and after an Update — they are remnants that only
//! disappear when updated or removed — rather than holding one more watch connection.

use gateway_model::legacy::{legacy_gateway, LegacyGateway};
use gateway_model::names::{CONTROLS_NAMESPACE, LEGACY_LABELS};
use k8s_openapi::api::core::v1::Service;
use kube_core::params::ListParams;
use kube_core::{Request, Resource};
use leptos::prelude::*;
use web_sys::AbortSignal;

use crate::api::watch::list_all;
use crate::api::{abort_on_cleanup, ApiError, KubeClient};

/// The legacy gateways; `list` is `None` while loading. A failed list reads as "none known".
#[derive(Clone, Copy)]
pub struct LegacyGateways {
    pub list: RwSignal<Option<Vec<LegacyGateway>>>,
    client: StoredValue<KubeClient>,
    /// Fires when the view that loaded the list goes away (refreshes happen from its events).
    abort: StoredValue<Option<AbortSignal>, LocalStorage>,
}

impl LegacyGateways {
    /// Lists them now.
    pub fn load(client: KubeClient) -> Self {
        let this = LegacyGateways {
            list: RwSignal::new(None),
            client: StoredValue::new(client),
            abort: StoredValue::new_local(abort_on_cleanup()),
        };
        this.refresh();
        this
    }

    /// Lists again.
    pub fn refresh(&self) {
        let out = self.list;
        let client = self.client.get_value();
        let abort = self.abort.get_value();
        let selector = LEGACY_LABELS
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",");
        leptos::task::spawn_local(async move {
            let request = Request::new(Service::url_path(&(), Some(CONTROLS_NAMESPACE)));
            let params = ListParams::default().labels(&selector);
            match list_all::<Service>(&client, &request, &params, abort.as_ref()).await {
                Ok(list) => {
                    out.try_set(Some(list.items.iter().filter_map(legacy_gateway).collect()));
                }
                Err(ApiError::Aborted) => {}
                Err(_) => {
                    out.try_set(Some(Vec::new()));
                }
            }
        });
    }
}
