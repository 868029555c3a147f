//! Go `text/template`'s predefined functions: `not`, `len`, `index`, the
//! `print` family, the escapers, the comparisons and `call`. (`and`/`or`
//! short-circuit and live in the executor; Sprig's `slice` replaces Go's.)

use super::{CallResult, Param, Registry};
use crate::template::exec::Exec;
use crate::template::gofmt;
use crate::template::value::Value;

pub(super) fn register(r: &mut Registry) {
    use Param::Any;
    r.add("not", &[Any], None, |_, a| Ok(Value::Bool(!a[0].is_true())));
    r.add("len", &[Any], None, length);
    r.add("index", &[Any], Some(Any), index);
    r.add("print", &[], Some(Any), |_, a| Ok(Value::str(gofmt::sprint(&a))));
    r.add("printf", &[Param::Str], Some(Any), |_, a| Ok(Value::str(gofmt::sprintf(super::arg_str(&a, 0), &a[1..]))));
    r.add("println", &[], Some(Any), |_, a| Ok(Value::str(gofmt::sprintln(&a))));
    r.add("html", &[], Some(Any), |_, a| Ok(Value::str(html_escape(&escaper_text(&a)))));
    r.add("js", &[], Some(Any), |_, a| Ok(Value::str(js_escape(&escaper_text(&a)))));
    r.add("urlquery", &[], Some(Any), |_, a| Ok(Value::str(query_escape(&escaper_text(&a)))));
    r.add("eq", &[Any], Some(Any), |_, a| equal_any(&a[0], &a[1..]).map(Value::Bool).map_err(Into::into));
    r.add("ne", &[Any, Any], None, |_, a| equal_any(&a[0], &a[1..]).map(|b| Value::Bool(!b)).map_err(Into::into));
    r.add("lt", &[Any, Any], None, |_, a| less(&a[0], &a[1]).map(Value::Bool).map_err(Into::into));
    r.add("le", &[Any, Any], None, |_, a| less_or_equal(&a[0], &a[1]).map(Value::Bool).map_err(Into::into));
    r.add("gt", &[Any, Any], None, |_, a| less_or_equal(&a[0], &a[1]).map(|b| Value::Bool(!b)).map_err(Into::into));
    r.add("ge", &[Any, Any], None, |_, a| less(&a[0], &a[1]).map(|b| Value::Bool(!b)).map_err(Into::into));
    r.add("call", &[Any], Some(Any), call);
}

/// Go's `call`. No value a chart can reach is a function, so a call always
/// fails as Go's does; the executor puts the callee's text first.
fn call(_: &mut Exec<'_>, args: Vec<Value>) -> CallResult {
    match &args[1] {
        Value::Nil => Err("call of nil".into()),
        other => Err(format!("non-function {} of type {}", super::arg_str(&args, 0), other.go_type()).into()),
    }
}

fn length(_: &mut Exec<'_>, args: Vec<Value>) -> CallResult {
    match &args[0] {
        Value::String(s) => Ok(Value::Int(s.len() as i64)),
        Value::List(items, _) => Ok(Value::Int(items.len() as i64)),
        Value::Map(map, _) => Ok(Value::Int(map.borrow().len() as i64)),
        Value::Nil => Err("reflect: call of reflect.Value.Type on zero Value".into()),
        // A host map or slice (`.Files`, `.Capabilities.APIVersions`) has Go's length.
        Value::Object(object) if object.range_items().is_some() => {
            Ok(Value::Int(object.range_items().map_or(0, |items| items.len()) as i64))
        }
        other => Err(format!("len of type {}", other.go_type()).into()),
    }
}

fn index(_: &mut Exec<'_>, args: Vec<Value>) -> CallResult {
    let mut item = args[0].clone();
    if let Value::Nil = item {
        return Err("index of untyped nil".into());
    }
    for key in &args[1..] {
        item = match &item {
            Value::List(items, _) => {
                let i = index_arg(key, items.len())?;
                items.get(i).cloned().ok_or("reflect: slice index out of range")?
            }
            Value::String(s) => {
                let i = index_arg(key, s.len())?;
                Value::Int(*s.as_bytes().get(i).ok_or("reflect: string index out of range")? as i64)
            }
            Value::Map(map, elem) => match key {
                Value::String(k) => map.borrow().get(&**k).cloned().unwrap_or_else(|| elem.zero_value()),
                Value::Nil => return Err("value is nil; should be of type string".into()),
                other => return Err(format!("value has type {}; should be string", other.go_type()).into()),
            },
            Value::Nil => return Err("index of nil pointer".into()),
            Value::Object(object) if object.go_kind() == "map" => {
                let Value::String(wanted) = key else {
                    return Err(format!("value has type {}; should be string", key.go_type()).into());
                };
                let items = object.range_items().unwrap_or_default();
                items.into_iter().find(|(k, _)| k.as_str() == Some(&**wanted)).map_or(Value::Nil, |(_, v)| v)
            }
            Value::Object(object) if object.go_kind() == "slice" => {
                let items = object.range_items().unwrap_or_default();
                let i = index_arg(key, items.len())?;
                items.into_iter().nth(i).map(|(_, element)| element).ok_or("reflect: slice index out of range")?
            }
            other => return Err(format!("can't index item of type {}", other.go_type()).into()),
        };
    }
    Ok(item)
}

fn index_arg(key: &Value, len: usize) -> Result<usize, String> {
    let x = match key {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Nil => return Err("cannot index slice/array with nil".to_string()),
        other => return Err(format!("cannot index slice/array with type {}", other.go_type())),
    };
    if x < 0 || x as usize > len {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

/// Go's `evalArgs` for the escapers: one string as is, otherwise `Sprint`
/// with nil shown as `<no value>`.
fn escaper_text(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.to_string();
    }
    let printable: Vec<Value> =
        args.iter().map(|a| if let Value::Nil = a { Value::str("<no value>") } else { a.clone() }).collect();
    gofmt::sprint(&printable)
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u00{:02X}", c as u32)),
            c if (c as u32) < 0x80 => out.push(c),
            c if !c.is_control() => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub(super) fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Go's `basicKind` classes for comparisons.
#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    Complex,
    String,
    Other,
}

fn kind(v: &Value) -> Kind {
    match v {
        Value::Nil => Kind::Invalid,
        Value::Bool(_) => Kind::Bool,
        Value::Int(_) | Value::Int64(_) => Kind::Int,
        Value::Float(_) => Kind::Float,
        Value::Complex(..) => Kind::Complex,
        Value::String(_) => Kind::String,
        _ => Kind::Other,
    }
}

const BAD_COMPARISON: &str = "incompatible types for comparison";
const BAD_COMPARISON_TYPE: &str = "invalid type for comparison";

/// Go's `eq arg1 arg2...`: true if arg1 equals any of the others.
fn equal_any(first: &Value, others: &[Value]) -> Result<bool, String> {
    if others.is_empty() {
        return Err("missing argument for comparison".to_string());
    }
    let k1 = kind(first);
    for other in others {
        let k2 = kind(other);
        let truth = if k1 != k2 {
            if k1 != Kind::Invalid && k2 != Kind::Invalid {
                return Err(BAD_COMPARISON.to_string());
            }
            false
        } else {
            match (first, other) {
                (Value::Bool(a), Value::Bool(b)) => a == b,
                (Value::Int(a) | Value::Int64(a), Value::Int(b) | Value::Int64(b)) => a == b,
                (Value::Float(a), Value::Float(b)) => a == b,
                (Value::Complex(a, ai), Value::Complex(b, bi)) => a == b && ai == bi,
                (Value::String(a), Value::String(b)) => a == b,
                (Value::Nil, Value::Nil) => true,
                (a, b) => {
                    // Go's canCompare looks at kinds: two slices (a list and
                    // .Capabilities.APIVersions) get as far as the type check.
                    if a.go_kind() != b.go_kind() {
                        let types = [a.clone(), Value::str(a.go_type()), Value::str(b.go_type()), b.clone()];
                        return Err(gofmt::sprintf("non-comparable types %s: %v, %s: %v", &types));
                    }
                    let comparable = match b {
                        Value::List(..) | Value::Map(..) => false,
                        Value::Object(object) => object.comparable(),
                        _ => true,
                    };
                    if !comparable {
                        return Err(gofmt::sprintf(
                            "non-comparable type %s: %v",
                            &[b.clone(), Value::str(b.go_type())],
                        ));
                    }
                    a.go_type() == b.go_type() && a.deep_equal(b)
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn less(a: &Value, b: &Value) -> Result<bool, String> {
    let (k1, k2) = (kind(a), kind(b));
    for k in [k1, k2] {
        if matches!(k, Kind::Invalid | Kind::Other | Kind::Bool | Kind::Complex) {
            return Err(BAD_COMPARISON_TYPE.to_string());
        }
    }
    if k1 != k2 {
        return Err(BAD_COMPARISON.to_string());
    }
    Ok(match (a, b) {
        (Value::Int(x) | Value::Int64(x), Value::Int(y) | Value::Int64(y)) => x < y,
        (Value::Float(x), Value::Float(y)) => x < y,
        (Value::String(x), Value::String(y)) => x < y,
        _ => false,
    })
}

fn less_or_equal(a: &Value, b: &Value) -> Result<bool, String> {
    if less(a, b)? {
        return Ok(true);
    }
    equal_any(a, std::slice::from_ref(b))
}
