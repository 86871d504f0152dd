//! One generic object store for every served resource type, with the API server's semantics:
//! resourceVersions, generations, optimistic concurrency, finalizers, cascading deletion,
//! selectors, pagination, and a bounded event history that watches resume from.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Arc, Mutex};

use serde_json::{json, Map, Value};
use tokio::sync::broadcast;

use crate::patch::{self, PatchType};
use crate::registry::{self, ResId, ResourceType};
use crate::selectors::{FieldSelector, LabelSelector};
use crate::status::{ApiError, Cause};
use crate::validation;

/// How many events watches can resume from.
pub const HISTORY: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Added,
    Modified,
    Deleted,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
        }
    }
}

#[derive(Debug)]
pub struct Event {
    pub rv: u64,
    pub res: ResId,
    pub kind: EventType,
    pub object: Value,
}

type Key = (String, String);

/// Where watches receive new events.
pub type EventReceiver = broadcast::Receiver<Arc<Event>>;

struct Inner {
    rv: u64,
    uid: u64,
    objects: Vec<BTreeMap<Key, Value>>,
    history: VecDeque<Arc<Event>>,
    /// The oldest resourceVersion a watch can still start from.
    compacted: u64,
    node_port_seq: u32,
    ip_seq: u32,
    /// owner uid → dependents, for controllers and garbage collection.
    by_owner: std::collections::HashMap<String, std::collections::BTreeSet<(ResId, Key)>>,
}

fn has_finalizers(obj: &Value) -> bool {
    obj["metadata"]["finalizers"]
        .as_array()
        .is_some_and(|f| !f.is_empty())
}

fn owner_uids(obj: &Value) -> Vec<String> {
    obj["metadata"]["ownerReferences"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|r| r["uid"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `DeleteOptions.preconditions`: delete only the object with this uid / resourceVersion.
#[derive(Debug, Clone, Default)]
pub struct Preconditions {
    pub uid: Option<String>,
    pub resource_version: Option<String>,
}

/// Options of a write request.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    pub dry_run: bool,
    /// `fieldValidation=Strict`: unknown fields are an error instead of being dropped.
    pub strict: bool,
    /// Who writes (`fieldManager`, else the client's user agent), recorded in
    /// `metadata.managedFields`; `None` for devcluster's own controllers.
    pub manager: Option<&'static str>,
}

/// A field manager name for [`WriteOptions`] (names are few: each is kept once).
pub fn intern_manager(name: &str) -> &'static str {
    static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut names = NAMES.lock().unwrap();
    if let Some(known) = names.get(name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.insert(leaked);
    leaked
}

/// Records a write of `manager` in `metadata.managedFields`, as an API server does (simplified:
/// one `Update` entry per manager, whose `fieldsV1` gains the labels, annotations and spec
/// fields this write changed).
pub fn record_manager(obj: &mut Value, old: Option<&Value>, manager: &str) {
    let mut changed = json!({});
    for (path, key) in [
        (["metadata", "labels"], "f:metadata"),
        (["metadata", "annotations"], "f:metadata"),
    ] {
        let before = old.map(|o| &o[path[0]][path[1]]);
        let fields = changed_fields(before, &obj[path[0]][path[1]]);
        if !fields.as_object().is_some_and(|m| m.is_empty()) {
            changed[key][format!("f:{}", path[1])] = fields;
        }
    }
    let spec = changed_fields(old.map(|o| &o["spec"]), &obj["spec"]);
    if !spec.as_object().is_some_and(|m| m.is_empty()) {
        changed["f:spec"] = spec;
    }
    let mut entries: Vec<Value> = obj["metadata"]["managedFields"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let api_version = obj["apiVersion"].clone();
    match entries
        .iter_mut()
        .find(|e| e["manager"] == manager && e["operation"] == "Update")
    {
        Some(entry) => {
            merge_fields(&mut entry["fieldsV1"], &changed);
            entry["time"] = json!(now());
            entry["apiVersion"] = api_version;
        }
        None => entries.push(json!({
            "manager": manager,
            "operation": "Update",
            "apiVersion": api_version,
            "time": now(),
            "fieldsType": "FieldsV1",
            "fieldsV1": changed,
        })),
    }
    obj["metadata"]["managedFields"] = Value::Array(entries);
}

/// FieldsV1 of what differs in `new` from `old` (every field of `new` when `old` is absent).
fn changed_fields(old: Option<&Value>, new: &Value) -> Value {
    let mut out = serde_json::Map::new();
    if let Some(fields) = new.as_object() {
        for (k, v) in fields {
            let before = old.and_then(|o| o.get(k));
            if before == Some(v) {
                continue;
            }
            let inner = match (before, v.is_object()) {
                (Some(b), true) if b.is_object() => changed_fields(Some(b), v),
                (None, true) => changed_fields(None, v),
                _ => json!({}),
            };
            out.insert(format!("f:{k}"), inner);
        }
    }
    Value::Object(out)
}

fn merge_fields(into: &mut Value, from: &Value) {
    if !into.is_object() {
        *into = json!({});
    }
    if let (Some(into), Some(from)) = (into.as_object_mut(), from.as_object()) {
        for (k, v) in from {
            merge_fields(into.entry(k.clone()).or_insert_with(|| json!({})), v);
        }
    }
}

/// A page of a list.
pub struct ListResult {
    pub items: Vec<Value>,
    pub resource_version: u64,
    pub continue_token: Option<String>,
    pub remaining: Option<u64>,
}

/// Which objects a list or watch asks for.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub namespace: Option<String>,
    pub labels: LabelSelector,
    pub fields: FieldSelector,
}

impl Query {
    pub fn matches(&self, obj: &Value) -> bool {
        if let Some(ns) = &self.namespace {
            if obj["metadata"]["namespace"].as_str() != Some(ns) {
                return false;
            }
        }
        let empty = json!({});
        self.labels
            .matches(obj["metadata"].get("labels").unwrap_or(&empty))
            && self.fields.matches(obj)
    }
}

pub struct Store {
    inner: Mutex<Inner>,
    events: broadcast::Sender<Arc<Event>>,
}

pub fn now() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn key_of(obj: &Value) -> Key {
    (
        obj["metadata"]["namespace"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        obj["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

/// Everything but metadata and status: a change here bumps `metadata.generation`.
fn spec_part(obj: &Value) -> Value {
    let mut o = obj.as_object().cloned().unwrap_or_default();
    o.remove("metadata");
    o.remove("status");
    Value::Object(o)
}

fn without_rv(obj: &Value) -> Value {
    let mut o = obj.clone();
    if let Some(m) = o["metadata"].as_object_mut() {
        m.remove("resourceVersion");
    }
    o
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

impl Store {
    pub fn new() -> Self {
        let (events, _) = broadcast::channel(65_536);
        Store {
            inner: Mutex::new(Inner {
                rv: 1000,
                uid: 0,
                objects: registry::RESOURCES
                    .iter()
                    .map(|_| BTreeMap::new())
                    .collect(),
                history: VecDeque::new(),
                compacted: 1000,
                node_port_seq: 0,
                ip_seq: 0,
                by_owner: Default::default(),
            }),
            events,
        }
    }

    pub fn resource_version(&self) -> u64 {
        self.inner.lock().unwrap().rv
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.events.subscribe()
    }

    /// Starts a watch: the events after `from` (or `Err` 410 when they are no longer kept) and a
    /// receiver for everything newer. Taken under one lock so nothing is missed or duplicated.
    pub fn watch_from(
        &self,
        res: ResId,
        from: u64,
    ) -> Result<(Vec<Arc<Event>>, EventReceiver), ApiError> {
        let inner = self.inner.lock().unwrap();
        let rx = self.events.subscribe();
        if from < inner.compacted {
            return Err(ApiError::gone(format!(
                "too old resource version: {from} ({})",
                inner.compacted
            )));
        }
        let backlog = inner
            .history
            .iter()
            .filter(|e| e.rv > from && e.res == res)
            .cloned()
            .collect();
        Ok((backlog, rx))
    }

    /// Current objects plus the resourceVersion they are consistent with, plus a receiver.
    pub fn snapshot_and_subscribe(
        &self,
        res: ResId,
        query: &Query,
    ) -> (Vec<Value>, u64, broadcast::Receiver<Arc<Event>>) {
        let inner = self.inner.lock().unwrap();
        let rx = self.events.subscribe();
        let items = inner.objects[res]
            .values()
            .filter(|o| query.matches(o))
            .cloned()
            .collect();
        (items, inner.rv, rx)
    }

    pub fn get(&self, res: ResId, namespace: &str, name: &str) -> Result<Value, ApiError> {
        let inner = self.inner.lock().unwrap();
        inner.objects[res]
            .get(&(namespace.to_string(), name.to_string()))
            .cloned()
            .ok_or_else(|| ApiError::not_found(registry::get(res), name))
    }

    pub fn try_get(&self, res: ResId, namespace: &str, name: &str) -> Option<Value> {
        self.get(res, namespace, name).ok()
    }

    pub fn contains(&self, res: ResId, namespace: &str, name: &str) -> bool {
        self.inner.lock().unwrap().objects[res]
            .contains_key(&(namespace.to_string(), name.to_string()))
    }

    pub fn count(&self, res: ResId) -> usize {
        self.inner.lock().unwrap().objects[res].len()
    }

    pub fn list(
        &self,
        res: ResId,
        query: &Query,
        limit: Option<usize>,
        continue_token: Option<&str>,
    ) -> Result<ListResult, ApiError> {
        let inner = self.inner.lock().unwrap();
        let start: Option<Key> = match continue_token {
            Some(tok) if !tok.is_empty() => {
                let mut parts = tok.splitn(3, '/');
                let (Some(_rv), Some(ns), Some(name)) = (parts.next(), parts.next(), parts.next())
                else {
                    return Err(ApiError::bad_request(format!(
                        "continue key is not valid: {tok}"
                    )));
                };
                Some((ns.to_string(), name.to_string()))
            }
            _ => None,
        };
        let mut items = Vec::new();
        let mut next = None;
        let mut remaining = 0u64;
        let ns_filter = query.namespace.clone();
        let iter = inner.objects[res]
            .iter()
            .skip_while(|(k, _)| ns_filter.as_ref().is_some_and(|ns| k.0 < *ns))
            .take_while(|(k, _)| ns_filter.as_ref().is_none_or(|ns| k.0 == *ns))
            .filter(|(k, _)| start.as_ref().is_none_or(|s| *k > s));
        for (k, obj) in iter {
            if !query.matches(obj) {
                continue;
            }
            if let Some(l) = limit.filter(|l| *l > 0) {
                if items.len() >= l {
                    if next.is_none() {
                        next = Some(format!("{}/{}/{}", inner.rv, k.0, k.1));
                    }
                    remaining += 1;
                    continue;
                }
                if items.len() + 1 == l {
                    // the token points at the last returned key
                    next = None;
                }
            }
            items.push(obj.clone());
        }
        let continue_token = if remaining > 0 {
            let last = items.last().map(key_of).unwrap_or_default();
            Some(format!("{}/{}/{}", inner.rv, last.0, last.1))
        } else {
            None
        };
        let _ = next;
        Ok(ListResult {
            items,
            resource_version: inner.rv,
            continue_token,
            remaining: (remaining > 0).then_some(remaining),
        })
    }

    fn crd_for(inner: &Inner, res: &ResourceType) -> Option<Value> {
        if !res.custom {
            return None;
        }
        let crd_res = registry::id("apiextensions.k8s.io", "customresourcedefinitions");
        inner.objects[crd_res]
            .get(&(String::new(), res.qualified()))
            .cloned()
    }

    fn store_obj(inner: &mut Inner, res_id: ResId, key: Key, obj: Value) {
        if let Some(old) = inner.objects[res_id].insert(key.clone(), obj) {
            for uid in owner_uids(&old) {
                if let Some(set) = inner.by_owner.get_mut(&uid) {
                    set.remove(&(res_id, key.clone()));
                }
            }
        }
        for uid in owner_uids(&inner.objects[res_id][&key]) {
            inner
                .by_owner
                .entry(uid)
                .or_default()
                .insert((res_id, key.clone()));
        }
    }

    fn drop_obj(inner: &mut Inner, res_id: ResId, key: &Key) -> Option<Value> {
        let old = inner.objects[res_id].remove(key)?;
        for uid in owner_uids(&old) {
            if let Some(set) = inner.by_owner.get_mut(&uid) {
                set.remove(&(res_id, key.clone()));
                if set.is_empty() {
                    inner.by_owner.remove(&uid);
                }
            }
        }
        Some(old)
    }

    fn emit(&self, inner: &mut Inner, res: ResId, kind: EventType, object: Value) {
        let ev = Arc::new(Event {
            rv: inner.rv,
            res,
            kind,
            object,
        });
        inner.history.push_back(ev.clone());
        while inner.history.len() > HISTORY {
            if let Some(old) = inner.history.pop_front() {
                inner.compacted = old.rv;
            }
        }
        let _ = self.events.send(ev);
    }

    fn next_rv(inner: &mut Inner) -> u64 {
        inner.rv += 1;
        inner.rv
    }

    fn new_uid(inner: &mut Inner) -> String {
        inner.uid += 1;
        let n = inner.uid;
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            0x5eed_0000u32 + (n as u32 >> 16),
            n & 0xffff,
            (n >> 4) & 0xfff,
            n & 0xfff,
            // 12 hex digits: a well-formed UUID
            n.wrapping_mul(0x9e37_79b9_7f4a) & 0xffff_ffff_ffff
        )
    }

    /// Creates an object through the public API.
    pub fn create(
        &self,
        res_id: ResId,
        namespace: Option<&str>,
        mut obj: Value,
        opts: WriteOptions,
    ) -> Result<Value, ApiError> {
        let res = registry::get(res_id);
        let mut inner = self.inner.lock().unwrap();
        if !obj.is_object() {
            return Err(ApiError::bad_request(
                "the body of the request is not a JSON object".into(),
            ));
        }
        let api_version = res.api_version();
        match obj["apiVersion"].as_str() {
            None | Some("") => obj["apiVersion"] = json!(api_version),
            Some(v) if v == api_version => {}
            Some(v) => return Err(ApiError::bad_request(format!("the API version in the data ({v}) does not match the expected API version ({api_version})"))),
        }
        match obj["kind"].as_str() {
            None | Some("") => obj["kind"] = json!(res.kind),
            Some(k) if k == res.kind => {}
            Some(k) => {
                return Err(ApiError::bad_request(format!(
                    "the kind in the data ({k}) does not match the expected kind ({})",
                    res.kind
                )))
            }
        }
        if !obj["metadata"].is_object() {
            obj["metadata"] = json!({});
        }
        if obj["metadata"]["resourceVersion"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
        {
            return Err(ApiError::bad_request(
                "resourceVersion should not be set on objects to be created".into(),
            ));
        }
        if res.namespaced {
            let ns = namespace.unwrap_or_default();
            match obj["metadata"]["namespace"].as_str() {
                None | Some("") => obj["metadata"]["namespace"] = json!(ns),
                Some(n) if n == ns => {}
                Some(_) => return Err(ApiError::bad_request("the namespace of the provided object does not match the namespace sent on the request".into())),
            }
            let ns_res = registry::id("", "namespaces");
            match inner.objects[ns_res].get(&(String::new(), ns.to_string())) {
                None => return Err(ApiError::namespace_not_found(ns)),
                Some(n) if n["metadata"].get("deletionTimestamp").is_some() => {
                    return Err(ApiError::new(403, "Forbidden", format!("{} \"{}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", res.qualified(), obj["metadata"]["name"].as_str().unwrap_or_default()), None));
                }
                _ => {}
            }
        } else if let Some(m) = obj["metadata"].as_object_mut() {
            m.remove("namespace");
        }
        if obj["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .is_empty()
        {
            if let Some(prefix) = obj["metadata"]["generateName"].as_str().map(str::to_string) {
                let suffix = random_suffix(inner.uid + inner.rv);
                obj["metadata"]["name"] = json!(format!("{prefix}{suffix}"));
            }
        }
        if let Some(m) = obj["metadata"].as_object_mut() {
            for k in [
                "uid",
                "creationTimestamp",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
                "managedFields",
                "generation",
                "selfLink",
            ] {
                m.remove(k);
            }
        }
        if res.has_status() && res.kind != "Namespace" {
            if let Some(o) = obj.as_object_mut() {
                o.remove("status");
            }
        }
        default_object(&mut inner, res, &mut obj, None);
        let crd = Self::crd_for(&inner, res);
        let causes = validation::validate(res, &mut obj, crd.as_ref(), opts.strict);
        let name = obj["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if !causes.is_empty() {
            return Err(ApiError::invalid(res, &name, causes));
        }
        let key = key_of(&obj);
        if inner.objects[res_id].contains_key(&key) {
            return Err(ApiError::already_exists(res, &name));
        }
        if let Some(manager) = opts.manager {
            record_manager(&mut obj, None, manager);
        }
        if opts.dry_run {
            obj["metadata"]["uid"] = json!(format!("dry-run-{name}"));
            obj["metadata"]["creationTimestamp"] = json!(now());
            return Ok(obj);
        }
        Ok(self.insert_new(&mut inner, res_id, obj))
    }

    fn insert_new(&self, inner: &mut Inner, res_id: ResId, mut obj: Value) -> Value {
        let rv = Self::next_rv(inner);
        let uid = Self::new_uid(inner);
        let m = &mut obj["metadata"];
        m["uid"] = json!(uid);
        m["resourceVersion"] = json!(rv.to_string());
        if m.get("creationTimestamp").is_none_or(Value::is_null) {
            m["creationTimestamp"] = json!(now());
        }
        if obj.get("spec").is_some() {
            obj["metadata"]["generation"] = json!(1);
        }
        Self::store_obj(&mut *inner, res_id, key_of(&obj), obj.clone());
        self.emit(inner, res_id, EventType::Added, obj.clone());
        obj
    }

    /// Replaces an object (PUT) or its `status` subresource.
    pub fn update(
        &self,
        res_id: ResId,
        namespace: &str,
        name: &str,
        obj: Value,
        status_only: bool,
        opts: WriteOptions,
    ) -> Result<Value, ApiError> {
        let mut inner = self.inner.lock().unwrap();
        self.update_locked(&mut inner, res_id, namespace, name, obj, status_only, opts)
    }

    #[allow(clippy::too_many_arguments)]
    fn update_locked(
        &self,
        inner: &mut Inner,
        res_id: ResId,
        namespace: &str,
        name: &str,
        mut obj: Value,
        status_only: bool,
        opts: WriteOptions,
    ) -> Result<Value, ApiError> {
        let res = registry::get(res_id);
        let key = (namespace.to_string(), name.to_string());
        let Some(old) = inner.objects[res_id].get(&key).cloned() else {
            return Err(ApiError::not_found(res, name));
        };
        if !obj.is_object() || !obj["metadata"].is_object() {
            return Err(ApiError::bad_request(
                "the body of the request is not a JSON object with metadata".into(),
            ));
        }
        match obj["metadata"]["name"].as_str() {
            Some(n) if n == name => {}
            None | Some("") => obj["metadata"]["name"] = json!(name),
            Some(n) => {
                return Err(ApiError::bad_request(format!(
                    "the name of the object ({n}) does not match the name on the URL ({name})"
                )))
            }
        }
        if res.namespaced {
            match obj["metadata"]["namespace"].as_str() {
                None | Some("") => obj["metadata"]["namespace"] = json!(namespace),
                Some(n) if n == namespace => {}
                Some(_) => return Err(ApiError::bad_request("the namespace of the provided object does not match the namespace sent on the request".into())),
            }
        }
        match obj["metadata"]["resourceVersion"]
            .as_str()
            .filter(|s| !s.is_empty())
        {
            Some(rv) if Some(rv) != old["metadata"]["resourceVersion"].as_str() => {
                return Err(ApiError::conflict(res, name));
            }
            Some(_) => {}
            None if res.custom => {
                return Err(ApiError::invalid(
                    res,
                    name,
                    vec![Cause::invalid(
                        "metadata.resourceVersion",
                        "0x0",
                        "must be specified for an update",
                    )],
                ));
            }
            None => {}
        }
        if obj["apiVersion"].as_str().is_none_or(str::is_empty) {
            obj["apiVersion"] = json!(res.api_version());
        }
        if obj["kind"].as_str().is_none_or(str::is_empty) {
            obj["kind"] = json!(res.kind);
        }
        let mut new = if status_only {
            let mut n = old.clone();
            n["status"] = obj.get("status").cloned().unwrap_or(Value::Null);
            n
        } else {
            if res.has_status() {
                match old.get("status") {
                    Some(s) => obj["status"] = s.clone(),
                    None => {
                        if let Some(o) = obj.as_object_mut() {
                            o.remove("status");
                        }
                    }
                }
            }
            obj
        };
        // immutable and server-owned metadata
        for k in [
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "generation",
        ] {
            match old["metadata"].get(k) {
                Some(v) => new["metadata"][k] = v.clone(),
                None => {
                    if let Some(m) = new["metadata"].as_object_mut() {
                        m.remove(k);
                    }
                }
            }
        }
        if let Some(m) = new["metadata"].as_object_mut() {
            m.remove("managedFields");
            m.remove("selfLink");
        }
        if old["metadata"].get("deletionTimestamp").is_some() {
            // finalizers may only be removed from an object being deleted
            let old_f: Vec<Value> = old["metadata"]["finalizers"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let new_f: Vec<Value> = new["metadata"]["finalizers"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if new_f.iter().any(|f| !old_f.contains(f)) {
                return Err(ApiError::forbidden_adding_finalizer(res, name));
            }
        }
        default_object(inner, res, &mut new, Some(&old));
        let crd = Self::crd_for(inner, res);
        let causes = validation::validate(res, &mut new, crd.as_ref(), opts.strict);
        if !causes.is_empty() {
            return Err(ApiError::invalid(res, name, causes));
        }
        if !status_only && spec_part(&new) != spec_part(&old) {
            if let Some(g) = old["metadata"]["generation"].as_i64() {
                new["metadata"]["generation"] = json!(g + 1);
            }
        }
        new["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"].clone();
        // server-owned: the managers of earlier writes are kept, and this one is added
        if let Some(managed) = old["metadata"].get("managedFields") {
            new["metadata"]["managedFields"] = managed.clone();
        }
        if without_rv(&new) == without_rv(&old) {
            return Ok(old);
        }
        if let Some(manager) = opts.manager.filter(|_| !status_only) {
            record_manager(&mut new, Some(&old), manager);
        }
        if opts.dry_run {
            return Ok(new);
        }
        if new["metadata"].get("deletionTimestamp").is_some() && !has_finalizers(&new) {
            self.remove_locked(inner, res_id, &key);
            return Ok(new);
        }
        let rv = Self::next_rv(inner);
        new["metadata"]["resourceVersion"] = json!(rv.to_string());
        Self::store_obj(&mut *inner, res_id, key, new.clone());
        self.emit(inner, res_id, EventType::Modified, new.clone());
        Ok(new)
    }

    /// PATCH of an object or its `status` subresource.
    #[allow(clippy::too_many_arguments)]
    pub fn patch(
        &self,
        res_id: ResId,
        namespace: &str,
        name: &str,
        patch_type: PatchType,
        body: &[u8],
        status_only: bool,
        opts: WriteOptions,
    ) -> Result<Value, ApiError> {
        let res = registry::get(res_id);
        let mut inner = self.inner.lock().unwrap();
        let Some(old) = inner.objects[res_id]
            .get(&(namespace.to_string(), name.to_string()))
            .cloned()
        else {
            return Err(ApiError::not_found(res, name));
        };
        let patch_type = if res.custom && patch_type == PatchType::StrategicMerge {
            return Err(ApiError::unsupported_media_type(
                "application/strategic-merge-patch+json",
            ));
        } else {
            patch_type
        };
        let mut patched = patch::apply(&old, patch_type, body).map_err(|m| {
            if patch_type == PatchType::Json {
                ApiError::new(422, "Invalid", m, None)
            } else {
                ApiError::bad_request(m)
            }
        })?;
        if patched["metadata"]["resourceVersion"]
            .as_str()
            .is_none_or(str::is_empty)
        {
            patched["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"].clone();
        }
        self.update_locked(
            &mut inner,
            res_id,
            namespace,
            name,
            patched,
            status_only,
            opts,
        )
    }

    /// DELETE: sets `deletionTimestamp` while finalizers remain, else removes (and cascades).
    pub fn delete(
        &self,
        res_id: ResId,
        namespace: &str,
        name: &str,
        precondition: &Preconditions,
        opts: WriteOptions,
    ) -> Result<Value, ApiError> {
        let res = registry::get(res_id);
        let mut inner = self.inner.lock().unwrap();
        let key = (namespace.to_string(), name.to_string());
        let Some(old) = inner.objects[res_id].get(&key).cloned() else {
            return Err(ApiError::not_found(res, name));
        };
        if let Some(uid) = &precondition.uid {
            let actual = old["metadata"]["uid"].as_str().unwrap_or_default();
            if actual != uid {
                return Err(ApiError::new(409, "Conflict", format!("Operation cannot be fulfilled on {} \"{name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {actual}", res.qualified()), None));
            }
        }
        if let Some(rv) = precondition.resource_version.as_deref() {
            if old["metadata"]["resourceVersion"].as_str() != Some(rv) {
                return Err(ApiError::new(409, "Conflict", format!("Operation cannot be fulfilled on {} \"{name}\": the ResourceVersion in the precondition ({rv}) does not match the ResourceVersion in record ({}). The object might have been modified", res.qualified(), old["metadata"]["resourceVersion"].as_str().unwrap_or_default()), None));
            }
        }
        if opts.dry_run {
            return Ok(old);
        }
        if res.kind == "Namespace" {
            let mut new = old.clone();
            if new["metadata"].get("deletionTimestamp").is_none() {
                new["metadata"]["deletionTimestamp"] = json!(now());
                new["metadata"]["deletionGracePeriodSeconds"] = json!(0);
                new["status"]["phase"] = json!("Terminating");
                let rv = Self::next_rv(&mut inner);
                new["metadata"]["resourceVersion"] = json!(rv.to_string());
                Self::store_obj(&mut inner, res_id, key.clone(), new.clone());
                self.emit(&mut inner, res_id, EventType::Modified, new.clone());
            }
            self.empty_namespace(&mut inner, name);
            self.maybe_finish_namespace(&mut inner, name);
            return Ok(new);
        }
        Ok(self.delete_locked(&mut inner, res_id, &key).unwrap_or(old))
    }

    /// DELETE of a collection: every object matching the query.
    pub fn delete_collection(
        &self,
        res_id: ResId,
        query: &Query,
        opts: WriteOptions,
    ) -> Result<Vec<Value>, ApiError> {
        let keys: Vec<Key> = {
            let inner = self.inner.lock().unwrap();
            inner.objects[res_id]
                .iter()
                .filter(|(_, o)| query.matches(o))
                .map(|(k, _)| k.clone())
                .collect()
        };
        let mut out = Vec::new();
        for (ns, name) in keys {
            if let Ok(o) = self.delete(res_id, &ns, &name, &Preconditions::default(), opts) {
                out.push(o);
            }
        }
        Ok(out)
    }

    fn remove_locked(&self, inner: &mut Inner, res_id: ResId, key: &Key) -> Option<Value> {
        let mut obj = Self::drop_obj(&mut *inner, res_id, key)?;
        let rv = Self::next_rv(inner);
        obj["metadata"]["resourceVersion"] = json!(rv.to_string());
        self.emit(inner, res_id, EventType::Deleted, obj.clone());
        // garbage collection of dependents whose only owner is gone
        if let Some(uid) = obj["metadata"]["uid"].as_str().map(str::to_string) {
            let dependents: Vec<(ResId, Key)> = inner
                .by_owner
                .get(&uid)
                .map(|set| {
                    set.iter()
                        .filter(|(rid, k)| owner_uids(&inner.objects[*rid][k]).len() == 1)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            for (rid, k) in dependents {
                self.delete_locked(inner, rid, &k);
            }
        }
        if !key.0.is_empty() {
            self.maybe_finish_namespace(inner, &key.0.clone());
        }
        Some(obj)
    }

    /// Deletes like the API does: objects with finalizers only get a `deletionTimestamp`.
    fn delete_locked(&self, inner: &mut Inner, res_id: ResId, key: &Key) -> Option<Value> {
        if inner.objects[res_id].get(key).is_some_and(has_finalizers) {
            self.mark_deleting(inner, res_id, key)
        } else {
            self.remove_locked(inner, res_id, key)
        }
    }

    /// Sets `deletionTimestamp` (once); returns the stored object.
    fn mark_deleting(&self, inner: &mut Inner, res_id: ResId, key: &Key) -> Option<Value> {
        let mut o = inner.objects[res_id].get(key).cloned()?;
        if o["metadata"].get("deletionTimestamp").is_some() {
            return Some(o);
        }
        o["metadata"]["deletionTimestamp"] = json!(now());
        o["metadata"]["deletionGracePeriodSeconds"] = json!(0);
        let rv = Self::next_rv(inner);
        o["metadata"]["resourceVersion"] = json!(rv.to_string());
        Self::store_obj(inner, res_id, key.clone(), o.clone());
        self.emit(inner, res_id, EventType::Modified, o.clone());
        Some(o)
    }

    fn empty_namespace(&self, inner: &mut Inner, ns: &str) {
        for rid in 0..inner.objects.len() {
            if !registry::get(rid).namespaced {
                continue;
            }
            let keys: Vec<Key> = inner.objects[rid]
                .keys()
                .filter(|k| k.0 == ns)
                .cloned()
                .collect();
            for k in keys {
                self.delete_locked(inner, rid, &k);
            }
        }
    }

    fn maybe_finish_namespace(&self, inner: &mut Inner, ns: &str) {
        let ns_res = registry::id("", "namespaces");
        let key = (String::new(), ns.to_string());
        let terminating = inner.objects[ns_res]
            .get(&key)
            .is_some_and(|n| n["metadata"].get("deletionTimestamp").is_some());
        if !terminating {
            return;
        }
        let empty =
            inner.objects.iter().enumerate().all(|(rid, objs)| {
                !registry::get(rid).namespaced || !objs.keys().any(|k| k.0 == ns)
            });
        if empty {
            self.remove_locked(inner, ns_res, &key);
        }
    }

    /// Controller-side write: creates or replaces without preconditions, keeping identity.
    /// Returns the stored object (unchanged objects are not rewritten).
    pub fn put(&self, res_id: ResId, obj: Value) -> Value {
        self.put_with(res_id, obj, false).0
    }

    /// [`Store::put`] that also says whether anything was written; with `keep_status` the
    /// stored object's `status` is kept (a controller that renders only the spec).
    pub fn put_with(&self, res_id: ResId, mut obj: Value, keep_status: bool) -> (Value, bool) {
        let res = registry::get(res_id);
        let mut inner = self.inner.lock().unwrap();
        obj["apiVersion"] = json!(res.api_version());
        obj["kind"] = json!(res.kind);
        let key = key_of(&obj);
        match inner.objects[res_id].get(&key).cloned() {
            None => {
                default_object(&mut inner, res, &mut obj, None);
                (self.insert_new(&mut inner, res_id, obj), true)
            }
            Some(old) => {
                if keep_status {
                    match old.get("status") {
                        Some(st) => obj["status"] = st.clone(),
                        None => {
                            if let Some(o) = obj.as_object_mut() {
                                o.remove("status");
                            }
                        }
                    }
                }
                for k in [
                    "uid",
                    "creationTimestamp",
                    "deletionTimestamp",
                    "generation",
                ] {
                    if let Some(v) = old["metadata"].get(k) {
                        obj["metadata"][k] = v.clone();
                    }
                }
                obj["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"].clone();
                default_object(&mut inner, res, &mut obj, Some(&old));
                if spec_part(&obj) != spec_part(&old) {
                    if let Some(g) = old["metadata"]["generation"].as_i64() {
                        obj["metadata"]["generation"] = json!(g + 1);
                    }
                }
                if obj == old {
                    return (old, false);
                }
                let rv = Self::next_rv(&mut inner);
                obj["metadata"]["resourceVersion"] = json!(rv.to_string());
                Self::store_obj(&mut inner, res_id, key, obj.clone());
                self.emit(&mut inner, res_id, EventType::Modified, obj.clone());
                (obj, true)
            }
        }
    }

    /// Controller-side read-modify-write of one object; `None` when it does not exist.
    pub fn modify(
        &self,
        res_id: ResId,
        namespace: &str,
        name: &str,
        f: impl FnOnce(&mut Value),
    ) -> Option<Value> {
        let mut obj = self.try_get(res_id, namespace, name)?;
        f(&mut obj);
        if obj["metadata"].get("deletionTimestamp").is_some() && !has_finalizers(&obj) {
            let mut inner = self.inner.lock().unwrap();
            return self.remove_locked(
                &mut inner,
                res_id,
                &(namespace.to_string(), name.to_string()),
            );
        }
        Some(self.put(res_id, obj))
    }

    /// Controller-side removal (ignores finalizers).
    pub fn remove(&self, res_id: ResId, namespace: &str, name: &str) -> Option<Value> {
        let mut inner = self.inner.lock().unwrap();
        self.remove_locked(
            &mut inner,
            res_id,
            &(namespace.to_string(), name.to_string()),
        )
    }

    /// Objects of one type in one namespace matching a label selector.
    pub fn select(&self, res_id: ResId, namespace: Option<&str>, labels: &str) -> Vec<Value> {
        let query = Query {
            namespace: namespace.map(str::to_string),
            labels: LabelSelector::parse(labels).unwrap_or_default(),
            fields: FieldSelector::default(),
        };
        let inner = self.inner.lock().unwrap();
        in_namespace(&inner.objects[res_id], namespace)
            .filter(|o| query.matches(o))
            .cloned()
            .collect()
    }

    /// Objects of one type in one namespace whose owner is `owner_uid`.
    pub fn owned(&self, res_id: ResId, namespace: &str, owner_uid: &str) -> Vec<Value> {
        let inner = self.inner.lock().unwrap();
        inner
            .by_owner
            .get(owner_uid)
            .map(|set| {
                set.iter()
                    .filter(|(rid, k)| *rid == res_id && k.0 == namespace)
                    .filter_map(|(rid, k)| inner.objects[*rid].get(k).cloned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl ApiError {
    fn forbidden_adding_finalizer(res: &ResourceType, name: &str) -> Self {
        ApiError::new(
            422,
            "Invalid",
            format!("{} \"{name}\" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted", res.kind),
            None,
        )
    }
}

/// The objects of one namespace (all objects for `None`), using the key order.
fn in_namespace<'a>(
    objects: &'a BTreeMap<Key, Value>,
    namespace: Option<&str>,
) -> Box<dyn Iterator<Item = &'a Value> + 'a> {
    match namespace {
        None => Box::new(objects.values()),
        Some(ns) => {
            let ns = ns.to_string();
            Box::new(
                objects
                    .range((ns.clone(), String::new())..)
                    .take_while(move |(k, _)| k.0 == ns)
                    .map(|(_, v)| v),
            )
        }
    }
}

fn random_suffix(seed: u64) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    (0..5)
        .map(|_| {
            x ^= x >> 33;
            x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
            ALPHABET[(x % ALPHABET.len() as u64) as usize] as char
        })
        .collect()
}

/// Server-side defaulting: namespace phase, service cluster IPs and node ports (kept stable
/// across updates), port protocols.
fn default_object(inner: &mut Inner, res: &ResourceType, obj: &mut Value, old: Option<&Value>) {
    match res.kind {
        "Namespace" => {
            if obj["status"]["phase"].as_str().is_none() {
                obj["status"] = json!({"phase": "Active"});
            }
            if obj["spec"].get("finalizers").is_none() {
                obj["spec"] = json!({"finalizers": ["kubernetes"]});
            }
            let name = obj["metadata"]["name"].clone();
            if !obj["metadata"]["labels"].is_object() {
                obj["metadata"]["labels"] = json!({});
            }
            obj["metadata"]["labels"]["kubernetes.io/metadata.name"] = name;
        }
        "Service" => {
            let spec = &mut obj["spec"];
            if spec["type"].as_str().is_none() {
                spec["type"] = json!("ClusterIP");
            }
            if spec["clusterIP"].as_str().is_none_or(str::is_empty) {
                let ip = old
                    .and_then(|o| o["spec"]["clusterIP"].as_str().map(str::to_string))
                    .unwrap_or_else(|| {
                        inner.ip_seq += 1;
                        format!(
                            "10.233.{}.{}",
                            (inner.ip_seq / 250) % 250,
                            inner.ip_seq % 250 + 1
                        )
                    });
                spec["clusterIP"] = json!(ip);
                spec["clusterIPs"] = json!([ip]);
            }
            if spec["sessionAffinity"].is_null() {
                spec["sessionAffinity"] = json!("None");
            }
            let needs_node_port = matches!(
                spec["type"].as_str(),
                Some("NodePort") | Some("LoadBalancer")
            );
            if needs_node_port && spec["externalTrafficPolicy"].is_null() {
                spec["externalTrafficPolicy"] = json!("Cluster");
            }
            let old_ports: Vec<Value> = old
                .and_then(|o| o["spec"]["ports"].as_array().cloned())
                .unwrap_or_default();
            if let Some(ports) = spec["ports"].as_array_mut() {
                for p in ports.iter_mut() {
                    if p["protocol"].is_null() {
                        p["protocol"] = json!("TCP");
                    }
                    if p["targetPort"].is_null() {
                        p["targetPort"] = p["port"].clone();
                    }
                    if needs_node_port {
                        if p["nodePort"].as_i64().unwrap_or(0) == 0 {
                            let keep = old_ports
                                .iter()
                                .find(|o| o["name"] == p["name"] && o["port"] == p["port"])
                                .and_then(|o| o["nodePort"].as_i64());
                            let np = keep.unwrap_or_else(|| {
                                inner.node_port_seq += 1;
                                30000 + ((inner.node_port_seq as i64 * 7919 + 380) % 2768)
                            });
                            p["nodePort"] = json!(np);
                        }
                    } else if let Some(o) = p.as_object_mut() {
                        o.remove("nodePort");
                    }
                }
            }
            if obj["status"].is_null() {
                obj["status"] = json!({"loadBalancer": {}});
            }
        }
        "Pod" if obj["status"]["phase"].is_null() && old.is_none() => {
            obj["status"] = json!({"phase": "Pending", "qosClass": "Burstable"});
        }
        _ => {}
    }
    let _ = Map::<String, Value>::new();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with_ns(ns: &str) -> Store {
        let s = Store::new();
        s.create(
            registry::id("", "namespaces"),
            None,
            json!({"metadata": {"name": ns}}),
            WriteOptions::default(),
        )
        .unwrap();
        s
    }

    fn cm(name: &str) -> Value {
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": {"app": name}}, "data": {"k": "v"}})
    }

    #[test]
    fn resource_versions_increase_and_conflicts_are_detected() {
        let s = store_with_ns("a");
        let cms = registry::id("", "configmaps");
        let created = s
            .create(cms, Some("a"), cm("x"), WriteOptions::default())
            .unwrap();
        let rv1: u64 = created["metadata"]["resourceVersion"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let mut edit = created.clone();
        edit["data"]["k"] = json!("w");
        let updated = s
            .update(cms, "a", "x", edit.clone(), false, WriteOptions::default())
            .unwrap();
        let rv2: u64 = updated["metadata"]["resourceVersion"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(rv2 > rv1);
        // the same stale edit again → 409
        let err = s
            .update(cms, "a", "x", edit, false, WriteOptions::default())
            .unwrap_err();
        assert_eq!((err.code, err.reason()), (409, "Conflict"));
        let err = s
            .create(cms, Some("a"), cm("x"), WriteOptions::default())
            .unwrap_err();
        assert_eq!((err.code, err.reason()), (409, "AlreadyExists"));
        let err = s
            .create(cms, Some("nope"), cm("y"), WriteOptions::default())
            .unwrap_err();
        assert_eq!(err.code, 404);
        assert_eq!(err.message(), "namespaces \"nope\" not found");
    }

    #[test]
    fn dry_run_stores_nothing() {
        let s = store_with_ns("a");
        let cms = registry::id("", "configmaps");
        s.create(
            cms,
            Some("a"),
            cm("x"),
            WriteOptions {
                dry_run: true,
                ..WriteOptions::default()
            },
        )
        .unwrap();
        assert!(s.try_get(cms, "a", "x").is_none());
    }

    #[test]
    fn writes_record_their_field_manager() {
        let s = store_with_ns("a");
        let cms = registry::id("", "configmaps");
        let as_manager = |m: &str| WriteOptions {
            manager: Some(intern_manager(m)),
            ..WriteOptions::default()
        };
        let mut obj = cm("x");
        obj["data"] = json!({"k": "v"});
        obj["metadata"]["labels"] = json!({"app": "x"});
        let created = s
            .create(cms, Some("a"), obj, as_manager("kubectl"))
            .unwrap();
        let entries = created["metadata"]["managedFields"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0]["manager"], "kubectl");
        assert_eq!(entries[0]["operation"], "Update");
        assert_eq!(entries[0]["fieldsType"], "FieldsV1");
        assert_eq!(
            entries[0]["fieldsV1"]["f:metadata"]["f:labels"],
            json!({"f:app": {}})
        );
        // a second manager changes a label: both are listed, each with its fields
        let mut changed = created.clone();
        changed["metadata"]["labels"]["tier"] = json!("web");
        let updated = s
            .update(cms, "a", "x", changed, false, as_manager("gateway-console"))
            .unwrap();
        let managers: Vec<&str> = updated["metadata"]["managedFields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["manager"].as_str().unwrap())
            .collect();
        assert_eq!(managers, ["kubectl", "gateway-console"]);
        assert_eq!(
            updated["metadata"]["managedFields"][1]["fieldsV1"]["f:metadata"]["f:labels"],
            json!({"f:tier": {}})
        );
        // a client cannot write managedFields of its own; an unchanged write changes nothing
        let mut forged = updated.clone();
        forged["metadata"]["managedFields"] = json!([]);
        let same = s
            .update(cms, "a", "x", forged, false, as_manager("x"))
            .unwrap();
        assert_eq!(
            same["metadata"]["resourceVersion"],
            updated["metadata"]["resourceVersion"]
        );
        assert_eq!(
            same["metadata"]["managedFields"].as_array().unwrap().len(),
            2
        );
    }

    #[test]
    fn pagination_and_selectors() {
        let s = store_with_ns("a");
        let cms = registry::id("", "configmaps");
        for i in 0..5 {
            s.create(
                cms,
                Some("a"),
                cm(&format!("c{i}")),
                WriteOptions::default(),
            )
            .unwrap();
        }
        let q = Query::default();
        let page1 = s.list(cms, &q, Some(2), None).unwrap();
        assert_eq!(page1.items.len(), 2);
        assert_eq!(page1.remaining, Some(3));
        let page2 = s
            .list(cms, &q, Some(2), page1.continue_token.as_deref())
            .unwrap();
        let page3 = s
            .list(cms, &q, Some(2), page2.continue_token.as_deref())
            .unwrap();
        assert_eq!(page3.items.len(), 1);
        assert!(page3.continue_token.is_none());
        let names: Vec<_> = [page1.items, page2.items, page3.items]
            .concat()
            .iter()
            .map(|o| o["metadata"]["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, ["c0", "c1", "c2", "c3", "c4"]);
        let q = Query {
            labels: LabelSelector::parse("app in (c1,c3)").unwrap(),
            ..Query::default()
        };
        assert_eq!(s.list(cms, &q, None, None).unwrap().items.len(), 2);
    }

    #[test]
    fn finalizers_delay_deletion_and_owners_cascade() {
        let s = store_with_ns("a");
        let cms = registry::id("", "configmaps");
        let mut owner = cm("owner");
        owner["metadata"]["finalizers"] = json!(["example.com/f"]);
        let owner = s
            .create(cms, Some("a"), owner, WriteOptions::default())
            .unwrap();
        let mut dep = cm("dep");
        dep["metadata"]["ownerReferences"] = json!([{"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": owner["metadata"]["uid"]}]);
        s.create(cms, Some("a"), dep, WriteOptions::default())
            .unwrap();
        let deleting = s
            .delete(
                cms,
                "a",
                "owner",
                &Preconditions::default(),
                WriteOptions::default(),
            )
            .unwrap();
        assert!(deleting["metadata"]["deletionTimestamp"].is_string());
        assert!(s.try_get(cms, "a", "owner").is_some());
        // adding a finalizer now is refused; removing the last one completes the deletion
        let mut more = deleting.clone();
        more["metadata"]["finalizers"] = json!(["example.com/f", "x/y"]);
        assert_eq!(
            s.update(cms, "a", "owner", more, false, WriteOptions::default())
                .unwrap_err()
                .code,
            422
        );
        s.patch(
            cms,
            "a",
            "owner",
            PatchType::Merge,
            br#"{"metadata":{"finalizers":null}}"#,
            false,
            WriteOptions::default(),
        )
        .unwrap();
        assert!(s.try_get(cms, "a", "owner").is_none());
        assert!(
            s.try_get(cms, "a", "dep").is_none(),
            "dependent is garbage-collected"
        );
    }

    #[test]
    fn watch_resumes_from_history_and_reports_gone() {
        let s = store_with_ns("a");
        let cms = registry::id("", "configmaps");
        let start = s.resource_version();
        s.create(cms, Some("a"), cm("x"), WriteOptions::default())
            .unwrap();
        s.delete(
            cms,
            "a",
            "x",
            &Preconditions::default(),
            WriteOptions::default(),
        )
        .unwrap();
        let (backlog, _rx) = s.watch_from(cms, start).unwrap();
        let kinds: Vec<_> = backlog.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [EventType::Added, EventType::Deleted]);
        assert_eq!(s.watch_from(cms, 5).unwrap_err().code, 410);
    }

    #[test]
    fn generation_follows_spec_and_status_is_separate() {
        let s = store_with_ns("a");
        let deps = registry::id("apps", "deployments");
        let d = s.create(deps, Some("a"), json!({"metadata": {"name": "d"}, "spec": {"replicas": 1}, "status": {"replicas": 9}}), WriteOptions::default()).unwrap();
        assert_eq!(d["metadata"]["generation"], 1);
        assert!(d.get("status").is_none(), "status is ignored on create");
        let d = s
            .patch(
                deps,
                "a",
                "d",
                PatchType::Merge,
                br#"{"spec":{"replicas":2},"status":{"replicas":5}}"#,
                false,
                WriteOptions::default(),
            )
            .unwrap();
        assert_eq!(d["metadata"]["generation"], 2);
        assert!(d.get("status").is_none(), "main resource ignores status");
        let d = s
            .patch(
                deps,
                "a",
                "d",
                PatchType::Merge,
                br#"{"status":{"replicas":2}}"#,
                true,
                WriteOptions::default(),
            )
            .unwrap();
        assert_eq!(
            (
                d["metadata"]["generation"].as_i64(),
                d["status"]["replicas"].as_i64()
            ),
            (Some(2), Some(2))
        );
    }

    #[test]
    fn node_ports_are_allocated_and_stable() {
        let s = store_with_ns("a");
        let svcs = registry::id("", "services");
        let svc = s.create(svcs, Some("a"), json!({"metadata": {"name": "s"}, "spec": {"type": "NodePort", "ports": [{"name": "http", "port": 80}]}}), WriteOptions::default()).unwrap();
        let np = svc["spec"]["ports"][0]["nodePort"].as_i64().unwrap();
        assert!((30000..=32767).contains(&np));
        let svc = s
            .patch(
                svcs,
                "a",
                "s",
                PatchType::Merge,
                br#"{"spec":{"ports":[{"name":"http","port":80}],"type":"LoadBalancer"}}"#,
                false,
                WriteOptions::default(),
            )
            .unwrap();
        assert_eq!(svc["spec"]["ports"][0]["nodePort"].as_i64(), Some(np));
    }
}
