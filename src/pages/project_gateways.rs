//! Project → Gateway Settings: the cluster gateway (read-only) when it exists, and the
//! project's own gateway or its empty state.

use gateway_model::gateway::Gateway;
use gateway_model::legacy::LegacyGateway;
use gateway_model::names::{GatewayScope, CLUSTER_GATEWAY_NAME, CONTROLS_NAMESPACE};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use thaw::{Button, ButtonAppearance};

use crate::api::use_client;
use crate::chunks::{parts, OnDemand, Placeholder};
use crate::components::empty_state::EmptyState;
use crate::components::gateway_actions::{EnableGatewayButton, ManageMenu};
use crate::components::gateway_summary::GatewaySummary;
use crate::components::live_gateway::LiveGateway;
use crate::components::page_banner::PageBanner;
use crate::components::working_namespace_note::WorkingNamespaceNote;
use crate::i18n::{t, tr, use_i18n};
use crate::state::gateway_workloads::{GatewayWorkloads, NamespaceWorkloads};
use crate::state::gateways::{details_path, watch_gateway};
use crate::state::legacy::LegacyGateways;
use crate::state::live::LiveList;
use crate::state::permissions::GatewayAccess;
use crate::state::working_namespace::read_working_namespace;

#[component]
pub fn ProjectGatewaysPage() -> impl IntoView {
    let params = use_params_map();
    let project = Memo::new(move |_| params.with(|p| p.get("project")).unwrap_or_default());
    let client = use_client();
    let working_namespace = read_working_namespace(client.clone());
    let cluster = watch_gateway(client.clone(), &GatewayScope::Cluster, None);
    let legacy = LegacyGateways::load(client.clone());
    view! {
        <div class="page">
            <PageBanner title=Signal::derive(|| t("GATEWAY_SETTINGS")) description=Signal::derive(|| t("PROJECT_GATEWAY_DESC"))/>
            <div class="page__body">
                // A new project or working namespace means new watches: the old ones are dropped.
                <WorkingNamespaceNote state=working_namespace/>
                {move || {
                    let project = project.get();
                    // nothing is watched in a namespace, or offered, before it is known
                    let Some(mode) = working_namespace.with(|w| w.known().cloned()) else {
                        return view! { <div class="skeleton-card" aria-busy="true"></div> }.into_any();
                    };
                    let namespace = mode.as_option().map(str::to_string);
                    let scope = GatewayScope::for_project(&project);
                    let own_namespace = scope.gateway_namespace(namespace.as_deref());
                    // One Services + one Deployments watch for the page; the cluster card shares
                    // them when both gateways live in the same namespace (the default).
                    let own_name = scope.gateway_name();
                    let shared = NamespaceWorkloads::watch_gateways(
                        client.clone(),
                        &own_namespace,
                        &[own_name.as_str(), CLUSTER_GATEWAY_NAME],
                    );
                    let cluster_workloads =
                        (own_namespace == CONTROLS_NAMESPACE).then(|| shared.of(CLUSTER_GATEWAY_NAME));
                    view! {
                        <ClusterGatewayReadOnly cluster workloads=cluster_workloads/>
                        <ProjectGateway project working_namespace=namespace cluster workloads=shared legacy/>
                    }.into_any()
                }}
            </div>
        </div>
    }
}

#[component]
fn ClusterGatewayReadOnly(
    cluster: LiveList<Gateway>,
    workloads: Option<GatewayWorkloads>,
) -> impl IntoView {
    let gateway = Memo::new(move |_| cluster.cache.with(|c| c.iter().next().cloned()));
    let exists = Memo::new(move |_| gateway.with(Option::is_some));
    move || {
        exists.get().then(|| {
            let g = Signal::derive(move || gateway.get().unwrap_or_default());
            view! {
                <div class="coexistence-tip">
                    <p class="coexistence-tip__text" data-testid="coexistence-tip">{move || t("CLUSTER_GATEWAY_GUIDE_DESC")}</p>
                    {
                        let details = move || view! {
                            <A href=move || details_path(&g.get()) attr:class="text-button link-button" attr:data-testid="view-details">{move || t("VIEW_DETAILS")}</A>
                        };
                        match workloads {
                            Some(workloads) => view! { <GatewaySummary gateway=g title_key="CLUSTER_GATEWAY" workloads>{details()}</GatewaySummary> }.into_any(),
                            None => view! { <GatewaySummary gateway=g title_key="CLUSTER_GATEWAY">{details()}</GatewaySummary> }.into_any(),
                        }
                    }
                </div>
            }
        })
    }
}

#[component]
fn ProjectGateway(
    project: String,
    working_namespace: Option<String>,
    cluster: LiveList<Gateway>,
    workloads: NamespaceWorkloads,
    legacy: LegacyGateways,
) -> impl IntoView {
    let client = use_client();
    let i18n = use_i18n();
    // The legacy (3.0/3.1) gateway serving this project: `Err` while not known.
    let legacy_check = Signal::derive({
        let project = project.clone();
        move || legacy.of_project(&project)
    });
    let legacy_here = Signal::derive(move || legacy_check.get().ok().flatten());
    let scope = GatewayScope::for_project(&project);
    let own = watch_gateway(client.clone(), &scope, working_namespace.as_deref());
    let access = GatewayAccess::check(
        client,
        &scope.gateway_namespace(working_namespace.as_deref()),
        Some(&scope.gateway_name()),
    );
    // KubeSphere's backend refuses a project gateway while the cluster gateway exists; say so
    // before the user fills in the dialog.
    let blocked = Signal::derive(move || {
        if cluster.cache.with(|c| !c.is_empty()) {
            Some(t("PROJECT_GATEWAY_BLOCKED_BY_CLUSTER"))
        } else {
            match legacy_check.get() {
                Ok(Some(_)) => Some(t("PROJECT_GATEWAY_BLOCKED_BY_LEGACY")),
                Ok(None) => None,
                // until the check is made, Enable could create a second gateway for the project
                Err(None) => Some(t("LEGACY_CHECKING")),
                Err(Some(e)) => Some(tr(
                    "LEGACY_CHECK_FAILED",
                    &[("message", &e.message(i18n.locale.get()))],
                )),
            }
        }
    });
    let own_workloads = workloads.of(&scope.gateway_name());
    let updating = RwSignal::new(None::<LegacyGateway>);
    Effect::new(move |_| {
        if cluster.listed.get() && own.listed.get() {
            crate::perf::mark_first_data();
        }
    });
    let scope = StoredValue::new(scope);
    let working_namespace = StoredValue::new(working_namespace);
    view! {
        {move || updating.get().map(|l| {
            let on_close = Callback::new(move |_| updating.set(None));
            let on_updated = Callback::new(move |_| legacy.refresh());
            view! {
                <OnDemand
                    load=move || parts::legacy_update_dialog(l.clone(), working_namespace.get_value(), on_close, on_updated)
                    placeholder=Placeholder::Floating
                    on_dismiss=on_close
                />
            }
        })}
        <LiveGateway
            live=own
            present=Callback::new(move |g: Signal<Gateway>| view! {
                <GatewaySummary gateway=g title_key="PROJECT_GATEWAY" workloads=own_workloads>
                    <ManageMenu gateway=g access/>
                </GatewaySummary>
            }.into_any())
            absent=move || view! {
                <EmptyState
                    title=Signal::derive(|| t("PROJECT_GATEWAY_NOT_ENABLED"))
                    description=Signal::derive(|| t("PROJECT_ENABLE_GATEWAY_DESC"))
                >
                    <EnableGatewayButton
                        scope=scope.get_value()
                        working_namespace=working_namespace.get_value()
                        access
                        blocked
                    />
                    {move || legacy_here.get().map(|l| view! {
                        <Button
                            appearance=ButtonAppearance::Secondary
                            attr:data-testid="legacy-update"
                            disabled=Signal::derive(move || !access.allows("create"))
                            on_click=move |_| updating.set(Some(l.clone()))
                        >{move || t("UPDATE")}</Button>
                    })}
                    {move || matches!(legacy_check.get(), Err(Some(_))).then(|| view! {
                        <Button
                            appearance=ButtonAppearance::Secondary
                            attr:data-testid="legacy-retry"
                            on_click=move |_| legacy.refresh()
                        >{move || t("RETRY")}</Button>
                    })}
                </EmptyState>
            }
        />
    }
}
