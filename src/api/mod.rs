//! Talking to the Kubernetes API: the client, its error type, and list+watch streaming.

pub mod access;
pub mod client;
pub mod discovery;
pub mod error;
pub mod gateways;
pub mod legacy;
pub mod pod_logs;
pub mod prometheus;
pub mod watch;

pub use client::{abort_on_cleanup, abort_previous_on_rerun, use_client, KubeClient};
pub use error::ApiError;
