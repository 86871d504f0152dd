//! One file per screen: read URL params, compose components, own no I/O details.

pub mod cluster_gateways;
pub mod gateway_details;
pub mod not_found;
pub mod project_gateways;
