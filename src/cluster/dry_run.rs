//! `--server-side`: asks the API server what a server-side apply of the Git
//! object would produce (`dryRun=All`), so the comparison includes defaulting
//! and mutating webhooks exactly. Changes nothing in the cluster.

use kube::api::{Api, DynamicObject, Patch, PatchParams};

use super::{ClusterError, ResourceInfo};
use crate::object::Manifest;

/// Field manager named in dry-run applies.
pub const DRY_RUN_MANAGER: &str = "driftctl";

/// The object as it would be after a forced server-side apply of `desired`.
pub async fn dry_run_apply(
    client: &kube::Client,
    desired: &Manifest,
    info: &ResourceInfo,
) -> Result<Manifest, ClusterError> {
    let api: Api<DynamicObject> = match desired.namespace().filter(|_| info.namespaced) {
        Some(ns) => Api::namespaced_with(client.clone(), ns, &info.resource),
        None => Api::all_with(client.clone(), &info.resource),
    };
    let params = PatchParams::apply(DRY_RUN_MANAGER).force().dry_run();
    let result = api.patch(desired.name(), &params, &Patch::Apply(&desired.0)).await.map_err(|source| {
        ClusterError::api(format!("server-side dry-run apply of {}", desired.object_ref()), source)
    })?;
    serde_json::to_value(result)
        .map(Manifest)
        .map_err(|source| ClusterError::Decode { what: "a dry-run apply result".into(), source })
}

/// Dry-run applies of many objects, a few at a time: each `(object, resource)` gives its
/// result by identity.
pub async fn dry_run_all(
    client: &kube::Client,
    objects: Vec<(Manifest, ResourceInfo)>,
) -> std::collections::HashMap<crate::object::ObjectRef, Result<Manifest, String>> {
    let jobs: Vec<_> = objects
        .into_iter()
        .map(|(manifest, info)| {
            let client = client.clone();
            let reference = manifest.object_ref();
            (reference, async move { dry_run_apply(&client, &manifest, &info).await.map_err(|e| e.to_string()) })
        })
        .collect();
    super::batch::run_bounded(jobs, &|_, _| {})
        .await
        .into_iter()
        .map(|(reference, result)| (reference, result.and_then(|r| r)))
        .collect()
}
