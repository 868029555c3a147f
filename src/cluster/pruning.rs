//! What the API server keeps of a custom resource: fields its
//! CustomResourceDefinition's structural schema does not declare are pruned
//! on write (unless the schema preserves unknown fields), so a Git object
//! that carries such a field is compared as the server would store it.
//! Reads CRDs only; a CRD that cannot be read leaves its objects as they are.

use std::collections::HashMap;

use kube::api::{Api, DynamicObject};
use kube::discovery::ApiResource;
use serde_json::Value;

use super::ResourceInfo;

/// Structural schemas by (group, version, kind).
pub type Schemas = HashMap<(String, String, String), Value>;

/// Reads the schema of each custom resource kind among `infos` from its CRD
/// (one GET per kind). Kinds served by aggregated APIs, and CRDs the client may
/// not read, have no entry.
pub async fn read_schemas(client: &kube::Client, infos: &[&ResourceInfo]) -> Schemas {
    let crds = ApiResource {
        group: "apiextensions.k8s.io".into(),
        version: "v1".into(),
        api_version: "apiextensions.k8s.io/v1".into(),
        kind: "CustomResourceDefinition".into(),
        plural: "customresourcedefinitions".into(),
    };
    let api: Api<DynamicObject> = Api::all_with(client.clone(), &crds);
    let mut schemas = Schemas::new();
    for info in infos.iter().filter(|i| is_custom_group(&i.resource.group)) {
        let r = &info.resource;
        let key = (r.group.clone(), r.version.clone(), r.kind.clone());
        if schemas.contains_key(&key) {
            continue;
        }
        let Ok(Some(crd)) = api.get_opt(&format!("{}.{}", r.plural, r.group)).await else { continue };
        let schema = crd.data.pointer("/spec/versions").and_then(Value::as_array).and_then(|versions| {
            let version = versions.iter().find(|v| v.get("name").and_then(Value::as_str) == Some(&r.version))?;
            version.pointer("/schema/openAPIV3Schema").cloned()
        });
        if let Some(schema) = schema {
            schemas.insert(key, schema);
        }
    }
    schemas
}

/// The (group, version, kind) an object's schema is kept under.
pub fn schema_key(object: &Value) -> Option<(String, String, String)> {
    let api_version = object.get("apiVersion")?.as_str()?;
    let (group, version) = api_version.rsplit_once('/')?;
    Some((group.to_string(), version.to_string(), object.get("kind")?.as_str()?.to_string()))
}

/// The schemas that CustomResourceDefinitions among `objects` declare, per served version
/// (`apiextensions.k8s.io/v1`, and v1beta1's version-wide `validation`).
pub fn declared_schemas<'a>(objects: impl Iterator<Item = &'a Value>) -> Schemas {
    let mut schemas = Schemas::new();
    for crd in objects.filter(|o| o.get("kind").and_then(Value::as_str) == Some("CustomResourceDefinition")) {
        let Some(spec) = crd.get("spec") else { continue };
        let (Some(group), Some(kind)) =
            (spec.get("group").and_then(Value::as_str), spec.pointer("/names/kind").and_then(Value::as_str))
        else {
            continue;
        };
        let shared = spec.pointer("/validation/openAPIV3Schema");
        for version in spec.get("versions").and_then(Value::as_array).into_iter().flatten() {
            let Some(name) = version.get("name").and_then(Value::as_str) else { continue };
            if let Some(schema) = version.pointer("/schema/openAPIV3Schema").or(shared) {
                schemas.insert((group.to_string(), name.to_string(), kind.to_string()), schema.clone());
            }
        }
    }
    schemas
}

/// Groups that only CRDs (or aggregated APIs) serve.
fn is_custom_group(group: &str) -> bool {
    group.contains('.') && !group.ends_with(".k8s.io")
}

/// Drops the fields of `object` that `schema` would have the API server prune;
/// `apiVersion`, `kind` and `metadata` always stay.
pub fn prune_unknown_fields(object: &mut Value, schema: &Value) {
    prune(object, schema, true);
}

fn prune(value: &mut Value, schema: &Value, embedded: bool) {
    let flag = |name: &str| schema.get(name).and_then(Value::as_bool).unwrap_or(false);
    match value {
        Value::Object(map) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let additional = schema.get("additionalProperties");
            let keeps_unknown = flag("x-kubernetes-preserve-unknown-fields") || additional == Some(&Value::Bool(true));
            let embedded = embedded || flag("x-kubernetes-embedded-resource");
            map.retain(|key, child| {
                let child_schema = properties.and_then(|p| p.get(key)).or_else(|| additional.filter(|a| a.is_object()));
                match child_schema {
                    Some(child_schema) => {
                        prune(child, child_schema, false);
                        true
                    }
                    None => keeps_unknown || (embedded && matches!(key.as_str(), "apiVersion" | "kind" | "metadata")),
                }
            });
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for item in items {
                    prune(item, item_schema, false);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn unknown_fields_go_unless_the_schema_preserves_them() {
        let schema = json!({"type": "object", "properties": {"spec": {"type": "object", "properties": {
            "size": {"type": "integer"},
            "ports": {"type": "array", "items": {"type": "object", "properties": {"port": {"type": "integer"}}}},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "settings": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}}});
        let mut object = json!({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"},
            "spec": {"size": 2, "legacy": true, "ports": [{"port": 80, "name": "http"}],
                     "labels": {"a": "b"}, "settings": {"any": {"thing": 1}}}, "extra": 1});
        prune_unknown_fields(&mut object, &schema);
        assert_eq!(
            object,
            json!({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"},
                   "spec": {"size": 2, "ports": [{"port": 80}], "labels": {"a": "b"}, "settings": {"any": {"thing": 1}}}})
        );
    }

    #[test]
    fn crds_in_git_declare_their_schemas() {
        let crd = json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "spec": {"group": "example.com", "names": {"kind": "Gadget"}, "versions": [
                {"name": "v1", "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object"}}}}}]}});
        let schemas = declared_schemas([crd].iter());
        let gadget = json!({"apiVersion": "example.com/v1", "kind": "Gadget", "spec": {}, "stray": 1});
        let schema = &schemas[&schema_key(&gadget).unwrap()];
        let mut pruned = gadget.clone();
        prune_unknown_fields(&mut pruned, schema);
        assert_eq!(pruned, json!({"apiVersion": "example.com/v1", "kind": "Gadget", "spec": {}}));
    }

    #[test]
    fn only_custom_groups_have_crds() {
        assert!(is_custom_group("example.com"));
        assert!(!is_custom_group("apps"));
        assert!(!is_custom_group("networking.k8s.io"));
    }
}
