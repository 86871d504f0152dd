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
use gateway_model::health::{endpoint_url, gateway_health, http_ports, replica_counts};
use gateway_model::legacy::LegacyGateway;
use leptos::prelude::*;
use thaw::{Button, ButtonAppearance};

use crate::chunks::{parts, OnDemand, Placeholder};
use crate::components::disable_dialog::DisableTarget;
use crate::components::gateway_actions::ManageMenu;
use crate::components::gateway_summary::health_label;
use crate::i18n::{t, tr};
use crate::state::gateway_workloads::NamespaceWorkloads;
use crate::state::legacy::LegacyGateways;
use crate::state::live::LiveList;
use crate::state::permissions::GatewayAccess;

/// Rows per page.
pub const PAGE_SIZE: usize = 20;

/// Sortable columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Project,
    AccessMode,
    Replicas,
    Created,
}

/// Sort order: column and direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub ascending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        // newest first, like KubeSphere's `sortBy=createTime`
        Sort {
            key: SortKey::Created,
            ascending: false,
        }
    }
}

/// The project a gateway serves (scope namespace, else the name suffix).
pub fn project_of(g: &Gateway) -> String {
    g.scope()
        .map(|s| s.project().to_string())
        .unwrap_or_default()
}

/// True for the rows of this table: project gateways (not the cluster gateway).
pub fn is_project_gateway(g: &Gateway) -> bool {
    g.scope().is_some_and(|s| !s.is_cluster())
}

/// What a row is sorted by (computed once per row, not per comparison).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum SortValue {
    Text(String),
    Number(i32),
}

/// Filters project gateways by a case-insensitive substring of name or project, sorts (name
/// breaks ties), and returns the rows of page `page` (0-based, clamped) with the number of
/// matches.
pub fn select_page<'a>(
    gateways: impl Iterator<Item = &'a Gateway>,
    query: &str,
    sort: Sort,
    page: usize,
    page_size: usize,
) -> (Vec<&'a Gateway>, usize) {
    let q = query.trim().to_lowercase();
    let mut rows: Vec<(SortValue, &Gateway)> = gateways
        .filter(|g| is_project_gateway(g))
        .filter(|g| {
            q.is_empty()
                || g.name().to_lowercase().contains(&q)
                || project_of(g).to_lowercase().contains(&q)
        })
        .map(|g| {
            let value = match sort.key {
                SortKey::Name => SortValue::Text(g.name().to_string()),
                SortKey::Project => SortValue::Text(project_of(g)),
                SortKey::AccessMode => {
                    SortValue::Text(g.service_type().unwrap_or_default().to_string())
                }
                SortKey::Replicas => SortValue::Number(g.desired_replicas()),
                SortKey::Created => SortValue::Text(created(g)),
            };
            (value, g)
        })
        .collect();
    rows.sort_by(|(va, a), (vb, b)| {
        let order = if sort.ascending {
            va.cmp(vb)
        } else {
            vb.cmp(va)
        };
        order.then_with(|| a.name().cmp(b.name()))
    });
    let total = rows.len();
    let pages = total.div_ceil(page_size).max(1);
    let page = page.min(pages - 1);
    let rows = rows
        .into_iter()
        .skip(page * page_size)
        .take(page_size)
        .map(|(_, g)| g)
        .collect();
    (rows, total)
}

fn created(g: &Gateway) -> String {
    g.metadata
        .creation_timestamp
        .as_ref()
        .map(|t| t.0.to_string())
        .unwrap_or_default()
}

fn key_of(g: &Gateway) -> (String, String) {
    (g.namespace().to_string(), g.name().to_string())
}

#[component]
pub fn ProjectGatewayTable(
    /// All gateways (the cluster gateway is left out here).
    live: LiveList<Gateway>,
    /// Services/Deployments of the working namespace (absent when each project has its own).
    workloads: Option<NamespaceWorkloads>,
    access: GatewayAccess,
    legacy: LegacyGateways,
    /// Where an updated legacy gateway's Gateway goes.
    working_namespace: Option<String>,
) -> impl IntoView {
    let updating = RwSignal::new(None::<LegacyGateway>);
    let working_namespace = StoredValue::new(working_namespace);
    let query = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort::default());
    let page = RwSignal::new(0usize);
    let selected = RwSignal::new(BTreeSet::<(String, String)>::new());
    let disabling = RwSignal::new(None::<Vec<DisableTarget>>);
    // a new search starts on the first page
    Effect::new(move |_| {
        query.track();
        page.set(0);
    });
    let listed = live.listed;
    // selection only holds gateways that still exist
    Effect::new(move |_| {
        let gone = live
            .cache
            .with(|c| selected.with_untracked(|s| s.iter().any(|(ns, n)| c.get(ns, n).is_none())));
        if gone {
            live.cache.with_untracked(|c| {
                selected.update(|s| s.retain(|(ns, n)| c.get(ns, n).is_some()))
            });
        }
    });
    // Only keys leave this memo: rows re-render when their own gateway changes, the row set
    // when the page's keys change.
    let view_rows = Memo::new(move |_| {
        live.cache.with(|c| {
            let (rows, total) =
                select_page(c.iter(), &query.get(), sort.get(), page.get(), PAGE_SIZE);
            (rows.into_iter().map(key_of).collect::<Vec<_>>(), total)
        })
    });
    let total = move || view_rows.with(|(_, t)| *t);
    let pages = move || total().div_ceil(PAGE_SIZE).max(1);
    let current_page = move || page.get().min(pages() - 1);
    let lookup = move |key: &(String, String)| live.cache.with(|c| c.get(&key.0, &key.1).cloned());
    let page_keys = move || view_rows.with(|(rows, _)| rows.clone());
    let all_on_page_selected = move || {
        let keys = page_keys();
        !keys.is_empty() && selected.with(|s| keys.iter().all(|k| s.contains(k)))
    };
    let toggle_all = move |on: bool| {
        let keys = page_keys();
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
                .filter_map(|k| lookup(k).map(|g| DisableTarget::of(&g)))
                .collect()
        });
        if !targets.is_empty() {
            disabling.set(Some(targets));
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
                        {
                            let snapshot = lookup(&key).unwrap_or_default();
                            let row_key = key.clone();
                            let gateway = Memo::new(move |_| lookup(&row_key).unwrap_or_else(|| snapshot.clone()));
                            view! { <GatewayRow gateway=gateway.into() workloads access selected/> }
                        }
                    </For>
                    {move || legacy.list.get().unwrap_or_default().into_iter()
                        .filter(|l| { let q = query.get().trim().to_lowercase(); q.is_empty() || l.name.to_lowercase().contains(&q) || l.project.to_lowercase().contains(&q) })
                        .map(|l| view! {
                        <tr data-testid="legacy-row">
                            <td></td>
                            <td class="data-table__name">{l.name.clone()} " " <span class="legacy-chip" title=move || t("LEGACY_GATEWAY_DESC")>{move || t("LEGACY")}</span></td>
                            <td>{l.project.clone()}</td>
                            <td>{l.service_type.clone()}</td>
                            <td>{move || t("NONE")}</td>
                            <td>{move || t("NONE")}</td>
                            <td>{move || t("NONE")}</td>
                            <td>{let on = l.tracing; move || if on { t("ON") } else { t("OFF") }}</td>
                            <td><span class="health-chip health-chip--unknown">{move || t("LEGACY")}</span></td>
                            <td>{move || t("NONE")}</td>
                            <td class="data-table__menu">{
                                let l = l.clone();
                                view! {
                                    <button type="button" class="text-button" data-testid="legacy-update"
                                        disabled=move || !access.allows("create")
                                        title=move || access.denied_tip("create").unwrap_or_else(|| t("UPDATE_GATEWAY_DESC"))
                                        on:click=move |_| updating.set(Some(l.clone()))>{move || t("UPDATE")}</button>
                                }
                            }</td>
                        </tr>
                    }).collect_view()}
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
        {move || disabling.get().map(|targets| {
            let on_close = Callback::new(move |_| { disabling.set(None); selected.set(BTreeSet::new()); });
            view! {
                <OnDemand
                    load=move || parts::disable_dialog(targets.clone(), on_close)
                    placeholder=Placeholder::Floating
                    on_dismiss=on_close
                />
            }
        })}
    }
}

#[component]
fn GatewayRow(
    gateway: Signal<Gateway>,
    workloads: Option<NamespaceWorkloads>,
    access: GatewayAccess,
    selected: RwSignal<BTreeSet<(String, String)>>,
) -> impl IntoView {
    let key = gateway.with_untracked(key_of);
    let of = workloads.map(|w| w.of(&key.1));
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
        let port = if node_port {
            ports.http_node_port
        } else {
            ports.http
        };
        list.first().map(|a| endpoint_url(false, a, port))
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

#[cfg(test)]
mod tests {
    use super::*;
    use gateway_model::gateway::GatewaySpec;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

    fn gw(project: &str, minute: u32) -> Gateway {
        let mut g = Gateway::new(
            &format!("kubesphere-router-{project}"),
            "kubesphere-controls-system",
            GatewaySpec::default(),
        );
        let ts: jiff::Timestamp = format!("2026-01-01T00:{minute:02}:00Z").parse().unwrap();
        g.metadata.creation_timestamp = Some(Time(ts));
        g
    }

    #[test]
    fn filters_sorts_and_pages() {
        let all: Vec<Gateway> = (0..45).map(|i| gw(&format!("p{i:02}"), i)).collect();
        let (rows, total) = select_page(all.iter(), "", Sort::default(), 0, 20);
        assert_eq!(total, 45);
        assert_eq!(rows.len(), 20);
        assert_eq!(rows[0].name(), "kubesphere-router-p44", "newest first");
        let (rows, _) = select_page(all.iter(), "", Sort::default(), 2, 20);
        assert_eq!(rows.len(), 5);
        // out-of-range pages clamp to the last one
        let (rows, _) = select_page(all.iter(), "", Sort::default(), 99, 20);
        assert_eq!(rows.len(), 5);
        let by_name = Sort {
            key: SortKey::Name,
            ascending: true,
        };
        let (rows, _) = select_page(all.iter(), "", by_name, 0, 20);
        assert_eq!(rows[0].name(), "kubesphere-router-p00");
        let (rows, total) = select_page(all.iter(), " P1", by_name, 0, 20);
        assert_eq!(total, 10);
        assert!(rows.iter().all(|g| g.name().contains("p1")));
        let (rows, total) = select_page(all.iter(), "nothing", by_name, 0, 20);
        assert_eq!((rows.len(), total), (0, 0));
    }
}
