//! Puts the legs in comparable form and knows which fields belong to the
//! server: status and server-set metadata are dropped, Secret `stringData`
//! is folded into base64 `data` (what the API server stores), loose
//! spellings are read as the server reads them (`spelling`), and keys that
//! the API server or well-known controllers add are recognized.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use crate::object::Pointer;

/// Metadata fields that only the API server sets.
const SERVER_METADATA: [&str; 9] = [
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "managedFields",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "ownerReferences",
];

/// Annotations (exact keys, or prefixes ending in `/`) that the API server,
/// controllers or deployment tools write on their own.
pub const SYSTEM_ANNOTATIONS: [&str; 14] = [
    crate::object::LAST_APPLIED_ANNOTATION,
    "deployment.kubernetes.io/",
    "deprecated.daemonset.template.generation",
    "control-plane.alpha.kubernetes.io/leader",
    "pv.kubernetes.io/",
    "volume.beta.kubernetes.io/",
    "volume.kubernetes.io/",
    "autoscaling.alpha.kubernetes.io/",
    "endpoints.kubernetes.io/",
    "kubernetes.io/service-account.",
    "meta.helm.sh/",
    "kustomize.toolkit.fluxcd.io/",
    "helm.toolkit.fluxcd.io/",
    "batch.kubernetes.io/",
];

/// Labels (exact keys, or prefixes ending in `/`) that the API server,
/// controllers or deployment tools add on their own.
pub const SYSTEM_LABEL_PREFIXES: [&str; 10] = [
    "kubernetes.io/metadata.name",
    "controller-uid",
    "job-name",
    "batch.kubernetes.io/",
    "pod-template-hash",
    "controller-revision-hash",
    "statefulset.kubernetes.io/",
    "kustomize.toolkit.fluxcd.io/",
    "helm.toolkit.fluxcd.io/",
    "app.kubernetes.io/managed-by",
];

/// Maps whose keys are chosen by people (so an extra key is a change, not a default).
const FREE_FORM_MAPS: [&str; 7] =
    ["labels", "annotations", "data", "binaryData", "stringData", "nodeSelector", "matchLabels"];

/// Prepares an object from Git or last-applied state for comparison.
pub fn prepare(object: &Value) -> Value {
    let mut object = super::spelling::apply_form(object);
    let Some(map) = object.as_object_mut() else { return object };
    map.remove("status");
    if let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) {
        for field in SERVER_METADATA {
            meta.remove(field);
        }
    }
    if map.get("kind").and_then(Value::as_str) == Some("Secret")
        && map.get("apiVersion").and_then(Value::as_str) == Some("v1")
    {
        fold_string_data(map);
    }
    object
}

/// Where a field of `object` is found once [`prepare`]d: a Secret's
/// `stringData` keys move to `data`; every other path stays.
pub fn prepared_path(object: &Value, path: &Pointer) -> Pointer {
    let is_secret = object.get("kind").and_then(Value::as_str) == Some("Secret")
        && object.get("apiVersion").and_then(Value::as_str) == Some("v1");
    match path.segments().split_first() {
        Some((first, rest)) if is_secret && first == "stringData" => {
            let mut segments = vec!["data".to_string()];
            segments.extend_from_slice(rest);
            Pointer::from_segments(&segments)
        }
        _ => path.clone(),
    }
}

/// Prepares a live object (or a server-side dry-run result) for an exact comparison.
pub fn prepare_exact(object: &Value) -> Value {
    let mut object = prepare(object);
    if let Some(annotations) = object.pointer_mut("/metadata/annotations").and_then(Value::as_object_mut) {
        annotations.retain(|key, _| !is_system_key(SYSTEM_ANNOTATIONS.as_slice(), key));
    }
    object
}

/// `stringData` is write-only: the API server stores it base64-encoded in `data`,
/// with `stringData` winning over `data` for the same key.
fn fold_string_data(secret: &mut Map<String, Value>) {
    let string_data = secret.remove("stringData");
    let data = secret.entry("data").or_insert_with(|| Value::Object(Map::new()));
    let Some(data) = data.as_object_mut() else { return };
    // Re-encode so equal bytes compare equal whatever the padding or wrapping in Git.
    for value in data.values_mut() {
        if let Some(bytes) = value.as_str().and_then(|s| STANDARD.decode(s.replace(['\n', '\r', ' '], "")).ok()) {
            *value = Value::String(STANDARD.encode(bytes));
        }
    }
    if let Some(Value::Object(plain)) = string_data {
        for (key, value) in plain {
            let text = match value {
                Value::String(s) => s,
                other => other.to_string(),
            };
            data.insert(key, Value::String(STANDARD.encode(text)));
        }
    }
    if data.is_empty() {
        secret.remove("data");
    }
}

fn is_system_key(list: &[&str], key: &str) -> bool {
    list.iter().any(|k| if k.ends_with('/') || k.ends_with('.') { key.starts_with(k) } else { key == *k })
}

/// Whether a field that only the live object has was put there by the system
/// (a known annotation or label, or anything under status and server metadata).
pub fn is_system_field(path: &Pointer) -> bool {
    // Asked at every level of a walk: the path's segments are not gathered.
    match path.first() {
        Some("status") => true,
        Some("metadata") if path.len() == 2 => path.last().is_some_and(|field| SERVER_METADATA.contains(&field)),
        _ => {
            let key = path.last().unwrap_or("");
            match path.from_end(1) {
                Some("annotations") => is_system_key(SYSTEM_ANNOTATIONS.as_slice(), key),
                Some("labels") => is_system_key(SYSTEM_LABEL_PREFIXES.as_slice(), key),
                _ => false,
            }
        }
    }
}

/// Whether the field is a map whose keys people choose (labels, data…).
pub fn is_free_form_map(path: &Pointer) -> bool {
    path.last().is_some_and(|key| FREE_FORM_MAPS.contains(&key))
}

/// Whether the field is an entry of a map whose keys people choose (labels, data…).
pub fn is_free_form_entry(path: &Pointer) -> bool {
    path.from_end(1).is_some_and(|map| FREE_FORM_MAPS.contains(&map))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn secret_string_data_paths_move_to_data() {
        let secret = json!({"apiVersion": "v1", "kind": "Secret", "stringData": {"pw": "x"}});
        let path = Pointer::parse("/stringData/pw").unwrap();
        assert_eq!(prepared_path(&secret, &path).to_string(), "/data/pw");
        let config = json!({"apiVersion": "v1", "kind": "ConfigMap", "stringData": {"pw": "x"}});
        assert_eq!(prepared_path(&config, &path), path, "only Secrets fold stringData");
    }

    #[test]
    fn strips_status_and_server_metadata() {
        let prepared = prepare(
            &json!({"kind": "ConfigMap", "metadata": {"name": "a", "uid": "1", "resourceVersion": "2"}, "status": {}}),
        );
        assert_eq!(prepared, json!({"kind": "ConfigMap", "metadata": {"name": "a"}}));
    }

    #[test]
    fn folds_secret_string_data_into_data() {
        let secret = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                            "data": {"a": "eA==", "b": "eQ=="}, "stringData": {"b": "override", "c": "plain"}});
        let prepared = prepare(&secret);
        assert_eq!(prepared["data"], json!({"a": "eA==", "b": "b3ZlcnJpZGU=", "c": "cGxhaW4="}));
        assert!(prepared.get("stringData").is_none());
    }

    #[test]
    fn recognizes_system_fields() {
        let p = |s: &str| Pointer::parse(s).unwrap();
        assert!(is_system_field(&p("/metadata/annotations/deployment.kubernetes.io~1revision")));
        assert!(is_system_field(&p("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration")));
        assert!(is_system_field(&p("/metadata/labels/kubernetes.io~1metadata.name")));
        assert!(!is_system_field(&p("/metadata/labels/team")));
        assert!(!is_system_field(&p("/metadata/annotations/kubectl.kubernetes.io~1restartedAt")));
        assert!(is_free_form_entry(&p("/metadata/labels/team")));
        assert!(is_free_form_entry(&p("/data/key")));
        assert!(!is_free_form_entry(&p("/spec/revisionHistoryLimit")));
    }
}
