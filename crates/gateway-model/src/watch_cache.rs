//! A pure reducer for list+watch caches: the state behind every list on screen.
//!
//! `replace` loads a list response, `apply` folds in watch events. The cache remembers the last
//! `resourceVersion` to resume a watch from, ignores duplicate events, and reports `410 Gone` as
//! "must re-list".
//!
//! Kubernetes says resourceVersions are opaque strings. This cache compares them numerically
//! **only** to drop a per-object event that is older than the version already held for that object
//! (a late event after a re-list); when either side is not a plain unsigned integer, the event is
//! applied. The resume version never moves backwards when both versions are numeric.

use std::collections::BTreeMap;

use kube_core::{Resource, Status, WatchEvent};

/// Identity of a cached object: `(namespace, name)`; namespace is `""` for cluster-scoped objects.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    /// Namespace (`""` when cluster-scoped).
    pub namespace: String,
    /// Name.
    pub name: String,
}

impl ObjectKey {
    /// A key.
    pub fn new(namespace: &str, name: &str) -> Self {
        ObjectKey {
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }

    /// The key of an object (`None` if it has no name).
    pub fn of<K: Resource>(obj: &K) -> Option<Self> {
        let meta = obj.meta();
        Some(ObjectKey {
            namespace: meta.namespace.clone().unwrap_or_default(),
            name: meta.name.clone()?,
        })
    }
}

/// Why an event changed nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IgnoreReason {
    /// Same uid and resourceVersion as the cached object.
    Duplicate,
    /// Older resourceVersion than the cached object.
    Stale,
    /// Delete of an object not in the cache.
    NotPresent,
    /// Object without a name.
    Unnamed,
}

/// Outcome of [`WatchCache::apply`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    /// A new object was inserted.
    Added(ObjectKey),
    /// An existing object was replaced.
    Modified(ObjectKey),
    /// An object was removed.
    Deleted(ObjectKey),
    /// A bookmark moved the resume version.
    Bookmark,
    /// Nothing changed.
    Ignored(IgnoreReason),
}

/// A watch `ERROR` event.
#[derive(Clone, Debug, PartialEq)]
pub enum CacheError {
    /// `410 Gone` / `Expired`: the resume version is too old; list again and call `replace`.
    MustRelist(Box<Status>),
    /// Any other error status; the watch should be restarted from the current version.
    Server(Box<Status>),
}

impl CacheError {
    /// True when the caller must list again before watching.
    pub fn must_relist(&self) -> bool {
        matches!(self, CacheError::MustRelist(_))
    }

    /// The server's status.
    pub fn status(&self) -> &Status {
        match self {
            CacheError::MustRelist(s) | CacheError::Server(s) => s,
        }
    }
}

impl std::fmt::Display for CacheError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CacheError::MustRelist(s) => {
                write!(f, "watch expired, re-list required: {}", s.message)
            }
            CacheError::Server(s) => write!(f, "watch error {}: {}", s.code, s.message),
        }
    }
}

impl std::error::Error for CacheError {}

fn numeric(rv: Option<&str>) -> Option<u64> {
    rv.and_then(|s| s.parse().ok())
}

/// True when `incoming` is numerically older than `held` (false when either is not numeric).
pub fn is_older(incoming: Option<&str>, held: Option<&str>) -> bool {
    matches!((numeric(incoming), numeric(held)), (Some(a), Some(b)) if a < b)
}

/// Keyed object cache fed by list + watch.
#[derive(Clone, Debug)]
pub struct WatchCache<K> {
    items: BTreeMap<ObjectKey, K>,
    resource_version: Option<String>,
    synced: bool,
}

impl<K> Default for WatchCache<K> {
    fn default() -> Self {
        WatchCache {
            items: BTreeMap::new(),
            resource_version: None,
            synced: false,
        }
    }
}

impl<K: Resource + Clone> WatchCache<K> {
    /// An empty, not yet listed cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the whole state with a list response (re-list).
    pub fn replace(
        &mut self,
        items: impl IntoIterator<Item = K>,
        list_resource_version: Option<String>,
    ) {
        self.items = items
            .into_iter()
            .filter_map(|o| Some((ObjectKey::of(&o)?, o)))
            .collect();
        self.resource_version = list_resource_version.filter(|s| !s.is_empty());
        self.synced = true;
    }

    /// Folds one watch event in.
    pub fn apply(&mut self, event: WatchEvent<K>) -> Result<Applied, CacheError> {
        match event {
            WatchEvent::Added(obj) | WatchEvent::Modified(obj) => Ok(self.upsert(obj)),
            WatchEvent::Deleted(obj) => Ok(self.delete(&obj)),
            WatchEvent::Bookmark(b) => {
                self.advance(Some(&b.metadata.resource_version));
                Ok(Applied::Bookmark)
            }
            WatchEvent::Error(status) => {
                if status.code == 410 || status.reason == "Expired" || status.reason == "Gone" {
                    self.synced = false;
                    Err(CacheError::MustRelist(status))
                } else {
                    Err(CacheError::Server(status))
                }
            }
        }
    }

    fn advance(&mut self, rv: Option<&str>) {
        let Some(rv) = rv.filter(|s| !s.is_empty()) else {
            return;
        };
        if !is_older(Some(rv), self.resource_version.as_deref()) {
            self.resource_version = Some(rv.to_string());
        }
    }

    fn upsert(&mut self, obj: K) -> Applied {
        let Some(key) = ObjectKey::of(&obj) else {
            return Applied::Ignored(IgnoreReason::Unnamed);
        };
        let rv = obj.meta().resource_version.clone();
        self.advance(rv.as_deref());
        if let Some(held) = self.items.get(&key) {
            let held = held.meta();
            if held.uid == obj.meta().uid && held.resource_version == rv && rv.is_some() {
                return Applied::Ignored(IgnoreReason::Duplicate);
            }
            if is_older(rv.as_deref(), held.resource_version.as_deref()) {
                return Applied::Ignored(IgnoreReason::Stale);
            }
            self.items.insert(key.clone(), obj);
            Applied::Modified(key)
        } else {
            self.items.insert(key.clone(), obj);
            Applied::Added(key)
        }
    }

    fn delete(&mut self, obj: &K) -> Applied {
        let Some(key) = ObjectKey::of(obj) else {
            return Applied::Ignored(IgnoreReason::Unnamed);
        };
        let rv = obj.meta().resource_version.as_deref();
        self.advance(rv);
        match self.items.get(&key) {
            None => Applied::Ignored(IgnoreReason::NotPresent),
            Some(held) if is_older(rv, held.meta().resource_version.as_deref()) => {
                Applied::Ignored(IgnoreReason::Stale)
            }
            Some(_) => {
                self.items.remove(&key);
                Applied::Deleted(key)
            }
        }
    }

    /// The resourceVersion to resume the watch from.
    pub fn resource_version(&self) -> Option<&str> {
        self.resource_version.as_deref()
    }

    /// True after a successful `replace` and until a `410`.
    pub fn is_synced(&self) -> bool {
        self.synced
    }

    /// The object with this namespace and name.
    pub fn get(&self, namespace: &str, name: &str) -> Option<&K> {
        self.items.get(&ObjectKey::new(namespace, name))
    }

    /// Objects sorted by (namespace, name).
    pub fn iter(&self) -> impl Iterator<Item = &K> {
        self.items.values()
    }

    /// Objects of one namespace, sorted by name.
    pub fn in_namespace<'a>(&'a self, namespace: &'a str) -> impl Iterator<Item = &'a K> + 'a {
        self.items
            .iter()
            .filter(move |(k, _)| k.namespace == namespace)
            .map(|(_, v)| v)
    }

    /// Keys sorted by (namespace, name).
    pub fn keys(&self) -> impl Iterator<Item = &ObjectKey> {
        self.items.keys()
    }

    /// Number of objects.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::{Gateway, GatewaySpec};
    use serde_json::json;

    fn gw(ns: &str, name: &str, uid: &str, rv: &str) -> Gateway {
        let mut g = Gateway::new(name, ns, GatewaySpec::default());
        g.metadata.uid = Some(uid.into());
        g.metadata.resource_version = Some(rv.into());
        g
    }

    fn names(c: &WatchCache<Gateway>) -> Vec<String> {
        c.iter()
            .map(|g| {
                format!(
                    "{}/{}@{}",
                    g.namespace(),
                    g.name(),
                    g.resource_version().unwrap()
                )
            })
            .collect()
    }

    #[test]
    fn list_then_watch() {
        let mut c = WatchCache::new();
        assert!(!c.is_synced());
        c.replace(
            [
                gw("b", "x", "1", "10"),
                gw("a", "z", "2", "11"),
                gw("a", "y", "3", "12"),
            ],
            Some("12".into()),
        );
        assert!(c.is_synced());
        assert_eq!(names(&c), ["a/y@12", "a/z@11", "b/x@10"]);
        assert_eq!(c.resource_version(), Some("12"));

        assert_eq!(
            c.apply(WatchEvent::Added(gw("a", "w", "4", "13"))),
            Ok(Applied::Added(ObjectKey::new("a", "w")))
        );
        assert_eq!(
            c.apply(WatchEvent::Added(gw("a", "w", "4", "13"))),
            Ok(Applied::Ignored(IgnoreReason::Duplicate))
        );
        assert_eq!(
            c.apply(WatchEvent::Modified(gw("b", "x", "1", "14"))),
            Ok(Applied::Modified(ObjectKey::new("b", "x")))
        );
        assert_eq!(
            c.apply(WatchEvent::Modified(gw("b", "x", "1", "9"))),
            Ok(Applied::Ignored(IgnoreReason::Stale))
        );
        assert_eq!(c.get("b", "x").unwrap().resource_version(), Some("14"));
        assert_eq!(
            c.resource_version(),
            Some("14"),
            "resume version never goes back"
        );

        assert_eq!(
            c.apply(WatchEvent::Deleted(gw("a", "z", "2", "15"))),
            Ok(Applied::Deleted(ObjectKey::new("a", "z")))
        );
        assert_eq!(
            c.apply(WatchEvent::Deleted(gw("a", "z", "2", "15"))),
            Ok(Applied::Ignored(IgnoreReason::NotPresent))
        );
        assert_eq!(
            c.apply(WatchEvent::Deleted(gw("b", "x", "1", "13"))),
            Ok(Applied::Ignored(IgnoreReason::Stale))
        );
        assert_eq!(names(&c), ["a/w@13", "a/y@12", "b/x@14"]);
        assert_eq!(c.in_namespace("a").count(), 2);
        assert_eq!(c.len(), 3);
    }

    #[test]
    fn bookmark_and_relist() {
        let mut c = WatchCache::new();
        c.replace([gw("a", "x", "1", "5")], Some("5".into()));
        let bm: WatchEvent<Gateway> = serde_json::from_value(json!({
            "type": "BOOKMARK",
            "object": {"apiVersion": "gateway.kubesphere.io/v1alpha1", "kind": "Gateway",
                       "metadata": {"resourceVersion": "40"}}
        }))
        .unwrap();
        assert_eq!(c.apply(bm), Ok(Applied::Bookmark));
        assert_eq!(c.resource_version(), Some("40"));
        assert_eq!(c.len(), 1);

        let gone: WatchEvent<Gateway> = serde_json::from_value(json!({
            "type": "ERROR",
            "object": {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                       "message": "too old resource version: 5 (40)", "reason": "Expired", "code": 410}
        }))
        .unwrap();
        let err = c.apply(gone).unwrap_err();
        assert!(err.must_relist());
        assert!(!c.is_synced());
        let other: WatchEvent<Gateway> = serde_json::from_value(json!({
            "type": "ERROR", "object": {"message": "boom", "reason": "InternalError", "code": 500}
        }))
        .unwrap();
        assert!(!c.apply(other).unwrap_err().must_relist());

        // Re-list replaces everything, including objects deleted while disconnected.
        c.replace([gw("a", "y", "2", "50")], Some("50".into()));
        assert_eq!(names(&c), ["a/y@50"]);
        assert_eq!(c.resource_version(), Some("50"));
    }

    #[test]
    fn recreated_object_and_opaque_versions() {
        let mut c = WatchCache::new();
        c.replace([gw("a", "x", "old", "5")], Some("5".into()));
        // Deleted and re-created with a new uid: later version wins.
        assert_eq!(
            c.apply(WatchEvent::Deleted(gw("a", "x", "old", "6"))),
            Ok(Applied::Deleted(ObjectKey::new("a", "x")))
        );
        assert_eq!(
            c.apply(WatchEvent::Added(gw("a", "x", "new", "7"))),
            Ok(Applied::Added(ObjectKey::new("a", "x")))
        );
        // A late delete of the previous incarnation is stale.
        assert_eq!(
            c.apply(WatchEvent::Deleted(gw("a", "x", "old", "6"))),
            Ok(Applied::Ignored(IgnoreReason::Stale))
        );
        // Non-numeric versions are opaque: always applied.
        assert_eq!(
            c.apply(WatchEvent::Modified(gw("a", "x", "new", "abc"))),
            Ok(Applied::Modified(ObjectKey::new("a", "x")))
        );
        assert_eq!(
            c.apply(WatchEvent::Modified(gw("a", "x", "new", "3"))),
            Ok(Applied::Modified(ObjectKey::new("a", "x")))
        );
        assert_eq!(
            c.resource_version(),
            Some("3"),
            "opaque version resets numeric ordering"
        );
        let unnamed = Gateway::default();
        assert_eq!(
            c.apply(WatchEvent::Added(unnamed)),
            Ok(Applied::Ignored(IgnoreReason::Unnamed))
        );
    }

    #[test]
    fn works_for_k8s_openapi_types() {
        use k8s_openapi::api::core::v1::Node;
        let mut c: WatchCache<Node> = WatchCache::new();
        let n: Node =
            serde_json::from_value(json!({"metadata": {"name": "n1", "resourceVersion": "1"}}))
                .unwrap();
        c.replace([n], Some("1".into()));
        assert!(c.get("", "n1").is_some());
    }
}
