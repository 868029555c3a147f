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
fn go_json(value: &Value) -> String {
    let mut out = String::new();
    write_go_json(value, &mut out);
    out
}

fn write_go_json(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_string(key, out);
                out.push(':');
                write_go_json(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json(item, out);
            }
            out.push(']');
        }
        Value::String(s) => write_go_string(s, out),
        other => out.push_str(&other.to_string()),
    }
}

fn write_go_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
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
