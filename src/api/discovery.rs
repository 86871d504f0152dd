//! Discovery requests: the reachability probe.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::APIVersions;

use super::{ApiError, KubeClient};

/// The core API's discovery document; every authenticated user may read it.
pub const CORE_API_PATH: &str = "/api";

/// Checks that the API answers at `<apiBase>/api`.
pub async fn probe(client: &KubeClient) -> Result<(), ApiError> {
    let request = http::Request::get(CORE_API_PATH)
        .body(Vec::new())
        .expect("static request");
    client.json::<APIVersions>(request, None).await.map(|_| ())
}
