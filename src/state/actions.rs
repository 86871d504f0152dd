//! Writes and their multi-step flows: enable (create), edit (merge patch + 409 rebase), disable,
//! legacy update. Views call these with **owned** inputs and get an owned outcome back; nothing
//! here touches a signal, so a dialog closed while its request is in flight cannot make the
//! flow read a disposed value (with `panic = "abort"` that would end the app).

use gateway_model::form::{gateway_changes, GatewayForm, RebaseConflict};
use gateway_model::gateway::Gateway;
use gateway_model::json_diff::Change;
use gateway_model::legacy::LegacyGateway;
use gateway_model::names::GatewayScope;

use crate::api::access::who_am_i;
use crate::api::gateways::{
    create_gateway, delete_gateway, dry_run_create_gateway, get_gateway, patch_gateway,
};
use crate::api::legacy::{delete_legacy, legacy_config};
use crate::api::{ApiError, KubeClient};

/// What the Enable / Edit dialog is for.
#[derive(Clone, Debug)]
pub enum DialogTarget {
    /// Enable a new gateway of `scope` (placed per the working namespace).
    Create {
        scope: GatewayScope,
        working_namespace: Option<String>,
    },
    /// Edit this gateway (a snapshot: the edit base until a conflict moves it); with
    /// `focus_config`, opened on its Configuration Options.
    Edit {
        gateway: Box<Gateway>,
        focus_config: bool,
    },
}

/// The result of a save.
#[derive(Clone, Debug)]
pub enum SaveOutcome {
    /// Stored; the server's object.
    Saved(Box<Gateway>),
    /// An edit without changes: nothing was sent.
    Unchanged,
    /// Someone else changed the gateway since `base`: the user's edits re-applied on the latest
    /// version, what the other side changed, and where both touched the same thing.
    Conflict {
        latest: Box<Gateway>,
        rebased: Box<GatewayForm>,
        theirs: Vec<Change>,
        overlaps: Vec<RebaseConflict>,
    },
    /// Refused or failed; the form stays as it is.
    Failed(ApiError),
}

/// The user name to record as creator. Only a server without SelfSubjectReview (404) may leave
/// it out; any other failure fails the save (a network error must not silently drop it).
async fn creator(client: &KubeClient) -> Result<Option<String>, ApiError> {
    match who_am_i(client).await {
        Ok(name) => Ok(name),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

/// Saves `form`: creates the gateway of a `Create` target, or patches what changed since `base`
/// (the version the form was opened on, or rebased onto) for an `Edit`.
pub async fn save_gateway(
    client: &KubeClient,
    target: &DialogTarget,
    form: &GatewayForm,
    base: Option<&Gateway>,
) -> SaveOutcome {
    match target {
        DialogTarget::Create {
            scope,
            working_namespace,
        } => {
            let creator = match creator(client).await {
                Ok(c) => c,
                Err(e) => return SaveOutcome::Failed(e),
            };
            let gateway =
                form.to_new_gateway(scope, working_namespace.as_deref(), creator.as_deref());
            match create_gateway(client, &gateway).await {
                Ok(g) => SaveOutcome::Saved(Box::new(g)),
                Err(e) => SaveOutcome::Failed(e),
            }
        }
        DialogTarget::Edit { gateway, .. } => {
            let original = base.unwrap_or(gateway);
            if !form.has_changes(original) {
                return SaveOutcome::Unchanged;
            }
            // A conflict where nobody changed the spec or metadata (the operator writes status
            // all the time) is not the user's business: the same edits go onto the latest
            // version. Anything else is shown.
            let mut version = original.clone();
            let mut attempts = 0;
            loop {
                attempts += 1;
                let patch = form.merge_patch(&version);
                match patch_gateway(client, version.namespace(), version.name(), &patch).await {
                    Ok(g) => return SaveOutcome::Saved(Box::new(g)),
                    Err(e) if e.is_conflict() => {
                        let latest =
                            match get_gateway(client, version.namespace(), version.name()).await {
                                Ok(latest) => latest,
                                Err(e) => return SaveOutcome::Failed(e),
                            };
                        let theirs = gateway_changes(original, &latest);
                        if theirs.is_empty() && attempts < 3 {
                            version = latest;
                            continue;
                        }
                        let rebased = form.rebase(original, &latest);
                        return SaveOutcome::Conflict {
                            theirs,
                            overlaps: rebased.conflicts,
                            rebased: Box::new(rebased.form),
                            latest: Box::new(latest),
                        };
                    }
                    Err(e) => return SaveOutcome::Failed(e),
                }
            }
        }
    }
}

/// The result of a scale.
#[derive(Clone, Debug)]
pub enum ScaleOutcome {
    /// Stored; the server's object.
    Scaled(Box<Gateway>),
    /// Someone else changed the replicas since the user looked: nothing was written.
    ChangedMeanwhile { now: i32 },
    /// Refused or failed (403, 422, …).
    Failed(ApiError),
}

/// Sets `spec.deployment.replicas` of the **Gateway** to `target` with a merge patch guarded by
/// the resourceVersion the user saw (never the Deployment: the operator would revert that). A
/// conflict caused by a change elsewhere (the operator writes status all the time) is retried on
/// the latest version; one that changed the replicas is reported, not overwritten.
pub async fn scale_gateway(client: &KubeClient, seen: &Gateway, target: i32) -> ScaleOutcome {
    let (namespace, name) = (seen.namespace().to_string(), seen.name().to_string());
    let mut version = seen.resource_version().map(str::to_string);
    let seen_replicas = seen.desired_replicas();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let patch = serde_json::json!({
            "metadata": {"resourceVersion": version},
            "spec": {"deployment": {"replicas": target}},
        });
        match patch_gateway(client, &namespace, &name, &patch).await {
            Ok(g) => return ScaleOutcome::Scaled(Box::new(g)),
            Err(e) if e.is_conflict() && attempts >= 3 => return ScaleOutcome::Failed(e),
            Err(e) if e.is_conflict() => match get_gateway(client, &namespace, &name).await {
                Ok(latest) if latest.desired_replicas() != seen_replicas => {
                    return ScaleOutcome::ChangedMeanwhile {
                        now: latest.desired_replicas(),
                    }
                }
                Ok(latest) => version = latest.resource_version().map(str::to_string),
                Err(e) => return ScaleOutcome::Failed(e),
            },
            Err(e) => return ScaleOutcome::Failed(e),
        }
    }
}

/// One gateway to disable.
#[derive(Clone, Debug, PartialEq)]
pub struct DisableTarget {
    pub namespace: String,
    pub name: String,
    pub uid: Option<String>,
}

impl DisableTarget {
    pub fn of(gateway: &Gateway) -> Self {
        DisableTarget {
            namespace: gateway.namespace().to_string(),
            name: gateway.name().to_string(),
            uid: gateway.metadata.uid.clone(),
        }
    }
}

/// Disables (deletes) each target, guarded by its uid; a gateway already gone counts as done.
/// Returns the failures: (name, error).
pub async fn disable_gateways(
    client: &KubeClient,
    targets: &[DisableTarget],
) -> Vec<(String, ApiError)> {
    let mut failed = Vec::new();
    for target in targets {
        match delete_gateway(
            client,
            &target.namespace,
            &target.name,
            target.uid.as_deref(),
        )
        .await
        {
            Ok(()) => {}
            Err(e) if e.is_not_found() => {}
            Err(e) => failed.push((target.name.clone(), e)),
        }
    }
    failed
}

/// A legacy gateway's update in progress. The Gateway is built once, from the legacy ConfigMap
/// **before** it is removed, and kept across retries: a retry after the legacy objects are gone
/// creates exactly what the first attempt would have (nginx options included).
#[derive(Clone, Debug)]
pub struct LegacyUpdate {
    pub legacy: LegacyGateway,
    pub working_namespace: Option<String>,
    /// The Gateway to create, once built.
    pub gateway: Option<Gateway>,
    /// True once the legacy Service/Deployment/ConfigMap are removed.
    pub legacy_removed: bool,
}

impl LegacyUpdate {
    pub fn new(legacy: LegacyGateway, working_namespace: Option<String>) -> Self {
        LegacyUpdate {
            legacy,
            working_namespace,
            gateway: None,
            legacy_removed: false,
        }
    }

    /// Runs the remaining steps: build the Gateway (legacy options + creator), validate it with a
    /// dry run, remove the legacy objects, create the Gateway. Progress is kept in `self` whether
    /// it succeeds or not, so calling it again retries only what is left.
    pub async fn run(&mut self, client: &KubeClient) -> Result<Gateway, ApiError> {
        if self.gateway.is_none() {
            let config = legacy_config(client, &self.legacy).await?;
            let creator = creator(client).await?;
            self.gateway = Some(self.legacy.to_form(&config).to_new_gateway(
                &self.legacy.scope(),
                self.working_namespace.as_deref(),
                creator.as_deref(),
            ));
        }
        let gateway = self.gateway.clone().unwrap_or_default();
        if !self.legacy_removed {
            dry_run_create_gateway(client, &gateway).await?;
            delete_legacy(client, &self.legacy).await?;
            self.legacy_removed = true;
        }
        create_gateway(client, &gateway).await
    }
}
