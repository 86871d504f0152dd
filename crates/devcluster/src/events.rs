//! core/v1 Events as the cluster's components record them: client-go's `EventRecorder` with its
//! correlator. An identical event (same involved object, type, reason, message, source) within
//! 10 minutes raises `count` and `lastTimestamp` of the stored Event (a MODIFIED watch event);
//! more than 9 distinct messages of one object and reason within 10 minutes are combined into
//! one "(combined from similar events): …" Event, as client-go's aggregator does. Events live in
//! the involved object's namespace (`default` for cluster-scoped objects), at most
//! [`MAX_PER_NAMESPACE`] per namespace (the oldest by last timestamp go first) and for
//! [`TTL_SECONDS`] after their last occurrence (the API server's `--event-ttl`). Events outlive
//! the object they are about, as in Kubernetes.
//!
//! Names are `<object name>.<16 hex digits>` like client-go's `<name>.<UnixNano in hex>`, but
//! counted from a seeded base so that a scenario always produces the same names.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Mutex;

use serde_json::{json, Value};

use crate::registry;
use crate::store::Store;
use crate::traffic::mix;

/// Most Events kept per namespace.
pub const MAX_PER_NAMESPACE: usize = 500;
/// Events expire this long after their last occurrence (`kube-apiserver --event-ttl=1h`).
pub const TTL_SECONDS: i64 = 3600;
/// Identical (and similar) events within this window are counted on one Event.
pub const CORRELATION_SECONDS: i64 = 600;
/// client-go's `maxEvents` of the aggregator: from this many distinct messages on, similar
/// events are combined.
const MAX_SIMILAR: usize = 10;

/// Who reports an event (`source` / `reportingComponent` + `reportingInstance`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source<'a> {
    pub component: &'a str,
    /// The node for the kubelet; empty for controllers.
    pub host: &'a str,
}

pub const DEPLOYMENT_CONTROLLER: Source<'static> = Source {
    component: "deployment-controller",
    host: "",
};
pub const REPLICASET_CONTROLLER: Source<'static> = Source {
    component: "replicaset-controller",
    host: "",
};
/// The gateway operator: helm-operator-plugins names its recorder `<lowercase kind>-controller`.
pub const GATEWAY_CONTROLLER: Source<'static> = Source {
    component: "gateway-controller",
    host: "",
};
/// ingress-nginx records as `nginx-ingress-controller`, without a host.
pub const INGRESS_NGINX: Source<'static> = Source {
    component: "nginx-ingress-controller",
    host: "",
};

/// The kubelet of `node`.
pub fn kubelet(node: &str) -> Source<'_> {
    Source {
        component: "kubelet",
        host: node,
    }
}

/// One occurrence to record.
#[derive(Debug, Clone)]
pub struct Occurrence<'a> {
    /// `Normal` or `Warning`.
    pub type_: &'a str,
    pub reason: &'a str,
    pub message: String,
    pub source: Source<'a>,
    /// `spec.containers{name}` for events about one container (the kubelet's).
    pub field_path: Option<String>,
    /// How many occurrences this stands for (a history loaded with a scenario); at least 1.
    pub count: u64,
    /// `firstTimestamp` of a new Event when not now (a history).
    pub first_timestamp: Option<String>,
    /// Recorded through events.k8s.io/v1 like the scheduler does: `eventTime`, `action` and
    /// `reportingComponent`/`reportingInstance` are set; `count`, `firstTimestamp`,
    /// `lastTimestamp` and `source` are not. Such events are not correlated.
    pub action: Option<&'a str>,
}

impl<'a> Occurrence<'a> {
    pub fn new(
        type_: &'a str,
        reason: &'a str,
        message: impl Into<String>,
        source: Source<'a>,
    ) -> Self {
        Occurrence {
            type_,
            reason,
            message: message.into(),
            source,
            field_path: None,
            count: 1,
            first_timestamp: None,
            action: None,
        }
    }

    /// About the container `name` of the pod (`involvedObject.fieldPath`).
    pub fn container(mut self, name: &str) -> Self {
        self.field_path = Some(format!("spec.containers{{{name}}}"));
        self
    }

    pub fn times(mut self, count: u64) -> Self {
        self.count = count.max(1);
        self
    }
}

/// Where one correlation key is counted.
#[derive(Debug, Clone)]
struct Tracked {
    namespace: String,
    name: String,
    key: String,
    last: i64,
    order: u64,
}

#[derive(Default)]
struct State {
    /// Events created so far: the suffix of the next name and the tie-break of equal times.
    seq: u64,
    /// Correlation key → the Event counting it.
    by_key: HashMap<String, (String, String)>,
    /// (namespace, name) → what this recorder knows of the Event.
    by_name: HashMap<(String, String), Tracked>,
    /// namespace → (last seen, order, name), oldest first.
    order: BTreeMap<String, BTreeSet<(i64, u64, String)>>,
    /// Aggregation key → (last seen, distinct messages).
    similar: HashMap<String, (i64, HashSet<String>)>,
    /// While a scenario loads: the Events kept here ((namespace, name) → (creation order,
    /// Event)) and stored at once by [`Recorder::flush`], so that the many a large scenario
    /// makes and evicts again never reach the store.
    buffer: Option<HashMap<(String, String), (u64, Value)>>,
}

impl State {
    fn contains(&self, store: &Store, namespace: &str, name: &str) -> bool {
        match &self.buffer {
            Some(b) => b.contains_key(&(namespace.to_string(), name.to_string())),
            None => store.contains(registry::id("", "events"), namespace, name),
        }
    }

    fn remove(&mut self, store: &Store, namespace: &str, name: &str) {
        match &mut self.buffer {
            Some(b) => {
                b.remove(&(namespace.to_string(), name.to_string()));
            }
            None => {
                store.remove(registry::id("", "events"), namespace, name);
            }
        }
    }

    fn put(&mut self, store: &Store, event: Value) -> Value {
        let order = self.seq;
        match &mut self.buffer {
            Some(b) => {
                let key = (
                    event["metadata"]["namespace"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    event["metadata"]["name"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                );
                b.insert(key, (order, event.clone()));
                event
            }
            None => store.put(registry::id("", "events"), event),
        }
    }

    fn modify(
        &mut self,
        store: &Store,
        namespace: &str,
        name: &str,
        f: impl FnOnce(&mut Value),
    ) -> Option<Value> {
        match &mut self.buffer {
            Some(b) => b
                .get_mut(&(namespace.to_string(), name.to_string()))
                .map(|(_, e)| {
                    f(e);
                    e.clone()
                }),
            None => store.modify(registry::id("", "events"), namespace, name, f),
        }
    }

    fn forget(&mut self, namespace: &str, name: &str) -> Option<Tracked> {
        let t = self
            .by_name
            .remove(&(namespace.to_string(), name.to_string()))?;
        if let Some(set) = self.order.get_mut(namespace) {
            set.remove(&(t.last, t.order, t.name.clone()));
        }
        if self
            .by_key
            .get(&t.key)
            .is_some_and(|(ns, n)| ns == namespace && n == name)
        {
            self.by_key.remove(&t.key);
        }
        Some(t)
    }
}

/// Records Events into a store (one per cluster).
pub struct Recorder {
    base: u64,
    state: Mutex<State>,
}

fn timestamp(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn micro_timestamp(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The `involvedObject` reference of `obj`, as `reference.GetReference` makes it.
pub fn reference(obj: &Value, field_path: Option<&str>) -> Value {
    let m = &obj["metadata"];
    let mut r = serde_json::Map::new();
    for (k, v) in [
        ("apiVersion", &obj["apiVersion"]),
        ("kind", &obj["kind"]),
        ("name", &m["name"]),
        ("namespace", &m["namespace"]),
        ("uid", &m["uid"]),
        ("resourceVersion", &m["resourceVersion"]),
    ] {
        if v.as_str().is_some_and(|s| !s.is_empty()) {
            r.insert(k.into(), v.clone());
        }
    }
    if let Some(f) = field_path {
        r.insert("fieldPath".into(), json!(f));
    }
    Value::Object(r)
}

impl Recorder {
    pub fn new(seed: u64) -> Self {
        Recorder {
            // like client-go's UnixNano in hex: 16 digits beginning with 18
            base: 0x1860_0000_0000_0000 | (mix(&[seed, 0xe7e7]) & 0x000f_ff00_0000_0000),
            state: Mutex::new(State::default()),
        }
    }

    /// Records `type_`/`reason`/`message` about `involved` from `source` (client-go's `Eventf`).
    pub fn record(
        &self,
        store: &Store,
        involved: &Value,
        type_: &str,
        reason: &str,
        message: impl Into<String>,
        source: Source,
    ) -> Option<Value> {
        self.emit(
            store,
            involved,
            Occurrence::new(type_, reason, message, source),
        )
    }

    /// Records one occurrence; returns the stored Event (`None` when the namespace does not
    /// accept new objects: gone or terminating).
    pub fn emit(&self, store: &Store, involved: &Value, occ: Occurrence) -> Option<Value> {
        self.emit_at(store, involved, occ, jiff::Timestamp::now())
    }

    fn emit_at(
        &self,
        store: &Store,
        involved: &Value,
        occ: Occurrence,
        at: jiff::Timestamp,
    ) -> Option<Value> {
        let namespaces = registry::id("", "namespaces");
        let namespace = involved["metadata"]["namespace"]
            .as_str()
            .filter(|s| !s.is_empty())
            .unwrap_or("default")
            .to_string();
        match store.try_get(namespaces, "", &namespace) {
            Some(n) if n["metadata"].get("deletionTimestamp").is_none() => {}
            _ => return None,
        }
        let now = at.as_second();
        let ts = timestamp(at);
        let reference = reference(involved, occ.field_path.as_deref());
        let object_name = involved["metadata"]["name"].as_str().unwrap_or("unknown");
        let mut state = self.state.lock().unwrap();
        Self::expire(&mut state, store, now);
        let mut message = occ.message.clone();
        let key = if occ.action.is_some() {
            None
        } else {
            let object_key = [
                occ.source.component,
                occ.source.host,
                reference["kind"].as_str().unwrap_or_default(),
                &namespace,
                object_name,
                reference["uid"].as_str().unwrap_or_default(),
                reference["apiVersion"].as_str().unwrap_or_default(),
                occ.type_,
                occ.reason,
            ]
            .join("\u{0}");
            let similar = state
                .similar
                .entry(object_key.clone())
                .or_insert_with(|| (now, HashSet::new()));
            if now - similar.0 > CORRELATION_SECONDS {
                similar.1.clear();
            }
            similar.0 = now;
            similar.1.insert(occ.message.clone());
            if similar.1.len() >= MAX_SIMILAR {
                message = format!("(combined from similar events): {}", occ.message);
                Some(format!("similar\u{0}{object_key}"))
            } else {
                Some(format!(
                    "{object_key}\u{0}{}\u{0}{}",
                    occ.field_path.as_deref().unwrap_or_default(),
                    occ.message
                ))
            }
        };
        // an identical recent event: count it on the stored Event
        if let Some(key) = &key {
            if let Some((ns, name)) = state.by_key.get(key).cloned() {
                let recent = state
                    .by_name
                    .get(&(ns.clone(), name.clone()))
                    .is_some_and(|t| now - t.last <= CORRELATION_SECONDS);
                let counted = recent
                    .then(|| {
                        state.modify(store, &ns, &name, |e| {
                            let count = e["count"].as_u64().unwrap_or(1);
                            e["count"] = json!(count + occ.count);
                            e["lastTimestamp"] = json!(ts);
                            e["message"] = json!(message);
                        })
                    })
                    .flatten();
                if let Some(updated) = counted {
                    if let Some(mut t) = state.forget(&ns, &name) {
                        t.last = now;
                        state.seq += 1;
                        t.order = state.seq;
                        state.by_key.insert(t.key.clone(), (ns, name));
                        Self::track(&mut state, t);
                    }
                    return Some(updated);
                }
                state.forget(&ns, &name);
            }
        }
        // a new Event
        let name = loop {
            state.seq += 1;
            let name = format!(
                "{object_name}.{:016x}",
                self.base.wrapping_add(state.seq.wrapping_mul(0x0bad_cafe))
            );
            if !state.contains(store, &namespace, &name) {
                break name;
            }
        };
        let mut event = json!({
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": namespace},
            "involvedObject": reference,
            "reason": occ.reason,
            "message": message,
            "type": occ.type_,
        });
        match occ.action {
            Some(action) => {
                event["eventTime"] = json!(micro_timestamp(at));
                event["firstTimestamp"] = Value::Null;
                event["lastTimestamp"] = Value::Null;
                event["source"] = json!({});
                event["action"] = json!(action);
                event["reportingComponent"] = json!(occ.source.component);
                event["reportingInstance"] = json!(occ.source.host);
            }
            None => {
                let mut source = json!({"component": occ.source.component});
                if !occ.source.host.is_empty() {
                    source["host"] = json!(occ.source.host);
                }
                event["count"] = json!(occ.count.max(1));
                event["firstTimestamp"] = json!(occ.first_timestamp.clone().unwrap_or(ts.clone()));
                event["lastTimestamp"] = json!(ts);
                event["source"] = source;
                event["eventTime"] = Value::Null;
                event["reportingComponent"] = json!(occ.source.component);
                event["reportingInstance"] = json!(occ.source.host);
            }
        }
        let stored = state.put(store, event);
        let key = key.unwrap_or_else(|| format!("unique\u{0}{namespace}\u{0}{name}"));
        state
            .by_key
            .insert(key.clone(), (namespace.clone(), name.clone()));
        let order = state.seq;
        Self::track(
            &mut state,
            Tracked {
                namespace: namespace.clone(),
                name,
                key,
                last: now,
                order,
            },
        );
        // bounded per namespace: the oldest go
        while state.order.get(&namespace).map_or(0, BTreeSet::len) > MAX_PER_NAMESPACE {
            let Some((_, _, oldest)) = state.order.get(&namespace).and_then(|s| s.first().cloned())
            else {
                break;
            };
            state.forget(&namespace, &oldest);
            state.remove(store, &namespace, &oldest);
        }
        Some(stored)
    }

    fn track(state: &mut State, t: Tracked) {
        state.order.entry(t.namespace.clone()).or_default().insert((
            t.last,
            t.order,
            t.name.clone(),
        ));
        state
            .by_name
            .insert((t.namespace.clone(), t.name.clone()), t);
    }

    /// Deletes the Events whose last occurrence is older than the TTL.
    fn expire(state: &mut State, store: &Store, now: i64) {
        let expired: Vec<(String, String)> = state
            .order
            .iter()
            .flat_map(|(ns, set)| {
                set.iter()
                    .take_while(|(last, _, _)| now - last > TTL_SECONDS)
                    .map(|(_, _, name)| (ns.clone(), name.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        for (ns, name) in expired {
            state.forget(&ns, &name);
            state.remove(store, &ns, &name);
        }
    }

    /// Keeps new Events in memory until [`Recorder::flush`] (while a scenario loads).
    pub fn defer(&self) {
        let mut state = self.state.lock().unwrap();
        if state.buffer.is_none() {
            state.buffer = Some(HashMap::new());
        }
    }

    /// Stores the Events kept since [`Recorder::defer`], oldest first.
    pub fn flush(&self, store: &Store) {
        let Some(buffer) = self.state.lock().unwrap().buffer.take() else {
            return;
        };
        let mut pending: Vec<(u64, Value)> = buffer.into_values().collect();
        pending.sort_by_key(|(order, _)| *order);
        for (_, event) in pending {
            store.put(registry::id("", "events"), event);
        }
    }

    /// Periodic upkeep: expires old Events and forgets the ones deleted by others (`kubectl
    /// delete events`, a deleted namespace).
    pub fn sweep(&self, store: &Store) {
        let mut state = self.state.lock().unwrap();
        let now = jiff::Timestamp::now().as_second();
        Self::expire(&mut state, store, now);
        state
            .similar
            .retain(|_, (last, _)| now - *last <= CORRELATION_SECONDS);
        let gone: Vec<(String, String)> = state
            .by_name
            .keys()
            .filter(|(ns, name)| !state.contains(store, ns, name))
            .cloned()
            .collect();
        for (ns, name) in gone {
            state.forget(&ns, &name);
        }
    }

    /// How many Events this recorder keeps in `namespace`.
    pub fn tracked(&self, namespace: &str) -> usize {
        self.state
            .lock()
            .unwrap()
            .order
            .get(namespace)
            .map_or(0, BTreeSet::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::WriteOptions;

    fn store_with(ns: &[&str]) -> Store {
        let s = Store::new();
        for n in ns {
            s.create(
                registry::id("", "namespaces"),
                None,
                json!({"metadata": {"name": n}}),
                WriteOptions::default(),
            )
            .unwrap();
        }
        s
    }

    fn pod(store: &Store, ns: &str, name: &str) -> Value {
        store.put(
            registry::id("", "pods"),
            json!({"metadata": {"name": name, "namespace": ns}, "spec": {"containers": [{"name": "controller"}]}}),
        )
    }

    fn events(store: &Store, ns: &str) -> Vec<Value> {
        store.select(registry::id("", "events"), Some(ns), "")
    }

    fn at(second: i64) -> jiff::Timestamp {
        jiff::Timestamp::from_second(1_700_000_000 + second).unwrap()
    }

    #[test]
    fn identical_events_are_counted_on_one_event() {
        let s = store_with(&["a"]);
        let p = pod(&s, "a", "p");
        let r = Recorder::new(1);
        let occ = || {
            Occurrence::new(
                "Warning",
                "BackOff",
                "Back-off restarting",
                kubelet("node1"),
            )
            .container("controller")
        };
        let first = r.emit_at(&s, &p, occ(), at(0)).unwrap();
        let name = first["metadata"]["name"].as_str().unwrap().to_string();
        assert!(name.starts_with("p.") && name.len() == 2 + 16, "{name}");
        assert_eq!(first["count"], 1);
        assert_eq!(
            first["involvedObject"]["fieldPath"],
            "spec.containers{controller}"
        );
        assert_eq!(first["involvedObject"]["kind"], "Pod");
        assert_eq!(
            first["source"],
            json!({"component": "kubelet", "host": "node1"})
        );
        assert_eq!(first["reportingInstance"], "node1");
        assert!(first["eventTime"].is_null());
        let rv1 = first["metadata"]["resourceVersion"].clone();
        let second = r.emit_at(&s, &p, occ(), at(30)).unwrap();
        assert_eq!(second["metadata"]["name"], name.as_str());
        assert_eq!(second["count"], 2);
        assert_eq!(second["firstTimestamp"], first["firstTimestamp"]);
        assert_eq!(second["lastTimestamp"], timestamp(at(30)));
        assert_ne!(second["metadata"]["resourceVersion"], rv1);
        let third = r.emit_at(&s, &p, occ(), at(60)).unwrap();
        assert_eq!(
            (third["metadata"]["name"].as_str(), third["count"].as_u64()),
            (Some(name.as_str()), Some(3))
        );
        // another reason, container, type or source is another Event
        r.emit_at(
            &s,
            &p,
            Occurrence::new(
                "Warning",
                "Unhealthy",
                "Back-off restarting",
                kubelet("node1"),
            )
            .container("controller"),
            at(31),
        );
        r.emit_at(
            &s,
            &p,
            Occurrence::new(
                "Warning",
                "BackOff",
                "Back-off restarting",
                kubelet("node2"),
            )
            .container("controller"),
            at(31),
        );
        r.emit_at(
            &s,
            &p,
            Occurrence::new(
                "Warning",
                "BackOff",
                "Back-off restarting",
                kubelet("node1"),
            ),
            at(31),
        );
        assert_eq!(events(&s, "a").len(), 4);
        // after 10 quiet minutes the same event starts a new Event
        let later = r
            .emit_at(&s, &p, occ(), at(60 + CORRELATION_SECONDS + 1))
            .unwrap();
        assert_ne!(later["metadata"]["name"], name.as_str());
        assert_eq!(later["count"], 1);
        // a history counts several at once
        let h = r
            .emit_at(
                &s,
                &p,
                Occurrence::new(
                    "Normal",
                    "Started",
                    "Started container controller",
                    kubelet("node1"),
                )
                .times(3),
                at(700),
            )
            .unwrap();
        assert_eq!(h["count"], 3);
    }

    #[test]
    fn similar_events_are_combined() {
        let s = store_with(&["a"]);
        let p = pod(&s, "a", "p");
        let r = Recorder::new(1);
        for i in 0..14 {
            r.emit_at(
                &s,
                &p,
                Occurrence::new(
                    "Warning",
                    "SystemOOM",
                    format!("victim pid {i}"),
                    kubelet("n"),
                ),
                at(i),
            );
        }
        let evs = events(&s, "a");
        assert_eq!(evs.len(), 10, "9 single events and one combined");
        let combined: Vec<_> = evs.iter().filter(|e| e["count"] == 5).collect();
        assert_eq!(combined.len(), 1);
        assert_eq!(
            combined[0]["message"],
            "(combined from similar events): victim pid 13"
        );
    }

    #[test]
    fn namespaces_are_bounded_and_events_expire() {
        let s = store_with(&["a", "b"]);
        let r = Recorder::new(7);
        let pa = pod(&s, "a", "p");
        let pb = pod(&s, "b", "q");
        r.emit_at(
            &s,
            &pb,
            Occurrence::new("Normal", "Other", "in b", kubelet("n")),
            at(0),
        );
        for i in 0..(MAX_PER_NAMESPACE as i64 + 20) {
            r.emit_at(
                &s,
                &pa,
                Occurrence::new(
                    "Normal",
                    "Pulled",
                    format!("m{i}"),
                    kubelet(&format!("n{i}")),
                ),
                at(i),
            );
        }
        let evs = events(&s, "a");
        assert_eq!(evs.len(), MAX_PER_NAMESPACE);
        assert_eq!(r.tracked("a"), MAX_PER_NAMESPACE);
        // the oldest went first
        assert!(!evs
            .iter()
            .any(|e| e["message"] == "m0" || e["message"] == "m19"));
        assert!(evs.iter().any(|e| e["message"] == "m20"));
        assert_eq!(events(&s, "b").len(), 1, "other namespaces keep theirs");
        // an event counted again is newest again and survives the next evictions
        let m20 = |s: &Store| events(s, "a").iter().any(|e| e["message"] == "m20");
        r.emit_at(
            &s,
            &pa,
            Occurrence::new("Normal", "Pulled", "m20", kubelet("n20")),
            at(600),
        );
        r.emit_at(
            &s,
            &pa,
            Occurrence::new("Normal", "Pulled", "new", kubelet("x")),
            at(601),
        );
        assert!(m20(&s));
        // one hour after their last occurrence they are gone
        r.emit_at(
            &s,
            &pa,
            Occurrence::new("Normal", "Late", "late", kubelet("x")),
            at(600 + TTL_SECONDS),
        );
        let mut left: Vec<String> = events(&s, "a")
            .iter()
            .map(|e| e["message"].as_str().unwrap().to_string())
            .collect();
        left.sort();
        assert_eq!(left, ["late", "m20", "new"]);
        assert_eq!(r.tracked("a"), 3);
        assert!(events(&s, "b").is_empty(), "b expired too");
    }

    #[test]
    fn deleted_objects_keep_their_events_and_terminating_namespaces_get_none() {
        let s = store_with(&["a"]);
        let r = Recorder::new(1);
        let p = pod(&s, "a", "p");
        s.remove(registry::id("", "pods"), "a", "p");
        assert!(r
            .record(
                &s,
                &p,
                "Normal",
                "Killing",
                "Stopping container controller",
                kubelet("n")
            )
            .is_some());
        assert_eq!(events(&s, "a").len(), 1);
        let gone = json!({"kind": "Pod", "metadata": {"name": "x", "namespace": "nope"}});
        assert!(r
            .record(&s, &gone, "Normal", "X", "y", kubelet("n"))
            .is_none());
        // cluster-scoped objects: events go to default (when it exists)
        let node = json!({"kind": "Node", "metadata": {"name": "n1", "uid": "n1"}});
        assert!(r
            .record(&s, &node, "Warning", "SystemOOM", "oom", kubelet("n1"))
            .is_none());
        s.create(
            registry::id("", "namespaces"),
            None,
            json!({"metadata": {"name": "default"}}),
            WriteOptions::default(),
        )
        .unwrap();
        let e = r
            .record(&s, &node, "Warning", "SystemOOM", "oom", kubelet("n1"))
            .unwrap();
        assert_eq!(e["metadata"]["namespace"], "default");
        assert_eq!(
            e["involvedObject"],
            json!({"kind": "Node", "name": "n1", "uid": "n1"})
        );
        // deleted by someone else: forgotten, and counted anew
        let first = r
            .record(&s, &p, "Normal", "Again", "again", kubelet("n"))
            .unwrap();
        s.remove(
            registry::id("", "events"),
            "a",
            first["metadata"]["name"].as_str().unwrap(),
        );
        let second = r
            .record(&s, &p, "Normal", "Again", "again", kubelet("n"))
            .unwrap();
        assert_eq!(second["count"], 1);
        r.sweep(&s);
        assert_eq!(r.tracked("a"), 2);
    }

    #[test]
    fn scheduler_events_use_the_new_api_shape() {
        let s = store_with(&["a"]);
        let r = Recorder::new(1);
        let p = pod(&s, "a", "p");
        let mut occ = Occurrence::new(
            "Normal",
            "Scheduled",
            "Successfully assigned a/p to node1",
            Source {
                component: "default-scheduler",
                host: "default-scheduler-node1",
            },
        );
        occ.action = Some("Binding");
        let e = r.emit(&s, &p, occ).unwrap();
        assert!(e["firstTimestamp"].is_null() && e["lastTimestamp"].is_null());
        assert!(e.get("count").is_none());
        assert_eq!(e["source"], json!({}));
        assert_eq!(e["reportingComponent"], "default-scheduler");
        assert!(e["eventTime"].as_str().unwrap().len() == "2024-01-01T00:00:00.000000Z".len());
    }

    #[test]
    fn deferred_events_are_stored_at_flush_without_the_evicted_ones() {
        let s = store_with(&["a"]);
        let r = Recorder::new(1);
        let p = pod(&s, "a", "p");
        r.defer();
        let rv = s.resource_version();
        for i in 0..(MAX_PER_NAMESPACE + 5) {
            r.record(
                &s,
                &p,
                "Normal",
                "Pulled",
                format!("m{i}"),
                kubelet(&format!("n{i}")),
            );
        }
        r.record(&s, &p, "Normal", "Pulled", "m10", kubelet("n10"));
        assert_eq!(s.resource_version(), rv, "nothing stored yet");
        r.flush(&s);
        let evs = events(&s, "a");
        assert_eq!(evs.len(), MAX_PER_NAMESPACE);
        assert_eq!(s.resource_version(), rv + MAX_PER_NAMESPACE as u64);
        assert!(evs.iter().any(|e| e["message"] == "m10" && e["count"] == 2));
        assert!(!evs.iter().any(|e| e["message"] == "m4"));
        // and afterwards straight into the store, still counted
        let e = r
            .record(&s, &p, "Normal", "Pulled", "m10", kubelet("n10"))
            .unwrap();
        assert_eq!(e["count"], 3);
        assert!(e["metadata"]["uid"].is_string());
    }

    #[test]
    fn names_are_deterministic() {
        let names = || {
            let s = store_with(&["a"]);
            let r = Recorder::new(3);
            let p = pod(&s, "a", "p");
            (0..3)
                .map(|i| {
                    r.record(&s, &p, "Normal", "R", format!("m{i}"), kubelet("n"))
                        .unwrap()["metadata"]["name"]
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect::<Vec<_>>()
        };
        let a = names();
        assert_eq!(a, names());
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(a, sorted, "in creation order, like UnixNano suffixes");
    }
}
