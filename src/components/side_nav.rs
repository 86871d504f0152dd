//! Left navigation: Cluster → Gateway Settings; Project (picker of namespaces) → Gateway Settings.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::use_client;
use crate::i18n::{t, tr, use_i18n};
use crate::routes::{self, project_in_path};
use crate::state::namespaces::NamespaceList;

/// The navigation column.
#[component]
pub fn SideNav() -> impl IntoView {
    let client = use_client();
    let i18n = use_i18n();
    let namespaces = NamespaceList::load(client);
    let location = use_location();
    let navigate = use_navigate();
    let current_project = Memo::new(move |_| project_in_path(&location.pathname.get()));
    let remembered = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(p) = current_project.get() {
            remembered.set(Some(p));
        }
    });
    // The project the "Project → Gateway Settings" link goes to: the one in the URL, else the
    // last one visited, else the first non-system namespace.
    let target_project = Memo::new(move |_| {
        current_project
            .get()
            .or_else(|| remembered.get())
            .or_else(|| {
                namespaces.names.with(|names| {
                    names
                        .iter()
                        .find(|n| !is_system_namespace(n))
                        .or(names.first())
                        .cloned()
                })
            })
    });
    let on_cluster_page = Memo::new(move |_| routes::is_cluster_path(&location.pathname.get()));
    view! {
        <nav class="side-nav" aria-label=move || t("GATEWAY_SETTINGS")>
            <div class="side-nav__section">
                <div class="side-nav__heading">{move || t("CLUSTER")}</div>
                <A href=routes::CLUSTER_GATEWAYS attr:class=move || nav_class(on_cluster_page.get()) attr:data-testid="nav-cluster-gateway">
                    {move || t("NAV_CLUSTER_GATEWAYS")}
                </A>
            </div>
            <div class="side-nav__section">
                <div class="side-nav__heading">{move || t("PROJECT")}</div>
                <select
                    class="side-nav__picker"
                    data-testid="project-picker"
                    aria-label=move || t("SELECT_PROJECT")
                    on:focus=move |_| namespaces.refresh()
                    prop:value=move || target_project.get().unwrap_or_default()
                    on:change=move |ev| {
                        let project = event_target_value(&ev);
                        if !project.is_empty() {
                            navigate(&routes::project_gateways(&project), Default::default());
                        }
                    }
                >
                    <option value="" disabled=true>{move || t("SELECT_PROJECT")}</option>
                    <For
                        each=move || namespaces.names.get()
                        key=|name| name.clone()
                        let(name)
                    >
                        // `selected` too: the list can arrive after `prop:value` was set
                        <option
                            value=name.clone()
                            prop:selected={
                                let name = name.clone();
                                move || target_project.get().as_deref() == Some(name.as_str())
                            }
                        >
                            {name.clone()}
                        </option>
                    </For>
                </select>
                {move || namespaces.error.get().map(|e| {
                    let message = e.message(i18n.locale.get());
                    view! { <p class="side-nav__hint" role="status">{tr("PROJECTS_UNAVAILABLE", &[("message", &message)])}</p> }
                })}
                <A
                    href=move || target_project.get().map(|p| routes::project_gateways(&p)).unwrap_or_else(|| routes::CLUSTER_GATEWAYS.into())
                    attr:class=move || nav_class(current_project.get().is_some())
                    attr:data-testid="nav-project-gateway"
                >
                    {move || t("NAV_PROJECT_GATEWAYS")}
                </A>
            </div>
        </nav>
    }
}

fn nav_class(active: bool) -> &'static str {
    if active {
        "side-nav__link side-nav__link--active"
    } else {
        "side-nav__link"
    }
}

/// Namespaces that are not user projects (used only to pick a sensible default).
pub fn is_system_namespace(name: &str) -> bool {
    name.starts_with("kube-") || name.starts_with("kubesphere-") || name == "default"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn system_namespaces() {
        assert!(is_system_namespace("kube-system"));
        assert!(is_system_namespace("kubesphere-controls-system"));
        assert!(!is_system_namespace("demo"));
    }
}
