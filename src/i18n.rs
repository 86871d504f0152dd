//! Translations (English and Chinese). Every UI string comes from `locales/<code>.json`;
//! `t("KEY")` inside a reactive closure follows the locale switch.
//!
//! Placeholders are written `{name}` and filled by [`tr`]. A native test checks that both
//! catalogues have the same keys and that every key used in `src/` exists.

use std::collections::HashMap;
use std::sync::OnceLock;

use leptos::prelude::*;

/// A UI language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Locale {
    En,
    Zh,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Zh];

    /// BCP 47 code, also used as the `<html lang>` value and the persisted setting.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Zh => "zh",
        }
    }

    /// Parses a persisted code or a browser language tag (`zh-CN` → Chinese).
    pub fn from_code(code: &str) -> Option<Locale> {
        let lower = code.trim().to_ascii_lowercase();
        if lower == "en" || lower.starts_with("en-") {
            Some(Locale::En)
        } else if lower == "zh" || lower.starts_with("zh-") {
            Some(Locale::Zh)
        } else {
            None
        }
    }

    /// The catalogue compiled into the module: English always; Chinese too unless the build is
    /// split, where it is a file of the build fetched when first needed (see [`load`]), which
    /// keeps ~8 KB gzip of strings out of the first paint of English users.
    fn source(self) -> Option<&'static str> {
        match self {
            Locale::En => Some(include_str!("../locales/en.json")),
            #[cfg(not(feature = "split"))]
            Locale::Zh => Some(include_str!("../locales/zh.json")),
            #[cfg(feature = "split")]
            Locale::Zh => None,
        }
    }

    fn cell(self) -> &'static OnceLock<HashMap<String, String>> {
        static EN: OnceLock<HashMap<String, String>> = OnceLock::new();
        static ZH: OnceLock<HashMap<String, String>> = OnceLock::new();
        match self {
            Locale::En => &EN,
            Locale::Zh => &ZH,
        }
    }

    /// Whether the catalogue can be used right away (compiled in, or already fetched).
    pub fn is_ready(self) -> bool {
        self.source().is_some() || self.cell().get().is_some()
    }
}

/// The catalogue of `locale`; English until a fetched one has arrived.
fn catalog(locale: Locale) -> &'static HashMap<String, String> {
    let cell = locale.cell();
    if let Some(map) = cell.get() {
        return map;
    }
    match locale.source() {
        Some(source) => cell
            .get_or_init(|| serde_json::from_str(source).expect("locale catalogue is valid JSON")),
        None => catalog(Locale::En),
    }
}

/// Makes the catalogue of `locale` ready: a no-op when it is compiled in; otherwise it is
/// fetched through the loader `start.js` defines (`window.__gatewayConsoleCatalogue(code)`,
/// the `<code>.json` next to the wasm: same build, same cache lifetime).
pub async fn load(locale: Locale) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    if locale.is_ready() {
        return Ok(());
    }
    let window = web_sys::window().ok_or("no window")?;
    let loader = js_sys::Reflect::get(&window, &"__gatewayConsoleCatalogue".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or("no catalogue loader")?;
    let promise = loader
        .call1(&wasm_bindgen::JsValue::NULL, &locale.code().into())
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
        .ok_or("the catalogue loader failed")?;
    let text = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| crate::api::watch::js_error_text(&e))?
        .as_string()
        .ok_or("the catalogue is not text")?;
    let map: HashMap<String, String> = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let _ = locale.cell().set(map);
    Ok(())
}

/// Fills `{name}` placeholders. Unknown placeholders stay as written; values are inserted
/// verbatim (they are rendered as text nodes, never as HTML).
pub fn interpolate(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Translation of `key` in `locale` with placeholders filled. A missing key falls back to
/// English, then to the key itself (never panics at runtime).
pub fn translate(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    let template = catalog(locale)
        .get(key)
        .or_else(|| catalog(Locale::En).get(key))
        .map(String::as_str)
        .unwrap_or(key);
    interpolate(template, args)
}

/// The app's language, provided as context at the root.
#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

impl I18n {
    /// Switches to `locale` once its catalogue is ready (at once when it is; a catalogue that
    /// cannot be fetched leaves the language as it is).
    pub fn switch(self, locale: Locale) {
        if locale.is_ready() {
            self.locale.set(locale);
            return;
        }
        leptos::task::spawn_local(async move {
            match load(locale).await {
                Ok(()) => {
                    self.locale.try_set(locale);
                }
                Err(e) => leptos::logging::warn!("the {} catalogue: {e}", locale.code()),
            }
        });
    }

    /// The current language, read without tracking and without ever panicking (for code that
    /// runs after an `.await`, when the view that started it may be gone).
    pub fn now(&self) -> Locale {
        self.locale.try_get_untracked().unwrap_or(Locale::En)
    }
}

const STORAGE_KEY: &str = "gateway-console.locale";

/// The language to start in: persisted choice, else the browser's language, else English.
pub fn initial_locale() -> Locale {
    crate::storage::get(STORAGE_KEY)
        .and_then(|c| Locale::from_code(&c))
        .or_else(|| {
            web_sys::window()
                .and_then(|w| w.navigator().language())
                .and_then(|l| Locale::from_code(&l))
        })
        .unwrap_or(Locale::En)
}

/// Creates the language context ([`initial_locale`]; English until its catalogue is ready).
/// Keeps `<html lang>` and localStorage in step with the signal.
pub fn provide_i18n() -> I18n {
    let wanted = initial_locale();
    let initial = if wanted.is_ready() {
        wanted
    } else {
        Locale::En
    };
    let i18n = I18n {
        locale: RwSignal::new(initial),
    };
    Effect::new(move |_| {
        let code = i18n.locale.get().code();
        crate::storage::set(STORAGE_KEY, code);
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", code);
        }
    });
    provide_context(i18n);
    if wanted != initial {
        i18n.switch(wanted);
    }
    i18n
}

/// The language context.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Translation of `key` in the current language (reactive when called inside a closure).
pub fn t(key: &str) -> String {
    translate(use_i18n().locale.get(), key, &[])
}

/// Translation of `key` with placeholders, in the current language.
pub fn tr(key: &str, args: &[(&str, &str)]) -> String {
    translate(use_i18n().locale.get(), key, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn interpolation() {
        assert_eq!(
            interpolate("a {x} b {y}", &[("x", "1"), ("y", "<b>")]),
            "a 1 b <b>"
        );
        assert_eq!(interpolate("keep {unknown}", &[]), "keep {unknown}");
        assert_eq!(interpolate("open { brace", &[]), "open { brace");
        assert_eq!(translate(Locale::Zh, "GATEWAY_SETTINGS", &[]), "网关设置");
        assert_eq!(translate(Locale::En, "NO_SUCH_KEY", &[]), "NO_SUCH_KEY");
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn locale_codes() {
        assert_eq!(Locale::from_code("zh-CN"), Some(Locale::Zh));
        assert_eq!(Locale::from_code("en-US"), Some(Locale::En));
        assert_eq!(Locale::from_code("fr"), None);
    }
}
