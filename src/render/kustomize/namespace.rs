//! The `namespace` transformer: moves every namespaced object into the namespace, renames
//! `Namespace` objects to it, and sets it in the other namespace fields the configuration
//! lists (webhook services, API services). Role binding subjects named `default` move with
//! it (kustomize's default subject mode); other ServiceAccount subjects follow their account
//! through name reference rewriting, not here.

use serde_json::Value;

use super::config::TransformerConfig;
use super::error::{KustomizeError, Result};
use super::fieldspec::FieldWalkError;
use super::resmap::ResMap;
use super::resource::Resource;

/// Applies `namespace: NAME`.
pub fn set_namespace(resources: &mut ResMap, namespace: &str, config: &TransformerConfig) -> Result<()> {
    for resource in &mut resources.resources {
        // kustomize records every object's identity here, moved or not (cluster-scoped ones
        // too), which makes each of them a candidate when references are rewritten.
        resource.remember_identity();
        let gvk = resource.gvk();
        if gvk.kind == "Namespace" && gvk.group.is_empty() {
            resource.set_identity(None, Some(namespace));
            continue;
        }
        if !gvk.is_cluster_scoped() {
            resource.set_identity(Some(namespace), None);
        }
        if matches!(gvk.kind.as_str(), "RoleBinding" | "ClusterRoleBinding") {
            point_default_subjects_at(resource, namespace);
        }
        for spec in &config.namespace {
            if spec.path == ["metadata", "namespace"] || !spec.filter.matches(&gvk) {
                continue;
            }
            if spec.path.first().map(String::as_str) == Some("subjects") {
                continue;
            }
            spec.visit::<FieldWalkError>(&mut resource.object, &|| Value::String(String::new()), &mut |value| {
                *value = Value::String(namespace.to_string());
                Ok(())
            })
            .map_err(|err| {
                let context = if err.is_wrong_node_kind() {
                    "namespace field specs must target scalar nodes"
                } else {
                    "namespace transformation failed"
                };
                KustomizeError::from(err).within(context)
            })?;
        }
    }
    Ok(())
}

/// kustomize's default for role bindings: every subject named `default`, whatever its kind,
/// is taken to be the namespace's default account and gets the namespace.
fn point_default_subjects_at(resource: &mut Resource, namespace: &str) {
    let Some(Value::Array(subjects)) = resource.object.get_mut("subjects") else {
        return;
    };
    for subject in subjects.iter_mut().filter_map(Value::as_object_mut) {
        if subject.get("name").and_then(Value::as_str) == Some("default") {
            subject.insert("namespace".into(), Value::String(namespace.to_string()));
        }
    }
}
