//! The ordered set of objects of a build (`ResMap`): appending with kustomize's conflict
//! rule, lookups by current or earlier identity, and absorbing generated objects by their
//! `behavior` (create, merge, replace).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::error::{KustomizeError, Result};
use super::resource::{Behavior, ResId, Resource};

/// Objects in the order they were added.
#[derive(Debug, Default, Clone)]
pub struct ResMap {
    /// The objects.
    pub resources: Vec<Resource>,
}

impl ResMap {
    /// Adds an object; an object with the same current identity is an error.
    pub fn append(&mut self, resource: Resource) -> Result<()> {
        let id = resource.id();
        if self.resources.iter().any(|r| r.is(&id)) {
            return Err(KustomizeError::ConflictingId { id: id.to_string(), origin: resource.origin.clone() });
        }
        self.resources.push(resource);
        Ok(())
    }

    /// Adds every object of another map.
    pub fn append_all(&mut self, other: ResMap) -> Result<()> {
        other.resources.into_iter().try_for_each(|r| self.append(r))
    }

    /// Indexes of objects whose current or any earlier identity is `id`.
    pub fn matching_any_id(&self, id: &ResId) -> Vec<usize> {
        (0..self.resources.len()).filter(|&i| self.resources[i].all_ids().iter().any(|x| x.same_object(id))).collect()
    }

    /// Adds a generated object, honoring its behavior against an existing one of that id.
    pub fn absorb(&mut self, mut generated: Resource) -> Result<()> {
        let id = generated.id();
        let mut matches = self.matching_any_id(&id);
        if matches.is_empty() {
            // kustomize also accepts a match on group, kind and name across namespaces.
            matches = (0..self.resources.len())
                .filter(|&i| {
                    let cur = self.resources[i].id();
                    cur.gvk.group == id.gvk.group && cur.gvk.kind == id.gvk.kind && cur.name == id.name
                })
                .collect();
        }
        let behavior = generated.behavior.unwrap_or(Behavior::Create);
        match (matches.as_slice(), behavior) {
            ([], Behavior::Create) => self.append(generated),
            ([], _) => Err(KustomizeError::GeneratorMerge {
                path: generated.origin.clone(),
                message: format!("id {} does not exist; cannot merge or replace", id.go_syntax()),
            }),
            ([index], Behavior::Merge | Behavior::Replace) => {
                let old = &self.resources[*index];
                copy_identity_and_metadata(&mut generated, old);
                if behavior == Behavior::Merge {
                    for field in ["data", "binaryData"] {
                        merge_string_map(&mut generated.object, &old.object, field);
                    }
                }
                generated.previous = old.previous.clone();
                generated.prefixes = old.prefixes.clone();
                generated.suffixes = old.suffixes.clone();
                generated.var_names = old.var_names.clone();
                generated.transformations = old.transformations.clone();
                // Either generator can turn the hash off; neither can turn it back on.
                generated.needs_hash = old.needs_hash && generated.needs_hash;
                self.resources[*index] = generated;
                Ok(())
            }
            ([_], Behavior::Create) => Err(KustomizeError::GeneratorMerge {
                path: generated.origin.clone(),
                message: format!("id {} exists; behavior must be merge or replace", id.go_syntax()),
            }),
            _ => Err(KustomizeError::Generator {
                path: generated.origin.clone(),
                message: format!(
                    "{} generator '{}': multiple objects match {id}; give the generator a namespace",
                    kind_label(&generated),
                    id.name
                ),
            }),
        }
    }
}

fn kind_label(resource: &Resource) -> &'static str {
    if resource.kind() == "Secret" { "Secret" } else { "ConfigMap" }
}

/// Name, namespace, and labels/annotations (the new object's win) come from the old object.
fn copy_identity_and_metadata(new: &mut Resource, old: &Resource) {
    for key in ["labels", "annotations"] {
        let mut merged: BTreeMap<String, String> = old.metadata_strings(key).into_iter().collect();
        merged.extend(new.metadata_strings(key));
        let metadata = new.metadata_mut();
        if merged.is_empty() {
            metadata.shift_remove(key);
        } else {
            let map: Map<String, Value> = merged.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
            metadata.insert(key.to_string(), Value::Object(map));
        }
    }
    let metadata = new.metadata_mut();
    metadata.insert("name".into(), Value::String(old.name().to_string()));
    if old.namespace().is_empty() {
        metadata.shift_remove("namespace");
    } else {
        metadata.insert("namespace".into(), Value::String(old.namespace().to_string()));
    }
}

/// `new[field] = old[field] + new[field]`, keys sorted as kustomize writes rebuilt maps.
fn merge_string_map(new: &mut Map<String, Value>, old: &Map<String, Value>, field: &str) {
    let mut merged: BTreeMap<String, Value> =
        old.get(field).and_then(Value::as_object).map(|m| m.clone().into_iter().collect()).unwrap_or_default();
    if let Some(own) = new.get(field).and_then(Value::as_object) {
        merged.extend(own.clone());
    }
    if !merged.is_empty() {
        new.insert(field.to_string(), Value::Object(merged.into_iter().collect()));
    }
}
