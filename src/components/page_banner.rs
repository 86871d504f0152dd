//! The page banner: title, description, and room for tabs below.

use leptos::prelude::*;

/// Banner at the top of a settings page.
#[component]
pub fn PageBanner(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] description: Signal<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <header class="page-banner">
            <div class="page-banner__icon" aria-hidden="true">
                <svg viewBox="0 0 40 40" width="40" height="40">
                    <circle cx="20" cy="20" r="18" fill="currentColor" opacity="0.15"/>
                    <path d="M10 20h20M20 10v20M13 13l14 14M27 13L13 27" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>
                </svg>
            </div>
            <div class="page-banner__text">
                <h1 class="page-banner__title" data-testid="page-title">{move || title.get()}</h1>
                <p class="page-banner__desc" data-testid="page-description">{move || description.get()}</p>
            </div>
            <div class="page-banner__tabs">{children.map(|c| c())}</div>
        </header>
    }
}
