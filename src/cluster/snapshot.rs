//! Snapshots: live objects saved to a directory, so an audit can run with no
//! cluster (`check --live-from DIR`). A snapshot is any layout of YAML or JSON
//! files holding objects as the API server returns them — `driftctl snapshot`
//! output, or `kubectl get -o yaml` (single objects or `kind: List`). Every
//! object file in the directory is read, whatever else it holds: a
//! `kustomization.yaml` or `Chart.yaml` there is just another file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::ClusterError;
use crate::discover;
use crate::object::{Manifest, ObjectRef, group_of};

/// Live objects loaded from a directory.
#[derive(Debug, Default)]
pub struct Snapshot {
    objects: HashMap<ObjectRef, Manifest>,
}

impl Snapshot {
    /// Loads every object under `dir`.
    pub fn load(dir: &Path) -> Result<Self, ClusterError> {
        if !dir.is_dir() {
            return Err(ClusterError::Snapshot {
                path: dir.display().to_string(),
                message: "not a directory; pass a directory written by `driftctl snapshot` or holding `kubectl get -o yaml` files".into(),
            });
        }
        let mut found = discover::discover_objects(dir);
        if !found.errors.is_empty() {
            return Err(ClusterError::SnapshotFile { path: dir.display().to_string(), source: found.errors.remove(0) });
        }
        Ok(Snapshot::of(found))
    }

    /// Reads the objects of one snapshot file's text, as [`Snapshot::load`]
    /// reads each file; `file` names it in errors. The entry point of the
    /// snapshot fuzz target.
    pub fn parse(text: &str, file: &str) -> Result<Self, ClusterError> {
        let mut found = discover::Discovered::default();
        discover::read_manifest_text(text, file, &mut found);
        if !found.errors.is_empty() {
            return Err(ClusterError::SnapshotFile { path: file.to_string(), source: found.errors.remove(0) });
        }
        Ok(Snapshot::of(found))
    }

    fn of(found: discover::Discovered) -> Self {
        Snapshot { objects: found.objects.into_iter().map(|o| (o.object_ref(), o.manifest)).collect() }
    }

    /// The live object, if the snapshot holds it.
    pub fn get(&self, reference: &ObjectRef) -> Option<&Manifest> {
        self.objects.get(reference)
    }

    /// Whether a kind is namespaced, as the snapshot's objects of that kind show.
    pub fn is_namespaced(&self, group: &str, kind: &str) -> Option<bool> {
        self.objects.keys().find(|r| r.group == group && r.kind == kind).map(|r| r.namespace.is_some())
    }
}

/// Writes live objects to `dir`, one file each: `<namespace or _cluster>/<kind>.<group>_<name>.yaml`.
pub fn write_snapshot(dir: &Path, objects: &[&Manifest]) -> Result<Vec<PathBuf>, ClusterError> {
    let fail = |path: &Path, message: String| ClusterError::Snapshot { path: path.display().to_string(), message };
    let mut written = Vec::new();
    for object in objects {
        let group = group_of(object.api_version());
        let kind = if group.is_empty() { object.kind().to_string() } else { format!("{}.{group}", object.kind()) };
        let folder = dir.join(object.namespace().unwrap_or("_cluster"));
        std::fs::create_dir_all(&folder).map_err(|e| fail(&folder, e.to_string()))?;
        let path = folder.join(format!("{}_{}.yaml", kind.to_lowercase(), object.name()));
        // Written as `kubectl get -o yaml` writes, so strings like "yes" keep their quotes;
        // as JSON (which YAML readers take too) when a value has characters go-yaml refuses.
        let mut text = crate::yaml::marshal_yaml(&object.0);
        if text.trim().is_empty() {
            text = serde_json::to_string_pretty(&object.0).map_err(|e| fail(&path, e.to_string()))? + "\n";
        }
        std::fs::write(&path, text).map_err(|e| fail(&path, e.to_string()))?;
        written.push(path);
    }
    Ok(written)
}
