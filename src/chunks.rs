//! What loads on demand: the map of the app's wasm chunks.
//!
//! The first screen (shell, navigation, the cluster gateway card with its Manage menu) is the
//! main module. Every part declared here with [`split_point!`] is a **split point**: in a split
//! build (`--features split`, made by `cargo xtask dist`) its code, and all code only it reaches,
//! lands in its own wasm chunk that is fetched the first time the part is shown. Without the
//! feature (`trunk serve`, the component tests) the same functions are plain async calls, so
//! callers never know the difference.
//!
//! A chunk that cannot be loaded (network error, or the server now has a newer build whose chunk
//! names differ) never panics: it becomes [`ChunkError`], shown by [`OnDemand`] as a message with
//! Reload.

use std::future::Future;

use leptos::prelude::*;
use thaw::{Button, ButtonAppearance, Spinner};

use crate::i18n::t;

/// A part of the app could not be loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkError;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// Declares a part loaded on demand: `split_point!(chunk_name => pub fn name(args…) { view })`
/// becomes `pub async fn name(args…) -> Result<AnyView, ChunkError>`. Arguments are owned values
/// of concrete types (they cross the chunk boundary).
macro_rules! split_point {
    ($chunk:ident => $(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$meta])*
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        $vis fn $name($($arg: $ty),*) -> Result<::leptos::prelude::AnyView, $crate::chunks::ChunkError> {
            Ok(::leptos::prelude::IntoAny::into_any($body))
        }
        $(#[$meta])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) -> Result<::leptos::prelude::AnyView, $crate::chunks::ChunkError> {
            Ok(::leptos::prelude::IntoAny::into_any($body))
        }
    };
}

pub mod parts {
    //! Every split point of the app, one chunk each.

    use leptos::prelude::*;

    use crate::components::disable_dialog::{DisableDialog, DisableTarget};
    use crate::components::gateway_dialog::{DialogTarget, GatewayDialog};
    use crate::components::legacy_update::LegacyUpdateDialog;
    use crate::pages::gateway_details::DetailsContext;
    use gateway_model::legacy::LegacyGateway;

    split_point!(gateway_dialog =>
        /// The Enable / Edit dialog with its form, validation and option catalogue.
        pub fn gateway_dialog(target: DialogTarget, on_close: Callback<()>) {
            view! { <GatewayDialog target on_close/> }
        }
    );

    split_point!(disable_dialog =>
        /// The Disable dialog (typed-name confirmation, one or many gateways).
        pub fn disable_dialog(targets: Vec<DisableTarget>, then: Option<String>, on_close: Callback<()>) {
            view! { <DisableDialog targets then on_close/> }
        }
    );

    split_point!(legacy_update =>
        /// The legacy (3.0/3.1) gateway Update dialog.
        pub fn legacy_update_dialog(
            legacy: LegacyGateway,
            working_namespace: Option<String>,
            on_close: Callback<()>,
            on_updated: Callback<()>,
        ) {
            view! { <LegacyUpdateDialog legacy working_namespace on_close on_updated/> }
        }
    );

    split_point!(project_gateways_tab =>
        /// Cluster → Gateway Settings → Project Gateways: the table of every project gateway.
        pub fn project_gateways_tab() {
            view! { <crate::pages::cluster_gateways::ProjectGatewaysTab/> }
        }
    );

    split_point!(project_page =>
        /// Project → Gateway Settings.
        pub fn project_page() {
            view! { <crate::pages::project_gateways::ProjectGatewaysPage/> }
        }
    );

    split_point!(gateway_details =>
        /// The gateway details page (header and tab bar).
        pub fn gateway_details_page() {
            view! { <crate::pages::gateway_details::GatewayDetailsPage/> }
        }
    );

    split_point!(details_monitoring =>
        /// Details → Monitoring: Prometheus queries and the charts (ECharts itself is loaded by
        /// the first chart shown).
        pub fn details_monitoring(context: DetailsContext) {
            view! { <crate::pages::gateway_details::monitoring::MonitoringTab context/> }
        }
    );

    split_point!(details_resource_status =>
        /// Details → Resource Status: replicas, ports, live pods.
        pub fn details_resource_status(context: DetailsContext) {
            view! { <crate::pages::gateway_details::resource_status::ResourceStatusTab context/> }
        }
    );

    split_point!(details_configuration =>
        /// Details → Configuration Options: catalogue checks and drift.
        pub fn details_configuration(context: DetailsContext) {
            view! { <crate::pages::gateway_details::configuration::ConfigurationTab context/> }
        }
    );

    split_point!(details_logs =>
        /// Details → Gateway Logs: the pods' controller logs, merged, followed, filtered.
        pub fn details_logs(context: DetailsContext) {
            view! { <crate::pages::gateway_details::logs::LogsTab context/> }
        }
    );

    split_point!(details_events =>
        /// Details → Events.
        pub fn details_events(context: DetailsContext) {
            view! { <crate::pages::gateway_details::events::EventsTab context/> }
        }
    );

    split_point!(details_metadata =>
        /// Details → Metadata: annotations, labels, YAML.
        pub fn details_metadata(context: DetailsContext) {
            view! { <crate::pages::gateway_details::metadata::MetadataTab context/> }
        }
    );
}

/// How a part shows while its chunk loads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Placeholder {
    /// In the page flow: a spinner where the part will be (pages, tabs).
    #[default]
    Inline,
    /// Nothing in the flow (dialogs): a busy cursor; a failure shows as a floating alert.
    Floating,
}

/// Shows the part `load` produces once its chunk is there; meanwhile a placeholder; if the chunk
/// cannot be loaded, a message with Reload (and, for a floating part, Close, which runs
/// `on_dismiss`).
#[component]
pub fn OnDemand<L, F>(
    load: L,
    #[prop(optional)] placeholder: Placeholder,
    #[prop(optional, into)] on_dismiss: Option<Callback<()>>,
) -> impl IntoView
where
    L: Fn() -> F + Send + Sync + 'static,
    F: Future<Output = Result<AnyView, ChunkError>> + 'static,
{
    let fallback = move || {
        match placeholder {
        Placeholder::Inline => view! {
            <div class="on-demand-loading" aria-busy="true"><Spinner label=Signal::derive(move || t("LOADING"))/></div>
        }
        .into_any(),
        Placeholder::Floating => view! { <div class="on-demand-pending" aria-busy="true"></div> }.into_any(),
    }
    };
    view! {
        <Suspense fallback>
            {move || {
                let part = send_wrapper::SendWrapper::new(load());
                Suspend::new(async move {
                    match part.await {
                        Ok(view) => view,
                        Err(ChunkError) => view! { <ChunkFailed placeholder on_dismiss/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A part of the app could not be loaded: say so, offer Reload (the only fix when the server
/// has a newer build) and, for dialogs, Close.
#[component]
fn ChunkFailed(placeholder: Placeholder, on_dismiss: Option<Callback<()>>) -> impl IntoView {
    let class = match placeholder {
        Placeholder::Inline => "chunk-failed",
        Placeholder::Floating => "chunk-failed chunk-failed--floating",
    };
    view! {
        <section class=class role="alert" data-testid="chunk-failed">
            <h2 class="chunk-failed__title">{move || t("CHUNK_FAILED_TITLE")}</h2>
            <p class="chunk-failed__desc">{move || t("CHUNK_FAILED_DESC")}</p>
            <div class="chunk-failed__actions">
                <Button
                    appearance=ButtonAppearance::Primary
                    attr:data-testid="chunk-reload"
                    on_click=move |_| reload()
                >{move || t("RELOAD")}</Button>
                {on_dismiss.map(|dismiss| view! {
                    <Button
                        appearance=ButtonAppearance::Secondary
                        attr:data-testid="chunk-dismiss"
                        on_click=move |_| dismiss.run(())
                    >{move || t("CLOSE")}</Button>
                })}
            </div>
        </section>
    }
}

/// Reloads the page (fetches the current `index.html` and with it the current chunk names).
pub fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}
