//! The translated text of a form validation message (client rules and server 422 causes).

use gateway_model::config_options::OptionType;
use gateway_model::validation::{ErrorCode, FieldError, QualifiedNameProblem};
use leptos::prelude::*;

use crate::i18n::{t, tr};

/// The translation key naming a value type ("a whole number", …).
pub fn option_type_key(value_type: &OptionType) -> &'static str {
    match value_type {
        OptionType::Bool => "OPTION_TYPE_BOOL",
        OptionType::Int => "OPTION_TYPE_INT",
        OptionType::Float => "OPTION_TYPE_FLOAT",
        OptionType::Size => "OPTION_TYPE_SIZE",
        OptionType::Duration => "OPTION_TYPE_DURATION",
        OptionType::String => "OPTION_TYPE_STRING",
        OptionType::List => "OPTION_TYPE_LIST",
        OptionType::Map => "OPTION_TYPE_MAP",
        OptionType::Enum(_) => "OPTION_TYPE_ENUM",
    }
}

/// The message for one validation result, in the current language.
pub fn field_message(error: &FieldError) -> String {
    match &error.code {
        ErrorCode::EmptyKey => t("EMPTY_KEY"),
        ErrorCode::DuplicateKey { .. } => t("DUPLICATE_KEYS"),
        ErrorCode::InvalidAnnotationKey { key, problem } => {
            let (k, len) = match problem {
                QualifiedNameProblem::EmptyName => ("KEY_EMPTY_NAME", 0),
                QualifiedNameProblem::TooManySlashes => ("KEY_TOO_MANY_SLASHES", 0),
                QualifiedNameProblem::EmptyPrefix => ("KEY_EMPTY_PREFIX", 0),
                QualifiedNameProblem::PrefixTooLong { len } => ("KEY_PREFIX_TOO_LONG", *len),
                QualifiedNameProblem::InvalidPrefix => ("KEY_INVALID_PREFIX", 0),
                QualifiedNameProblem::NameTooLong { len } => ("KEY_NAME_TOO_LONG", *len),
                QualifiedNameProblem::InvalidName => ("KEY_INVALID_NAME", 0),
            };
            tr(k, &[("key", key), ("len", &len.to_string())])
        }
        ErrorCode::AnnotationsTooLarge { size, limit } => tr(
            "ANNOTATIONS_TOO_LARGE",
            &[("size", &size.to_string()), ("limit", &limit.to_string())],
        ),
        ErrorCode::InvalidConfigKey { key } => tr("INVALID_CONFIG_KEY", &[("key", key)]),
        ErrorCode::InvalidConfigValue {
            key,
            value,
            expected,
        } => {
            let expected = match expected {
                OptionType::Enum(values) => values.join(" | "),
                other => t(option_type_key(other)),
            };
            tr(
                "INVALID_CONFIG_VALUE",
                &[("key", key), ("value", value), ("expected", &expected)],
            )
        }
        ErrorCode::UnknownConfigKey { key } => tr("UNKNOWN_CONFIG_KEY", &[("key", key)]),
        ErrorCode::RemovedConfigKey { key, removed_in } => tr(
            "REMOVED_CONFIG_KEY",
            &[("key", key), ("version", removed_in)],
        ),
        ErrorCode::ReplicasOutOfRange { min, max, .. } => tr(
            "REPLICAS_OUT_OF_RANGE",
            &[("min", &min.to_string()), ("max", &max.to_string())],
        ),
        ErrorCode::ZeroReplicas => t("ZERO_REPLICAS"),
        ErrorCode::ManyReplicas { value, threshold } => tr(
            "MANY_REPLICAS",
            &[
                ("value", &value.to_string()),
                ("threshold", &threshold.to_string()),
            ],
        ),
        ErrorCode::Server { path, message, .. } => {
            if path.is_empty() {
                message.clone()
            } else {
                format!("{path}: {message}")
            }
        }
    }
}

/// Messages shown under a field: errors in red, warnings in amber. Text only.
#[component]
pub fn FieldMessages(#[prop(into)] messages: Signal<Vec<FieldError>>) -> impl IntoView {
    move || {
        messages
            .get()
            .into_iter()
            .map(|m| {
                let class = if m.is_error() {
                    "field-message field-message--error"
                } else {
                    "field-message field-message--warning"
                };
                let role = if m.is_error() { "alert" } else { "status" };
                view! { <p class=class role=role data-testid="field-message">{field_message(&m)}</p> }
            })
            .collect_view()
    }
}
