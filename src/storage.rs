//! Tiny wrapper over `localStorage` for persisted UI preferences (language, theme).
//! Storage can be missing or throw (private mode, sandboxed iframes): failures are ignored.

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads a persisted value.
pub fn get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Persists a value (best effort).
pub fn set(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}
