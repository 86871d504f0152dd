//! Writes to Gateway objects (reference §14): create, merge-patch with `resourceVersion`, delete,
//! and a fresh read for the conflict flow. The operator owns the Deployment/Service behind a
//! gateway; the console only ever writes the Gateway.

use gateway_model::gateway::Gateway;
use kube_core::params::{DeleteParams, GetParams, Patch, PatchParams, PostParams};
use kube_core::{Request, Resource};
use serde_json::Value;

use super::{ApiError, KubeClient};

/// `fieldManager` recorded in managedFields for our writes.
pub const FIELD_MANAGER: &str = "gateway-console";

fn collection(namespace: &str) -> Request {
    Request::new(Gateway::url_path(&(), Some(namespace)))
}

/// `POST …/namespaces/{ns}/gateways`.
pub async fn create_gateway(client: &KubeClient, gateway: &Gateway) -> Result<Gateway, ApiError> {
    post_gateway(client, gateway, false).await
}

/// The same POST with `dryRun=All`: the server validates and admits it without storing it.
pub async fn dry_run_create_gateway(
    client: &KubeClient,
    gateway: &Gateway,
) -> Result<Gateway, ApiError> {
    post_gateway(client, gateway, true).await
}

async fn post_gateway(
    client: &KubeClient,
    gateway: &Gateway,
    dry_run: bool,
) -> Result<Gateway, ApiError> {
    let params = PostParams {
        dry_run,
        field_manager: Some(FIELD_MANAGER.to_string()),
    };
    let request = collection(gateway.namespace()).create(&params, serde_json::to_vec(gateway)?)?;
    client.json(request, None).await
}

/// `PATCH …/gateways/{name}` with `application/merge-patch+json`. A patch carrying
/// `metadata.resourceVersion` fails with 409 when the object changed meanwhile.
pub async fn patch_gateway(
    client: &KubeClient,
    namespace: &str,
    name: &str,
    patch: &Value,
) -> Result<Gateway, ApiError> {
    let params = PatchParams {
        field_manager: Some(FIELD_MANAGER.to_string()),
        ..PatchParams::default()
    };
    let request = collection(namespace).patch(name, &params, &Patch::Merge(patch))?;
    client.json(request, None).await
}

/// `GET …/gateways/{name}`.
pub async fn get_gateway(
    client: &KubeClient,
    namespace: &str,
    name: &str,
) -> Result<Gateway, ApiError> {
    let request = collection(namespace).get(name, &GetParams::default())?;
    client.json(request, None).await
}

/// `DELETE …/gateways/{name}`, guarded by the uid the user confirmed (a gateway deleted and
/// re-created meanwhile is not deleted by mistake). The object lingers with a
/// `deletionTimestamp` until the operator has uninstalled the release.
pub async fn delete_gateway(
    client: &KubeClient,
    namespace: &str,
    name: &str,
    uid: Option<&str>,
) -> Result<(), ApiError> {
    let mut params = DeleteParams::default();
    if let Some(uid) = uid {
        params.preconditions = Some(kube_core::params::Preconditions {
            uid: Some(uid.to_string()),
            resource_version: None,
        });
    }
    let request = collection(namespace).delete(name, &params)?;
    client.send(request, None).await.map(|_| ())
}
