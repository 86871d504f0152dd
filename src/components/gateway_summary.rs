//! A compact card of one gateway: access mode, replicas, tracing, creator, creation time, health.
//! (The full card with addresses, node ports and the Manage menu builds on this.)

use gateway_model::gateway::Gateway;
use gateway_model::health::{gateway_health, GatewayHealth};
use leptos::prelude::*;

use crate::i18n::{t, tr};

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
) -> impl IntoView {
    let health = Memo::new(move |_| gateway.with(|g| gateway_health(g, None)));
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
            </header>
            <dl class="gateway-card__facts">
                <div>
                    <dt>{move || t("ACCESS_MODE_SCAP")}</dt>
                    <dd data-testid="gateway-access-mode">{move || gateway.with(|g| g.service_type().unwrap_or("LoadBalancer").to_string())}</dd>
                </div>
                <div>
                    <dt>{move || t("REPLICA_PL")}</dt>
                    <dd data-testid="gateway-replicas">{move || gateway.with(|g| g.desired_replicas().to_string())}</dd>
                </div>
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
            </dl>
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
