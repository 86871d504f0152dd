//! Who is calling (`--as`) and what they may do; SelfSubjectAccessReview answers from the same rules.

use gateway_model::names::{GatewayScope, CONTROLS_NAMESPACE};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum User {
    /// Everything.
    Admin,
    /// Read everything; write only inside its project and its project's gateway.
    ProjectAdmin(String),
    /// Read only.
    Viewer,
}

impl User {
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "admin" => Ok(User::Admin),
            "viewer" => Ok(User::Viewer),
            _ => match s.strip_prefix("project-admin:") {
                Some(ns) if !ns.is_empty() => Ok(User::ProjectAdmin(ns.to_string())),
                _ => Err(format!(
                    "unknown user {s:?}: expected admin, viewer or project-admin:<namespace>"
                )),
            },
        }
    }

    pub fn name(&self) -> String {
        match self {
            User::Admin => "admin".into(),
            User::Viewer => "viewer".into(),
            User::ProjectAdmin(ns) => format!("{ns}-admin"),
        }
    }

    pub fn groups(&self) -> Vec<String> {
        vec!["system:authenticated".into()]
    }

    /// Whether this user may do `verb` on `resource` (plural, group) in `namespace` (`None` = cluster scope),
    /// optionally on the object `name`.
    pub fn allows(
        &self,
        verb: &str,
        group: &str,
        resource: &str,
        namespace: Option<&str>,
        name: Option<&str>,
    ) -> bool {
        let read = matches!(verb, "get" | "list" | "watch");
        match self {
            User::Admin => true,
            User::Viewer => read,
            User::ProjectAdmin(project) => {
                if read {
                    return true;
                }
                if group == "gateway.kubesphere.io" && resource == "gateways" {
                    let own = GatewayScope::for_project(project).gateway_name();
                    let in_place = namespace == Some(CONTROLS_NAMESPACE)
                        || namespace == Some(project.as_str());
                    // create carries no name in the URL: allowed in the working namespace, and the
                    // name is checked against the body by the request handler
                    return in_place && name.is_none_or(|n| n == own);
                }
                namespace == Some(project.as_str())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        let pa = User::parse("project-admin:demo").unwrap();
        assert!(pa.allows("list", "", "pods", None, None));
        assert!(pa.allows(
            "patch",
            "gateway.kubesphere.io",
            "gateways",
            Some("kubesphere-controls-system"),
            Some("kubesphere-router-demo")
        ));
        assert!(!pa.allows(
            "patch",
            "gateway.kubesphere.io",
            "gateways",
            Some("kubesphere-controls-system"),
            Some("kubesphere-router-kubesphere-system")
        ));
        assert!(!pa.allows("delete", "", "configmaps", Some("other"), Some("x")));
        assert!(pa.allows("delete", "", "configmaps", Some("demo"), Some("x")));
        assert!(!User::Viewer.allows("create", "", "configmaps", Some("demo"), None));
        assert!(User::parse("root").is_err());
    }
}
