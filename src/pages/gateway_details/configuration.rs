//! Details → Configuration Options: every `spec.controller.config` entry with the catalogue's
//! type, default and summary, flagged when it is the default, unknown, removed or of the wrong
//! type; and the ConfigMap the operator rendered (named like the gateway) beside it, with the
//! keys that differ highlighted (drift: someone edited the ConfigMap, or the operator has not
//! caught up). One watch: that ConfigMap.

use gateway_model::config_review::{drift_count, review, ConfigRow, Drift, OptionFlag};
use kube_core::params::ListParams;
use kube_core::{Request, Resource};
use leptos::prelude::*;
use thaw::{Button, ButtonAppearance, MessageBar, MessageBarBody, MessageBarIntent};

use super::DetailsContext;
use crate::api::use_client;
use crate::components::dialog_host::{DialogHost, HostedDialog};
use crate::components::field_message::option_type_key;
use crate::components::sync_badge::SyncBadge;
use crate::i18n::{t, tr, use_i18n};
use crate::state::actions::DialogTarget;
use crate::state::config_map_view::ConfigMapView;
use crate::state::live::LiveList;

#[component]
pub fn ConfigurationTab(context: DetailsContext) -> impl IntoView {
    let client = use_client();
    let i18n = use_i18n();
    let DetailsContext {
        namespace,
        name,
        gateway,
        access,
        ..
    } = context;
    let rendered: LiveList<ConfigMapView> = LiveList::start(
        client,
        Request::new(ConfigMapView::url_path(&(), Some(&namespace))),
        ListParams::default().fields(&format!("metadata.name={name}")),
    );
    // `None`: not known (loading, unreadable); `Some(empty)` when the ConfigMap does not exist
    let rendered_data = Memo::new(move |_| {
        if !rendered.listed.get() {
            return None;
        }
        Some(rendered.cache.with(|c| {
            c.iter()
                .next()
                .map(|cm| cm.data.clone().unwrap_or_default())
        }))
    });
    let rows = Memo::new(move |_| {
        let spec = gateway.with(|g| g.config());
        rendered_data.with(|r| review(&spec, r.as_ref().and_then(Option::as_ref)))
    });
    let (dialogs, own_dialogs) = DialogHost::use_or_own();
    let edit = move |_| {
        dialogs.open(HostedDialog::Gateway(DialogTarget::Edit {
            gateway: Box::new(gateway.get_untracked()),
            focus_config: true,
        }));
    };
    let denied = move || access.denied_tip("patch");
    let name = StoredValue::new(name);
    let drift_notice = move || {
        if let Some(error) = rendered.initial_error.get() {
            let message = error.message(i18n.locale.get());
            return view! {
                <MessageBar intent=MessageBarIntent::Warning attr:data-testid="drift-unknown">
                    <MessageBarBody>{tr("DRIFT_UNKNOWN", &[("message", &message)])}</MessageBarBody>
                </MessageBar>
            }
            .into_any();
        }
        match rendered_data.get() {
            None => ().into_any(),
            Some(None) => view! {
                <MessageBar intent=MessageBarIntent::Warning attr:data-testid="drift-no-configmap">
                    <MessageBarBody>{tr("DRIFT_NO_CONFIGMAP", &[("name", &name.get_value())])}</MessageBarBody>
                </MessageBar>
            }
            .into_any(),
            Some(Some(_)) => {
                let n = rows.with(|r| drift_count(r));
                if n == 0 {
                    view! { <p class="drift-ok" data-testid="drift-none">{t("DRIFT_NONE")}</p> }.into_any()
                } else {
                    view! {
                        <MessageBar intent=MessageBarIntent::Warning attr:data-testid="drift-summary">
                            <MessageBarBody>{tr("DRIFT_FOUND", &[("count", &n.to_string())])}</MessageBarBody>
                        </MessageBar>
                    }
                    .into_any()
                }
            }
        }
    };
    view! {
        <div class="tab-toolbar">
            <SyncBadge state=rendered.sync/>
            <span title=move || denied().unwrap_or_default()>
                <Button
                    appearance=ButtonAppearance::Primary
                    attr:data-testid="config-edit"
                    disabled=Signal::derive(move || denied().is_some())
                    on_click=edit
                >{move || t("EDIT")}</Button>
            </span>
        </div>
        {drift_notice}
        <section class="details-panel" data-testid="details-config">
            <h3>{move || t("CONFIGURATION_OPTIONS")}</h3>
            {move || {
                let list = rows.get();
                if list.is_empty() {
                    return view! { <p class="details-panel__empty">{t("NO_DATA")}</p> }.into_any();
                }
                view! {
                    <table class="data-table config-table" data-testid="config-table">
                        <thead><tr>
                            <th scope="col">{move || t("KEY")}</th>
                            <th scope="col">{move || t("VALUE_IN_SPEC")}</th>
                            <th scope="col">{move || t("VALUE_RENDERED")}</th>
                            <th scope="col">{move || t("TYPE")}</th>
                            <th scope="col">{move || t("DEFAULT_VALUE")}</th>
                            <th scope="col">{move || t("NOTES")}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|row| view! { <ConfigRowView row/> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        {own_dialogs}
    }
}

#[component]
fn ConfigRowView(row: ConfigRow) -> impl IntoView {
    let drift = row.drift.clone();
    let class = if drift.is_drift() {
        "config-row config-row--drift"
    } else {
        "config-row"
    };
    let drift_key = match drift {
        Drift::InSync | Drift::Unknown => None,
        Drift::Missing => Some("DRIFT_MISSING"),
        Drift::Extra => Some("DRIFT_EXTRA"),
        Drift::Different => Some("DRIFT_DIFFERENT"),
    };
    let (type_name, default, summary) = match row.option {
        Some(o) => (
            Some(&o.value_type),
            (!o.default.is_empty()).then(|| o.default.to_string()),
            Some(o.summary),
        ),
        None => (None, None, None),
    };
    let flags = row.flags.clone();
    let absent = || view! { <span class="muted">"—"</span> };
    view! {
        <tr class=class data-testid="config-row" data-key=row.key.clone() data-drift=format!("{:?}", row.drift).to_lowercase()>
            <td class="mono">
                <span data-testid="config-key">{row.key.clone()}</span>
                {summary.map(|s| view! { <span class="config-row__summary" lang="en" title=move || t("SUMMARY_IN_ENGLISH")>{s}</span> })}
            </td>
            <td class="mono pre" data-testid="config-spec-value">{row.spec_value.clone().map(|v| v.into_any()).unwrap_or_else(|| absent().into_any())}</td>
            <td class="mono pre" data-testid="config-rendered-value">{row.rendered_value.clone().map(|v| v.into_any()).unwrap_or_else(|| absent().into_any())}</td>
            <td>{type_name.map(|n| t(option_type_key(n)))}</td>
            <td class="mono pre">{default}</td>
            <td data-testid="config-notes">
                {drift_key.map(|k| view! { <span class="flag flag--drift" data-testid="config-drift">{move || t(k)}</span> })}
                {flags.into_iter().map(|f| {
                    let (class, text) = match f {
                        OptionFlag::IsDefault => ("flag flag--info", t("FLAG_IS_DEFAULT")),
                        OptionFlag::UnknownKey => ("flag flag--warning", t("FLAG_UNKNOWN_KEY")),
                        OptionFlag::Removed(r) => ("flag flag--warning", tr("FLAG_REMOVED", &[("version", r)])),
                        OptionFlag::WrongType(ty) => ("flag flag--error", tr("FLAG_WRONG_TYPE", &[("type", &t(option_type_key(&ty)))])),
                    };
                    view! { <span class=class data-testid="config-flag">{text}</span> }
                }).collect_view()}
            </td>
        </tr>
    }
}
