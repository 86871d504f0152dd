//! Legacy (KubeSphere 3.0/3.1) gateways: a plain Service + Deployment `kubesphere-router-<ns>` in
//! `kubesphere-controls-system`, labelled `app=kubesphere, component=ks-router, tier=backend,
//! project=<ns>`, without a Gateway CR (reference §1.2, §3.1).

use k8s_openapi::api::core::v1::Service;

use crate::form::{rows_from_map, GatewayForm};
use crate::gateway::{AccessMode, StringMap};
use crate::names::{
    GatewayScope, LEGACY_LABELS, LEGACY_PROJECT_LABEL, ROUTER_PREFIX, TRACING_ANNOTATION,
};

/// What the UI shows for a legacy gateway (which can only be disabled or upgraded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegacyGateway {
    /// The project the legacy gateway serves.
    pub project: String,
    /// Service name (`kubesphere-router-<ns>`).
    pub name: String,
    /// Service namespace (normally `kubesphere-controls-system`).
    pub namespace: String,
    /// `spec.type` of the Service as written (`NodePort`, `LoadBalancer`, …).
    pub service_type: String,
    /// Service annotations without the legacy tracing key.
    pub annotations: StringMap,
    /// Legacy "Application Governance": `servicemesh.kubesphere.io/enabled: "true"` on the Service.
    pub tracing: bool,
    /// The Service's `creationTimestamp` (RFC 3339), when known.
    pub created: Option<String>,
}

impl LegacyGateway {
    /// Typed access mode, if the Service type is one of the two gateway modes.
    pub fn access_mode(&self) -> Option<AccessMode> {
        AccessMode::parse(&self.service_type)
    }

    /// The gateway scope this legacy gateway occupies.
    pub fn scope(&self) -> GatewayScope {
        GatewayScope::for_project(&self.project)
    }

    /// Name of the legacy nginx ConfigMap (`kubesphere-router-<ns>-nginx`) holding its options.
    pub fn config_map_name(&self) -> String {
        format!("{}-nginx", self.name)
    }

    /// The form of the Gateway that replaces it ("Update", reference §3.1/§4): same access mode
    /// (NodePort when the Service type is not a gateway mode), tracing, Service annotations for a
    /// load balancer, and the options of its nginx ConfigMap.
    pub fn to_form(&self, config: &StringMap) -> GatewayForm {
        let mut form = GatewayForm::new_for(&self.scope());
        form.access_mode = self.access_mode().unwrap_or(AccessMode::NodePort);
        form.tracing = self.tracing;
        if form.access_mode == AccessMode::LoadBalancer {
            form.annotations = rows_from_map(&self.annotations);
        }
        form.config = rows_from_map(config);
        form
    }
}

/// True when the Service carries all three legacy router labels.
pub fn is_legacy_service(service: &Service) -> bool {
    let Some(labels) = service.metadata.labels.as_ref() else {
        return false;
    };
    LEGACY_LABELS
        .iter()
        .all(|(k, v)| labels.get(*k).map(String::as_str) == Some(*v))
}

/// Recognises a legacy gateway Service. The project comes from the `project` label, falling back
/// to the name suffix after `kubesphere-router-`; `None` if the Service is not a legacy gateway.
pub fn legacy_gateway(service: &Service) -> Option<LegacyGateway> {
    if !is_legacy_service(service) {
        return None;
    }
    let name = service.metadata.name.clone().unwrap_or_default();
    let project = service
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(LEGACY_PROJECT_LABEL))
        .filter(|p| !p.is_empty())
        .cloned()
        .or_else(|| {
            name.strip_prefix(ROUTER_PREFIX)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
        })?;
    let mut annotations = service.metadata.annotations.clone().unwrap_or_default();
    let tracing = annotations
        .remove(TRACING_ANNOTATION)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    Some(LegacyGateway {
        project,
        name,
        namespace: service.metadata.namespace.clone().unwrap_or_default(),
        service_type: service
            .spec
            .as_ref()
            .and_then(|s| s.type_.clone())
            .unwrap_or_default(),
        annotations,
        tracing,
        created: service
            .metadata
            .creation_timestamp
            .as_ref()
            .map(|t| t.0.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn svc(labels: serde_json::Value) -> Service {
        serde_json::from_value(json!({
            "metadata": {"name": "kubesphere-router-demo", "namespace": "kubesphere-controls-system",
                         "labels": labels,
                         "annotations": {"servicemesh.kubesphere.io/enabled": "true", "a": "b"}},
            "spec": {"type": "NodePort"}
        }))
        .unwrap()
    }

    #[test]
    fn recognises_legacy_services() {
        let s = svc(
            json!({"app": "kubesphere", "component": "ks-router", "tier": "backend", "project": "shop"}),
        );
        let g = legacy_gateway(&s).unwrap();
        assert_eq!(g.project, "shop");
        assert_eq!(g.access_mode(), Some(AccessMode::NodePort));
        assert!(g.tracing);
        assert_eq!(g.annotations.len(), 1);
        assert_eq!(g.scope(), GatewayScope::Project("shop".into()));

        let no_project =
            svc(json!({"app": "kubesphere", "component": "ks-router", "tier": "backend"}));
        assert_eq!(legacy_gateway(&no_project).unwrap().project, "demo");

        let other =
            svc(json!({"app": "kubesphere", "component": "ks-apiserver", "tier": "backend"}));
        assert!(legacy_gateway(&other).is_none());
        let form = g.to_form(&StringMap::from([("use-gzip".into(), "true".into())]));
        assert_eq!(form.access_mode, AccessMode::NodePort);
        assert!(form.tracing);
        assert!(form.annotations.is_empty(), "NodePort keeps no annotations");
        assert_eq!(form.config.len(), 1);
        assert_eq!(g.config_map_name(), "kubesphere-router-demo-nginx");
        let gw = form.to_new_gateway(&g.scope(), Some("kubesphere-controls-system"), None);
        assert_eq!(gw.name(), "kubesphere-router-shop");
        let unlabelled: Service =
            serde_json::from_value(json!({"metadata": {"name": "x"}})).unwrap();
        assert!(legacy_gateway(&unlabelled).is_none());
    }
}
