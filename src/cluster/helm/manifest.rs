//! A release's manifest as objects: split at `---`, each document's origin
//! taken from Helm's `# Source:` comment, with the metadata Helm adds when it
//! installs (`app.kubernetes.io/managed-by: Helm` and the release annotations)
//! and the release namespace for objects that name none.

use serde_json::{Map, Value};

use super::release::Release;
use crate::object::{DesiredObject, Manifest, Origin, Unit};
use crate::yaml;

/// Label Helm puts on every object it installs.
pub const HELM_MANAGED_BY: (&str, &str) = ("app.kubernetes.io/managed-by", "Helm");
/// Annotation naming the owning release.
pub const RELEASE_NAME_ANNOTATION: &str = "meta.helm.sh/release-name";
/// Annotation naming the owning release's namespace.
pub const RELEASE_NAMESPACE_ANNOTATION: &str = "meta.helm.sh/release-namespace";

/// The objects of a release's manifest (hooks are not in it), as Helm installed them.
pub fn release_objects(release: &Release) -> Result<Vec<DesiredObject>, String> {
    let unit = Unit::HelmRelease { namespace: release.namespace.clone(), name: release.name.clone() };
    let mut objects = Vec::new();
    for chunk in split_documents(&release.manifest) {
        let source = chunk.lines().find_map(|l| l.strip_prefix("# Source: ")).unwrap_or("manifest").to_string();
        let documents = yaml::parse_documents(chunk).map_err(|e| format!("{source}: {e}"))?;
        for document in documents {
            let Value::Object(_) = &document.value else { continue };
            let mut manifest = Manifest(document.value);
            installed_form(&mut manifest, release);
            let origin = Origin { file: source.clone(), line: document.line, unit: unit.clone() };
            objects.push(DesiredObject::new(manifest, origin));
        }
    }
    Ok(objects)
}

fn split_documents(manifest: &str) -> Vec<&str> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in manifest.split_inclusive('\n') {
        if line.trim_end() == "---" && offset > start {
            chunks.push(&manifest[start..offset]);
            start = offset;
        }
        offset += line.len();
    }
    chunks.push(&manifest[start..]);
    chunks.into_iter().filter(|c| !c.trim().trim_start_matches("---").trim().is_empty()).collect()
}

/// An object of the release's manifest as Helm installs it: the release namespace
/// where it names none, Helm's managed-by label and the release annotations.
pub fn installed_form(manifest: &mut Manifest, release: &Release) {
    if manifest.namespace().is_none() {
        manifest.set_namespace(&release.namespace);
    }
    let Some(meta) = manifest.0.get_mut("metadata").and_then(Value::as_object_mut) else { return };
    let labels = meta.entry("labels").or_insert_with(|| Value::Object(Map::new()));
    if let Some(labels) = labels.as_object_mut() {
        labels.insert(HELM_MANAGED_BY.0.into(), HELM_MANAGED_BY.1.into());
    }
    let annotations = meta.entry("annotations").or_insert_with(|| Value::Object(Map::new()));
    if let Some(annotations) = annotations.as_object_mut() {
        annotations.insert(RELEASE_NAME_ANNOTATION.into(), release.name.clone().into());
        annotations.insert(RELEASE_NAMESPACE_ANNOTATION.into(), release.namespace.clone().into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(manifest: &str) -> Release {
        Release {
            name: "web".into(),
            namespace: "shop".into(),
            version: 2,
            status: "deployed".into(),
            chart_name: "podinfo".into(),
            chart_version: "1.0.0".into(),
            config: Value::Null,
            manifest: manifest.into(),
            hook_manifests: Vec::new(),
            description: String::new(),
        }
    }

    #[test]
    fn objects_carry_source_and_helm_metadata() {
        let manifest = "---\n# Source: podinfo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# Source: podinfo/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  namespace: other\n  labels: {app: b}\n";
        let objects = release_objects(&release(manifest)).unwrap();
        assert_eq!(objects.len(), 2);
        assert_eq!(objects[0].origin.file, "podinfo/templates/cm.yaml");
        assert_eq!(objects[0].origin.unit.to_string(), "HelmRelease/shop/web");
        assert_eq!(objects[0].manifest.namespace(), Some("shop"));
        assert_eq!(objects[1].manifest.namespace(), Some("other"));
        assert_eq!(objects[1].manifest.label("app.kubernetes.io/managed-by"), Some("Helm"));
        assert_eq!(objects[1].manifest.label("app"), Some("b"));
        assert_eq!(objects[1].manifest.annotation("meta.helm.sh/release-name"), Some("web"));
    }
}
