//! `namePrefix` and `nameSuffix`: rename every object except the kinds whose names other
//! systems depend on (CustomResourceDefinition, APIService, Namespace), and affix the other
//! fields the configuration names (`configurations:` files, `x-kubernetes-identity` in
//! `crds:`). References to renamed objects are rewritten at the end of the build
//! (`name_reference.rs`).

use serde_json::Value;

use super::error::{KustomizeError, Result};
use super::fieldspec::FieldSpec;
use super::resmap::ResMap;

/// Where an affix goes: kustomize runs the prefix and the suffix as two transformers,
/// each with its own field specs.
#[derive(Debug, Clone, Copy)]
pub enum Affix<'a> {
    /// `namePrefix`.
    Prefix(&'a str),
    /// `nameSuffix`.
    Suffix(&'a str),
}

impl Affix<'_> {
    fn apply(self, text: &str) -> String {
        match self {
            Affix::Prefix(prefix) => format!("{prefix}{text}"),
            Affix::Suffix(suffix) => format!("{text}{suffix}"),
        }
    }

    fn is_empty(self) -> bool {
        match self {
            Affix::Prefix(text) | Affix::Suffix(text) => text.is_empty(),
        }
    }
}

/// Adds `affix` to the fields `specs` name; `metadata/name` renames the object.
pub fn add_affix(resources: &mut ResMap, affix: Affix<'_>, specs: &[FieldSpec]) -> Result<()> {
    if affix.is_empty() {
        return Ok(());
    }
    for resource in &mut resources.resources {
        // kustomize decides on the identity the object entered the build with.
        let gvk = resource.original_id().gvk;
        let skipped = matches!(
            (gvk.group.as_str(), gvk.kind.as_str()),
            (_, "CustomResourceDefinition") | ("apiregistration.k8s.io", "APIService") | (_, "Namespace")
        );
        if skipped {
            continue;
        }
        for spec in specs.iter().filter(|spec| spec.filter.matches(&gvk)) {
            if spec.path == ["metadata", "name"] {
                let renamed = affix.apply(resource.name());
                resource.set_identity(None, Some(&renamed));
                match affix {
                    Affix::Prefix(prefix) => resource.prefixes.push(prefix.to_string()),
                    Affix::Suffix(suffix) => resource.suffixes.push(suffix.to_string()),
                }
                continue;
            }
            spec.visit::<KustomizeError>(&mut resource.object, &|| Value::String(String::new()), &mut |value| {
                let text = match value {
                    Value::String(text) => text.clone(),
                    Value::Number(number) => number.to_string(),
                    Value::Bool(flag) => flag.to_string(),
                    _ => return Ok(()),
                };
                *value = Value::String(affix.apply(&text));
                Ok(())
            })?;
        }
    }
    Ok(())
}
