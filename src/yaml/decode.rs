//! Node tree → `serde_json::Value`, the way Kubernetes tools turn YAML into JSON.
//!
//! [`Dialect::Yaml11`] follows sigs.k8s.io/yaml (`YAMLToJSON`: go-yaml v2
//! decoding, then JSON): timestamps stay strings, non-string keys become their
//! Go string form (floats as float32 `%g`), infinities and NaN are refused
//! because JSON cannot hold them, merge keys apply in document order.
//! [`Dialect::Yaml12`] follows kyaml (go-yaml v3 decoding, then JSON):
//! top-level keys keep their text, nested non-string keys are refused,
//! timestamps become RFC 3339 strings (Go `time.Time`), explicit keys win
//! over merged ones. A duplicate key is an error in `Yaml12` (go-yaml v3); in
//! `Yaml11` the last one wins, as kubectl reads it (sigs.k8s.io/yaml is not strict).
//! Must not parse text or print YAML.

use std::collections::HashSet;

use serde_json::{Map, Number, Value};

use super::error::YamlError;
use super::gofloat::format_g;
use super::node::{Node, NodeValue};
use super::parser::ScalarStyle;
use super::resolve::{Dialect, Scalar, parse_timestamp, resolve_plain, resolve_tagged, tags};

impl Node {
    /// Converts the tree to JSON as the given dialect's reader would.
    pub fn to_json(&self, dialect: Dialect) -> Result<Value, YamlError> {
        match &self.value {
            NodeValue::Scalar { .. } => scalar_to_json(self, dialect),
            NodeValue::Sequence { .. } => value_to_json(self, dialect),
            NodeValue::Mapping { .. } => mapping_to_json(self, dialect, true),
        }
    }
}

fn mapping_to_json(node: &Node, dialect: Dialect, root: bool) -> Result<Value, YamlError> {
    let mut object = Map::new();
    merge_mapping_into(node, dialect, root, &mut object)?;
    Ok(Value::Object(object))
}

fn value_to_json(node: &Node, dialect: Dialect) -> Result<Value, YamlError> {
    match &node.value {
        NodeValue::Mapping { .. } => mapping_to_json(node, dialect, false),
        NodeValue::Sequence { items, .. } => {
            items.iter().map(|item| value_to_json(item, dialect)).collect::<Result<_, _>>().map(Value::Array)
        }
        NodeValue::Scalar { .. } => scalar_to_json(node, dialect),
    }
}

fn invalid(node: &Node, message: String) -> YamlError {
    YamlError::Invalid { line: node.line, column: node.column, message }
}

/// What a scalar node means, honoring explicit tags and quoting.
pub(crate) fn scalar_meaning(node: &Node, dialect: Dialect) -> Result<Scalar, YamlError> {
    let NodeValue::Scalar { text, style } = &node.value else {
        return Err(invalid(node, "expected a scalar here".to_owned()));
    };
    match node.tag.as_deref() {
        None if *style == ScalarStyle::Plain => Ok(resolve_plain(dialect, text)),
        None | Some("!") if *style == ScalarStyle::Folded && dialect == Dialect::Yaml12 => {
            Ok(Scalar::Str(go_yaml_v3_folded(text)))
        }
        None | Some("!") => Ok(Scalar::Str(text.clone())),
        Some(tags::BINARY) => decode_base64(text)
            .map(|bytes| Scalar::Str(String::from_utf8_lossy(&bytes).into_owned()))
            .ok_or_else(|| invalid(node, "!!binary value is not valid base64; encode the data with base64".to_owned())),
        Some(tag) => resolve_tagged(dialect, tag, text).map_err(|message| invalid(node, message)),
    }
}

fn scalar_to_json(node: &Node, dialect: Dialect) -> Result<Value, YamlError> {
    Ok(match scalar_meaning(node, dialect)? {
        Scalar::Null => Value::Null,
        Scalar::Bool(flag) => Value::Bool(flag),
        Scalar::Int(int) => Value::from(int),
        // Above i64 the API machinery only has float64 (unstructured JSON
        // decoding); kyaml's JSON keeps the uint64.
        Scalar::Uint(int) if dialect == Dialect::Yaml11 => Value::from(int as f64),
        Scalar::Uint(int) => Value::from(int),
        Scalar::Float(float) => float_to_json(float).ok_or(YamlError::UnsupportedNumber {
            line: node.line,
            column: node.column,
            value: go_float_word(float),
        })?,
        // go-yaml v3 decodes timestamps to time.Time, which JSON writes in RFC 3339.
        Scalar::Timestamp(text) if dialect == Dialect::Yaml12 => {
            Value::String(parse_timestamp(&text).map(format_rfc3339_nano).unwrap_or(text))
        }
        Scalar::Timestamp(text) | Scalar::Str(text) => Value::String(text),
    })
}

fn go_float_word(float: f64) -> &'static str {
    if float.is_nan() {
        "NaN"
    } else if float > 0.0 {
        "+Inf"
    } else {
        "-Inf"
    }
}

/// go-yaml v3 keeps one more line break than YAML (and libyaml) before a
/// more-indented line of a folded scalar that follows an ordinary line:
/// `>` with `one`, `␣␣more`, `two` reads `"one\n\n  more\ntwo\n"` there.
fn go_yaml_v3_folded(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut after_ordinary_line = false;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        if content.starts_with([' ', '\t']) {
            if after_ordinary_line {
                out.push('\n');
            }
            after_ordinary_line = false;
        } else if !content.is_empty() {
            after_ordinary_line = true;
        }
        out.push_str(line);
    }
    out
}

/// A float as JSON carries it after Go's `json.Marshal`: integral values in
/// the range Go prints without an exponent read back as integers.
pub(crate) fn float_to_json(float: f64) -> Option<Value> {
    if !float.is_finite() {
        return None;
    }
    // -0 stays a float: Go's JSON keeps it as "-0".
    if float.fract() == 0.0 && float.abs() < 9.2e18 && !(float == 0.0 && float.is_sign_negative()) {
        return Some(Value::from(float as i64));
    }
    Number::from_f64(float).map(Value::Number)
}

/// Applies one mapping node's entries (including `<<` merges) to `object`.
fn merge_mapping_into(
    node: &Node,
    dialect: Dialect,
    root: bool,
    object: &mut Map<String, Value>,
) -> Result<(), YamlError> {
    let NodeValue::Mapping { entries, .. } = &node.value else {
        return Err(invalid(node, "map merge requires map or sequence of maps as the value".to_owned()));
    };
    // A set, not a list: a mapping of n keys would otherwise cost n² comparisons.
    let mut explicit: HashSet<String> = HashSet::new();
    let mut merged: Map<String, Value> = Map::new();
    for (key, value) in entries {
        if is_merge_key(key) {
            let sources: Vec<&Node> = match &value.value {
                NodeValue::Sequence { items, .. } => items.iter().collect(),
                _ => vec![value],
            };
            // go-yaml v2 lets later sources overwrite earlier ones; v3 lets the first one win.
            let ordered: Vec<&Node> =
                if dialect == Dialect::Yaml11 { sources.into_iter().rev().collect() } else { sources };
            for source in ordered {
                let mut source_object = Map::new();
                merge_mapping_into(source, dialect, root, &mut source_object)?;
                for (name, field) in source_object {
                    match dialect {
                        Dialect::Yaml11 => {
                            object.insert(name, field);
                        }
                        Dialect::Yaml12 => {
                            if !merged.contains_key(&name) {
                                merged.insert(name, field);
                            }
                        }
                    }
                }
            }
            continue;
        }
        let name = key_string(key, dialect, root)?;
        // sigs.k8s.io/yaml decodes non-strictly (the last duplicate wins, as
        // kubectl shows); go-yaml v3 refuses duplicates.
        if dialect == Dialect::Yaml12 && !explicit.insert(name.clone()) {
            return Err(YamlError::DuplicateKey { line: key.line, column: key.column, key: name });
        }
        object.insert(name, value_to_json(value, dialect)?);
    }
    for (name, field) in merged {
        if !object.contains_key(&name) {
            object.insert(name, field);
        }
    }
    Ok(())
}

fn is_merge_key(key: &Node) -> bool {
    match &key.value {
        NodeValue::Scalar { text, style } => {
            text == "<<"
                && match key.tag.as_deref() {
                    None => *style == ScalarStyle::Plain,
                    Some(tag) => tag == tags::MERGE,
                }
        }
        _ => false,
    }
}

/// The JSON object key a YAML key becomes.
///
/// kyaml decodes a document into `map[string]interface{}`: top-level keys
/// keep their text whatever they resolve to, but a nested mapping with a
/// non-string key becomes `map[interface{}]interface{}`, which JSON refuses.
fn key_string(key: &Node, dialect: Dialect, root: bool) -> Result<String, YamlError> {
    let unsupported = || {
        invalid(
            key,
            "unsupported map key: only strings, numbers and booleans can be keys in Kubernetes YAML".to_owned(),
        )
    };
    let NodeValue::Scalar { text, .. } = &key.value else {
        if dialect == Dialect::Yaml11 {
            return Err(YamlError::InvalidMapKey { line: key.line, column: key.column, key: go_sharp_v(key)? });
        }
        return Err(invalid(
            key,
            "invalid map key: a mapping or sequence cannot be a key in Kubernetes YAML".to_owned(),
        ));
    };
    if dialect == Dialect::Yaml12 {
        return match scalar_meaning(key, dialect)? {
            Scalar::Str(_) | Scalar::Timestamp(_) => Ok(text.clone()),
            _ if root => Ok(text.clone()),
            _ => Err(invalid(
                key,
                format!(
                    "json: unsupported type: map[interface {{}}]interface {{}} (key {text:?} is not a string); quote the key"
                ),
            )),
        };
    }
    Ok(match scalar_meaning(key, dialect)? {
        Scalar::Str(text) | Scalar::Timestamp(text) => text,
        Scalar::Bool(flag) => flag.to_string(),
        Scalar::Int(int) => int.to_string(),
        Scalar::Uint(int) => int.to_string(),
        // sigs.k8s.io/yaml formats float keys as float32 %g, with YAML's words for the specials.
        Scalar::Float(float) if float.is_nan() => ".nan".to_owned(),
        Scalar::Float(float) if float.is_infinite() => (if float > 0.0 { ".inf" } else { "-.inf" }).to_owned(),
        Scalar::Float(float) => format_g(float, true),
        Scalar::Null => return Err(unsupported()),
    })
}

/// A node as Go's `%#v` prints what go-yaml v2 decodes it to inside an
/// `interface{}`: `map[interface {}]interface {}{"a":1}` with keys sorted (Go's
/// fmt sorts map keys; keys of different types, which Go orders by type
/// identity, are grouped here null, bool, number, string), `[]interface {}{…}`,
/// `interface {}(nil)`, quoted strings, unsigned integers in hex.
fn go_sharp_v(node: &Node) -> Result<String, YamlError> {
    Ok(match &node.value {
        NodeValue::Mapping { entries, .. } => {
            let mut pairs = Vec::with_capacity(entries.len());
            for (key, value) in entries {
                let rank = go_sort_rank(key)?;
                let printed = go_sharp_v(key)?;
                pairs.retain(|(_, k, _): &(_, String, String)| *k != printed);
                pairs.push((rank, printed, go_sharp_v(value)?));
            }
            pairs.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
            let body: Vec<String> = pairs.into_iter().map(|(_, k, v)| format!("{k}:{v}")).collect();
            format!("map[interface {{}}]interface {{}}{{{}}}", body.join(", "))
        }
        NodeValue::Sequence { items, .. } => {
            let body = items.iter().map(go_sharp_v).collect::<Result<Vec<_>, _>>()?;
            format!("[]interface {{}}{{{}}}", body.join(", "))
        }
        NodeValue::Scalar { .. } => match scalar_meaning(node, Dialect::Yaml11)? {
            Scalar::Str(text) | Scalar::Timestamp(text) => super::goquote::quote(&text),
            Scalar::Bool(flag) => flag.to_string(),
            Scalar::Int(int) => int.to_string(),
            Scalar::Uint(int) => format!("{int:#x}"),
            Scalar::Float(float) if float.is_nan() => "NaN".to_owned(),
            Scalar::Float(float) if float.is_infinite() => (if float > 0.0 { "+Inf" } else { "-Inf" }).to_owned(),
            Scalar::Float(float) => format_g(float, false),
            Scalar::Null => "interface {}(nil)".to_owned(),
        },
    })
}

/// Where Go's fmt puts a map key when sorting: by kind group, then by value.
#[derive(PartialEq, PartialOrd)]
enum GoSortRank {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    Composite,
}

fn go_sort_rank(key: &Node) -> Result<GoSortRank, YamlError> {
    if !matches!(key.value, NodeValue::Scalar { .. }) {
        return Ok(GoSortRank::Composite);
    }
    Ok(match scalar_meaning(key, Dialect::Yaml11)? {
        Scalar::Str(text) | Scalar::Timestamp(text) => GoSortRank::Text(text),
        Scalar::Bool(flag) => GoSortRank::Bool(flag),
        Scalar::Int(int) => GoSortRank::Number(int as f64),
        Scalar::Uint(int) => GoSortRank::Number(int as f64),
        Scalar::Float(float) => GoSortRank::Number(float),
        Scalar::Null => GoSortRank::Null,
    })
}

/// Standard base64 as Go's `base64.StdEncoding` reads it (padding required; line breaks ignored as go-yaml strips them).
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let symbols: Vec<u8> = text.bytes().filter(|byte| !matches!(byte, b'\n' | b'\r')).collect();
    if !symbols.len().is_multiple_of(4) {
        return None;
    }
    let mut bytes = Vec::with_capacity(symbols.len() / 4 * 3);
    for chunk in symbols.chunks(4) {
        let padding = chunk.iter().rev().take_while(|&&byte| byte == b'=').count();
        if padding > 2 {
            return None;
        }
        let mut group = 0u32;
        for &symbol in &chunk[..4 - padding] {
            let sextet = match symbol {
                b'A'..=b'Z' => symbol - b'A',
                b'a'..=b'z' => symbol - b'a' + 26,
                b'0'..=b'9' => symbol - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                _ => return None,
            };
            group = (group << 6) | u32::from(sextet);
        }
        group <<= 6 * padding as u32;
        let decoded = group.to_be_bytes();
        bytes.extend_from_slice(&decoded[1..4 - padding]);
    }
    Some(bytes)
}

/// Go's `time.Time` JSON form (RFC 3339 with nanoseconds, trailing zeros trimmed).
fn format_rfc3339_nano(stamp: super::resolve::Timestamp) -> String {
    let fraction =
        if stamp.nanos == 0 { String::new() } else { format!(".{:09}", stamp.nanos).trim_end_matches('0').to_owned() };
    let zone = match stamp.offset_minutes {
        None | Some(0) => "Z".to_owned(),
        Some(minutes) => {
            let sign = if minutes < 0 { '-' } else { '+' };
            format!("{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60)
        }
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}{zone}",
        stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::node::parse_nodes;
    use serde_json::json;

    fn read(dialect: Dialect, text: &str) -> Result<Value, YamlError> {
        parse_nodes(text).unwrap().remove(0).to_json(dialect)
    }

    #[test]
    fn merge_order_differs_between_dialects() {
        let text = "base: &b {a: 1, b: 1}\nother: &o {a: 2}\nx:\n  a: 0\n  <<: [*b, *o]\n";
        assert_eq!(read(Dialect::Yaml11, text).unwrap()["x"], json!({"a": 1, "b": 1}));
        assert_eq!(read(Dialect::Yaml12, text).unwrap()["x"], json!({"a": 0, "b": 1}));
    }

    #[test]
    fn keys_become_strings() {
        let value = read(Dialect::Yaml11, "1: a\n1.5: b\non: d\n0x10: e\n0.1234567891: f\n").unwrap();
        assert_eq!(value, json!({"1": "a", "1.5": "b", "true": "d", "16": "e", "0.12345679": "f"}));
        assert_eq!(read(Dialect::Yaml12, "0x10: e\n").unwrap(), json!({"0x10": "e"}));
        assert!(read(Dialect::Yaml12, "a:\n  0x10: e\n").is_err());
    }

    #[test]
    fn duplicate_keys_and_infinite_values_are_errors() {
        assert!(matches!(read(Dialect::Yaml12, "a: 1\nb: 2\na: 3\n"), Err(YamlError::DuplicateKey { line: 3, .. })));
        assert_eq!(read(Dialect::Yaml11, "a: 1\nb: 2\na: 3\n").unwrap(), json!({"a": 3, "b": 2}));
        assert!(matches!(
            read(Dialect::Yaml11, "a: .inf\n"),
            Err(YamlError::UnsupportedNumber { line: 1, column: 4, value: "+Inf" })
        ));
    }

    #[test]
    fn folded_more_indented_lines_get_go_yaml_v3_extra_break() {
        let text = "a: >-\n  one\n    more\n\n  two\n  three\nb: >\n  x\n   y\n  z\n   w\n";
        assert_eq!(
            read(Dialect::Yaml12, text).unwrap(),
            json!({"a": "one\n\n  more\n\ntwo three", "b": "x\n\n y\nz\n\n w\n"})
        );
        assert_eq!(
            read(Dialect::Yaml11, text).unwrap(),
            json!({"a": "one\n  more\n\ntwo three", "b": "x\n y\nz\n w\n"})
        );
    }

    #[test]
    fn binary_and_timestamps() {
        assert_eq!(read(Dialect::Yaml11, "a: !!binary aGVsbG8=\n").unwrap(), json!({"a": "hello"}));
        assert_eq!(read(Dialect::Yaml11, "a: 2001-12-14\n").unwrap(), json!({"a": "2001-12-14"}));
        assert_eq!(read(Dialect::Yaml12, "a: 2001-12-14\n").unwrap(), json!({"a": "2001-12-14T00:00:00Z"}));
        assert_eq!(
            read(Dialect::Yaml12, "a: 2001-12-14t21:59:43.10-05:00\n").unwrap(),
            json!({"a": "2001-12-14T21:59:43.1-05:00"})
        );
    }
}
