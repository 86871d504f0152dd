//! A small indicator of a live list's sync state: live, loading, or reconnecting with the error.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::state::live::SyncState;

/// Shows whether the data on screen is live.
#[component]
pub fn SyncBadge(#[prop(into)] state: Signal<SyncState>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {move || match state.get() {
            SyncState::Loading => view! { <span class="sync-badge sync-badge--loading" data-testid="sync-state">{t("LOADING")}</span> }.into_any(),
            SyncState::Live => view! { <span class="sync-badge sync-badge--live" data-testid="sync-state">{t("LIVE")}</span> }.into_any(),
            SyncState::Reconnecting { error, .. } => {
                let message = error.message(i18n.locale.get());
                view! {
                    <span class="sync-badge sync-badge--error" data-testid="sync-state" title=message.clone()>
                        {t("RECONNECTING")}
                    </span>
                }.into_any()
            }
        }}
    }
}
