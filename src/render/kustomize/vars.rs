//! Legacy `vars`: after every other step, `$(NAME)` in the configured fields (the
//! `varReference` table: container args, commands, env values, ...) becomes the value of a
//! field of a named object. `$$` escapes a `$`; unknown names stay as written.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::error::{KustomizeError, Result};
use super::field_path::FieldPath;
use super::fieldspec::FieldSpec;
use super::kustomization::VarEntry;
use super::resmap::ResMap;
use super::resource::{Gvk, Resource};

/// Substitutes every var in every configured field.
pub fn resolve(resources: &mut ResMap, vars: &[VarEntry], fields: &[FieldSpec], path: &Path) -> Result<()> {
    if vars.is_empty() {
        return Ok(());
    }
    let fail = |message: String| KustomizeError::Replacement { path: path.to_path_buf(), message };
    let mut values = BTreeMap::new();
    for var in vars {
        let found: Vec<&Resource> = resources.resources.iter().filter(|r| refers_to(var, r)).collect();
        let resource = match found.as_slice() {
            [one] => *one,
            [] => {
                return Err(fail(format!(
                    "var '{}' cannot be mapped to a field in the set of known resources; check its objref",
                    var.name
                )));
            }
            many => {
                return Err(fail(format!(
                    "found {} resId matches for var {} (unable to disambiguate); add a namespace to its objref",
                    many.len(),
                    var.name
                )));
            }
        };
        let field =
            var.fieldref.as_ref().map(|f| f.field_path.as_str()).filter(|f| !f.is_empty()).unwrap_or("metadata.name");
        let object = Value::Object(resource.object.clone());
        let value =
            FieldPath::parse(&bracket_indexes(field)).find(&object).into_iter().next().cloned().ok_or_else(|| {
                fail(format!("field specified in var '{}' ({field}) not found in {}", var.name, resource.describe()))
            })?;
        if value.is_object() || value.is_array() {
            return Err(fail(format!("var '{}' must name a scalar field, {field} is not one", var.name)));
        }
        values.insert(var.name.clone(), value);
    }
    for resource in &mut resources.resources {
        let gvk = resource.gvk();
        for spec in fields.iter().filter(|s| s.filter.matches(&gvk)) {
            spec.visit::<()>(&mut resource.object, &|| Value::Null, &mut |value| {
                substitute(value, &values);
                Ok(())
            })
            .ok();
        }
    }
    Ok(())
}

/// `containers[0].image` → `containers.[0].image`, the form `FieldPath` reads.
fn bracket_indexes(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 4);
    let mut previous = '.';
    for c in path.chars() {
        if c == '[' && previous != '.' {
            out.push('.');
        }
        out.push(c);
        previous = c;
    }
    out
}

fn refers_to(var: &VarEntry, resource: &Resource) -> bool {
    let objref = &var.objref;
    let wanted = match objref.api_version.as_deref() {
        Some(api_version) => Gvk::from_api_version(api_version, &objref.kind),
        None => Gvk {
            group: objref.group.clone().unwrap_or_default(),
            version: objref.version.clone().unwrap_or_default(),
            kind: objref.kind.clone(),
        },
    };
    resource.all_ids().iter().any(|id| {
        id.gvk.kind == wanted.kind
            && id.gvk.group == wanted.group
            && (wanted.version.is_empty() || id.gvk.version == wanted.version)
            && id.name == objref.name
            && objref.namespace.as_deref().is_none_or(|ns| ns.is_empty() || id.namespace == ns)
    })
}

fn substitute(value: &mut Value, values: &BTreeMap<String, Value>) {
    match value {
        Value::String(text) => {
            if let Some(name) = text.strip_prefix("$(").and_then(|r| r.strip_suffix(')'))
                && let Some(found) = values.get(name)
                && !name.contains(['(', ')', '$'])
            {
                *value = found.clone();
                return;
            }
            *text = expand(text, values);
        }
        Value::Array(items) => items.iter_mut().for_each(|item| substitute(item, values)),
        Value::Object(map) => map.values_mut().for_each(|item| substitute(item, values)),
        _ => {}
    }
}

/// Kubernetes' `$(VAR)` expansion: `$$` is a literal `$`, unknown names are kept.
fn expand(text: &str, values: &BTreeMap<String, Value>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(index) = rest.find('$') {
        out.push_str(&rest[..index]);
        let after = &rest[index + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('(')
            && let Some(close) = inner.find(')')
        {
            let name = &inner[..close];
            match values.get(name) {
                Some(Value::String(s)) => out.push_str(s),
                Some(other) => out.push_str(&other.to_string()),
                None => {
                    out.push_str("$(");
                    out.push_str(name);
                    out.push(')');
                }
            }
            rest = &inner[close + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expands_known_vars_keeps_unknown_and_unescapes_dollars() {
        let values = BTreeMap::from([("SVC".to_string(), json!("web")), ("PORT".to_string(), json!(80))]);
        assert_eq!(expand("http://$(SVC):$(PORT)/$(NOPE) $$(SVC)", &values), "http://web:80/$(NOPE) $(SVC)");
        let mut whole = json!("$(PORT)");
        substitute(&mut whole, &values);
        assert_eq!(whole, json!(80));
    }
}
