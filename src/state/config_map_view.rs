//! What the Configuration Options tab reads of a ConfigMap: its metadata and `data`.

use gateway_model::gateway::StringMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::{ListableResource, Metadata, NamespaceResourceScope, Resource};
use serde::Deserialize;

/// A ConfigMap, reduced to its data.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct ConfigMapView {
    #[serde(
        default,
        deserialize_with = "gateway_model::gateway_json::deserialize_object_meta"
    )]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub data: Option<StringMap>,
}

impl Resource for ConfigMapView {
    const API_VERSION: &'static str = "v1";
    const GROUP: &'static str = "";
    const KIND: &'static str = "ConfigMap";
    const VERSION: &'static str = "v1";
    const URL_PATH_SEGMENT: &'static str = "configmaps";
    type Scope = NamespaceResourceScope;
}

impl ListableResource for ConfigMapView {
    const LIST_KIND: &'static str = "ConfigMapList";
}

impl Metadata for ConfigMapView {
    type Ty = ObjectMeta;

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}
