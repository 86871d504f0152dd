//! List + watch as one reusable piece: list, then stream newline-delimited `WatchEvent`s from the
//! list's resourceVersion, resume from the last seen resourceVersion when the server closes the
//! stream, re-list on 410 Gone, back off on failures. What to do with the data is the caller's
//! business (the state layer feeds a pure watch-cache reducer).

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Reflect, Uint8Array};
use kube_core::params::{ListParams, WatchParams};
use kube_core::{ObjectList, Request, WatchEvent};
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, ReadableStreamDefaultReader, TextDecodeOptions, TextDecoder};

use gateway_model::reconnect::{Reconnect, StreamEnd};

use super::client::{is_abort, KubeClient};
use super::error::ApiError;

/// Seconds the server may keep one watch open before we reconnect (below common proxy timeouts).
pub const WATCH_TIMEOUT_SECONDS: u32 = 290;
/// Longest single line accepted from a stream (a watch event of a huge object, or a log line).
pub const MAX_LINE_BYTES: usize = 8 * 1024 * 1024;

/// What a list+watch loop reports.
pub enum WatchUpdate<K: Clone> {
    /// A (re-)list: the complete current state.
    Listed(ObjectList<K>),
    /// One event from the watch stream.
    Event(WatchEvent<K>),
    /// The loop is streaming (after a list or a resumed watch).
    Live,
    /// A request failed; the loop retries after `retry_in_ms`.
    Failed { error: ApiError, retry_in_ms: u32 },
}

/// Splits a byte stream decoded as UTF-8 into complete lines, keeping the unfinished tail.
#[derive(Default, Debug)]
pub struct LineBuffer {
    pending: String,
}

impl LineBuffer {
    /// Appends text; returns the complete, non-empty lines. A line longer than
    /// [`MAX_LINE_BYTES`] is an error (the buffer is bounded).
    pub fn push(&mut self, text: &str) -> Result<Vec<String>, String> {
        self.pending.push_str(text);
        let mut lines = Vec::new();
        while let Some(pos) = self.pending.find('\n') {
            let line: String = self.pending.drain(..=pos).collect();
            let line = line.trim_end_matches(['\n', '\r']);
            if !line.is_empty() {
                lines.push(line.to_string());
            }
        }
        if self.pending.len() > MAX_LINE_BYTES {
            self.pending.clear();
            return Err(format!("a line is longer than {MAX_LINE_BYTES} bytes"));
        }
        Ok(lines)
    }

    /// The unfinished tail, if any (for streams that end without a newline).
    pub fn finish(&mut self) -> Option<String> {
        let rest = std::mem::take(&mut self.pending);
        (!rest.trim().is_empty()).then_some(rest)
    }
}

/// Jitter for the reconnect policy: a random number in 0…1.
fn random() -> f64 {
    js_sys::Math::random()
}

/// A watch that sent nothing for this long past its own `timeoutSeconds` is restarted (a proxy
/// that silently dropped the connection would otherwise leave the page stale for ever).
pub const SILENCE_MARGIN_MS: u32 = 30_000;

/// The resourceVersion to resume from after an event (objects and bookmarks carry one).
fn event_resource_version<K: kube_core::Resource>(event: &WatchEvent<K>) -> Option<String> {
    match event {
        WatchEvent::Added(o) | WatchEvent::Modified(o) | WatchEvent::Deleted(o) => {
            o.meta().resource_version.clone()
        }
        WatchEvent::Bookmark(b) => Some(b.metadata.resource_version.clone()),
        WatchEvent::Error(_) => None,
    }
}

/// Lists everything, in chunks of `params.limit` when it is set (following `continue` tokens,
/// as `kubectl get --chunk-size` does): each response stays small, and all chunks belong to
/// the snapshot of the first, whose resourceVersion the watch starts from. An expired token
/// (410) restarts the list.
pub async fn list_all<K>(
    client: &KubeClient,
    request: &Request,
    params: &ListParams,
    signal: Option<&AbortSignal>,
) -> Result<ObjectList<K>, ApiError>
where
    K: DeserializeOwned + Clone,
{
    let mut attempts = 0;
    'restart: loop {
        let mut params = params.clone();
        params.continue_token = None;
        let mut all: Option<ObjectList<K>> = None;
        loop {
            let list = request.list(&params)?;
            let chunk = match client.json::<ObjectList<K>>(list, signal).await {
                Ok(chunk) => chunk,
                Err(e) if e.is_gone() && all.is_some() && attempts < 3 => {
                    attempts += 1;
                    continue 'restart;
                }
                Err(e) => return Err(e),
            };
            let next = chunk.metadata.continue_.clone().filter(|c| !c.is_empty());
            match &mut all {
                None => all = Some(chunk),
                Some(acc) => acc.items.extend(chunk.items),
            }
            match next {
                Some(token) if params.limit.is_some() => params.continue_token = Some(token),
                _ => break,
            }
        }
        let mut all = all.expect("at least one chunk");
        all.metadata.continue_ = None;
        all.metadata.remaining_item_count = None;
        return Ok(all);
    }
}

/// Runs list+watch until `stopped` is set or `signal` aborts. `on_update` receives every
/// update in order. Never returns an error and never gives up: every failure is reported (the
/// sync badge shows it), waited out per [`Reconnect`] and recovered from by resuming or
/// re-listing.
pub async fn list_watch<K, F>(
    client: KubeClient,
    request: Request,
    list_params: ListParams,
    signal: Option<AbortSignal>,
    stopped: Rc<Cell<bool>>,
    on_update: F,
) where
    K: kube_core::Resource + DeserializeOwned + Clone + 'static,
    F: Fn(WatchUpdate<K>),
{
    let mut policy = Reconnect::new();
    let mut resume_from: Option<String> = None;
    while !stopped.get() {
        let resource_version = match resume_from.clone() {
            Some(rv) => rv,
            None => match list_all::<K>(&client, &request, &list_params, signal.as_ref()).await {
                Ok(list) => {
                    policy.listed();
                    let rv = list.metadata.resource_version.clone().unwrap_or_default();
                    on_update(WatchUpdate::Listed(list));
                    rv
                }
                Err(ApiError::Aborted) => return,
                Err(error) => {
                    let retry_in_ms = policy.list_failed(random());
                    on_update(WatchUpdate::Failed { error, retry_in_ms });
                    sleep(retry_in_ms, signal.as_ref()).await;
                    continue;
                }
            },
        };
        if stopped.get() {
            return;
        }
        let mut watch_params = WatchParams::default().timeout(WATCH_TIMEOUT_SECONDS);
        watch_params.label_selector = list_params.label_selector.clone();
        watch_params.field_selector = list_params.field_selector.clone();
        let opened = match request.watch(&watch_params, &resource_version) {
            Ok(watch) => {
                let url = client.url_of(&watch);
                client
                    .stream(watch, signal.as_ref())
                    .await
                    .map(|s| (s, url))
            }
            Err(e) => Err(ApiError::from(e)),
        };
        let (stream, url) = match opened {
            Ok(opened) => opened,
            Err(ApiError::Aborted) => return,
            Err(error) => {
                let next = policy.watch_failed(error.is_gone(), random());
                if next.report {
                    on_update(WatchUpdate::Failed {
                        error,
                        retry_in_ms: next.wait_ms,
                    });
                }
                resume_from = None;
                sleep(next.wait_ms, signal.as_ref()).await;
                continue;
            }
        };
        on_update(WatchUpdate::Live);
        let started = now_ms();
        let mut last_rv = resource_version;
        let mut events = 0usize;
        let mut end = None::<(StreamEnd, ApiError)>;
        let outcome = read_lines(
            stream,
            &stopped,
            Some((WATCH_TIMEOUT_SECONDS * 1000).saturating_add(SILENCE_MARGIN_MS)),
            |line| match serde_json::from_str::<WatchEvent<K>>(line) {
                Ok(WatchEvent::Error(status)) => {
                    let gone =
                        status.code == 410 || status.reason == "Expired" || status.reason == "Gone";
                    let kind = if gone {
                        StreamEnd::Gone
                    } else {
                        StreamEnd::ServerError
                    };
                    end = Some((
                        kind,
                        ApiError::Status {
                            url: url.clone(),
                            status,
                        },
                    ));
                    false
                }
                Ok(event) => {
                    events += 1;
                    if let Some(rv) = event_resource_version(&event).filter(|rv| !rv.is_empty()) {
                        last_rv = rv;
                    }
                    on_update(WatchUpdate::Event(event));
                    true
                }
                Err(e) => {
                    end = Some((
                        StreamEnd::Undecodable,
                        ApiError::Decode {
                            url: url.clone(),
                            message: e.to_string(),
                        },
                    ));
                    false
                }
            },
        )
        .await;
        let (kind, error) = match (outcome, end) {
            (ReadEnd::Aborted, _) => return,
            (_, Some(end)) => end,
            (ReadEnd::Closed, None) => (StreamEnd::Closed, ApiError::Aborted),
            (ReadEnd::Silent, None) => (StreamEnd::Silent, ApiError::Timeout { url: url.clone() }),
            (ReadEnd::Failed(message), None) => (
                StreamEnd::ReadFailed,
                ApiError::Network {
                    url: url.clone(),
                    message,
                },
            ),
        };
        let next = policy.stream_ended(kind, now_ms() - started, events, random());
        if next.report {
            on_update(WatchUpdate::Failed {
                error,
                retry_in_ms: next.wait_ms,
            });
        }
        resume_from = (!next.relist).then_some(last_rv);
        sleep(next.wait_ms, signal.as_ref()).await;
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// How reading a stream ended.
pub enum ReadEnd {
    /// The server closed it (normal for watches after `timeoutSeconds`), or `on_line` asked
    /// to stop.
    Closed,
    /// Our AbortSignal fired or `stopped` was set.
    Aborted,
    /// A read failed.
    Failed(String),
    /// Nothing arrived within the silence limit; the stream was cancelled.
    Silent,
}

/// Reads a byte stream as UTF-8 lines, calling `on_line` for each until it returns false.
pub async fn read_lines(
    stream: web_sys::ReadableStream,
    stopped: &Cell<bool>,
    silence_ms: Option<u32>,
    mut on_line: impl FnMut(&str) -> bool,
) -> ReadEnd {
    let Ok(decoder) = TextDecoder::new() else {
        return ReadEnd::Failed(String::new());
    };
    let options = TextDecodeOptions::new();
    options.set_stream(true);
    let mut lines = LineBuffer::default();
    let mut failure = None;
    let mut refused = false;
    let end = read_chunks(stream, stopped, silence_ms, |bytes| {
        let text = decoder
            .decode_with_js_u8_array_and_options(bytes, &options)
            .unwrap_or_default();
        match lines.push(&text) {
            Ok(complete) => {
                refused = !complete.iter().all(|line| on_line(line));
                !refused
            }
            Err(message) => {
                failure = Some(message);
                false
            }
        }
    })
    .await;
    if let Some(message) = failure {
        return ReadEnd::Failed(message);
    }
    if matches!(end, ReadEnd::Closed) && !refused {
        if let Some(rest) = lines.finish() {
            on_line(&rest);
        }
    }
    end
}

/// Reads a byte stream chunk by chunk, calling `on_chunk` for each until it returns false (then
/// the stream is cancelled and the result is [`ReadEnd::Closed`]). `silence_ms`: a stream that
/// sends nothing for this long is cancelled ([`ReadEnd::Silent`]).
pub async fn read_chunks(
    stream: web_sys::ReadableStream,
    stopped: &Cell<bool>,
    silence_ms: Option<u32>,
    mut on_chunk: impl FnMut(&Uint8Array) -> bool,
) -> ReadEnd {
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    loop {
        if stopped.get() {
            let _ = reader.cancel();
            return ReadEnd::Aborted;
        }
        let read = match silence_ms {
            None => JsFuture::from(reader.read()).await,
            Some(ms) => {
                let (timer, id) = timer(ms);
                let first = js_sys::Promise::race(&js_sys::Array::of2(&reader.read(), &timer));
                let result = JsFuture::from(first).await;
                clear_timer(id);
                if matches!(&result, Ok(v) if v.as_string().as_deref() == Some(SILENT)) {
                    let _ = reader.cancel();
                    return ReadEnd::Silent;
                }
                result
            }
        };
        let chunk = match read {
            Ok(chunk) => chunk,
            Err(e) if is_abort(&e) => return ReadEnd::Aborted,
            Err(e) => return ReadEnd::Failed(js_error_text(&e)),
        };
        let done = Reflect::get(&chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return ReadEnd::Closed;
        }
        if stopped.get() {
            let _ = reader.cancel();
            return ReadEnd::Aborted;
        }
        let value = Reflect::get(&chunk, &JsValue::from_str("value")).unwrap_or(JsValue::UNDEFINED);
        let bytes: Uint8Array = value.unchecked_into();
        if !on_chunk(&bytes) {
            let _ = reader.cancel();
            return ReadEnd::Closed;
        }
    }
}

/// What the silence timer resolves with.
const SILENT: &str = "gateway-console:silent";

/// A promise resolving with [`SILENT`] after `ms`, and its timer id.
fn timer(ms: u32) -> (js_sys::Promise, Option<i32>) {
    let mut id = None;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            id = window
                .set_timeout_with_callback_and_timeout_and_arguments_1(
                    &resolve,
                    ms.min(i32::MAX as u32) as i32,
                    &JsValue::from_str(SILENT),
                )
                .ok();
        }
    });
    (promise, id)
}

fn clear_timer(id: Option<i32>) {
    if let (Some(id), Some(window)) = (id, web_sys::window()) {
        window.clear_timeout_with_handle(id);
    }
}

/// The readable text of a JS rejection (an Error's message, or the value as a string).
pub fn js_error_text(value: &JsValue) -> String {
    if let Some(text) = value.as_string() {
        return text;
    }
    Reflect::get(value, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_default()
}

/// Resolves after `ms` milliseconds, or at once when `signal` fires: a loop whose view went
/// away ends immediately instead of sleeping out its backoff.
pub async fn sleep(ms: u32, signal: Option<&AbortSignal>) {
    if ms == 0 {
        return;
    }
    if signal.is_some_and(AbortSignal::aborted) {
        return;
    }
    let (promise, id) = timer(ms);
    let woken = match signal {
        Some(signal) => {
            let abort = js_sys::Promise::new(&mut |resolve, _| {
                let _ = signal.add_event_listener_with_callback("abort", &resolve);
            });
            js_sys::Promise::race(&js_sys::Array::of2(&promise, &abort))
        }
        None => promise,
    };
    let _ = JsFuture::from(woken).await;
    clear_timer(id);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn lines_are_split_across_chunks() {
        let mut b = LineBuffer::default();
        assert_eq!(b.push("{\"a\":").unwrap(), Vec::<String>::new());
        assert_eq!(b.push("1}\n{\"b\"").unwrap(), vec!["{\"a\":1}"]);
        assert_eq!(b.push(":2}\r\n\n").unwrap(), vec!["{\"b\":2}"]);
        assert_eq!(b.push("tail").unwrap(), Vec::<String>::new());
        assert_eq!(b.finish().as_deref(), Some("tail"));
        assert_eq!(b.finish(), None);
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn line_buffer_is_bounded() {
        let mut b = LineBuffer::default();
        let big = "x".repeat(MAX_LINE_BYTES + 1);
        assert!(b.push(&big).is_err());
        assert_eq!(b.push("ok\n").unwrap(), vec!["ok"]);
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn watch_events_decode() {
        use k8s_openapi::api::core::v1::Namespace;
        let added: WatchEvent<Namespace> =
            serde_json::from_str(r#"{"type":"ADDED","object":{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo","resourceVersion":"7"}}}"#).unwrap();
        assert_eq!(event_resource_version(&added).as_deref(), Some("7"));
        let bookmark: WatchEvent<Namespace> =
            serde_json::from_str(r#"{"type":"BOOKMARK","object":{"apiVersion":"v1","kind":"Namespace","metadata":{"resourceVersion":"12"}}}"#).unwrap();
        assert_eq!(event_resource_version(&bookmark).as_deref(), Some("12"));
        let gone: WatchEvent<Namespace> =
            serde_json::from_str(r#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}"#).unwrap();
        assert!(matches!(gone, WatchEvent::Error(s) if s.code == 410));
    }
}
