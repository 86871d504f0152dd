//! Fallback for unknown URLs.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::i18n::{t, tr};

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let location = use_location();
    view! {
        <section class="not-found" data-testid="not-found">
            <h1 data-testid="page-title">{move || t("PAGE_NOT_FOUND")}</h1>
            <p>{move || tr("PAGE_NOT_FOUND_DESC", &[("path", &location.pathname.get())])}</p>
            <A href=crate::routes::CLUSTER_GATEWAYS>{move || t("GO_HOME")}</A>
        </section>
    }
}
