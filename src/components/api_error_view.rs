//! Full-size explanation of an API failure: what happened, the URL tried, the server's own
//! message, and a retry button.

use leptos::prelude::*;
use thaw::{Button, ButtonAppearance};

use crate::api::ApiError;
use crate::i18n::{tr, use_i18n};

/// The error view. `on_retry` runs when the user asks to try again.
#[component]
pub fn ApiErrorView(
    #[prop(into)] error: Signal<ApiError>,
    #[prop(into)] on_retry: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let title_key = move || {
        let e = error.get();
        if e.is_unreachable() {
            "API_UNREACHABLE_TITLE"
        } else if e.is_unauthorized() {
            "API_UNAUTHORIZED_TITLE"
        } else if e.is_forbidden() {
            "API_FORBIDDEN_TITLE"
        } else {
            "API_ERROR_TITLE"
        }
    };
    let desc_key = move || {
        let e = error.get();
        if e.is_unreachable() {
            "API_UNREACHABLE_DESC"
        } else if e.is_unauthorized() {
            "API_UNAUTHORIZED_DESC"
        } else if e.is_forbidden() {
            "API_FORBIDDEN_DESC"
        } else {
            "API_ERROR_DESC"
        }
    };
    view! {
        <section class="api-error" data-testid="api-error" role="alert">
            <div class="api-error__icon" aria-hidden="true">"!"</div>
            <h2 class="api-error__title">{move || tr(title_key(), &[])}</h2>
            <p class="api-error__desc">{move || tr(desc_key(), &[("url", error.get().url())])}</p>
            <p class="api-error__url">
                <code data-testid="api-error-url">{move || tr("TRIED_URL", &[("url", error.get().url())])}</code>
            </p>
            <p class="api-error__message" data-testid="api-error-message">
                {move || {
                    let message = error.get().message(i18n.locale.get());
                    tr("SERVER_MESSAGE", &[("message", &message)])
                }}
            </p>
            <Button appearance=ButtonAppearance::Primary on_click=move |_| on_retry.run(()) attr:data-testid="retry">
                {move || tr("RETRY", &[])}
            </Button>
        </section>
    }
}
