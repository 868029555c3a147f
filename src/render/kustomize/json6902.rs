//! JSON 6902 patches (RFC 6902 operations written in YAML or JSON), applied to one object.

use serde_json::{Map, Value};

/// Applies the operations in `ops` (a list) to `object`; the error says which operation failed.
pub fn apply(object: &mut Map<String, Value>, ops: &Value) -> Result<(), String> {
    let patch: json_patch::Patch =
        serde_json::from_value(ops.clone()).map_err(|err| format!("invalid JSON 6902 patch: {err}"))?;
    let mut document = Value::Object(std::mem::take(object));
    let result = json_patch::patch(&mut document, &patch).map_err(|err| err.to_string());
    if let Value::Object(map) = document {
        *object = map;
    }
    result
}
