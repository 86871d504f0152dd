//! What to request from the API: the `pods/{name}/log` URL of each pod stream (built by
//! kube-core's `Request::logs`), and which pods can be followed at once.
//!
//! Browsers open at most 6 HTTP/1.1 connections per host, and every followed pod holds one
//! for as long as it is followed (so do the page's watches). [`follow_plan`] follows the pods
//! the user chose first, up to the budget; the others are loaded once (no `follow`) and can be
//! refreshed or swapped in.

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::jiff::Timestamp;
use kube_core::subresource::LogParams;
use kube_core::{Request, Resource};

use super::buffer::DEFAULT_CAPACITY;
use super::view_state::{LogViewState, LogWindow};

/// Connections a browser opens per host over HTTP/1.1.
pub const BROWSER_CONNECTIONS_PER_HOST: usize = 6;
/// `limitBytes` of every request: a safety net well above what the buffer keeps (the kubelet
/// keeps about 10 MiB per container by default). It bounds a whole followed stream too: when
/// it ends, the viewer resumes with [`super::resume::ResumeCursor`].
pub const LIMIT_BYTES: i64 = 64 * 1024 * 1024;

/// Pods split by whether they get a following stream.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FollowPlan {
    /// Followed, in order: the preferred ones first.
    pub followed: Vec<String>,
    /// Loaded once (over budget).
    pub not_followed: Vec<String>,
}

/// How many pods can be followed when the page already holds `other_streams` long-lived
/// connections (watches) to the same host (HTTP/1.1; over HTTP/2 there is no such limit).
pub fn follow_budget(other_streams: usize) -> usize {
    BROWSER_CONNECTIONS_PER_HOST.saturating_sub(other_streams)
}

/// Chooses the followed pods: `preferred` (those the user picked, in `pods` order) first, then
/// the rest of `pods` in order, up to `budget`. Duplicates and preferred names that are not in
/// `pods` are ignored.
pub fn follow_plan(pods: &[&str], preferred: &[&str], budget: usize) -> FollowPlan {
    let mut unique: Vec<&str> = Vec::with_capacity(pods.len());
    for p in pods {
        if !unique.contains(p) {
            unique.push(p);
        }
    }
    let (first, rest): (Vec<&str>, Vec<&str>) =
        unique.into_iter().partition(|p| preferred.contains(p));
    let mut plan = FollowPlan::default();
    for p in first.into_iter().chain(rest) {
        if plan.followed.len() < budget {
            plan.followed.push(p.to_string());
        } else {
            plan.not_followed.push(p.to_string());
        }
    }
    plan
}

/// One pod log request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRequest {
    /// Container.
    pub container: String,
    /// Previous instance (never followed).
    pub previous: bool,
    /// Which lines.
    pub window: LogWindow,
    /// Keep the stream open.
    pub follow: bool,
    /// Resume after this second (the [`super::resume::ResumeCursor::since_time_seconds`]);
    /// replaces the window.
    pub resume_from: Option<i64>,
    /// Most lines per pod (the buffer capacity: older ones would be dropped anyway).
    pub max_lines: i64,
}

impl LogRequest {
    /// The request of a view for one pod (`follow` as planned for that pod).
    pub fn of_view(state: &LogViewState, follow: bool) -> Self {
        LogRequest {
            container: state.container.clone(),
            previous: state.previous,
            window: state.window,
            follow: follow && state.effective_follow(),
            resume_from: None,
            max_lines: DEFAULT_CAPACITY as i64,
        }
    }

    /// The same request resuming after a stream ended.
    pub fn resuming(&self, since_seconds: Option<i64>) -> Self {
        LogRequest {
            resume_from: since_seconds.or(self.resume_from),
            ..self.clone()
        }
    }

    /// kube-core's parameters: always `timestamps=true` and `limitBytes`; `tailLines` (capped
    /// by `max_lines`, also with a time window); `sinceSeconds` or a second-precision
    /// `sinceTime`.
    pub fn params(&self) -> LogParams {
        let mut lp = LogParams {
            container: Some(self.container.clone()).filter(|c| !c.is_empty()),
            follow: self.follow && !self.previous,
            limit_bytes: Some(LIMIT_BYTES),
            previous: self.previous,
            timestamps: true,
            ..LogParams::default()
        };
        let cap = self.max_lines.max(1);
        if let Some(s) = self.resume_from {
            // whole seconds: kube-core rounds sinceTime to the nearest second, which must not
            // move it past the cursor
            lp.since_time = Timestamp::from_second(s).ok();
            return lp;
        }
        match self.window {
            LogWindow::Tail(t) => lp.tail_lines = Some(t.lines().unwrap_or(cap).min(cap)),
            LogWindow::Since(s) => {
                lp.since_seconds = Some(s.seconds());
                lp.tail_lines = Some(cap);
            }
            LogWindow::Custom { start, .. } => {
                lp.since_time = Timestamp::from_second(start).ok();
            }
        }
        lp
    }

    /// Path and query of `GET /api/v1/namespaces/{ns}/pods/{pod}/log?…` (to put under the API
    /// prefix); `None` when kube-core refuses the name.
    pub fn url(&self, namespace: &str, pod: &str) -> Option<String> {
        let req = Request::new(Pod::url_path(&(), Some(namespace)));
        let r = req.logs(pod, &self.params()).ok()?;
        Some(r.uri().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::view_state::{Since, Tail};

    #[test]
    fn plans_preferred_pods_first() {
        let pods = ["a", "b", "c", "d", "b"];
        let plan = follow_plan(&pods, &["d", "x"], 2);
        assert_eq!(plan.followed, ["d", "a"]);
        assert_eq!(plan.not_followed, ["b", "c"]);
        let all = follow_plan(&pods, &[], 10);
        assert_eq!(all.followed, ["a", "b", "c", "d"]);
        assert!(all.not_followed.is_empty());
        assert!(follow_plan(&pods, &[], 0).followed.is_empty());
        assert_eq!(follow_budget(2), 4);
        assert_eq!(follow_budget(9), 0);
    }

    fn url(r: &LogRequest) -> String {
        r.url("kubesphere-controls-system", "router-1").unwrap()
    }

    #[test]
    fn urls() {
        let state = LogViewState::default();
        let r = LogRequest::of_view(&state, true);
        assert_eq!(
            url(&r),
            "/api/v1/namespaces/kubesphere-controls-system/pods/router-1/log?&container=controller&follow=true&limitBytes=67108864&tailLines=1000&timestamps=true"
        );
        let all = LogRequest {
            window: LogWindow::Tail(Tail::All),
            ..r.clone()
        };
        assert!(url(&all).contains("tailLines=200000"));
        let since = LogRequest {
            window: LogWindow::Since(Since::Hour1),
            follow: false,
            ..r.clone()
        };
        let u = url(&since);
        assert!(
            u.contains("sinceSeconds=3600")
                && u.contains("tailLines=200000")
                && !u.contains("follow")
        );
        let resumed = r.resuming(Some(1_662_372_932));
        let u = url(&resumed);
        assert!(u.contains("sinceTime=2022-09-05T10%3A15%3A32Z"), "{u}");
        assert!(!u.contains("tailLines") && u.contains("follow=true"));
        assert_eq!(resumed.resuming(None).resume_from, Some(1_662_372_932));
        let custom = LogViewState {
            window: LogWindow::Custom {
                start: 1_662_372_932,
                end: 1_662_372_999,
            },
            previous: true,
            ..LogViewState::default()
        };
        let r = LogRequest::of_view(&custom, true);
        let u = url(&r);
        assert!(
            u.contains("previous=true") && u.contains("sinceTime=") && !u.contains("follow"),
            "{u}"
        );
        // hostile names are encoded or refused, never a panic
        let _ = r.url("ns", "a/b?c=d&e");
        let _ = r.url("", "");
        let empty_container = LogRequest {
            container: String::new(),
            ..r
        };
        assert!(!url(&empty_container).contains("container="));
    }
}
