//! Prometheus' HTTP API through the API server's service proxy (`prometheusPath` in
//! config.json): instant and range queries, decoded into series. A Prometheus error keeps
//! Prometheus' own message; the proxy's errors (Prometheus down or missing) are API errors.

use gateway_model::monitoring::{decode, Series};
use web_sys::AbortSignal;

use super::{ApiError, KubeClient};

/// Why a query has no answer.
#[derive(Clone, Debug, PartialEq)]
pub enum QueryError {
    /// Prometheus could not be reached through the proxy (down, missing, forbidden).
    Unavailable(ApiError),
    /// Prometheus refused or failed the query: its own message.
    Prometheus(String),
    /// The view went away.
    Aborted,
}

fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

async fn get(
    client: &KubeClient,
    path: &str,
    signal: Option<&AbortSignal>,
) -> Result<Vec<Series>, QueryError> {
    let request = http::Request::get(path)
        .body(Vec::new())
        .map_err(|e| QueryError::Prometheus(e.to_string()))?;
    let url = client.url_of(&request);
    let text = match client.send(request, signal).await {
        Ok(response) => response.text().await.map_err(|e| {
            QueryError::Unavailable(ApiError::Network {
                url: url.clone(),
                message: e.to_string(),
            })
        })?,
        Err(ApiError::Aborted) => return Err(QueryError::Aborted),
        // Prometheus answers a bad query with 400/422 and its own JSON
        Err(ApiError::Http { body, code, .. })
            if matches!(code, 400 | 422 | 503) && body.contains("\"errorType\"") =>
        {
            return Err(QueryError::Prometheus(decode(&body).err().unwrap_or(body)))
        }
        Err(e) => return Err(QueryError::Unavailable(e)),
    };
    decode(&text).map_err(QueryError::Prometheus)
}

/// An instant query at `time` (unix seconds).
pub async fn query(
    client: &KubeClient,
    prometheus_path: &str,
    promql: &str,
    time: i64,
    signal: Option<&AbortSignal>,
) -> Result<Vec<Series>, QueryError> {
    let path = format!(
        "{prometheus_path}/api/v1/query?query={}&time={time}",
        encode(promql)
    );
    get(client, &path, signal).await
}

/// A range query from `start` to `end` (unix seconds) every `step` seconds.
pub async fn query_range(
    client: &KubeClient,
    prometheus_path: &str,
    promql: &str,
    (start, end, step): (i64, i64, i64),
    signal: Option<&AbortSignal>,
) -> Result<Vec<Series>, QueryError> {
    let path = format!(
        "{prometheus_path}/api/v1/query_range?query={}&start={start}&end={end}&step={step}",
        encode(promql)
    );
    get(client, &path, signal).await
}
