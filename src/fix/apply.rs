//! Writes one planned repair: a forced server-side apply under the planned
//! field manager (or a create through the same apply, or a delete), then the
//! removal of hand-added fields that an apply cannot take away (they belong
//! to another manager). `preview_fix` sends the same requests as dry-runs.

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
        FixAction::Apply | FixAction::Create => {
            let body = fix.body.as_ref().ok_or("no object to apply (internal error)")?;
            let mut params = PatchParams::apply(&fix.manager).force();
            params.dry_run = dry_run;
            api.patch(name, &params, &Patch::Apply(&body.0)).await.map_err(describe)?;
            if fix.removals.is_empty() {
                return Ok(());
            }
            let operations: Vec<json_patch::PatchOperation> = fix
                .removals
                .iter()
                .map(|path| {
                    json_patch::PatchOperation::Remove(json_patch::RemoveOperation {
                        path: path.to_string().parse().expect("a pointer prints as a valid pointer"),
                    })
                })
                .collect();
            let params = PatchParams { field_manager: Some(fix.manager.clone()), dry_run, ..Default::default() };
            api.patch(name, &params, &Patch::<()>::Json(json_patch::Patch(operations)))
                .await
                .map(|_| ())
                .map_err(|e| format!("removing fields added by hand: {}", describe(e)))
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
