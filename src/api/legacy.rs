//! The objects of a legacy (KubeSphere 3.0/3.1) gateway: read its nginx ConfigMap and remove
//! its Service, Deployment and ConfigMap when it is updated to a Gateway.

use gateway_model::gateway::StringMap;
use gateway_model::legacy::LegacyGateway;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, Service};
use kube_core::params::{DeleteParams, GetParams, PropagationPolicy};
use kube_core::{Request, Resource};

use super::{ApiError, KubeClient};

/// The options in the legacy nginx ConfigMap (empty when it is gone).
pub async fn legacy_config(
    client: &KubeClient,
    legacy: &LegacyGateway,
) -> Result<StringMap, ApiError> {
    let request = Request::new(ConfigMap::url_path(&(), Some(&legacy.namespace)))
        .get(&legacy.config_map_name(), &GetParams::default())?;
    match client.json::<ConfigMap>(request, None).await {
        Ok(cm) => Ok(cm.data.unwrap_or_default().into_iter().collect()),
        Err(e) if e.is_not_found() => Ok(StringMap::new()),
        Err(e) => Err(e),
    }
}

/// Deletes the legacy Service, Deployment (with its pods) and ConfigMap; already gone is fine.
pub async fn delete_legacy(client: &KubeClient, legacy: &LegacyGateway) -> Result<(), ApiError> {
    let params = DeleteParams {
        propagation_policy: Some(PropagationPolicy::Background),
        ..DeleteParams::default()
    };
    let ns = Some(legacy.namespace.as_str());
    let requests = [
        Request::new(Deployment::url_path(&(), ns)).delete(&legacy.name, &params),
        Request::new(Service::url_path(&(), ns)).delete(&legacy.name, &params),
        Request::new(ConfigMap::url_path(&(), ns)).delete(&legacy.config_map_name(), &params),
    ];
    for request in requests {
        match client.send(request?, None).await {
            Ok(_) => {}
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
