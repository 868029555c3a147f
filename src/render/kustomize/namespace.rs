//! The `namespace` transformer: moves every namespaced object into the namespace, renames
//! `Namespace` objects to it, and sets it in the other namespace fields the configuration
//! lists (webhook services, API services). ServiceAccount subjects follow their account
//! through name reference rewriting, not here.

use serde_json::Value;

use super::config::TransformerConfig;
use super::error::Result;
use super::resmap::ResMap;

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
        for spec in &config.namespace {
            if spec.path == ["metadata", "namespace"] || !spec.filter.matches(&gvk) {
                continue;
            }
            if spec.path.first().map(String::as_str) == Some("subjects") {
                continue;
            }
            spec.visit::<()>(&mut resource.object, &|| Value::String(String::new()), &mut |value| {
                *value = Value::String(namespace.to_string());
                Ok(())
            })
            .ok();
        }
    }
    Ok(())
}
