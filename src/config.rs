//! Runtime configuration from `config.json` next to `index.html`, so one build serves every
//! deployment. Missing or malformed config → defaults plus a visible warning.

use serde::Deserialize;

/// Settings read at boot.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct AppConfig {
    /// URL prefix where the Kubernetes API is reachable (`<apiBase>/api`, `<apiBase>/apis`).
    pub api_base: String,
    /// Path the app is served under (`""` at the root, `"/ui"` for a sub-path).
    pub router_base: String,
    /// Kubernetes service-proxy path of Prometheus, relative to the API (no trailing slash).
    pub prometheus_path: String,
    /// Display name of the cluster.
    pub cluster_name: String,
    /// Longest wait for an API answer before it is reported as timed out (watches and log
    /// streams: for their response headers; a silent watch is restarted on its own).
    pub request_timeout_seconds: u32,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            api_base: "/k8s".into(),
            router_base: String::new(),
            prometheus_path:
                "/api/v1/namespaces/kubesphere-monitoring-system/services/prometheus-k8s:9090/proxy"
                    .into(),
            cluster_name: "default".into(),
            request_timeout_seconds: 30,
        }
    }
}

/// Runtime configuration and the warning to show when defaults are in use (a context).
#[derive(Clone, Debug)]
pub struct ConfigContext {
    pub config: AppConfig,
    pub warning: Option<ConfigWarning>,
}

/// The runtime configuration.
pub fn use_config() -> ConfigContext {
    leptos::prelude::expect_context::<ConfigContext>()
}

/// Why the defaults are in use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigWarning {
    /// The file could not be fetched (network error or HTTP status).
    Missing(String),
    /// The file is not valid JSON or has invalid values.
    Malformed(ConfigProblem),
}

/// What is wrong with `config.json`; shown through the catalogue (`CONFIG_PROBLEM_*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigProblem {
    /// Not JSON, a wrong type or an unknown field (serde_json's own description).
    Json(String),
    EmptyApiBase,
    /// `routerBase` does not start with `/`.
    RouterBaseNotAbsolute(String),
    /// `requestTimeoutSeconds` outside 1..=3600.
    TimeoutOutOfRange(u32),
}

impl ConfigProblem {
    /// Translation key and placeholders.
    pub fn key_and_args(&self) -> (&'static str, Vec<(&'static str, String)>) {
        match self {
            ConfigProblem::Json(detail) => {
                ("CONFIG_PROBLEM_JSON", vec![("detail", detail.clone())])
            }
            ConfigProblem::EmptyApiBase => ("CONFIG_PROBLEM_EMPTY_API_BASE", vec![]),
            ConfigProblem::RouterBaseNotAbsolute(got) => {
                ("CONFIG_PROBLEM_ROUTER_BASE", vec![("value", got.clone())])
            }
            ConfigProblem::TimeoutOutOfRange(got) => {
                ("CONFIG_PROBLEM_TIMEOUT", vec![("value", got.to_string())])
            }
        }
    }
}

impl AppConfig {
    /// Parses and normalises `config.json`. Trailing slashes are dropped; the router base must
    /// be empty or start with `/`.
    pub fn parse(text: &str) -> Result<AppConfig, ConfigProblem> {
        let mut config: AppConfig =
            serde_json::from_str(text).map_err(|e| ConfigProblem::Json(e.to_string()))?;
        config.api_base = config.api_base.trim().trim_end_matches('/').to_string();
        if config.api_base.is_empty() {
            return Err(ConfigProblem::EmptyApiBase);
        }
        let base = config.router_base.trim().trim_end_matches('/').to_string();
        if !base.is_empty() && !base.starts_with('/') {
            return Err(ConfigProblem::RouterBaseNotAbsolute(base));
        }
        config.router_base = base;
        if config.request_timeout_seconds == 0 || config.request_timeout_seconds > 3600 {
            return Err(ConfigProblem::TimeoutOutOfRange(
                config.request_timeout_seconds,
            ));
        }
        config.prometheus_path = config
            .prometheus_path
            .trim()
            .trim_end_matches('/')
            .to_string();
        Ok(config)
    }
}

/// Fetches `config.json` relative to the document (works under any sub-path).
pub async fn load() -> (AppConfig, Option<ConfigWarning>) {
    let url = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|base| web_sys::Url::new_with_base("config.json", &base).ok())
        .map(|u| u.href())
        .unwrap_or_else(|| "config.json".into());
    let response = match gloo_net::http::Request::get(&url).send().await {
        Ok(r) => r,
        Err(e) => {
            return (
                AppConfig::default(),
                Some(ConfigWarning::Missing(e.to_string())),
            )
        }
    };
    if !response.ok() {
        let detail = format!("HTTP {} {}", response.status(), response.status_text());
        return (AppConfig::default(), Some(ConfigWarning::Missing(detail)));
    }
    let text = match response.text().await {
        Ok(t) => t,
        Err(e) => {
            return (
                AppConfig::default(),
                Some(ConfigWarning::Missing(e.to_string())),
            )
        }
    };
    match AppConfig::parse(&text) {
        Ok(config) => (config, None),
        Err(e) => (AppConfig::default(), Some(ConfigWarning::Malformed(e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn defaults_fill_missing_fields() {
        let c = AppConfig::parse(r#"{"apiBase": "/api-proxy/"}"#).unwrap();
        assert_eq!(c.api_base, "/api-proxy");
        assert_eq!(c.cluster_name, "default");
        assert_eq!(c.router_base, "");
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn full_config() {
        let c = AppConfig::parse(
            r#"{"apiBase":"https://k8s.example/","routerBase":"/ui/","prometheusPath":"/p/","clusterName":"prod"}"#,
        )
        .unwrap();
        assert_eq!(c.api_base, "https://k8s.example");
        assert_eq!(c.router_base, "/ui");
        assert_eq!(c.prometheus_path, "/p");
        assert_eq!(c.cluster_name, "prod");
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn malformed_configs_are_rejected_with_a_reason() {
        assert!(AppConfig::parse("{not json").is_err());
        assert_eq!(
            AppConfig::parse(r#"{"apiBase": ""}"#),
            Err(ConfigProblem::EmptyApiBase)
        );
        assert_eq!(
            AppConfig::parse(r#"{"routerBase": "ui"}"#),
            Err(ConfigProblem::RouterBaseNotAbsolute("ui".into()))
        );
        assert!(AppConfig::parse(r#"{"apiBase": 5}"#).is_err());
        assert_eq!(
            AppConfig::parse(r#"{"requestTimeoutSeconds": 0}"#),
            Err(ConfigProblem::TimeoutOutOfRange(0))
        );
        assert_eq!(
            AppConfig::parse(r#"{"requestTimeoutSeconds": 5}"#)
                .unwrap()
                .request_timeout_seconds,
            5
        );
        assert!(matches!(
            AppConfig::parse(r#"{"apibase": "/x"}"#),
            Err(ConfigProblem::Json(d)) if d.contains("unknown field")
        ));
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn shipped_config_parses() {
        let shipped = include_str!("../public/config.json");
        assert_eq!(AppConfig::parse(shipped).unwrap(), AppConfig::default());
    }
}
