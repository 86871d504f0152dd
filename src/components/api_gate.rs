//! Replaces the page with a full explanation when the Kubernetes API is unreachable or refuses
//! us (401/403): names the URL it tried and offers retry — never a blank screen.
//!
//! The probe runs in parallel with the page's own first requests (the page is shown at once),
//! so a healthy start does not wait one extra round trip for it.

use leptos::prelude::*;

use crate::app::use_client;
use crate::components::api_error_view::ApiErrorView;

/// Probes `<apiBase>/api` (discovery, readable by every authenticated user).
#[component]
pub fn ApiGate(children: ChildrenFn) -> impl IntoView {
    let client = use_client();
    let probe = LocalResource::new(move || {
        let client = client.clone();
        async move { crate::api::discovery::probe(&client).await }
    });
    let children = StoredValue::new(children);
    let failed = Memo::new(move |_| probe.get().and_then(Result::err));
    view! {
        {move || match failed.get() {
            None => children.with_value(|c| c()).into_any(),
            Some(error) => {
                let error = Signal::derive(move || error.clone());
                view! { <ApiErrorView error on_retry=move |_| probe.refetch()/> }.into_any()
            }
        }}
    }
}
