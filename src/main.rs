//! Entry point: installs the panic hook and mounts the app. Everything else lives in the library.

fn main() {
    gateway_console::perf::mark_start();
    gateway_console::crash::install();
    leptos::mount::mount_to_body(gateway_console::app::App);
}
