//! Legacy (KubeSphere 3.0/3.1) gateways: router Services in `kubesphere-controls-system`
//! without a Gateway object. Listed per view and after an Update — they are remnants that only
//! disappear when updated or removed — rather than holding one more watch connection.
//!
//! A failed list is kept as the error, never read as "none": a project with a legacy gateway
//! must not be offered Enable because the check could not be made.

use gateway_model::legacy::{legacy_gateway, LegacyGateway};
use gateway_model::names::{legacy_selector, CONTROLS_NAMESPACE};
use k8s_openapi::api::core::v1::Service;
use kube_core::params::ListParams;
use kube_core::{Request, Resource};
use leptos::prelude::*;
use web_sys::AbortSignal;

use crate::api::watch::list_all;
use crate::api::{abort_on_cleanup, ApiError, KubeClient};

/// The outcome of the last list; `None` while the first one runs.
pub type LegacyList = Option<Result<Vec<LegacyGateway>, ApiError>>;

/// The legacy gateways of the cluster.
#[derive(Clone, Copy)]
pub struct LegacyGateways {
    pub list: RwSignal<LegacyList>,
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

    /// The legacy gateways known (empty while loading or after a failure; see [`error`]).
    ///
    /// [`error`]: Self::error
    pub fn found(&self) -> Vec<LegacyGateway> {
        self.list
            .with(|l| l.as_ref().and_then(|r| r.as_ref().ok()).cloned())
            .unwrap_or_default()
    }

    /// Why the last list failed.
    pub fn error(&self) -> Option<ApiError> {
        self.list
            .with(|l| l.as_ref().and_then(|r| r.as_ref().err()).cloned())
    }

    /// The legacy gateway serving `project`: `Ok(None)` when there is none, `Err` when that is
    /// not known (still loading: `Err(None)`, failed: `Err(Some(error))`).
    pub fn of_project(&self, project: &str) -> Result<Option<LegacyGateway>, Option<ApiError>> {
        self.list.with(|l| match l {
            None => Err(None),
            Some(Err(e)) => Err(Some(e.clone())),
            Some(Ok(list)) => Ok(list.iter().find(|g| g.project == project).cloned()),
        })
    }

    /// Lists again (a failure stays shown until the new answer arrives).
    pub fn refresh(&self) {
        let out = self.list;
        let (Some(client), Some(abort)) = (self.client.try_get_value(), self.abort.try_get_value())
        else {
            return; // the view that owned the list is gone
        };
        let selector = legacy_selector();
        leptos::task::spawn_local(async move {
            let request = Request::new(Service::url_path(&(), Some(CONTROLS_NAMESPACE)));
            let params = ListParams::default().labels_from(&selector);
            match list_all::<Service>(&client, &request, &params, abort.as_ref()).await {
                Ok(list) => {
                    out.try_set(Some(Ok(list
                        .items
                        .iter()
                        .filter_map(legacy_gateway)
                        .collect())));
                }
                Err(ApiError::Aborted) => {}
                Err(e) => {
                    out.try_set(Some(Err(e)));
                }
            }
        });
    }
}
