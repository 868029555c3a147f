//! Loose conversions Sprig applies to `interface {}` arguments, with the
//! semantics of the Go libraries it uses: `spf13/cast` for numbers (`"12"` →
//! 12, unparsable → 0, floats truncated) and Sprig's own `strval`/`strslice`.

use crate::template::gofmt;
use crate::template::gonumber;
use crate::template::value::Value;

/// `cast.ToInt64`: errors become 0, as Sprig swallows them.
pub(super) fn to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Float(f) => {
            if f.is_nan() {
                i64::MIN
            } else {
                *f as i64
            }
        }
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => gonumber::parse_int(&trim_zero_decimal(s)).unwrap_or(0),
        _ => 0,
    }
}

/// `cast.ToFloat64`: errors become 0.
pub(super) fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::String(s) => gonumber::parse_float(s).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// cast's `trimZeroDecimal`: `"1.00"` → `"1"`.
fn trim_zero_decimal(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut found_zero = false;
    for i in (1..=bytes.len()).rev() {
        match bytes[i - 1] {
            b'.' => {
                if found_zero {
                    return s[..i - 1].to_string();
                }
            }
            b'0' => found_zero = true,
            _ => return s.to_string(),
        }
    }
    s.to_string()
}

/// Sprig's `strval`: strings as is, `[]byte` as its text, everything else with `%v`.
pub(super) fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::List(..) if v.as_bytes().is_some() => {
            String::from_utf8_lossy(&v.as_bytes().unwrap_or_default()).into_owned()
        }
        other => gofmt::format_value(other),
    }
}

/// The elements of a slice (a host slice such as `.Capabilities.APIVersions`
/// too), or `None` if the value is not a slice.
pub(super) fn as_list(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::List(items, _) => Some(items.as_ref().clone()),
        Value::Object(object) if object.go_kind() == "slice" => {
            object.range_items().map(|items| items.into_iter().map(|(_, item)| item).collect())
        }
        _ => None,
    }
}

/// Sprig's `strslice`: a slice's non-nil elements as strings, or the single
/// value as a one-element list (nil → empty).
pub(super) fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(items, _) => items.iter().filter(|i| !matches!(i, Value::Nil)).map(strval).collect(),
        Value::Object(_) if as_list(v).is_some() => {
            as_list(v).unwrap_or_default().iter().filter(|i| !matches!(i, Value::Nil)).map(strval).collect()
        }
        Value::Nil => Vec::new(),
        other => vec![strval(other)],
    }
}

/// The Go kind name Sprig puts in its "Cannot X on type K" messages.
pub(super) fn kind_name(v: &Value) -> &'static str {
    v.go_kind()
}

/// What Go reports when Sprig reflects on an untyped nil.
pub(super) const NIL_DEREFERENCE: &str = "runtime error: invalid memory address or nil pointer dereference";
