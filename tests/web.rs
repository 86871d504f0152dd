//! Component tests in headless Chromium (wasm-bindgen-test):
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p gateway-console --target wasm32-unknown-unknown`
//! (`cargo xtask test` runs them with the right flags).
#![cfg(target_arch = "wasm32")]

use gateway_console::api::ApiError;
use gateway_console::components::api_error_view::ApiErrorView;
use gateway_console::components::inline_error::InlineError;
use gateway_console::components::shell::Shell;
use gateway_console::config::ConfigContext;
use gateway_console::config::{AppConfig, ConfigProblem, ConfigWarning};
use gateway_console::i18n::{provide_i18n, Locale};
use gateway_console::theme::provide_theme;
use leptos::mount::mount_to;
use leptos::prelude::*;
use thaw::ConfigProvider;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// The providers every component expects, as the app sets them up.
#[component]
fn Providers(
    #[prop(optional)] warning: Option<ConfigWarning>,
    children: Children,
) -> impl IntoView {
    let theme = provide_theme();
    let i18n = provide_i18n();
    i18n.locale.set(Locale::En);
    provide_context(ConfigContext {
        config: AppConfig::default(),
        warning,
    });
    view! { <ConfigProvider theme=theme.thaw_theme>{children()}</ConfigProvider> }
}

fn container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

fn query(root: &HtmlElement, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into()
}

fn status_error(message: &str) -> ApiError {
    let body = serde_json::json!({"kind": "Status", "status": "Failure", "message": message, "reason": "Forbidden", "code": 403});
    ApiError::from_response("/k8s/api", 403, &body.to_string())
}

#[wasm_bindgen_test]
async fn error_view_names_the_url_and_retries() {
    let root = container();
    let retries = RwSignal::new(0);
    let error = ApiError::Network {
        url: "/k8s/api".into(),
        message: "Failed to fetch".into(),
    };
    let _handle = mount_to(root.clone(), move || {
        let error = error.clone();
        view! { <Providers><ApiErrorView error=Signal::derive(move || error.clone()) on_retry=move |_| retries.update(|n| *n += 1)/></Providers> }
    });
    leptos::task::tick().await;
    let view = query(&root, "[data-testid=api-error]");
    let text = view.text_content().unwrap();
    assert!(
        text.contains("The Kubernetes API cannot be reached"),
        "{text}"
    );
    assert!(query(&root, "[data-testid=api-error-url]")
        .text_content()
        .unwrap()
        .contains("/k8s/api"));
    assert!(text.contains("Network error: Failed to fetch"), "{text}");
    query(&root, "[data-testid=retry]").click();
    leptos::task::tick().await;
    assert_eq!(retries.get_untracked(), 1);
}

#[wasm_bindgen_test]
async fn forbidden_is_explained_and_server_text_stays_text() {
    let root = container();
    let hostile =
        "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>\u{202e}evil";
    let error = status_error(hostile);
    let _handle = mount_to(root.clone(), move || {
        let error = error.clone();
        view! { <Providers><ApiErrorView error=Signal::derive(move || error.clone()) on_retry=|_| {}/></Providers> }
    });
    leptos::task::tick().await;
    let view = query(&root, "[data-testid=api-error]");
    assert!(view
        .text_content()
        .unwrap()
        .contains("Access to the cluster is forbidden"));
    assert!(
        view.query_selector("img").unwrap().is_none(),
        "server text was interpreted as HTML"
    );
    assert!(view.query_selector("script").unwrap().is_none());
    assert!(query(&root, "[data-testid=api-error-message]")
        .text_content()
        .unwrap()
        .contains("<img src=x"));
}

#[wasm_bindgen_test]
async fn inline_error_shows_the_status_message() {
    let root = container();
    let error =
        status_error("gateways.gateway.kubesphere.io is forbidden: User \"viewer\" cannot list");
    let _handle = mount_to(root.clone(), move || {
        let error = error.clone();
        view! { <Providers><InlineError error/></Providers> }
    });
    leptos::task::tick().await;
    let text = query(&root, "[data-testid=inline-error]")
        .text_content()
        .unwrap();
    assert!(
        text.contains("Forbidden: gateways.gateway.kubesphere.io is forbidden"),
        "{text}"
    );
    assert!(text.contains("/k8s/api"), "{text}");
}

#[wasm_bindgen_test]
async fn shell_switches_language_and_theme() {
    let root = container();
    let _handle = mount_to(
        root.clone(),
        || view! { <Providers><Shell><p>"page"</p></Shell></Providers> },
    );
    leptos::task::tick().await;
    let shell = query(&root, "[data-testid=app-shell]");
    assert!(shell.text_content().unwrap().contains("Gateway Console"));

    let lang: HtmlSelectElement = query(&root, "[data-testid=lang-switch]").unchecked_into();
    lang.set_value("zh");
    lang.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert!(
        shell.text_content().unwrap().contains("网关控制台"),
        "{}",
        shell.text_content().unwrap()
    );
    let html = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap();
    assert_eq!(html.get_attribute("lang").as_deref(), Some("zh"));

    let theme: HtmlSelectElement = query(&root, "[data-testid=theme-switch]").unchecked_into();
    theme.set_value("dark");
    theme
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(html.get_attribute("data-theme").as_deref(), Some("dark"));
    theme.set_value("light");
    theme
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(html.get_attribute("data-theme").as_deref(), Some("light"));
    lang.set_value("en");
    lang.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;
}

#[wasm_bindgen_test]
async fn config_warning_is_visible() {
    let root = container();
    let _handle = mount_to(root.clone(), || {
        view! { <Providers warning=ConfigWarning::Malformed(ConfigProblem::RouterBaseNotAbsolute("ui".into()))><Shell><p>"page"</p></Shell></Providers> }
    });
    leptos::task::tick().await;
    let text = query(&root, "[data-testid=config-warning]")
        .text_content()
        .unwrap();
    assert!(
        text.contains("config.json is malformed (routerBase must start with “/”, got “ui”)"),
        "{text}"
    );
    assert!(text.contains("/k8s"), "{text}");
}

#[wasm_bindgen_test]
async fn key_value_editor_puts_messages_on_their_row_and_keeps_text_as_text() {
    use gateway_console::components::key_value_editor::KeyValueEditor;
    use gateway_model::form::KeyValueRow;
    use gateway_model::validation::{validate_config, FormField};

    let root = container();
    let hostile = "<img src=x onerror=alert(1)>";
    let rows = RwSignal::new(vec![
        KeyValueRow::new("proxy-body-size", "big"),
        KeyValueRow::new("use-gzip", hostile),
    ]);
    let messages = Signal::derive(move || rows.with(|r| validate_config(r)));
    let _handle = mount_to(root.clone(), move || {
        view! {
            <Providers>
                <KeyValueEditor
                    name="config"
                    rows=rows
                    on_change=Callback::new(move |next| rows.set(next))
                    messages
                    field=FormField::ConfigOptions
                    row_field=FormField::ConfigOption
                    suggestions=Signal::derive(|| vec!["proxy-body-size".to_string()])
                />
            </Providers>
        }
    });
    leptos::task::tick().await;
    let row_nodes = root.query_selector_all("[data-testid=config-row]").unwrap();
    assert_eq!(row_nodes.length(), 2);
    let first: HtmlElement = row_nodes.item(0).unwrap().unchecked_into();
    let second: HtmlElement = row_nodes.item(1).unwrap().unchecked_into();
    assert!(first
        .text_content()
        .unwrap()
        .contains("not a valid value for proxy-body-size"));
    // "true"/"false" is expected for use-gzip: the message is on row 2, the markup stays text
    assert!(second.text_content().unwrap().contains("use-gzip"));
    assert!(root.query_selector("img").unwrap().is_none());
    let value: web_sys::HtmlInputElement = second
        .query_selector("[data-testid=config-value]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(value.value(), hostile);
    // "Add" is allowed (no blank row); after adding one it is not
    let add: web_sys::HtmlButtonElement = query(&root, "[data-testid=config-add]").unchecked_into();
    assert!(!add.disabled());
    add.click();
    leptos::task::tick().await;
    assert_eq!(rows.get_untracked().len(), 3);
    assert!(add.disabled());
    // typing a key goes through on_change
    let key: web_sys::HtmlInputElement = root
        .query_selector_all("[data-testid=config-key]")
        .unwrap()
        .item(2)
        .unwrap()
        .unchecked_into();
    key.set_value("ssl-redirect");
    key.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(rows.get_untracked()[2].key, "ssl-redirect");
    // removing the first row moves the message away with it
    let remove: web_sys::HtmlButtonElement =
        query(&root, "[data-testid=config-remove]").unchecked_into();
    remove.click();
    leptos::task::tick().await;
    assert!(!root.text_content().unwrap().contains("proxy-body-size"));
}

#[wasm_bindgen_test]
async fn crash_view_covers_the_page_in_the_page_language_with_a_reload_link() {
    let document = web_sys::window().unwrap().document().unwrap();
    let html = document.document_element().unwrap();
    html.set_attribute("lang", "zh").unwrap();
    gateway_console::crash::show_crash_view();
    // shown once, however often the hook runs
    gateway_console::crash::show_crash_view();
    let views = document
        .query_selector_all("[data-testid=app-crashed]")
        .unwrap();
    assert_eq!(views.length(), 1);
    let view: HtmlElement = views.get(0).unwrap().unchecked_into();
    assert_eq!(view.get_attribute("role").as_deref(), Some("alertdialog"));
    let text = view.text_content().unwrap();
    assert!(text.contains("重新加载"), "{text}");
    let reload: web_sys::HtmlAnchorElement = document
        .query_selector("[data-testid=app-crashed-reload]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(
        reload.href(),
        web_sys::window().unwrap().location().href().unwrap()
    );
    assert_eq!(
        document
            .active_element()
            .map(|e| e.get_attribute("data-testid")),
        Some(Some("app-crashed-reload".to_string())),
        "the Reload link has the focus"
    );
    view.parent_element().unwrap().remove();
    html.set_attribute("lang", "en").unwrap();
}

#[wasm_bindgen_test]
async fn yaml_view_colours_by_text_spans_folds_managed_fields_and_unfolds_on_click() {
    use gateway_console::components::yaml_view::{download_text, YamlView};
    let root = container();
    let evil = "<img src=x onerror=alert(1)>";
    let object = serde_json::json!({
        "apiVersion": "gateway.kubesphere.io/v1alpha1", "kind": "Gateway",
        "metadata": {"name": "kubesphere-router-demo", "annotations": {"note": evil},
            "managedFields": [{"manager": "kubectl", "operation": "Update", "fieldsV1": {"f:spec": {}}}]},
        "spec": {"controller": {"config": {"use-gzip": "true"}}}
    });
    let shown = object.clone();
    let _handle = mount_to(root.clone(), move || {
        let shown = shown.clone();
        view! { <Providers><YamlView object=Signal::derive(move || shown.clone()) file_name=Signal::derive(|| "x.yaml".to_string())/></Providers> }
    });
    leptos::task::tick().await;
    let yaml = query(&root, "[data-testid=yaml-view]");
    let text = yaml.text_content().unwrap();
    assert!(text.contains(&format!("note: {evil}")), "{text}");
    assert!(text.contains("use-gzip: \"true\""), "{text}");
    // cluster text is never markup
    assert!(yaml.query_selector("img").unwrap().is_none());
    // managedFields folded at first: its lines are not drawn
    assert!(text.contains("managedFields:"), "{text}");
    assert!(!text.contains("manager: kubectl"), "{text}");
    assert_eq!(
        yaml.query_selector_all("[data-testid=yaml-folded]")
            .unwrap()
            .length(),
        1
    );
    let folded_button: HtmlElement = yaml
        .query_selector_all("[data-testid=yaml-fold]")
        .unwrap()
        .get(2)
        .unwrap()
        .unchecked_into();
    assert_eq!(
        folded_button.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    folded_button.click();
    leptos::task::tick().await;
    let text = query(&root, "[data-testid=yaml-view]")
        .text_content()
        .unwrap();
    assert!(text.contains("manager: kubectl"), "{text}");
    // the download leaves managedFields out, like kubectl get -o yaml
    let download = download_text(&object);
    assert!(!download.contains("managedFields"), "{download}");
    assert!(
        download.contains("name: kubesphere-router-demo"),
        "{download}"
    );
}
