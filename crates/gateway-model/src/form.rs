//! Form model of the Enable/Edit gateway dialog (reference §5): conversion from a Gateway, to a new
//! Gateway, validation, minimal merge patches for edits, and rebasing edits onto a newer object
//! after a `409 Conflict`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::gateway::{
    AccessMode, ControllerSpec, DeploymentSpec, Gateway, GatewaySpec, ScopeSpec, ServiceSpec,
    StringMap, DEFAULT_REPLICAS,
};
use crate::json_diff::{self, Change};
use crate::names::{GatewayScope, CREATOR_ANNOTATION, PROVIDER_ANNOTATION, TRACING_ANNOTATION};
use crate::providers::{self, QINGCLOUD};
use crate::validation::{self, FieldError, FormField};

/// One row of a key/value editor (annotations, configuration options).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct KeyValueRow {
    /// Key as typed.
    pub key: String,
    /// Value as typed (defaults to `""`).
    pub value: String,
}

impl KeyValueRow {
    /// A row.
    pub fn new(key: &str, value: &str) -> Self {
        KeyValueRow {
            key: key.to_string(),
            value: value.to_string(),
        }
    }
}

/// Rows of a map, in key order.
pub fn rows_from_map(map: &StringMap) -> Vec<KeyValueRow> {
    map.iter().map(|(k, v)| KeyValueRow::new(k, v)).collect()
}

/// The map written for rows: rows with an empty key are skipped; for repeated keys the last row wins
/// (validation reports duplicates before that can matter).
pub fn map_from_rows(rows: &[KeyValueRow]) -> StringMap {
    rows.iter()
        .filter(|r| !r.key.is_empty())
        .map(|r| (r.key.clone(), r.value.clone()))
        .collect()
}

/// "Add" is allowed unless some row is still entirely empty (KubeSphere's rule).
pub fn can_add_row(rows: &[KeyValueRow]) -> bool {
    !rows.iter().any(validation::is_blank_row)
}

/// The dialog's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayForm {
    /// `spec.service.type`.
    pub access_mode: AccessMode,
    /// Tracing toggle (`spec.deployment.annotations["servicemesh.kubesphere.io/enabled"]`).
    pub tracing: bool,
    /// Stored provider value (`kubesphere.io/annotations`), `None` = no provider.
    pub provider: Option<String>,
    /// `spec.service.annotations` rows (LoadBalancer only).
    pub annotations: Vec<KeyValueRow>,
    /// `spec.controller.config` rows.
    pub config: Vec<KeyValueRow>,
    /// `spec.deployment.replicas`.
    pub replicas: i32,
}

/// Changes to one string map: keys set (added or changed) and keys removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapEdits {
    /// Keys added or changed, with their new value.
    pub set: BTreeMap<String, String>,
    /// Keys removed.
    pub removed: BTreeSet<String>,
}

impl MapEdits {
    /// Edits that turn `base` into `ours`.
    pub fn between(base: &StringMap, ours: &StringMap) -> Self {
        MapEdits {
            set: ours
                .iter()
                .filter(|(k, v)| base.get(*k) != Some(*v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            removed: base
                .keys()
                .filter(|k| !ours.contains_key(*k))
                .cloned()
                .collect(),
        }
    }

    /// True when nothing changes.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.removed.is_empty()
    }

    /// Every key touched.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.set.keys().chain(self.removed.iter())
    }

    fn apply(&self, target: &mut StringMap) {
        for k in &self.removed {
            target.remove(k);
        }
        for (k, v) in &self.set {
            target.insert(k.clone(), v.clone());
        }
    }

    fn ours(&self, key: &str) -> Option<String> {
        self.set.get(key).cloned()
    }
}

/// What the user changed in the form relative to the form of the object they started from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormEdits {
    /// New access mode.
    pub access_mode: Option<AccessMode>,
    /// New tracing value.
    pub tracing: Option<bool>,
    /// New provider (`Some(None)` = cleared).
    pub provider: Option<Option<String>>,
    /// Service annotation changes.
    pub annotations: MapEdits,
    /// Configuration option changes.
    pub config: MapEdits,
    /// New replica count.
    pub replicas: Option<i32>,
}

impl FormEdits {
    /// True when the user changed nothing.
    pub fn is_empty(&self) -> bool {
        self.access_mode.is_none()
            && self.tracing.is_none()
            && self.provider.is_none()
            && self.annotations.is_empty()
            && self.config.is_empty()
            && self.replicas.is_none()
    }

    /// A copy of `gateway` with these edits applied; nothing else is touched (no defaults injected).
    pub fn apply_to(&self, gateway: &Gateway) -> Gateway {
        let mut gw = gateway.clone();
        if let Some(mode) = self.access_mode {
            service_mut(&mut gw).type_ = Some(mode.as_str().to_string());
        }
        if !self.annotations.is_empty() {
            self.annotations.apply(
                service_mut(&mut gw)
                    .annotations
                    .get_or_insert_with(StringMap::new),
            );
        }
        if !self.config.is_empty() {
            self.config.apply(
                controller_mut(&mut gw)
                    .config
                    .get_or_insert_with(StringMap::new),
            );
        }
        if let Some(n) = self.replicas {
            deployment_mut(&mut gw).replicas = Some(n);
        }
        if let Some(on) = self.tracing {
            deployment_mut(&mut gw)
                .annotations
                .get_or_insert_with(StringMap::new)
                .insert(TRACING_ANNOTATION.to_string(), on.to_string());
        }
        if let Some(provider) = &self.provider {
            gw.metadata
                .annotations
                .get_or_insert_with(BTreeMap::new)
                .insert(
                    PROVIDER_ANNOTATION.to_string(),
                    provider.clone().unwrap_or_default(),
                );
        }
        gw
    }
}

fn service_mut(gw: &mut Gateway) -> &mut ServiceSpec {
    gw.spec.service.get_or_insert_with(ServiceSpec::default)
}

fn controller_mut(gw: &mut Gateway) -> &mut ControllerSpec {
    gw.spec
        .controller
        .get_or_insert_with(ControllerSpec::default)
}

fn deployment_mut(gw: &mut Gateway) -> &mut DeploymentSpec {
    gw.spec
        .deployment
        .get_or_insert_with(DeploymentSpec::default)
}

/// A user edit that overlaps a concurrent change by someone else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RebaseConflict {
    /// The field (`Annotations`/`ConfigOptions` for map keys).
    pub field: FormField,
    /// Map key, for annotation/config conflicts.
    pub key: Option<String>,
    /// Value when the user opened the dialog (`None` = absent).
    pub base: Option<String>,
    /// The user's value (`None` = removed).
    pub ours: Option<String>,
    /// The value in the latest object (`None` = absent).
    pub theirs: Option<String>,
}

/// Result of [`GatewayForm::rebase`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rebased {
    /// The user's edits re-applied on the latest object (the user's value wins on overlaps).
    pub form: GatewayForm,
    /// Overlapping edits the user should review.
    pub conflicts: Vec<RebaseConflict>,
}

impl GatewayForm {
    /// Defaults of a new gateway (identical for cluster and project gateways): NodePort, tracing off,
    /// no provider, no annotations, no configuration options (no `worker-processes` injected), 1 replica.
    pub fn new_for(_scope: &GatewayScope) -> Self {
        GatewayForm {
            access_mode: AccessMode::NodePort,
            tracing: false,
            provider: None,
            annotations: Vec::new(),
            config: Vec::new(),
            replicas: DEFAULT_REPLICAS,
        }
    }

    /// The form of an existing gateway. An absent service type reads as `LoadBalancer` (what the
    /// chart deploys); an unknown one as `NodePort`; an empty provider as `None`.
    pub fn from_gateway(gateway: &Gateway) -> Self {
        GatewayForm {
            access_mode: gateway.access_mode().unwrap_or(AccessMode::NodePort),
            tracing: gateway.is_tracing_enabled(),
            provider: gateway.provider().map(str::to_string),
            annotations: rows_from_map(&gateway.service_annotations()),
            config: rows_from_map(&gateway.config()),
            replicas: gateway.desired_replicas(),
        }
    }

    /// Switches access mode like KubeSphere: to LoadBalancer with no annotations → QingCloud
    /// defaults and provider; to NodePort → annotations and provider cleared.
    pub fn set_access_mode(&mut self, mode: AccessMode) {
        if mode == self.access_mode {
            return;
        }
        self.access_mode = mode;
        match mode {
            AccessMode::LoadBalancer => {
                if self.annotations.iter().all(validation::is_blank_row) {
                    let qc = providers::qingcloud();
                    self.annotations = rows_from_map(&qc.default_annotations());
                    self.provider = Some(QINGCLOUD.to_string());
                }
            }
            AccessMode::NodePort => {
                self.annotations.clear();
                self.provider = None;
            }
        }
    }

    /// Chooses a provider like KubeSphere: QingCloud pre-fills its defaults, any other provider
    /// clears the annotations. Choosing the current provider again changes nothing.
    pub fn set_provider(&mut self, provider: Option<&str>) {
        let provider = provider.map(str::trim).filter(|p| !p.is_empty());
        if provider == self.provider.as_deref() {
            return;
        }
        self.annotations = match provider.and_then(providers::provider_by_value) {
            Some(p) => rows_from_map(&p.default_annotations()),
            None => Vec::new(),
        };
        self.provider = provider.map(str::to_string);
    }

    /// Annotation keys suggested by the chosen provider that are not used yet.
    pub fn suggested_annotation_keys(&self) -> Vec<&'static str> {
        providers::suggested_keys(self.provider.as_deref())
            .iter()
            .copied()
            .filter(|k| !self.annotations.iter().any(|r| r.key == *k))
            .collect()
    }

    /// All messages for the form (errors and warnings). Annotations are only checked in
    /// LoadBalancer mode, where they are shown.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if self.access_mode == AccessMode::LoadBalancer {
            out.extend(validation::validate_annotations(&self.annotations));
        }
        out.extend(validation::validate_config(&self.config));
        out.extend(validation::validate_replicas(i64::from(self.replicas)));
        out
    }

    /// True when [`validate`](Self::validate) reports a blocking error.
    pub fn has_errors(&self) -> bool {
        self.validate().iter().any(FieldError::is_error)
    }

    /// The Gateway to POST for a new gateway (shape of reference §5.2, without `worker-processes`).
    /// Name/namespace/scope follow [`GatewayScope`]; cluster scope is `{enabled:false, namespace:""}`,
    /// project scope `{enabled:true, namespace:<ns>}`. The creator annotation is only written when
    /// given; the provider annotation is always written (`""` for none); tracing is `"true"`/`"false"`.
    pub fn to_new_gateway(
        &self,
        scope: &GatewayScope,
        working_namespace: Option<&str>,
        creator: Option<&str>,
    ) -> Gateway {
        let mut gw = Gateway::new(
            &scope.gateway_name(),
            &scope.gateway_namespace(working_namespace),
            GatewaySpec {
                controller: Some(ControllerSpec {
                    replicas: Some(1),
                    annotations: Some(StringMap::new()),
                    config: Some(map_from_rows(&self.config)),
                    scope: Some(ScopeSpec {
                        enabled: Some(!scope.is_cluster()),
                        namespace: Some(if scope.is_cluster() {
                            String::new()
                        } else {
                            scope.project().to_string()
                        }),
                        ..ScopeSpec::default()
                    }),
                    ..ControllerSpec::default()
                }),
                deployment: Some(DeploymentSpec {
                    replicas: Some(self.replicas),
                    annotations: Some(StringMap::from([(
                        TRACING_ANNOTATION.to_string(),
                        self.tracing.to_string(),
                    )])),
                    ..DeploymentSpec::default()
                }),
                service: Some(ServiceSpec {
                    type_: Some(self.access_mode.as_str().to_string()),
                    annotations: Some(map_from_rows(&self.annotations)),
                    ..ServiceSpec::default()
                }),
                ..GatewaySpec::default()
            },
        );
        let mut annotations = BTreeMap::from([(
            PROVIDER_ANNOTATION.to_string(),
            self.provider.clone().unwrap_or_default(),
        )]);
        if let Some(c) = creator {
            annotations.insert(CREATOR_ANNOTATION.to_string(), c.to_string());
        }
        gw.metadata.annotations = Some(annotations);
        gw
    }

    /// What this form changes relative to `base` (normally `GatewayForm::from_gateway(original)`).
    pub fn edits_since(&self, base: &GatewayForm) -> FormEdits {
        fn changed<T: PartialEq>(a: T, b: T) -> Option<T> {
            (a != b).then_some(b)
        }
        FormEdits {
            access_mode: changed(base.access_mode, self.access_mode),
            tracing: changed(base.tracing, self.tracing),
            provider: (base.provider != self.provider).then(|| self.provider.clone()),
            annotations: MapEdits::between(
                &map_from_rows(&base.annotations),
                &map_from_rows(&self.annotations),
            ),
            config: MapEdits::between(&map_from_rows(&base.config), &map_from_rows(&self.config)),
            replicas: changed(base.replicas, self.replicas),
        }
    }

    /// True when submitting would change `original`.
    pub fn has_changes(&self, original: &Gateway) -> bool {
        !self
            .edits_since(&GatewayForm::from_gateway(original))
            .is_empty()
    }

    /// JSON merge patch (`application/merge-patch+json`) that applies exactly the user's edits to
    /// `original`: changed/added map keys are set, removed keys are `null`, untouched fields are
    /// absent. It carries `metadata.resourceVersion` of `original`, so a stale patch gets `409`.
    pub fn merge_patch(&self, original: &Gateway) -> Value {
        let desired = self
            .edits_since(&GatewayForm::from_gateway(original))
            .apply_to(original);
        let mut patch = json_diff::merge_patch(&original.to_value(), &desired.to_value())
            .unwrap_or_else(|| json!({}));
        if let Some(rv) = original.resource_version() {
            if let Value::Object(root) = &mut patch {
                let meta = root.entry("metadata").or_insert_with(|| json!({}));
                if let Value::Object(meta) = meta {
                    meta.insert("resourceVersion".to_string(), Value::String(rv.to_string()));
                }
            }
        }
        patch
    }

    /// Re-applies the user's edits (this form vs `ours_base`, the object the dialog was opened on)
    /// onto `theirs_latest`, reporting edits whose field/key was also changed concurrently to a
    /// different value. Submit the result with `rebased.form.merge_patch(theirs_latest)`.
    pub fn rebase(&self, ours_base: &Gateway, theirs_latest: &Gateway) -> Rebased {
        let base = GatewayForm::from_gateway(ours_base);
        let theirs = GatewayForm::from_gateway(theirs_latest);
        let edits = self.edits_since(&base);
        let mut conflicts = Vec::new();
        let mut scalar =
            |field: FormField, b: Option<String>, o: Option<String>, t: Option<String>| {
                if t != b && t != o {
                    conflicts.push(RebaseConflict {
                        field,
                        key: None,
                        base: b,
                        ours: o,
                        theirs: t,
                    });
                }
            };
        if let Some(mode) = edits.access_mode {
            let s = |m: AccessMode| Some(m.as_str().to_string());
            scalar(
                FormField::AccessMode,
                s(base.access_mode),
                s(mode),
                s(theirs.access_mode),
            );
        }
        if let Some(on) = edits.tracing {
            scalar(
                FormField::Tracing,
                Some(base.tracing.to_string()),
                Some(on.to_string()),
                Some(theirs.tracing.to_string()),
            );
        }
        if let Some(p) = &edits.provider {
            scalar(
                FormField::Provider,
                base.provider.clone(),
                p.clone(),
                theirs.provider.clone(),
            );
        }
        if let Some(n) = edits.replicas {
            scalar(
                FormField::Replicas,
                Some(base.replicas.to_string()),
                Some(n.to_string()),
                Some(theirs.replicas.to_string()),
            );
        }
        for (field, map_edits, b, t) in [
            (
                FormField::Annotations,
                &edits.annotations,
                &base.annotations,
                &theirs.annotations,
            ),
            (
                FormField::ConfigOptions,
                &edits.config,
                &base.config,
                &theirs.config,
            ),
        ] {
            let (b, t) = (map_from_rows(b), map_from_rows(t));
            for key in map_edits.keys() {
                let (bv, ov, tv) = (
                    b.get(key).cloned(),
                    map_edits.ours(key),
                    t.get(key).cloned(),
                );
                if tv != bv && tv != ov {
                    conflicts.push(RebaseConflict {
                        field: field.clone(),
                        key: Some(key.clone()),
                        base: bv,
                        ours: ov,
                        theirs: tv,
                    });
                }
            }
        }
        let form = GatewayForm::from_gateway(&edits.apply_to(theirs_latest));
        Rebased { form, conflicts }
    }
}

/// What changed between two versions of a gateway, for the conflict view: spec and metadata
/// (labels, annotations, finalizers, deletion), ignoring status and bookkeeping fields
/// (`resourceVersion`, `generation`, `managedFields`).
pub fn gateway_changes(before: &Gateway, after: &Gateway) -> Vec<Change> {
    fn comparable(gw: &Gateway) -> Value {
        let mut v = gw.to_value();
        if let Value::Object(root) = &mut v {
            root.remove("status");
            if let Some(Value::Object(meta)) = root.get_mut("metadata") {
                for k in ["resourceVersion", "generation", "managedFields"] {
                    meta.remove(k);
                }
            }
        }
        v
    }
    json_diff::changes(&comparable(before), &comparable(after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::tests::{cluster_example, project_example};
    use crate::validation::{ErrorCode, Severity};
    use proptest::prelude::*;

    fn example(v: Value) -> Gateway {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn defaults_and_new_gateway() {
        let scope = GatewayScope::Project("demo".into());
        let form = GatewayForm::new_for(&scope);
        assert_eq!(form.access_mode, AccessMode::NodePort);
        assert!(form.config.is_empty() && !form.tracing && form.replicas == 1);
        let gw = form.to_new_gateway(&scope, Some("kubesphere-controls-system"), Some("admin"));
        assert_eq!(
            gw.to_value(),
            json!({"apiVersion": "gateway.kubesphere.io/v1alpha1", "kind": "Gateway",
              "metadata": {"name": "kubesphere-router-demo", "namespace": "kubesphere-controls-system",
                           "annotations": {"kubesphere.io/annotations": "", "kubesphere.io/creator": "admin"}},
              "spec": {"controller": {"replicas": 1, "annotations": {}, "config": {},
                                      "scope": {"enabled": true, "namespace": "demo"}},
                       "deployment": {"annotations": {"servicemesh.kubesphere.io/enabled": "false"}, "replicas": 1},
                       "service": {"annotations": {}, "type": "NodePort"}}})
        );
        let cluster = form.to_new_gateway(&GatewayScope::Cluster, Some("ignored"), None);
        assert_eq!(cluster.name(), "kubesphere-router-kubesphere-system");
        assert_eq!(cluster.namespace(), "kubesphere-controls-system");
        let v = cluster.to_value();
        assert_eq!(
            v["spec"]["controller"]["scope"],
            json!({"enabled": false, "namespace": ""})
        );
        assert!(v["metadata"]["annotations"]
            .get("kubesphere.io/creator")
            .is_none());
        let own_ns = form.to_new_gateway(&scope, None, None);
        assert_eq!(own_ns.namespace(), "demo");
    }

    #[test]
    fn access_mode_and_provider_switching() {
        let mut f = GatewayForm::new_for(&GatewayScope::Cluster);
        f.set_access_mode(AccessMode::LoadBalancer);
        assert_eq!(f.provider.as_deref(), Some(QINGCLOUD));
        assert_eq!(f.annotations.len(), 2);
        f.set_provider(Some("Amazon EKS"));
        assert!(f.annotations.is_empty());
        assert_eq!(f.suggested_annotation_keys().len(), 30);
        f.annotations.push(KeyValueRow::new(
            "service.beta.kubernetes.io/aws-load-balancer-type",
            "nlb",
        ));
        assert_eq!(f.suggested_annotation_keys().len(), 29);
        f.set_provider(Some("Amazon EKS"));
        assert_eq!(
            f.annotations.len(),
            1,
            "re-selecting the same provider keeps rows"
        );
        f.set_access_mode(AccessMode::NodePort);
        f.set_access_mode(AccessMode::LoadBalancer);
        assert_eq!(f.provider.as_deref(), Some(QINGCLOUD));
        f.annotations = vec![KeyValueRow::new("x", "y")];
        f.provider = None;
        f.set_access_mode(AccessMode::NodePort);
        assert!(f.annotations.is_empty() && f.provider.is_none());
        f.annotations = vec![KeyValueRow::new("x", "y")];
        f.set_access_mode(AccessMode::LoadBalancer);
        assert_eq!(
            f.annotations,
            vec![KeyValueRow::new("x", "y")],
            "non-empty annotations are kept"
        );
        assert!(f.provider.is_none());
        assert!(can_add_row(&f.annotations));
        f.annotations.push(KeyValueRow::default());
        assert!(!can_add_row(&f.annotations));
    }

    #[test]
    fn from_gateway_reads_examples() {
        let f = GatewayForm::from_gateway(&example(cluster_example()));
        assert_eq!(f.access_mode, AccessMode::LoadBalancer);
        assert_eq!(f.provider.as_deref(), Some(QINGCLOUD));
        assert_eq!(f.config, vec![KeyValueRow::new("worker-processes", "4")]);
        let p = GatewayForm::from_gateway(&example(project_example()));
        assert!(p.tracing && p.replicas == 2 && p.provider.is_none());
    }

    #[test]
    fn validate_reports_blocking_errors() {
        let mut f = GatewayForm::new_for(&GatewayScope::Cluster);
        assert!(f.validate().is_empty());
        f.config = vec![
            KeyValueRow::new("use-gzip", "yes"),
            KeyValueRow::new("my-key", "1"),
        ];
        let errs = f.validate();
        assert!(f.has_errors());
        assert!(errs.iter().any(|e| e.severity == Severity::Warning
            && matches!(e.code, ErrorCode::UnknownConfigKey { .. })));
        f.config.clear();
        f.annotations = vec![KeyValueRow::new("bad key", "")];
        assert!(
            !f.has_errors(),
            "annotations are hidden (and not checked) in NodePort mode"
        );
        f.access_mode = AccessMode::LoadBalancer;
        assert!(f.has_errors());
    }

    #[test]
    fn merge_patch_touches_only_changes() {
        let original = example(project_example());
        let mut f = GatewayForm::from_gateway(&original);
        assert!(!f.has_changes(&original));
        assert_eq!(
            f.merge_patch(&original),
            json!({"metadata": {"resourceVersion": "1200"}})
        );

        f.replicas = 3;
        assert_eq!(
            f.merge_patch(&original),
            json!({"metadata": {"resourceVersion": "1200"}, "spec": {"deployment": {"replicas": 3}}})
        );

        let mut f = GatewayForm::from_gateway(&original);
        f.config.retain(|r| r.key != "worker-processes");
        f.config.push(KeyValueRow::new("use-gzip", "true"));
        f.set_access_mode(AccessMode::LoadBalancer);
        let patch = f.merge_patch(&original);
        assert_eq!(
            patch,
            json!({
                "metadata": {"resourceVersion": "1200", "annotations": {"kubesphere.io/annotations": QINGCLOUD}},
                "spec": {
                    "controller": {"config": {"worker-processes": null, "use-gzip": "true"}},
                    "service": {"type": "LoadBalancer", "annotations": {
                        "service.beta.kubernetes.io/qingcloud-load-balancer-eip-ids": "",
                        "service.beta.kubernetes.io/qingcloud-load-balancer-type": "0"}}
                }
            })
        );
        let mut applied = original.to_value();
        json_diff::apply_merge_patch(&mut applied, &patch);
        let applied: Gateway = serde_json::from_value(applied).unwrap();
        assert_eq!(GatewayForm::from_gateway(&applied), f);
    }

    #[test]
    fn worker_processes_is_never_injected() {
        let mut v = project_example();
        v["spec"]["controller"]["config"] = json!({});
        v["spec"]["deployment"]["annotations"] = json!({});
        let original = example(v);
        let mut f = GatewayForm::from_gateway(&original);
        f.replicas = 5;
        let patch = f.merge_patch(&original);
        assert_eq!(
            patch,
            json!({"metadata": {"resourceVersion": "1200"}, "spec": {"deployment": {"replicas": 5}}})
        );
        assert!(!patch.to_string().contains("worker-processes"));
        assert!(
            !patch.to_string().contains("servicemesh"),
            "tracing untouched is not written"
        );
        let new = GatewayForm::new_for(&GatewayScope::Cluster).to_new_gateway(
            &GatewayScope::Cluster,
            None,
            None,
        );
        assert!(!new.to_value().to_string().contains("worker-processes"));
    }

    #[test]
    fn tracing_and_provider_edits() {
        let original = example(cluster_example());
        let mut f = GatewayForm::from_gateway(&original);
        f.tracing = true;
        f.set_access_mode(AccessMode::NodePort);
        let patch = f.merge_patch(&original);
        assert_eq!(
            patch["spec"]["deployment"],
            json!({"annotations": {"servicemesh.kubesphere.io/enabled": "true"}})
        );
        assert_eq!(
            patch["metadata"]["annotations"],
            json!({"kubesphere.io/annotations": ""})
        );
        assert_eq!(
            patch["spec"]["service"],
            json!({"type": "NodePort", "annotations": {
                "service.beta.kubernetes.io/qingcloud-load-balancer-eip-ids": null,
                "service.beta.kubernetes.io/qingcloud-load-balancer-type": null}})
        );
    }

    #[test]
    fn rebase_reports_overlaps() {
        let base = example(project_example());
        let mut theirs_v = project_example();
        theirs_v["metadata"]["resourceVersion"] = json!("1300");
        theirs_v["spec"]["deployment"]["replicas"] = json!(4);
        theirs_v["spec"]["controller"]["config"] =
            json!({"worker-processes": "8", "use-gzip": "true"});
        let theirs = example(theirs_v);

        let mut ours = GatewayForm::from_gateway(&base);
        ours.replicas = 3; // they changed it to 4 → conflict
        ours.config = vec![
            KeyValueRow::new("worker-processes", "4"),
            KeyValueRow::new("proxy-body-size", "8m"),
        ];
        ours.tracing = false; // they did not touch tracing → no conflict
        let r = ours.rebase(&base, &theirs);
        assert_eq!(r.conflicts.len(), 1);
        assert_eq!(r.conflicts[0].field, FormField::Replicas);
        assert_eq!(r.conflicts[0].theirs.as_deref(), Some("4"));
        assert_eq!(r.form.replicas, 3);
        assert!(!r.form.tracing);
        // their worker-processes change survives; our new key is added; their use-gzip survives
        assert_eq!(
            map_from_rows(&r.form.config),
            StringMap::from([
                ("proxy-body-size".into(), "8m".into()),
                ("use-gzip".into(), "true".into()),
                ("worker-processes".into(), "8".into()),
            ])
        );
        let patch = r.form.merge_patch(&theirs);
        assert_eq!(patch["metadata"]["resourceVersion"], json!("1300"));

        // Now overlap on a config key.
        let mut ours = GatewayForm::from_gateway(&base);
        ours.config = vec![KeyValueRow::new("worker-processes", "2")];
        let r = ours.rebase(&base, &theirs);
        assert_eq!(
            r.conflicts,
            vec![RebaseConflict {
                field: FormField::ConfigOptions,
                key: Some("worker-processes".into()),
                base: Some("4".into()),
                ours: Some("2".into()),
                theirs: Some("8".into()),
            }]
        );
    }

    #[test]
    fn changes_between_gateways() {
        let a = example(project_example());
        let mut v = project_example();
        v["metadata"]["resourceVersion"] = json!("9999");
        v["spec"]["deployment"]["replicas"] = json!(4);
        v["status"] = json!({});
        v["spec"]["service"]["annotations"] = json!({"a.b/c": "1"});
        let b = example(v);
        let c = gateway_changes(&a, &b);
        let paths: Vec<_> = c.iter().map(Change::display_path).collect();
        assert_eq!(
            paths,
            vec![
                "spec.deployment.replicas",
                "spec.service.annotations[\"a.b/c\"]"
            ]
        );
        assert_eq!(c[0].old, Some(json!(2)));
        assert_eq!(c[0].new, Some(json!(4)));
    }

    fn valid_key() -> impl Strategy<Value = String> {
        "([a-z0-9]{1,8}\\.){0,2}[a-z]{1,8}/[A-Za-z0-9]([-A-Za-z0-9_.]{0,10}[A-Za-z0-9])?"
    }

    fn rows(keys: impl Strategy<Value = String>) -> impl Strategy<Value = Vec<KeyValueRow>> {
        prop::collection::btree_map(keys, "[ -~]{0,12}", 0..6).prop_map(|m| {
            m.into_iter()
                .map(|(k, v)| KeyValueRow { key: k, value: v })
                .collect()
        })
    }

    fn valid_form() -> impl Strategy<Value = GatewayForm> {
        let provider = prop_oneof![
            Just(None),
            prop::sample::select(
                providers::PROVIDERS
                    .iter()
                    .map(|p| p.value)
                    .collect::<Vec<_>>()
            )
            .prop_map(|p| Some(p.to_string())),
        ];
        (
            any::<bool>(),
            any::<bool>(),
            provider,
            rows(valid_key()),
            rows("[a-z][-a-z0-9]{0,15}"),
            0..=i32::MAX,
        )
            .prop_map(|(lb, tracing, provider, annotations, config, replicas)| {
                GatewayForm {
                    access_mode: if lb {
                        AccessMode::LoadBalancer
                    } else {
                        AccessMode::NodePort
                    },
                    tracing,
                    provider,
                    annotations,
                    config,
                    replicas,
                }
            })
    }

    fn scope() -> impl Strategy<Value = GatewayScope> {
        prop_oneof![
            Just(GatewayScope::Cluster),
            "[a-z][-a-z0-9]{0,20}".prop_map(|p| GatewayScope::for_project(&p))
        ]
    }

    proptest! {
        #[test]
        fn form_round_trips_through_a_new_gateway(form in valid_form(), scope in scope(), creator in proptest::option::of("[a-z]{1,8}")) {
            let gw = form.to_new_gateway(&scope, Some("kubesphere-controls-system"), creator.as_deref());
            let json = serde_json::to_string(&gw).unwrap();
            let back: Gateway = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(&back, &gw);
            prop_assert_eq!(GatewayForm::from_gateway(&back), form.clone());
            prop_assert_eq!(back.scope(), Some(scope));
            prop_assert_eq!(back.creator(), creator.as_deref());
            prop_assert!(!form.has_changes(&back));
        }

        #[test]
        fn merge_patch_reaches_the_form(original in valid_form(), edited in valid_form()) {
            let gw = original.to_new_gateway(&GatewayScope::Cluster, None, None);
            let patch = edited.merge_patch(&gw);
            let mut v = gw.to_value();
            json_diff::apply_merge_patch(&mut v, &patch);
            let patched: Gateway = serde_json::from_value(v).unwrap();
            prop_assert_eq!(GatewayForm::from_gateway(&patched), edited.clone());
            if original == edited {
                prop_assert_eq!(patch, json!({}));
            }
        }

        #[test]
        fn merge_patch_only_touches_edited_paths(original in valid_form(), edited in valid_form()) {
            let mut gw = original.to_new_gateway(&GatewayScope::Project("p".into()), None, Some("me"));
            gw.metadata.resource_version = Some("7".into());
            let patch = edited.merge_patch(&gw);
            prop_assert_eq!(&patch["metadata"]["resourceVersion"], &json!("7"));
            let mut v = gw.to_value();
            json_diff::apply_merge_patch(&mut v, &patch);
            let allowed = |c: &Change| {
                let p: Vec<&str> = c.path.iter().map(String::as_str).collect();
                matches!(
                    p.as_slice(),
                    ["spec", "service", "type"]
                        | ["spec", "service", "annotations", _]
                        | ["spec", "controller", "config", _]
                        | ["spec", "deployment", "replicas"]
                        | ["spec", "deployment", "annotations", TRACING_ANNOTATION]
                        | ["metadata", "annotations", PROVIDER_ANNOTATION]
                )
            };
            for change in json_diff::changes(&gw.to_value(), &v) {
                prop_assert!(allowed(&change), "unexpected change {}", change.display_path());
            }
            prop_assert!(!patch.to_string().contains("worker-processes") || edited.config.iter().any(|r| r.key == "worker-processes")
                || original.config.iter().any(|r| r.key == "worker-processes"));
        }
    }
}
