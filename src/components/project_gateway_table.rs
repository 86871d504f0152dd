//! The Project Gateways table (cluster page): every project gateway with its project, access
//! mode, address, node ports, replicas, tracing, health and age; search, sort, pages, a row
//! Manage menu and batch Disable. Legacy gateways are listed and marked.
//!
//! The rows come from the live cache of all gateways (listed in chunks with `limit`/`continue`,
//! then watched), and pages are cut client-side: the Kubernetes API can neither sort nor search
//! by substring, so paging on the server would make the asked-for sort and search impossible
//! and the table stale. Only the visible page is rendered, so 1,000 gateways stay smooth.

use std::collections::BTreeSet;

use gateway_model::gateway::Gateway;
use gateway_model::health::{access_urls, gateway_health, http_ports, replica_counts};
use gateway_model::legacy::LegacyGateway;
use gateway_model::project_table::{
    page_count, project_of, select_page, still_selectable, table_rows, RowKey, Sort, SortKey,
};
use leptos::prelude::*;
use thaw::{
    Button, ButtonAppearance, MessageBar, MessageBarActions, MessageBarBody, MessageBarIntent,
};

use crate::chunks::{parts, OnDemand, Placeholder};
use crate::components::dialog_host::{DialogHost, HostedDialog};
use crate::components::disable_dialog::DisableTarget;
use crate::components::gateway_actions::ManageMenu;
use crate::components::gateway_summary::health_label;
use crate::i18n::{t, tr, use_i18n};
use crate::state::gateway_workloads::NamespaceWorkloads;
use crate::state::legacy::LegacyGateways;
use crate::state::live::LiveList;
use crate::state::permissions::{AccessByNamespace, GatewayAccess};

/// Rows per page.
pub const PAGE_SIZE: usize = 20;

#[component]
pub fn ProjectGatewayTable(
    /// All gateways (the cluster gateway is left out here).
    live: LiveList<Gateway>,
    /// Services/Deployments of the working namespace (absent when each project has its own).
    workloads: Option<NamespaceWorkloads>,
    /// Permissions for the table's own actions (batch Disable, legacy Update).
    access: GatewayAccess,
    /// Permissions of each row, per namespace of its gateway.
    row_access: AccessByNamespace,
    legacy: LegacyGateways,
    /// Where an updated legacy gateway's Gateway goes.
    working_namespace: Option<String>,
) -> impl IntoView {
    let (dialogs, own_dialogs) = DialogHost::use_or_own();
    let i18n = use_i18n();
    let updating = RwSignal::new(None::<LegacyGateway>);
    let working_namespace = StoredValue::new(working_namespace);
    let query = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort::default());
    let page = RwSignal::new(0usize);
    let selected = RwSignal::new(BTreeSet::<RowKey>::new());
    // a new search starts on the first page
    Effect::new(move |_| {
        query.track();
        page.set(0);
    });
    let listed = live.listed;
    // The selection holds gateways that exist and are not being disabled: a cancelled batch
    // Disable keeps it, a successful one empties it as the gateways go into Disabling.
    Effect::new(move |_| {
        let kept = live.cache.with(|c| {
            selected.with_untracked(|s| {
                still_selectable(s.iter(), |ns, name| {
                    c.get(ns, name).map(Gateway::is_deleting)
                })
            })
        });
        if selected.with_untracked(|s| s.len() != kept.len()) {
            selected.set(kept.into_iter().collect());
        }
    });
    // What search and sort read, once per change of the gateways or the legacy list.
    let rows = Memo::new(move |_| {
        let legacy = legacy.found();
        live.cache.with(|c| table_rows(c.iter(), &legacy))
    });
    // Only keys leave this memo: rows re-render when their own gateway changes, the row set
    // when the page's keys change.
    let view_rows = Memo::new(move |_| {
        rows.with(|r| select_page(r, &query.get(), sort.get(), page.get(), PAGE_SIZE))
    });
    let total = move || view_rows.with(|(_, t)| *t);
    let pages = move || page_count(total(), PAGE_SIZE);
    let current_page = move || page.get().min(pages() - 1);
    let lookup = move |ns: &str, name: &str| live.cache.with(|c| c.get(ns, name).cloned());
    let legacy_of = move |ns: &str, name: &str| {
        legacy
            .found()
            .into_iter()
            .find(|l| l.namespace == ns && l.name == name)
    };
    let page_keys = move || view_rows.with(|(rows, _)| rows.clone());
    let selectable_on_page = move || {
        page_keys()
            .into_iter()
            .filter(|k| matches!(k, RowKey::Gateway { .. }))
            .collect::<Vec<_>>()
    };
    let all_on_page_selected = move || {
        let keys = selectable_on_page();
        !keys.is_empty() && selected.with(|s| keys.iter().all(|k| s.contains(k)))
    };
    let toggle_all = move |on: bool| {
        let keys = selectable_on_page();
        selected.update(|s| {
            for k in keys {
                if on {
                    s.insert(k);
                } else {
                    s.remove(&k);
                }
            }
        });
    };
    let batch_disable = move |_| {
        let targets: Vec<DisableTarget> = selected.with_untracked(|s| {
            s.iter()
                .filter_map(|k| lookup(k.namespace(), k.name()).map(|g| DisableTarget::of(&g)))
                .collect()
        });
        if !targets.is_empty() {
            dialogs.open(HostedDialog::Disable {
                targets,
                then: None,
            });
        }
    };
    let header = move |key: SortKey, label: &'static str| {
        let aria = move || {
            let s = sort.get();
            if s.key != key {
                "none"
            } else if s.ascending {
                "ascending"
            } else {
                "descending"
            }
        };
        view! {
            <th scope="col" aria-sort=aria>
                <button type="button" class="sort-button" data-testid=format!("sort-{label}")
                    on:click=move |_| sort.update(|s| {
                        if s.key == key { s.ascending = !s.ascending } else { *s = Sort { key, ascending: true } }
                    })>
                    {move || t(label)}
                    <span class="sort-button__arrow" aria-hidden="true">{move || match aria() { "ascending" => "▲", "descending" => "▼", _ => "" }}</span>
                </button>
            </th>
        }
    };
    view! {
        <div class="table-toolbar">
            <input
                class="text-input table-toolbar__search"
                type="search"
                data-testid="table-search"
                placeholder=move || t("SEARCH_BY_NAME_OR_PROJECT")
                aria-label=move || t("SEARCH_BY_NAME_OR_PROJECT")
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <span class="table-toolbar__count" data-testid="table-total">{move || tr("TOTAL_ITEMS", &[("num", &total().to_string())])}</span>
            <Button
                appearance=ButtonAppearance::Secondary
                attr:data-testid="batch-disable"
                disabled=Signal::derive(move || selected.with(BTreeSet::is_empty) || !access.allows("delete"))
                attr:title=move || access.denied_tip("delete").unwrap_or_default()
                on_click=batch_disable
            >{move || tr("DISABLE_SELECTED", &[("num", &selected.with(BTreeSet::len).to_string())])}</Button>
        </div>
        {move || legacy.error().map(|error| view! {
            <div class="page-notice" role="alert" data-testid="legacy-check-failed">
                <MessageBar intent=MessageBarIntent::Warning>
                    <MessageBarBody>
                        {move || t("LEGACY_LIST_FAILED")}
                        " "
                        <span class="page-notice__detail">{move || error.message(i18n.locale.get())}</span>
                    </MessageBarBody>
                    <MessageBarActions>
                        <Button
                            appearance=ButtonAppearance::Secondary
                            attr:data-testid="legacy-retry"
                            on_click=move |_| legacy.refresh()
                        >{move || t("RETRY")}</Button>
                    </MessageBarActions>
                </MessageBar>
            </div>
        })}
        <div class="table-wrap">
            <table class="data-table" data-testid="project-gateway-table">
                <thead>
                    <tr>
                        <th scope="col" class="data-table__check">
                            <input type="checkbox" data-testid="select-page"
                                aria-label=move || t("SELECT_ALL_ON_PAGE")
                                prop:checked=all_on_page_selected
                                on:change=move |ev| toggle_all(event_target_checked(&ev))/>
                        </th>
                        {header(SortKey::Name, "NAME")}
                        {header(SortKey::Project, "PROJECT")}
                        {header(SortKey::AccessMode, "ACCESS_MODE")}
                        <th scope="col">{move || t("GATEWAY_ADDRESS")}</th>
                        <th scope="col" title=move || t("NODE_PORTS_HTTP_HTTPS")>{move || t("NODE_PORTS")}</th>
                        {header(SortKey::Replicas, "REPLICA_PL")}
                        <th scope="col">{move || t("TRACING")}</th>
                        <th scope="col">{move || t("STATUS")}</th>
                        {header(SortKey::Created, "CREATED")}
                        <th scope="col"><span class="visually-hidden">{move || t("MANAGE")}</span></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=page_keys key=|k| k.clone() let(key)>
                        {match key {
                            RowKey::Gateway { namespace, name } => {
                                let snapshot = lookup(&namespace, &name).unwrap_or_default();
                                let access = row_access.of(&namespace).unwrap_or(access);
                                let gateway = Memo::new(move |_| lookup(&namespace, &name).unwrap_or_else(|| snapshot.clone()));
                                view! { <GatewayRow gateway=gateway.into() workloads access selected/> }.into_any()
                            }
                            RowKey::Legacy { namespace, name } => match legacy_of(&namespace, &name) {
                                Some(l) => view! { <LegacyRow legacy=l access on_update=Callback::new(move |l| updating.set(Some(l)))/> }.into_any(),
                                None => ().into_any(),
                            },
                        }}
                    </For>
                </tbody>
            </table>
            {move || (listed.get() && total() == 0).then(|| view! {
                <p class="data-table__empty" data-testid="table-empty">
                    {move || if query.with(|q| q.trim().is_empty()) { t("NO_PROJECT_GATEWAYS") } else { t("NO_MATCHING_RESULT_FOUND") }}
                </p>
            })}
            {move || (!listed.get()).then(|| view! { <p class="data-table__empty" aria-busy="true">{move || t("LOADING")}</p> })}
        </div>
        <nav class="pager" aria-label=move || t("PAGES")>
            <button type="button" class="text-button" data-testid="page-prev"
                disabled=move || current_page() == 0
                on:click=move |_| page.set(current_page().saturating_sub(1))>{move || t("PREVIOUS_PAGE")}</button>
            <span data-testid="page-indicator">{move || tr("PAGE_OF", &[("page", &(current_page() + 1).to_string()), ("pages", &pages().to_string())])}</span>
            <button type="button" class="text-button" data-testid="page-next"
                disabled=move || { current_page() + 1 >= pages() }
                on:click=move |_| page.set(current_page() + 1)>{move || t("NEXT_PAGE")}</button>
        </nav>
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
        {own_dialogs}
    }
}

/// A legacy (3.0/3.1) gateway: marked, with Update instead of the Manage menu.
#[component]
fn LegacyRow(
    legacy: LegacyGateway,
    access: GatewayAccess,
    on_update: Callback<LegacyGateway>,
) -> impl IntoView {
    let on = legacy.tracing;
    let created = legacy.created.clone();
    view! {
        <tr data-testid="legacy-row">
            <td></td>
            <td class="data-table__name">{legacy.name.clone()} " " <span class="legacy-chip" title=move || t("LEGACY_GATEWAY_DESC")>{move || t("LEGACY")}</span></td>
            <td>{legacy.project.clone()}</td>
            <td>{legacy.service_type.clone()}</td>
            <td>{move || t("NONE")}</td>
            <td>{move || t("NONE")}</td>
            <td>{move || t("NONE")}</td>
            <td>{move || if on { t("ON") } else { t("OFF") }}</td>
            <td><span class="health-chip health-chip--unknown">{move || t("LEGACY")}</span></td>
            <td class="data-table__created">{move || created.as_deref().and_then(crate::format::short_rfc3339).unwrap_or_else(|| t("NONE"))}</td>
            <td class="data-table__menu">
                <button type="button" class="text-button" data-testid="legacy-update"
                    disabled=move || !access.allows("create")
                    title=move || access.denied_tip("create").unwrap_or_else(|| t("UPDATE_GATEWAY_DESC"))
                    on:click=move |_| on_update.run(legacy.clone())>{move || t("UPDATE")}</button>
            </td>
        </tr>
    }
}

#[component]
fn GatewayRow(
    gateway: Signal<Gateway>,
    workloads: Option<NamespaceWorkloads>,
    access: GatewayAccess,
    selected: RwSignal<BTreeSet<RowKey>>,
) -> impl IntoView {
    let key = gateway.with_untracked(|g| RowKey::gateway(g.namespace(), g.name()));
    let of = workloads.map(|w| w.of_in(key.namespace(), key.name()));
    let service = Memo::new(move |_| of.and_then(|w| w.service_now()));
    let deployment = Memo::new(move |_| of.and_then(|w| w.deployment_now()));
    let addresses = Memo::new(move |_| of.and_then(|w| w.addresses()));
    let health =
        Memo::new(move |_| deployment.with(|d| gateway.with(|g| gateway_health(g, d.as_ref()))));
    let checked_key = key.clone();
    let toggle_key = key.clone();
    let address = move || match addresses.get() {
        Some(Ok(list)) if !list.is_empty() => list.join(", "),
        _ => t("NONE"),
    };
    let node_ports = move || {
        let ports = service.with(|s| s.as_ref().map(http_ports));
        match ports {
            Some(p) if p.http_node_port.is_some() || p.https_node_port.is_some() => {
                let fmt = |p: Option<i32>| p.map(|p| p.to_string()).unwrap_or_else(|| "-".into());
                format!("{} / {}", fmt(p.http_node_port), fmt(p.https_node_port))
            }
            _ => t("NONE"),
        }
    };
    let first_url = move || {
        let Some(Ok(list)) = addresses.get() else {
            return None;
        };
        let ports = service.with(|s| s.as_ref().map(http_ports))?;
        let node_port = gateway.with(|g| g.service_type() == Some("NodePort"));
        // the same URLs as the card's; the row links the first
        access_urls(&list, &ports, node_port, 1).into_iter().next()
    };
    let replicas = move || {
        let desired = gateway.with(Gateway::desired_replicas);
        match deployment.get() {
            Some(d) => format!("{}/{}", replica_counts(&d).ready, desired),
            None => desired.to_string(),
        }
    };
    view! {
        <tr data-testid="project-gateway-row" class:data-table__row--selected=move || selected.with(|s| s.contains(&checked_key))>
            <td class="data-table__check">
                <input type="checkbox" data-testid="row-select"
                    aria-label=move || tr("SELECT_ROW", &[("name", &gateway.with(|g| g.name().to_string()))])
                    prop:checked={let k = key.clone(); move || selected.with(|s| s.contains(&k))}
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        let k = toggle_key.clone();
                        selected.update(|s| { if on { s.insert(k); } else { s.remove(&k); } });
                    }/>
            </td>
            <td class="data-table__name" data-testid="row-name" title=move || gateway.with(|g| g.name().to_string())>{move || gateway.with(|g| g.name().to_string())}</td>
            <td data-testid="row-project">{move || gateway.with(project_of)}</td>
            <td>{move || gateway.with(|g| g.service_type().unwrap_or("LoadBalancer").to_string())}</td>
            <td data-testid="row-address">{move || match first_url() {
                Some(url) => view! { <a href=url.clone() target="_blank" rel="noopener noreferrer">{address()}</a> }.into_any(),
                None => view! { <span>{address()}</span> }.into_any(),
            }}</td>
            <td data-testid="row-node-ports">{node_ports}</td>
            <td data-testid="row-replicas">{replicas}</td>
            <td>{move || if gateway.with(Gateway::is_tracing_enabled) { t("ON") } else { t("OFF") }}</td>
            <td>{move || {
                let (key, modifier) = health_label(&health.get());
                view! { <span class=format!("health-chip health-chip--{modifier}") data-testid="row-health">{t(key)}</span> }
            }}</td>
            <td class="data-table__created" title=move || gateway.with(|g| crate::format::timestamp(g.metadata.creation_timestamp.as_ref())).unwrap_or_default()>
                {move || gateway.with(|g| crate::format::short_timestamp(g.metadata.creation_timestamp.as_ref())).unwrap_or_else(|| t("NONE"))}
            </td>
            <td class="data-table__menu"><ManageMenu gateway access compact=true/></td>
        </tr>
    }
}
