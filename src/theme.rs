//! Light / dark / follow-system theme, persisted. Drives thaw's `ConfigProvider` theme and a
//! `data-theme` attribute on `<html>` for the app's own CSS (and, later, ECharts).

use leptos::prelude::*;
use thaw::Theme;
use wasm_bindgen::prelude::*;

/// What the user chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemePreference {
    Light,
    Dark,
    System,
}

impl ThemePreference {
    pub const ALL: [ThemePreference; 3] = [
        ThemePreference::Light,
        ThemePreference::Dark,
        ThemePreference::System,
    ];

    /// Persisted value and `<select>` option value.
    pub fn code(self) -> &'static str {
        match self {
            ThemePreference::Light => "light",
            ThemePreference::Dark => "dark",
            ThemePreference::System => "system",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Translation key of the option label.
    pub fn label_key(self) -> &'static str {
        match self {
            ThemePreference::Light => "THEME_LIGHT",
            ThemePreference::Dark => "THEME_DARK",
            ThemePreference::System => "THEME_SYSTEM",
        }
    }

    /// Whether the dark theme applies, given the system's preference.
    pub fn is_dark(self, system_dark: bool) -> bool {
        match self {
            ThemePreference::Light => false,
            ThemePreference::Dark => true,
            ThemePreference::System => system_dark,
        }
    }
}

/// Theme context: the user's preference, the system's, and the resolved thaw theme.
#[derive(Clone, Copy)]
pub struct ThemeState {
    pub preference: RwSignal<ThemePreference>,
    pub system_dark: RwSignal<bool>,
    pub thaw_theme: RwSignal<Theme>,
}

impl ThemeState {
    /// True when the dark theme is showing.
    pub fn is_dark(&self) -> bool {
        self.preference.get().is_dark(self.system_dark.get())
    }
}

const STORAGE_KEY: &str = "gateway-console.theme";

fn dark_media_query() -> Option<web_sys::MediaQueryList> {
    web_sys::window()?
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
}

/// Creates the theme context and keeps it in step with the system setting.
pub fn provide_theme() -> ThemeState {
    let preference = crate::storage::get(STORAGE_KEY)
        .and_then(|c| ThemePreference::from_code(&c))
        .unwrap_or(ThemePreference::System);
    let query = dark_media_query();
    let system_dark = RwSignal::new(query.as_ref().is_some_and(|q| q.matches()));
    if let Some(query) = query {
        // Lives as long as the app: the listener is leaked on purpose (one per page load).
        let listener = Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(
            move |e: web_sys::MediaQueryListEvent| {
                system_dark.set(e.matches());
            },
        );
        let _ = query.add_event_listener_with_callback("change", listener.as_ref().unchecked_ref());
        listener.forget();
    }
    let preference = RwSignal::new(preference);
    let initial_dark = preference
        .get_untracked()
        .is_dark(system_dark.get_untracked());
    let state = ThemeState {
        preference,
        system_dark,
        thaw_theme: RwSignal::new(if initial_dark {
            Theme::dark()
        } else {
            Theme::light()
        }),
    };
    Effect::new(move |_| {
        let pref = state.preference.get();
        crate::storage::set(STORAGE_KEY, pref.code());
        let dark = pref.is_dark(state.system_dark.get());
        state
            .thaw_theme
            .set(if dark { Theme::dark() } else { Theme::light() });
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
        }
    });
    provide_context(state);
    state
}

/// The theme context.
pub fn use_theme() -> ThemeState {
    expect_context::<ThemeState>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn preference_resolution() {
        assert!(!ThemePreference::Light.is_dark(true));
        assert!(ThemePreference::Dark.is_dark(false));
        assert!(ThemePreference::System.is_dark(true));
        assert!(!ThemePreference::System.is_dark(false));
        for p in ThemePreference::ALL {
            assert_eq!(ThemePreference::from_code(p.code()), Some(p));
        }
        assert_eq!(ThemePreference::from_code("neon"), None);
    }
}
