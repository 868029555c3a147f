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
/// Secrets are saved with their data, so every file is written readable by its
/// owner only (0600) and every directory created for it is 0700, whatever the umask.
pub fn write_snapshot(dir: &Path, objects: &[&Manifest]) -> Result<Vec<PathBuf>, ClusterError> {
    let fail = |path: &Path, message: String| ClusterError::Snapshot { path: path.display().to_string(), message };
    let mut written = Vec::new();
    for object in objects {
        let group = group_of(object.api_version());
        let kind = if group.is_empty() { object.kind().to_string() } else { format!("{}.{group}", object.kind()) };
        let folder = dir.join(object.namespace().unwrap_or("_cluster"));
        crate::owner_only::create_dir_all(&folder).map_err(|e| fail(&folder, e.to_string()))?;
        let path = folder.join(format!("{}_{}.yaml", kind.to_lowercase(), object.name()));
        // Written as `kubectl get -o yaml` writes, so strings like "yes" keep their quotes;
        // as JSON (which YAML readers take too) when a value has characters go-yaml refuses.
        let mut text = crate::yaml::marshal_yaml(&object.0);
        if text.trim().is_empty() {
            text = serde_json::to_string_pretty(&object.0).map_err(|e| fail(&path, e.to_string()))? + "\n";
        }
        crate::owner_only::write(&path, text.as_bytes()).map_err(|e| fail(&path, e.to_string()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use serde_json::json;

    use super::*;

    #[test]
    fn snapshot_files_are_owner_only() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("snap");
        let secret = Manifest(json!({"apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "db", "namespace": "web"}, "data": {"password": "aHVudGVyMg=="}}));
        let written = write_snapshot(&out, &[&secret]).unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&written[0]), 0o600, "{}", written[0].display());
        assert_eq!((mode(&out), mode(&out.join("web"))), (0o700, 0o700));
        assert_eq!(Snapshot::load(&out).unwrap().get(&secret.object_ref()), Some(&secret));
    }
}
