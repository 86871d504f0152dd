//! Disable one or several gateways: the user types the name(s) to confirm (KubeSphere's
//! `DELETE_RESOURCE_TYPE_DESC_*`). Each DELETE carries the uid that was confirmed, so a gateway
//! re-created meanwhile is not removed by mistake. Failures stay in the dialog, per gateway,
//! with the server's message; gateways already gone count as disabled.

use leptos::prelude::*;
use thaw::{Button, ButtonAppearance, ButtonType, ToasterInjection};

use crate::api::use_client;
use crate::components::modal_form::{toast_error, toast_success, ModalForm};
use crate::i18n::{t, tr, translate, use_i18n};
use crate::state::actions::disable_gateways;

pub use crate::state::actions::DisableTarget;

/// What must be typed to confirm: the names, comma-separated.
pub fn confirmation_text(targets: &[DisableTarget]) -> String {
    targets
        .iter()
        .map(|t| t.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// True when `typed` confirms `targets` (surrounding blanks ignored, names in any order).
pub fn is_confirmed(typed: &str, targets: &[DisableTarget]) -> bool {
    let mut typed: Vec<&str> = typed
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let mut wanted: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
    typed.sort_unstable();
    wanted.sort_unstable();
    !wanted.is_empty() && typed == wanted
}

#[component]
pub fn DisableDialog(
    targets: Vec<DisableTarget>,
    on_close: Callback<()>,
    /// Where to go after a success (the disabled gateway's details page has nothing left).
    #[prop(optional, into)]
    then: MaybeProp<String>,
) -> impl IntoView {
    // (only with a destination: component tests render the dialog without a router)
    let then = then.get_untracked();
    let navigate = then
        .is_some()
        .then(|| StoredValue::new_local(leptos_router::hooks::use_navigate()));
    let then = StoredValue::new(then);
    let client = use_client();
    let i18n = use_i18n();
    let toaster = ToasterInjection::expect_context();
    let open = RwSignal::new(true);
    let targets = StoredValue::new(targets);
    let typed = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failures = RwSignal::new(Vec::<(String, String)>::new());
    let confirmed = move || targets.with_value(|ts| is_confirmed(&typed.get(), ts));
    let several = targets.with_value(|ts| ts.len() > 1);
    let names = targets.with_value(|ts| confirmation_text(ts));

    let run = move || {
        if busy.get_untracked() || !confirmed() {
            return;
        }
        busy.set(true);
        failures.set(Vec::new());
        let client = client.clone();
        let list = targets.get_value();
        leptos::task::spawn_local(async move {
            let failed = disable_gateways(&client, &list).await;
            let locale = i18n.now();
            let failed: Vec<(String, String)> = failed
                .into_iter()
                .map(|(name, e)| (name, e.message(locale)))
                .collect();
            // The dialog may have been closed meanwhile (its signals disposed): then the
            // outcome is told by a toast, as after a success.
            let closed = busy.try_set(false).is_some();
            if failed.is_empty() {
                toast_success(toaster, translate(locale, "DISABLE_SUCCESSFUL", &[]));
                // (read before closing: closing disposes the dialog's values)
                let go = then
                    .try_get_value()
                    .flatten()
                    .zip(navigate.and_then(|n| n.try_get_value()));
                open.try_set(false);
                if let Some((path, navigate)) = go {
                    navigate(&path, Default::default());
                }
            } else if closed {
                let text = failed
                    .iter()
                    .map(|(name, message)| format!("{name}: {message}"))
                    .collect::<Vec<_>>()
                    .join("; ");
                toast_error(
                    toaster,
                    translate(locale, "DISABLE_FAILED_CLOSED", &[("message", &text)]),
                );
            } else {
                failures.try_set(failed);
            }
        });
    };
    let run = Callback::new(move |_| run());
    let names_for_desc = names.clone();

    let disable_button = move || {
        view! {
            <Button
                appearance=ButtonAppearance::Primary
                class="button--danger"
                button_type=ButtonType::Submit
                attr:data-testid="disable-ok"
                disabled=Signal::derive(move || busy.get() || !confirmed())
                loading=busy
            >{move || t("DISABLE")}</Button>
        }
    };
    view! {
        <ModalForm
            class="disable-dialog"
            testid="disable-dialog"
            open
            on_close
            on_submit=run
            title=move || if several { t("DISABLE_MULTIPLE_GATEWAYS") } else { t("DISABLE_GATEWAY") }
            submit=disable_button
        >
            <p>{move || t("DISABLE_GATEWAY_TIP")}</p>
            <p>
                {move || if several { t("DISABLE_CONFIRM_NAMES") } else { t("DISABLE_CONFIRM_NAME") }}
                " "
                <strong class="disable-dialog__names" data-testid="disable-names">{names_for_desc.clone()}</strong>
            </p>
            <input
                class="text-input"
                data-testid="disable-confirm-input"
                autocomplete="off"
                spellcheck="false"
                aria-label=move || if several { t("DISABLE_CONFIRM_NAMES") } else { t("DISABLE_CONFIRM_NAME") }
                placeholder=names.clone()
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))
            />
            {move || {
                let list = failures.get();
                (!list.is_empty()).then(|| view! {
                    <ul class="form-error" role="alert" data-testid="disable-failures">
                        {list.into_iter().map(|(name, message)| view! {
                            <li>{tr("DISABLE_FAILED", &[("name", &name), ("message", &message)])}</li>
                        }).collect_view()}
                    </ul>
                })
            }}
        </ModalForm>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(name: &str) -> DisableTarget {
        DisableTarget {
            namespace: "ns".into(),
            name: name.into(),
            uid: None,
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn confirmation_needs_every_name_exactly() {
        let one = [target("kubesphere-router-demo")];
        assert!(is_confirmed("kubesphere-router-demo", &one));
        assert!(is_confirmed("  kubesphere-router-demo ", &one));
        assert!(!is_confirmed("kubesphere-router-dem", &one));
        assert!(!is_confirmed("", &one));
        assert!(!is_confirmed("", &[]));
        let two = [target("a"), target("b")];
        assert_eq!(confirmation_text(&two), "a, b");
        assert!(is_confirmed("a, b", &two));
        assert!(is_confirmed("b,a", &two));
        assert!(!is_confirmed("a", &two));
        assert!(!is_confirmed("a, b, c", &two));
        assert!(!is_confirmed("a, a", &two));
    }
}
