//! Walks a source tree and sorts what it finds: plain manifests (every
//! Kubernetes object with its file and line), kustomize overlays and Helm
//! charts (units to render), and everything else (CI configs, Helm values
//! files…), which is not Kubernetes and is skipped.
//!
//! Nothing outside the source's boundary is read or walked into: a file or
//! directory whose symlinks lead out of it is a problem naming the file.
//!
//! Must not render anything: charts and overlays are only located here.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::object::{DesiredObject, Manifest, Origin, Unit};
use crate::source::{OutsideSource, SourceRoot};
use crate::yaml::{self, YamlError};

/// File names that make a directory a kustomization, in the order kustomize looks for them.
pub const KUSTOMIZATION_FILES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// The file that makes a directory a Helm chart.
pub const CHART_FILE: &str = "Chart.yaml";

/// Problems with the source's files. Each names the file and line.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// A file or directory could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The path.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file is not valid YAML or JSON.
    #[error("{file}:{}:{}: {source}", source.line(), source.column())]
    Yaml {
        /// The file (relative to the source root).
        file: String,
        /// Where and why.
        #[source]
        source: YamlError,
    },
    /// A file or directory of the source leads out of it through a symlink.
    #[error("{file}: refused")]
    Outside {
        /// The path (relative to the source root).
        file: String,
        /// Where it leads.
        #[source]
        source: OutsideSource,
    },
    /// A document looks like a Kubernetes object but lacks what every object needs.
    #[error("{file}:{line}: {problem}")]
    BadObject {
        /// The file.
        file: String,
        /// Line of the document.
        line: usize,
        /// What is missing, and what to do.
        problem: String,
    },
}

/// A directory to render as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderUnit {
    /// Which kind of unit, with its path relative to the source root.
    pub unit: Unit,
    /// The directory on disk.
    pub dir: PathBuf,
    /// What the unit's renderer may read: the source's boundary.
    pub boundary: SourceRoot,
}

/// What a source holds.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Plain objects, in file order.
    pub objects: Vec<DesiredObject>,
    /// Overlays and charts to render.
    pub units: Vec<RenderUnit>,
    /// YAML files that held no Kubernetes object (relative paths), for `-v`.
    pub skipped: Vec<String>,
    /// Every problem found; the caller decides to stop.
    pub errors: Vec<DiscoverError>,
}

/// How a walk treats directories that hold a kustomization or a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// As units to render (a source tree).
    Units,
    /// Like any directory: every object file in them is read (a snapshot of live objects).
    ObjectsOnly,
}

/// Walks `root` (or reads it, when it is a single file), reading nothing
/// that resolves outside `boundary` (which holds `root`).
pub fn discover(root: &Path, boundary: &SourceRoot) -> Discovered {
    discover_with(root, Walk::Units, boundary)
}

/// Reads every Kubernetes object under `root`, whatever else the directories
/// hold: a kustomization or chart directory is read as plain files, not
/// rendered. Nothing outside `root` is read.
pub fn discover_objects(root: &Path) -> Discovered {
    discover_with(root, Walk::ObjectsOnly, &SourceRoot::new_or_lexical(root))
}

fn discover_with(root: &Path, mode: Walk, boundary: &SourceRoot) -> Discovered {
    let mut found = Discovered::default();
    let walk = Walker { root, mode, boundary, visited: Default::default() };
    if root.is_file() {
        let name = root.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        if walk.inside(root, &name, &mut found) {
            read_manifest_file(root, &name, &mut found);
        }
    } else {
        walk.directory(root, &mut found);
    }
    found
}

/// The kind of unit a directory is, when it is one: a kustomization (its file
/// is one of [`KUSTOMIZATION_FILES`]) or a Helm chart (`Chart.yaml`).
pub fn unit_of_directory(dir: &Path, relative: String) -> Option<Unit> {
    if KUSTOMIZATION_FILES.iter().any(|f| dir.join(f).is_file()) {
        Some(Unit::Kustomize { path: relative })
    } else if dir.join(CHART_FILE).is_file() {
        Some(Unit::Chart { path: relative })
    } else {
        None
    }
}

/// One walk of a tree: where it started, what it looks for, what it may read.
struct Walker<'a> {
    root: &'a Path,
    mode: Walk,
    boundary: &'a SourceRoot,
    /// Directories walked, symlinks resolved: a link back to one of them (a loop,
    /// or a second name for a directory) is not walked again.
    visited: std::cell::RefCell<std::collections::HashSet<PathBuf>>,
}

impl Walker<'_> {
    fn directory(&self, dir: &Path, found: &mut Discovered) {
        let root = self.root;
        let real = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        if !self.visited.borrow_mut().insert(real) {
            return;
        }
        if self.mode == Walk::Units
            && let Some(unit) = unit_of_directory(dir, relative_path(root, dir))
        {
            found.units.push(RenderUnit { unit, dir: dir.to_path_buf(), boundary: self.boundary.clone() });
            return;
        }
        let mut entries = match std::fs::read_dir(dir).and_then(|rd| rd.collect::<Result<Vec<_>, _>>()) {
            Ok(entries) => entries,
            Err(source) => return found.errors.push(DiscoverError::Read { path: relative_path(root, dir), source }),
        };
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().to_string();
            // Hidden entries (.git, .github, .driftctl.yaml…) are tooling, not manifests.
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let is_manifest = [".yaml", ".yml", ".json"].iter().any(|ext| name.ends_with(ext));
            if !(is_manifest || path.is_dir()) || !self.inside(&path, &relative_path(root, &path), found) {
                continue;
            }
            if path.is_dir() {
                self.directory(&path, found);
            } else {
                read_manifest_file(&path, &relative_path(root, &path), found);
            }
        }
    }

    /// Whether `path` stays inside the boundary; a problem is recorded when it does not.
    fn inside(&self, path: &Path, file: &str, found: &mut Discovered) -> bool {
        match self.boundary.resolve(path) {
            Ok(_) => true,
            Err(source) => {
                found.errors.push(DiscoverError::Outside { file: file.to_string(), source });
                false
            }
        }
    }
}

/// Reads every Kubernetes object of one file (multi-document YAML, JSON, `kind: List`).
pub fn read_manifest_file(path: &Path, file: &str, found: &mut Discovered) {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(source) => return found.errors.push(DiscoverError::Read { path: file.to_string(), source }),
    };
    read_manifest_text(&text, file, found);
}

/// Reads every Kubernetes object of one file's text; `file` names it in origins and errors.
pub fn read_manifest_text(text: &str, file: &str, found: &mut Discovered) {
    let documents = match yaml::parse_documents(text) {
        Ok(documents) => documents,
        Err(source) => return found.errors.push(DiscoverError::Yaml { file: file.to_string(), source }),
    };
    let before = found.objects.len();
    for document in documents {
        match objects_of(document.value, file, document.line) {
            Ok(objects) => found.objects.extend(objects),
            Err(error) => found.errors.push(error),
        }
    }
    if found.objects.len() == before {
        found.skipped.push(file.to_string());
    }
}

/// The objects of one document: none (not Kubernetes), one, or the items of a List.
fn objects_of(value: Value, file: &str, line: usize) -> Result<Vec<DesiredObject>, DiscoverError> {
    let bad = |problem: String| DiscoverError::BadObject { file: file.to_string(), line, problem };
    let Value::Object(map) = &value else { return Ok(Vec::new()) };
    let has_api_version = map.contains_key("apiVersion");
    let has_kind = map.contains_key("kind");
    if !has_api_version && !has_kind {
        return Ok(Vec::new());
    }
    let manifest = Manifest(value);
    if manifest.api_version().is_empty() {
        return Err(bad("object has no apiVersion (every Kubernetes object needs apiVersion and kind)".into()));
    }
    if manifest.kind().is_empty() {
        return Err(bad("object has no kind (every Kubernetes object needs apiVersion and kind)".into()));
    }
    if manifest.kind().ends_with("List") && manifest.0.get("items").is_some() {
        // The items are moved out, not copied: a List nested in a List's items
        // would otherwise be copied once per level (the square of the depth).
        let kind = manifest.kind().to_string();
        let Manifest(Value::Object(mut map)) = manifest else { return Ok(Vec::new()) };
        let Some(Value::Array(items)) = map.remove("items") else {
            return Err(bad(format!("{kind} has items that are not a list")));
        };
        return items.into_iter().try_fold(Vec::new(), |mut all, item| {
            all.extend(objects_of(item, file, line)?);
            Ok(all)
        });
    }
    if manifest.0.get("metadata").is_none() {
        // Every Kubernetes object has metadata; a document without it is something
        // else that happens to have apiVersion and kind (driftctl's own JSON report,
        // a tool's configuration).
        return Ok(Vec::new());
    }
    if manifest.name().is_empty() {
        let what = format!("{} {}", manifest.api_version(), manifest.kind());
        return Err(bad(if manifest.0.pointer("/metadata/generateName").is_some() {
            format!(
                "{what} uses metadata.generateName; drift cannot be tracked for objects without a fixed metadata.name"
            )
        } else {
            format!("{what} has no metadata.name")
        }));
    }
    Ok(vec![DesiredObject::new(manifest, Origin { file: file.to_string(), line, unit: Unit::Plain })])
}

fn relative_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let text = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
    if text.is_empty() { ".".into() } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn finds_objects_with_file_and_line() {
        let dir = tree(&[
            (
                "apps/web.yaml",
                "# web\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n",
            ),
            (
                "apps/list.json",
                r#"{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}]}"#,
            ),
            ("ci/values.yaml", "replicaCount: 2\nimage: nginx\n"),
            (
                "drift.json",
                r#"{"apiVersion": "driftctl.dev/v1", "kind": "DriftReport", "summary": {"objects": 1}, "objects": []}"#,
            ),
            (".github/workflows/ci.yml", "apiVersion: v1\nkind: ConfigMap\n"),
            ("README.md", "apiVersion: v1"),
        ]);
        let found = discover(dir.path(), &SourceRoot::new(dir.path()).unwrap());
        assert!(found.errors.is_empty(), "{:?}", found.errors);
        let seen: Vec<String> =
            found.objects.iter().map(|o| format!("{} {} {}", o.origin, o.manifest.kind(), o.manifest.name())).collect();
        assert_eq!(seen, ["apps/list.json:1 Secret s", "apps/web.yaml:2 ConfigMap a", "apps/web.yaml:8 Service b"]);
        assert_eq!(found.skipped, ["ci/values.yaml", "drift.json"], "a driftctl report is not an object");
    }

    #[test]
    fn overlays_and_charts_are_units() {
        let dir = tree(&[
            ("base/kustomization.yaml", "resources: [cm.yaml]\n"),
            ("base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"),
            ("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n"),
            ("charts/web/templates/x.yaml", "apiVersion: v1\nkind: {{ .Values.kind }}\n"),
        ]);
        let found = discover(dir.path(), &SourceRoot::new(dir.path()).unwrap());
        assert!(found.errors.is_empty(), "{:?}", found.errors);
        assert!(found.objects.is_empty());
        let units: Vec<String> = found.units.iter().map(|u| u.unit.to_string()).collect();
        assert_eq!(units, ["kustomize/base", "chart/charts/web"]);
    }

    #[test]
    fn bad_input_names_file_and_line() {
        let dir = tree(&[
            ("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n"),
            ("b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n---\nkind: Service\nmetadata: {name: x}\n"),
        ]);
        let errors: Vec<String> = discover(dir.path(), &SourceRoot::new(dir.path()).unwrap())
            .errors
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("a.yaml:"), "{}", errors[0]);
        assert_eq!(errors[1], "b.yaml:1: v1 ConfigMap has no metadata.name");
        assert!(errors[2].starts_with("b.yaml:5: object has no apiVersion"), "{}", errors[2]);
    }

    #[test]
    fn a_link_back_to_a_walked_directory_is_not_walked_again() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("apps")).unwrap();
        std::fs::write(dir.path().join("apps/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
            .unwrap();
        std::os::unix::fs::symlink("..", dir.path().join("apps/loop")).unwrap();
        std::os::unix::fs::symlink("apps", dir.path().join("again")).unwrap();
        let found = discover(dir.path(), &SourceRoot::new(dir.path()).unwrap());
        assert_eq!(found.objects.len(), 1, "read once, and the walk ends");
        assert!(found.errors.is_empty(), "{:?}", found.errors);
    }

    #[test]
    fn symlinks_leaving_the_source_are_refused_and_those_inside_followed() {
        let outside = tree(&[("leak.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: leak}\n")]);
        let dir = tree(&[("apps/real.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: real}\n")]);
        std::os::unix::fs::symlink("real.yaml", dir.path().join("apps/alias.yaml")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("leak.yaml"), dir.path().join("apps/leak.yaml")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("elsewhere")).unwrap();
        let found = discover(dir.path(), &SourceRoot::new(dir.path()).unwrap());
        let names: Vec<&str> = found.objects.iter().map(|o| o.manifest.name()).collect();
        assert_eq!(names, ["real", "real"], "the link inside is read, the ones leaving are not");
        let errors: Vec<String> = found.errors.iter().map(|e| crate::error_chain::one_line(e)).collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("apps/leak.yaml: refused: "), "{}", errors[0]);
        assert!(errors[0].contains("outside the source"), "{}", errors[0]);
        assert!(errors[1].starts_with("elsewhere: refused: "), "{}", errors[1]);
    }
}
