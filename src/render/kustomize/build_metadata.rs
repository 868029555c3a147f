//! `buildMetadata`: what the top kustomization asks kustomize to record on every object —
//! where it came from (`originAnnotations`: its file, or the generator that made it), which
//! transformers ran over it (`transformerAnnotations`), and who built it (`managedByLabel`).
//! The build records transformer runs on each object as they happen (`record_transformer`);
//! this module only turns that record into annotations and labels at the end. It must not
//! change anything else about an object.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::resmap::ResMap;
use super::resource::Resource;

const ORIGIN_ANNOTATION: &str = "config.kubernetes.io/origin";
const TRANSFORMATIONS_ANNOTATION: &str = "alpha.config.kubernetes.io/transformations";
const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
/// The value kustomize built into kubectl gives the managed-by label (its version is `(devel)`).
const MANAGED_BY_VALUE: &str = "kustomize-(devel)";

/// A built-in transformer that ran over an object, and the kustomization that configured it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transformation {
    /// The kustomization file.
    pub configured_in: Arc<PathBuf>,
    /// kustomize's name for the transformer (`PrefixTransformer`, `LabelTransformer`, ...).
    pub kind: &'static str,
}

/// Notes on every object accumulated so far that the transformer `kind`, configured in
/// `kustomization`, ran over it (kustomize records it whether or not the object changed).
pub fn record_transformer(resources: &mut ResMap, kustomization: &Arc<PathBuf>, kind: &'static str) {
    let transformation = Transformation { configured_in: Arc::clone(kustomization), kind };
    for resource in &mut resources.resources {
        resource.transformations.push(transformation.clone());
    }
}

/// Applies the options the top kustomization's `buildMetadata` lists; `root` is its directory,
/// which the recorded paths are relative to.
pub fn annotate(resources: &mut ResMap, options: &[String], root: &Path) {
    let wants = |option: &str| options.iter().any(|o| o == option);
    for resource in &mut resources.resources {
        if wants("originAnnotations") {
            let origin = origin_text(resource, root);
            set_metadata_entry(resource, "annotations", ORIGIN_ANNOTATION, origin);
        }
        if wants("transformerAnnotations") && !resource.transformations.is_empty() {
            let text: String = resource
                .transformations
                .iter()
                .map(|t| {
                    let configured = configured_by(&relative(&t.configured_in, root), t.kind);
                    format!("- {}", configured.trim_end().replace('\n', "\n  ")) + "\n"
                })
                .collect();
            set_metadata_entry(resource, "annotations", TRANSFORMATIONS_ANNOTATION, text);
        }
        if wants("managedByLabel") {
            set_metadata_entry(resource, "labels", MANAGED_BY_LABEL, MANAGED_BY_VALUE.to_string());
        }
    }
}

/// kustomize's `Origin` as YAML: `path:` for an object read from a file, `configuredIn:` and
/// `configuredBy:` for a generated one.
fn origin_text(resource: &Resource, root: &Path) -> String {
    match resource.behavior {
        Some(_) => {
            let generator = if resource.kind() == "Secret" { "SecretGenerator" } else { "ConfigMapGenerator" };
            configured_by(&relative(&resource.origin, root), generator)
        }
        None => format!("path: {}\n", scalar(&relative(&resource.origin, root))),
    }
}

fn configured_by(kustomization: &str, kind: &str) -> String {
    format!("configuredIn: {}\nconfiguredBy:\n  apiVersion: builtin\n  kind: {kind}\n", scalar(kustomization))
}

/// A string as a plain or quoted YAML scalar, as kustomize's YAML encoder writes it.
fn scalar(text: &str) -> String {
    crate::yaml::marshal_yaml(&Value::String(text.to_string())).trim_end().to_string()
}

fn set_metadata_entry(resource: &mut Resource, map: &str, key: &str, value: String) {
    let metadata = resource.metadata_mut();
    let entry = metadata.entry(map).or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    if let Value::Object(entries) = entry {
        entries.insert(key.to_string(), Value::String(value));
    }
}

/// `path` relative to `root`, both absolute and normalized, with `..` where it lies outside.
pub(super) fn relative(path: &Path, root: &Path) -> String {
    let path: Vec<Component> = path.components().collect();
    let root: Vec<Component> = root.components().collect();
    let common = path.iter().zip(&root).take_while(|(a, b)| a == b).count();
    let mut relative = PathBuf::new();
    for _ in common..root.len() {
        relative.push("..");
    }
    for component in &path[common..] {
        relative.push(component.as_os_str());
    }
    relative.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_top_kustomization() {
        assert_eq!(relative(Path::new("/a/prod/svc.yaml"), Path::new("/a/prod")), "svc.yaml");
        assert_eq!(relative(Path::new("/a/base/ns.yaml"), Path::new("/a/prod")), "../base/ns.yaml");
    }

    #[test]
    fn transformations_list_each_run_in_order() {
        let mut resources = ResMap::default();
        let object = serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}});
        let file = PathBuf::from("/top/cm.yaml");
        resources.resources.push(Resource::new(object.as_object().unwrap().clone(), file));
        let kustomization = Arc::new(PathBuf::from("/top/kustomization.yaml"));
        record_transformer(&mut resources, &kustomization, "PrefixTransformer");
        record_transformer(&mut resources, &kustomization, "LabelTransformer");
        annotate(&mut resources, &["transformerAnnotations".to_string()], Path::new("/top"));
        let text = &resources.resources[0].object["metadata"]["annotations"][TRANSFORMATIONS_ANNOTATION];
        assert_eq!(
            text,
            "- configuredIn: kustomization.yaml\n  configuredBy:\n    apiVersion: builtin\n    kind: PrefixTransformer\n\
             - configuredIn: kustomization.yaml\n  configuredBy:\n    apiVersion: builtin\n    kind: LabelTransformer\n"
        );
        assert!(resources.resources[0].object["metadata"]["annotations"].get(ORIGIN_ANNOTATION).is_none());
    }
}
