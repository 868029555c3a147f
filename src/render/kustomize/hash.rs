//! The content hash kustomize appends to generated ConfigMap and Secret names: the
//! SHA-256 of a Go `json.Marshal` encoding of `{data, kind, name}` (plus `type` for
//! Secrets, and `binaryData` or `stringData` when present), first ten hex digits, with
//! `0 1 3 a e` mapped to `g h k m t` so the suffix never looks like a number or a word.
//!
//! `name` is always empty: kustomize looks the name up with the single path segment
//! `metadata/name`, which finds nothing, so objects differing only by name hash alike.

use std::fmt::Write as _;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The hash suffix for a ConfigMap or Secret object (without the leading `-`).
pub fn content_hash(object: &Map<String, Value>) -> String {
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or_default();
    let field = |name: &str| object.get(name).cloned().unwrap_or_else(|| Value::String(String::new()));
    let name = Value::String(String::new());
    let mut encoded = Map::new();
    encoded.insert("kind".into(), Value::String(kind.to_string()));
    encoded.insert("name".into(), name);
    encoded.insert("data".into(), field("data"));
    let (optional, extra) = match kind {
        "Secret" => {
            encoded.insert("type".into(), field("type"));
            ("stringData", object.get("stringData"))
        }
        "ConfigMap" => ("binaryData", object.get("binaryData")),
        _ => ("", None),
    };
    if let Some(extra @ Value::Object(_)) = extra {
        encoded.insert(optional.into(), extra.clone());
    }
    let json = if kind == "ConfigMap" || kind == "Secret" {
        go_json(&Value::Object(encoded))
    } else {
        go_json(&Value::Object(object.clone()))
    };
    suffix_from_digest(&Sha256::digest(json.as_bytes()))
}

fn suffix_from_digest(digest: &[u8]) -> String {
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex[..10]
        .chars()
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            other => other,
        })
        .collect()
}

/// Go's `json.Marshal`: map keys sorted, and `<`, `>`, `&`, U+2028, U+2029 escaped.
/// Go's `json.Marshal`: keys sorted, `<`, `>` and `&` escaped, as kustomize hashes it.
fn go_json(value: &Value) -> String {
    crate::yaml::to_json_go(value, crate::yaml::GoJsonOptions::TO_JSON)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn go_json_sorts_keys_and_escapes_html() {
        assert_eq!(go_json(&json!({"b": "<&>", "a": "x\ny"})), r#"{"a":"x\ny","b":"\u003c\u0026\u003e"}"#);
    }
}
