//! The live leg for a set of desired objects whose identities are settled:
//! one LIST per (resource, namespace) from a cluster, or the objects a
//! snapshot holds, and the objects that cannot be read, with why.
//!
//! Must not change the desired objects: their identities are final before
//! the live read (the pipeline settles them from discovery).

use std::collections::{BTreeMap, HashMap};

use super::fetch::{ListKey, fetch_lists};
use super::resources::ResourceInfo;
use super::snapshot::Snapshot;
use super::{ClusterError, Connection};
use crate::object::{Manifest, ObjectRef};

/// Why one object has no live leg to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// The cluster does not serve the kind or version.
    UnknownKind(String),
    /// Reading failed (RBAC, network…).
    Error(String),
}

/// The live objects that matter for a set of desired objects.
#[derive(Debug, Default, Clone)]
pub struct LiveObjects {
    /// Live objects by identity (absent: the object does not exist).
    pub objects: HashMap<ObjectRef, Manifest>,
    /// Desired objects that could not be read, and why.
    pub unreadable: HashMap<ObjectRef, Unreadable>,
}

/// Reads the live objects from the cluster with one LIST per (resource, namespace):
/// `wanted` names each object and the resource that serves it.
pub async fn read_cluster<'a>(
    connection: &Connection,
    wanted: impl IntoIterator<Item = (&'a ObjectRef, &'a ResourceInfo)>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<LiveObjects, ClusterError> {
    let mut lists = BTreeMap::new();
    let mut members: HashMap<ListKey, Vec<ObjectRef>> = HashMap::new();
    for (reference, info) in wanted {
        let key = ListKey {
            api_version: info.resource.api_version.clone(),
            plural: info.resource.plural.clone(),
            namespace: reference.namespace.clone().filter(|_| info.namespaced),
        };
        members.entry(key.clone()).or_default().push(reference.clone());
        lists.insert(key, info.clone());
    }
    let fetched = fetch_lists(&connection.client, lists, progress).await;
    let mut live = LiveObjects { objects: fetched.objects, unreadable: HashMap::new() };
    for (key, message) in fetched.failures {
        for reference in members.get(&key).into_iter().flatten() {
            live.unreadable.insert(reference.clone(), Unreadable::Error(message.clone()));
        }
    }
    Ok(live)
}

/// The live objects of a snapshot: an object absent from it is absent from the cluster.
pub fn read_snapshot<'a>(snapshot: &Snapshot, wanted: impl IntoIterator<Item = &'a ObjectRef>) -> LiveObjects {
    let objects = wanted.into_iter().filter_map(|r| snapshot.get(r).map(|live| (r.clone(), live.clone()))).collect();
    LiveObjects { objects, unreadable: HashMap::new() }
}
