//! Shows its children only once the Kubernetes API answers. When the API is unreachable or
//! refuses us (401/403), the page says so, names the URL it tried, and offers retry — never a
//! blank screen.

use leptos::prelude::*;
use thaw::Spinner;

use crate::api::ApiError;
use crate::app::use_client;
use crate::components::api_error_view::ApiErrorView;
use crate::i18n::t;

/// Probes `<apiBase>/api` (discovery, readable by every authenticated user).
#[component]
pub fn ApiGate(children: ChildrenFn) -> impl IntoView {
    let client = use_client();
    let probe = LocalResource::new(move || {
        let client = client.clone();
        async move { crate::api::discovery::probe(&client).await }
    });
    let children = StoredValue::new(children);
    view! {
        {move || match probe.get() {
            None => view! { <div class="app-loading"><Spinner label=Signal::derive(move || t("LOADING"))/></div> }.into_any(),
            Some(Ok(())) => children.with_value(|c| c()).into_any(),
            Some(Err(error)) => {
                let error = Signal::derive(move || error.clone());
                view! { <ApiErrorView error on_retry=move |_| probe.refetch()/> }.into_any()
            }
        }}
    }
}

/// Re-exported for tests that render the view directly.
pub type GateError = ApiError;
