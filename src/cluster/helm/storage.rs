//! Reads Helm's release storage from the cluster: Secrets of type
//! `helm.sh/release.v1` (the default driver) and ConfigMaps (the ConfigMap
//! driver), both labelled `owner=helm`, one LIST each per namespace. Never
//! writes to them.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::api::{Api, ListParams};

use super::release::{Release, ReleaseDecodeError, decode_release};
use crate::cluster::ClusterError;

/// Type of the Secrets Helm stores releases in.
pub const RELEASE_SECRET_TYPE: &str = "helm.sh/release.v1";

/// One stored revision of a release.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseRecord {
    /// Revision, from the `version` label.
    pub revision: u64,
    /// Status, from the `status` label (the decoded release's own status wins when readable).
    pub status: String,
    /// The storage object, e.g. `Secret sh.helm.release.v1.web.v3`.
    pub storage: String,
    /// The decoded release, or why it could not be decoded.
    pub release: Result<Release, ReleaseDecodeError>,
}

/// Every stored revision of one release.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseHistory {
    /// Release namespace.
    pub namespace: String,
    /// Release name.
    pub name: String,
    /// Revisions, oldest first.
    pub records: Vec<ReleaseRecord>,
}

impl ReleaseHistory {
    /// The newest revision.
    pub fn latest(&self) -> Option<&ReleaseRecord> {
        self.records.last()
    }

    /// The newest revision whose status is `deployed`: what is running, as Helm sees it.
    pub fn deployed(&self) -> Option<&ReleaseRecord> {
        self.records.iter().rev().find(|r| r.status == "deployed")
    }
}

/// Reads every release stored in `namespace` (all namespaces when `None`).
pub async fn read_releases(
    client: &kube::Client,
    namespace: Option<&str>,
) -> Result<Vec<ReleaseHistory>, ClusterError> {
    let params = ListParams::default().labels("owner=helm");
    let (secrets, config_maps): (Api<Secret>, Api<ConfigMap>) = match namespace {
        Some(ns) => (Api::namespaced(client.clone(), ns), Api::namespaced(client.clone(), ns)),
        None => (Api::all(client.clone()), Api::all(client.clone())),
    };
    let api_error = |what: &str, source| ClusterError::api(format!("listing Helm release {what}"), source);
    let mut records: BTreeMap<(String, String), Vec<ReleaseRecord>> = BTreeMap::new();
    for secret in secrets.list(&params).await.map_err(|e| api_error("Secrets", e))? {
        if secret.type_.as_deref() != Some(RELEASE_SECRET_TYPE) {
            continue;
        }
        // The API already removed its base64 layer; what is left is Helm's own base64 text.
        let payload =
            secret.data.as_ref().and_then(|d| d.get("release")).map(|b| String::from_utf8_lossy(&b.0).into_owned());
        let key = (secret.metadata.namespace.clone().unwrap_or_default(), label(&secret.metadata, "name"));
        records.entry(key).or_default().push(record(&secret.metadata, "Secret", payload));
    }
    for config_map in config_maps.list(&params).await.map_err(|e| api_error("ConfigMaps", e))? {
        let payload = config_map.data.as_ref().and_then(|d| d.get("release")).cloned();
        let key = (config_map.metadata.namespace.clone().unwrap_or_default(), label(&config_map.metadata, "name"));
        records.entry(key).or_default().push(record(&config_map.metadata, "ConfigMap", payload));
    }
    Ok(records
        .into_iter()
        .map(|((namespace, name), mut records)| {
            records.sort_by_key(|r| r.revision);
            ReleaseHistory { namespace, name, records }
        })
        .collect())
}

fn label(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta, key: &str) -> String {
    meta.labels.as_ref().and_then(|l| l.get(key)).cloned().unwrap_or_default()
}

fn record(
    meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    kind: &str,
    payload: Option<String>,
) -> ReleaseRecord {
    let release = payload
        .ok_or_else(|| ReleaseDecodeError::Json("the storage object has no `release` data".into()))
        .and_then(|p| decode_release(&p));
    let status = match &release {
        Ok(r) if !r.status.is_empty() => r.status.clone(),
        _ => label(meta, "status"),
    };
    ReleaseRecord {
        revision: label(meta, "version").parse().unwrap_or(0),
        status,
        storage: format!("{kind} {}", meta.name.clone().unwrap_or_default()),
        release,
    }
}
