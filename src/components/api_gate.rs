//! Replaces the page with a full explanation when the Kubernetes API is unreachable or refuses
//! us (401/403): names the URL it tried and offers retry — never a blank screen.
//!
//! The probe runs in parallel with the page's own first requests (the page is shown at once),
//! so a healthy start does not wait one extra round trip for it. The page is built once: only a
//! failed probe replaces it.

use leptos::prelude::*;

use crate::api::use_client;
use crate::api::ApiError;
use crate::components::api_error_view::ApiErrorView;

/// Probes `<apiBase>/api` (discovery, readable by every authenticated user).
#[component]
pub fn ApiGate(children: ChildrenFn) -> impl IntoView {
    let client = StoredValue::new(use_client());
    let failed = RwSignal::new(None::<ApiError>);
    let probe = move || {
        let client = client.get_value();
        leptos::task::spawn_local(async move {
            let result = crate::api::discovery::probe(&client).await;
            failed.try_set(result.err());
        });
    };
    probe();
    let is_ok = Memo::new(move |_| failed.with(Option::is_none));
    view! {
        <Show
            when=move || is_ok.get()
            fallback=move || {
                let error = Signal::derive(move || failed.get().unwrap_or(ApiError::Aborted));
                view! { <ApiErrorView error on_retry=move |_| probe()/> }
            }
        >
            {children()}
        </Show>
    }
}
