//! Writes one planned repair (see `plan` for the why): the guarded JSON patch,
//! then, for a server-side deployer, the forced apply; a forced server-side
//! apply that re-creates a missing object; or a delete. `preview_fix` sends
//! the same requests as dry-runs.

use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams};

use super::{FixAction, PlannedFix};
use crate::cluster::ResourceInfo;

fn api_for(client: &kube::Client, fix: &PlannedFix, info: &ResourceInfo) -> Api<DynamicObject> {
    match fix.reference.namespace.as_deref().filter(|_| info.namespaced) {
        Some(ns) => Api::namespaced_with(client.clone(), ns, &info.resource),
        None => Api::all_with(client.clone(), &info.resource),
    }
}

/// Sends the repair as a server-side dry-run: validation, admission and
/// immutable-field errors come back without anything being written.
pub async fn preview_fix(client: &kube::Client, fix: &PlannedFix, info: &ResourceInfo) -> Result<(), String> {
    write(client, fix, info, true).await
}

/// Writes the repair.
pub async fn apply_fix(client: &kube::Client, fix: &PlannedFix, info: &ResourceInfo) -> Result<(), String> {
    write(client, fix, info, false).await
}

async fn write(client: &kube::Client, fix: &PlannedFix, info: &ResourceInfo, dry_run: bool) -> Result<(), String> {
    let api = api_for(client, fix, info);
    let name = &fix.reference.name;
    match fix.action {
        FixAction::Skip => Ok(()),
        FixAction::Delete => {
            let params = DeleteParams { dry_run, ..Default::default() };
            api.delete(name, &params).await.map(|_| ()).map_err(describe)
        }
        FixAction::Create => {
            let body = fix.body.as_ref().ok_or("no object to create (internal error)")?;
            let mut params = PatchParams::apply(&fix.manager).force();
            params.dry_run = dry_run;
            api.patch(name, &params, &Patch::Apply(&body.0)).await.map(|_| ()).map_err(describe)
        }
        FixAction::Apply => {
            if !fix.patch.is_empty() {
                let patch: json_patch::Patch = serde_json::from_value(serde_json::Value::Array(fix.patch.clone()))
                    .map_err(|e| format!("internal error building the patch: {e}"))?;
                let params = PatchParams { field_manager: Some(fix.manager.clone()), dry_run, ..Default::default() };
                api.patch(name, &params, &Patch::<()>::Json(patch)).await.map_err(|e| match e {
                    kube::Error::Api(status) if status.code == 422 && status.message.contains("test") => format!(
                        "the object changed while being repaired ({}); nothing was written, run the check again",
                        status.message
                    ),
                    other => describe(other),
                })?;
            }
            let Some(body) = &fix.body else { return Ok(()) };
            if dry_run && !fix.preview_apply && !fix.patch.is_empty() {
                // The apply builds on the patch, which a dry-run does not keep.
                return Ok(());
            }
            let mut params = PatchParams::apply(&fix.manager).force();
            params.dry_run = dry_run;
            api.patch(name, &params, &Patch::Apply(&body.0)).await.map(|_| ()).map_err(describe)
        }
    }
}

/// The API server's message, which names the field and the rule it broke.
fn describe(error: kube::Error) -> String {
    match error {
        kube::Error::Api(status) => format!("{} ({})", status.message, status.reason),
        other => other.to_string(),
    }
}
