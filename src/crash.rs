//! The last resort. With `panic = "abort"` a panic ends the wasm instance: nothing reactive runs
//! after it. Instead of a frozen page the hook puts a plain-DOM message over the page with a
//! Reload link (a link, not a button: no wasm callback is needed to follow it). The panic itself
//! still goes to the console with its location.

use wasm_bindgen::JsCast;

use crate::i18n::{translate, Locale};

/// Installs the panic hook (first thing in `main`).
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_crash_view();
    }));
}

/// Covers the page with the crash message. Reads the language from `<html lang>` (kept current
/// by the i18n context), touching nothing reactive.
pub fn show_crash_view() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document
        .query_selector("[data-testid=app-crashed]")
        .ok()
        .flatten()
        .is_some()
    {
        return;
    }
    let locale = document
        .document_element()
        .and_then(|e| e.get_attribute("lang"))
        .and_then(|l| Locale::from_code(&l))
        .unwrap_or(Locale::En);
    let text = |key: &str| translate(locale, key, &[]);
    let build = || -> Result<web_sys::Element, wasm_bindgen::JsValue> {
        let overlay = document.create_element("div")?;
        overlay.set_class_name("app-crashed");
        let card = document.create_element("section")?;
        card.set_class_name("app-crashed__card");
        card.set_attribute("role", "alertdialog")?;
        card.set_attribute("aria-labelledby", "app-crashed-title")?;
        card.set_attribute("data-testid", "app-crashed")?;
        let title = document.create_element("h1")?;
        title.set_id("app-crashed-title");
        title.set_text_content(Some(&text("APP_CRASHED_TITLE")));
        let desc = document.create_element("p")?;
        desc.set_text_content(Some(&text("APP_CRASHED_DESC")));
        let reload: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
        reload.set_class_name("app-crashed__reload");
        reload.set_attribute("data-testid", "app-crashed-reload")?;
        if let Some(href) = web_sys::window().and_then(|w| w.location().href().ok()) {
            reload.set_href(&href);
        }
        reload.set_text_content(Some(&text("RELOAD")));
        card.append_child(&title)?;
        card.append_child(&desc)?;
        card.append_child(&reload)?;
        overlay.append_child(&card)?;
        Ok(overlay)
    };
    if let (Ok(overlay), Some(body)) = (build(), document.body()) {
        let _ = body.append_child(&overlay);
        if let Some(link) = overlay
            .query_selector("a")
            .ok()
            .flatten()
            .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = link.focus();
        }
    }
}
