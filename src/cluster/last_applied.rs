//! The last-applied leg: what the deployment system applied last. In order:
//! the Helm release that manages the object (its latest deployed revision's
//! manifest, from release storage), else the
//! `kubectl.kubernetes.io/last-applied-configuration` annotation that
//! `kubectl apply` writes (unless a server-side apply rewrote it), else nothing.

use std::collections::{BTreeSet, HashMap};

use super::ClusterError;
use super::helm::{
    RELEASE_NAME_ANNOTATION, RELEASE_NAMESPACE_ANNOTATION, Release, ReleaseHistory, read_releases, release_objects,
};
use super::pruning::{Schemas, prune_unknown_fields, schema_key};
use crate::object::{LAST_APPLIED_ANNOTATION, Manifest, ObjectRef, ReleaseRef};

/// What the deployment system applied last, and where that record came from.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedState {
    /// The object as last applied.
    pub manifest: Manifest,
    /// The Helm release revision it came from, when it came from release storage.
    pub release: Option<ReleaseRef>,
}

/// The last-applied state of each live object that has one; `Err` when the record exists but cannot be read.
pub type LastApplied = HashMap<ObjectRef, Result<AppliedState, String>>;

/// Reads the last-applied annotation recorded on a live object, if any.
/// A malformed annotation is an error: it must not silently become "unknown".
pub fn last_applied_annotation(live: &Manifest) -> Result<Option<Manifest>, String> {
    let Some(text) = live.annotation(LAST_APPLIED_ANNOTATION) else { return Ok(None) };
    if rewritten_by_server_side_apply(live) {
        return Ok(None);
    }
    serde_json::from_str(text)
        .map(|value| Some(Manifest(value)))
        .map_err(|e| format!("annotation {LAST_APPLIED_ANNOTATION} is not valid JSON: {e}"))
}

/// Whether a server-side apply wrote the annotation last: `kubectl apply --server-side`
/// records there whatever object it applied (a partial one, by hand), so the annotation
/// no longer says what the deployment tool applied.
fn rewritten_by_server_side_apply(live: &Manifest) -> bool {
    let key = format!("f:{LAST_APPLIED_ANNOTATION}");
    let entries = live.0.pointer("/metadata/managedFields").and_then(serde_json::Value::as_array);
    entries.into_iter().flatten().any(|entry| {
        entry.get("operation").and_then(serde_json::Value::as_str) == Some("Apply")
            && entry.pointer("/fieldsV1/f:metadata/f:annotations").and_then(|a| a.get(&key)).is_some()
    })
}

/// The last-applied leg from annotations alone (snapshots carry no release storage).
pub fn annotations_only(live: &HashMap<ObjectRef, Manifest>, schemas: &Schemas) -> LastApplied {
    let mut states: LastApplied = live
        .iter()
        .filter_map(|(reference, object)| {
            let state = last_applied_annotation(object).transpose()?;
            Some((reference.clone(), state.map(|manifest| AppliedState { manifest, release: None })))
        })
        .collect();
    prune_states(schemas, &mut states);
    states
}

/// What was applied, as the API server kept it: fields a CRD prunes were never stored.
fn prune_states(schemas: &Schemas, states: &mut LastApplied) {
    for state in states.values_mut().flatten() {
        if let Some(schema) = schema_key(&state.manifest.0).and_then(|key| schemas.get(&key)) {
            prune_unknown_fields(&mut state.manifest.0, schema);
        }
    }
}

/// The last-applied leg of every live object: Helm release storage for the
/// objects a release manages (one LIST of Secrets and one of ConfigMaps per
/// release namespace), kubectl's annotation for the others. Also returns the
/// deployed revision of each of those releases, as stored.
pub async fn read_last_applied(
    client: &kube::Client,
    live: &HashMap<ObjectRef, Manifest>,
    schemas: &Schemas,
) -> Result<(LastApplied, Vec<Release>), ClusterError> {
    let mut states = annotations_only(live, schemas);
    let releases: BTreeSet<(String, String)> = live
        .values()
        .filter_map(|o| {
            Some((
                o.annotation(RELEASE_NAMESPACE_ANNOTATION)?.to_string(),
                o.annotation(RELEASE_NAME_ANNOTATION)?.to_string(),
            ))
        })
        .collect();
    let namespaces: BTreeSet<&String> = releases.iter().map(|(ns, _)| ns).collect();
    let mut histories: HashMap<(String, String), ReleaseHistory> = HashMap::new();
    for namespace in namespaces {
        for history in read_releases(client, Some(namespace)).await? {
            histories.insert((history.namespace.clone(), history.name.clone()), history);
        }
    }
    for (reference, object) in live {
        let (Some(namespace), Some(name)) =
            (object.annotation(RELEASE_NAMESPACE_ANNOTATION), object.annotation(RELEASE_NAME_ANNOTATION))
        else {
            continue;
        };
        // A release without storage (uninstalled, object kept) leaves only what the object itself records.
        let Some(history) = histories.get(&(namespace.to_string(), name.to_string())) else { continue };
        if let Some(state) = release_state(history, reference) {
            states.insert(reference.clone(), state);
        }
    }
    prune_states(schemas, &mut states);
    let deployed = histories
        .into_iter()
        .filter(|(key, _)| releases.contains(key))
        .filter_map(|(_, history)| {
            let record = history.deployed()?;
            record.release.as_ref().ok().map(|release| Release { version: record.revision, ..release.clone() })
        })
        .collect();
    Ok((states, deployed))
}

/// The object's state in the release's latest deployed revision.
pub fn release_state(history: &ReleaseHistory, reference: &ObjectRef) -> Option<Result<AppliedState, String>> {
    let Some(record) = history.deployed() else {
        return Some(Err(format!("Helm release {}/{} has no deployed revision", history.namespace, history.name)));
    };
    let release = match &record.release {
        Ok(release) => release,
        Err(e) => {
            return Some(Err(format!("Helm release {}/{}: {}: {e}", history.namespace, history.name, record.storage)));
        }
    };
    let objects = match release_objects(release) {
        Ok(objects) => objects,
        Err(e) => return Some(Err(format!("Helm release {}/{} manifest: {e}", history.namespace, history.name))),
    };
    objects
        .into_iter()
        .find(|o| {
            let r = o.object_ref();
            // Cluster-scoped objects carry the release namespace in the manifest's view only.
            r == *reference || (reference.namespace.is_none() && ObjectRef { namespace: None, ..r } == *reference)
        })
        .map(|o| {
            let release = ReleaseRef { revision: record.revision, ..release.reference() };
            let mut manifest = o.manifest;
            if reference.namespace.is_none() {
                manifest.clear_namespace();
            }
            Ok(AppliedState { manifest, release: Some(release) })
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn with_annotation_owner(operation: &str) -> Manifest {
        let recorded = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}"#;
        Manifest(json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c",
            "annotations": {LAST_APPLIED_ANNOTATION: recorded},
            "managedFields": [{"manager": "kubectl", "operation": operation, "fieldsV1": {"f:metadata": {"f:annotations": {
                format!("f:{LAST_APPLIED_ANNOTATION}"): {}}}}}]}, "data": {"a": "1"}}))
    }

    #[test]
    fn the_annotation_counts_unless_a_server_side_apply_rewrote_it() {
        let written = last_applied_annotation(&with_annotation_owner("Update")).unwrap().unwrap();
        assert_eq!(written.0["data"]["a"], "1");
        assert_eq!(last_applied_annotation(&with_annotation_owner("Apply")).unwrap(), None);
    }
}
