//! The namespaces (projects) for the project picker. Listed, not watched: the picker is on every
//! page, and a watch would hold one of the browser's six connections per host for the whole
//! session (see `gateway_workloads`). The list is refreshed whenever the picker gets focus, so
//! a namespace created meanwhile is there when the user looks.

use k8s_openapi::api::core::v1::Namespace;
use kube_core::params::ListParams;
use kube_core::{Request, Resource};
use leptos::prelude::*;
use serde::Deserialize;

use crate::api::watch::list_all;
use crate::api::{ApiError, KubeClient};

/// What the picker reads of a namespace: its name (k8s-openapi's full `Namespace` decoder is
/// not worth its bytes on the first screen).
#[derive(Clone, Debug, Default, Deserialize)]
struct NamespaceName {
    #[serde(default)]
    metadata: NameOnly,
}

#[derive(Clone, Debug, Default, Deserialize)]
struct NameOnly {
    name: Option<String>,
}

/// Namespace names (sorted) and the last listing error.
#[derive(Clone, Copy)]
pub struct NamespaceList {
    pub names: RwSignal<Vec<String>>,
    pub error: RwSignal<Option<ApiError>>,
    loading: RwSignal<bool>,
    client: StoredValue<KubeClient>,
}

impl NamespaceList {
    /// Lists the namespaces now.
    pub fn load(client: KubeClient) -> Self {
        let list = NamespaceList {
            names: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            loading: RwSignal::new(false),
            client: StoredValue::new(client),
        };
        list.refresh();
        list
    }

    /// Lists again (at most one request at a time).
    pub fn refresh(&self) {
        if self.loading.get_untracked() {
            return;
        }
        self.loading.set(true);
        let this = *self;
        let client = self.client.get_value();
        leptos::task::spawn_local(async move {
            let request = Request::new(Namespace::url_path(&(), None));
            let result =
                list_all::<NamespaceName>(&client, &request, &ListParams::default(), None).await;
            this.loading.try_set(false);
            match result {
                Ok(list) => {
                    let mut names: Vec<String> = list
                        .items
                        .into_iter()
                        .filter_map(|n| n.metadata.name)
                        .collect();
                    names.sort();
                    this.names.try_set(names);
                    this.error.try_set(None);
                }
                Err(e) => {
                    this.error.try_set(Some(e));
                }
            }
        });
    }
}
