//! Table of project gateways (first version: name, project, access mode, replicas, tracing, health).

use gateway_model::gateway::Gateway;
use gateway_model::health::gateway_health;
use leptos::prelude::*;

use crate::components::gateway_summary::health_label;
use crate::i18n::t;

#[component]
pub fn ProjectGatewayTable(
    #[prop(into)] gateways: Signal<Vec<Gateway>>,
    #[prop(into)] listed: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid="project-gateway-table">
                <thead>
                    <tr>
                        <th scope="col">{move || t("NAME")}</th>
                        <th scope="col">{move || t("PROJECT")}</th>
                        <th scope="col">{move || t("ACCESS_MODE")}</th>
                        <th scope="col">{move || t("REPLICA_PL")}</th>
                        <th scope="col">{move || t("TRACING")}</th>
                        <th scope="col">{move || t("STATUS")}</th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || gateways.get()
                        key=|g| (g.namespace().to_string(), g.name().to_string(), g.resource_version().unwrap_or("").to_string())
                        let(g)
                    >
                        {
                            let health = gateway_health(&g, None);
                            let (key, modifier) = health_label(&health);
                            let project = g.scope().map(|s| s.project().to_string()).unwrap_or_default();
                            let tracing = g.is_tracing_enabled();
                            view! {
                                <tr data-testid="project-gateway-row">
                                    <td class="data-table__name">{g.name().to_string()}</td>
                                    <td>{project}</td>
                                    <td>{g.service_type().unwrap_or("LoadBalancer").to_string()}</td>
                                    <td>{g.desired_replicas()}</td>
                                    <td>{move || if tracing { t("ON") } else { t("OFF") }}</td>
                                    <td><span class=format!("health-chip health-chip--{modifier}")>{move || t(key)}</span></td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
            {move || (listed.get() && gateways.with(Vec::is_empty)).then(|| view! {
                <p class="data-table__empty" data-testid="table-empty">{t("NO_PROJECT_GATEWAYS")}</p>
            })}
        </div>
    }
}
