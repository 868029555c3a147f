//! The `replicas` transformer: set the replica count of workloads selected by name. An entry
//! that names no workload of a kind the configuration lists is an error, as in kustomize.

use serde_json::Value;

use super::error::{KustomizeError, Result};
use super::fieldspec::FieldSpec;
use super::kustomization::ReplicaOverride;
use super::resmap::ResMap;

/// Applies every `replicas` entry at the fields `specs` name (the configuration's replica
/// fields, or a replica count transformer plugin's); `kustomization` is the file that
/// declares them.
pub fn set_replicas(
    resources: &mut ResMap,
    overrides: &[ReplicaOverride],
    specs: &[FieldSpec],
    kustomization: &std::path::Path,
) -> Result<()> {
    for entry in overrides {
        let mut found = false;
        for resource in &mut resources.resources {
            // kustomize matches any identity the object had, by name and the spec's kind.
            let ids = resource.all_ids();
            for spec in specs {
                if !ids.iter().any(|id| id.name == entry.name && spec.filter.matches(&id.gvk)) {
                    continue;
                }
                found = true;
                let count = Value::from(entry.count);
                spec.visit::<KustomizeError>(&mut resource.object, &|| Value::Null, &mut |value| {
                    *value = count.clone();
                    Ok(())
                })?;
            }
        }
        if !found {
            let kinds: Vec<String> = specs.iter().map(|spec| spec.filter.go_string()).collect();
            return Err(KustomizeError::Refused {
                path: kustomization.to_path_buf(),
                message: format!(
                    "resource with name {} does not match a config with the following GVK [{}]",
                    entry.name,
                    kinds.join(" ")
                ),
            });
        }
    }
    Ok(())
}
