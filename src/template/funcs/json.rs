//! Go's `encoding/json` output for template values: map keys sorted,
//! `<`, `>`, `&` escaped unless raw, floats as Go writes them (`1e+21`,
//! `1e-7`), two-space indentation for the pretty form.

use crate::template::value::Value;

/// Which of Go's encoders to imitate.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonStyle {
    /// `json.Marshal`: compact, HTML-safe.
    Compact,
    /// `json.MarshalIndent(v, "", "  ")`.
    Pretty,
    /// An encoder with `SetEscapeHTML(false)`.
    Raw,
}

/// Encode like Go; `None` where Go fails (NaN, infinities).
pub(crate) fn to_go_json(value: &Value, style: JsonStyle) -> Option<String> {
    let mut out = String::new();
    write(&mut out, value, style, 0)?;
    Some(out)
}

fn write(out: &mut String, value: &Value, style: JsonStyle, depth: usize) -> Option<()> {
    if depth > 10_000 {
        return None;
    }
    match value {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) | Value::Int64(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&format_json_float(*f)?),
        Value::String(s) => write_string(out, s, style != JsonStyle::Raw),
        Value::Object(obj) => match obj.to_json() {
            Some(json) => write_in_order(out, &json, style, depth)?,
            None => write_string(out, &obj.format(), style != JsonStyle::Raw),
        },
        Value::List(items, _) => {
            if items.is_empty() {
                out.push_str("[]");
                return Some(());
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, style, depth + 1);
                write(out, item, style, depth + 1)?;
            }
            newline(out, style, depth);
            out.push(']');
        }
        Value::Map(map, _) => {
            let map = map.borrow();
            if map.is_empty() {
                out.push_str("{}");
                return Some(());
            }
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, style, depth + 1);
                write_string(out, k, style != JsonStyle::Raw);
                out.push(':');
                if style == JsonStyle::Pretty {
                    out.push(' ');
                }
                write(out, v, style, depth + 1)?;
            }
            newline(out, style, depth);
            out.push('}');
        }
    }
    Some(())
}

/// A host object's JSON form: struct fields keep their declaration order
/// (Go sorts only map keys; host objects insert those sorted).
fn write_in_order(out: &mut String, json: &serde_json::Value, style: JsonStyle, depth: usize) -> Option<()> {
    let (open, close, entries): (char, char, Vec<(Option<&String>, &serde_json::Value)>) = match json {
        serde_json::Value::Array(items) => ('[', ']', items.iter().map(|v| (None, v)).collect()),
        serde_json::Value::Object(map) => ('{', '}', map.iter().map(|(k, v)| (Some(k), v)).collect()),
        serde_json::Value::Number(n) if n.is_i64() => {
            out.push_str(&n.to_string());
            return Some(());
        }
        scalar => return write(out, &Value::from_json(scalar), style, depth),
    };
    out.push(open);
    if entries.is_empty() {
        out.push(close);
        return Some(());
    }
    for (i, (key, item)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        newline(out, style, depth + 1);
        if let Some(key) = key {
            write_string(out, key, style != JsonStyle::Raw);
            out.push(':');
            if style == JsonStyle::Pretty {
                out.push(' ');
            }
        }
        write_in_order(out, item, style, depth + 1)?;
    }
    newline(out, style, depth);
    out.push(close);
    Some(())
}

fn newline(out: &mut String, style: JsonStyle, depth: usize) {
    if style == JsonStyle::Pretty {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    }
}

/// Go's float encoding: `%f`-style shortest digits, exponent form below
/// 1e-6 or from 1e21, with `e-07` shortened to `e-7`.
fn format_json_float(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let (digits, exp) = shortest(f);
        let mut mantissa = String::new();
        mantissa.push_str(&digits[..1]);
        if digits.len() > 1 {
            mantissa.push('.');
            mantissa.push_str(&digits[1..]);
        }
        let sign = if f < 0.0 { "-" } else { "" };
        let esign = if exp < 0 { '-' } else { '+' };
        let exp_digits = if exp.abs() < 10 && exp < 0 { format!("{}", exp.abs()) } else { format!("{:02}", exp.abs()) };
        return Some(format!("{sign}{mantissa}e{esign}{exp_digits}"));
    }
    let (digits, exp) = shortest(f);
    let dp = exp + 1;
    let body = if dp <= 0 {
        format!("0.{}{}", "0".repeat((-dp) as usize), digits)
    } else if dp as usize >= digits.len() {
        format!("{}{}", digits, "0".repeat(dp as usize - digits.len()))
    } else {
        format!("{}.{}", &digits[..dp as usize], &digits[dp as usize..])
    };
    Some(if f < 0.0 { format!("-{body}") } else { body })
}

/// Shortest round-trip digits and the decimal exponent of the first digit.
fn shortest(f: f64) -> (String, i32) {
    if f == 0.0 {
        return ("0".to_string(), 0);
    }
    let text = format!("{:e}", f.abs());
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    (mantissa.replace('.', ""), exp.parse().unwrap_or(0))
}

fn write_string(out: &mut String, s: &str, escape_html: bool) {
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
            '<' | '>' | '&' if escape_html => out.push_str(&format!("\\u{:04x}", c as u32)),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_and_html_are_encoded_like_go() {
        assert_eq!(format_json_float(1e21).as_deref(), Some("1e+21"));
        assert_eq!(format_json_float(1e20).as_deref(), Some("100000000000000000000"));
        assert_eq!(format_json_float(1e-7).as_deref(), Some("1e-7"));
        assert_eq!(format_json_float(3.5).as_deref(), Some("3.5"));
        assert_eq!(
            to_go_json(&Value::str("<a&b>"), JsonStyle::Compact).as_deref(),
            Some("\"\\u003ca\\u0026b\\u003e\"")
        );
    }
}
