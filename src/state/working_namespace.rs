//! The working namespace of project gateways, from `kubesphere-system/kubesphere-config`
//! (`gateway.namespace`). It is listed once per view, not watched: it changes only when
//! KubeSphere is reconfigured (the connection budget keeps watches for what changes).
//!
//! Until the answer is in, it is *unknown*: no page starts the watches of a namespace or offers
//! Enable before it knows where gateways live. When the ConfigMap is absent or may not be read
//! (a project admin may not read `kubesphere-system`), KubeSphere's default
//! `kubesphere-controls-system` applies; any other failure also falls back to the default, and
//! says so.

use gateway_model::kubesphere_config::{working_namespace, WorkingNamespace};
use gateway_model::names::{KUBESPHERE_CONFIG_KEY, KUBESPHERE_CONFIG_NAME, KUBESPHERE_SYSTEM};
use k8s_openapi::api::core::v1::ConfigMap;
use kube_core::params::ListParams;
use kube_core::{Request, Resource};
use leptos::prelude::*;

use crate::api::watch::list_all;
use crate::api::{abort_on_cleanup, ApiError, KubeClient};

/// What is known of the working namespace.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkingNamespaceState {
    /// `kubesphere-config` has not been read yet.
    Unknown,
    /// Read (or the ConfigMap is absent / not readable: KubeSphere's default).
    Known(WorkingNamespace),
    /// Reading failed otherwise: the default is assumed, and the error is shown.
    Assumed {
        namespace: WorkingNamespace,
        error: ApiError,
    },
}

impl WorkingNamespaceState {
    /// The namespace to work with, once known (or assumed).
    pub fn known(&self) -> Option<&WorkingNamespace> {
        match self {
            WorkingNamespaceState::Unknown => None,
            WorkingNamespaceState::Known(ns)
            | WorkingNamespaceState::Assumed { namespace: ns, .. } => Some(ns),
        }
    }

    /// Why the default is assumed, if it is.
    pub fn error(&self) -> Option<&ApiError> {
        match self {
            WorkingNamespaceState::Assumed { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The state after the ConfigMap list answered.
    pub fn from_list(answer: Result<Vec<ConfigMap>, ApiError>) -> Self {
        match answer {
            Ok(items) => WorkingNamespaceState::Known(
                items
                    .iter()
                    .find(|cm| cm.metadata.name.as_deref() == Some(KUBESPHERE_CONFIG_NAME))
                    .and_then(|cm| cm.data.as_ref()?.get(KUBESPHERE_CONFIG_KEY))
                    .map(|yaml| working_namespace(yaml))
                    .unwrap_or_default(),
            ),
            Err(e) if e.is_not_found() || e.is_forbidden() => {
                WorkingNamespaceState::Known(WorkingNamespace::default())
            }
            Err(error) => WorkingNamespaceState::Assumed {
                namespace: WorkingNamespace::default(),
                error,
            },
        }
    }
}

/// Reads `kubesphere-config` once for the current view.
pub fn read_working_namespace(client: KubeClient) -> ReadSignal<WorkingNamespaceState> {
    let (state, set_state) = signal(WorkingNamespaceState::Unknown);
    let abort = abort_on_cleanup();
    leptos::task::spawn_local(async move {
        let request = Request::new(ConfigMap::url_path(&(), Some(KUBESPHERE_SYSTEM)));
        let params =
            ListParams::default().fields(&format!("metadata.name={KUBESPHERE_CONFIG_NAME}"));
        let answer = list_all::<ConfigMap>(&client, &request, &params, abort.as_ref()).await;
        if matches!(answer, Err(ApiError::Aborted)) {
            return;
        }
        set_state.try_set(WorkingNamespaceState::from_list(answer.map(|l| l.items)));
    });
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(yaml: &str) -> ConfigMap {
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": KUBESPHERE_CONFIG_NAME, "namespace": KUBESPHERE_SYSTEM},
            "data": {KUBESPHERE_CONFIG_KEY: yaml}
        }))
        .unwrap()
    }

    fn error(code: u16) -> ApiError {
        ApiError::Http {
            url: "/k8s/api/v1/namespaces/kubesphere-system/configmaps".into(),
            code,
            body: String::new(),
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn the_answer_decides_the_namespace() {
        let custom = WorkingNamespaceState::from_list(Ok(vec![config(
            "gateway:\n  namespace: ingress-gateways\n",
        )]));
        assert_eq!(
            custom.known(),
            Some(&WorkingNamespace::Shared("ingress-gateways".into()))
        );
        let per_project =
            WorkingNamespaceState::from_list(Ok(vec![config("gateway:\n  namespace: \"\"\n")]));
        assert_eq!(per_project.known(), Some(&WorkingNamespace::PerProject));
        // absent or unreadable: KubeSphere's default, silently
        for answer in [Ok(vec![]), Err(error(404)), Err(error(403))] {
            let state = WorkingNamespaceState::from_list(answer);
            assert_eq!(state.known(), Some(&WorkingNamespace::default()));
            assert!(state.error().is_none());
        }
        // anything else: the default, and the error to show
        let failed = WorkingNamespaceState::from_list(Err(error(500)));
        assert_eq!(failed.known(), Some(&WorkingNamespace::default()));
        assert!(failed.error().is_some());
        assert_eq!(WorkingNamespaceState::Unknown.known(), None);
    }
}
