//! The gateway's pods, live: status, ready x/y, restarts, node (with its InternalIP), pod IPs and
//! age; a row expands to its containers (image, state, last termination). Searchable by pod or
//! node name.

use std::collections::BTreeSet;

use gateway_model::pods::{self, ContainerState, PodHealth, PodView};
use leptos::prelude::*;

use crate::i18n::{t, tr};

/// How often the ages are redrawn.
const AGE_TICK_MS: u64 = 15_000;

fn badge(health: PodHealth) -> &'static str {
    match health {
        PodHealth::Good => "pod-badge pod-badge--good",
        PodHealth::Progressing => "pod-badge pod-badge--progressing",
        PodHealth::Bad => "pod-badge pod-badge--bad",
    }
}

/// A clock for ages: the current time, refreshed every [`AGE_TICK_MS`] while the view lives.
fn now_ms() -> Signal<f64> {
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(
        move || {
            now.try_set(js_sys::Date::now());
        },
        std::time::Duration::from_millis(AGE_TICK_MS),
    ) {
        on_cleanup(move || handle.clear());
    }
    now.into()
}

#[component]
pub fn PodList(
    /// The pods (unsorted).
    #[prop(into)]
    pods: Signal<Vec<PodView>>,
    /// The InternalIP of a node, when known.
    node_ip: Callback<String, Option<String>>,
    /// The link to a pod's metrics (the Monitoring tab filtered to it).
    monitoring_link: Callback<String, String>,
    /// The link to a pod's logs (the Gateway Logs tab showing that pod).
    logs_link: Callback<String, String>,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let expanded = RwSignal::new(BTreeSet::<String>::new());
    let now = now_ms();
    let shown = Memo::new(move |_| pods.with(|list| pods::sorted(list, &query.get())));
    view! {
        <section class="details-panel pod-list" data-testid="pod-list">
            <div class="pod-list__head">
                <h3>{move || tr("PODS_COUNT", &[("count", &pods.with(Vec::len).to_string())])}</h3>
                <input
                    class="text-input pod-list__search"
                    type="search"
                    data-testid="pod-search"
                    aria-label=move || t("SEARCH_PODS")
                    placeholder=move || t("SEARCH_PODS")
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
            </div>
            {move || {
                let list = shown.get();
                if list.is_empty() {
                    let key = if pods.with(Vec::is_empty) { "NO_PODS" } else { "NO_MATCHING_PODS" };
                    return view! { <p class="details-panel__empty" data-testid="pods-empty">{t(key)}</p> }.into_any();
                }
                view! {
                    <table class="data-table pod-table">
                        <thead>
                            <tr>
                                <th scope="col"><span class="visually-hidden">{move || t("EXPAND")}</span></th>
                                <th scope="col">{move || t("NAME")}</th>
                                <th scope="col">{move || t("STATUS")}</th>
                                <th scope="col">{move || t("READY")}</th>
                                <th scope="col">{move || t("RESTARTS")}</th>
                                <th scope="col">{move || t("NODE")}</th>
                                <th scope="col">{move || t("POD_IPS")}</th>
                                <th scope="col">{move || t("AGE")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list.into_iter().map(|pod| {
                                let name = pod.name().to_string();
                                let label_name = name.clone();
                                let key = name.clone();
                                let is_open = Memo::new(move |_| expanded.with(|e| e.contains(&key)));
                                let toggle_key = name.clone();
                                let toggle = move |_| expanded.update(|e| {
                                    if !e.remove(&toggle_key) {
                                        e.insert(toggle_key.clone());
                                    }
                                });
                                let (ready, total) = pod.ready();
                                let node = pod.node().to_string();
                                let node_text = if node.is_empty() {
                                    "—".to_string()
                                } else {
                                    match node_ip.run(node.clone()) {
                                        Some(ip) => format!("{node} ({ip})"),
                                        None => node.clone(),
                                    }
                                };
                                let created = pod.metadata.creation_timestamp.clone();
                                let age = move || created.as_ref().map(|c| crate::format::age((now.get() / 1000.0) as i64 - c.0.as_second())).unwrap_or_else(|| "—".into());
                                let containers = pod.containers();
                                let ips = pod.ips();
                                let row_id = format!("pod-containers-{name}");
                                view! {
                                    <tr class="pod-row" data-testid="pod-row" data-pod=name.clone()>
                                        <td>
                                            <button
                                                type="button"
                                                class="expand-button"
                                                data-testid="pod-expand"
                                                aria-expanded=move || is_open.get().to_string()
                                                aria-controls=row_id.clone()
                                                aria-label=move || tr("SHOW_CONTAINERS_OF", &[("name", &label_name)])
                                                on:click=toggle
                                            >{move || if is_open.get() { "▾" } else { "▸" }}</button>
                                        </td>
                                        <td class="pod-row__name">
                                            <span data-testid="pod-name">{pod.name().to_string()}</span>
                                            <a class="pod-row__link" data-testid="pod-monitoring" href=monitoring_link.run(pod.name().to_string())>{move || t("POD_METRICS")}</a>
                                            <a class="pod-row__link" data-testid="pod-logs" href=logs_link.run(pod.name().to_string())>{move || t("POD_LOGS")}</a>
                                        </td>
                                        <td><span class=badge(pod.health()) data-testid="pod-status">{pod.status_text()}</span></td>
                                        <td data-testid="pod-ready">{format!("{ready}/{total}")}</td>
                                        <td data-testid="pod-restarts">{pod.restarts().to_string()}</td>
                                        <td data-testid="pod-node">{node_text}</td>
                                        <td class="pod-row__ips">{if ips.is_empty() { "—".to_string() } else { ips.join(", ") }}</td>
                                        <td>{age}</td>
                                    </tr>
                                    <Show when=move || is_open.get()>
                                        <tr class="pod-containers" id=format!("pod-containers-{}", pod.name())>
                                            <td></td>
                                            <td colspan="7">
                                                <table class="data-table data-table--nested" data-testid="pod-containers">
                                                    <thead><tr>
                                                        <th scope="col">{move || t("CONTAINER")}</th>
                                                        <th scope="col">{move || t("IMAGE")}</th>
                                                        <th scope="col">{move || t("STATE")}</th>
                                                        <th scope="col">{move || t("RESTARTS")}</th>
                                                        <th scope="col">{move || t("LAST_TERMINATION")}</th>
                                                    </tr></thead>
                                                    <tbody>
                                                        {containers.clone().into_iter().map(|c| {
                                                            let state = match &c.state {
                                                                ContainerState::Running => if c.ready { t("CONTAINER_RUNNING_READY") } else { t("CONTAINER_RUNNING_NOT_READY") },
                                                                ContainerState::Waiting(r) => tr("CONTAINER_WAITING", &[("reason", r)]),
                                                                ContainerState::Terminated(r, code) => tr("CONTAINER_TERMINATED", &[("reason", r), ("code", &code.to_string())]),
                                                                ContainerState::Unknown => t("UNKNOWN"),
                                                            };
                                                            let last = c.last_termination.as_ref().map(|(r, code)| tr("EXIT_REASON_CODE", &[("reason", r), ("code", &code.to_string())])).unwrap_or_else(|| "—".into());
                                                            view! {
                                                                <tr data-testid="container-row">
                                                                    <td>{c.name.clone()}</td>
                                                                    <td class="mono">{c.image.clone()}</td>
                                                                    <td data-testid="container-state">{state}</td>
                                                                    <td>{c.restarts.to_string()}</td>
                                                                    <td data-testid="container-last-termination">{last}</td>
                                                                </tr>
                                                            }
                                                        }).collect_view()}
                                                    </tbody>
                                                </table>
                                            </td>
                                        </tr>
                                    </Show>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
