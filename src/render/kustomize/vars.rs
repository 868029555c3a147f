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
        // kustomize binds each var to its object where the var is declared (`bind`).
        let Some(resource) = resources.resources.iter().find(|r| r.var_names.contains(&var.name)) else {
            return Err(fail(format!(
                "var '{}' cannot be mapped to a field in the set of known resources; check its objref",
                var.name
            )));
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
            spec.visit::<KustomizeError>(&mut resource.object, &|| Value::Null, &mut |value| {
                substitute(value, &values);
                Ok(())
            })?;
        }
    }
    Ok(())
}

/// kustomize's `MergeVars`: binds each var a kustomization declares to the one object of
/// its accumulated resources the var's objref names, so that a var refers to an object of
/// its own kustomization even when a parent brings another object of that name.
pub fn bind(resources: &mut ResMap, declared: &[VarEntry]) -> std::result::Result<(), String> {
    for var in declared {
        let mut matches: Vec<usize> =
            (0..resources.resources.len()).filter(|&i| refers_to(var, &resources.resources[i])).collect();
        if matches.len() > 1 {
            let listed: Vec<String> = declared.iter().map(|v| describe(v, false)).collect();
            return Err(format!(
                "merging vars [{}]: found {} resId matches for var {} (unable to disambiguate)",
                listed.join(" "),
                matches.len(),
                describe(var, true)
            ));
        }
        if let Some(index) = matches.pop() {
            resources.resources[index].var_names.push(var.name.clone());
        }
    }
    Ok(())
}

/// A var as Go prints kustomize's `Var` struct: `{name Kind.version.group {fieldpath}}`, the
/// version taken from `apiVersion` once kustomize has defaulted it.
fn describe(var: &VarEntry, defaulted: bool) -> String {
    let objref = &var.objref;
    let gvk = match objref.api_version.as_deref() {
        Some(api_version) if defaulted => Gvk::from_api_version(api_version, &objref.kind),
        _ => Gvk {
            group: objref.group.clone().unwrap_or_default(),
            version: objref.version.clone().unwrap_or_default(),
            kind: objref.kind.clone(),
        },
    };
    let or = |text: &str, placeholder: &str| if text.is_empty() { placeholder.to_string() } else { text.to_string() };
    let field = var.fieldref.as_ref().map(|f| f.field_path.as_str()).unwrap_or_default();
    let field = if defaulted && field.is_empty() { "metadata.name" } else { field };
    format!(
        "{{{} {}.{}.{} {{{field}}}}}",
        var.name,
        or(&gvk.kind, "[noKind]"),
        or(&gvk.version, "[noVer]"),
        or(&gvk.group, "[noGrp]")
    )
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
