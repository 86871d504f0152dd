//! Gateway health (helm operator conditions + controller Deployment) and gateway addresses
//! (Service load balancer ingress, or control-plane node InternalIPs for NodePort; reference §2.4, §14).

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Node, Service};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::gateway::Gateway;
use crate::names::CONTROL_PLANE_LABELS;

/// Condition type set by the helm operator after a successful install/upgrade.
pub const CONDITION_DEPLOYED: &str = "Deployed";
/// Condition type set by the helm operator when install/upgrade failed.
pub const CONDITION_RELEASE_FAILED: &str = "ReleaseFailed";
/// Condition type set by the helm operator when reconciling failed.
pub const CONDITION_IRRECONCILABLE: &str = "Irreconcilable";

/// What the UI says about a gateway's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayHealth {
    /// Deployed and every desired replica is ready (also `0/0` when scaled to zero).
    Healthy {
        /// Ready controller pods.
        ready: i32,
        /// Desired controller pods.
        desired: i32,
    },
    /// Being installed, upgraded or scaled.
    Progressing {
        /// Ready controller pods.
        ready: i32,
        /// Desired controller pods (from the Gateway spec).
        desired: i32,
    },
    /// The operator or the Deployment reports a failure.
    Failed {
        /// Condition type or reason, e.g. `UpgradeError` or `ProgressDeadlineExceeded`.
        reason: String,
        /// Message of the failing condition (may be long Helm output).
        message: String,
    },
    /// Deletion was requested; waiting for the operator to uninstall the release.
    Disabling,
    /// Not enough information (e.g. deployed but the Deployment is not visible).
    Unknown,
}

/// Desired and ready replicas of the controller Deployment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReplicaCounts {
    /// `spec.replicas` (Kubernetes default 1).
    pub desired: i32,
    /// `status.readyReplicas` (0 if absent).
    pub ready: i32,
    /// `status.updatedReplicas` (0 if absent).
    pub updated: i32,
    /// `status.replicas`: all pods, including old ones still terminating (0 if absent).
    pub current: i32,
}

/// Replica counts of a Deployment.
pub fn replica_counts(deployment: &Deployment) -> ReplicaCounts {
    let desired = deployment
        .spec
        .as_ref()
        .and_then(|s| s.replicas)
        .unwrap_or(1);
    let status = deployment.status.as_ref();
    ReplicaCounts {
        desired,
        ready: status.and_then(|s| s.ready_replicas).unwrap_or(0),
        updated: status.and_then(|s| s.updated_replicas).unwrap_or(0),
        current: status.and_then(|s| s.replicas).unwrap_or(0),
    }
}

/// Health of a gateway. Pass `deployment = None` when the controller Deployment is not known
/// (not created yet, not loaded, or not readable).
///
/// Order: deletion → operator failure (`ReleaseFailed`/`Irreconcilable` true) → Deployment failure
/// (`Progressing=False` or `ReplicaFailure=True`) → replica comparison. A gateway without any
/// condition and without a Deployment counts as `Progressing` (the operator has not acted yet).
pub fn gateway_health(gateway: &Gateway, deployment: Option<&Deployment>) -> GatewayHealth {
    if gateway.is_deleting() {
        return GatewayHealth::Disabling;
    }
    let conditions = gateway.conditions();
    for failing in [CONDITION_RELEASE_FAILED, CONDITION_IRRECONCILABLE] {
        if let Some(c) = conditions
            .iter()
            .find(|c| c.type_ == failing && c.is_true())
        {
            return GatewayHealth::Failed {
                reason: c
                    .reason
                    .clone()
                    .filter(|r| !r.is_empty())
                    .unwrap_or_else(|| c.type_.clone()),
                message: c.message.clone().unwrap_or_default(),
            };
        }
    }
    let deployed = conditions
        .iter()
        .any(|c| c.type_ == CONDITION_DEPLOYED && c.is_true());
    let desired = gateway.desired_replicas();
    let Some(deployment) = deployment else {
        return if deployed {
            GatewayHealth::Unknown
        } else {
            GatewayHealth::Progressing { ready: 0, desired }
        };
    };
    if let Some(failure) = deployment_failure(deployment) {
        return failure;
    }
    let counts = replica_counts(deployment);
    let rolled_out = deployment_observed(deployment)
        && counts.desired == desired
        && counts.updated >= desired
        && counts.current <= desired;
    if deployed && rolled_out && counts.ready >= desired {
        GatewayHealth::Healthy {
            ready: counts.ready,
            desired,
        }
    } else {
        GatewayHealth::Progressing {
            ready: counts.ready,
            desired,
        }
    }
}

fn deployment_observed(deployment: &Deployment) -> bool {
    let generation = deployment.metadata.generation;
    let observed = deployment
        .status
        .as_ref()
        .and_then(|s| s.observed_generation);
    match (generation, observed) {
        (Some(g), Some(o)) => o >= g,
        (Some(_), None) => false,
        _ => true,
    }
}

fn deployment_failure(deployment: &Deployment) -> Option<GatewayHealth> {
    let conditions = deployment.status.as_ref()?.conditions.as_ref()?;
    conditions
        .iter()
        .find(|c| {
            (c.type_ == "Progressing" && c.status == "False")
                || (c.type_ == "ReplicaFailure" && c.status == "True")
        })
        .map(|c| GatewayHealth::Failed {
            reason: c
                .reason
                .clone()
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| c.type_.clone()),
            message: c.message.clone().unwrap_or_default(),
        })
}

/// Why a gateway has no address to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoAddressReason {
    /// The gateway Service does not exist (yet).
    NoService,
    /// `LoadBalancer` Service whose load balancer has not been provisioned yet.
    LoadBalancerPending,
    /// The node list is not available (not loaded or not permitted).
    NodesUnknown,
    /// No node carries a control-plane role label.
    NoControlPlaneNodes,
    /// Control-plane nodes exist but report no `InternalIP`.
    NoInternalIp,
    /// A Service type this UI cannot derive an address for (e.g. `ClusterIP`).
    UnsupportedServiceType(String),
}

/// True for nodes labelled with either control-plane role label (any value).
pub fn is_control_plane(node: &Node) -> bool {
    let labels = node.metadata.labels.as_ref();
    CONTROL_PLANE_LABELS
        .iter()
        .any(|l| labels.is_some_and(|m| m.contains_key(*l)))
}

/// `InternalIP` addresses of a node, in status order.
pub fn internal_ips(node: &Node) -> Vec<String> {
    node.status
        .as_ref()
        .and_then(|s| s.addresses.as_ref())
        .map(|a| {
            a.iter()
                .filter(|a| a.type_ == "InternalIP")
                .map(|a| a.address.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// `InternalIP`s of control-plane nodes, sorted by node name, without duplicates.
pub fn control_plane_ips(nodes: &[Node]) -> Result<Vec<String>, NoAddressReason> {
    let mut planes: Vec<&Node> = nodes.iter().filter(|n| is_control_plane(n)).collect();
    if planes.is_empty() {
        return Err(NoAddressReason::NoControlPlaneNodes);
    }
    planes.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    let mut ips: Vec<String> = Vec::new();
    for ip in planes.into_iter().flat_map(internal_ips) {
        if !ips.contains(&ip) {
            ips.push(ip);
        }
    }
    if ips.is_empty() {
        Err(NoAddressReason::NoInternalIp)
    } else {
        Ok(ips)
    }
}

/// `status.loadBalancer.ingress[].ip` (or `.hostname` when no ip), in order.
pub fn load_balancer_addresses(service: &Service) -> Vec<String> {
    service
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .map(|ingress| {
            ingress
                .iter()
                .filter_map(|i| {
                    i.ip.clone()
                        .filter(|s| !s.is_empty())
                        .or_else(|| i.hostname.clone())
                })
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Addresses of a gateway as KubeSphere shows them: the load balancer ingress when there is
/// one; otherwise, for `NodePort`, the control-plane nodes' InternalIPs (either role label,
/// fixing kubesphere#5889). `nodes = None` means the node list is not available.
pub fn gateway_addresses(
    service: Option<&Service>,
    nodes: Option<&[Node]>,
) -> Result<Vec<String>, NoAddressReason> {
    let service = service.ok_or(NoAddressReason::NoService)?;
    let lb = load_balancer_addresses(service);
    if !lb.is_empty() {
        return Ok(lb);
    }
    let type_ = service
        .spec
        .as_ref()
        .and_then(|s| s.type_.as_deref())
        .unwrap_or("ClusterIP");
    match type_ {
        "LoadBalancer" => Err(NoAddressReason::LoadBalancerPending),
        "NodePort" => control_plane_ips(nodes.ok_or(NoAddressReason::NodesUnknown)?),
        other => Err(NoAddressReason::UnsupportedServiceType(other.to_string())),
    }
}

/// One Service port (`status.service` of the KubeSphere API, rebuilt from the Service).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayPort {
    /// Port name (`http`, `https`, …), empty if unnamed.
    pub name: String,
    /// `TCP`/`UDP`/`SCTP` (default `TCP`).
    pub protocol: String,
    /// Service port.
    pub port: i32,
    /// Allocated node port, if any.
    pub node_port: Option<i32>,
    /// Container port (number or name) the traffic goes to, if set.
    pub target_port: Option<String>,
}

/// All ports of a Service.
pub fn service_ports(service: &Service) -> Vec<GatewayPort> {
    service
        .spec
        .as_ref()
        .and_then(|s| s.ports.as_ref())
        .map(|ports| {
            ports
                .iter()
                .map(|p| GatewayPort {
                    name: p.name.clone().unwrap_or_default(),
                    protocol: p.protocol.clone().unwrap_or_else(|| "TCP".to_string()),
                    port: p.port,
                    node_port: p.node_port,
                    target_port: p.target_port.as_ref().map(|t| match t {
                        IntOrString::Int(n) => n.to_string(),
                        IntOrString::String(s) => s.clone(),
                    }),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The `http`/`https` ports of a gateway Service (matched by port name).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HttpPorts {
    /// Service port named `http`.
    pub http: Option<i32>,
    /// Service port named `https`.
    pub https: Option<i32>,
    /// Node port of `http`.
    pub http_node_port: Option<i32>,
    /// Node port of `https`.
    pub https_node_port: Option<i32>,
}

/// Finds the ports named `http` and `https`.
pub fn http_ports(service: &Service) -> HttpPorts {
    let mut out = HttpPorts::default();
    for p in service_ports(service) {
        match p.name.as_str() {
            "http" => {
                out.http = Some(p.port);
                out.http_node_port = p.node_port;
            }
            "https" => {
                out.https = Some(p.port);
                out.https_node_port = p.node_port;
            }
            _ => {}
        }
    }
    out
}

/// `scheme://address[:port]`; IPv6 literals get brackets; the default port of the scheme is omitted.
pub fn endpoint_url(https: bool, address: &str, port: Option<i32>) -> String {
    let scheme = if https { "https" } else { "http" };
    let host = if address.contains(':') && !address.starts_with('[') {
        format!("[{address}]")
    } else {
        address.to_string()
    };
    match port {
        Some(p) if !((https && p == 443) || (!https && p == 80)) => {
            format!("{scheme}://{host}:{p}")
        }
        _ => format!("{scheme}://{host}"),
    }
}

/// The access URLs of a gateway, as the card and the table show them: for each of the first
/// `max_addresses` addresses, `http://` then `https://`, on the node ports in `NodePort` mode,
/// else on the Service ports; a scheme the Service has no port for is left out.
pub fn access_urls(
    addresses: &[String],
    ports: &HttpPorts,
    node_port_mode: bool,
    max_addresses: usize,
) -> Vec<String> {
    let (http, https) = if node_port_mode {
        (ports.http_node_port, ports.https_node_port)
    } else {
        (ports.http, ports.https)
    };
    let mut urls = Vec::new();
    for address in addresses.iter().take(max_addresses) {
        if http.is_some() {
            urls.push(endpoint_url(false, address, http));
        }
        if https.is_some() {
            urls.push(endpoint_url(true, address, https));
        }
    }
    urls
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn gw(status: serde_json::Value, replicas: i32) -> Gateway {
        serde_json::from_value(json!({
            "metadata": {"name": "kubesphere-router-demo", "namespace": "kubesphere-controls-system"},
            "spec": {"deployment": {"replicas": replicas}},
            "status": status
        }))
        .unwrap()
    }

    fn deploy(replicas: i32, ready: i32, extra: serde_json::Value) -> Deployment {
        let mut v = json!({
            "metadata": {"name": "kubesphere-router-demo", "generation": 2},
            "spec": {"replicas": replicas, "selector": {}, "template": {}},
            "status": {"observedGeneration": 2, "replicas": replicas, "updatedReplicas": replicas,
                       "readyReplicas": ready}
        });
        if let Some(conds) = extra.get("conditions") {
            v["status"]["conditions"] = conds.clone();
        }
        serde_json::from_value(v).unwrap()
    }

    fn deployed() -> serde_json::Value {
        json!({"conditions": [{"type": "Deployed", "status": "True", "reason": "InstallSuccessful"}]})
    }

    #[test]
    fn health_states() {
        assert_eq!(
            gateway_health(&gw(deployed(), 2), Some(&deploy(2, 2, json!({})))),
            GatewayHealth::Healthy {
                ready: 2,
                desired: 2
            }
        );
        assert_eq!(
            gateway_health(&gw(deployed(), 2), Some(&deploy(2, 1, json!({})))),
            GatewayHealth::Progressing {
                ready: 1,
                desired: 2
            }
        );
        // Gateway says 3, Deployment not yet scaled by the operator.
        assert_eq!(
            gateway_health(&gw(deployed(), 3), Some(&deploy(2, 2, json!({})))),
            GatewayHealth::Progressing {
                ready: 2,
                desired: 3
            }
        );
        assert_eq!(
            gateway_health(&gw(deployed(), 0), Some(&deploy(0, 0, json!({})))),
            GatewayHealth::Healthy {
                ready: 0,
                desired: 0
            }
        );
        assert_eq!(
            gateway_health(&gw(json!({}), 1), None),
            GatewayHealth::Progressing {
                ready: 0,
                desired: 1
            }
        );
        assert_eq!(
            gateway_health(&gw(deployed(), 1), None),
            GatewayHealth::Unknown
        );
        let failed = json!({"conditions": [
            {"type": "Deployed", "status": "True"},
            {"type": "ReleaseFailed", "status": "True", "reason": "UpgradeError", "message": "boom"}]});
        assert_eq!(
            gateway_health(&gw(failed, 1), Some(&deploy(1, 1, json!({})))),
            GatewayHealth::Failed {
                reason: "UpgradeError".into(),
                message: "boom".into()
            }
        );
        let irreconcilable =
            json!({"conditions": [{"type": "Irreconcilable", "status": "True", "message": "x"}]});
        assert_eq!(
            gateway_health(&gw(irreconcilable, 1), None),
            GatewayHealth::Failed {
                reason: "Irreconcilable".into(),
                message: "x".into()
            }
        );
        let stuck = deploy(
            1,
            0,
            json!({"conditions": [{"type": "Progressing", "status": "False",
            "reason": "ProgressDeadlineExceeded", "message": "too slow"}]}),
        );
        assert!(matches!(gateway_health(&gw(deployed(), 1), Some(&stuck)),
            GatewayHealth::Failed { reason, .. } if reason == "ProgressDeadlineExceeded"));
        let mut deleting = gw(deployed(), 1);
        deleting.metadata.deletion_timestamp =
            Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(
                "2024-01-01T00:00:00Z".parse().unwrap(),
            ));
        assert_eq!(gateway_health(&deleting, None), GatewayHealth::Disabling);
    }

    fn node(name: &str, label: Option<&str>, ip: Option<&str>) -> Node {
        let mut labels = serde_json::Map::new();
        if let Some(l) = label {
            labels.insert(l.to_string(), json!(""));
        }
        let addresses: Vec<_> = ip
            .into_iter()
            .map(|ip| json!({"type": "InternalIP", "address": ip}))
            .chain([json!({"type": "Hostname", "address": name})])
            .collect();
        serde_json::from_value(json!({"metadata": {"name": name, "labels": labels},
                                      "status": {"addresses": addresses}}))
        .unwrap()
    }

    fn service(type_: &str, lb: serde_json::Value) -> Service {
        serde_json::from_value(json!({
            "metadata": {"name": "kubesphere-router-demo"},
            "spec": {"type": type_, "ports": [
                {"name": "http", "protocol": "TCP", "port": 80, "targetPort": "http", "nodePort": 31380},
                {"name": "https", "protocol": "TCP", "port": 443, "targetPort": "https", "nodePort": 31390}]},
            "status": {"loadBalancer": lb}
        }))
        .unwrap()
    }

    #[test]
    fn addresses() {
        let nodes = vec![
            node("worker", None, Some("10.0.0.9")),
            node(
                "m2",
                Some("node-role.kubernetes.io/master"),
                Some("10.0.0.2"),
            ),
            node(
                "m1",
                Some("node-role.kubernetes.io/control-plane"),
                Some("10.0.0.1"),
            ),
        ];
        let np = service("NodePort", json!({}));
        assert_eq!(
            gateway_addresses(Some(&np), Some(&nodes)),
            Ok(vec!["10.0.0.1".to_string(), "10.0.0.2".into()])
        );
        assert_eq!(
            gateway_addresses(Some(&np), Some(&nodes[..1])),
            Err(NoAddressReason::NoControlPlaneNodes)
        );
        let no_ip = vec![node("m", Some("node-role.kubernetes.io/master"), None)];
        assert_eq!(
            gateway_addresses(Some(&np), Some(&no_ip)),
            Err(NoAddressReason::NoInternalIp)
        );
        assert_eq!(
            gateway_addresses(Some(&np), None),
            Err(NoAddressReason::NodesUnknown)
        );
        assert_eq!(
            gateway_addresses(None, Some(&nodes)),
            Err(NoAddressReason::NoService)
        );
        let pending = service("LoadBalancer", json!({}));
        assert_eq!(
            gateway_addresses(Some(&pending), Some(&nodes)),
            Err(NoAddressReason::LoadBalancerPending)
        );
        let lb = service(
            "LoadBalancer",
            json!({"ingress": [{"ip": "139.198.1.1"}, {"hostname": "lb.example.com"}]}),
        );
        assert_eq!(
            gateway_addresses(Some(&lb), Some(&nodes)),
            Ok(vec!["139.198.1.1".to_string(), "lb.example.com".into()])
        );
        let cip = service("ClusterIP", json!({}));
        assert_eq!(
            gateway_addresses(Some(&cip), Some(&nodes)),
            Err(NoAddressReason::UnsupportedServiceType("ClusterIP".into()))
        );
    }

    #[test]
    fn ports_and_urls() {
        let np = service("NodePort", json!({}));
        let ports = http_ports(&np);
        assert_eq!(ports.http_node_port, Some(31380));
        assert_eq!(ports.https_node_port, Some(31390));
        assert_eq!(service_ports(&np).len(), 2);
        assert_eq!(
            access_urls(&["10.0.0.1".into(), "10.0.0.2".into()], &ports, true, 1),
            vec!["http://10.0.0.1:31380", "https://10.0.0.1:31390"]
        );
        assert_eq!(
            access_urls(&["lb.example.com".into()], &ports, false, 3),
            vec!["http://lb.example.com", "https://lb.example.com"]
        );
        let http_only = HttpPorts {
            https: None,
            https_node_port: None,
            ..ports
        };
        assert_eq!(
            access_urls(&["a".into(), "b".into()], &http_only, true, 3),
            vec!["http://a:31380", "http://b:31380"]
        );
        assert!(access_urls(&[], &ports, true, 3).is_empty());
        assert_eq!(
            endpoint_url(false, "fd00::1", Some(30080)),
            "http://[fd00::1]:30080"
        );
        assert_eq!(endpoint_url(true, "a", Some(443)), "https://a");
        assert_eq!(endpoint_url(true, "a", Some(31390)), "https://a:31390");
    }
}
