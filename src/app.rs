//! The root: providers (theme, language, thaw config, toasts), runtime configuration, the API
//! gate and the routes. Pages are declared once, here.

use leptos::prelude::*;
use leptos_router::components::Router;
use thaw::{ConfigProvider, Spinner, ToasterProvider};

use crate::api::KubeClient;
use crate::components::api_gate::ApiGate;
use crate::components::dialog_host::DialogOutlet;
use crate::components::shell::Shell;
use crate::components::side_nav::SideNav;
use crate::config::{AppConfig, ConfigContext, ConfigWarning};
use crate::i18n::{provide_i18n, t};
use crate::routes::AppRoutes;
use crate::theme::provide_theme;

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
                            <AppRoutes/>
                        </main>
                    </div>
                </ApiGate>
            </Shell>
            </DialogOutlet>
        </Router>
    }
}
