//! Every path of the app, written once: the route table and the functions that build links to
//! it. Paths are relative to the router base (`routerBase` in config.json).

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Routes};
use leptos_router::path;

use gateway_model::names::GatewayScope;

use crate::chunks::{parts, OnDemand};
use crate::pages::cluster_gateways::ClusterGatewaysPage;
use crate::pages::not_found::NotFoundPage;

/// Cluster → Gateway Settings (the landing page).
pub const CLUSTER_GATEWAYS: &str = "/clusters/gateways";

/// Replaces the current page's query with `pairs` (a history replace, no scroll): view settings
/// kept in the URL (Monitoring's range and pod, the Logs tab's view).
pub fn replace_query<K: AsRef<str>, V: AsRef<str>>(
    navigate: &dyn Fn(&str, leptos_router::NavigateOptions),
    pairs: impl IntoIterator<Item = (K, V)>,
) {
    let query = pairs
        .into_iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                k.as_ref(),
                String::from(js_sys::encode_uri_component(v.as_ref()))
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    navigate(
        &format!("{path}{}{query}", if query.is_empty() { "" } else { "?" }),
        leptos_router::NavigateOptions {
            replace: true,
            scroll: false,
            ..leptos_router::NavigateOptions::default()
        },
    );
}

/// Cluster → Gateway Settings on the tab `tab` (`cluster` or `project`).
pub fn cluster_gateways_tab(tab: &str) -> String {
    format!("{CLUSTER_GATEWAYS}?tab={tab}")
}

/// Project → Gateway Settings.
pub fn project_gateways(project: &str) -> String {
    format!("/projects/{project}/gateways")
}

/// The details page of the gateway `name` in `namespace` (on its default tab).
pub fn gateway_details(namespace: &str, name: &str) -> String {
    format!("/gateways/{namespace}/{name}")
}

/// The details page of a gateway on `tab`.
pub fn gateway_details_tab(namespace: &str, name: &str, tab: DetailsTab) -> String {
    format!("/gateways/{namespace}/{name}/{}", tab.slug())
}

/// Where a gateway lives in the console (the details page's breadcrumb): the cluster gateway on
/// the cluster page's Cluster Gateway tab, a project gateway on its project's page.
pub fn gateway_home(scope: &GatewayScope) -> String {
    match scope {
        GatewayScope::Cluster => cluster_gateways_tab("cluster"),
        GatewayScope::Project(project) => project_gateways(project),
    }
}

/// The tabs of the details page, in the tab bar's order. The tab is the last path segment, so
/// deep links and Back/Forward work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DetailsTab {
    Monitoring,
    ResourceStatus,
    ConfigurationOptions,
    GatewayLogs,
    Events,
    Metadata,
}

impl DetailsTab {
    pub const ALL: [DetailsTab; 6] = [
        DetailsTab::Monitoring,
        DetailsTab::ResourceStatus,
        DetailsTab::ConfigurationOptions,
        DetailsTab::GatewayLogs,
        DetailsTab::Events,
        DetailsTab::Metadata,
    ];

    /// The tab shown at the bare details path (Monitoring, as in KubeSphere).
    pub const DEFAULT: DetailsTab = DetailsTab::Monitoring;

    /// The path segment (KubeSphere's own where it has the tab).
    pub fn slug(self) -> &'static str {
        match self {
            DetailsTab::Monitoring => "monitors",
            DetailsTab::ResourceStatus => "resource-status",
            DetailsTab::ConfigurationOptions => "gateway-configs",
            DetailsTab::GatewayLogs => "logs",
            DetailsTab::Events => "events",
            DetailsTab::Metadata => "metadata",
        }
    }

    /// The tab of a path segment; `None` (the bare path) is the default tab; an unknown
    /// segment is an error.
    pub fn parse(segment: Option<&str>) -> Option<DetailsTab> {
        match segment {
            None | Some("") => Some(DetailsTab::DEFAULT),
            Some(s) => DetailsTab::ALL.into_iter().find(|t| t.slug() == s),
        }
    }

    /// The i18n key of the tab's label.
    pub fn label_key(self) -> &'static str {
        match self {
            DetailsTab::Monitoring => "MONITORING",
            DetailsTab::ResourceStatus => "RESOURCE_STATUS",
            DetailsTab::ConfigurationOptions => "CONFIGURATION_OPTIONS",
            DetailsTab::GatewayLogs => "GATEWAY_LOGS",
            DetailsTab::Events => "EVENTS",
            DetailsTab::Metadata => "METADATA",
        }
    }
}

/// True on the pages under Cluster.
pub fn is_cluster_path(path: &str) -> bool {
    path.starts_with("/clusters")
}

/// The project named in the current path (`/projects/<ns>/…`), if any.
pub fn project_in_path(path: &str) -> Option<String> {
    let mut parts = path.trim_start_matches('/').split('/');
    (parts.next() == Some("projects"))
        .then(|| parts.next().map(str::to_string))
        .flatten()
        .filter(|p| !p.is_empty())
}

/// The route table (pages other than the landing page are loaded on demand).
#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=|| view! { <NotFoundPage/> }>
            <Route path=path!("/") view=|| view! { <Redirect path=CLUSTER_GATEWAYS/> }/>
            <Route path=path!("/clusters/gateways") view=ClusterGatewaysPage/>
            <Route path=path!("/projects/:project/gateways") view=|| view! { <OnDemand load=parts::project_page/> }/>
            <Route path=path!("/gateways/:namespace/:name/:tab?") view=|| view! { <OnDemand load=parts::gateway_details_page/> }/>
        </Routes>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn links_match_the_route_table() {
        assert_eq!(
            cluster_gateways_tab("project"),
            "/clusters/gateways?tab=project"
        );
        assert_eq!(project_gateways("demo"), "/projects/demo/gateways");
        assert_eq!(
            gateway_details("kubesphere-controls-system", "kubesphere-router-demo"),
            "/gateways/kubesphere-controls-system/kubesphere-router-demo"
        );
        assert_eq!(
            project_in_path(&project_gateways("demo")).as_deref(),
            Some("demo")
        );
        assert_eq!(project_in_path("/projects//gateways"), None);
        assert_eq!(project_in_path(CLUSTER_GATEWAYS), None);
        assert_eq!(project_in_path("/"), None);
        assert!(is_cluster_path(&cluster_gateways_tab("cluster")));
        assert_eq!(
            gateway_details_tab("ns", "gw", DetailsTab::ConfigurationOptions),
            "/gateways/ns/gw/gateway-configs"
        );
        assert_eq!(
            gateway_home(&GatewayScope::Cluster),
            "/clusters/gateways?tab=cluster"
        );
        assert_eq!(
            gateway_home(&GatewayScope::Project("demo".into())),
            "/projects/demo/gateways"
        );
        for tab in DetailsTab::ALL {
            assert_eq!(DetailsTab::parse(Some(tab.slug())), Some(tab));
        }
        assert_eq!(DetailsTab::parse(None), Some(DetailsTab::DEFAULT));
        assert_eq!(DetailsTab::parse(Some("nope")), None);
        assert!(!is_cluster_path(&project_gateways("demo")));
    }
}
