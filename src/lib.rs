//! gateway-console: KubeSphere's Gateway Settings pages as a single-page app over the plain
//! Kubernetes API (through a proxy). See README.md for the map of the code.

pub mod api;
pub mod app;
pub mod chunks;
pub mod components;
pub mod config;
pub mod crash;
pub mod download;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod perf;
pub mod routes;
pub mod state;
pub mod storage;
pub mod theme;
