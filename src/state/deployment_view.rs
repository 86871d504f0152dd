//! What the UI reads of a Deployment: metadata, `spec.replicas` and the status. Deserializing
//! k8s-openapi's full `Deployment` would compile in the whole PodSpec tree (≈ 200 KiB gzipped
//! wasm) for fields nobody shows; this type is listed and watched instead, and turned into a
//! `Deployment` (spec template left empty) for the shared health logic.

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentCondition, DeploymentSpec, DeploymentStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::{ListableResource, Metadata, NamespaceResourceScope, Resource};
use serde::Deserialize;

/// `spec` of a Deployment, reduced to the replica count.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct ReplicasSpec {
    pub replicas: Option<i32>,
}

/// `status` of a Deployment: the counts and the conditions without their times (parsing
/// `metav1.Time` would bring jiff's parser onto the first screen for nothing shown).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentStatusView {
    pub observed_generation: Option<i64>,
    pub replicas: Option<i32>,
    pub ready_replicas: Option<i32>,
    pub updated_replicas: Option<i32>,
    pub available_replicas: Option<i32>,
    pub unavailable_replicas: Option<i32>,
    #[serde(default)]
    pub conditions: Option<Vec<DeploymentConditionView>>,
}

/// One condition of a Deployment, as the health logic reads it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct DeploymentConditionView {
    #[serde(rename = "type", default)]
    pub type_: String,
    #[serde(default)]
    pub status: String,
    pub reason: Option<String>,
    pub message: Option<String>,
}

/// A Deployment as the gateway card needs it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub struct DeploymentView {
    #[serde(
        default,
        deserialize_with = "gateway_model::gateway_json::deserialize_object_meta"
    )]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: Option<ReplicasSpec>,
    #[serde(default)]
    pub status: Option<DeploymentStatusView>,
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
            status: self.status.as_ref().map(|s| DeploymentStatus {
                observed_generation: s.observed_generation,
                replicas: s.replicas,
                ready_replicas: s.ready_replicas,
                updated_replicas: s.updated_replicas,
                available_replicas: s.available_replicas,
                unavailable_replicas: s.unavailable_replicas,
                conditions: s.conditions.as_ref().map(|list| {
                    list.iter()
                        .map(|c| DeploymentCondition {
                            type_: c.type_.clone(),
                            status: c.status.clone(),
                            reason: c.reason.clone(),
                            message: c.message.clone(),
                            ..DeploymentCondition::default()
                        })
                        .collect()
                }),
                ..DeploymentStatus::default()
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
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

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn conditions_are_kept_without_their_times() {
        let json = r#"{"metadata":{"name":"d","creationTimestamp":"2026-01-01T00:00:00Z"},
            "status":{"replicas":1,"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded",
              "message":"too slow","lastUpdateTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}"#;
        let view: DeploymentView = serde_json::from_str(json).unwrap();
        let d = view.to_deployment();
        assert!(d.metadata.creation_timestamp.is_some());
        let c = &d.status.unwrap().conditions.unwrap()[0];
        assert_eq!(
            (c.type_.as_str(), c.status.as_str()),
            ("Progressing", "False")
        );
        assert_eq!(c.reason.as_deref(), Some("ProgressDeadlineExceeded"));
        assert!(c.last_transition_time.is_none());
    }
}
