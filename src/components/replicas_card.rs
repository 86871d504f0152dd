//! The Replicas card of Resource Status: desired vs ready vs current pods, with − and +. A
//! change is confirmed in the card (not a modal, so − and + keep working): "OK (5s)" confirms by
//! itself after a countdown, as in KubeSphere, and Cancel drops it. Scaling to 0 warns and waits
//! for an explicit OK. The write is a merge patch of the **Gateway**'s `spec.deployment.replicas`
//! ([`scale_gateway`]); a refusal is explained and the chosen value stays.

use gateway_model::gateway::Gateway;
use gateway_model::validation::validate_replicas;
use leptos::prelude::*;
use thaw::{Button, ButtonAppearance};

use crate::api::use_client;
use crate::components::field_message::FieldMessages;
use crate::i18n::{t, tr, translate, use_i18n};
use crate::state::actions::{scale_gateway, ScaleOutcome};
use crate::state::permissions::GatewayAccess;

/// Seconds before a change confirms by itself.
pub const COUNTDOWN_SECONDS: u32 = 5;

#[component]
pub fn ReplicasCard(
    #[prop(into)] gateway: Signal<Gateway>,
    /// Ready replicas (Deployment status); `None` while unknown.
    #[prop(into)]
    ready: Signal<Option<i32>>,
    /// Gateway pods that exist now; `None` while unknown.
    #[prop(into)]
    current: Signal<Option<usize>>,
    access: GatewayAccess,
) -> impl IntoView {
    let client = use_client();
    let i18n = use_i18n();
    let desired = Memo::new(move |_| gateway.with(Gateway::desired_replicas));
    // the value the user is choosing; `None`: no change pending
    let draft = RwSignal::new(None::<i32>);
    let countdown = RwSignal::new(None::<u32>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // every change of the draft starts a new countdown; older timers see a stale epoch and stop
    let epoch = StoredValue::new(0u64);

    let denied = move || {
        if gateway.with(Gateway::is_deleting) {
            Some(t("GATEWAY_IS_DISABLING"))
        } else {
            access.denied_tip("patch")
        }
    };
    let confirm = Callback::new(move |()| {
        let Some(target) = draft.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        epoch.update_value(|e| *e += 1);
        countdown.set(None);
        busy.set(true);
        error.set(None);
        let client = client.clone();
        let seen = gateway.get_untracked();
        leptos::task::spawn_local(async move {
            let outcome = scale_gateway(&client, &seen, target).await;
            let locale = i18n.now();
            busy.try_set(false);
            match outcome {
                ScaleOutcome::Scaled(_) => {
                    draft.try_set(None);
                }
                ScaleOutcome::ChangedMeanwhile { now } => {
                    error.try_set(Some(translate(
                        locale,
                        "REPLICAS_CHANGED_MEANWHILE",
                        &[("now", &now.to_string()), ("target", &target.to_string())],
                    )));
                }
                ScaleOutcome::Failed(e) => {
                    error.try_set(Some(e.message(locale)));
                }
            }
        });
    });
    let change = move |delta: i64| {
        let base = i64::from(
            draft
                .get_untracked()
                .unwrap_or_else(|| desired.get_untracked()),
        );
        let next = (base + delta).clamp(0, i64::from(i32::MAX)) as i32;
        error.set(None);
        epoch.update_value(|e| *e += 1);
        if next == desired.get_untracked() {
            draft.set(None);
            countdown.set(None);
            return;
        }
        draft.set(Some(next));
        if next == 0 {
            // no automatic confirmation for stopping the gateway
            countdown.set(None);
        } else {
            countdown.set(Some(COUNTDOWN_SECONDS));
            count_down(epoch.get_value(), epoch, countdown, confirm);
        }
    };
    let cancel = move |_| {
        epoch.update_value(|e| *e += 1);
        draft.set(None);
        countdown.set(None);
        error.set(None);
    };
    on_cleanup(move || {
        epoch.try_update_value(|e| *e += 1);
    });
    let shown = move || draft.get().unwrap_or_else(|| desired.get());
    let warnings = Signal::derive(move || {
        draft
            .get()
            .map(|n| validate_replicas(i64::from(n)))
            .unwrap_or_default()
    });
    let ratio = move || {
        let d = desired.get().max(1) as f64;
        (ready.get().unwrap_or(0) as f64 / d).clamp(0.0, 1.0)
    };
    view! {
        <section class="details-panel replicas-card" data-testid="replicas-card">
            <h3>{move || t("REPLICA_PL")}</h3>
            <div class="replicas-card__body">
                <svg class="replicas-card__ring" viewBox="0 0 36 36" width="72" height="72" role="img"
                    aria-label=move || tr("REPLICAS_READY_OF", &[("ready", &ready.get().unwrap_or(0).to_string()), ("desired", &desired.get().to_string())])>
                    <circle cx="18" cy="18" r="15.9" class="replicas-card__track"/>
                    <circle cx="18" cy="18" r="15.9" class="replicas-card__fill"
                        stroke-dasharray=move || format!("{:.1} 100", ratio() * 100.0)/>
                </svg>
                <dl class="replicas-card__counts">
                    <div><dt>{move || t("DESIRED_REPLICAS")}</dt><dd data-testid="replicas-desired">{move || desired.get().to_string()}</dd></div>
                    <div><dt>{move || t("READY_REPLICAS")}</dt><dd data-testid="replicas-ready">{move || ready.get().map(|n| n.to_string()).unwrap_or_else(|| "—".into())}</dd></div>
                    <div><dt>{move || t("CURRENT_PODS")}</dt><dd data-testid="replicas-current">{move || current.get().map(|n| n.to_string()).unwrap_or_else(|| "—".into())}</dd></div>
                </dl>
                <div class="stepper" role="group" aria-label=move || t("ADJUST_REPLICAS")>
                    <button
                        type="button"
                        class="stepper__button"
                        data-testid="replicas-minus"
                        aria-label=move || t("DECREASE_REPLICAS")
                        disabled=move || denied().is_some() || busy.get() || shown() <= 0
                        on:click=move |_| change(-1)
                    >"−"</button>
                    <output class="stepper__value" data-testid="replicas-draft" aria-live="polite">{shown}</output>
                    <button
                        type="button"
                        class="stepper__button"
                        data-testid="replicas-plus"
                        aria-label=move || t("INCREASE_REPLICAS")
                        disabled=move || denied().is_some() || busy.get() || shown() == i32::MAX
                        on:click=move |_| change(1)
                    >"+"</button>
                </div>
            </div>
            {move || denied().map(|reason| view! {
                <p class="replicas-card__denied" data-testid="replicas-denied">{reason}</p>
            })}
            {move || draft.get().map(|n| {
                view! {
                    <div class="confirm-bar" role="alertdialog" aria-labelledby="replicas-confirm-text" data-testid="replicas-confirm">
                        <p id="replicas-confirm-text">{tr("ADJUST_REPLICAS_CONFIRM", &[("num", &n.to_string())])}</p>
                        <FieldMessages messages=warnings/>
                        {move || error.get().map(|e| view! {
                            <p class="form-error" role="alert" data-testid="replicas-error">{e}</p>
                        })}
                        <div class="confirm-bar__actions">
                            <Button appearance=ButtonAppearance::Secondary attr:data-testid="replicas-cancel" on_click=cancel>{move || t("CANCEL")}</Button>
                            <Button
                                appearance=ButtonAppearance::Primary
                                attr:data-testid="replicas-ok"
                                loading=busy
                                disabled=busy
                                on_click=move |_| confirm.run(())
                            >{move || match countdown.get() {
                                Some(s) => tr("OK_COUNTDOWN", &[("seconds", &s.to_string())]),
                                None => t("OK"),
                            }}</Button>
                        </div>
                    </div>
                }
            })}
        </section>
    }
}

/// One second of the countdown of change `mine`: decrements it, or confirms at the end. Stops
/// when the change is replaced, cancelled or confirmed (the epoch moved) or the card is gone.
fn count_down(
    mine: u64,
    epoch: StoredValue<u64>,
    countdown: RwSignal<Option<u32>>,
    confirm: Callback<()>,
) {
    set_timeout(
        move || {
            if epoch.try_get_value() != Some(mine) {
                return;
            }
            match countdown.try_get_untracked().flatten() {
                Some(n) if n > 1 => {
                    countdown.try_set(Some(n - 1));
                    count_down(mine, epoch, countdown, confirm);
                }
                Some(_) => confirm.run(()),
                None => {}
            }
        },
        std::time::Duration::from_secs(1),
    );
}
