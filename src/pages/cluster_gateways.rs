//! Cluster → Gateway Settings: banner, tabs Cluster Gateway / Project Gateways (tab in the URL).

use gateway_model::gateway::Gateway;
use gateway_model::names::{GatewayScope, CLUSTER_GATEWAY_NAME, CONTROLS_NAMESPACE};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use thaw::{Tab, TabList};

use crate::api::use_client;
use crate::chunks::{parts, OnDemand};
use crate::components::empty_state::EmptyState;
use crate::components::gateway_actions::{EnableGatewayButton, ManageMenu};
use crate::components::gateway_summary::GatewaySummary;
use crate::components::inline_error::InlineError;
use crate::components::live_gateway::LiveGateway;
use crate::components::page_banner::PageBanner;
use crate::components::project_gateway_table::ProjectGatewayTable;
use crate::components::sync_badge::SyncBadge;
use crate::components::working_namespace_note::WorkingNamespaceNote;
use crate::i18n::t;
use crate::state::gateway_workloads::NamespaceWorkloads;
use crate::state::gateways::{watch_all_gateways, watch_gateway};
use crate::state::legacy::LegacyGateways;
use crate::state::permissions::{AccessByNamespace, GatewayAccess};
use crate::state::working_namespace::read_working_namespace;

/// Tab values as they appear in `?tab=`.
pub const TAB_CLUSTER: &str = "cluster";
pub const TAB_PROJECT: &str = "project";

#[component]
pub fn ClusterGatewaysPage() -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let tab_in_url = Memo::new(move |_| match query.with(|q| q.get("tab")).as_deref() {
        Some(TAB_PROJECT) => TAB_PROJECT.to_string(),
        _ => TAB_CLUSTER.to_string(),
    });
    let selected = RwSignal::new(tab_in_url.get_untracked());
    // (set only on a change: a set of the same value would rebuild the tab and its watches)
    Effect::new(move |_| {
        let tab = tab_in_url.get();
        if selected.get_untracked() != tab {
            selected.set(tab);
        }
    });
    Effect::new(move |_| {
        let tab = selected.get();
        if tab != tab_in_url.get_untracked() {
            navigate(
                &crate::routes::cluster_gateways_tab(&tab),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    let is_project = Memo::new(move |_| selected.get() == TAB_PROJECT);
    view! {
        <div class="page">
            <PageBanner title=Signal::derive(|| t("GATEWAY_SETTINGS")) description=Signal::derive(|| t("CLUSTER_GATEWAY_DESC"))>
                <TabList selected_value=selected>
                    <Tab value=TAB_CLUSTER attr:data-testid="tab-cluster">{move || t("CLUSTER_GATEWAY")}</Tab>
                    <Tab value=TAB_PROJECT attr:data-testid="tab-project">{move || t("PROJECT_GATEWAY_PL")}</Tab>
                </TabList>
            </PageBanner>
            <div class="page__body" role="tabpanel">
                {move || if is_project.get() {
                    view! { <OnDemand load=parts::project_gateways_tab/> }.into_any()
                } else {
                    view! { <ClusterGatewayTab/> }.into_any()
                }}
            </div>
        </div>
    }
}

#[component]
fn ClusterGatewayTab() -> impl IntoView {
    crate::perf::mark("gateway-console:page");
    let client = use_client();
    let live = watch_gateway(client.clone(), &GatewayScope::Cluster, None);
    let workloads = NamespaceWorkloads::watch_gateways(
        client.clone(),
        CONTROLS_NAMESPACE,
        &[CLUSTER_GATEWAY_NAME],
    )
    .of(CLUSTER_GATEWAY_NAME);
    let access = GatewayAccess::check(client, CONTROLS_NAMESPACE, Some(CLUSTER_GATEWAY_NAME));
    Effect::new(move |_| {
        if live.listed.get() {
            crate::perf::mark_first_data();
        }
    });
    view! {
        <LiveGateway
            live
            present=Callback::new(move |g: Signal<Gateway>| view! {
                <GatewaySummary gateway=g title_key="CLUSTER_GATEWAY" workloads=workloads>
                    <ManageMenu gateway=g access/>
                </GatewaySummary>
            }.into_any())
            absent=move || view! {
                <EmptyState
                    title=Signal::derive(|| t("CLUSTER_GATEWAY_NOT_ENABLED"))
                    description=Signal::derive(|| t("CLUSTER_ENABLE_GATEWAY_DESC"))
                >
                    <EnableGatewayButton scope=GatewayScope::Cluster working_namespace=None access/>
                </EmptyState>
            }
        />
    }
}

/// Loaded on demand (`chunks::parts::project_gateways_tab`).
#[component]
pub fn ProjectGatewaysTab() -> impl IntoView {
    let client = use_client();
    let live = watch_all_gateways(client.clone());
    let working_namespace = read_working_namespace(client.clone());
    let legacy = LegacyGateways::load(client.clone());
    Effect::new(move |_| {
        if live.listed.get() {
            crate::perf::mark_first_data();
        }
    });
    view! {
        <div class="tab-toolbar"><SyncBadge state=live.sync/></div>
        {move || live.initial_error.get().map(|error| view! { <InlineError error/> })}
        <WorkingNamespaceNote state=working_namespace/>
        // The workload watches and permissions depend on where gateways live: they start once
        // that is known.
        {move || {
            let Some(mode) = working_namespace.with(|w| w.known().cloned()) else {
                return view! { <div class="skeleton-card" aria-busy="true"></div> }.into_any();
            };
            let namespace = mode.as_option().map(str::to_string);
            let (workloads, access_namespace) = match namespace.as_deref() {
                Some(ns) => (NamespaceWorkloads::watch(client.clone(), ns), ns.to_string()),
                // each project gateway in its project: cluster-wide watches and reviews
                None => (NamespaceWorkloads::watch_all_namespaces(client.clone()), String::new()),
            };
            let access = GatewayAccess::check(client.clone(), &access_namespace, None);
            let row_access = AccessByNamespace::new(client.clone());
            let row_access = match namespace.as_deref() {
                Some(ns) => row_access.with_known(ns, access),
                None => row_access,
            };
            view! { <ProjectGatewayTable live workloads=Some(workloads) access row_access legacy working_namespace=namespace/> }.into_any()
        }}
    }
}
