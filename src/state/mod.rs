//! Reactive caches fed by list+watch. Pages read them; nobody polls.

pub mod actions;
pub mod config_map_view;
pub mod deployment_view;
pub mod gateway_workloads;
pub mod gateways;
pub mod legacy;
pub mod live;
pub mod namespaces;
pub mod permissions;
pub mod pod_logs;
pub mod service_view;
pub mod working_namespace;
