//! Details → Events (KubeSphere has none): the core/v1 Events of the gateway, its Service,
//! ConfigMap, Deployment, ReplicaSets and pods, newest first, live. One watch of the namespace's Events,
//! kept to this gateway's objects (see `gateway_model::events`).

use gateway_model::events::{of_gateway, EventView, MAX_EVENTS};
use kube_core::params::ListParams;
use kube_core::{Request, Resource};
use leptos::prelude::*;

use super::DetailsContext;
use crate::api::use_client;
use crate::components::inline_error::InlineError;
use crate::components::sync_badge::SyncBadge;
use crate::i18n::{t, tr};
use crate::state::live::LiveList;

/// The time an event was seen, short, with its age.
fn seen(time: Option<&str>, now_ms: f64) -> String {
    let Some(time) = time else {
        return "—".into();
    };
    let short = crate::format::short_rfc3339(time).unwrap_or_else(|| time.to_string());
    match crate::format::seconds_since(time, now_ms) {
        Some(s) => format!("{short} ({})", crate::format::age(s)),
        None => short,
    }
}

#[component]
pub fn EventsTab(context: DetailsContext) -> impl IntoView {
    let client = use_client();
    let name = context.name.clone();
    let events: LiveList<EventView> = LiveList::start(
        client,
        Request::new(EventView::url_path(&(), Some(&context.namespace))),
        ListParams::default(),
    );
    let warnings_only = RwSignal::new(false);
    let shown = Memo::new(move |_| {
        let only = warnings_only.get();
        events
            .cache
            .with(|c| of_gateway(c.iter().filter(|e| !only || e.is_warning()), &name))
    });
    view! {
        <div class="tab-toolbar">
            <SyncBadge state=events.sync/>
            <label class="switch-field">
                <input
                    type="checkbox"
                    data-testid="events-warnings-only"
                    prop:checked=move || warnings_only.get()
                    on:change=move |ev| warnings_only.set(event_target_checked(&ev))
                />
                <span>{move || t("WARNINGS_ONLY")}</span>
            </label>
        </div>
        {move || events.initial_error.get().map(|error| view! { <InlineError error/> })}
        <section class="details-panel" data-testid="events-panel">
            <h3>{move || t("EVENTS")}</h3>
            {move || {
                let list = shown.get();
                if list.is_empty() {
                    return view! { <p class="details-panel__empty" data-testid="events-empty">{t("NO_EVENTS")}</p> }.into_any();
                }
                let now = js_sys::Date::now();
                let full = list.len() >= MAX_EVENTS;
                view! {
                    <table class="data-table events-table" data-testid="events-table">
                        <thead><tr>
                            <th scope="col">{move || t("TYPE")}</th>
                            <th scope="col">{move || t("REASON")}</th>
                            <th scope="col">{move || t("OBJECT")}</th>
                            <th scope="col">{move || t("MESSAGE")}</th>
                            <th scope="col">{move || t("COUNT")}</th>
                            <th scope="col">{move || t("FIRST_SEEN")}</th>
                            <th scope="col">{move || t("LAST_SEEN")}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|e| {
                                let warning = e.is_warning();
                                view! {
                                    <tr class=if warning { "event-row event-row--warning" } else { "event-row" } data-testid="event-row">
                                        <td><span class=if warning { "flag flag--error" } else { "flag flag--info" } data-testid="event-type">{e.type_.clone().unwrap_or_else(|| "Normal".into())}</span></td>
                                        <td data-testid="event-reason">{e.reason.clone().unwrap_or_default()}</td>
                                        <td class="mono event-object" data-testid="event-object">{e.object()}</td>
                                        <td class="pre" data-testid="event-message">{e.message.clone().unwrap_or_default()}</td>
                                        <td data-testid="event-count">{e.times().to_string()}</td>
                                        <td>{seen(e.first_seen(), now)}</td>
                                        <td>{seen(e.last_seen(), now)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {full.then(|| view! { <p class="muted">{tr("EVENTS_TRUNCATED", &[("count", &MAX_EVENTS.to_string())])}</p> })}
                }.into_any()
            }}
        </section>
    }
}
