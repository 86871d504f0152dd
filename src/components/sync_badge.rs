//! A small indicator of a live list's sync state: live, loading, or reconnecting with the error.

use leptos::prelude::*;

use crate::i18n::{t, tr, use_i18n};
use crate::state::live::SyncState;

/// Shows whether the data on screen is live.
#[component]
pub fn SyncBadge(#[prop(into)] state: Signal<SyncState>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {move || match state.get() {
            SyncState::Loading => view! { <span class="sync-badge sync-badge--loading" data-testid="sync-state">{t("LOADING")}</span> }.into_any(),
            SyncState::Live => view! { <span class="sync-badge sync-badge--live" data-testid="sync-state">{t("LIVE")}</span> }.into_any(),
            SyncState::Reconnecting { error, retry_in_ms } => {
                let message = error.message(i18n.locale.get());
                let seconds = retry_in_ms.div_ceil(1000).to_string();
                let retry = if retry_in_ms == 0 {
                    t("RECONNECTING_NOW")
                } else {
                    tr("RECONNECTING_IN", &[("seconds", &seconds)])
                };
                // the data on screen may be stale: say why, in words, not only in a tooltip
                view! {
                    <span class="sync-status" role="status">
                        <span class="sync-badge sync-badge--error" data-testid="sync-state" title=message.clone()>
                            {t("RECONNECTING")}
                        </span>
                        <span class="sync-status__message" data-testid="sync-message">{format!("{message} · {retry}")}</span>
                    </span>
                }.into_any()
            }
        }}
    }
}
