//! `LiveList<K>`: a reactive, keyed cache of Kubernetes objects kept current by list+watch.
//! The pure reducer (`gateway_model::watch_cache::WatchCache`) does the bookkeeping; this file
//! only wires it to signals and to the view's lifetime (requests abort on cleanup).

use std::cell::Cell;
use std::rc::Rc;

use gateway_model::watch_cache::{Applied, WatchCache};
use kube_core::params::ListParams;
use kube_core::Request;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;

use crate::api::watch::{list_watch, WatchUpdate};
use crate::api::{abort_on_cleanup, ApiError, KubeClient};

/// How current the cache is.
#[derive(Clone, Debug, PartialEq)]
pub enum SyncState {
    /// Nothing listed yet.
    Loading,
    /// Listed and watching.
    Live,
    /// The last request failed; the loop retries after `retry_in_ms` (data may be stale).
    Reconnecting { error: ApiError, retry_in_ms: u32 },
}

/// A live list of `K`.
pub struct LiveList<K: Send + Sync + 'static> {
    /// The objects, keyed by namespace/name.
    pub cache: RwSignal<WatchCache<K>>,
    /// Sync state for badges and error banners.
    pub sync: RwSignal<SyncState>,
    /// True once the first list arrived.
    pub listed: RwSignal<bool>,
    /// The error of the first list, when it failed before anything was listed.
    pub initial_error: RwSignal<Option<ApiError>>,
}

impl<K: Send + Sync + 'static> Clone for LiveList<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: Send + Sync + 'static> Copy for LiveList<K> {}

impl<K> LiveList<K>
where
    K: kube_core::Resource + DeserializeOwned + Clone + Send + Sync + 'static,
{
    /// Starts list+watch for `request` (a kube-core collection request) with `params`; stops and
    /// aborts when the current reactive owner is cleaned up.
    pub fn start(client: KubeClient, request: Request, params: ListParams) -> Self {
        let live = LiveList {
            cache: RwSignal::new(WatchCache::new()),
            sync: RwSignal::new(SyncState::Loading),
            listed: RwSignal::new(false),
            initial_error: RwSignal::new(None),
        };
        let signal = abort_on_cleanup();
        let stopped = Rc::new(Cell::new(false));
        let stop = SendWrapper::new(stopped.clone());
        on_cleanup(move || stop.set(true));
        leptos::task::spawn_local(list_watch::<K, _>(
            client,
            request,
            params,
            signal,
            stopped,
            move |update| live.apply(update),
        ));
        live
    }

    fn apply(&self, update: WatchUpdate<K>) {
        // The view may be gone between an await and this call: only `try_` accessors here
        // (writes to disposed signals are no-ops, reads return None). Signals are set only when
        // their value changes: a re-list must not rebuild a card (and an open dialog) that shows
        // the same thing.
        match update {
            WatchUpdate::Listed(list) => {
                let rv = list.metadata.resource_version.clone();
                self.cache.try_update(|c| c.replace(list.items, rv));
                set_if_changed(self.listed, true);
                set_if_changed(self.initial_error, None);
                set_if_changed(self.sync, SyncState::Live);
            }
            WatchUpdate::Event(event) => {
                // notify only when the cache changed (duplicates, stale events and bookmarks
                // change nothing anyone shows)
                self.cache.try_maybe_update(|c| {
                    let changed = matches!(
                        c.apply(event),
                        Ok(Applied::Added(_) | Applied::Modified(_) | Applied::Deleted(_))
                    );
                    (changed, ())
                });
            }
            WatchUpdate::Live => set_if_changed(self.sync, SyncState::Live),
            WatchUpdate::Failed { error, retry_in_ms } => {
                if !self.listed.try_get_untracked().unwrap_or(true) {
                    set_if_changed(self.initial_error, Some(error.clone()));
                }
                self.sync
                    .try_set(SyncState::Reconnecting { error, retry_in_ms });
            }
        }
    }
}

/// Sets `signal` to `value` unless it already holds it (no notification then).
fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    signal.try_maybe_update(|current| {
        if *current == value {
            (false, ())
        } else {
            *current = value;
            (true, ())
        }
    });
}
