//! The HTTP face of devcluster: parses Kubernetes API paths, authorizes, and dispatches to the
//! store, watch streams, logs and proxies. One log line per request.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use tokio::sync::broadcast::error::RecvError;

use crate::discovery;
use crate::faults::{Faults, InjectedError};
use crate::patch::PatchType;
use crate::registry::{self, ResId, ResourceType};
use crate::selectors::{supported_fields, FieldSelector, LabelSelector};
use crate::status::{ApiError, Cause};
use crate::store::{EventType, Preconditions, Query, Store, WriteOptions};
use crate::table;
use crate::users::User;
use crate::workloads::Workloads;

/// Everything a request handler needs.
pub struct Cluster {
    pub store: Arc<Store>,
    pub user: User,
    pub faults: Faults,
    pub workloads: Arc<Workloads>,
    /// Longest a watch stays open when the client gives no `timeoutSeconds`.
    pub max_watch: Duration,
}

pub type Shared = Arc<Cluster>;

/// A parsed resource path.
#[derive(Debug, PartialEq)]
pub struct Target {
    pub res: ResId,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub subresource: Option<String>,
    /// Anything after the subresource (the proxied path).
    pub rest: String,
    pub legacy_watch: bool,
}

pub fn json_response(code: u16, body: &Value) -> Response {
    let mut r = (
        StatusCode::from_u16(code).unwrap_or(StatusCode::OK),
        serde_json::to_vec(body).unwrap_or_default(),
    )
        .into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
    r
}

fn error_response(e: &ApiError) -> Response {
    let mut r = json_response(e.code, &e.body);
    if let Some(s) = e.body["details"]["retryAfterSeconds"].as_i64() {
        r.headers_mut()
            .insert(header::RETRY_AFTER, s.to_string().parse().unwrap());
    }
    r
}

fn parse_query(uri: &Uri) -> HashMap<String, String> {
    uri.query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

/// Splits `/api/v1/...` and `/apis/<g>/<v>/...` into a [`Target`]; `Ok(None)` for discovery paths.
pub fn parse_path(path: &str) -> Result<Option<Target>, ApiError> {
    let segs: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let (group, version, rest): (&str, &str, &[&str]) = match segs.as_slice() {
        ["api", "v1", rest @ ..] => ("", "v1", rest),
        ["apis", g, v, rest @ ..] => (g, v, rest),
        _ => return Ok(None),
    };
    if rest.is_empty() {
        return Ok(None);
    }
    let (legacy_watch, rest) = match rest {
        ["watch", r @ ..] => (true, r),
        r => (false, r),
    };
    let find =
        |plural: &str| registry::find(group, version, plural).ok_or_else(ApiError::path_not_found);
    let (res, namespace, tail): (ResId, Option<String>, &[&str]) = match rest {
        ["namespaces", ns, plural, tail @ ..] if !matches!(*plural, "status" | "finalize") => {
            (find(plural)?, Some(ns.to_string()), tail)
        }
        ["namespaces", tail @ ..] => (find("namespaces")?, None, tail),
        [plural, tail @ ..] => (find(plural)?, None, tail),
        [] => return Ok(None),
    };
    let r = registry::get(res);
    if r.namespaced != namespace.is_some() && !(r.namespaced && tail.is_empty()) {
        return Err(ApiError::path_not_found());
    }
    let name = tail.first().map(|s| s.to_string());
    let subresource = tail.get(1).map(|s| s.to_string());
    let rest_path = if tail.len() > 2 {
        format!("/{}", tail[2..].join("/"))
    } else {
        String::new()
    };
    if let Some(sub) = &subresource {
        let base = sub.split(':').next().unwrap_or(sub);
        if !r.subresources.contains(&base) {
            return Err(ApiError::path_not_found());
        }
    }
    Ok(Some(Target {
        res,
        namespace,
        name,
        subresource,
        rest: rest_path,
        legacy_watch,
    }))
}

fn verb_of(method: &Method, target: &Target, watch: bool) -> &'static str {
    match (method.as_str(), target.name.is_some()) {
        ("GET", _) if watch => "watch",
        ("GET", true) => "get",
        ("GET", false) => "list",
        ("POST", _) => "create",
        ("PUT", _) => "update",
        ("PATCH", _) => "patch",
        ("DELETE", true) => "delete",
        ("DELETE", false) => "deletecollection",
        _ => "unknown",
    }
}

fn query_of(
    target: &Target,
    params: &HashMap<String, String>,
    res: &ResourceType,
) -> Result<Query, ApiError> {
    let labels = LabelSelector::parse(
        params
            .get("labelSelector")
            .map(String::as_str)
            .unwrap_or(""),
    )
    .map_err(ApiError::bad_request)?;
    let fields = FieldSelector::parse(
        params
            .get("fieldSelector")
            .map(String::as_str)
            .unwrap_or(""),
        supported_fields(res.kind),
        res.kind,
    )
    .map_err(ApiError::bad_request)?;
    Ok(Query {
        namespace: target.namespace.clone(),
        labels,
        fields,
    })
}

/// The patch type named by the request's `Content-Type`.
fn patch_type(headers: &HeaderMap) -> Result<PatchType, ApiError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    PatchType::from_content_type(ct).ok_or_else(|| ApiError::unsupported_media_type(ct))
}

/// A JSON request body.
fn json_body(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("error decoding request body: {e}")))
}

fn write_options(
    params: &HashMap<String, String>,
    headers: &HeaderMap,
) -> Result<WriteOptions, ApiError> {
    let dry_run = match params.get("dryRun").map(String::as_str) {
        None | Some("") => false,
        Some("All") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "Invalid dryRun value: {other}; supported values: All"
            )))
        }
    };
    let strict = params.get("fieldValidation").is_some_and(|v| v == "Strict");
    // as an API server: `fieldManager`, else the client's user agent up to its first "/"
    let manager = match params.get("fieldManager").map(String::as_str) {
        Some(m) if !m.is_empty() => {
            if m.len() > 128 {
                return Err(ApiError::bad_request(format!(
                    "fieldManager: Too long: may not be more than 128 bytes (got {})",
                    m.len()
                )));
            }
            m.to_string()
        }
        _ => headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .and_then(|ua| ua.split('/').next())
            .filter(|m| !m.is_empty())
            .unwrap_or("unknown")
            .chars()
            .take(128)
            .collect(),
    };
    Ok(WriteOptions {
        dry_run,
        strict,
        manager: Some(crate::store::intern_manager(&manager)),
    })
}

/// The axum entry point for every path.
pub async fn handle(
    State(cluster): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let path = uri.path().to_string();
    let mut params = parse_query(&uri);
    if path.contains("/proxy/") || path.ends_with("/proxy") {
        if let Some(q) = uri.query() {
            params.insert(crate::workloads::RAW_QUERY.to_string(), q.to_string());
        }
    }
    let is_watch =
        params.get("watch").is_some_and(|w| w == "1" || w == "true") || path.contains("/watch/");
    let is_follow = params
        .get("follow")
        .is_some_and(|w| w == "true" || w == "1");
    if !cluster.faults.latency.is_zero() {
        tokio::time::sleep(cluster.faults.latency).await;
    }
    let response = if !is_watch
        && !is_follow
        && !matches!(
            path.as_str(),
            "/version" | "/healthz" | "/readyz" | "/livez"
        ) {
        let target = match uri.query() {
            Some(q) => format!("{method} {path}?{q}"),
            None => format!("{method} {path}"),
        };
        let injected = if cluster.faults.fails(&target) {
            Some(InjectedError::Internal)
        } else if cluster.faults.throttles(&target) {
            Some(InjectedError::TooManyRequests)
        } else {
            cluster.faults.error()
        };
        match injected {
            Some(InjectedError::Internal) => {
                error_response(&ApiError::internal("injected fault: internal error".into()))
            }
            Some(InjectedError::Unavailable) => error_response(&ApiError::service_unavailable()),
            Some(InjectedError::TooManyRequests) => error_response(&ApiError::too_many_requests()),
            None => route(&cluster, &method, &path, &params, &headers, body, is_watch).await,
        }
    } else {
        route(&cluster, &method, &path, &params, &headers, body, is_watch).await
    };
    let q = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    println!(
        "{} {}{} {} {}ms",
        method,
        path,
        q,
        response.status().as_u16(),
        started.elapsed().as_millis()
    );
    response
}

async fn route(
    cluster: &Shared,
    method: &Method,
    path: &str,
    params: &HashMap<String, String>,
    headers: &HeaderMap,
    body: Bytes,
    is_watch: bool,
) -> Response {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let body = if !body.is_empty() && content_type.contains("protobuf") {
        match crate::protobuf::decode(&body) {
            Ok(v) => Bytes::from(serde_json::to_vec(&v).unwrap_or_default()),
            Err(e) => return error_response(&ApiError::new(415, "UnsupportedMediaType", format!("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml ({e})"), None)),
        }
    } else if !body.is_empty() && content_type.contains("cbor") {
        return error_response(&ApiError::new(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml".into(), None));
    } else {
        body
    };
    match (method.as_str(), path.trim_end_matches('/')) {
        ("GET", "/version") => return json_response(200, &discovery::version()),
        ("GET", "/healthz" | "/readyz" | "/livez") => {
            return (StatusCode::OK, "ok").into_response()
        }
        ("GET", "/api") => return json_response(200, &discovery::core_versions()),
        ("GET", "/apis") => return json_response(200, &discovery::groups()),
        ("GET", "/api/v1") => return json_response(200, &discovery::resources("", "v1").unwrap()),
        ("GET", "/openapi/v3") => return json_response(200, &crate::openapi::root()),
        _ => {}
    }
    if let Some(gv) = path.strip_prefix("/openapi/v3/") {
        return match crate::openapi::group_version(gv) {
            Some(doc) => json_response(200, &doc),
            None => error_response(&ApiError::path_not_found()),
        };
    }
    let target = match parse_path(path) {
        Ok(Some(t)) => t,
        Ok(None) => {
            let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
            let doc = match segs.as_slice() {
                ["apis", g] => discovery::group(g),
                ["apis", g, v] => discovery::resources(g, v),
                _ => None,
            };
            return match doc {
                Some(d) if method == Method::GET => json_response(200, &d),
                _ => error_response(&ApiError::path_not_found()),
            };
        }
        Err(e) => return error_response(&e),
    };
    let res = registry::get(target.res);
    let watch = is_watch || target.legacy_watch;
    let verb = verb_of(method, &target, watch);
    // authorization (SelfSubjectAccessReview/Review are always allowed)
    let review = matches!(res.kind, "SelfSubjectAccessReview" | "SelfSubjectReview");
    let auth_name = target.name.as_deref().or({
        // create: the name comes from the body
        None
    });
    let body_name: Option<String> = if verb == "create" {
        serde_json::from_slice::<Value>(&body)
            .ok()
            .and_then(|b| b["metadata"]["name"].as_str().map(str::to_string))
    } else {
        None
    };
    let check_name = auth_name.map(str::to_string).or(body_name);
    let sub_verb_resource = match target.subresource.as_deref() {
        Some(s) => format!("{}/{}", res.plural, s),
        None => res.plural.to_string(),
    };
    if !review
        && !cluster.user.allows(
            verb,
            res.group,
            res.plural,
            target.namespace.as_deref(),
            check_name.as_deref(),
        )
    {
        let _ = sub_verb_resource;
        return error_response(&ApiError::forbidden(
            &cluster.user.name(),
            verb,
            res,
            check_name.as_deref().unwrap_or(""),
            target.namespace.as_deref(),
        ));
    }
    if !res.allows(verb) && target.subresource.is_none() && !review {
        return error_response(&ApiError::method_not_supported(res, verb));
    }
    let result = dispatch(
        cluster, method, &target, res, params, headers, body, watch, accept,
    )
    .await;
    match result {
        Ok(r) => r,
        Err(e) => error_response(&e),
    }
}

#[allow(clippy::too_many_arguments)]
async fn dispatch(
    cluster: &Shared,
    method: &Method,
    target: &Target,
    res: &'static ResourceType,
    params: &HashMap<String, String>,
    headers: &HeaderMap,
    body: Bytes,
    watch: bool,
    accept: &str,
) -> Result<Response, ApiError> {
    let store = &cluster.store;
    let ns = target.namespace.clone().unwrap_or_default();
    let wants_table = table::wants_table(accept);
    let write_opts = write_options(params, headers)?;
    match (
        method.as_str(),
        target.name.as_deref(),
        target.subresource.as_deref(),
    ) {
        ("GET", None, None) if watch => watch_response(cluster, target, res, params, wants_table),
        ("GET", None, None) => {
            let query = query_of(target, params, res)?;
            let limit = params.get("limit").and_then(|l| l.parse().ok());
            let page = store.list(
                target.res,
                &query,
                limit,
                params.get("continue").map(String::as_str),
            )?;
            let rv = page.resource_version.to_string();
            if wants_table {
                return Ok(json_response(
                    200,
                    &table::table(res, &page.items, &rv, page.continue_token.as_deref(), true),
                ));
            }
            let mut meta = json!({"resourceVersion": rv});
            if let Some(c) = &page.continue_token {
                meta["continue"] = json!(c);
            }
            if let Some(r) = page.remaining {
                meta["remainingItemCount"] = json!(r);
            }
            Ok(json_response(
                200,
                &json!({"kind": format!("{}List", res.kind), "apiVersion": res.api_version(), "metadata": meta, "items": page.items}),
            ))
        }
        ("GET", Some(name), None) if watch => {
            let mut p = params.clone();
            p.insert("fieldSelector".into(), format!("metadata.name={name}"));
            let t = Target {
                res: target.res,
                namespace: target.namespace.clone(),
                name: None,
                subresource: None,
                rest: String::new(),
                legacy_watch: false,
            };
            watch_response(cluster, &t, res, &p, wants_table)
        }
        ("GET", Some(name), None) => {
            let obj = store.get(target.res, &ns, name)?;
            if wants_table {
                let rv = obj["metadata"]["resourceVersion"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                return Ok(json_response(
                    200,
                    &table::table(res, &[obj], &rv, None, true),
                ));
            }
            Ok(json_response(200, &obj))
        }
        ("GET", Some(name), Some("status")) => {
            Ok(json_response(200, &store.get(target.res, &ns, name)?))
        }
        ("POST", None, None) => {
            let obj: Value = json_body(&body)?;
            if res.kind == "SelfSubjectAccessReview" {
                return Ok(json_response(201, &access_review(&cluster.user, obj)));
            }
            if res.kind == "SelfSubjectReview" {
                return Ok(json_response(
                    201,
                    &json!({
                        "kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1",
                        "metadata": {"creationTimestamp": crate::store::now()},
                        "status": {"userInfo": {"username": cluster.user.name(), "groups": cluster.user.groups()}}
                    }),
                ));
            }
            if admission_applies(cluster, res) {
                let preview = store.create(
                    target.res,
                    target.namespace.as_deref(),
                    obj.clone(),
                    dry(write_opts),
                )?;
                admit(cluster, res, &preview)?;
            }
            let created = store.create(target.res, target.namespace.as_deref(), obj, write_opts)?;
            Ok(json_response(201, &created))
        }
        ("POST", Some(_), None) => Err(ApiError::method_not_supported(res, "create")),
        ("PUT", Some(name), sub @ (None | Some("status"))) => {
            if cluster.faults.conflict() {
                return Err(ApiError::conflict(res, name));
            }
            let obj: Value = json_body(&body)?;
            if sub.is_none() && admission_applies(cluster, res) {
                let preview =
                    store.update(target.res, &ns, name, obj.clone(), false, dry(write_opts))?;
                admit(cluster, res, &preview)?;
            }
            Ok(json_response(
                200,
                &store.update(target.res, &ns, name, obj, sub.is_some(), write_opts)?,
            ))
        }
        ("PATCH", Some(name), sub @ (None | Some("status"))) => {
            if cluster.faults.conflict() {
                return Err(ApiError::conflict(res, name));
            }
            let pt = patch_type(headers)?;
            if sub.is_none() && admission_applies(cluster, res) {
                let preview =
                    store.patch(target.res, &ns, name, pt, &body, false, dry(write_opts))?;
                admit(cluster, res, &preview)?;
            }
            Ok(json_response(
                200,
                &store.patch(target.res, &ns, name, pt, &body, sub.is_some(), write_opts)?,
            ))
        }
        ("DELETE", Some(name), None) => {
            let opts: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let precondition = Preconditions {
                resource_version: opts["preconditions"]["resourceVersion"]
                    .as_str()
                    .map(str::to_string),
                uid: opts["preconditions"]["uid"].as_str().map(str::to_string),
            };
            Ok(json_response(
                200,
                &store.delete(target.res, &ns, name, &precondition, write_opts)?,
            ))
        }
        ("DELETE", None, None) => {
            let query = query_of(target, params, res)?;
            let items = store.delete_collection(target.res, &query, write_opts)?;
            Ok(json_response(
                200,
                &json!({"kind": format!("{}List", res.kind), "apiVersion": res.api_version(), "metadata": {}, "items": items}),
            ))
        }
        (m, Some(name), Some("scale")) => {
            scale(store, target, res, &ns, name, m, headers, &body, write_opts)
        }
        ("GET", Some(name), Some("log")) => {
            cluster
                .workloads
                .pod_log(&ns, name, params, cluster.faults.watch_drop)
                .await
        }
        (_, Some(name), Some(sub)) if sub == "proxy" || sub.starts_with("proxy") => {
            cluster
                .workloads
                .proxy(res.kind, &ns, name, &target.rest, params)
                .await
        }
        (_, Some(name), Some(sub)) if sub.contains(':') => {
            let _ = name;
            Err(ApiError::path_not_found())
        }
        _ => Err(ApiError::method_not_supported(res, method.as_str())),
    }
}

#[allow(clippy::too_many_arguments)]
fn scale(
    store: &Store,
    target: &Target,
    res: &ResourceType,
    ns: &str,
    name: &str,
    method: &str,
    headers: &HeaderMap,
    body: &[u8],
    opts: WriteOptions,
) -> Result<Response, ApiError> {
    let to_scale = |o: &Value| {
        let selector = o["spec"]["selector"]["matchLabels"].as_object().map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(",")
        });
        json!({
            "kind": "Scale", "apiVersion": "autoscaling/v1",
            "metadata": {"name": o["metadata"]["name"], "namespace": o["metadata"]["namespace"], "uid": o["metadata"]["uid"], "resourceVersion": o["metadata"]["resourceVersion"], "creationTimestamp": o["metadata"]["creationTimestamp"]},
            "spec": {"replicas": o["spec"]["replicas"].as_i64().unwrap_or(1)},
            "status": {"replicas": o["status"]["replicas"].as_i64().unwrap_or(0), "selector": selector.unwrap_or_default()}
        })
    };
    let current = store.get(target.res, ns, name)?;
    let desired: Value = match method {
        "GET" => return Ok(json_response(200, &to_scale(&current))),
        "PUT" => json_body(body)?,
        "PATCH" => {
            let pt = patch_type(headers)?;
            crate::patch::apply(&to_scale(&current), pt, body).map_err(ApiError::bad_request)?
        }
        _ => return Err(ApiError::method_not_supported(res, method)),
    };
    let replicas = desired["spec"]["replicas"]
        .as_i64()
        .ok_or_else(|| ApiError::bad_request("spec.replicas is required".into()))?;
    let mut updated = current.clone();
    updated["spec"]["replicas"] = json!(replicas);
    if let Some(rv) = desired["metadata"]["resourceVersion"]
        .as_str()
        .filter(|s| !s.is_empty())
    {
        updated["metadata"]["resourceVersion"] = json!(rv);
    }
    let stored = store.update(target.res, ns, name, updated, false, opts)?;
    Ok(json_response(200, &to_scale(&stored)))
}

/// True when an admission policy (`--faults max-gateway-replicas=N`) checks writes of `res`.
fn admission_applies(cluster: &Cluster, res: &ResourceType) -> bool {
    res.kind == "Gateway" && cluster.faults.max_gateway_replicas.is_some()
}

fn dry(opts: WriteOptions) -> WriteOptions {
    WriteOptions {
        dry_run: true,
        ..opts
    }
}

/// The admission policy, applied to the object a write would store: 422 Invalid with a field
/// cause, like a ValidatingAdmissionPolicy with a `fieldPath`.
fn admit(cluster: &Cluster, res: &ResourceType, obj: &Value) -> Result<(), ApiError> {
    let Some(max) = cluster.faults.max_gateway_replicas else {
        return Ok(());
    };
    let replicas = obj["spec"]["deployment"]["replicas"].as_i64().unwrap_or(1);
    if replicas <= max {
        return Ok(());
    }
    let name = obj["metadata"]["name"].as_str().unwrap_or_default();
    Err(ApiError::invalid(
        res,
        name,
        vec![Cause {
            field: "spec.deployment.replicas".into(),
            reason: "FieldValueInvalid",
            message: format!(
                "Invalid value: {replicas}: ValidatingAdmissionPolicy 'gateway-replicas' denied request: at most {max} replicas per gateway"
            ),
        }],
    ))
}

fn access_review(user: &User, mut review: Value) -> Value {
    let attrs = &review["spec"]["resourceAttributes"];
    let verb = attrs["verb"].as_str().unwrap_or_default();
    let group = attrs["group"].as_str().unwrap_or_default();
    let resource = attrs["resource"].as_str().unwrap_or_default();
    let namespace = attrs["namespace"].as_str().filter(|s| !s.is_empty());
    let name = attrs["name"].as_str().filter(|s| !s.is_empty());
    let allowed = user.allows(verb, group, resource, namespace, name);
    review["status"] = if allowed {
        json!({"allowed": true, "reason": format!("RBAC: allowed for user \"{}\"", user.name())})
    } else {
        json!({"allowed": false, "reason": format!("RBAC: user \"{}\" may not {verb} {resource}", user.name())})
    };
    review["apiVersion"] = json!("authorization.k8s.io/v1");
    review["kind"] = json!("SelfSubjectAccessReview");
    if !review["metadata"].is_object() {
        review["metadata"] = json!({});
    }
    review["metadata"]["creationTimestamp"] = Value::Null;
    review
}

fn event_line(kind: &str, object: &Value) -> Bytes {
    let mut line = serde_json::to_vec(&json!({"type": kind, "object": object})).unwrap_or_default();
    line.push(b'\n');
    Bytes::from(line)
}

/// `?watch=1`: newline-delimited `WatchEvent`s, starting at `resourceVersion` (or with synthetic
/// ADDED events for the current state), bookmarks when asked, closed after `timeoutSeconds`.
fn watch_response(
    cluster: &Shared,
    target: &Target,
    res: &'static ResourceType,
    params: &HashMap<String, String>,
    wants_table: bool,
) -> Result<Response, ApiError> {
    let query = query_of(target, params, res)?;
    let store = cluster.store.clone();
    let bookmarks = params
        .get("allowWatchBookmarks")
        .is_some_and(|v| v == "true" || v == "1");
    let timeout = params
        .get("timeoutSeconds")
        .and_then(|t| t.parse::<u64>().ok())
        .map(Duration::from_secs)
        .unwrap_or(cluster.max_watch);
    let timeout = match cluster.faults.watch_drop {
        Some(d) => timeout.min(d),
        None => timeout,
    };
    let from = params
        .get("resourceVersion")
        .filter(|v| !v.is_empty() && *v != "0")
        .cloned();
    let resumed = from.is_some();
    let (initial, mut last_rv, rx) = match from {
        None => {
            let (items, rv, rx) = store.snapshot_and_subscribe(target.res, &query);
            (
                items.into_iter().map(|o| ("ADDED", o)).collect::<Vec<_>>(),
                rv,
                Ok(rx),
            )
        }
        Some(v) => {
            let from: u64 = v
                .parse()
                .map_err(|_| ApiError::bad_request(format!("invalid resource version: {v}")))?;
            match store.watch_from(target.res, from) {
                Ok((backlog, rx)) => {
                    let events: Vec<(&str, Value)> = backlog
                        .iter()
                        .filter(|e| query.matches(&e.object))
                        .map(|e| (e.kind.as_str(), e.object.clone()))
                        .collect();
                    let last = backlog.last().map_or(from, |e| e.rv);
                    (events, last, Ok(rx))
                }
                Err(gone) => (Vec::new(), from, Err(gone)),
            }
        }
    };
    let res_id = target.res;
    let (tx, out) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(64);
    let encode = move |kind: &str, obj: &Value, first: &mut bool| -> Bytes {
        if wants_table && kind != "ERROR" && kind != "BOOKMARK" {
            let rv = obj["metadata"]["resourceVersion"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let t = table::table(res, std::slice::from_ref(obj), &rv, None, *first);
            *first = false;
            event_line(kind, &t)
        } else {
            event_line(kind, obj)
        }
    };
    tokio::spawn(async move {
        let mut first = true;
        let mut rx = match rx {
            Ok(rx) => rx,
            Err(gone) => {
                let _ = tx.send(Ok(event_line("ERROR", &gone.body))).await;
                return;
            }
        };
        for (kind, obj) in &initial {
            if tx.send(Ok(encode(kind, obj, &mut first))).await.is_err() {
                return;
            }
        }
        let _ = resumed;
        let deadline = tokio::time::Instant::now() + timeout;
        let mut tick = tokio::time::interval(Duration::from_secs(10));
        tick.tick().await;
        loop {
            tokio::select! {
                _ = tokio::time::sleep_until(deadline) => return,
                _ = tick.tick(), if bookmarks => {
                    let bm = json!({"kind": res.kind, "apiVersion": res.api_version(), "metadata": {"resourceVersion": last_rv.to_string()}});
                    if tx.send(Ok(event_line("BOOKMARK", &bm))).await.is_err() { return; }
                }
                _ = tx.closed() => return,
                ev = rx.recv() => match ev {
                    Ok(ev) => {
                        if ev.rv <= last_rv { continue; }
                        last_rv = ev.rv;
                        if ev.res != res_id || !query.matches(&ev.object) { continue; }
                        let kind = match ev.kind { EventType::Added => "ADDED", EventType::Modified => "MODIFIED", EventType::Deleted => "DELETED" };
                        if tx.send(Ok(encode(kind, &ev.object, &mut first))).await.is_err() { return; }
                    }
                    Err(RecvError::Lagged(_)) => {
                        let gone = ApiError::gone(format!("too old resource version: {last_rv}"));
                        let _ = tx.send(Ok(event_line("ERROR", &gone.body))).await;
                        return;
                    }
                    Err(RecvError::Closed) => return,
                }
            }
        }
    });
    let stream = tokio_stream::wrappers::ReceiverStream::new(out);
    let mut r = Response::new(Body::from_stream(stream));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
    r.headers_mut()
        .insert(header::CACHE_CONTROL, "no-cache, private".parse().unwrap());
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let t = parse_path("/api/v1/namespaces/demo/pods/p1/log")
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                registry::get(t.res).plural,
                t.namespace.as_deref(),
                t.name.as_deref(),
                t.subresource.as_deref()
            ),
            ("pods", Some("demo"), Some("p1"), Some("log"))
        );
        let t = parse_path("/api/v1/namespaces/demo").unwrap().unwrap();
        assert_eq!(
            (registry::get(t.res).plural, t.name.as_deref()),
            ("namespaces", Some("demo"))
        );
        let t = parse_path("/apis/gateway.kubesphere.io/v1alpha1/gateways")
            .unwrap()
            .unwrap();
        assert_eq!(
            (registry::get(t.res).plural, t.namespace),
            ("gateways", None)
        );
        let t = parse_path("/api/v1/watch/namespaces/x/pods")
            .unwrap()
            .unwrap();
        assert!(t.legacy_watch);
        let t = parse_path("/api/v1/namespaces/mon/services/prometheus:9090/proxy/api/v1/query")
            .unwrap()
            .unwrap();
        assert_eq!(
            (t.name.as_deref(), t.subresource.as_deref(), t.rest.as_str()),
            (Some("prometheus:9090"), Some("proxy"), "/api/v1/query")
        );
        assert!(parse_path("/api/v1/bogus").is_err());
        assert!(parse_path("/api/v1/nodes/n1/log").is_err());
        assert!(parse_path("/apis/apps/v1").unwrap().is_none());
    }
}
