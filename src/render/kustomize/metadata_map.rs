//! The one mechanism behind `commonLabels`, `labels` and `commonAnnotations`: add
//! key/value pairs to every string map a list of field specs names (metadata, selectors,
//! pod templates), creating the maps where the spec says so.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::error::{KustomizeError, Result};
use super::fieldspec::FieldSpec;
use super::resmap::ResMap;

/// Adds `pairs` at every field `specs` select, in every object. Existing keys are
/// overwritten in place; new keys go after them in key order.
pub fn add_pairs(resources: &mut ResMap, specs: &[FieldSpec], pairs: &BTreeMap<String, String>) -> Result<()> {
    if pairs.is_empty() {
        return Ok(());
    }
    for resource in &mut resources.resources {
        let gvk = resource.gvk();
        let describe = resource.describe();
        for spec in specs.iter().filter(|s| s.filter.matches(&gvk)) {
            spec.visit(&mut resource.object, &|| Value::Object(Map::new()), &mut |value| {
                if value.is_null() {
                    *value = Value::Object(Map::new());
                }
                let Value::Object(map) = value else {
                    return Err(KustomizeError::Transform {
                        object: describe.clone(),
                        message: format!("expected a map at {}, found {value}", spec.path.join("/")),
                    });
                };
                for (key, val) in pairs {
                    map.insert(key.clone(), Value::String(val.clone()));
                }
                Ok(())
            })?;
        }
    }
    Ok(())
}
