//! JSON 6902 patches (RFC 6902 operations written in YAML or JSON), applied to one object
//! with the leniencies of the library kustomize uses (a missing `value` is null, `replace`
//! of a key an object lacks adds it) and its words when an operation fails.

use serde_json::{Map, Value};

const KNOWN_OPS: [&str; 6] = ["add", "remove", "replace", "move", "copy", "test"];

/// Applies the operations in `ops` (a list) to `object`, one after the other; the error is
/// the failing operation's, as kustomize words it.
pub fn apply(object: &mut Map<String, Value>, ops: &Value) -> Result<(), String> {
    let Value::Array(list) = ops else {
        return Err(format!("invalid JSON 6902 patch: expected a list of operations, found {ops}"));
    };
    let mut document = Value::Object(std::mem::take(object));
    let result = list.iter().try_for_each(|op| apply_one(&mut document, op));
    if let Value::Object(map) = document {
        *object = map;
    }
    result
}

fn apply_one(document: &mut Value, op: &Value) -> Result<(), String> {
    let mut op = op.clone();
    let name = op.get("op").and_then(Value::as_str).unwrap_or_default().to_string();
    if !KNOWN_OPS.contains(&name.as_str()) {
        return Err(format!("Unexpected kind: {name}"));
    }
    if let Value::Object(fields) = &mut op {
        if matches!(name.as_str(), "add" | "replace" | "test") && !fields.contains_key("value") {
            fields.insert("value".into(), Value::Null);
        }
        let path = fields.get("path").and_then(Value::as_str).unwrap_or_default().to_string();
        let (parent, key) = split_pointer(&path);
        let lacks_key = document.pointer(&parent).and_then(Value::as_object).is_some_and(|p| !p.contains_key(&key));
        if name == "replace" && lacks_key {
            fields.insert("op".into(), Value::String("add".into()));
        }
    }
    let patch: json_patch::Patch = serde_json::from_value(Value::Array(vec![op.clone()]))
        .map_err(|err| format!("invalid JSON 6902 patch: {err}"))?;
    json_patch::patch(document, &patch).map_err(|err| failure(&name, &op, document, &err))
}

/// A pointer's parent pointer and last token (unescaped).
fn split_pointer(path: &str) -> (String, String) {
    match path.rsplit_once('/') {
        Some((parent, last)) => (parent.to_string(), last.replace("~1", "/").replace("~0", "~")),
        None => (String::new(), path.to_string()),
    }
}

/// The library's message for a failed operation, told apart by what the document holds
/// where the operation points.
fn failure(name: &str, op: &Value, document: &Value, err: &json_patch::PatchError) -> String {
    let text = |key: &str| op.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
    let path = text("path");
    let (parent, key) = split_pointer(&path);
    let parent = document.pointer(&parent);
    match (&err.kind, name, parent) {
        (json_patch::PatchErrorKind::TestFailed, ..) | (_, "test", _) => {
            format!("testing value {path} failed: test failed")
        }
        (json_patch::PatchErrorKind::InvalidFromPointer, "move", _) => {
            let (_, from_key) = split_pointer(&text("from"));
            format!("error in move for path: '{from_key}': Unable to remove nonexistent key: {from_key}: missing value")
        }
        (json_patch::PatchErrorKind::InvalidPointer, "add" | "remove", Some(Value::Array(_))) => format!(
            "error in {name} for path: '{path}': Unable to access invalid index: {key}: invalid index referenced"
        ),
        (json_patch::PatchErrorKind::InvalidPointer, "remove", Some(Value::Object(_))) => {
            format!("error in remove for path: '{path}': Unable to remove nonexistent key: {key}: missing value")
        }
        (json_patch::PatchErrorKind::InvalidPointer, "add" | "remove", _) => {
            format!("{name} operation does not apply: doc is missing path: \"{path}\": missing value")
        }
        (json_patch::PatchErrorKind::InvalidPointer, "replace", Some(Value::Array(_))) => {
            format!("replace operation does not apply: doc is missing key: {path}: missing value")
        }
        (json_patch::PatchErrorKind::InvalidPointer, "replace", _) => {
            format!("replace operation does not apply: doc is missing path: {path}: missing value")
        }
        _ => err.to_string(),
    }
}
