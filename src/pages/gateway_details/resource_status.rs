//! Details → Resource Status: the replicas card (scale with a countdown), the Service ports and
//! the gateway's pods, live (one pod watch with the gateway's pod selector, §1.2).

use gateway_model::health::service_ports;
use gateway_model::names::pod_selector;
use gateway_model::pods::PodView;
use kube_core::params::ListParams;
use kube_core::{Request, Resource};
use leptos::prelude::*;

use super::DetailsContext;
use crate::api::use_client;
use crate::components::inline_error::InlineError;
use crate::components::pod_list::PodList;
use crate::components::replicas_card::ReplicasCard;
use crate::components::sync_badge::SyncBadge;
use crate::i18n::t;
use crate::state::live::LiveList;

#[component]
pub fn ResourceStatusTab(context: DetailsContext) -> impl IntoView {
    let client = use_client();
    let DetailsContext {
        namespace,
        name,
        gateway,
        workloads,
        access,
    } = context;
    let pods: LiveList<PodView> = LiveList::start(
        client,
        Request::new(PodView::url_path(&(), Some(&namespace))),
        ListParams::default().labels_from(&pod_selector(&name)),
    );
    let pod_list =
        Signal::derive(move || pods.cache.with(|c| c.iter().cloned().collect::<Vec<_>>()));
    let ready = Signal::derive(move || {
        workloads
            .deployment_now()
            .and_then(|d| d.status)
            .map(|s| s.ready_replicas.unwrap_or(0))
    });
    let current = Signal::derive(move || pods.listed.get().then(|| pods.cache.with(|c| c.len())));
    let ports = Memo::new(move |_| workloads.service_now().map(|s| service_ports(&s)));
    let node_ip = Callback::new(move |node: String| workloads.node_internal_ip(&node));
    let base = crate::routes::gateway_details_tab(
        &namespace,
        &name,
        crate::routes::DetailsTab::Monitoring,
    );
    // (a plain link: prefixed with the router base, as <A> does)
    let router_base = crate::config::use_config().config.router_base.clone();
    let logs = crate::routes::gateway_details_tab(
        &namespace,
        &name,
        crate::routes::DetailsTab::GatewayLogs,
    );
    let logs_base = router_base.clone();
    let monitoring_link = Callback::new(move |pod: String| {
        format!(
            "{router_base}{base}?pod={}",
            String::from(js_sys::encode_uri_component(&pod))
        )
    });
    let logs_link = Callback::new(move |pod: String| {
        format!(
            "{logs_base}{logs}?pods={}",
            String::from(js_sys::encode_uri_component(&pod))
        )
    });
    view! {
        <div class="resource-status">
            <ReplicasCard gateway ready current access/>
            <section class="details-panel" data-testid="ports-panel">
                <h3>{move || t("PORTS")}</h3>
                {move || match ports.get() {
                    None => view! { <p class="details-panel__empty">{t("NO_DATA")}</p> }.into_any(),
                    Some(list) => view! {
                        <table class="data-table" data-testid="ports-table">
                            <thead><tr>
                                <th scope="col">{move || t("NAME")}</th>
                                <th scope="col">{move || t("PROTOCOL")}</th>
                                <th scope="col">{move || t("PORT")}</th>
                                <th scope="col">{move || t("TARGET_PORT")}</th>
                                <th scope="col">{move || t("NODE_PORT")}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|p| view! {
                                    <tr data-testid="port-row">
                                        <td>{p.name}</td>
                                        <td>{p.protocol}</td>
                                        <td>{p.port.to_string()}</td>
                                        <td>{p.target_port.unwrap_or_else(|| "—".into())}</td>
                                        <td data-testid="port-node-port">{p.node_port.map(|n| n.to_string()).unwrap_or_else(|| "—".into())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }}
            </section>
        </div>
        <div class="tab-toolbar"><SyncBadge state=pods.sync/></div>
        {move || pods.initial_error.get().map(|error| view! { <InlineError error/> })}
        <PodList pods=pod_list node_ip monitoring_link logs_link/>
    }
}
