//! Names, namespaces and labels of KubeSphere gateways (reference §1.2, §1.3).
//!
//! The *cluster gateway* is the gateway of project `kubesphere-system`; it always lives in
//! `kubesphere-controls-system`. A *project gateway* for project `<ns>` is named
//! `kubesphere-router-<ns>` and lives in the *working namespace* (from `kubesphere-config`).

use kube_core::{Expression, Selector};

/// API group of the Gateway CRD.
pub const GATEWAY_GROUP: &str = "gateway.kubesphere.io";
/// API version of the Gateway CRD served by KubeSphere 3.2–3.4.
pub const GATEWAY_VERSION: &str = "v1alpha1";
/// `apiVersion` field value.
pub const GATEWAY_API_VERSION: &str = "gateway.kubesphere.io/v1alpha1";
/// Kind of the Gateway CRD.
pub const GATEWAY_KIND: &str = "Gateway";
/// Plural resource name.
pub const GATEWAY_PLURAL: &str = "gateways";
/// Name of the CustomResourceDefinition.
pub const GATEWAY_CRD_NAME: &str = "gateways.gateway.kubesphere.io";

/// Prefix of every gateway name.
pub const ROUTER_PREFIX: &str = "kubesphere-router-";
/// The project whose gateway is the cluster gateway.
pub const KUBESPHERE_SYSTEM: &str = "kubesphere-system";
/// Default working namespace, and the namespace of the cluster gateway.
pub const CONTROLS_NAMESPACE: &str = "kubesphere-controls-system";
/// Name of the cluster gateway (`kubesphere-router-kubesphere-system`).
pub const CLUSTER_GATEWAY_NAME: &str = "kubesphere-router-kubesphere-system";

/// ConfigMap holding KubeSphere's configuration (namespace `kubesphere-system`).
pub const KUBESPHERE_CONFIG_NAME: &str = "kubesphere-config";
/// Key of the YAML document inside `kubesphere-config`.
pub const KUBESPHERE_CONFIG_KEY: &str = "kubesphere.yaml";

/// Finalizer the helm operator puts on gateways; deletion waits for it.
pub const HELM_FINALIZER: &str = "uninstall-helm-release";
/// Metadata annotation holding the chosen load balancer provider.
pub const PROVIDER_ANNOTATION: &str = "kubesphere.io/annotations";
/// Metadata annotation naming the creator.
pub const CREATOR_ANNOTATION: &str = "kubesphere.io/creator";
/// Deployment annotation switched by the Tracing toggle.
pub const TRACING_ANNOTATION: &str = "servicemesh.kubesphere.io/enabled";
/// Name of the controller container in gateway pods.
pub const CONTROLLER_CONTAINER: &str = "controller";
/// Port of the controller's Prometheus metrics.
pub const METRICS_PORT: u16 = 10254;

/// Labels of a legacy (3.0/3.1) gateway Service/Deployment, as `key=value` pairs.
pub const LEGACY_LABELS: [(&str, &str); 3] = [
    ("app", "kubesphere"),
    ("component", "ks-router"),
    ("tier", "backend"),
];
/// Label of a legacy gateway naming its project.
pub const LEGACY_PROJECT_LABEL: &str = "project";

/// Node role labels that mark control-plane nodes (newer, then older Kubernetes).
pub const CONTROL_PLANE_LABELS: [&str; 2] = [
    "node-role.kubernetes.io/control-plane",
    "node-role.kubernetes.io/master",
];

/// Which gateway: the cluster gateway or the gateway of one project.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum GatewayScope {
    /// The cluster gateway (`kubesphere-router-kubesphere-system`).
    Cluster,
    /// The gateway of a project (namespace).
    Project(String),
}

impl GatewayScope {
    /// Scope of a project; project `kubesphere-system` *is* the cluster gateway (kubesphere#5021).
    pub fn for_project(project: &str) -> Self {
        if project == KUBESPHERE_SYSTEM {
            GatewayScope::Cluster
        } else {
            GatewayScope::Project(project.to_string())
        }
    }

    /// The Gateway object's name.
    pub fn gateway_name(&self) -> String {
        match self {
            GatewayScope::Cluster => CLUSTER_GATEWAY_NAME.to_string(),
            GatewayScope::Project(ns) => format!("{ROUTER_PREFIX}{ns}"),
        }
    }

    /// The namespace the Gateway object (and its workloads) live in, given the working namespace.
    /// `working_namespace == None` means project gateways live in their own project namespace.
    pub fn gateway_namespace(&self, working_namespace: Option<&str>) -> String {
        match self {
            GatewayScope::Cluster => CONTROLS_NAMESPACE.to_string(),
            GatewayScope::Project(ns) => working_namespace.unwrap_or(ns).to_string(),
        }
    }

    /// The project this gateway serves (`kubesphere-system` for the cluster gateway).
    pub fn project(&self) -> &str {
        match self {
            GatewayScope::Cluster => KUBESPHERE_SYSTEM,
            GatewayScope::Project(ns) => ns,
        }
    }

    /// True for the cluster gateway.
    pub fn is_cluster(&self) -> bool {
        matches!(self, GatewayScope::Cluster)
    }
}

/// `app.kubernetes.io/instance` of the ingress-nginx release behind a gateway.
pub fn ingress_instance(gateway_name: &str) -> String {
    format!("{gateway_name}-ingress")
}

/// Labels every gateway Service and Deployment carries (ingress-nginx chart, reference §1.2).
pub const CONTROLLER_LABELS: [(&str, &str); 2] = [
    ("app.kubernetes.io/name", "ingress-nginx"),
    ("app.kubernetes.io/component", "controller"),
];

/// Label selector of every gateway's Services and Deployments.
pub fn controller_selector() -> Selector {
    CONTROLLER_LABELS.into_iter().collect()
}

/// Label selector of the Services and Deployments of `gateways` (a set-based
/// `app.kubernetes.io/instance in (…)`).
pub fn controller_selector_for(gateways: &[&str]) -> Selector {
    let instances = gateways.iter().map(|g| ingress_instance(g)).collect();
    let mut selector = controller_selector();
    selector.extend(Expression::In(
        "app.kubernetes.io/instance".into(),
        instances,
    ));
    selector
}

/// Label selector of a gateway's controller pods (reference §1.2).
pub fn pod_selector(gateway_name: &str) -> Selector {
    [
        Expression::Equal("app.kubernetes.io/name".into(), "ingress-nginx".into()),
        Expression::Equal(
            "app.kubernetes.io/instance".into(),
            ingress_instance(gateway_name),
        ),
    ]
    .into_iter()
    .collect()
}

/// Prometheus `job` label of a gateway's metrics.
pub fn metrics_job(gateway_name: &str) -> String {
    format!("{gateway_name}-metrics")
}

/// Label selector of legacy gateway Services.
pub fn legacy_selector() -> Selector {
    LEGACY_LABELS.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_and_project_names() {
        assert_eq!(
            GatewayScope::Cluster.gateway_name(),
            "kubesphere-router-kubesphere-system"
        );
        assert_eq!(
            GatewayScope::for_project("kubesphere-system"),
            GatewayScope::Cluster
        );
        let p = GatewayScope::for_project("demo");
        assert_eq!(p.gateway_name(), "kubesphere-router-demo");
        assert_eq!(
            p.gateway_namespace(Some("kubesphere-controls-system")),
            "kubesphere-controls-system"
        );
        assert_eq!(p.gateway_namespace(None), "demo");
        assert_eq!(
            GatewayScope::Cluster.gateway_namespace(None),
            "kubesphere-controls-system"
        );
    }

    #[test]
    fn selectors() {
        assert_eq!(
            pod_selector("kubesphere-router-demo").to_string(),
            "app.kubernetes.io/name=ingress-nginx,app.kubernetes.io/instance=kubesphere-router-demo-ingress"
        );
        assert_eq!(
            legacy_selector().to_string(),
            "app=kubesphere,component=ks-router,tier=backend"
        );
        assert_eq!(
            controller_selector_for(&["kubesphere-router-demo", "kubesphere-router-kubesphere-system"])
                .to_string(),
            "app.kubernetes.io/component=controller,app.kubernetes.io/name=ingress-nginx,\
             app.kubernetes.io/instance in (kubesphere-router-demo-ingress,kubesphere-router-kubesphere-system-ingress)"
        );
        assert_eq!(
            metrics_job("kubesphere-router-demo"),
            "kubesphere-router-demo-metrics"
        );
    }
}
