//! Patch and replacement targets: the shared target selector (`crate::object::selector`)
//! applied the kustomize way — an object answers to the name and namespace it has now and
//! to the ones it entered the build with, and an unset namespace is `default`.

use super::kustomization::Selector;
use super::resource::Resource;
use crate::object::selector::{Subject, TargetSelector};

/// A compiled selector.
#[derive(Debug)]
pub struct CompiledSelector(TargetSelector);

impl CompiledSelector {
    /// Compiles a selector; the error says which part is not a valid regex or selector.
    pub fn new(selector: &Selector) -> Result<Self, String> {
        TargetSelector::compile(selector).map(CompiledSelector).map_err(|err| err.to_string())
    }

    /// True when the object is selected.
    pub fn matches(&self, resource: &Resource) -> bool {
        let original = resource.original_id();
        let current = resource.id();
        let subject = Subject {
            api_version: resource.api_version(),
            kind: resource.kind(),
            names: &[&original.name, &current.name],
            namespaces: &[original.effective_namespace(), current.effective_namespace()],
            metadata: resource.object.get("metadata").and_then(serde_json::Value::as_object),
        };
        self.0.matches(&subject)
    }
}
