//! Reusable UI pieces: props in, callbacks out. Cluster data is always rendered as text.

pub mod api_error_view;
pub mod api_gate;
pub mod dialog_host;
pub mod disable_dialog;
pub mod echart;
pub mod empty_state;
pub mod field_message;
pub mod gateway_actions;
pub mod gateway_dialog;
pub mod gateway_summary;
pub mod inline_error;
pub mod key_value_editor;
pub mod key_value_panel;
pub mod legacy_update;
pub mod live_gateway;
pub mod metric_chart;
pub mod modal_form;
pub mod page_banner;
pub mod pod_list;
pub mod project_gateway_table;
pub mod replicas_card;
pub mod shell;
pub mod side_nav;
pub mod sync_badge;
pub mod working_namespace_note;
pub mod yaml_view;
