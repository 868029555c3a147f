//! Flux HelmRelease objects in the cluster, whose `spec.driftDetection` says
//! how the drift of their objects is to be handled. Read only where the
//! cluster serves the kind (Flux installed), one LIST per namespace.

use std::collections::BTreeSet;

use kube::api::{Api, DynamicObject, ListParams};

use crate::cluster::{ApiCatalog, ClusterError};
use crate::object::Manifest;

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
