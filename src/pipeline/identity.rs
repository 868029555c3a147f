//! Settles each desired object's identity before anything is compared: a
//! namespaced kind without a namespace takes the session's, a cluster-scoped
//! kind loses the one Git gave it (the API server ignores it), and a custom
//! resource loses the fields its CRD's structural schema prunes, so Git is
//! compared as the server would store it.
//!
//! Against a cluster, discovery says how each kind is served (and which kinds
//! are not); offline, the CRDs Git declares, the built-in kinds' table and
//! the snapshot's own objects say it.

use std::collections::{BTreeSet, HashMap};

use crate::cluster::{
    ApiCatalog, ClusterError, Connection, ResourceInfo, Schemas, Unreadable, declared_schemas, prune_unknown_fields,
    read_schemas, schema_key,
};
use crate::object::{DesiredObject, ObjectRef, group_of};

/// How the live side serves the kinds of the desired objects.
#[derive(Debug, Clone, Default)]
pub(super) struct Kinds {
    /// The resource serving each desired object (cluster only).
    pub resources: HashMap<ObjectRef, ResourceInfo>,
    /// Desired objects of kinds the cluster does not serve.
    pub unserved: HashMap<ObjectRef, Unreadable>,
    /// Structural schemas of the custom resource kinds among them.
    pub schemas: Schemas,
}

/// Settles identities from the cluster's discovery of the groups Git touches.
pub(super) async fn settle_for_cluster(
    connection: &Connection,
    objects: &mut [DesiredObject],
    default_namespace: &str,
) -> Result<Kinds, ClusterError> {
    let groups: BTreeSet<String> = objects.iter().map(|o| group_of(o.manifest.api_version()).to_string()).collect();
    let catalog = ApiCatalog::discover(&connection.client, &groups).await?;
    let mut kinds = Kinds::default();
    for object in objects.iter_mut() {
        match catalog.lookup(object.manifest.api_version(), object.manifest.kind()) {
            Ok(info) => {
                settle_namespace(object, info.namespaced, default_namespace);
                kinds.resources.insert(object.object_ref(), info.clone());
            }
            Err(unserved) => {
                let message = format!("{} {}: {unserved}", object.manifest.api_version(), object.manifest.kind());
                kinds.unserved.insert(object.object_ref(), Unreadable::UnknownKind(message));
            }
        }
    }
    let served: Vec<&ResourceInfo> = kinds.resources.values().collect();
    kinds.schemas = read_schemas(&connection.client, &served).await;
    prune(objects, &kinds.schemas);
    Ok(kinds)
}

/// Settles identities with no cluster to ask: a CRD in Git says its kind's scope,
/// then the built-in kinds' table, then `evidence` (how a snapshot holds the kind);
/// anything else is taken as namespaced.
pub(super) fn settle_offline(
    objects: &mut [DesiredObject],
    default_namespace: &str,
    evidence: &dyn Fn(&str, &str) -> Option<bool>,
) -> Kinds {
    let declared = declared_scopes(objects);
    for object in objects.iter_mut() {
        let group = group_of(object.manifest.api_version()).to_string();
        let kind = object.manifest.kind().to_string();
        let namespaced = declared
            .get(&(group.clone(), kind.clone()))
            .copied()
            .or_else(|| crate::render::kustomize::is_cluster_scoped(&group, &kind).then_some(false))
            .or_else(|| evidence(&group, &kind))
            .unwrap_or(true);
        settle_namespace(object, namespaced, default_namespace);
    }
    let schemas = declared_schemas(objects.iter().map(|o| &o.manifest.0));
    prune(objects, &schemas);
    Kinds { schemas, ..Kinds::default() }
}

/// Gives namespaced objects without a namespace the default one, and strips
/// the namespace from cluster-scoped objects.
fn settle_namespace(object: &mut DesiredObject, namespaced: bool, default_namespace: &str) {
    if !namespaced {
        object.manifest.clear_namespace();
    } else if object.manifest.namespace().is_none() {
        object.manifest.set_namespace(default_namespace);
    }
}

/// Drops from each custom resource the fields its CRD's schema prunes.
fn prune(objects: &mut [DesiredObject], schemas: &Schemas) {
    for object in objects.iter_mut() {
        if let Some(schema) = schema_key(&object.manifest.0).and_then(|key| schemas.get(&key)) {
            prune_unknown_fields(&mut object.manifest.0, schema);
        }
    }
}

/// Scopes declared by CustomResourceDefinitions among the desired objects.
fn declared_scopes(objects: &[DesiredObject]) -> HashMap<(String, String), bool> {
    objects
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::object::{Manifest, Origin, Unit};

    fn object(value: serde_json::Value) -> DesiredObject {
        DesiredObject::new(Manifest(value), Origin { file: "a.yaml".into(), line: 1, unit: Unit::Plain })
    }

    #[test]
    fn offline_scopes_come_from_crds_the_builtin_table_and_the_snapshot() {
        let mut objects = vec![
            object(json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})),
            object(json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                "metadata": {"name": "r", "namespace": "ignored"}})),
            object(json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": {"name": "gadgets.example.com"},
                "spec": {"group": "example.com", "scope": "Cluster", "names": {"kind": "Gadget"}}})),
            object(json!({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"}})),
            object(json!({"apiVersion": "other.io/v1", "kind": "Widget", "metadata": {"name": "w"}})),
        ];
        let evidence = |group: &str, _: &str| (group == "other.io").then_some(false);
        settle_offline(&mut objects, "web", &evidence);
        let namespaces: Vec<Option<&str>> = objects.iter().map(|o| o.manifest.namespace()).collect();
        assert_eq!(namespaces, [Some("web"), None, None, None, None]);
    }
}
