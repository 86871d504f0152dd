//! "Update" of a legacy (KubeSphere 3.0/3.1) gateway to a Gateway object, as KubeSphere's
//! `…/gateways/kubesphere-router-<ns>/upgrade` does server-side: the new Gateway keeps the access
//! mode, tracing, load-balancer annotations and nginx options. Steps: validate the new Gateway
//! with a dry run, remove the legacy Service/Deployment/ConfigMap (they use the same names), then
//! create the Gateway. If the last step fails the dialog stays open to retry it: nothing the
//! user chose is lost.

use gateway_model::gateway::Gateway;
use gateway_model::legacy::LegacyGateway;
use leptos::prelude::*;
use thaw::{Button, ButtonAppearance, ButtonType, ToasterInjection};

use crate::api::access::who_am_i;
use crate::api::gateways::{create_gateway, dry_run_create_gateway};
use crate::api::legacy::{delete_legacy, legacy_config};
use crate::api::{ApiError, KubeClient};
use crate::app::use_client;
use crate::components::modal_form::{toast_success, ModalForm};
use crate::i18n::{t, translate, use_i18n};

/// How far the update got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Nothing changed yet.
    NotStarted,
    /// The legacy objects are gone; the Gateway still has to be created.
    LegacyRemoved,
}

async fn build(
    client: &KubeClient,
    legacy: &LegacyGateway,
    working_namespace: Option<&str>,
) -> Result<Gateway, ApiError> {
    let config = legacy_config(client, legacy).await?;
    let creator = who_am_i(client).await.ok().flatten();
    Ok(legacy.to_form(&config).to_new_gateway(
        &legacy.scope(),
        working_namespace,
        creator.as_deref(),
    ))
}

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
    let stage = RwSignal::new(Stage::NotStarted);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let legacy = StoredValue::new(legacy);
    let working_namespace = StoredValue::new(working_namespace);
    let run = move || {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let client = client.clone();
        leptos::task::spawn_local(async move {
            let locale = i18n.locale.get_untracked();
            let legacy = legacy.get_value();
            let wns = working_namespace.get_value();
            let result = async {
                let gateway = build(&client, &legacy, wns.as_deref()).await?;
                if stage.get_untracked() == Stage::NotStarted {
                    dry_run_create_gateway(&client, &gateway).await?;
                    delete_legacy(&client, &legacy).await?;
                    stage.set(Stage::LegacyRemoved);
                }
                create_gateway(&client, &gateway).await
            }
            .await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toast_success(toaster, translate(locale, "UPDATE_SUCCESSFUL", &[]));
                    on_updated.run(());
                    open.set(false);
                }
                Err(e) => {
                    let mut text = e.message(locale);
                    if stage.get_untracked() == Stage::LegacyRemoved {
                        text = format!("{text} {}", translate(locale, "LEGACY_REMOVED_RETRY", &[]));
                    }
                    error.set(Some(text));
                }
            }
        });
    };
    let run = Callback::new(move |_| run());
    let name = legacy.with_value(|l| l.name.clone());
    let update_button = move || {
        view! {
            <Button
                appearance=ButtonAppearance::Primary
                button_type=ButtonType::Submit
                attr:data-testid="legacy-update-ok"
                disabled=busy
                loading=busy
            >{move || if stage.get() == Stage::LegacyRemoved { t("RETRY") } else { t("UPDATE") }}</Button>
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
