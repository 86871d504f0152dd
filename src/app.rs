//! The root: providers (theme, language, thaw config, toasts), runtime configuration, the API
//! gate and the routes. Pages are declared once, here.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;
use thaw::{ConfigProvider, Spinner, ToasterProvider};

use crate::api::KubeClient;
use crate::chunks::{parts, OnDemand};
use crate::components::api_gate::ApiGate;
use crate::components::dialog_host::DialogOutlet;
use crate::components::shell::Shell;
use crate::components::side_nav::SideNav;
use crate::config::{AppConfig, ConfigWarning};
use crate::i18n::{provide_i18n, t};
use crate::pages::cluster_gateways::ClusterGatewaysPage;
use crate::pages::not_found::NotFoundPage;
use crate::theme::provide_theme;

/// Runtime configuration and the warning to show when defaults are in use.
#[derive(Clone, Debug)]
pub struct ConfigContext {
    pub config: AppConfig,
    pub warning: Option<ConfigWarning>,
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let theme = provide_theme();
    provide_i18n();
    let loaded = LocalResource::new(crate::config::load);
    view! {
        <ConfigProvider theme=theme.thaw_theme class="app-root">
            <ToasterProvider>
                {move || match loaded.get() {
                    None => view! { <div class="app-loading"><Spinner label=Signal::derive(move || t("LOADING"))/></div> }.into_any(),
                    Some((config, warning)) => {
                        crate::perf::mark("gateway-console:config");
                        view! { <ConfiguredApp config warning/> }.into_any()
                    }
                }}
            </ToasterProvider>
        </ConfigProvider>
    }
}

/// The app once `config.json` is known: client, router, shell and pages.
#[component]
fn ConfiguredApp(config: AppConfig, warning: Option<ConfigWarning>) -> impl IntoView {
    provide_context(
        KubeClient::new(config.api_base.clone())
            .with_timeout_ms(config.request_timeout_seconds.saturating_mul(1000)),
    );
    let base = config.router_base.clone();
    provide_context(ConfigContext { config, warning });
    view! {
        <Router base=base>
            <DialogOutlet>
            <Shell>
                <ApiGate>
                    <div class="app-layout">
                        <SideNav/>
                        <main class="app-main">
                            <Routes fallback=|| view! { <NotFoundPage/> }>
                                <Route path=path!("/") view=|| view! { <Redirect path="/clusters/gateways"/> }/>
                                <Route path=path!("/clusters/gateways") view=ClusterGatewaysPage/>
                                <Route path=path!("/projects/:project/gateways") view=|| view! { <OnDemand load=parts::project_page/> }/>
                                <Route path=path!("/gateways/:namespace/:name") view=|| view! { <OnDemand load=parts::gateway_details_page/> }/>
                            </Routes>
                        </main>
                    </div>
                </ApiGate>
            </Shell>
            </DialogOutlet>
        </Router>
    }
}

/// The configured API client.
pub fn use_client() -> KubeClient {
    expect_context::<KubeClient>()
}

/// The runtime configuration.
pub fn use_config() -> ConfigContext {
    expect_context::<ConfigContext>()
}
