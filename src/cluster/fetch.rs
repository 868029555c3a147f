//! Batched read of live objects: one LIST per (resource, namespace) that the
//! desired objects touch, run with bounded concurrency, instead of one GET
//! per object. Objects come back whole (managedFields included).

use std::collections::{BTreeMap, HashMap};

use kube::api::{Api, DynamicObject, ListParams};

use super::ClusterError;
use super::batch::run_bounded;
use super::resources::ResourceInfo;
use crate::object::{Manifest, ObjectRef};

/// One LIST to make: a resource in a namespace (`None`: cluster-scoped or all namespaces).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ListKey {
    /// `apiVersion` listed.
    pub api_version: String,
    /// Plural resource name.
    pub plural: String,
    /// Namespace, or `None` for a cluster-scoped resource.
    pub namespace: Option<String>,
}

/// The result of the batched read.
#[derive(Debug, Default)]
pub struct Fetched {
    /// Every object the LISTs returned, by identity.
    pub objects: HashMap<ObjectRef, Manifest>,
    /// LISTs that failed, with the API error (e.g. forbidden by RBAC).
    pub failures: HashMap<ListKey, String>,
}

/// Lists every (resource, namespace) in `lists`, calling `progress` with the
/// number of LISTs done after each one.
pub async fn fetch_lists(
    client: &kube::Client,
    lists: BTreeMap<ListKey, ResourceInfo>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Fetched {
    let jobs: Vec<_> = lists
        .into_iter()
        .map(|(key, info)| {
            let client = client.clone();
            let job_key = key.clone();
            (key, async move { list_one(&client, &job_key, &info).await })
        })
        .collect();
    let mut fetched = Fetched::default();
    for (key, result) in run_bounded(jobs, progress).await {
        match result {
            Ok(Ok(objects)) => fetched.objects.extend(objects.into_iter().map(|m| (m.object_ref(), m))),
            Ok(Err(err)) => {
                fetched.failures.insert(key, crate::error_chain::one_line(&err));
            }
            Err(message) => {
                fetched.failures.insert(key, message);
            }
        }
    }
    fetched
}

async fn list_one(client: &kube::Client, key: &ListKey, info: &ResourceInfo) -> Result<Vec<Manifest>, ClusterError> {
    let api: Api<DynamicObject> = match &key.namespace {
        Some(ns) => Api::namespaced_with(client.clone(), ns, &info.resource),
        None => Api::all_with(client.clone(), &info.resource),
    };
    let where_ = key.namespace.as_deref().map(|ns| format!(" in namespace {ns}")).unwrap_or_default();
    let list = api
        .list(&ListParams::default())
        .await
        .map_err(|source| ClusterError::api(format!("listing {}{where_}", info.resource.plural), source))?;
    list.items
        .into_iter()
        .map(|item| {
            let mut value = serde_json::to_value(&item).map_err(|source| ClusterError::Decode {
                what: format!("a {} from the API server", info.resource.kind),
                source,
            })?;
            // Items of a LIST omit apiVersion and kind; they are the listed resource's.
            if let Some(map) = value.as_object_mut() {
                map.insert("apiVersion".into(), info.resource.api_version.clone().into());
                map.insert("kind".into(), info.resource.kind.clone().into());
            }
            Ok(Manifest(value))
        })
        .collect()
}
