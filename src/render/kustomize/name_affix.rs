//! `namePrefix` and `nameSuffix`: rename every object except the kinds whose names other
//! systems depend on (CustomResourceDefinition, APIService, Namespace). References to the
//! renamed objects are rewritten at the end of the build (`name_reference.rs`).

use super::resmap::ResMap;

/// Adds `prefix` and `suffix` to every name.
pub fn add_affixes(resources: &mut ResMap, prefix: &str, suffix: &str) {
    if prefix.is_empty() && suffix.is_empty() {
        return;
    }
    for resource in &mut resources.resources {
        let gvk = resource.gvk();
        let skipped = matches!(
            (gvk.group.as_str(), gvk.kind.as_str()),
            (_, "CustomResourceDefinition") | ("apiregistration.k8s.io", "APIService") | (_, "Namespace")
        );
        if skipped {
            continue;
        }
        let renamed = format!("{prefix}{}{suffix}", resource.name());
        resource.set_identity(None, Some(&renamed));
    }
}
