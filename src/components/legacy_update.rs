//! "Update" of a legacy (KubeSphere 3.0/3.1) gateway to a Gateway object, as KubeSphere's
//! `…/gateways/kubesphere-router-<ns>/upgrade` does server-side: the new Gateway keeps the access
//! mode, tracing, load-balancer annotations and nginx options. Steps: validate the new Gateway
//! with a dry run, remove the legacy Service/Deployment/ConfigMap (they use the same names), then
//! create the Gateway. If the last step fails the dialog stays open to retry it: nothing the
//! user chose is lost.

use gateway_model::legacy::LegacyGateway;
use leptos::prelude::*;
use thaw::{Button, ButtonAppearance, ButtonType, ToasterInjection};

use crate::api::use_client;
use crate::components::modal_form::{toast_error, toast_success, ModalForm};
use crate::i18n::{t, translate, use_i18n};
use crate::state::actions::LegacyUpdate;

#[component]
pub fn LegacyUpdateDialog(
    legacy: LegacyGateway,
    working_namespace: Option<String>,
    on_close: Callback<()>,
    /// Called after the Gateway was created.
    on_updated: Callback<()>,
) -> impl IntoView {
    let client = use_client();
    let i18n = use_i18n();
    let toaster = ToasterInjection::expect_context();
    let open = RwSignal::new(true);
    let name = legacy.name.clone();
    // The update's progress (the Gateway built from the legacy ConfigMap, whether the legacy
    // objects are gone) lives across retries.
    let progress = StoredValue::new(LegacyUpdate::new(legacy, working_namespace));
    let removed = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let run = move || {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let client = client.clone();
        let mut update = progress.get_value();
        leptos::task::spawn_local(async move {
            let result = update.run(&client).await;
            let locale = i18n.now();
            let legacy_removed = update.legacy_removed;
            let name = update.legacy.name.clone();
            progress.try_set_value(update);
            removed.try_set(legacy_removed);
            let closed = busy.try_set(false).is_some();
            match result {
                Ok(_) => {
                    toast_success(toaster, translate(locale, "UPDATE_SUCCESSFUL", &[]));
                    on_updated.try_run(());
                    open.try_set(false);
                }
                Err(e) => {
                    let mut text = e.message(locale);
                    if legacy_removed {
                        text = format!("{text} {}", translate(locale, "LEGACY_REMOVED_RETRY", &[]));
                    }
                    if closed {
                        toast_error(
                            toaster,
                            translate(
                                locale,
                                "SAVE_FAILED_CLOSED",
                                &[("name", &name), ("message", &text)],
                            ),
                        );
                    } else {
                        error.try_set(Some(text));
                    }
                }
            }
        });
    };
    let run = Callback::new(move |_| run());
    let update_button = move || {
        view! {
            <Button
                appearance=ButtonAppearance::Primary
                button_type=ButtonType::Submit
                attr:data-testid="legacy-update-ok"
                disabled=busy
                loading=busy
            >{move || if removed.get() { t("RETRY") } else { t("UPDATE") }}</Button>
        }
    };
    view! {
        <ModalForm
            class="disable-dialog"
            testid="legacy-update-dialog"
            open
            on_close
            on_submit=run
            title=move || t("UPDATED_GATEWAY_TITLE")
            submit=update_button
        >
            <p><strong class="disable-dialog__names">{name.clone()}</strong></p>
            <p>{move || t("UPDATE_GATEWAY_DESC")}</p>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="form-error">{e}</p> })}
        </ModalForm>
    }
}
