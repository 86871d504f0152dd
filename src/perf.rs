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
