//! The `crds:` field: OpenAPI definition files (a map from Go type name to
//! `{Schema, Dependencies}`, JSON or YAML) whose vendor extensions tell kustomize's
//! transformers about custom resources — which fields name other objects
//! (`x-kubernetes-object-ref-kind`/`-api-version`/`-name-key`), carry label selectors
//! (`x-kubernetes-label-selector`), annotations (`x-kubernetes-annotation`) or the
//! object's own name (`x-kubernetes-identity`, which takes the name prefix).
//!
//! Like kustomize it only extends the transformer configuration: merge keys and patch
//! strategies in these files do not change how patches merge (custom resources keep
//! merging lists by replacement). It must not read anything but the listed files.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::config::{NameReference, TransformerConfig};
use super::error::{KustomizeError, Result};
use super::fieldspec::{FieldSpec, KindFilter};

/// `$ref` chains deeper than this are cut: a self-referencing definition would otherwise
/// recurse forever.
const MAX_REF_DEPTH: usize = 64;

/// Reads one `crds:` file (`entry` as written in the kustomization) into the field specs it
/// declares.
pub fn read_definitions(content: &[u8], entry: &str) -> Result<TransformerConfig> {
    let is_json = content.first() == Some(&b'{');
    // YAML goes through sigs.k8s.io/yaml, which wraps the JSON decoder's messages.
    let wrapper = if is_json { "" } else { "error unmarshaling JSON: while decoding JSON: " };
    let invalid = |message: String| KustomizeError::Definitions {
        entry: entry.to_string(),
        message: format!("{wrapper}{message}"),
    };
    let unmarshal_error = |value: &Value, target: &str| {
        invalid(format!("json: cannot unmarshal {} into Go value of type {target}", crate::yaml::json_kind(value)))
    };
    let text = String::from_utf8_lossy(content);
    let parsed = if is_json {
        crate::yaml::gounmarshal::from_str(&text).map_err(|err| invalid(err.to_string()))?
    } else {
        // sigs.k8s.io/yaml reads YAML 1.1 (`yes` is a boolean), as Helm does.
        crate::yaml::from_yaml_helm(&text).map_err(|err| invalid(err.to_string()))?
    };
    let definitions = match parsed {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => return Err(unmarshal_error(&other, "accumulator.nameToApiMap")),
    };
    if let Some(bad) = definitions.values().find(|definition| !definition.is_object() && !definition.is_null()) {
        return Err(unmarshal_error(bad, "accumulator.OpenAPIDefinition"));
    }
    // Go walks a map in random order; the resulting configuration is the same, so walk
    // it sorted to stay deterministic.
    let definitions: BTreeMap<&str, &Map<String, Value>> = definitions
        .iter()
        .filter_map(|(name, definition)| Some((name.as_str(), definition.as_object().and_then(schema_of)?)))
        .collect();

    let mut config = TransformerConfig::default();
    for (&type_name, schema) in &definitions {
        if !looks_like_an_object(schema) {
            continue;
        }
        let kind = type_name.rsplit('.').next().unwrap_or(type_name);
        let filter = KindFilter { kind: kind.to_string(), ..KindFilter::default() };
        let mut walk = Walk { definitions: &definitions, filter, config: TransformerConfig::default() };
        walk.definition(type_name, &mut Vec::new());
        config.merge(&walk.config)?;
    }
    Ok(config)
}

/// The `Schema` of a definition; Go's JSON decoding matches field names case-insensitively.
fn schema_of(definition: &Map<String, Value>) -> Option<&Map<String, Value>> {
    definition.iter().find(|(key, _)| key.eq_ignore_ascii_case("schema")).and_then(|(_, schema)| schema.as_object())
}

fn properties(schema: &Map<String, Value>) -> Option<&Map<String, Value>> {
    schema.get("properties").and_then(Value::as_object)
}

/// kustomize only configures definitions that have `kind`, `apiVersion` and `metadata`.
fn looks_like_an_object(schema: &Map<String, Value>) -> bool {
    properties(schema).is_some_and(|p| ["kind", "apiVersion", "metadata"].iter().all(|key| p.contains_key(*key)))
}

/// A vendor extension holding a string; other value types do not count, as with
/// go-openapi's `Extensions.GetString` (which also misses names not written in lower case).
fn extension<'a>(property: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    property.get(name).and_then(Value::as_str)
}

/// The walk from one top-level definition through its `$ref`s, collecting field specs for
/// the kind the definition describes.
struct Walk<'a> {
    definitions: &'a BTreeMap<&'a str, &'a Map<String, Value>>,
    filter: KindFilter,
    config: TransformerConfig,
}

impl Walk<'_> {
    fn definition(&mut self, type_name: &str, path: &mut Vec<String>) {
        let Some(props) = self.definitions.get(type_name).and_then(|schema| properties(schema)) else {
            return;
        };
        if path.len() >= MAX_REF_DEPTH {
            return;
        }
        for (name, property) in props {
            let Some(property) = property.as_object() else {
                continue;
            };
            path.push(name.clone());
            let spec = || FieldSpec { filter: self.filter.clone(), path: path.clone(), create: false };
            if extension(property, "x-kubernetes-annotation").is_some() {
                self.config.annotations.push(spec());
            }
            if extension(property, "x-kubernetes-label-selector").is_some() {
                self.config.selector_labels.push(spec());
            }
            if extension(property, "x-kubernetes-identity").is_some() {
                self.config.name_prefix.push(spec());
            }
            if let (Some(version), Some(kind)) = (
                extension(property, "x-kubernetes-object-ref-api-version"),
                extension(property, "x-kubernetes-object-ref-kind"),
            ) {
                let name_key = extension(property, "x-kubernetes-object-ref-name-key").unwrap_or("name");
                let mut referrer = spec();
                referrer.path.push(name_key.to_string());
                let target =
                    KindFilter { version: version.to_string(), kind: kind.to_string(), ..KindFilter::default() };
                self.config.name_references.push(NameReference { target, referrer });
            }
            if let Some(reference) = property.get("$ref").and_then(Value::as_str).filter(|r| !r.is_empty()) {
                let reference = reference.to_string();
                self.definition(&reference, path);
            }
            path.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFINITIONS: &str = r#"{
      "example.com/apis/v1.Widget": {"Schema": {"properties": {
        "apiVersion": {}, "kind": {}, "metadata": {},
        "spec": {"$ref": "example.com/apis/v1.WidgetSpec"}}}},
      "example.com/apis/v1.WidgetSpec": {"schema": {"properties": {
        "secretRef": {"x-kubernetes-object-ref-api-version": "v1", "x-kubernetes-object-ref-kind": "Secret"},
        "config": {"x-kubernetes-object-ref-api-version": "v1", "x-kubernetes-object-ref-kind": "ConfigMap",
                   "x-kubernetes-object-ref-name-key": "configName"},
        "selector": {"x-kubernetes-label-selector": ""},
        "notes": {"x-kubernetes-annotation": true},
        "self": {"$ref": "example.com/apis/v1.WidgetSpec"}}}}
    }"#;

    #[test]
    fn extensions_become_field_specs_for_the_kind() {
        let config = read_definitions(DEFINITIONS.as_bytes(), "widget.json").unwrap();
        let reference = |kind: &str| {
            config.name_references.iter().find(|nr| nr.target.kind == kind).map(|nr| nr.referrer.path.join("/"))
        };
        assert_eq!(reference("Secret").as_deref(), Some("spec/secretRef/name"));
        assert_eq!(reference("ConfigMap").as_deref(), Some("spec/config/configName"));
        assert!(config.name_references.iter().all(|nr| nr.referrer.filter.kind == "Widget"));
        assert_eq!(config.selector_labels[0].path, ["spec", "selector"]);
        // Only string-valued extensions count, as with go-openapi's GetString.
        assert!(config.annotations.is_empty());
    }

    #[test]
    fn definitions_that_are_not_maps_fail_as_go_decoding_does() {
        let err = read_definitions(br#"{"a.b.C": 5}"#, "b.json").unwrap_err().to_string();
        assert_eq!(
            err,
            "unable to parse open API definition from 'b.json': \
             json: cannot unmarshal number into Go value of type accumulator.OpenAPIDefinition"
        );
    }
}
