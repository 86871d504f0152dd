//! Performance marks read by the benchmark command (`cargo xtask bench`).

use std::sync::atomic::{AtomicBool, Ordering};

/// Name of the mark set when the first page's data is on screen.
pub const FIRST_DATA_MARK: &str = "gateway-console:first-data";
/// Name of the mark set when the wasm has been instantiated and `main` runs.
pub const START_MARK: &str = "gateway-console:start";

static FIRST_DATA_MARKED: AtomicBool = AtomicBool::new(false);

/// Sets a performance mark (Performance API; read by the benchmark).
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Marks "the app starts" (first thing in `main`).
pub fn mark_start() {
    mark(START_MARK);
}

/// Marks "first data rendered" once per page load.
pub fn mark_first_data() {
    if !FIRST_DATA_MARKED.swap(true, Ordering::Relaxed) {
        mark(FIRST_DATA_MARK);
    }
}

/// Sets a performance mark carrying `detail` (`performance.mark(name, { detail })`).
pub fn mark_with_detail(name: &str, detail: &[(&str, wasm_bindgen::JsValue)]) {
    use wasm_bindgen::JsCast;
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    let object = js_sys::Object::new();
    for (key, value) in detail {
        let _ = js_sys::Reflect::set(&object, &(*key).into(), value);
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"detail".into(), &object);
    if let Some(mark) = js_sys::Reflect::get(&performance, &"mark".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let _ = mark.call2(&performance, &name.into(), &options);
    }
}
