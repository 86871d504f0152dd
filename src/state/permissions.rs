//! What the user may do with gateways in a namespace, asked once per view with
//! SelfSubjectAccessReview (`kubectl auth can-i`). Buttons for denied actions are disabled with a
//! tooltip naming the missing permission; when the review itself fails the action stays enabled
//! and the server's 403, if any, is shown.

use gateway_model::names::{GATEWAY_GROUP, GATEWAY_PLURAL};
use leptos::prelude::*;

use std::collections::HashMap;

use crate::api::access::can_i;
use crate::api::{abort_on_cleanup, ApiError, KubeClient};
use crate::i18n::tr;

/// The answer for one verb.
#[derive(Clone, Debug, PartialEq)]
pub enum Access {
    /// The review is in flight.
    Checking,
    /// Allowed (or the review could not be made: the server decides).
    Allowed,
    /// Denied, with the authorizer's reason when it gave one.
    Denied { reason: Option<String> },
}

impl Access {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Access::Allowed)
    }
}

/// The gateway verbs the UI needs in one namespace.
#[derive(Clone, Copy)]
pub struct GatewayAccess {
    pub namespace: StoredValue<String>,
    pub create: Signal<Access>,
    pub patch: Signal<Access>,
    pub delete: Signal<Access>,
}

fn review(
    client: KubeClient,
    verb: &'static str,
    namespace: String,
    name: Option<String>,
) -> Signal<Access> {
    // the review is abandoned with the view that asked
    let abort = StoredValue::new_local(abort_on_cleanup());
    let answer = LocalResource::new(move || {
        let client = client.clone();
        let namespace = namespace.clone();
        let name = name.clone();
        let abort = abort.try_get_value().flatten();
        async move {
            let answer = can_i(
                &client,
                verb,
                GATEWAY_GROUP,
                GATEWAY_PLURAL,
                (!namespace.is_empty()).then_some(namespace.as_str()),
                name.as_deref(),
                abort.as_ref(),
            );
            match answer.await {
                Ok(a) if a.allowed => Access::Allowed,
                Ok(a) => Access::Denied { reason: a.reason },
                Err(ApiError::Aborted) => Access::Checking,
                Err(_) => Access::Allowed,
            }
        }
    });
    Signal::derive(move || answer.get().unwrap_or(Access::Checking))
}

impl GatewayAccess {
    /// Reviews create on gateways in `namespace` (empty: in all namespaces), and patch and
    /// delete of the gateway `name` there (RBAC may grant those per object), or of any gateway
    /// there when `name` is `None`.
    pub fn check(client: KubeClient, namespace: &str, name: Option<&str>) -> Self {
        let ns = || namespace.to_string();
        let name = name.map(str::to_string);
        GatewayAccess {
            namespace: StoredValue::new(ns()),
            create: review(client.clone(), "create", ns(), None),
            patch: review(client.clone(), "patch", ns(), name.clone()),
            delete: review(client, "delete", ns(), name),
        }
    }

    /// The answer for `verb` (`create`, `patch`, anything else reads as `delete`).
    fn access(&self, verb: &str) -> Access {
        match verb {
            "create" => self.create.get(),
            "patch" => self.patch.get(),
            _ => self.delete.get(),
        }
    }

    /// The tooltip for a denied verb; `None` when allowed or still checking.
    pub fn denied_tip(&self, verb: &str) -> Option<String> {
        match self.access(verb) {
            Access::Denied { reason } => {
                let namespace = self.namespace.get_value();
                let resource = format!("{GATEWAY_PLURAL}.{GATEWAY_GROUP}");
                let mut tip = if namespace.is_empty() {
                    tr(
                        "NO_PERMISSION_ALL_NAMESPACES",
                        &[("verb", verb), ("resource", &resource)],
                    )
                } else {
                    tr(
                        "NO_PERMISSION",
                        &[
                            ("verb", verb),
                            ("resource", &resource),
                            ("namespace", &namespace),
                        ],
                    )
                };
                if let Some(r) = reason {
                    tip.push_str(" (");
                    tip.push_str(&r);
                    tip.push(')');
                }
                Some(tip)
            }
            _ => None,
        }
    }

    /// True when the verb may be attempted (allowed, or the review failed).
    pub fn allows(&self, verb: &str) -> bool {
        self.access(verb).is_allowed()
    }
}

/// Gateway permissions per namespace (each project gateway in its own project): reviewed once
/// per namespace, the first time a row of it is shown, and kept — with their requests — for as
/// long as the view that made this lives, not only the row.
#[derive(Clone, Copy)]
pub struct AccessByNamespace {
    client: StoredValue<KubeClient>,
    owner: StoredValue<Owner>,
    reviewed: StoredValue<HashMap<String, GatewayAccess>>,
}

impl AccessByNamespace {
    pub fn new(client: KubeClient) -> Self {
        AccessByNamespace {
            client: StoredValue::new(client),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
            reviewed: StoredValue::new(HashMap::new()),
        }
    }

    /// Seeds the answer for one namespace (already reviewed by the view).
    pub fn with_known(self, namespace: &str, access: GatewayAccess) -> Self {
        self.reviewed.update_value(|m| {
            m.insert(namespace.to_string(), access);
        });
        self
    }

    /// The permissions in `namespace` (reviews start on the first call).
    pub fn of(&self, namespace: &str) -> Option<GatewayAccess> {
        if let Some(known) = self
            .reviewed
            .try_with_value(|m| m.get(namespace).copied())?
        {
            return Some(known);
        }
        let client = self.client.try_get_value()?;
        let access = self
            .owner
            .try_with_value(|owner| owner.with(|| GatewayAccess::check(client, namespace, None)))?;
        self.reviewed
            .try_update_value(|m| m.insert(namespace.to_string(), access));
        Some(access)
    }
}
