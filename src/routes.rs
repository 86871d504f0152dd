//! Every path of the app, written once: the route table and the functions that build links to
//! it. Paths are relative to the router base (`routerBase` in config.json).

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Routes};
use leptos_router::path;

use crate::chunks::{parts, OnDemand};
use crate::pages::cluster_gateways::ClusterGatewaysPage;
use crate::pages::not_found::NotFoundPage;

/// Cluster → Gateway Settings (the landing page).
pub const CLUSTER_GATEWAYS: &str = "/clusters/gateways";

/// Cluster → Gateway Settings on the tab `tab` (`cluster` or `project`).
pub fn cluster_gateways_tab(tab: &str) -> String {
    format!("{CLUSTER_GATEWAYS}?tab={tab}")
}

/// Project → Gateway Settings.
pub fn project_gateways(project: &str) -> String {
    format!("/projects/{project}/gateways")
}

/// The details page of the gateway `name` in `namespace`.
pub fn gateway_details(namespace: &str, name: &str) -> String {
    format!("/gateways/{namespace}/{name}")
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
            <Route path=path!("/gateways/:namespace/:name") view=|| view! { <OnDemand load=parts::gateway_details_page/> }/>
        </Routes>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
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
        assert!(!is_cluster_path(&project_gateways("demo")));
    }
}
