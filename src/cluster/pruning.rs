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
    fn only_custom_groups_have_crds() {
        assert!(is_custom_group("example.com"));
        assert!(!is_custom_group("apps"));
        assert!(!is_custom_group("networking.k8s.io"));
    }
}
