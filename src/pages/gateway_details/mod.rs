//! Gateway details (`/gateways/<namespace>/<name>/<tab>`, Manage → View Details): a breadcrumb
//! back to where the gateway lives, a header with its live facts and Edit / Disable, and tabs.
//! Each tab is its own chunk, loaded when first shown, and opens only its own watches: the
//! header holds three (the gateway, its Service and Deployment), a tab at most one more.

pub mod configuration;
pub mod events;
pub mod logs;
pub mod metadata;
pub mod monitoring;
pub mod resource_status;

use gateway_model::gateway::Gateway;
use gateway_model::names::{GatewayScope, CLUSTER_GATEWAY_NAME, ROUTER_PREFIX};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use thaw::{Button, ButtonAppearance};

use crate::api::use_client;
use crate::chunks::{parts, OnDemand};
use crate::components::dialog_host::{DialogHost, HostedDialog};
use crate::components::empty_state::EmptyState;
use crate::components::gateway_summary::GatewaySummary;
use crate::components::live_gateway::LiveGateway;
use crate::i18n::{t, tr};
use crate::routes::{gateway_details_tab, gateway_home, DetailsTab};
use crate::state::actions::{DialogTarget, DisableTarget};
use crate::state::gateway_workloads::{GatewayWorkloads, NamespaceWorkloads};
use crate::state::gateways::watch_gateway_named;
use crate::state::permissions::GatewayAccess;

/// What every tab gets from the page: the gateway (live), its workloads and the permissions.
#[derive(Clone)]
pub struct DetailsContext {
    pub namespace: String,
    pub name: String,
    pub gateway: Signal<Gateway>,
    pub workloads: GatewayWorkloads,
    pub access: GatewayAccess,
}

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
    let tab_segment = Memo::new(move |_| params.with(|p| p.get("tab")));
    view! {
        <div class="page details-page">
            {move || {
                // re-created only when the gateway changes, not the tab
                let (namespace, name) = target.get();
                view! { <GatewayDetails namespace name tab_segment/> }
            }}
        </div>
    }
}

/// The scope a gateway name suggests, for the breadcrumb before (or without) the object: the
/// cluster gateway's fixed name, else `kubesphere-router-<project>`.
fn scope_from_name(name: &str) -> Option<GatewayScope> {
    if name == CLUSTER_GATEWAY_NAME {
        Some(GatewayScope::Cluster)
    } else {
        name.strip_prefix(ROUTER_PREFIX)
            .filter(|p| !p.is_empty())
            .map(|p| GatewayScope::Project(p.to_string()))
    }
}

#[component]
fn Breadcrumb(#[prop(into)] scope: Signal<Option<GatewayScope>>) -> impl IntoView {
    let href = move || {
        scope
            .get()
            .map(|s| gateway_home(&s))
            .unwrap_or_else(|| crate::routes::CLUSTER_GATEWAYS.to_string())
    };
    let label = move || match scope.get() {
        Some(GatewayScope::Cluster) => t("CLUSTER_GATEWAY"),
        Some(GatewayScope::Project(p)) => tr("PROJECT_GATEWAY_OF", &[("project", &p)]),
        None => t("GATEWAY_SETTINGS"),
    };
    view! {
        <nav class="breadcrumb" aria-label=move || t("BREADCRUMB")>
            <A href=href attr:class="back-link" attr:data-testid="back-link">{move || format!("← {}", label())}</A>
        </nav>
    }
}

#[component]
fn GatewayDetails(
    namespace: String,
    name: String,
    tab_segment: Memo<Option<String>>,
) -> impl IntoView {
    let client = use_client();
    let live = watch_gateway_named(client.clone(), &namespace, &name);
    let workloads =
        NamespaceWorkloads::watch_gateways(client.clone(), &namespace, &[&name]).of(&name);
    let access = GatewayAccess::check(client, &namespace, Some(&name));
    let fallback_scope = scope_from_name(&name);
    let scope = Memo::new(move |_| {
        live.cache
            .with(|c| c.iter().next().and_then(Gateway::scope))
            .or_else(|| fallback_scope.clone())
    });
    // a gateway seen and then gone was deleted while the page was open
    let seen = RwSignal::new(false);
    Effect::new(move |_| {
        if live.cache.with(|c| !c.is_empty()) {
            seen.set(true);
        }
    });
    let ns = StoredValue::new(namespace);
    let gw_name = StoredValue::new(name);
    view! {
        <Breadcrumb scope/>
        <LiveGateway
            live
            present=Callback::new(move |g: Signal<Gateway>| {
                let title_key = if g.with_untracked(|g| g.scope().is_some_and(|s| s.is_cluster())) {
                    "CLUSTER_GATEWAY"
                } else {
                    "PROJECT_GATEWAY"
                };
                let context = DetailsContext {
                    namespace: ns.get_value(),
                    name: gw_name.get_value(),
                    gateway: g,
                    workloads,
                    access,
                };
                view! {
                    <GatewaySummary gateway=g title_key workloads details=true>
                        <HeaderActions gateway=g access scope/>
                    </GatewaySummary>
                    <DetailsTabs context tab_segment/>
                }
                .into_any()
            })
            absent=move || {
                let name = gw_name.get_value();
                let home = scope.get_untracked().map(|s| gateway_home(&s)).unwrap_or_else(|| crate::routes::CLUSTER_GATEWAYS.to_string());
                let (title, desc) = if seen.get_untracked() {
                    (tr("GATEWAY_GONE", &[("name", &name)]), t("GATEWAY_GONE_DESC"))
                } else {
                    (tr("GATEWAY_NOT_FOUND", &[("name", &name)]), t("GATEWAY_NOT_FOUND_DESC"))
                };
                view! {
                    <EmptyState title=Signal::derive(move || title.clone()) description=Signal::derive(move || desc.clone())>
                        <A href=home attr:class="button-link" attr:data-testid="gone-back">{move || t("BACK_TO_GATEWAYS")}</A>
                    </EmptyState>
                }
            }
        />
    }
}

/// Edit and Disable, as buttons (KubeSphere's details page), each disabled with the reason when
/// not allowed. After Disable, the page goes back to where the gateway lived.
#[component]
fn HeaderActions(
    gateway: Signal<Gateway>,
    access: GatewayAccess,
    scope: Memo<Option<GatewayScope>>,
) -> impl IntoView {
    let (dialogs, own_dialogs) = DialogHost::use_or_own();
    let deleting = move || gateway.with(Gateway::is_deleting);
    let reason = move |verb: &str| {
        if deleting() {
            Some(t("GATEWAY_IS_DISABLING"))
        } else {
            access.denied_tip(verb)
        }
    };
    let edit = move |_| {
        let gateway = Box::new(gateway.get_untracked());
        dialogs.open(HostedDialog::Gateway(DialogTarget::Edit {
            gateway,
            focus_config: false,
        }));
    };
    let disable = move |_| {
        let target = DisableTarget::of(&gateway.get_untracked());
        let then = scope.get_untracked().map(|s| gateway_home(&s));
        dialogs.open(HostedDialog::Disable {
            targets: vec![target],
            then,
        });
    };
    view! {
        <div class="details-actions">
            <span title=move || reason("patch").unwrap_or_default()>
                <Button
                    appearance=ButtonAppearance::Primary
                    attr:data-testid="details-edit"
                    disabled=Signal::derive(move || reason("patch").is_some())
                    on_click=edit
                >{move || t("EDIT")}</Button>
            </span>
            <span title=move || reason("delete").unwrap_or_default()>
                <Button
                    appearance=ButtonAppearance::Secondary
                    class="button--danger-outline"
                    attr:data-testid="details-disable"
                    disabled=Signal::derive(move || reason("delete").is_some())
                    on_click=disable
                >{move || t("DISABLE")}</Button>
            </span>
            {own_dialogs}
        </div>
    }
}

/// The tab bar (links: the tab is in the path) and the selected tab, loaded on demand.
#[component]
fn DetailsTabs(context: DetailsContext, tab_segment: Memo<Option<String>>) -> impl IntoView {
    let tab = Memo::new(move |_| tab_segment.with(|s| DetailsTab::parse(s.as_deref())));
    let (ns, name) = (context.namespace.clone(), context.name.clone());
    let context = StoredValue::new(context);
    view! {
        <nav class="details-tabs" aria-label=move || t("DETAILS_TABS") data-testid="details-tabs">
            {DetailsTab::ALL.into_iter().map(|t_| {
                let href = gateway_details_tab(&ns, &name, t_);
                let current = move || tab.get() == Some(t_);
                view! {
                    <A
                        href=href
                        attr:class=move || if current() { "details-tab details-tab--current" } else { "details-tab" }
                        attr:aria-current=move || current().then_some("page")
                        attr:data-testid=format!("tab-{}", t_.slug())
                    >{move || t(t_.label_key())}</A>
                }
            }).collect_view()}
        </nav>
        <section class="details-tab-panel" data-testid="details-tab-panel">
            {move || {
                let context = context.get_value();
                match tab.get() {
                    None => {
                        let segment = tab_segment.get().unwrap_or_default();
                        view! {
                            <EmptyState
                                title=Signal::derive(move || tr("TAB_NOT_FOUND", &[("tab", &segment)]))
                                description=Signal::derive(|| t("TAB_NOT_FOUND_DESC"))
                            />
                        }.into_any()
                    }
                    Some(DetailsTab::Monitoring) => view! { <OnDemand load=move || parts::details_monitoring(context.clone())/> }.into_any(),
                    Some(DetailsTab::ResourceStatus) => view! { <OnDemand load=move || parts::details_resource_status(context.clone())/> }.into_any(),
                    Some(DetailsTab::ConfigurationOptions) => view! { <OnDemand load=move || parts::details_configuration(context.clone())/> }.into_any(),
                    Some(DetailsTab::GatewayLogs) => view! { <OnDemand load=move || parts::details_logs(context.clone())/> }.into_any(),
                    Some(DetailsTab::Events) => view! { <OnDemand load=move || parts::details_events(context.clone())/> }.into_any(),
                    Some(DetailsTab::Metadata) => view! { <OnDemand load=move || parts::details_metadata(context.clone())/> }.into_any(),
                }
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn the_breadcrumb_guess_from_a_name() {
        assert_eq!(
            scope_from_name(CLUSTER_GATEWAY_NAME),
            Some(GatewayScope::Cluster)
        );
        assert_eq!(
            scope_from_name("kubesphere-router-demo"),
            Some(GatewayScope::Project("demo".into()))
        );
        assert_eq!(scope_from_name("kubesphere-router-"), None);
        assert_eq!(scope_from_name("other"), None);
    }
}
