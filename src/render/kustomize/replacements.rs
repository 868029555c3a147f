//! `replacements`: copy a value from one field of one object (the source) into fields of
//! other objects (the targets), with kustomize's rules: exactly one source, targets chosen
//! by exact id match plus label/annotation selectors minus `reject`, a missing target field
//! is an error unless `create`, scalar targets keep their type (a created one takes the
//! type its text reads as), `delimiter`/`index` edit one part of a delimited string.

use serde::Deserialize;
use serde_json::Value;

use super::error::{KustomizeError, Result};
use super::field_path::FieldPath;
use super::kustomization::{ReplacementEntry, Selector};
use super::loader::Loader;
use super::resmap::ResMap;
use super::resource::{Gvk, ResId, Resource};
use super::selector::CompiledSelector;
use super::yaml_input;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Replacement {
    source: Option<SourceSpec>,
    #[serde(default)]
    targets: Vec<TargetSpec>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct IdSelector {
    #[serde(default)]
    group: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    namespace: String,
    label_selector: Option<String>,
    annotation_selector: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SourceSpec {
    #[serde(flatten)]
    id: IdSelector,
    field_path: Option<String>,
    options: Option<FieldOptions>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TargetSpec {
    select: Option<IdSelector>,
    #[serde(default)]
    reject: Vec<IdSelector>,
    #[serde(default)]
    field_paths: Vec<String>,
    options: Option<FieldOptions>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldOptions {
    #[serde(default)]
    delimiter: String,
    #[serde(default)]
    index: i64,
    #[serde(default)]
    create: bool,
}

impl IdSelector {
    /// kustomize's `ResId.IsSelectedBy`: every non-empty part equal; namespaces compare effectively.
    fn selects_id(&self, id: &ResId) -> bool {
        let probe = ResId { gvk: id.gvk.clone(), namespace: self.namespace.clone(), name: String::new() };
        (self.group.is_empty() || self.group == id.gvk.group)
            && (self.version.is_empty() || self.version == id.gvk.version)
            && (self.kind.is_empty() || self.kind == id.gvk.kind)
            && (self.name.is_empty() || self.name == id.name)
            && (self.namespace.is_empty() || probe.effective_namespace() == id.effective_namespace())
    }

    fn selects(&self, resource: &Resource) -> std::result::Result<bool, String> {
        let metadata_selector = Selector {
            label_selector: self.label_selector.clone(),
            annotation_selector: self.annotation_selector.clone(),
            ..Selector::default()
        };
        if !CompiledSelector::new(&metadata_selector)?.matches(resource) {
            return Ok(false);
        }
        Ok(resource.all_ids().iter().any(|id| self.selects_id(id)))
    }

    /// The selector as kustomize prints it: in `ResId` form, placeholders for what is unset.
    fn describe(&self) -> String {
        let gvk = Gvk { group: self.group.clone(), version: self.version.clone(), kind: self.kind.clone() };
        ResId { gvk, namespace: self.namespace.clone(), name: self.name.clone() }.to_string()
    }
}

/// Applies every replacement, in order.
pub fn apply(resources: &mut ResMap, entries: &[ReplacementEntry], loader: &Loader) -> Result<()> {
    let fail = |message: String| KustomizeError::Replacement { path: loader.kustomization_path.clone(), message };
    for replacement in load(entries, loader)? {
        let source = replacement.source.as_ref().ok_or_else(|| fail("a replacement needs a source".into()))?;
        let value = source_value(resources, source).map_err(fail)?;
        for target in &replacement.targets {
            apply_target(resources, target, &value).map_err(fail)?;
        }
    }
    Ok(())
}

fn load(entries: &[ReplacementEntry], loader: &Loader) -> Result<Vec<Replacement>> {
    let mut all = Vec::new();
    for entry in entries {
        let (value, origin) = match entry {
            ReplacementEntry::File { path } => {
                let text = String::from_utf8_lossy(&loader.read_relative(path)?).into_owned();
                let origin = loader.resolve(path);
                (yaml_input::parse_single(&text, &origin)?, origin)
            }
            ReplacementEntry::Inline(value) => (value.clone(), loader.kustomization_path.clone()),
        };
        let items = match value {
            Value::Array(items) => items,
            single => vec![single],
        };
        for item in items {
            let replacement: Replacement = serde_json::from_value(item).map_err(|err| KustomizeError::Replacement {
                path: origin.clone(),
                message: format!("invalid replacement: {err}"),
            })?;
            all.push(replacement);
        }
    }
    Ok(all)
}

fn source_value(resources: &ResMap, source: &SourceSpec) -> std::result::Result<Value, String> {
    let mut found = Vec::new();
    for resource in &resources.resources {
        if source.id.selects(resource)? {
            found.push(resource);
        }
    }
    let resource = match found.as_slice() {
        [one] => *one,
        [] => return Err(format!("nothing selected by {}", source.id.describe())),
        _ => return Err(format!("multiple matches for selector {}", source.id.describe())),
    };
    let path = FieldPath::parse(source.field_path.as_deref().unwrap_or("metadata.name"));
    let object = Value::Object(resource.object.clone());
    let Some(value) = path.find(&object).into_iter().next().cloned() else {
        return Err(format!("fieldPath `{}` is missing for replacement source {}", path.text(), resource.id()));
    };
    match source.options.as_ref().filter(|o| !o.delimiter.is_empty()) {
        None => Ok(value),
        Some(options) => {
            let text = scalar_text(&value).ok_or("delimiter option can only be used with scalar nodes")?;
            let parts: Vec<&str> = text.split(options.delimiter.as_str()).collect();
            let part = usize::try_from(options.index)
                .ok()
                .and_then(|i| parts.get(i))
                .ok_or_else(|| format!("options.index {} is out of bounds for value {text}", options.index))?;
            Ok(Value::String(part.to_string()))
        }
    }
}

fn apply_target(resources: &mut ResMap, target: &TargetSpec, value: &Value) -> std::result::Result<(), String> {
    let options = target.options.clone().unwrap_or_default();
    for resource in &mut resources.resources {
        let selected = match &target.select {
            Some(select) => select.selects(resource)?,
            None => true,
        };
        if !selected {
            continue;
        }
        let mut rejected = false;
        for reject in &target.reject {
            rejected |= reject.selects(resource)?;
        }
        if rejected {
            continue;
        }
        let mut object = Value::Object(std::mem::take(&mut resource.object));
        let result = set_fields(&mut object, target, &options, value);
        if let Value::Object(map) = object {
            resource.object = map;
        }
        result?;
    }
    Ok(())
}

fn set_fields(
    object: &mut Value,
    target: &TargetSpec,
    options: &FieldOptions,
    value: &Value,
) -> std::result::Result<(), String> {
    for text in &target.field_paths {
        let path = FieldPath::parse(text);
        let mut hits = 0;
        let mut failure = None;
        let walked = path.visit_mut(object, options.create, &mut |field, created| {
            hits += 1;
            if let Err(err) = set_value(field, created, value, options) {
                failure = Some(err);
            }
        });
        if let Some(err) = failure {
            return Err(err);
        }
        let verb = if options.create { "find or create" } else { "find" };
        if let Err(reason) = walked {
            return Err(format!("unable to {verb} field \"{text}\" in replacement target: {reason}"));
        }
        if hits == 0 {
            return Err(format!("unable to {verb} field \"{text}\" in replacement target"));
        }
    }
    Ok(())
}

/// `created` is true for a field the replacement just added, a node without a tag: kyaml
/// copies only the text there, which then reads as go-yaml v3 resolves it ("13" becomes a
/// number, "" null).
fn set_value(
    field: &mut Value,
    created: bool,
    value: &Value,
    options: &FieldOptions,
) -> std::result::Result<(), String> {
    let mut value = value.clone();
    if !options.delimiter.is_empty() {
        let current = scalar_text(field).ok_or("delimiter option can only be used with scalar nodes")?;
        let new = scalar_text(&value).unwrap_or_default();
        let mut parts: Vec<String> = current.split(options.delimiter.as_str()).map(str::to_string).collect();
        match usize::try_from(options.index) {
            Err(_) => parts.insert(0, new),
            Ok(i) if i >= parts.len() => parts.push(new),
            Ok(i) => parts[i] = new,
        }
        value = Value::String(parts.join(&options.delimiter));
    }
    if created && let Some(text) = scalar_text(&value).filter(|_| !value.is_null()) {
        *field = match crate::yaml::resolve_plain(crate::yaml::Dialect::Yaml12, &text) {
            crate::yaml::Scalar::Null => Value::Null,
            crate::yaml::Scalar::Bool(flag) => Value::Bool(flag),
            crate::yaml::Scalar::Int(int) => Value::from(int),
            crate::yaml::Scalar::Uint(int) => Value::from(int),
            crate::yaml::Scalar::Float(float) => {
                serde_json::Number::from_f64(float).map(Value::Number).unwrap_or(Value::String(text))
            }
            _ => Value::String(text),
        };
        return Ok(());
    }
    // A scalar target keeps its type: only the text is copied (kyaml keeps the node's tag),
    // and text the tag cannot hold fails as go-yaml fails to decode it (a null field takes
    // only text that reads as null).
    let tag = match &*field {
        Value::Number(number) if number.is_f64() => Some("tag:yaml.org,2002:float"),
        Value::Number(_) => Some("tag:yaml.org,2002:int"),
        Value::Bool(_) => Some("tag:yaml.org,2002:bool"),
        Value::Null if !created => Some("tag:yaml.org,2002:null"),
        _ => None,
    };
    *field = match (tag, &*field, scalar_text(&value)) {
        (Some(tag), _, Some(text)) => {
            let decoded = crate::yaml::resolve_tagged(crate::yaml::Dialect::Yaml12, tag, &text)
                .map_err(|message| format!("map[string]interface {{}}(nil): yaml: {message}"))?;
            match decoded {
                crate::yaml::Scalar::Bool(flag) => Value::Bool(flag),
                crate::yaml::Scalar::Int(int) => Value::from(int),
                crate::yaml::Scalar::Uint(int) => Value::from(int),
                // A float field given an integer keeps the integer's text.
                crate::yaml::Scalar::Float(_) if text.parse::<i64>().is_ok() => {
                    Value::from(text.parse::<i64>().unwrap_or_default())
                }
                crate::yaml::Scalar::Float(float) => {
                    serde_json::Number::from_f64(float).map(Value::Number).unwrap_or(Value::String(text))
                }
                crate::yaml::Scalar::Null => Value::Null,
                _ => Value::String(text),
            }
        }
        (None, Value::String(_), Some(text)) => Value::String(text),
        _ => value,
    };
    Ok(())
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}
