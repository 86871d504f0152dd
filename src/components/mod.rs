//! Reusable UI pieces: props in, callbacks out. Cluster data is always rendered as text.

pub mod api_error_view;
pub mod api_gate;
pub mod empty_state;
pub mod gateway_summary;
pub mod inline_error;
pub mod page_banner;
pub mod project_gateway_table;
pub mod shell;
pub mod side_nav;
pub mod sync_badge;
