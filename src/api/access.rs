//! Who the user is and what they may do: SelfSubjectReview (`kubectl auth whoami`) and
//! SelfSubjectAccessReview (`kubectl auth can-i`), both answered by the API server for the
//! credentials the proxy carries.
//!
//! The reviews are written and read as the few fields used (not k8s-openapi's full review
//! types, whose serde code would weigh on the first-screen wasm).

use k8s_openapi::api::authentication::v1::SelfSubjectReview;
use k8s_openapi::api::authorization::v1::SelfSubjectAccessReview;
use kube_core::params::PostParams;
use kube_core::{Request, Resource};
use serde::Deserialize;
use serde_json::json;

use super::{ApiError, KubeClient};

#[derive(Debug, Default, Deserialize)]
struct UserInfo {
    username: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReviewStatus {
    user_info: Option<UserInfo>,
}

/// `SelfSubjectReview` as answered: `status.userInfo.username`.
#[derive(Debug, Default, Deserialize)]
struct SelfSubjectReviewAnswer {
    status: Option<ReviewStatus>,
}

/// `SelfSubjectAccessReview.status`.
#[derive(Debug, Default, Deserialize)]
struct AccessStatus {
    #[serde(default)]
    allowed: bool,
    denied: Option<bool>,
    reason: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct AccessReviewAnswer {
    status: Option<AccessStatus>,
}

/// The user name the API server sees, when it answers SelfSubjectReview (Kubernetes ≥ 1.28).
pub async fn who_am_i(client: &KubeClient) -> Result<Option<String>, ApiError> {
    let review = json!({
        "apiVersion": <SelfSubjectReview as k8s_openapi::Resource>::API_VERSION,
        "kind": <SelfSubjectReview as k8s_openapi::Resource>::KIND,
    });
    let request = Request::new(SelfSubjectReview::url_path(&(), None))
        .create(&PostParams::default(), serde_json::to_vec(&review)?)?;
    let answer: SelfSubjectReviewAnswer = client.json(request, None).await?;
    Ok(answer
        .status
        .and_then(|s| s.user_info)
        .and_then(|u| u.username)
        .filter(|u| !u.is_empty()))
}

/// What a SelfSubjectAccessReview answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessAnswer {
    pub allowed: bool,
    /// The authorizer's reason, when it gives one.
    pub reason: Option<String>,
}

/// May the user `verb` the `resource` of `group` in `namespace` (all namespaces when `None`; the
/// object `name`, if given)? The review is abandoned when `signal` fires.
pub async fn can_i(
    client: &KubeClient,
    verb: &str,
    group: &str,
    resource: &str,
    namespace: Option<&str>,
    name: Option<&str>,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<AccessAnswer, ApiError> {
    let mut attributes = json!({ "group": group, "resource": resource, "verb": verb });
    if let Some(namespace) = namespace {
        attributes["namespace"] = json!(namespace);
    }
    if let Some(name) = name {
        attributes["name"] = json!(name);
    }
    let review = json!({
        "apiVersion": <SelfSubjectAccessReview as k8s_openapi::Resource>::API_VERSION,
        "kind": <SelfSubjectAccessReview as k8s_openapi::Resource>::KIND,
        "spec": { "resourceAttributes": attributes },
    });
    let request = Request::new(SelfSubjectAccessReview::url_path(&(), None))
        .create(&PostParams::default(), serde_json::to_vec(&review)?)?;
    let answer: AccessReviewAnswer = client.json(request, signal).await?;
    let status = answer.status.unwrap_or_default();
    Ok(AccessAnswer {
        allowed: status.allowed && !status.denied.unwrap_or(false),
        reason: status.reason.filter(|r| !r.is_empty()),
    })
}
