//! A gateway's pod logs in the page: one bounded [`LogBuffer`] fed by one request per pod (the
//! window, then — for the pods the connection budget allows — the followed stream), merged by
//! time. A followed stream that ends is resumed from its last timestamp with no duplicate and
//! no gap (`gateway_model::logs::stream`). The buffer is not a signal (200,000 lines): views
//! re-read it when [`LogSession::revision`] moves, at most once per animation frame.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use gateway_model::logs::request::{follow_plan, LogRequest};
use gateway_model::logs::view_state::LogViewState;
use gateway_model::logs::{AccessParser, LogBuffer, PodStream};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use web_sys::AbortController;

use crate::api::pod_logs::read_pod_log;
use crate::api::watch::{sleep, ReadEnd};
use crate::api::{ApiError, KubeClient};

/// Where one pod's log stands.
#[derive(Clone, Debug, PartialEq)]
pub enum PodLogStatus {
    /// The window is being read.
    Loading,
    /// The window has arrived and new lines stream in.
    Following,
    /// The window has arrived (not followed).
    Loaded,
    /// Loaded, but not followed: the connection budget is used up.
    NotFollowed,
    /// The followed stream ended or failed; it is requested again from its last line.
    Reconnecting(ApiError),
    /// The request failed (the server's message); not retried.
    Failed(ApiError),
    /// The pod is gone; its lines stay.
    Gone,
}

/// What the requests depend on: a change restarts them all (and empties the buffer).
#[derive(Clone, Debug, PartialEq)]
pub struct LogSource {
    pub pods: Vec<String>,
    pub container: String,
    pub previous: bool,
    pub window: gateway_model::logs::view_state::LogWindow,
    pub follow: bool,
}

impl LogSource {
    pub fn of(state: &LogViewState) -> Self {
        LogSource {
            pods: state.pods.clone(),
            container: state.container.clone(),
            previous: state.previous,
            window: state.window,
            follow: state.effective_follow(),
        }
    }

    fn selects(&self, pod: &str) -> bool {
        self.pods.is_empty() || self.pods.iter().any(|p| p == pod)
    }
}

struct Generation {
    source: Option<LogSource>,
    stopped: Rc<Cell<bool>>,
    abort: Option<AbortController>,
    started: BTreeSet<String>,
    followed: usize,
}

impl Generation {
    fn stop(&mut self) {
        self.stopped.set(true);
        if let Some(abort) = self.abort.take() {
            abort.abort();
        }
    }
}

/// The logs of the pods shown, and the requests that feed them.
#[derive(Clone, Copy)]
pub struct LogSession {
    buffer: StoredValue<LogBuffer, LocalStorage>,
    /// Moves when lines arrived or the buffer was emptied (at most once per animation frame).
    pub revision: RwSignal<u64>,
    /// Per pod (by name).
    pub status: RwSignal<BTreeMap<String, PodLogStatus>>,
    /// Window requests (not followed) still in flight.
    pub pending: RwSignal<usize>,
    generation: StoredValue<Generation, LocalStorage>,
    flush_scheduled: StoredValue<bool>,
    /// The custom access format last set (`None`: never set).
    access_format: StoredValue<Option<Option<String>>>,
}

impl LogSession {
    /// A session whose requests stop when the current view goes away.
    pub fn new(capacity: usize) -> Self {
        let session = LogSession {
            buffer: StoredValue::new_local(LogBuffer::new(capacity)),
            revision: RwSignal::new(0),
            status: RwSignal::new(BTreeMap::new()),
            pending: RwSignal::new(0),
            generation: StoredValue::new_local(Generation {
                source: None,
                stopped: Rc::new(Cell::new(true)),
                abort: None,
                started: BTreeSet::new(),
                followed: 0,
            }),
            flush_scheduled: StoredValue::new(false),
            access_format: StoredValue::new(None),
        };
        let generation = SendWrapper::new(session.generation);
        on_cleanup(move || {
            generation.try_update_value(Generation::stop);
        });
        session
    }

    /// Reads the buffer (`None` once the view is gone).
    pub fn with_buffer<R>(&self, f: impl FnOnce(&LogBuffer) -> R) -> Option<R> {
        self.buffer.try_with_value(f)
    }

    /// The parser of access lines (the gateway's own `log-format-upstream`, if it has one).
    pub fn set_access_format(&self, custom: Option<String>) {
        let same = self
            .access_format
            .try_with_value(|last| last.as_ref() == Some(&custom))
            .unwrap_or(true);
        if same {
            return;
        }
        self.access_format.try_set_value(Some(custom.clone()));
        let changed = self
            .buffer
            .try_update_value(|b| b.set_access_parser(AccessParser::new(custom.as_deref())))
            .is_some();
        if changed {
            self.schedule_flush();
        }
    }

    /// Points the session at `source`: when it changed, every request stops, the buffer is
    /// emptied and the pods are requested again; then pods that appeared are started and pods
    /// that went away are marked.
    pub fn sync(
        &self,
        client: &KubeClient,
        namespace: &str,
        source: &LogSource,
        pods: &[String],
        follow_budget: usize,
    ) {
        let restart = self
            .generation
            .try_with_value(|g| g.source.as_ref() != Some(source))
            .unwrap_or(false);
        if restart {
            self.generation.try_update_value(|g| {
                g.stop();
                *g = Generation {
                    source: Some(source.clone()),
                    stopped: Rc::new(Cell::new(false)),
                    abort: AbortController::new().ok(),
                    started: BTreeSet::new(),
                    followed: 0,
                };
            });
            self.buffer.try_update_value(LogBuffer::clear);
            self.status.try_set(BTreeMap::new());
            self.pending.try_set(0);
            self.schedule_flush();
        }
        // pods that went away
        let present: BTreeSet<&str> = pods.iter().map(String::as_str).collect();
        let gone: Vec<String> = self
            .status
            .try_with_untracked(|s| {
                s.iter()
                    .filter(|(name, st)| {
                        !present.contains(name.as_str()) && **st != PodLogStatus::Gone
                    })
                    .map(|(name, _)| name.clone())
                    .collect()
            })
            .unwrap_or_default();
        for name in gone {
            self.buffer
                .try_update_value(|b| b.pods_mut().mark_gone(&name));
            self.set_status(&name, PodLogStatus::Gone);
        }
        // pods to start: the selected ones not started yet; followed while the budget lasts
        let Some((stopped, signal, started, followed)) = self.generation.try_with_value(|g| {
            (
                g.stopped.clone(),
                g.abort.as_ref().map(AbortController::signal),
                g.started.clone(),
                g.followed,
            )
        }) else {
            return;
        };
        let new: Vec<&str> = pods
            .iter()
            .map(String::as_str)
            .filter(|p| source.selects(p) && !started.contains(*p))
            .collect();
        if new.is_empty() {
            return;
        }
        let preferred: Vec<&str> = source.pods.iter().map(String::as_str).collect();
        let plan = follow_plan(
            &new,
            &preferred,
            if source.follow {
                follow_budget.saturating_sub(followed)
            } else {
                0
            },
        );
        for pod in new {
            let follow = plan.followed.iter().any(|p| p == pod);
            let Some(index) = self
                .buffer
                .try_update_value(|b| b.pods_mut().intern(pod))
                .flatten()
            else {
                continue;
            };
            self.generation.try_update_value(|g| {
                g.started.insert(pod.to_string());
                g.followed += usize::from(follow);
            });
            let state = LogViewState {
                container: source.container.clone(),
                previous: source.previous,
                window: source.window,
                ..LogViewState::default()
            };
            let capacity = self.buffer.try_with_value(LogBuffer::capacity).unwrap_or(0);
            let mut request = LogRequest::of_view(&state, follow);
            request.max_lines = capacity as i64;
            let task = PodTask {
                session: *self,
                client: client.clone(),
                namespace: namespace.to_string(),
                pod: pod.to_string(),
                stream: PodStream::new(index, source.previous, source.window),
                request,
                follow,
                not_followed: source.follow && !follow,
                stopped: stopped.clone(),
                signal: signal.clone(),
            };
            leptos::task::spawn_local(task.run());
        }
    }

    fn set_status(&self, pod: &str, status: PodLogStatus) {
        self.status.try_update(|s| {
            s.insert(pod.to_string(), status);
        });
    }

    /// Bumps the revision on the next animation frame (many chunks → one repaint).
    fn schedule_flush(&self) {
        if self.flush_scheduled.try_get_value().unwrap_or(true) {
            return;
        }
        self.flush_scheduled.try_set_value(true);
        let (flag, revision) = (self.flush_scheduled, self.revision);
        request_animation_frame(move || {
            flag.try_set_value(false);
            revision.try_update(|r| *r += 1);
        });
    }
}

/// One pod's requests.
struct PodTask {
    session: LogSession,
    client: KubeClient,
    namespace: String,
    pod: String,
    stream: PodStream,
    request: LogRequest,
    follow: bool,
    not_followed: bool,
    stopped: Rc<Cell<bool>>,
    signal: Option<web_sys::AbortSignal>,
}

/// Waits between attempts of a followed stream (ms): 1 s, doubling, at most 30 s; a stream that
/// delivered lines starts over at 1 s.
fn backoff(attempt: u32) -> u32 {
    1000u32.saturating_mul(1 << attempt.min(5)).min(30_000)
}

impl PodTask {
    async fn run(mut self) {
        let session = self.session;
        session.set_status(&self.pod, PodLogStatus::Loading);
        if !self.follow {
            session.pending.try_update(|n| *n += 1);
        }
        let mut attempt = 0u32;
        let mut request = self.request.clone();
        loop {
            let before = self.stream.lines();
            let stream = &mut self.stream;
            let result = read_pod_log(
                &self.client,
                &self.namespace,
                &self.pod,
                &request,
                self.signal.as_ref(),
                &self.stopped,
                |bytes| {
                    session.buffer.try_update_value(|b| stream.feed(bytes, b));
                    session.schedule_flush();
                    if request.follow {
                        session.set_status(&self.pod, PodLogStatus::Following);
                    }
                },
            )
            .await;
            if self.stopped.get() {
                return;
            }
            let error = match result {
                Ok(ReadEnd::Aborted) | Err(ApiError::Aborted) => return,
                Ok(ReadEnd::Closed) if !request.follow => None,
                Ok(ReadEnd::Closed) => Some(None),
                Ok(ReadEnd::Failed(message)) => Some(Some(ApiError::Network {
                    url: self.pod.clone(),
                    message,
                })),
                Ok(ReadEnd::Silent) => Some(None),
                Err(error) => {
                    // an answer (400 container not started, 403, 404): said, not retried
                    let retry = self.follow && matches!(error, ApiError::Network { .. });
                    if !retry {
                        self.stream.finish_into(session);
                        session.set_status(&self.pod, PodLogStatus::Failed(error));
                        if !self.follow {
                            session.pending.try_update(|n| *n = n.saturating_sub(1));
                        }
                        return;
                    }
                    Some(Some(error))
                }
            };
            match error {
                None => {
                    // a window read to its end
                    self.stream.finish_into(session);
                    session.set_status(
                        &self.pod,
                        if self.not_followed {
                            PodLogStatus::NotFollowed
                        } else {
                            PodLogStatus::Loaded
                        },
                    );
                    session.pending.try_update(|n| *n = n.saturating_sub(1));
                    return;
                }
                Some(error) => {
                    let gone = session
                        .status
                        .try_with_untracked(|s| s.get(&self.pod) == Some(&PodLogStatus::Gone))
                        .unwrap_or(true);
                    if gone {
                        self.stream.finish_into(session);
                        return;
                    }
                    if self.stream.lines() > before {
                        attempt = 0;
                    }
                    let since = self.stream.reconnect();
                    request = self.request.resuming(since);
                    let wait = if error.is_none() && attempt == 0 {
                        0
                    } else {
                        backoff(attempt)
                    };
                    if let Some(error) = error {
                        session.set_status(&self.pod, PodLogStatus::Reconnecting(error));
                    }
                    attempt += 1;
                    sleep(wait, self.signal.as_ref()).await;
                    if self.stopped.get() {
                        return;
                    }
                }
            }
        }
    }
}

trait FinishInto {
    fn finish_into(&mut self, session: LogSession);
}

impl FinishInto for PodStream {
    /// The body ended for good: its last line without `\n` goes in too.
    fn finish_into(&mut self, session: LogSession) {
        if session
            .buffer
            .try_update_value(|b| self.finish(b))
            .unwrap_or(0)
            > 0
        {
            session.schedule_flush();
        }
    }
}
