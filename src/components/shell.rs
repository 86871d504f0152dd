//! The app frame: a header (name, cluster, language, theme), the config warning, and a body
//! that fills the window. The window itself never scrolls (thaw 0.5 mispositions popovers
//! otherwise); the content area scrolls instead.

use leptos::prelude::*;
use thaw::{MessageBar, MessageBarBody, MessageBarIntent};

use crate::config::use_config;
use crate::config::ConfigWarning;
use crate::i18n::{t, tr, use_i18n, Locale};
use crate::theme::{use_theme, ThemePreference};

/// The frame around every page.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let config = use_config();
    let cluster_name = config.config.cluster_name.clone();
    view! {
        <div class="app-shell" data-testid="app-shell">
            <header class="app-header">
                <div class="app-header__brand">
                    <span class="app-header__logo" aria-hidden="true"></span>
                    <span class="app-header__name">{move || t("APP_NAME")}</span>
                    <span class="app-header__cluster" title=move || t("CLUSTER")>{cluster_name}</span>
                </div>
                <div class="app-header__tools">
                    <LanguageSwitch/>
                    <ThemeSwitch/>
                </div>
            </header>
            <ConfigWarningBar/>
            <div class="app-body">{children()}</div>
        </div>
    }
}

#[component]
fn ConfigWarningBar() -> impl IntoView {
    let config = use_config();
    let api_base = config.config.api_base.clone();
    config.warning.map(|warning| {
        let (key, detail) = match warning {
            ConfigWarning::Missing(d) => ("CONFIG_WARNING_MISSING", Ok(d)),
            ConfigWarning::Malformed(problem) => ("CONFIG_WARNING_MALFORMED", Err(problem)),
        };
        // the problem is translated too, in the language of the moment
        let detail = move || match &detail {
            Ok(d) => d.clone(),
            Err(problem) => {
                let (key, args) = problem.key_and_args();
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                tr(key, &args)
            }
        };
        view! {
            <div class="config-warning" data-testid="config-warning">
                <MessageBar intent=MessageBarIntent::Warning>
                    <MessageBarBody>{move || tr(key, &[("detail", &detail()), ("apiBase", &api_base)])}</MessageBarBody>
                </MessageBar>
            </div>
        }
    })
}

#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="header-select">
            <span class="visually-hidden">{move || t("LANGUAGE")}</span>
            <select
                data-testid="lang-switch"
                aria-label=move || t("LANGUAGE")
                prop:value=move || i18n.locale.get().code()
                on:change=move |ev| {
                    if let Some(locale) = Locale::from_code(&event_target_value(&ev)) {
                        i18n.switch(locale);
                    }
                }
            >
                <option value="en">{move || t("LANG_EN")}</option>
                <option value="zh">{move || t("LANG_ZH")}</option>
            </select>
        </label>
    }
}

#[component]
fn ThemeSwitch() -> impl IntoView {
    let theme = use_theme();
    view! {
        <label class="header-select">
            <span class="visually-hidden">{move || t("THEME")}</span>
            <select
                data-testid="theme-switch"
                aria-label=move || t("THEME")
                prop:value=move || theme.preference.get().code()
                on:change=move |ev| {
                    if let Some(p) = ThemePreference::from_code(&event_target_value(&ev)) {
                        theme.preference.set(p);
                    }
                }
            >
                {ThemePreference::ALL
                    .into_iter()
                    .map(|p| view! { <option value=p.code()>{move || t(p.label_key())}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}
