//! JSON text as Go's `encoding/json` writes it, for Helm's `toJson`,
//! `toPrettyJson` and `toRawJson`.
//!
//! serde_json differs from Go in ways rendered manifests show: Go sorts map
//! keys, escapes `<`, `>`, `&` (unless HTML escaping is off), always escapes
//! U+2028/U+2029, writes floats as `1e+21`/`1e-7`, and pretty-prints empty
//! collections as `{}`/`[]`. Must not be used for YAML, nor to read JSON
//! (see `gounmarshal`).

use serde_json::Value;

use super::gofloat::format_json_number;

/// Which Go encoder setup to reproduce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoJsonOptions {
    /// Indent nested values by two spaces per level (`json.MarshalIndent(v, "", "  ")`).
    pub indent: bool,
    /// Escape `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026` (Go's default).
    pub escape_html: bool,
    /// Write object keys in the order the value holds them instead of
    /// sorting them: for Go structs, whose fields keep declaration order
    /// (the caller inserts map keys sorted, as Go writes maps).
    pub keep_key_order: bool,
}

impl GoJsonOptions {
    /// Helm's `toJson` (`json.Marshal`).
    pub const TO_JSON: GoJsonOptions = GoJsonOptions { indent: false, escape_html: true, keep_key_order: false };
    /// Helm's `toPrettyJson` (`json.MarshalIndent(v, "", "  ")`).
    pub const TO_PRETTY_JSON: GoJsonOptions = GoJsonOptions { indent: true, escape_html: true, keep_key_order: false };
    /// Helm's `toRawJson` (an encoder with HTML escaping off, trailing newline trimmed).
    pub const TO_RAW_JSON: GoJsonOptions = GoJsonOptions { indent: false, escape_html: false, keep_key_order: false };
}

/// Writes `value` as Go's `encoding/json` would with `options`.
pub fn to_json_go(value: &Value, options: GoJsonOptions) -> String {
    let mut out = String::new();
    write_value(value, options, 0, &mut out);
    out
}

fn write_value(value: &Value, options: GoJsonOptions, depth: usize, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Value::Number(number) => out.push_str(&format_json_number(number)),
        Value::String(text) => write_string(text, options, out),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                separate(index, options, depth + 1, out);
                write_value(item, options, depth + 1, out);
            }
            close(']', options, depth, out);
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            let mut entries: Vec<_> = map.iter().collect();
            if !options.keep_key_order {
                entries.sort_by(|a, b| a.0.cmp(b.0));
            }
            out.push('{');
            for (index, (key, field)) in entries.into_iter().enumerate() {
                separate(index, options, depth + 1, out);
                write_string(key, options, out);
                out.push(':');
                if options.indent {
                    out.push(' ');
                }
                write_value(field, options, depth + 1, out);
            }
            close('}', options, depth, out);
        }
    }
}

fn separate(index: usize, options: GoJsonOptions, depth: usize, out: &mut String) {
    if index > 0 {
        out.push(',');
    }
    if options.indent {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    }
}

fn close(bracket: char, options: GoJsonOptions, depth: usize, out: &mut String) {
    if options.indent {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    }
    out.push(bracket);
}

fn write_string(text: &str, options: GoJsonOptions, out: &mut String) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if options.escape_html => out.push_str(&format!("\\u{:04x}", u32::from(character))),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", u32::from(character))),
            control if u32::from(control) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(control))),
            other => out.push(other),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_like_go() {
        let value = json!({"b": "<a&b>\u{2028}\u{1}", "a": [1.5e21, 1e-7]});
        assert_eq!(
            to_json_go(&value, GoJsonOptions::TO_JSON),
            r#"{"a":[1.5e+21,1e-7],"b":"\u003ca\u0026b\u003e\u2028\u0001"}"#
        );
        assert_eq!(to_json_go(&json!("<>"), GoJsonOptions::TO_RAW_JSON), r#""<>""#);
        assert_eq!(
            to_json_go(&json!({"a": {}, "b": [1]}), GoJsonOptions::TO_PRETTY_JSON),
            "{\n  \"a\": {},\n  \"b\": [\n    1\n  ]\n}"
        );
    }
}
