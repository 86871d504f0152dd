//! Pure domain logic of gateway-console, shared by the app (wasm) and devcluster (native).
//! No I/O, no UI framework: everything here is tested natively with `cargo test -p gateway-model`.
//!
//! - [`names`]: names, namespaces, labels and [`names::GatewayScope`].
//! - [`gateway`]: the `Gateway` CRD types (lossless round trips) and helpers.
//! - [`health`]: gateway health, addresses, node ports and URLs.
//! - [`legacy`]: recognising 3.0/3.1 legacy gateways.
//! - [`providers`]: load balancer provider catalogue.
//! - [`config_options`]: ingress-nginx ConfigMap option catalogue.
//! - [`config_review`]: configured options checked against the catalogue and the rendered ConfigMap (drift).
//! - [`validation`]: field validation with stable codes; server `422` mapping.
//! - [`form`]: the Enable/Edit dialog model, merge patches and rebasing.
//! - [`json_diff`]: merge patches and change lists between JSON documents.
//! - [`watch_cache`]: list+watch cache reducer.
//! - [`access_log`]: controller log line classification and access-log parsing.
//! - [`logs`]: the Gateway Logs viewer: streamed pod logs merged, filtered, found, tabulated.
//! - [`promql`]: PromQL of the gateway metrics (KubeSphere's templates).
//! - [`monitoring`]: the Monitoring tab's queries, steps, decoded answers and units.
//! - [`kubesphere_config`]: the working namespace from `kubesphere-config`.
//! - [`project_table`]: search, sort and pages of the Project Gateways table.
//! - [`pods`], [`events`]: the gateway's pods and Events as the details page shows them.
//! - [`yaml`]: YAML of an object as typed tokens (for colouring) and text (for download).
//! - [`reconnect`]: when a watch reconnects, and how long a throttled request waits.

pub mod names;

pub mod access_log;
pub mod config_options;
pub mod config_review;
pub mod events;
pub mod form;
pub mod gateway;
pub mod gateway_json;
pub mod health;
pub mod json_diff;
pub mod kubesphere_config;
pub mod legacy;
pub mod logs;
pub mod monitoring;
pub mod pods;
pub mod project_table;
pub mod promql;
pub mod providers;
pub mod reconnect;
pub mod validation;
pub mod watch_cache;
pub mod yaml;
