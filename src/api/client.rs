//! The only place that sends HTTP: requests are built with kube-core (`Request`, `ListParams`,
//! `WatchParams`, `PatchParams`, …) and replayed with gloo-net under the configured API prefix.

use gloo_net::http::{Method, RequestBuilder, Response};
use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, AbortSignal, ReadableStream};

use super::error::ApiError;

/// A client for `<apiBase>/api/...` and `<apiBase>/apis/...`. Holds no credentials: the proxy
/// in front of the API server does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeClient {
    base: String,
}

impl KubeClient {
    /// `base` is the configured `apiBase` (e.g. `/k8s` or `https://host/k8s`), no trailing slash.
    pub fn new(base: impl Into<String>) -> Self {
        KubeClient {
            base: base.into().trim_end_matches('/').to_string(),
        }
    }

    /// The full URL a kube-core request goes to.
    pub fn url_of<B>(&self, request: &http::Request<B>) -> String {
        let path = request
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        // kube-core writes `?&limit=…` when the first parameter is optional; tidy it up.
        let path = path.replacen("?&", "?", 1);
        format!("{}{}", self.base, path)
    }

    /// The URL of a plain API path (`/api`, `/version`), for probes and messages.
    pub fn url_of_path(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Sends the request and returns the response when it is 2xx; otherwise the decoded error.
    pub async fn send(
        &self,
        request: http::Request<Vec<u8>>,
        signal: Option<&AbortSignal>,
    ) -> Result<Response, ApiError> {
        let url = self.url_of(&request);
        let mut builder = RequestBuilder::new(&url)
            .method(convert_method(request.method()))
            .abort_signal(signal);
        for (name, value) in request.headers() {
            if let Ok(value) = value.to_str() {
                builder = builder.header(name.as_str(), value);
            }
        }
        builder = builder.header("Accept", "application/json");
        let body = request.into_body();
        let sent = if body.is_empty() {
            builder.send().await
        } else {
            let text = String::from_utf8(body).map_err(|e| ApiError::Decode {
                url: url.clone(),
                message: e.to_string(),
            })?;
            match builder.body(text) {
                Ok(r) => r.send().await,
                Err(e) => Err(e),
            }
        };
        let response = sent.map_err(|e| network_error(&url, e))?;
        if response.ok() {
            Ok(response)
        } else {
            let code = response.status();
            let body = response.text().await.unwrap_or_default();
            Err(ApiError::from_response(&url, code, &body))
        }
    }

    /// Sends the request and decodes a JSON answer.
    pub async fn json<T: DeserializeOwned>(
        &self,
        request: http::Request<Vec<u8>>,
        signal: Option<&AbortSignal>,
    ) -> Result<T, ApiError> {
        let url = self.url_of(&request);
        let response = self.send(request, signal).await?;
        let text = response.text().await.map_err(|e| network_error(&url, e))?;
        serde_json::from_str(&text).map_err(|e| ApiError::Decode {
            url,
            message: e.to_string(),
        })
    }

    /// Sends the request and returns the body as a stream (watches, followed logs).
    pub async fn stream(
        &self,
        request: http::Request<Vec<u8>>,
        signal: Option<&AbortSignal>,
    ) -> Result<ReadableStream, ApiError> {
        let url = self.url_of(&request);
        let response = self.send(request, signal).await?;
        response.body().ok_or(ApiError::Decode {
            url,
            message: "empty body".into(),
        })
    }
}

fn convert_method(method: &http::Method) -> Method {
    Method::from_bytes(method.as_str().as_bytes()).unwrap_or(Method::GET)
}

fn network_error(url: &str, error: gloo_net::Error) -> ApiError {
    if let gloo_net::Error::JsError(js) = &error {
        if js.name == "AbortError" {
            return ApiError::Aborted;
        }
    }
    ApiError::Network {
        url: url.to_string(),
        message: error.to_string(),
    }
}

/// True for the rejection a fetch or stream read gets when its AbortController fires.
pub fn is_abort(value: &wasm_bindgen::JsValue) -> bool {
    value
        .dyn_ref::<web_sys::DomException>()
        .is_some_and(|e| e.name() == "AbortError")
}

/// An AbortSignal that fires when the current reactive owner (the view) is cleaned up.
/// Every request a view makes carries it, so leaving a page cancels its requests.
pub fn abort_on_cleanup() -> Option<AbortSignal> {
    let controller = AbortController::new().ok()?;
    let signal = controller.signal();
    let controller = SendWrapper::new(controller);
    on_cleanup(move || controller.abort());
    Some(signal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::Namespace;
    use kube_core::params::{ListParams, WatchParams};
    use kube_core::Request;
    use kube_core::Resource;

    #[test]
    fn urls_are_built_by_kube_core_under_the_prefix() {
        let client = KubeClient::new("/k8s/");
        let request = Request::new(Namespace::url_path(&(), None));
        let list = request.list(&ListParams::default().limit(50)).unwrap();
        assert_eq!(client.url_of(&list), "/k8s/api/v1/namespaces?limit=50");
        let watch = request
            .watch(&WatchParams::default().timeout(290), "42")
            .unwrap();
        let url = client.url_of(&watch);
        assert!(url.starts_with("/k8s/api/v1/namespaces?"), "{url}");
        assert!(
            url.contains("watch=true")
                && url.contains("resourceVersion=42")
                && url.contains("timeoutSeconds=290")
        );
        assert_eq!(client.url_of_path("/api"), "/k8s/api");
    }

    #[test]
    fn absolute_bases_are_kept() {
        let client = KubeClient::new("https://example.org/k8s");
        let request = Request::new(Namespace::url_path(&(), None));
        let get = request.get("demo", &Default::default()).unwrap();
        assert_eq!(
            client.url_of(&get),
            "https://example.org/k8s/api/v1/namespaces/demo"
        );
    }
}
