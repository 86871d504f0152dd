//! Entry point: installs the panic hook and mounts the app. Everything else lives in the library.

fn main() {
    gateway_console::perf::mark_start();
    gateway_console::crash::install();
    // a language whose catalogue is fetched (split build, Chinese) is ready before the first
    // paint, so that nothing shows in English first; start.js started the fetch already
    let locale = gateway_console::i18n::initial_locale();
    if locale.is_ready() {
        leptos::mount::mount_to_body(gateway_console::app::App);
    } else {
        // (leptos' executor starts with the mount: a plain wasm-bindgen task before it)
        wasm_bindgen_futures::spawn_local(async move {
            let _ = gateway_console::i18n::load(locale).await;
            leptos::mount::mount_to_body(gateway_console::app::App);
        });
    }
}
