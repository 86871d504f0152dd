//! Gateway details (`/gateways/<namespace>/<name>`, Manage → View Details): the live card with
//! its Manage menu, the configuration options, the Service annotations and the metadata. The
//! Monitoring, Logs and Resource Status tabs of KubeSphere's details page build on this page.

use gateway_model::gateway::{Gateway, StringMap};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::use_client;
use crate::components::empty_state::EmptyState;
use crate::components::gateway_actions::ManageMenu;
use crate::components::gateway_summary::GatewaySummary;
use crate::components::live_gateway::LiveGateway;
use crate::i18n::{t, tr};
use crate::state::gateway_workloads::NamespaceWorkloads;
use crate::state::gateways::watch_gateway_named;
use crate::state::permissions::GatewayAccess;

#[component]
pub fn GatewayDetailsPage() -> impl IntoView {
    let params = use_params_map();
    let target = Memo::new(move |_| {
        params.with(|p| {
            (
                p.get("namespace").unwrap_or_default(),
                p.get("name").unwrap_or_default(),
            )
        })
    });
    view! {
        <div class="page">
            <A href=crate::routes::CLUSTER_GATEWAYS attr:class="back-link" attr:data-testid="back-link">{move || format!("← {}", t("GATEWAY_SETTINGS"))}</A>
            {move || {
                let (namespace, name) = target.get();
                view! { <GatewayDetails namespace name/> }
            }}
        </div>
    }
}

#[component]
fn GatewayDetails(namespace: String, name: String) -> impl IntoView {
    let client = use_client();
    let live = watch_gateway_named(client.clone(), &namespace, &name);
    let workloads =
        NamespaceWorkloads::watch_gateways(client.clone(), &namespace, &[&name]).of(&name);
    let access = GatewayAccess::check(client, &namespace, Some(&name));
    view! {
        <LiveGateway
            live
            present=Callback::new(move |g: Signal<Gateway>| {
                let title_key = if g.with_untracked(|g| g.scope().is_some_and(|s| s.is_cluster())) {
                    "CLUSTER_GATEWAY"
                } else {
                    "PROJECT_GATEWAY"
                };
                view! {
                    <GatewaySummary gateway=g title_key workloads>
                        <ManageMenu gateway=g access/>
                    </GatewaySummary>
                    <div class="details-grid">
                        <KeyValuePanel
                            title_key="CONFIGURATION_OPTIONS"
                            testid="details-config"
                            entries=Signal::derive(move || g.with(Gateway::config))
                        />
                        <KeyValuePanel
                            title_key="ANNOTATION_PL"
                            testid="details-service-annotations"
                            entries=Signal::derive(move || g.with(Gateway::service_annotations))
                        />
                        <KeyValuePanel
                            title_key="LABELS"
                            testid="details-labels"
                            entries=Signal::derive(move || g.with(|g| g.metadata.labels.clone().unwrap_or_default().into_iter().collect()))
                        />
                        <KeyValuePanel
                            title_key="METADATA_ANNOTATIONS"
                            testid="details-annotations"
                            entries=Signal::derive(move || g.with(|g| g.metadata.annotations.clone().unwrap_or_default().into_iter().collect()))
                        />
                    </div>
                }
                .into_any()
            })
            absent=move || {
                let name = name.clone();
                view! {
                    <EmptyState
                        title=Signal::derive(move || tr("GATEWAY_NOT_FOUND", &[("name", &name)]))
                        description=Signal::derive(|| t("GATEWAY_NOT_FOUND_DESC"))
                    />
                }
            }
        />
    }
}

/// A titled key/value list (text only), or "No Data".
#[component]
fn KeyValuePanel(
    title_key: &'static str,
    testid: &'static str,
    #[prop(into)] entries: Signal<StringMap>,
) -> impl IntoView {
    view! {
        <section class="details-panel" data-testid=testid>
            <h3>{move || t(title_key)}</h3>
            {move || {
                let map = entries.get();
                if map.is_empty() {
                    view! { <p class="details-panel__empty">{t("NO_DATA")}</p> }.into_any()
                } else {
                    view! {
                        <dl class="details-panel__list">
                            {map.into_iter().map(|(k, v)| view! {
                                <div><dt>{k}</dt><dd>{v}</dd></div>
                            }).collect_view()}
                        </dl>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
