//! The live leg for a set of desired objects, from a cluster or a snapshot:
//! settles each object's namespace from its kind's scope (and drops the fields
//! of custom resources their CRD prunes: the cluster's CRD, or offline the one
//! Git declares), reads the
//! live objects in batches, and names the objects that cannot be read.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::fetch::{ListKey, fetch_lists};
use super::pruning::{Schemas, declared_schemas, prune_unknown_fields, read_schemas, schema_key};
use super::resources::{ApiCatalog, ResourceInfo};
use super::snapshot::Snapshot;
use super::{ClusterError, Connection};
use crate::object::{DesiredObject, Manifest, ObjectRef, group_of};

/// Why one object has no live leg to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// The cluster does not serve the kind or version.
    UnknownKind(String),
    /// Reading failed (RBAC, network…).
    Error(String),
}

/// The live objects that matter for a set of desired objects.
#[derive(Debug, Default)]
pub struct LiveObjects {
    /// Live objects by identity (absent: the object does not exist).
    pub objects: HashMap<ObjectRef, Manifest>,
    /// Desired objects that could not be read, and why.
    pub unreadable: HashMap<ObjectRef, Unreadable>,
    /// The resource serving each readable desired object (cluster only).
    pub resources: HashMap<ObjectRef, ResourceInfo>,
    /// Structural schemas of the custom resource kinds among them (cluster only).
    pub schemas: Schemas,
}

impl LiveObjects {
    /// Drops from `object` (a custom resource, at its own apiVersion) the fields its CRD's schema prunes.
    pub fn prune(&self, object: &mut serde_json::Value) {
        if let Some(schema) = schema_key(object).and_then(|key| self.schemas.get(&key)) {
            prune_unknown_fields(object, schema);
        }
    }
}

/// Gives namespaced objects without a namespace the default one, and strips
/// the namespace from cluster-scoped objects (the API server ignores it).
fn settle_namespace(object: &mut DesiredObject, namespaced: bool, default_namespace: &str) {
    if !namespaced {
        object.manifest.clear_namespace();
    } else if object.manifest.namespace().is_none() {
        object.manifest.set_namespace(default_namespace);
    }
}

/// Reads the live objects from the cluster with one LIST per (resource, namespace).
pub async fn read_cluster(
    connection: &Connection,
    desired: &mut [DesiredObject],
    default_namespace: &str,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<LiveObjects, ClusterError> {
    let groups: BTreeSet<String> = desired.iter().map(|o| group_of(o.manifest.api_version()).to_string()).collect();
    let catalog = ApiCatalog::discover(&connection.client, &groups).await?;
    let mut live = LiveObjects::default();
    let mut lists = BTreeMap::new();
    let mut wanted: HashMap<ListKey, Vec<ObjectRef>> = HashMap::new();
    for object in desired.iter_mut() {
        let info = match catalog.lookup(object.manifest.api_version(), object.manifest.kind()) {
            Ok(info) => info.clone(),
            Err(unserved) => {
                let message = format!("{} {}: {unserved}", object.manifest.api_version(), object.manifest.kind());
                live.unreadable.insert(object.object_ref(), Unreadable::UnknownKind(message));
                continue;
            }
        };
        settle_namespace(object, info.namespaced, default_namespace);
        let key = ListKey {
            api_version: info.resource.api_version.clone(),
            plural: info.resource.plural.clone(),
            namespace: object.manifest.namespace().map(str::to_string),
        };
        wanted.entry(key.clone()).or_default().push(object.object_ref());
        live.resources.insert(object.object_ref(), info.clone());
        lists.insert(key, info);
    }
    let custom: Vec<&ResourceInfo> = lists.values().collect();
    live.schemas = read_schemas(&connection.client, &custom).await;
    for object in desired.iter_mut() {
        live.prune(&mut object.manifest.0);
    }
    let fetched = fetch_lists(&connection.client, lists, progress).await;
    for (key, message) in fetched.failures {
        for reference in wanted.get(&key).into_iter().flatten() {
            live.unreadable.insert(reference.clone(), Unreadable::Error(message.clone()));
        }
    }
    live.objects = fetched.objects;
    Ok(live)
}

/// Reads the live objects from a snapshot: an object absent from it is absent from the cluster.
pub fn read_snapshot(snapshot: &Snapshot, desired: &mut [DesiredObject], default_namespace: &str) -> LiveObjects {
    let crd_scopes = declared_scopes(desired);
    for object in desired.iter_mut() {
        let group = group_of(object.manifest.api_version()).to_string();
        let kind = object.manifest.kind().to_string();
        let namespaced = crd_scopes
            .get(&(group.clone(), kind.clone()))
            .copied()
            .or_else(|| snapshot.is_namespaced(&group, &kind))
            .unwrap_or(true);
        settle_namespace(object, namespaced, default_namespace);
    }
    let objects = desired
        .iter()
        .filter_map(|o| snapshot.get(&o.object_ref()).map(|live| (o.object_ref(), live.clone())))
        .collect();
    // No cluster to ask: the CRDs Git declares say what the server prunes.
    let live =
        LiveObjects { objects, schemas: declared_schemas(desired.iter().map(|o| &o.manifest.0)), ..Default::default() };
    for object in desired.iter_mut() {
        live.prune(&mut object.manifest.0);
    }
    live
}

/// Scopes declared by CustomResourceDefinitions among the desired objects.
fn declared_scopes(desired: &[DesiredObject]) -> HashMap<(String, String), bool> {
    desired
        .iter()
        .filter(|o| o.manifest.kind() == "CustomResourceDefinition")
        .filter_map(|crd| {
            let spec = crd.manifest.0.get("spec")?;
            let group = spec.get("group")?.as_str()?.to_string();
            let kind = spec.pointer("/names/kind")?.as_str()?.to_string();
            Some(((group, kind), spec.get("scope")?.as_str()? == "Namespaced"))
        })
        .collect()
}
