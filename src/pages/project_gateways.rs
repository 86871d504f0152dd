//! Project → Gateway Settings: the cluster gateway (read-only) when it exists, and the
//! project's own gateway or its empty state.

use gateway_model::gateway::Gateway;
use gateway_model::names::GatewayScope;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::app::use_client;
use crate::components::empty_state::EmptyState;
use crate::components::gateway_summary::GatewaySummary;
use crate::components::inline_error::InlineError;
use crate::components::page_banner::PageBanner;
use crate::components::sync_badge::SyncBadge;
use crate::i18n::t;
use crate::state::gateways::watch_gateway;
use crate::state::live::LiveList;
use crate::state::working_namespace::watch_working_namespace;

#[component]
pub fn ProjectGatewaysPage() -> impl IntoView {
    let params = use_params_map();
    let project = Memo::new(move |_| params.with(|p| p.get("project")).unwrap_or_default());
    let client = use_client();
    let working_namespace = watch_working_namespace(client.clone());
    let cluster = watch_gateway(client, &GatewayScope::Cluster, None);
    view! {
        <div class="page">
            <PageBanner title=Signal::derive(|| t("GATEWAY_SETTINGS")) description=Signal::derive(|| t("PROJECT_GATEWAY_DESC"))/>
            <div class="page__body">
                <ClusterGatewayReadOnly cluster/>
                // A new project or working namespace means a new watch: the old one is dropped.
                {move || {
                    let project = project.get();
                    let namespace = working_namespace.get().as_option().map(str::to_string);
                    view! { <ProjectGateway project working_namespace=namespace cluster/> }
                }}
            </div>
        </div>
    }
}

#[component]
fn ClusterGatewayReadOnly(cluster: LiveList<Gateway>) -> impl IntoView {
    let gateway = Memo::new(move |_| cluster.cache.with(|c| c.iter().next().cloned()));
    move || {
        gateway.get().map(|g| {
            let g = Signal::derive(move || gateway.get().unwrap_or_else(|| g.clone()));
            view! {
                <div class="coexistence-tip" title=move || t("CLUSTER_GATEWAY_GUIDE_DESC")>
                    <GatewaySummary gateway=g title_key="CLUSTER_GATEWAY"/>
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
) -> impl IntoView {
    let own = watch_gateway(
        use_client(),
        &GatewayScope::for_project(&project),
        working_namespace.as_deref(),
    );
    let gateway = Memo::new(move |_| own.cache.with(|c| c.iter().next().cloned()));
    Effect::new(move |_| {
        if cluster.listed.get() && own.listed.get() {
            crate::perf::mark_first_data();
        }
    });
    view! {
        <div class="tab-toolbar"><SyncBadge state=own.sync/></div>
        {move || {
            if let Some(error) = own.initial_error.get() {
                return view! { <InlineError error/> }.into_any();
            }
            if !own.listed.get() {
                return view! { <div class="skeleton-card" aria-busy="true"></div> }.into_any();
            }
            match gateway.get() {
                Some(g) => {
                    let g = Signal::derive(move || gateway.get().unwrap_or_else(|| g.clone()));
                    view! { <GatewaySummary gateway=g title_key="PROJECT_GATEWAY"/> }.into_any()
                }
                None => view! {
                    <EmptyState
                        title=Signal::derive(|| t("PROJECT_GATEWAY_NOT_ENABLED"))
                        description=Signal::derive(|| t("PROJECT_ENABLE_GATEWAY_DESC"))
                    />
                }
                .into_any(),
            }
        }}
    }
}
