//! Flux HelmRelease objects in the cluster, whose `spec.driftDetection` says
//! how the drift of their objects is to be handled. Read only where the
//! cluster serves the kind (Flux installed), one LIST per namespace.

use std::collections::BTreeSet;

use kube::api::{Api, DynamicObject, ListParams};

use crate::cluster::{ApiCatalog, ClusterError};
use crate::object::{Manifest, ReleaseRef};

/// API group of Flux's HelmRelease.
pub const FLUX_HELM_GROUP: &str = "helm.toolkit.fluxcd.io";

/// The HelmRelease objects in `namespaces`; empty when Flux's HelmRelease kind is not served.
pub async fn read_flux_helm_releases(
    client: &kube::Client,
    namespaces: &BTreeSet<String>,
) -> Result<Vec<Manifest>, ClusterError> {
    if namespaces.is_empty() {
        return Ok(Vec::new());
    }
    let catalog = ApiCatalog::discover(client, &std::iter::once(FLUX_HELM_GROUP.to_string()).collect()).await?;
    // The newest served version: v2, else a beta.
    let Some(info) = ["v2", "v2beta2", "v2beta1"]
        .iter()
        .find_map(|v| catalog.lookup(&format!("{FLUX_HELM_GROUP}/{v}"), "HelmRelease").ok())
        .cloned()
    else {
        return Ok(Vec::new());
    };
    let mut releases = Vec::new();
    for namespace in namespaces {
        let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), namespace, &info.resource);
        let list = api
            .list(&ListParams::default())
            .await
            .map_err(|source| ClusterError::api(format!("listing HelmReleases in namespace {namespace}"), source))?;
        for item in list.items {
            let mut value = serde_json::to_value(item)
                .map_err(|source| ClusterError::Decode { what: "a HelmRelease".into(), source })?;
            value["apiVersion"] = info.resource.api_version.clone().into();
            value["kind"] = "HelmRelease".into();
            releases.push(Manifest(value));
        }
    }
    Ok(releases)
}

/// The Flux HelmRelease (`NAMESPACE/NAME`) whose status records `release`'s
/// revision as one Flux applied: an entry of `status.history` (v2) with the
/// release's name, namespace and version, or `status.lastReleaseRevision`
/// (v2beta1) of the release it deploys. A revision someone made by hand with
/// `helm upgrade` is in neither.
pub fn applied_by(helm_releases: &[Manifest], release: &ReleaseRef) -> Option<String> {
    helm_releases.iter().find_map(|helm_release| {
        let status = helm_release.0.get("status")?;
        let in_history = status.get("history").and_then(|h| h.as_array()).is_some_and(|history| {
            history.iter().any(|entry| {
                entry.get("name").and_then(|v| v.as_str()) == Some(release.name.as_str())
                    && entry.get("namespace").and_then(|v| v.as_str()) == Some(release.namespace.as_str())
                    && entry.get("version").and_then(|v| v.as_u64()) == Some(release.revision)
            })
        });
        let last = status.get("lastReleaseRevision").and_then(|v| v.as_u64()) == Some(release.revision)
            && deployed_release(helm_release) == (release.namespace.clone(), release.name.clone());
        (in_history || last)
            .then(|| format!("{}/{}", helm_release.namespace().unwrap_or("default"), helm_release.name()))
    })
}

/// The (storage namespace, release name) a HelmRelease deploys: `spec.releaseName`, else
/// `TARGETNAMESPACE-NAME` with a target namespace, else its own name; stored in
/// `spec.storageNamespace`, else its own namespace.
fn deployed_release(helm_release: &Manifest) -> (String, String) {
    let spec = helm_release.0.get("spec");
    let text = |field: &str| spec.and_then(|s| s.get(field)).and_then(|v| v.as_str()).filter(|v| !v.is_empty());
    let name = match (text("releaseName"), text("targetNamespace")) {
        (Some(name), _) => name.to_string(),
        (None, Some(target)) => format!("{target}-{}", helm_release.name()),
        (None, None) => helm_release.name().to_string(),
    };
    let namespace = text("storageNamespace").or(helm_release.namespace()).unwrap_or("default").to_string();
    (namespace, name)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn revision(revision: u64) -> ReleaseRef {
        ReleaseRef {
            namespace: "apps".into(),
            name: "web".into(),
            revision,
            chart: "web-1.0.0".into(),
            description: String::new(),
            provenance: None,
        }
    }

    #[test]
    fn a_revision_flux_recorded_is_named_and_a_hand_made_one_is_not() {
        let v2 = Manifest(json!({"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
            "metadata": {"name": "web", "namespace": "apps"},
            "status": {"history": [{"name": "web", "namespace": "apps", "version": 2}, {"name": "web", "namespace": "apps", "version": 1}]}}));
        assert_eq!(applied_by(std::slice::from_ref(&v2), &revision(2)).as_deref(), Some("apps/web"));
        assert_eq!(applied_by(std::slice::from_ref(&v2), &revision(3)), None);
        let beta = Manifest(json!({"apiVersion": "helm.toolkit.fluxcd.io/v2beta1", "kind": "HelmRelease",
            "metadata": {"name": "front", "namespace": "flux-system"},
            "spec": {"releaseName": "web", "storageNamespace": "apps"},
            "status": {"lastReleaseRevision": 3}}));
        assert_eq!(applied_by(std::slice::from_ref(&beta), &revision(3)).as_deref(), Some("flux-system/front"));
        assert_eq!(applied_by(&[beta], &revision(4)), None);
    }
}
