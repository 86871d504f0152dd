//! The only place that sends HTTP: requests are built with kube-core (`Request`, `ListParams`,
//! `WatchParams`, `PatchParams`, …) and replayed with gloo-net under the configured API prefix.

use gloo_net::http::{Method, RequestBuilder, Response};
use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, AbortSignal, ReadableStream};

use gateway_model::reconnect::throttle_wait_ms;

use super::error::ApiError;
use super::watch::sleep;

/// Default of `requestTimeoutSeconds` in config.json.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;

/// The abort reason our own timer gives (tells a timeout from the view going away).
const TIMEOUT_REASON: &str = "gateway-console:timeout";

/// A client for `<apiBase>/api/...` and `<apiBase>/apis/...`. Holds no credentials: the proxy
/// in front of the API server does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeClient {
    base: String,
    /// Longest wait for an answer (for streams: for the response headers), in ms.
    timeout_ms: u32,
}

/// One request's own AbortController: fires when the caller's signal fires (the view went
/// away) or when the timeout passes. Dropping it stops the timer and the forwarding.
struct Deadline {
    controller: AbortController,
    timer: Option<i32>,
    forward: Option<(AbortSignal, js_sys::Function)>,
}

impl Deadline {
    fn start(outer: Option<&AbortSignal>, timeout_ms: u32) -> Option<Deadline> {
        let controller = AbortController::new().ok()?;
        let window = web_sys::window()?;
        let method = |name: &str| {
            js_sys::Reflect::get(&controller, &JsValue::from_str(name))
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        };
        let abort = method("abort")?;
        let timer = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                abort
                    // an Error, not a string: fetch rejects with the reason, and gloo-net
                    // cannot handle a rejection that is not an Error (it panics)
                    .bind1(&controller, &js_sys::Error::new(TIMEOUT_REASON))
                    .unchecked_ref(),
                timeout_ms.min(i32::MAX as u32) as i32,
            )
            .ok();
        let forward = outer.map(|outer| {
            // Bound with its reason: as an event listener it would otherwise be called with the
            // `abort` Event, which then becomes the reason fetch rejects with — not an Error,
            // and gloo-net panics on that. An AbortError is what an abort without reason gives.
            let reason = web_sys::DomException::new_with_message_and_name(
                "the view that made the request went away",
                "AbortError",
            )
            .map(JsValue::from)
            .unwrap_or_else(|_| js_sys::Error::new("AbortError").into());
            let forward: js_sys::Function = abort.bind1(&controller, &reason).unchecked_into();
            if outer.aborted() {
                controller.abort();
            }
            let _ = outer.add_event_listener_with_callback("abort", &forward);
            (outer.clone(), forward)
        });
        Some(Deadline {
            controller,
            timer,
            forward,
        })
    }

    fn signal(&self) -> AbortSignal {
        self.controller.signal()
    }

    fn timed_out(&self) -> bool {
        self.controller
            .signal()
            .reason()
            .dyn_into::<js_sys::Error>()
            .is_ok_and(|e| e.message() == TIMEOUT_REASON)
    }

    /// Stops the timer but keeps following the caller's signal (a stream whose headers
    /// arrived: it lives until the view that opened it goes away).
    fn keep_forwarding(mut self) {
        if let (Some(timer), Some(window)) = (self.timer.take(), web_sys::window()) {
            window.clear_timeout_with_handle(timer);
        }
        self.forward = None;
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let (Some(timer), Some(window)) = (self.timer, web_sys::window()) {
            window.clear_timeout_with_handle(timer);
        }
        if let Some((outer, forward)) = &self.forward {
            let _ = outer.remove_event_listener_with_callback("abort", forward);
        }
    }
}

impl KubeClient {
    /// `base` is the configured `apiBase` (e.g. `/k8s` or `https://host/k8s`), no trailing slash.
    pub fn new(base: impl Into<String>) -> Self {
        KubeClient {
            base: base.into().trim_end_matches('/').to_string(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
        }
    }

    /// The same client with another request timeout (config.json `requestTimeoutSeconds`).
    pub fn with_timeout_ms(mut self, timeout_ms: u32) -> Self {
        self.timeout_ms = timeout_ms.max(1);
        self
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
    /// The timeout covers the wait for the response headers (and the error body).
    pub async fn send(
        &self,
        request: http::Request<Vec<u8>>,
        signal: Option<&AbortSignal>,
    ) -> Result<Response, ApiError> {
        let (response, _deadline) = self.send_with_deadline(request, signal).await?;
        Ok(response)
    }

    /// Sends under a fresh [`Deadline`] and returns it with the response: the caller keeps it
    /// while it reads the body (dropping it stops the timer). A `429 Too Many Requests` is sent
    /// again after the wait the server asks for (`Retry-After`), a few times, each attempt with
    /// its own deadline; the wait ends early when the view goes away.
    async fn send_with_deadline(
        &self,
        request: http::Request<Vec<u8>>,
        signal: Option<&AbortSignal>,
    ) -> Result<(Response, Option<Deadline>), ApiError> {
        let url = self.url_of(&request);
        let (parts, body) = request.into_parts();
        let mut retries = 0;
        loop {
            let deadline = Deadline::start(signal, self.timeout_ms);
            let fetch_signal = deadline.as_ref().map(Deadline::signal);
            let sent = fetch(&url, &parts, &body, fetch_signal.as_ref().or(signal)).await?;
            let response = match sent {
                Ok(response) => response,
                Err(_) if deadline.as_ref().is_some_and(Deadline::timed_out) => {
                    return Err(ApiError::Timeout { url })
                }
                Err(e) => return Err(network_error(&url, e)),
            };
            if response.ok() {
                return Ok((response, deadline));
            }
            let code = response.status();
            let retry_after = response.headers().get("retry-after");
            let body = response.text().await.unwrap_or_default();
            let error = ApiError::from_response(&url, code, &body);
            drop(deadline);
            if code == 429 {
                let asked = error
                    .status()
                    .and_then(|s| s.details.as_ref())
                    .map(|d| i64::from(d.retry_after_seconds))
                    .filter(|s| *s > 0);
                if let Some(wait) = throttle_wait_ms(retries, retry_after.as_deref(), asked) {
                    retries += 1;
                    sleep(wait, signal).await;
                    if signal.is_some_and(AbortSignal::aborted) {
                        return Err(ApiError::Aborted);
                    }
                    continue;
                }
            }
            return Err(error);
        }
    }

    /// Sends the request and decodes a JSON answer (the timeout covers the whole body).
    pub async fn json<T: DeserializeOwned>(
        &self,
        request: http::Request<Vec<u8>>,
        signal: Option<&AbortSignal>,
    ) -> Result<T, ApiError> {
        let url = self.url_of(&request);
        let (response, deadline) = self.send_with_deadline(request, signal).await?;
        let text = match response.text().await {
            Ok(text) => text,
            Err(_) if deadline.as_ref().is_some_and(Deadline::timed_out) => {
                return Err(ApiError::Timeout { url })
            }
            Err(e) => return Err(network_error(&url, e)),
        };
        drop(deadline);
        serde_json::from_str(&text).map_err(|e| ApiError::Decode {
            url,
            message: e.to_string(),
        })
    }

    /// Sends the request and returns the body as a stream (watches, followed logs). The
    /// timeout covers the response headers only: a stream is open for as long as it lasts, and
    /// ends when `signal` fires.
    pub async fn stream(
        &self,
        request: http::Request<Vec<u8>>,
        signal: Option<&AbortSignal>,
    ) -> Result<ReadableStream, ApiError> {
        let url = self.url_of(&request);
        let (response, deadline) = self.send_with_deadline(request, signal).await?;
        if let Some(deadline) = deadline {
            deadline.keep_forwarding();
        }
        response.body().ok_or(ApiError::Decode {
            url,
            message: "empty body".into(),
        })
    }
}

/// One fetch of a kube-core request (its parts, so that it can be sent again); the outer `Err`
/// is a request that could not be built.
async fn fetch(
    url: &str,
    parts: &http::request::Parts,
    body: &[u8],
    signal: Option<&AbortSignal>,
) -> Result<Result<Response, gloo_net::Error>, ApiError> {
    let mut builder = RequestBuilder::new(url)
        .method(convert_method(&parts.method))
        .abort_signal(signal);
    for (name, value) in &parts.headers {
        if let Ok(value) = value.to_str() {
            builder = builder.header(name.as_str(), value);
        }
    }
    builder = builder.header("Accept", "application/json");
    if body.is_empty() {
        return Ok(builder.send().await);
    }
    let text = std::str::from_utf8(body).map_err(|e| ApiError::Decode {
        url: url.to_string(),
        message: e.to_string(),
    })?;
    Ok(match builder.body(text) {
        Ok(r) => r.send().await,
        Err(e) => Err(e),
    })
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

/// The configured API client (a context provided once `config.json` is read).
pub fn use_client() -> KubeClient {
    leptos::prelude::expect_context::<KubeClient>()
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

/// For a view that re-sends a request when its inputs change: each call gives the signal of the
/// new request and aborts the previous one; the last is aborted when the view is cleaned up.
pub fn abort_previous_on_rerun() -> impl Fn() -> Option<AbortSignal> + Copy + 'static {
    use leptos::prelude::{StoredValue, UpdateValue};
    let current = StoredValue::new_local(None::<AbortController>);
    on_cleanup(move || {
        current.try_update_value(|c| c.take().map(|c| c.abort()));
    });
    move || {
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        current.try_update_value(|c| std::mem::replace(c, controller).map(|old| old.abort()));
        signal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::Namespace;
    use kube_core::params::{ListParams, WatchParams};
    use kube_core::Request;
    use kube_core::Resource;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
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

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
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
