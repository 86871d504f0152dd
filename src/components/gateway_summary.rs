//! The card of one gateway: access mode, address, node ports and access URLs, replicas
//! (ready/desired), tracing, provider, creator, creation time, health. Live: the gateway and
//! its Service, Deployment and nodes are watched. The Manage menu is passed in as children.

use gateway_model::gateway::Gateway;
use gateway_model::health::{
    access_urls, gateway_health, http_ports, replica_counts, GatewayHealth,
};
use gateway_model::providers::provider_label;
use leptos::prelude::*;

use crate::i18n::{t, tr};
use crate::state::gateway_workloads::{no_address_key, GatewayWorkloads};

/// At most this many access URLs per scheme are shown.
const MAX_URLS: usize = 3;

/// Translation key and CSS modifier of a health state.
pub fn health_label(health: &GatewayHealth) -> (&'static str, &'static str) {
    match health {
        GatewayHealth::Healthy { .. } => ("HEALTH_HEALTHY", "ok"),
        GatewayHealth::Progressing { .. } => ("HEALTH_PROGRESSING", "progress"),
        GatewayHealth::Failed { .. } => ("HEALTH_FAILED", "error"),
        GatewayHealth::Disabling => ("HEALTH_DISABLING", "progress"),
        GatewayHealth::Unknown => ("HEALTH_UNKNOWN", "unknown"),
    }
}

/// Summary card of a gateway; `title_key` names it (Cluster Gateway / Project Gateway).
#[component]
pub fn GatewaySummary(
    #[prop(into)] gateway: Signal<Gateway>,
    title_key: &'static str,
    /// The gateway's Service/Deployment/nodes; without them the card shows the spec only.
    #[prop(optional)]
    workloads: Option<GatewayWorkloads>,
    /// The Manage menu (or other actions), shown in the header.
    #[prop(optional)]
    children: Option<ChildrenFn>,
    /// The details page's header: also the scope and the update time.
    #[prop(optional)]
    details: bool,
) -> impl IntoView {
    let deployment = Memo::new(move |_| workloads.and_then(|w| w.deployment_now()));
    let service = Memo::new(move |_| workloads.and_then(|w| w.service_now()));
    let addresses = Memo::new(move |_| workloads.and_then(|w| w.addresses()));
    let with_workloads = workloads.is_some();
    let health =
        Memo::new(move |_| deployment.with(|d| gateway.with(|g| gateway_health(g, d.as_ref()))));
    let replicas = move || {
        let desired = gateway.with(|g| g.desired_replicas());
        match deployment.get() {
            Some(d) => {
                let counts = replica_counts(&d);
                tr(
                    "REPLICAS_READY_OF",
                    &[
                        ("ready", &counts.ready.to_string()),
                        ("desired", &desired.to_string()),
                    ],
                )
            }
            None => desired.to_string(),
        }
    };
    let node_ports = move || {
        let ports = service.with(|s| s.as_ref().map(http_ports))?;
        let mut parts = Vec::new();
        if let Some(p) = ports.http_node_port {
            parts.push(format!("HTTP {p}"));
        }
        if let Some(p) = ports.https_node_port {
            parts.push(format!("HTTPS {p}"));
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    };
    // http(s)://ADDRESS[:PORT]: node ports for NodePort, service ports for a load balancer
    let urls = move || {
        let Some(Ok(addrs)) = addresses.get() else {
            return Vec::new();
        };
        let Some(ports) = service.with(|s| s.as_ref().map(http_ports)) else {
            return Vec::new();
        };
        let node_port = gateway.with(|g| g.service_type() == Some("NodePort"));
        access_urls(&addrs, &ports, node_port, MAX_URLS)
    };
    view! {
        <article class="gateway-card" data-testid="gateway-card">
            <header class="gateway-card__head">
                <div class="gateway-card__icon" aria-hidden="true"></div>
                <div class="gateway-card__title">
                    <h2>{move || t(title_key)}</h2>
                    <span class="gateway-card__name" data-testid="gateway-name">{move || gateway.with(|g| g.name().to_string())}</span>
                </div>
                {move || {
                    let h = health.get();
                    let (key, modifier) = health_label(&h);
                    let detail = match &h {
                        GatewayHealth::Failed { message, .. } => message.clone(),
                        _ => String::new(),
                    };
                    view! {
                        <span class=format!("health-chip health-chip--{modifier}") data-testid="gateway-health" title=detail>
                            {t(key)}
                        </span>
                    }
                }}
                {children.map(|a| view! { <div class="gateway-card__actions">{a()}</div> })}
            </header>
            <dl class="gateway-card__facts">
                <div>
                    <dt>{move || t("ACCESS_MODE_SCAP")}</dt>
                    <dd data-testid="gateway-access-mode">{move || gateway.with(|g| g.service_type().unwrap_or("LoadBalancer").to_string())}</dd>
                </div>
                <div class:hidden=!with_workloads>
                    <dt>{move || t("GATEWAY_ADDRESS_SCAP")}</dt>
                    <dd data-testid="gateway-address">
                        {move || match addresses.get() {
                            None => t("LOADING"),
                            Some(Ok(a)) => a.join(", "),
                            Some(Err(reason)) => {
                                let (key, arg) = no_address_key(&reason);
                                tr(key, &[("type", &arg)])
                            }
                        }}
                    </dd>
                </div>
                <div class:hidden=!with_workloads>
                    <dt>{move || t("NODE_PORTS_SCAP")}</dt>
                    <dd data-testid="gateway-node-ports">{move || node_ports().unwrap_or_else(|| t("NONE"))}</dd>
                </div>
                <div>
                    <dt>{move || t("REPLICA_PL")}</dt>
                    <dd data-testid="gateway-replicas">{replicas}</dd>
                </div>
                {move || gateway.with(|g| g.provider().filter(|p| !p.is_empty()).map(|p| provider_label(p).to_string())).map(|provider| view! {
                    <div>
                        <dt>{move || t("LOAD_BALANCER_PROVIDER_SCAP")}</dt>
                        <dd data-testid="gateway-provider">{provider}</dd>
                    </div>
                })}
                <div>
                    <dt>{move || t("TRACING")}</dt>
                    <dd>{move || if gateway.with(|g| g.is_tracing_enabled()) { t("ON") } else { t("OFF") }}</dd>
                </div>
                <div>
                    <dt>{move || t("CREATOR")}</dt>
                    <dd>{move || gateway.with(|g| g.creator().map(str::to_string)).unwrap_or_else(|| t("NONE"))}</dd>
                </div>
                <div>
                    <dt>{move || t("CREATION_TIME")}</dt>
                    <dd>{move || gateway.with(|g| crate::format::timestamp(g.metadata.creation_timestamp.as_ref())).unwrap_or_else(|| t("NONE"))}</dd>
                </div>
                {details.then(|| view! {
                    <div>
                        <dt>{move || t("UPDATE_TIME")}</dt>
                        <dd data-testid="gateway-update-time">{move || gateway.with(|g| crate::format::timestamp(g.update_time().as_ref())).unwrap_or_else(|| t("UNKNOWN"))}</dd>
                    </div>
                    <div>
                        <dt>{move || t("SCOPE")}</dt>
                        <dd data-testid="gateway-scope">{move || match gateway.with(|g| g.scope()) {
                            Some(gateway_model::names::GatewayScope::Cluster) => t("SCOPE_CLUSTER"),
                            Some(gateway_model::names::GatewayScope::Project(p)) => tr("SCOPE_PROJECT", &[("project", &p)]),
                            None => t("UNKNOWN"),
                        }}</dd>
                    </div>
                })}
            </dl>
            {move || {
                let list = urls();
                (!list.is_empty()).then(|| view! {
                    <div class="gateway-card__urls" data-testid="gateway-urls">
                        <span class="gateway-card__urls-label">{move || t("ACCESS_URLS")}</span>
                        {list.into_iter().map(|u| {
                            let href = u.clone();
                            view! { <a href=href target="_blank" rel="noopener noreferrer" data-testid="gateway-url">{u}</a> }
                        }).collect_view()}
                    </div>
                })
            }}
            {move || {
                let h = health.get();
                match h {
                    GatewayHealth::Failed { reason, message } => Some(view! {
                        <p class="gateway-card__failure" data-testid="gateway-failure">{tr("SERVER_MESSAGE", &[("message", &format!("{reason}: {message}"))])}</p>
                    }),
                    _ => None,
                }
            }}
        </article>
    }
}
