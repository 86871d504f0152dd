//! Discovery requests: the reachability probe.

use super::{ApiError, KubeClient};

/// The core API's discovery document; every authenticated user may read it.
pub const CORE_API_PATH: &str = "/api";

/// Checks that the API answers at `<apiBase>/api`.
pub async fn probe(client: &KubeClient) -> Result<(), ApiError> {
    let request = http::Request::get(CORE_API_PATH)
        .body(Vec::new())
        .expect("static request");
    // any JSON answer will do (APIVersions' own decoder is not worth its bytes here)
    client
        .json::<serde::de::IgnoredAny>(request, None)
        .await
        .map(|_| ())
}
