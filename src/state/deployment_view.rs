//! What the UI reads of a Deployment: metadata, `spec.replicas` and the status. Deserializing
//! k8s-openapi's full `Deployment` would compile in the whole PodSpec tree (≈ 200 KiB gzipped
//! wasm) for fields nobody shows; this type is listed and watched instead, and turned into a
//! `Deployment` (spec template left empty) for the shared health logic.

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec, DeploymentStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::{ListableResource, Metadata, NamespaceResourceScope, Resource};
use serde::Deserialize;

/// `spec` of a Deployment, reduced to the replica count.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct ReplicasSpec {
    pub replicas: Option<i32>,
}

/// A Deployment as the gateway card needs it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct DeploymentView {
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: Option<ReplicasSpec>,
    #[serde(default)]
    pub status: Option<DeploymentStatus>,
}

impl Resource for DeploymentView {
    const API_VERSION: &'static str = "apps/v1";
    const GROUP: &'static str = "apps";
    const KIND: &'static str = "Deployment";
    const VERSION: &'static str = "v1";
    const URL_PATH_SEGMENT: &'static str = "deployments";
    type Scope = NamespaceResourceScope;
}

impl ListableResource for DeploymentView {
    const LIST_KIND: &'static str = "DeploymentList";
}

impl Metadata for DeploymentView {
    type Ty = ObjectMeta;

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

impl DeploymentView {
    /// The k8s-openapi Deployment with what was read (for `gateway_model::health`).
    pub fn to_deployment(&self) -> Deployment {
        Deployment {
            metadata: self.metadata.clone(),
            spec: self.spec.as_ref().map(|s| DeploymentSpec {
                replicas: s.replicas,
                ..DeploymentSpec::default()
            }),
            status: self.status.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_replicas_and_status_and_ignores_the_pod_template() {
        let json = r#"{"apiVersion":"apps/v1","kind":"Deployment",
            "metadata":{"name":"kubesphere-router-demo","namespace":"kubesphere-controls-system","resourceVersion":"9"},
            "spec":{"replicas":3,"selector":{"matchLabels":{"a":"b"}},"template":{"spec":{"containers":[{"name":"controller","image":"x"}]}}},
            "status":{"replicas":3,"readyReplicas":2,"updatedReplicas":3}}"#;
        let view: DeploymentView = serde_json::from_str(json).unwrap();
        let counts = gateway_model::health::replica_counts(&view.to_deployment());
        assert_eq!((counts.desired, counts.ready, counts.current), (3, 2, 3));
        assert_eq!(view.metadata.resource_version.as_deref(), Some("9"));
    }
}
