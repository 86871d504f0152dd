//! One error type for every API call: the decoded `metav1.Status` when the server sent one,
//! otherwise what went wrong on the way (network, proxy, decoding). Each variant renders to a
//! message a user can act on.

use kube_core::Status;

use crate::i18n::{translate, Locale};

/// What a request to the Kubernetes API can fail with.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The server answered with a `metav1.Status` failure (404, 403, 409, 422, 410, …).
    Status { url: String, status: Box<Status> },
    /// An HTTP error without a Status body (typically the proxy: 502 when the API is down).
    Http {
        url: String,
        code: u16,
        body: String,
    },
    /// The request never got an answer (connection refused, DNS, CORS, offline).
    Network { url: String, message: String },
    /// The server took too long.
    Timeout { url: String },
    /// The answer could not be decoded as the expected type.
    Decode { url: String, message: String },
    /// The view that made the request went away; never shown.
    Aborted,
}

/// A request kube-core could not build (bad parameters) is reported like an undecodable answer.
impl From<kube_core::request::Error> for ApiError {
    fn from(e: kube_core::request::Error) -> Self {
        ApiError::Decode {
            url: String::new(),
            message: e.to_string(),
        }
    }
}

/// A request body that could not be encoded.
impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::Decode {
            url: String::new(),
            message: e.to_string(),
        }
    }
}

/// Longest HTTP body excerpt kept in an error (proxies can answer with whole HTML pages).
const BODY_EXCERPT: usize = 300;

impl ApiError {
    /// Builds the error for a non-2xx answer: a `Status` when the body is one, else `Http`.
    pub fn from_response(url: &str, code: u16, body: &str) -> ApiError {
        if let Ok(mut status) = serde_json::from_str::<Status>(body) {
            if status.code == 0 {
                status.code = code;
            }
            if !status.message.is_empty() || !status.reason.is_empty() {
                return ApiError::Status {
                    url: url.to_string(),
                    status: Box::new(status),
                };
            }
        }
        let body: String = body.trim().chars().take(BODY_EXCERPT).collect();
        ApiError::Http {
            url: url.to_string(),
            code,
            body,
        }
    }

    /// The URL that was requested.
    pub fn url(&self) -> &str {
        match self {
            ApiError::Status { url, .. }
            | ApiError::Http { url, .. }
            | ApiError::Network { url, .. }
            | ApiError::Timeout { url }
            | ApiError::Decode { url, .. } => url,
            ApiError::Aborted => "",
        }
    }

    /// HTTP status code, when there was an answer.
    pub fn code(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(status.code),
            ApiError::Http { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The server's `Status`, if any.
    pub fn status(&self) -> Option<&Status> {
        match self {
            ApiError::Status { status, .. } => Some(status),
            _ => None,
        }
    }

    /// No API behind the URL: network failure, or a proxy answering 502/503/504 without a Status.
    pub fn is_unreachable(&self) -> bool {
        match self {
            ApiError::Network { .. } | ApiError::Timeout { .. } => true,
            ApiError::Http { code, .. } => matches!(code, 502..=504),
            _ => false,
        }
    }

    pub fn is_unauthorized(&self) -> bool {
        self.code() == Some(401)
    }

    pub fn is_forbidden(&self) -> bool {
        self.code() == Some(403)
    }

    pub fn is_not_found(&self) -> bool {
        self.code() == Some(404)
    }

    pub fn is_conflict(&self) -> bool {
        self.code() == Some(409) && self.status().is_none_or(|s| s.reason != "AlreadyExists")
    }

    /// 410 Gone: a watch's resourceVersion is too old; the client must re-list.
    pub fn is_gone(&self) -> bool {
        self.code() == Some(410)
    }

    pub fn is_aborted(&self) -> bool {
        matches!(self, ApiError::Aborted)
    }

    /// A translated, user-facing sentence. The server's own message is kept verbatim.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            ApiError::Status { status, .. } => {
                let message = if status.message.is_empty() {
                    status.reason.as_str()
                } else {
                    status.message.as_str()
                };
                let key = match (status.code, status.reason.as_str()) {
                    (_, "AlreadyExists") => "ERR_ALREADY_EXISTS",
                    (401, _) => "ERR_UNAUTHORIZED",
                    (403, _) => "ERR_FORBIDDEN",
                    (404, _) => "ERR_NOT_FOUND",
                    (409, _) => "ERR_CONFLICT",
                    (422, _) => "ERR_INVALID",
                    _ => {
                        let code = status.code.to_string();
                        return translate(
                            locale,
                            "ERR_HTTP",
                            &[("code", &code), ("message", message)],
                        );
                    }
                };
                translate(locale, key, &[("message", message)])
            }
            ApiError::Http { code, body, .. } => {
                let code = code.to_string();
                translate(locale, "ERR_HTTP", &[("code", &code), ("message", body)])
            }
            // (an empty message: the browser gave no reason)
            ApiError::Network { message, .. } if message.is_empty() => {
                translate(locale, "ERR_NETWORK_UNKNOWN", &[])
            }
            ApiError::Network { message, .. } => {
                translate(locale, "ERR_NETWORK", &[("message", message)])
            }
            ApiError::Timeout { .. } => translate(locale, "ERR_TIMEOUT", &[]),
            ApiError::Decode { message, .. } => {
                translate(locale, "ERR_DECODE", &[("message", message)])
            }
            ApiError::Aborted => String::new(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message(Locale::En), self.url())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    const NOT_FOUND: &str = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"gateways.gateway.kubesphere.io \"kubesphere-router-demo\" not found","reason":"NotFound","details":{"name":"kubesphere-router-demo","group":"gateway.kubesphere.io","kind":"gateways"},"code":404}"#;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn status_bodies_are_decoded() {
        let e = ApiError::from_response("/k8s/apis/x", 404, NOT_FOUND);
        assert!(e.is_not_found());
        assert!(!e.is_unreachable());
        assert_eq!(
            e.message(Locale::En),
            "Not found: gateways.gateway.kubesphere.io \"kubesphere-router-demo\" not found"
        );
        assert!(e.message(Locale::Zh).starts_with("未找到："));
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn conflict_and_already_exists_are_told_apart() {
        let conflict = r#"{"kind":"Status","status":"Failure","message":"the object has been modified","reason":"Conflict","code":409}"#;
        let exists = r#"{"kind":"Status","status":"Failure","message":"already exists","reason":"AlreadyExists","code":409}"#;
        assert!(ApiError::from_response("u", 409, conflict).is_conflict());
        let e = ApiError::from_response("u", 409, exists);
        assert!(!e.is_conflict());
        assert_eq!(e.message(Locale::En), "Already exists: already exists");
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn proxy_errors_without_status_are_unreachable() {
        let e = ApiError::from_response("/k8s/api", 502, "<html>Bad Gateway</html>");
        assert!(e.is_unreachable());
        assert_eq!(e.message(Locale::En), "HTTP 502: <html>Bad Gateway</html>");
        let long = "x".repeat(10_000);
        match ApiError::from_response("u", 500, &long) {
            ApiError::Http { body, .. } => assert_eq!(body.len(), BODY_EXCERPT),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn status_code_defaults_to_the_http_code() {
        let e = ApiError::from_response(
            "u",
            403,
            r#"{"kind":"Status","message":"nope","reason":"Forbidden"}"#,
        );
        assert!(e.is_forbidden());
        assert!(
            ApiError::from_response("u", 401, r#"{"message":"Unauthorized","code":401}"#)
                .is_unauthorized()
        );
        assert!(ApiError::from_response(
            "u",
            410,
            r#"{"message":"too old resource version","reason":"Expired","code":410}"#
        )
        .is_gone());
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn network_errors() {
        let e = ApiError::Network {
            url: "/k8s/api".into(),
            message: "Failed to fetch".into(),
        };
        assert!(e.is_unreachable());
        assert_eq!(e.url(), "/k8s/api");
        assert_eq!(e.message(Locale::En), "Network error: Failed to fetch");
        // no reason from the browser: a translated sentence, never a JsValue's Debug form
        let silent = ApiError::Network {
            url: "/k8s/api".into(),
            message: String::new(),
        };
        assert_eq!(
            silent.message(Locale::Zh),
            "网络错误：连接失败，浏览器未给出原因。"
        );
    }
}
