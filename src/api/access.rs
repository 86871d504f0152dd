//! Who the user is and what they may do: SelfSubjectReview (`kubectl auth whoami`) and
//! SelfSubjectAccessReview (`kubectl auth can-i`), both answered by the API server for the
//! credentials the proxy carries.

use k8s_openapi::api::authentication::v1::SelfSubjectReview;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use kube_core::params::PostParams;
use kube_core::{Request, Resource};

use super::{ApiError, KubeClient};

/// The user name the API server sees, when it answers SelfSubjectReview (Kubernetes ≥ 1.28).
pub async fn who_am_i(client: &KubeClient) -> Result<Option<String>, ApiError> {
    let review = SelfSubjectReview::default();
    let request = Request::new(SelfSubjectReview::url_path(&(), None))
        .create(&PostParams::default(), serde_json::to_vec(&review)?)?;
    let answer: SelfSubjectReview = client.json(request, None).await?;
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

/// May the user `verb` the `resource` of `group` in `namespace` (the object `name`, if given)?
pub async fn can_i(
    client: &KubeClient,
    verb: &str,
    group: &str,
    resource: &str,
    namespace: Option<&str>,
    name: Option<&str>,
) -> Result<AccessAnswer, ApiError> {
    let review = SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                group: Some(group.to_string()),
                resource: Some(resource.to_string()),
                verb: Some(verb.to_string()),
                namespace: namespace.map(str::to_string),
                name: name.map(str::to_string),
                ..ResourceAttributes::default()
            }),
            ..SelfSubjectAccessReviewSpec::default()
        },
        ..SelfSubjectAccessReview::default()
    };
    let request = Request::new(SelfSubjectAccessReview::url_path(&(), None))
        .create(&PostParams::default(), serde_json::to_vec(&review)?)?;
    let answer: SelfSubjectAccessReview = client.json(request, None).await?;
    let status = answer.status.unwrap_or_default();
    Ok(AccessAnswer {
        allowed: status.allowed && !status.denied.unwrap_or(false),
        reason: status.reason.filter(|r| !r.is_empty()),
    })
}
