//! The "not enabled" empty state: icon, title, description, and an optional action.

use leptos::prelude::*;

/// Empty state with a title, description and action slot.
#[component]
pub fn EmptyState(
    #[prop(optional, into)] class: MaybeProp<String>,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] description: Signal<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class=move || format!("empty-state {}", class.get().unwrap_or_default()) data-testid="empty-state">
            <div class="empty-state__icon" aria-hidden="true">
                <svg viewBox="0 0 48 48" width="48" height="48">
                    <rect x="6" y="12" width="36" height="24" rx="4" fill="none" stroke="currentColor" stroke-width="2"/>
                    <path d="M14 24h20M24 16v16" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>
                </svg>
            </div>
            <div class="empty-state__text">
                <h3 class="empty-state__title">{move || title.get()}</h3>
                <p class="empty-state__desc">{move || description.get()}</p>
            </div>
            <div class="empty-state__action">{children.map(|c| c())}</div>
        </div>
    }
}
