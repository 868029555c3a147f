//! The `replicas` transformer: set the replica count of workloads selected by name.

use serde_json::Value;

use super::config::TransformerConfig;
use super::kustomization::ReplicaOverride;
use super::resmap::ResMap;

/// Applies every `replicas` entry.
pub fn set_replicas(resources: &mut ResMap, overrides: &[ReplicaOverride], config: &TransformerConfig) {
    for entry in overrides {
        for resource in &mut resources.resources {
            if !resource.all_ids().iter().any(|id| id.name == entry.name) {
                continue;
            }
            let gvk = resource.gvk();
            for spec in config.replicas.iter().filter(|s| s.filter.matches(&gvk)) {
                let count = Value::from(entry.count);
                spec.visit::<()>(&mut resource.object, &|| Value::Null, &mut |value| {
                    *value = count.clone();
                    Ok(())
                })
                .ok();
            }
        }
    }
}
