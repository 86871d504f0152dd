//! The pod log subresource (`GET …/pods/{pod}/log`), read as a byte stream: the response body
//! of a window, or of a followed log that stays open while the pod writes.

use std::cell::Cell;

use gateway_model::logs::request::LogRequest;
use k8s_openapi::api::core::v1::Pod;
use kube_core::{Request, Resource};
use web_sys::AbortSignal;

use super::client::KubeClient;
use super::error::ApiError;
use super::watch::{read_chunks, ReadEnd};

/// Opens the log of `pod` as `request` describes it and feeds every chunk of the body to
/// `on_chunk` until the body ends, a read fails, `stopped` is set or `signal` fires.
pub async fn read_pod_log(
    client: &KubeClient,
    namespace: &str,
    pod: &str,
    request: &LogRequest,
    signal: Option<&AbortSignal>,
    stopped: &Cell<bool>,
    on_chunk: impl FnMut(&[u8]),
) -> Result<ReadEnd, ApiError> {
    let mut on_chunk = on_chunk;
    let http = Request::new(Pod::url_path(&(), Some(namespace))).logs(pod, &request.params())?;
    let stream = client.stream(http, signal).await?;
    // one reusable copy buffer: chunks are copied out of JS memory, fed, and dropped
    let mut bytes = Vec::new();
    Ok(read_chunks(stream, stopped, None, |chunk| {
        bytes.resize(chunk.length() as usize, 0);
        chunk.copy_to(&mut bytes);
        on_chunk(&bytes);
        true
    })
    .await)
}
