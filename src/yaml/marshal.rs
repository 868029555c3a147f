//! `serde_json::Value` → YAML text, as sigs.k8s.io/yaml's `Marshal` writes it.
//!
//! That is Helm's `toYaml` and kustomize's build output: the value goes
//! through JSON, go-yaml v2 reads the JSON back (numbers become ints or
//! floats, keys strings) and writes it with its encoder's decisions: map keys
//! in go-yaml's natural order (`a2` before `a10`), strings that would read
//! back as something else double-quoted (`"yes"`, `"1.0"`, `"2001-12-14"`,
//! `"1:20"`), multi-line strings as literal blocks, floats in Go's `%g`.
//! The emitter then folds long lines at 80 columns. Helm's `toYamlPretty`
//! is the other encoder: go-yaml v3 on the Go value itself (no JSON round
//! trip, float64 printed in `%g`, v3 key order, indented sequences, no
//! folding). Must not parse YAML.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::{Number, Value};

use super::emit::{EmitNode, EmitterOptions, Generation, RequestedStyle, emit_document};
use super::gofloat::{format_g, format_json_number};
use super::resolve::{Dialect, Scalar, resolve_plain};

/// go-yaml v2's encoder settings (libyaml defaults: 2-space indent, fold at 80).
const GO_YAML_V2: EmitterOptions = EmitterOptions { generation: Generation::V2, width: Some(80), indent: 2 };

/// go-yaml v3's encoder with `SetIndent(2)` (v3 never folds lines).
const GO_YAML_V3: EmitterOptions = EmitterOptions { generation: Generation::V3, width: None, indent: 2 };

/// kyaml's encoder: go-yaml v3 with `SetIndent(2)` and compact sequences (never folds).
const KYAML: EmitterOptions = EmitterOptions { generation: Generation::V2, width: None, indent: 2 };

/// How a value reaches the emitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoder {
    /// sigs.k8s.io/yaml: Go value → JSON → go-yaml v2 value → v2 encoder.
    JsonThenGoYamlV2,
    /// go-yaml v3's encoder on the Go value itself.
    GoYamlV3,
    /// kyaml writing a node it holds: keys stay in the node's order.
    KyamlNode,
}

/// Helm's `toYaml`: [`marshal_yaml`] without its final newline.
pub fn to_yaml_helm(value: &Value) -> String {
    let mut text = marshal_yaml(value);
    if text.ends_with('\n') {
        text.pop();
    }
    text
}

/// sigs.k8s.io/yaml's `Marshal` (what kustomize prints per resource): YAML
/// text ending with a newline.
///
/// Go's `json.Marshal` leaves DEL, C1 controls (except NEL) and U+FFFE/U+FFFF
/// unescaped, and go-yaml's reader then refuses the JSON text, so Marshal
/// fails and Helm's `toYaml` prints nothing: such values give `""` here too.
pub fn marshal_yaml(value: &Value) -> String {
    if contains_text(value, &|text| text.chars().any(go_yaml_rejects)) {
        return String::new();
    }
    emit_document(GO_YAML_V2, &emit_tree(value, Encoder::JsonThenGoYamlV2))
}

/// Helm's `toYamlPretty` (go-yaml v3 encoder, indent 2): sequences indented
/// under their key, no line folding, numbers as the Go value holds them
/// (a float64 `1000000` prints `1e+06`, an integer prints as is), keys in
/// v3's natural order. The final newline is trimmed, as Helm does.
pub fn to_yaml_pretty_helm(value: &Value) -> String {
    let mut text = emit_document(GO_YAML_V3, &emit_tree(value, Encoder::GoYamlV3));
    if text.ends_with('\n') {
        text.pop();
    }
    text
}

/// kyaml's `RNode.String()`, which kustomize's messages quote as "node contents": the
/// node's keys in their order, sequences not indented under their key, no folding. The
/// node's own styles are not known here: collections are written in block style, strings
/// plainly unless go-yaml v3 would read them back as something else.
pub fn to_yaml_kyaml(value: &Value) -> String {
    emit_document(KYAML, &emit_tree(value, Encoder::KyamlNode))
}

/// A string as go-yaml v2 reads it back from Go's JSON text. JSON escapes
/// every line break YAML knows except NEL (U+0085), so a raw NEL inside the
/// JSON string is folded like a line break in a double-quoted scalar: blanks
/// around it vanish, one break becomes a space, `n` breaks become `n - 1` newlines.
fn after_json_round_trip(text: &str) -> Cow<'_, str> {
    if !text.contains('\u{85}') {
        return Cow::Borrowed(text);
    }
    let mut folded = String::with_capacity(text.len());
    let mut blanks = String::new();
    let mut breaks = 0usize;
    for character in text.chars() {
        match character {
            ' ' if breaks == 0 => blanks.push(' '),
            ' ' => {}
            '\u{85}' => {
                blanks.clear();
                breaks += 1;
            }
            other => {
                push_folded_gap(&mut folded, &blanks, breaks);
                blanks.clear();
                breaks = 0;
                folded.push(other);
            }
        }
    }
    push_folded_gap(&mut folded, &blanks, breaks);
    Cow::Owned(folded)
}

fn push_folded_gap(folded: &mut String, blanks: &str, breaks: usize) {
    match breaks {
        0 => folded.push_str(blanks),
        1 => folded.push(' '),
        _ => folded.push_str(&"\n".repeat(breaks - 1)),
    }
}

/// Characters go-yaml's reader refuses in its input.
fn go_yaml_rejects(character: char) -> bool {
    matches!(character, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// Whether any string or key in `value` satisfies `test`.
fn contains_text(value: &Value, test: &dyn Fn(&str) -> bool) -> bool {
    match value {
        Value::String(text) => test(text),
        Value::Array(items) => items.iter().any(|item| contains_text(item, test)),
        Value::Object(map) => map.iter().any(|(key, field)| test(key) || contains_text(field, test)),
        _ => false,
    }
}

/// The tree the encoder emits for a value.
fn emit_tree(value: &Value, encoder: Encoder) -> EmitNode {
    let text = |text: &str| match encoder {
        Encoder::JsonThenGoYamlV2 => string_scalar(&after_json_round_trip(text)),
        Encoder::GoYamlV3 => string_scalar(text),
        Encoder::KyamlNode => node_string_scalar(text),
    };
    match value {
        Value::Null => plain("null"),
        Value::Bool(flag) => plain(if *flag { "true" } else { "false" }),
        Value::Number(number) => plain(&match encoder {
            Encoder::JsonThenGoYamlV2 => format_number(number),
            Encoder::GoYamlV3 | Encoder::KyamlNode => format_go_number(number),
        }),
        Value::String(string) => text(string),
        Value::Array(items) => EmitNode::Sequence(items.iter().map(|item| emit_tree(item, encoder)).collect()),
        Value::Object(map) => EmitNode::Mapping(
            sorted_entries(map, encoder)
                .into_iter()
                .map(|(key, field)| (text(key), emit_tree(field, encoder)))
                .collect(),
        ),
    }
}

/// A number as go-yaml prints the Go value: integers as is, float64 in `%g`.
fn format_go_number(number: &Number) -> String {
    match number.as_f64() {
        Some(float) if number.is_f64() => format_g(float, false),
        _ => number.to_string(),
    }
}

fn plain(text: &str) -> EmitNode {
    EmitNode::Scalar { text: text.to_owned(), style: RequestedStyle::Plain }
}

/// A JSON number after go-yaml v2 reads it back: ints print as ints, floats in `%g`.
fn format_number(number: &Number) -> String {
    let json_text = format_json_number(number);
    match resolve_plain(Dialect::Yaml11, &json_text) {
        Scalar::Int(int) => int.to_string(),
        Scalar::Uint(int) => int.to_string(),
        Scalar::Float(float) => format_g(float, false),
        _ => json_text,
    }
}

/// go-yaml v2's `stringv`: literal for multi-line text, plain when the text
/// reads back as the same string, double-quoted otherwise.
fn string_scalar(text: &str) -> EmitNode {
    let reads_back_as_string = matches!(resolve_plain(Dialect::Yaml11, text), Scalar::Str(_)) && !is_base60_float(text);
    let style = if text.contains('\n') {
        RequestedStyle::Literal
    } else if reads_back_as_string {
        RequestedStyle::Plain
    } else {
        RequestedStyle::DoubleQuoted
    };
    EmitNode::Scalar { text: text.to_owned(), style }
}

/// A string node as go-yaml v3 writes a plain `!!str` node: literal for multi-line text,
/// plain when v3's resolver reads it back as a string (`y`, `yes` stay plain), double-quoted
/// otherwise.
fn node_string_scalar(text: &str) -> EmitNode {
    let style = if text.contains('\n') {
        RequestedStyle::Literal
    } else if matches!(resolve_plain(Dialect::Yaml12, text), Scalar::Str(_)) {
        RequestedStyle::Plain
    } else {
        RequestedStyle::DoubleQuoted
    };
    EmitNode::Scalar { text: text.to_owned(), style }
}

/// YAML 1.1 sexagesimal floats (`190:20:30.15`), which go-yaml v2 quotes
/// although it reads them as strings: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (sexagesimal, fraction) = match body.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (body, None),
    };
    if fraction.is_some_and(|fraction| !fraction.bytes().all(|byte| byte.is_ascii_digit() || byte == b'_')) {
        return false;
    }
    let mut groups = sexagesimal.split(':');
    let head = groups.next().unwrap_or_default();
    let head_ok = head.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && head.bytes().all(|byte| byte.is_ascii_digit() || byte == b'_');
    let mut rest = groups.peekable();
    if !head_ok || rest.peek().is_none() {
        return false;
    }
    rest.all(|group| match group.as_bytes() {
        [digit] => digit.is_ascii_digit(),
        [tens, digit] => (b'0'..=b'5').contains(tens) && digit.is_ascii_digit(),
        _ => false,
    })
}

/// Map entries in go-yaml's key order.
fn sorted_entries(map: &serde_json::Map<String, Value>, encoder: Encoder) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    if encoder == Encoder::KyamlNode {
        return entries;
    }
    let v3 = encoder == Encoder::GoYamlV3;
    merge_sort(&mut entries, &|a, b| go_yaml_key_order(a.0, b.0, v3));
    entries
}

/// A stable merge sort that tolerates comparators that are not total orders
/// (go-yaml's key order is not transitive on every input; std's sort may panic then).
fn merge_sort<T: Copy>(items: &mut [T], less: &dyn Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let middle = items.len() / 2;
    merge_sort(&mut items[..middle], less);
    merge_sort(&mut items[middle..], less);
    let mut merged = Vec::with_capacity(items.len());
    let (mut left, mut right) = (0, middle);
    while left < middle && right < items.len() {
        if less(&items[right], &items[left]) == Ordering::Less {
            merged.push(items[right]);
            right += 1;
        } else {
            merged.push(items[left]);
            left += 1;
        }
    }
    merged.extend_from_slice(&items[left..middle]);
    merged.extend_from_slice(&items[right..]);
    items.copy_from_slice(&merged);
}

/// go-yaml's `keyList.Less` for string keys: letters compare by code
/// point, a letter sorts after a non-letter, and runs of digits compare as
/// numbers. v3 sorts a letter first when it follows a digit (`a1b` < `a10`).
fn go_yaml_key_order(a: &str, b: &str, v3: bool) -> Ordering {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut after_digit = false;
    for i in 0..a.len().min(b.len()) {
        if a[i] == b[i] {
            after_digit = a[i].is_ascii_digit();
            continue;
        }
        let (a_letter, b_letter) = (a[i].is_alphabetic(), b[i].is_alphabetic());
        if a_letter && b_letter {
            return a[i].cmp(&b[i]);
        }
        if a_letter || b_letter {
            let a_first = if v3 && after_digit { a_letter } else { b_letter };
            return if a_first { Ordering::Less } else { Ordering::Greater };
        }
        let (mut a_number, mut b_number) = (0i64, 0i64);
        if a[i] == '0' || b[i] == '0' {
            // A zero inside a number (`a10` vs `a1x`): compare the rest as non-zero numbers.
            let mut j = i;
            while j > 0 && a[j - 1].is_ascii_digit() {
                j -= 1;
                if a[j] != '0' {
                    a_number = 1;
                    b_number = 1;
                    break;
                }
            }
        }
        let mut a_end = i;
        while a_end < a.len() && a[a_end].is_ascii_digit() {
            a_number = a_number.wrapping_mul(10).wrapping_add(i64::from(a[a_end] as u8 - b'0'));
            a_end += 1;
        }
        let mut b_end = i;
        while b_end < b.len() && b[b_end].is_ascii_digit() {
            b_number = b_number.wrapping_mul(10).wrapping_add(i64::from(b[b_end] as u8 - b'0'));
            b_end += 1;
        }
        if a_number != b_number {
            return a_number.cmp(&b_number);
        }
        if a_end != b_end {
            return a_end.cmp(&b_end);
        }
        return a[i].cmp(&b[i]);
    }
    a.len().cmp(&b.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_is_natural() {
        let keys = |value: Value, encoder| -> Vec<String> {
            sorted_entries(value.as_object().unwrap(), encoder).into_iter().map(|(key, _)| key.clone()).collect()
        };
        let mixed = json!({"a10": 1, "a2": 2, "b": 3, "A": 4, "_x": 5, "1": 6});
        assert_eq!(keys(mixed, Encoder::JsonThenGoYamlV2), ["_x", "1", "A", "a2", "a10", "b"]);
        let letter_after_digit = json!({"a10": 1, "a1b": 2});
        assert_eq!(keys(letter_after_digit.clone(), Encoder::JsonThenGoYamlV2), ["a10", "a1b"]);
        assert_eq!(keys(letter_after_digit, Encoder::GoYamlV3), ["a1b", "a10"]);
    }

    #[test]
    fn nel_folds_like_a_line_break() {
        assert_eq!(after_json_round_trip("nel \u{85}"), "nel ");
        assert_eq!(after_json_round_trip("a \u{85}  b"), "a b");
        assert_eq!(after_json_round_trip("a\u{85}\u{85}\u{85}b"), "a\n\nb");
        assert_eq!(after_json_round_trip("plain  text"), "plain  text");
    }

    #[test]
    fn base60_detection() {
        assert!(is_base60_float("1:20"));
        assert!(is_base60_float("190:20:30.15"));
        assert!(!is_base60_float("1:70"));
        assert!(!is_base60_float("a:20"));
        assert!(!is_base60_float("120"));
    }
}
